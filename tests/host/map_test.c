/*
 * map_test.c - runtime/map.c, mapiter.c and hash.c: Go 1.19's maps.
 *
 * Growth as Go grows: the C twin of tests/oracle/mapgrow.go must print
 * tests/oracle/mapgrow.out (argv[1]) line for line, and the nil-map
 * lines of tests/oracle/panics.out (argv[2]) must come out the same.
 *
 * Randomized runs (map_random.c): millions of operations on maps of
 * every key and value layout against a reference, with two iterators
 * ranging all the while, and the invariants of map_stats / map_chains.
 *
 * Directed cases for what random runs reach too rarely to trust them:
 *   - ranges across several doublings, ranges begun in the middle of a
 *     growth (walking old buckets, filtering by the new hash bit), and
 *     ranges across same-size growths, each with deletes and updates in
 *     between: every key present all along is returned exactly once,
 *     with its value at that moment, and no deleted key ever;
 *   - churn (about 100 live keys, ever new ones inserted): B stays 4 and
 *     same-size growth keeps the chains short;
 *   - map_clear, also in the middle of a growth and of a range;
 *   - the typed API (MAP_DECLARE and friends, every key kind, custom
 *     hash and equality, zero-size values), and 200,000 random
 *     operations through it;
 *   - values over 1 KiB (the big zero value), the slot map_assign hands
 *     back for a new key, misuse Go calls fatal (a write flag left set,
 *     a hash or equality function that reads or writes the map), a
 *     panicking hash function, map_dump's format;
 *   - the hash functions: every input bit and the seed matter, no reads
 *     past the key, and bucket and tophash bits spread evenly.
 */
#include "map_test.h"

static const char *mapgrow_path, *panics_path;

/* ---- Growth against Go ---- */

/* fmt.Sprint(i), kept for the map's lifetime. */
static gostring_t itoa_str(int64_t i)
{
	char buf[24];
	int n = snprintf(buf, sizeof buf, "%ld", (long)i);
	char *p = gc_alloc_noscan((size_t)n);
	memcpy(p, buf, (size_t)n);
	return (gostring_t){ p, n };
}

/* The C twin of tests/oracle/mapgrow.go, printing into f. */
static void mapgrow(FILE *f)
{
	fprintf(f, "# int64 keys\n");
	map_t mi = imap_make(0);
	uint8_t last = stats(&imap_type, mi).B;
	fprintf(f, "insert n=0 B=%u\n", last);
	for (int64_t i = 0; i < 200000; i++) {
		imap_put(mi, i, i);
		struct map_stats s;
		imap_stats(mi, &s);
		if (s.B != last)
			fprintf(f, "insert n=%ld B=%u\n", (long)(i + 1), last = s.B);
	}
	fprintf(f, "# string keys\n");
	map_t ms = smap_make(0);
	last = stats(&smap_type, ms).B;
	fprintf(f, "insert n=0 B=%u\n", last);
	for (int64_t i = 0; i < 20000; i++) {
		smap_put(ms, itoa_str(i), i);
		struct map_stats s;
		map_stats(&smap_type, ms, &s);
		if (s.B != last)
			fprintf(f, "insert n=%ld B=%u\n", (long)(i + 1), last = s.B);
	}
	fprintf(f, "# hints\n");
	static const intptr_t hints[] = { 0, 1, 7, 8, 9, 12, 13, 14, 26, 27,
		52, 53, 100, 104, 105, 1000, 6656, 6657, 100000, 1000000 };
	for (int i = 0; i < N(hints); i++) {
		struct map_stats s;
		imap_stats(imap_make(hints[i]), &s);
		fprintf(f, "hint %ld B=%u\n", (long)hints[i], s.B);
	}
	fprintf(f, "# after inserts\n");
	static const int64_t ns[] = { 8, 9, 13, 14, 26, 27, 53, 100000 };
	for (int k = 0; k < N(ns); k++) {
		map_t m = imap_make(0);
		for (int64_t i = 0; i < ns[k]; i++)
			imap_put(m, i, i);
		fprintf(f, "after %ld B=%u count=%ld\n", (long)ns[k],
			stats(&imap_type, m).B, (long)map_len(m));
	}
}

static void test_growth_oracle(void)
{
	char *want = load(mapgrow_path);
	if (!EXPECTF(want != NULL, "cannot read mapgrow.out (argv[1]: %s)",
		     mapgrow_path ? mapgrow_path : "missing"))
		return;
	char *got = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&got, &len);
	mapgrow(f);
	fclose(f);
	/* The first line that differs. */
	const char *g = got, *w = want;
	for (int line = 1; *g || *w; line++) {
		size_t gl = strcspn(g, "\n"), wl = strcspn(w, "\n");
		if (!EXPECTF(gl == wl && memcmp(g, w, gl) == 0,
			     "mapgrow line %d: got \"%.*s\", want \"%.*s\"",
			     line, (int)gl, g, (int)wl, w))
			break;
		g += gl + (g[gl] != '\0');
		w += wl + (w[wl] != '\0');
	}
	free(got);
	free(want);
}

/* ---- The nil map ---- */

/* panics.out's line for label, copied into buf ("" if none). */
static const char *panics_line(const char *text, const char *label,
			       char *buf, size_t n)
{
	size_t len = strlen(label);
	buf[0] = '\0';
	for (const char *l = text; l != NULL && *l != '\0';
	     l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (strncmp(l, label, len) == 0 && l[len] == ':') {
			snprintf(buf, n, "%.*s", (int)strcspn(l, "\n"), l);
			break;
		}
	return buf;
}

static void do_nil_assign(void *arg)
{
	(void)arg;
	int64_t k = 1;
	*(int64_t *)map_assign(&imap_type, NULL, &k) = 2;
}

static void test_nil_map(void)
{
	map_t m = NULL;
	int64_t k = 1, v = 7;
	EXPECT_EQ(imap_get(m, 1), 0);
	EXPECT(!imap_get2(m, 1, &v));
	EXPECT_EQ(v, 0);
	EXPECT_EQ(map_len(m), 0);
	imap_delete(m, 1);
	map_clear(&imap_type, m);
	struct map_iter it;
	int n = 0;
	MAP_RANGE(imap, m, it)
		n++;
	EXPECT_EQ(n, 0);
	struct map_stats s = stats(&imap_type, m);
	EXPECT_EQ(s.count + s.B + s.nbuckets, 0);
	EXPECT(map_access(&imap_type, m, &k) != NULL);

	char *text = load(panics_path);
	if (!EXPECTF(text != NULL, "cannot read panics.out (argv[2])"))
		return;
	char got[256], msg[200], want[256];
	enum stub_end end = stub_catch(do_nil_assign, NULL, msg, sizeof msg);
	EXPECT_EQ(end, STUB_PANICKED);
	snprintf(got, sizeof got, "m[1] = 2 (nil map): %s", msg);
	EXPECT_STREQ(got, panics_line(text, "m[1] = 2 (nil map)", want,
					 sizeof want));
	/* A bad size hint is no hint (make does not panic). */
	m = map_make(&imap_type, -1);
	snprintf(got, sizeof got, "make map hint -1: ok len %ld", (long)map_len(m));
	EXPECT_STREQ(got, panics_line(text, "make map hint -1", want, sizeof want));
	EXPECT_EQ(stats(&imap_type, m).B, 0);
	EXPECT_EQ(stats(&imap_type, map_make(&imap_type, INTPTR_MAX)).B, 0);
	free(text);
}

/* ---- The typed API ---- */

MAP_DECLARE(ages, gostring_t, int, MAP_KEY_STR)
MAP_DECLARE_NOSCAN(i32map, int32_t, int32_t, MAP_KEY_INT32)
MAP_DECLARE(pmap, void *, int64_t, MAP_KEY_PTR)
MAP_DECLARE(cmap, const char *, int, MAP_KEY_CSTR)
struct empty {
	char none[0];
};
MAP_DECLARE_NOSCAN(byteset, uint8_t, struct empty, MAP_KEY_MEM)

/* Case-insensitive string keys: the hash and equality must agree. */
static uint64_t ci_hash(const void *key, uintptr_t seed)
{
	const gostring_t *s = key;
	char buf[64];
	intptr_t n = s->len < 64 ? s->len : 64;
	for (intptr_t i = 0; i < n; i++)
		buf[i] = (char)(s->str[i] | (s->str[i] >= 'A' && s->str[i] <= 'Z' ? 32 : 0));
	return memhash(buf, seed, (uintptr_t)n) ^ (uint64_t)s->len;
}

static bool ci_equal(const void *a, const void *b)
{
	const gostring_t *x = a, *y = b;
	return x->len == y->len && strncasecmp(x->str, y->str, (size_t)x->len) == 0;
}
MAP_DECLARE_FUNCS(cimap, gostring_t, int, ci_hash, ci_equal)

static void test_typed_api(void)
{
	/* gohart_map.h's example, word for word. */
	map_t m = ages_make(0);
	ages_put(m, GOSTR("ann"), 31);
	int a = ages_get(m, GOSTR("ann"));
	EXPECT_EQ(a, 31);
	bool ok = ages_get2(m, GOSTR("bob"), &a);
	EXPECT(!ok);
	EXPECT_EQ(a, 0);
	ages_put(m, GOSTR("bob"), 40);
	ages_put(m, GOSTR("cy"), 5);
	ages_delete(m, GOSTR("ann"));
	struct map_iter it;
	int n = 0, sum = 0;
	MAP_RANGE(ages, m, it) {
		gostring_t k = map_iter_key(gostring_t, it);
		int v = map_iter_elem(int, it);
		EXPECT(k.len == 3 || k.len == 2);
		sum += v;
		n++;
	}
	EXPECT_EQ(n, 2);
	EXPECT_EQ(sum, 45);
	/* Overwriting takes the new copy of the key, as Go does. */
	char bob2[] = "bob";
	ages_put(m, gostr(bob2), 41);
	MAP_RANGE(ages, m, it)
		if (map_iter_key(gostring_t, it).len == 3)
			EXPECT(map_iter_key(gostring_t, it).str == bob2);
	EXPECT_EQ(ages_get(m, GOSTR("bob")), 41);
	/* The empty string is a key like any other; so is a prefix. */
	ages_put(m, GOSTR(""), 1);
	ages_put(m, (gostring_t){ "bobby", 2 }, 2);
	EXPECT_EQ(ages_get(m, GOSTR("")), 1);
	EXPECT_EQ(ages_get(m, GOSTR("bo")), 2);
	EXPECT_EQ(map_len(m), 4);

	map_t i32 = i32map_make(0);
	static const int32_t edge[] = { INT32_MIN, -1, 0, 1, INT32_MAX };
	for (int i = 0; i < N(edge); i++)
		i32map_put(i32, edge[i], i);
	for (int i = 0; i < N(edge); i++)
		EXPECT_EQ(i32map_get(i32, edge[i]), i);
	EXPECT(i32map_type.flags & MAPTYPE_NOSCAN);

	/* Pointers compare by address, not by what they point at. */
	map_t p = pmap_make(0);
	int64_t x = 1, y = 1;
	pmap_put(p, &x, 10);
	pmap_put(p, &y, 20);
	pmap_put(p, NULL, 30);
	EXPECT_EQ(pmap_get(p, &x), 10);
	EXPECT_EQ(pmap_get(p, &y), 20);
	EXPECT_EQ(pmap_get(p, NULL), 30);
	EXPECT_EQ(map_len(p), 3);

	/* char * keys compare by their bytes; NULL is not "". */
	map_t c = cmap_make(0);
	char one[] = "one", one2[] = "one";
	cmap_put(c, one, 1);
	cmap_put(c, NULL, 2);
	cmap_put(c, "", 3);
	EXPECT_EQ(cmap_get(c, one2), 1);
	EXPECT_EQ(cmap_get(c, NULL), 2);
	EXPECT_EQ(cmap_get(c, ""), 3);
	EXPECT_EQ(map_len(c), 3);
	cmap_delete(c, "one");
	EXPECT_EQ(map_len(c), 2);

	/* Zero-size values: a set. */
	map_t set = byteset_make(0);
	for (int i = 0; i < 256; i++)
		byteset_put(set, (uint8_t)i, (struct empty){});
	for (int i = 0; i < 256; i += 2)
		byteset_delete(set, (uint8_t)i);
	struct empty e;
	EXPECT(byteset_get2(set, 3, &e));
	EXPECT(!byteset_get2(set, 4, &e));
	n = 0;
	MAP_RANGE(byteset, set, it)
		n += map_iter_key(uint8_t, it) % 2;
	EXPECT_EQ(n, 128);
	EXPECT_EQ(byteset_type.bucketsize, 8 + 8 + 0 + 8);

	/* Custom hash and equality. */
	map_t ci = cimap_make(0);
	cimap_put(ci, GOSTR("Hello"), 1);
	cimap_put(ci, GOSTR("HELLO"), 2);
	cimap_put(ci, GOSTR("world"), 3);
	EXPECT_EQ(map_len(ci), 2);
	EXPECT(cimap_get2(ci, GOSTR("hello"), &a) && a == 2);
	cimap_delete(ci, GOSTR("WORLD"));
	EXPECT_EQ(map_len(ci), 1);

	/* The slot sizes the typed API computes. */
	EXPECT_EQ(imap_type.bucketsize, 8 + 8 * 8 + 8 * 8 + 8);
	EXPECT_EQ(imap_type.flags, 0);
	EXPECT_EQ(nmap_type.flags, MAPTYPE_NOSCAN);
}

/* 200,000 random operations through the typed calls, against an array. */
static void test_typed_random(void)
{
	enum { KEYS = 4096 };
	static int64_t val[KEYS];
	static bool present[KEYS];
	seed_hash(7);
	map_t m = imap_make(0);
	uint64_t r = 99;
	int64_t count = 0;
	for (int op = 1; op <= 200000; op++) {
		r = r * 6364136223846793005ull + 1442695040888963407ull;
		int64_t k = (int64_t)((r >> 33) % KEYS), v;
		switch ((r >> 20) % 4) {
		case 0:
			imap_put(m, k - 2048, (int64_t)r);
			count += !present[k];
			present[k] = true;
			val[k] = (int64_t)r;
			break;
		case 1:
			imap_delete(m, k - 2048);
			count -= present[k];
			present[k] = false;
			break;
		case 2:
			if (!EXPECTF(imap_get(m, k - 2048) == (present[k] ? val[k] : 0),
				     "op %d: get(%ld)", op, (long)k - 2048))
				return;
			break;
		default:
			if (!EXPECTF(imap_get2(m, k - 2048, &v) == present[k] &&
				     v == (present[k] ? val[k] : 0),
				     "op %d: get2(%ld)", op, (long)k - 2048))
				return;
		}
		if (!EXPECT_EQ(map_len(m), count))
			return;
		if (op % 20000 == 0) {
			struct map_iter it;
			int64_t seen = 0;
			MAP_RANGE(imap, m, it) {
				int64_t key = map_iter_key(int64_t, it) + 2048;
				EXPECT(key >= 0 && key < KEYS && present[key] &&
				       map_iter_elem(int64_t, it) == val[key]);
				seen++;
			}
			EXPECT_EQ(seen, count);
		}
	}
}

/* ---- Ranging while the map changes ---- */

/*
 * A reference for int64 keys 0 .. IKEYS-1 and one range at a time:
 * whole[k] says k has been present since the range began.
 */
#define IKEYS 300000
struct iref {
	map_t m;
	int64_t count;
	uint8_t present[IKEYS], whole[IKEYS], seen[IKEYS];
	int64_t val[IKEYS];
	struct map_iter it;
	bool failed;
};

static struct iref *iref_new(void)
{
	struct iref *r = calloc(1, sizeof *r);
	r->m = imap_make(0);
	return r;
}

static void iput(struct iref *r, int64_t k, int64_t v)
{
	imap_put(r->m, k, v);
	r->count += !r->present[k];
	r->present[k] = 1;
	r->val[k] = v;
}

static void idel(struct iref *r, int64_t k)
{
	imap_delete(r->m, k);
	r->count -= r->present[k];
	r->present[k] = r->whole[k] = 0;
}

/* Check the iterator's entry; false at the end of the range. */
static bool icheck(struct iref *r)
{
	if (r->it.key == NULL)
		return false;
	int64_t k = map_iter_key(int64_t, r->it);
	if (!EXPECTF(k >= 0 && k < IKEYS && r->present[k], "range returned "
		     "key %ld, not in the map", (long)k) ||
	    !EXPECTF(map_iter_elem(int64_t, r->it) == r->val[k], "range: "
		     "key %ld = %ld, want %ld", (long)k,
		     (long)map_iter_elem(int64_t, r->it), (long)r->val[k]) ||
	    !EXPECTF(!(r->whole[k] && r->seen[k]), "range returned key %ld "
		     "again", (long)k)) {
		r->failed = true;
		return false;
	}
	r->seen[k] = 1;
	return true;
}

static bool istart(struct iref *r)
{
	memcpy(r->whole, r->present, sizeof r->whole);
	memset(r->seen, 0, sizeof r->seen);
	imap_iter(r->m, &r->it);
	return icheck(r);
}

static bool inext(struct iref *r)
{
	map_iter_next(&r->it);
	return icheck(r);
}

/* After the range: each key present all along was seen. */
static int64_t iend(struct iref *r)
{
	int64_t whole = 0;
	for (int64_t k = 0; k < IKEYS && !r->failed; k++) {
		whole += r->whole[k];
		if (r->whole[k] && !EXPECTF(r->seen[k], "range missed key %ld, "
					     "present all along", (long)k))
			r->failed = true;
	}
	return whole;
}

static void test_range_across_doublings(void)
{
	seed_hash(11);
	struct iref *r = iref_new();
	for (int64_t k = 0; k < 1000; k++)
		iput(r, k, k);
	bool more = istart(r);
	for (int i = 0; i < 300 && more; i++)
		more = inext(r);
	/*
	 * Six doublings under the range (B 8 to 14), the last one just
	 * begun (at 53,249 keys), and deletes and updates of the keys the
	 * range has and has not yet returned.
	 */
	int64_t next = 1000;
	for (; next < 40000; next++)
		iput(r, next, -next);
	for (int64_t k = 0; k < 1000; k++) {
		if (k % 3 == 0)
			idel(r, k);
		else if (k % 5 == 1)
			iput(r, k, k * 1000);
	}
	struct map_stats s;
	do {
		iput(r, next, -next);
		next++;
		imap_stats(r->m, &s);
	} while (s.B < 14);
	EXPECT(s.growing && s.nevacuate < 10);
	/* Go on writing while the range goes on: the growth finishes. */
	int done = 0;
	while (more) {
		for (int i = 0; i < 8; i++, next++) {
			iput(r, next, next);
			if (next % 7 == 0)
				idel(r, next - 5000);
		}
		done += !growing(&imap_type, r->m);
		more = inext(r);
	}
	EXPECT(iend(r) > 500);
	EXPECTF(done > 0, "the growth did not finish during the range");
	free(r);
}

static void test_range_begun_while_growing(void)
{
	seed_hash(12);
	for (int trial = 0; trial < 6; trial++) {
		struct iref *r = iref_new();
		/* Insert until a growth starts: a doubling, with B up to 12. */
		int64_t next = 0;
		int target = 6 + trial, grows = 0;
		bool was = false;
		while (grows < target) {
			iput(r, next, next);
			next++;
			bool now = growing(&imap_type, r->m);
			grows += now && !was;
			was = now;
		}
		struct map_stats s;
		imap_stats(r->m, &s);
		EXPECT(s.growing && s.nevacuate < s.noldbuckets / 2);
		/* Range (walking the old buckets), writing as it goes. */
		bool more = istart(r);
		int64_t steps = 0;
		while (more) {
			if (steps % 2 == 0)
				iput(r, next++, 1);
			if (steps % 3 == 0)
				idel(r, (int64_t)((uint64_t)steps * 7919 % (uint64_t)next));
			if (steps % 5 == 0) {
				int64_t k = (int64_t)((uint64_t)steps * 104729 % (uint64_t)next);
				if (r->present[k])
					iput(r, k, -k);
			}
			steps++;
			more = inext(r);
		}
		iend(r);
		bool failed = r->failed;
		free(r);
		if (failed)
			return;
	}
}

/*
 * Churn keys come from a full-period LCG mod 2^18 (distinct over 2^18
 * steps, in no pattern): sequential keys spread too evenly over the
 * buckets to make the overflow chains that same-size growth is about.
 */
static void test_range_across_same_size_growth(void)
{
	seed_hash(13);
	struct iref *r = iref_new();
	/* 40 keys that stay (from 2^18 up), and churn through ever new ones. */
	for (int64_t k = 0; k < 40; k++)
		iput(r, (1 << 18) + k, k);
	int64_t next = 0;
	uint64_t x = 1;
	int64_t window[64];
	int same = 0;
	bool was = false;
	for (int range = 0; range < 200 && !r->failed; range++) {
		bool more = istart(r);
		while (more) {
			for (int i = 0; i < 5; i++) {
				/* LCG mod 2^18, full period: distinct keys */
				x = (x * 1103515245 + 12345) & ((1 << 18) - 1);
				if (next >= 60)
					idel(r, window[next % 60]);
				window[next % 60] = (int64_t)x;
				iput(r, (int64_t)x, next);
				next++;
				struct map_stats s;
				imap_stats(r->m, &s);
				same += s.growing && s.same_size_grow && !was;
				was = s.growing;
			}
			more = inext(r);
		}
		iend(r);
	}
	EXPECTF(same >= 10, "only %d same-size growths", same);
	t_logf("%d same-size growths during ranges", same);
	free(r);
}

/* Two ranges over the same map start at different places. */
static void test_range_random_start(void)
{
	seed_hash(14);
	map_t m = imap_make(0);
	for (int64_t k = 0; k < 100; k++)
		imap_put(m, k, k);
	uint8_t firsts[100] = { 0 };
	int distinct = 0;
	for (int i = 0; i < 60; i++) {
		struct map_iter it;
		imap_iter(m, &it);
		int64_t k = map_iter_key(int64_t, it);
		distinct += !firsts[k];
		firsts[k] = 1;
	}
	EXPECTF(distinct >= 20, "60 ranges began at only %d keys", distinct);
	/* One bucket: the slot offset still varies. */
	m = imap_make(0);
	for (int64_t k = 0; k < 8; k++)
		imap_put(m, k, k);
	memset(firsts, 0, sizeof firsts);
	distinct = 0;
	for (int i = 0; i < 60; i++) {
		struct map_iter it;
		imap_iter(m, &it);
		distinct += !firsts[map_iter_key(int64_t, it)];
		firsts[map_iter_key(int64_t, it)] = 1;
	}
	EXPECTF(distinct == 8, "a one-bucket map's ranges began at %d keys",
		distinct);
	/* Two ranges at once, no writes: each sees every key once. */
	struct map_iter a, b;
	int na = 0, nb = 0;
	imap_iter(m, &a);
	imap_iter(m, &b);
	while (a.key || b.key) {
		if (a.key) {
			na++;
			map_iter_next(&a);
		}
		if (b.key) {
			nb++;
			map_iter_next(&b);
		}
	}
	EXPECT(na == 8 && nb == 8);
	/* Empty maps: made, emptied. */
	m = imap_make(100);
	struct map_iter it;
	imap_iter(m, &it);
	EXPECT(it.key == NULL);
	imap_put(m, 1, 1);
	imap_delete(m, 1);
	imap_iter(m, &it);
	EXPECT(it.key == NULL);
}

/* ---- Growth: churn and same-size growth ---- */

static void test_churn(void)
{
	seed_hash(15);
	map_t m = imap_make(0);
	enum { LIVE = 100, ROUNDS = 400000 };
	int same = 0;
	uintptr_t max_ovf = 0, max_chain = 0;
	uint8_t max_B = 0;
	bool was = false;
	for (int64_t n = 0; n < ROUNDS; n++) {
		int64_t k = scramble((uint64_t)n), old = scramble((uint64_t)(n - LIVE));
		imap_put(m, k, n);
		if (n >= LIVE)
			imap_delete(m, old);
		int64_t v;
		if (!EXPECT(imap_get2(m, k, &v) && v == n) ||
		    !EXPECT(n < LIVE || !imap_get2(m, old, &v)) ||
		    !EXPECT_EQ(map_len(m), n < LIVE ? n + 1 : LIVE))
			return;
		struct map_stats s;
		imap_stats(m, &s);
		same += s.growing && !was && s.same_size_grow;
		was = s.growing;
		max_B = s.B > max_B ? s.B : max_B;
		if (n % 64 == 0) {
			s = stats(&imap_type, m);
			max_ovf = s.overflow_buckets > max_ovf ? s.overflow_buckets : max_ovf;
			max_chain = s.longest_chain > max_chain ? s.longest_chain : max_chain;
			uintptr_t entries = 0;
			for (int i = 0; i <= MAP_BUCKET_CNT; i++)
				entries += (uintptr_t)i * s.occupancy[i];
			if (!s.growing && !EXPECT_EQ(entries, s.count))
				return;
		}
	}
	/* 101 keys at most fit 16 buckets: B stays 4, however long. */
	EXPECT_EQ(max_B, 4);
	EXPECTF(same >= 100, "%d same-size growths", same);
	/* Same-size growth starts at 16 overflow buckets. */
	EXPECTF(max_ovf <= 40, "up to %lu overflow buckets", (unsigned long)max_ovf);
	EXPECTF(max_chain <= 6, "chains up to %lu buckets", (unsigned long)max_chain);
	/* The last LIVE keys are all there. */
	for (int64_t n = ROUNDS - LIVE; n < ROUNDS; n++)
		EXPECT_EQ(imap_get(m, scramble((uint64_t)n)), n);
	t_logf("%d rounds: %d same-size growths, up to %lu overflow buckets, "
	       "chains up to %lu", ROUNDS, same, (unsigned long)max_ovf,
	       (unsigned long)max_chain);
}

int main(int argc, char **argv)
{
	t_init(&argc, argv);
	mapgrow_path = argc > 1 ? argv[1] : NULL;
	panics_path = argc > 2 ? argv[2] : NULL;
	seed_hash(1);

	t_run("growth/mapgrow_oracle", test_growth_oracle);
	t_run("nil_map", test_nil_map);
	t_run("api/typed", test_typed_api);
	t_run("api/typed_random", test_typed_random);
	for (int i = 0; i < map_random_nrows; i++)
		t_run_arg(map_random_rows[i].name, map_random_run,
			  &map_random_rows[i]);
	t_run("range/across_doublings", test_range_across_doublings);
	t_run("range/begun_while_growing", test_range_begun_while_growing);
	t_run("range/across_same_size_growth", test_range_across_same_size_growth);
	t_run("range/random_start", test_range_random_start);
	t_run("growth/churn_same_size", test_churn);
	t_run("clear", test_clear);
	t_run("assign/new_slot_zeroed", test_assign_new_slot_zeroed);
	t_run("big_zero_value", test_big_zero_value);
	t_run("misuse", test_misuse);
	t_run("dump", test_dump);
	t_run("hash/bits", test_hash_bits);
	t_run("hash/spread", test_hash_spread);
	return t_finish("map_test");
}
