/*
 * map_cases.c - directed host cases for maps, the second half of
 * map_test (see map_test.c's opening comment): map_clear, the slots a new
 * key gets, big zero values, misuse Go calls fatal, map_dump's format,
 * and the hash functions' bits and spread.
 */
#include "map_test.h"

/* ---- map_clear ---- */

void test_clear(void)
{
	seed_hash(16);
	map_t m = imap_make(0);
	for (int64_t k = 0; k < 10000; k++)
		imap_put(m, k, k);
	struct map_stats before = stats(&imap_type, m);
	/* Begin a range, then clear. */
	struct map_iter it;
	imap_iter(m, &it);
	for (int i = 0; i < 100; i++)
		map_iter_next(&it);
	map_clear(&imap_type, m);
	struct map_stats s = stats(&imap_type, m);
	EXPECT_EQ(map_len(m), 0);
	EXPECT_EQ(s.count, 0);
	EXPECT_EQ(s.B, before.B);       /* the array is kept */
	EXPECT(!s.growing && s.overflow_buckets == 0 && s.noverflow == 0);
	EXPECT_EQ(s.occupancy[0], s.nbuckets);
	/* The range returns nothing more (Go 1.21; 1.19 left its bucket). */
	int leftovers = 0;
	for (map_iter_next(&it); it.key != NULL; map_iter_next(&it))
		leftovers++;
	EXPECTF(leftovers == 0, "the range returned %d entries after the "
		"clear", leftovers);
	int64_t v;
	for (int64_t k = 0; k < 10000; k++)
		if (!EXPECT(!imap_get2(m, k, &v)))
			return;
	/* And it works again. */
	for (int64_t k = 0; k < 20; k++)
		imap_put(m, k + 500, k);
	int n = 0;
	MAP_RANGE(imap, m, it) {
		EXPECT_EQ(map_iter_elem(int64_t, it) + 500, map_iter_key(int64_t, it));
		n++;
	}
	EXPECT_EQ(n, 20);

	/* Clear in the middle of a growth. */
	m = imap_make(0);
	int64_t k = 0;
	do
		imap_put(m, k++, 1);
	while (k < 100 || !growing(&imap_type, m));
	map_clear(&imap_type, m);
	s = stats(&imap_type, m);
	EXPECT(!s.growing && !s.same_size_grow && s.count == 0);
	for (k = 0; k < 5000; k++)
		imap_put(m, k, k);
	for (k = 0; k < 5000; k++)
		if (!EXPECT_EQ(imap_get(m, k), k))
			return;

	/* A noscan map with overflow buckets (kept alive by a list). */
	m = nmap_make(0);
	for (k = 0; k < 3000; k++)
		nmap_put(m, scramble((uint64_t)k), k);
	EXPECT(stats(&nmap_type, m).overflow_buckets > 0);
	map_clear(&nmap_type, m);
	for (k = 0; k < 3000; k++)
		nmap_put(m, k, k);
	n = 0;
	MAP_RANGE(nmap, m, it)
		n++;
	EXPECT_EQ(n, 3000);
}

/* ---- Slots, big values ---- */

/*
 * map_assign of a new key must hand back a zeroed value slot
 * (gohart_map.h), also where a deleted key's value was: fill slot 0 of
 * a one-bucket map, delete, assign another key, which lands in the same
 * slot.  Go's mapdelete clears the value for this (memclrNoHeapPointers),
 * noscan maps included.
 */
static void expect_new_slot_zeroed(const struct maptype *t)
{
	map_t m = map_make(t, 0);
	int64_t k1 = 1, k2 = 2;
	*(int64_t *)map_assign(t, m, &k1) = 42;
	map_delete(t, m, &k1);
	EXPECTF(*(int64_t *)map_assign(t, m, &k2) == 0, "%s map: a new key's "
		"slot holds the deleted key's value",
		t->flags & MAPTYPE_NOSCAN ? "noscan" : "scanned");
}

void test_assign_new_slot_zeroed(void)
{
	expect_new_slot_zeroed(&imap_type);
	expect_new_slot_zeroed(&nmap_type);
}

struct v2000 {
	uint8_t b[2000];
};
struct v5000 {
	uint8_t b[5000];
};
MAP_DECLARE(bigv, int64_t, struct v2000, MAP_KEY_INT64)
MAP_DECLARE(hugev, int64_t, struct v5000, MAP_KEY_INT64)

static bool zeros(const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* Values over 1 KiB: absent keys read a zero value as big as they are. */
void test_big_zero_value(void)
{
	int64_t k = 5;
	EXPECT(zeros(map_access(&bigv_type, NULL, &k), 2000));
	map_t m = bigv_make(0);
	struct v2000 v;
	memset(v.b, 0xab, sizeof v.b);
	bigv_put(m, 1, v);
	EXPECT(zeros(map_access(&bigv_type, m, &k), 2000));
	EXPECT_EQ(bigv_get(m, 1).b[1999], 0xab);
	map_t h = hugev_make(0);
	EXPECT(zeros(map_access(&hugev_type, h, &k), 5000));
	EXPECT(zeros(map_access(&bigv_type, m, &k), 2000));
	EXPECT(bigv_type.flags & MAPTYPE_INDIRECT_ELEM);
}

/* ---- Misuse and panics ---- */

struct misuse {
	const struct maptype *t;
	map_t m;
	int what;
};

static void do_misuse(void *arg)
{
	struct misuse *u = arg;
	int64_t k = 3;
	struct map_iter it;
	switch (u->what) {
	case 0:
		map_access(u->t, u->m, &k);
		break;
	case 1:
		map_assign(u->t, u->m, &k);
		break;
	case 2:
		map_delete(u->t, u->m, &k);
		break;
	case 3:
		map_clear(u->t, u->m);
		break;
	default:
		map_iter_init(u->t, u->m, &it);
	}
}

/* A hash/equality pair that misbehaves on request. */
static map_t evil_map;
static int evil_mode;   /* 1: read the map, 2: clear its write flag, 3: panic */
static const struct maptype evil_type;

static uint64_t evil_hash(const void *key, uintptr_t seed)
{
	if (evil_mode == 3)
		gohart_panic("runtime error: hash of unhashable type");
	return memhash64(key, seed);
}

static bool evil_equal(const void *a, const void *b)
{
	int64_t k = 99;
	if (evil_mode == 1)
		map_access(&evil_type, evil_map, &k);   /* a "concurrent" reader */
	else if (evil_mode == 2)
		evil_map->flags &= (uint8_t)~HASH_WRITING;  /* another writer */
	return *(const int64_t *)a == *(const int64_t *)b;
}
static const struct maptype evil_type =
	MAPTYPE_INIT(int64_t, int64_t, MAP_KEY_CUSTOM, false, evil_hash, evil_equal);

static void do_evil_put(void *arg)
{
	int64_t k = *(int64_t *)arg;
	*(int64_t *)map_assign(&evil_type, evil_map, &k) = k;
}

static void expect_end(void (*fn)(void *), void *arg, enum stub_end want,
		       const char *msg, int line)
{
	char got[200];
	enum stub_end end = stub_catch(fn, arg, got, sizeof got);
	t_expect(end == want && strcmp(got, msg) == 0, __FILE__, line,
		 "ended %d \"%s\", want %d \"%s\"", end, got, want, msg);
}
#define EXPECT_END(fn, arg, want, msg) expect_end(fn, arg, want, msg, __LINE__)

void test_misuse(void)
{
	map_t m = imap_make(0);
	imap_put(m, 1, 1);
	struct misuse u = { &imap_type, m, 0 };
	/* A write in progress (HASH_WRITING) seen by each operation. */
	m->flags |= HASH_WRITING;
	EXPECT_END(do_misuse, &u, STUB_THREW, "concurrent map read and map write");
	static const char *const writes = "concurrent map writes";
	for (u.what = 1; u.what <= 3; u.what++)
		EXPECT_END(do_misuse, &u, STUB_THREW, writes);
	u.what = 4;
	EXPECT_END(do_misuse, &u, STUB_THREW,
		   "concurrent map iteration and map write");
	m->flags &= (uint8_t)~HASH_WRITING;
	EXPECT_EQ(imap_get(m, 1), 1);

	/* Equality runs mid-write: a read there, a flag cleared there. */
	evil_map = map_make(&evil_type, 0);
	int64_t k = 1;
	do_evil_put(&k);
	evil_mode = 1;          /* the same key: equality is called */
	EXPECT_END(do_evil_put, &k, STUB_THREW, "concurrent map read and map write");
	evil_map = map_make(&evil_type, 0);
	evil_mode = 0;
	k = 1;
	do_evil_put(&k);
	evil_mode = 2;
	k = 1;
	EXPECT_END(do_evil_put, &k, STUB_THREW, writes);

	/* A hash that panics leaves the map usable (hashed before writing). */
	evil_map = map_make(&evil_type, 0);
	evil_mode = 3;
	EXPECT_END(do_evil_put, &k, STUB_PANICKED,
		   "runtime error: hash of unhashable type");
	struct misuse nil = { &evil_type, NULL, 0 };
	EXPECT_END(do_misuse, &nil, STUB_PANICKED,
		   "runtime error: hash of unhashable type");
	evil_mode = 0;
	k = 7;
	do_evil_put(&k);
	EXPECT_EQ(map_len(evil_map), 1);
	EXPECT_EQ(*(const int64_t *)map_access(&evil_type, evil_map, &k), 7);
}

/* ---- map_dump ---- */

void test_dump(void)
{
	seed_hash(17);
	map_t m = imap_make(0);
	imap_put(m, 10, 1);
	imap_put(m, 20, 2);
	imap_put(m, 30, 3);
	imap_delete(m, 20);     /* slot 1: empty, with an entry after it */
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	stub_print_to(f);
	map_dump(&imap_type, m);
	stub_print_to(NULL);
	fclose(f);
	struct map_stats s = stats(&imap_type, m);
	char want[200];
	snprintf(want, sizeof want, "map %p: count 2, B 0 (1 buckets), "
		 "noverflow 0, hash0 %#x\n  bucket    0: [", (void *)m, s.hash0);
	EXPECTF(strncmp(out, want, strlen(want)) == 0, "map_dump printed:\n%s",
		out);
	/* [tt..tt__________]: two tophashes around an empty slot, then rest */
	const char *cells = out + strlen(want);
	EXPECTF(strlen(cells) == 18 && strncmp(cells + 2, "..", 2) == 0 &&
		strncmp(cells + 6, "__________]\n", 12) == 0 &&
		strspn(cells, "0123456789abcdef") == 2,
		"bucket line: %s", cells);
	free(out);
}

/* ---- Hashes ---- */

void test_hash_bits(void)
{
	seed_hash(18);
	uint8_t buf[100];
	for (int i = 0; i < N(buf); i++)
		buf[i] = (uint8_t)(i * 37);
	/* Every bit of every length up to 100 changes the hash. */
	for (uintptr_t n = 0; n <= 100; n++) {
		uint8_t *key = malloc(n ? n : 1);     /* ASan: no reads past n */
		memcpy(key, buf, n);
		uint64_t h = memhash(key, 1, n);
		EXPECTF(h != memhash(key, 2, n), "len %lu: seed ignored",
			(unsigned long)n);
		if (n > 0)
			EXPECTF(h != memhash(key, 1, n - 1), "len %lu vs %lu",
				(unsigned long)n, (unsigned long)n - 1);
		for (uintptr_t b = 0; b < n * 8; b++) {
			key[b / 8] ^= (uint8_t)(1 << b % 8);
			if (!EXPECTF(memhash(key, 1, n) != h, "len %lu: bit %lu "
				     "ignored", (unsigned long)n, (unsigned long)b))
				return;
			key[b / 8] ^= (uint8_t)(1 << b % 8);
		}
		free(key);
	}
	/* The fixed-size hashes and strhash. */
	for (int b = 0; b < 64; b++) {
		uint64_t x = 12345, y = x ^ (1ull << b);
		EXPECT(memhash64(&x, 3) != memhash64(&y, 3));
		uint32_t x32 = 12345, y32 = x32 ^ (1u << (b % 32));
		EXPECT(memhash32(&x32, 3) != memhash32(&y32, 3));
	}
	uint64_t x = 5;
	EXPECT(memhash64(&x, 3) != memhash64(&x, 4));
	char s1[] = "hello, world", s2[] = "hello, world";
	gostring_t g1 = gostr(s1), g2 = gostr(s2);
	EXPECT_EQ(strhash(&g1, 9), strhash(&g2, 9));
	EXPECT_EQ(strhash(&g1, 9), memhash(s1, 9, 12));
	/* hashkey_set: the same seed, the same key; each word odd. */
	uint64_t seed[4] = { 1, 2, 3, 4 }, k1[4];
	hashkey_set(seed);
	memcpy(k1, hashkey, sizeof k1);
	hashkey_set(seed);
	EXPECT(memcmp(k1, hashkey, sizeof k1) == 0);
	for (int i = 0; i < 4; i++)
		EXPECT((hashkey[i] & 1) && (hashkey[i] >> 32 & 1));
	seed[0] = 0;
	hashkey_set(seed);
	EXPECT(hashkey[0] != k1[0] && hashkey[1] == k1[1]);
}

/* Chi-square of n values' bits [shift, shift + bits) over 2^bits bins. */
static double chi_square(const uint64_t *h, int n, int shift, int bits)
{
	int bins = 1 << bits;
	int *count = calloc((size_t)bins, sizeof *count);
	for (int i = 0; i < n; i++)
		count[(h[i] >> shift) & (uint64_t)(bins - 1)]++;
	double e = (double)n / bins, chi = 0;
	for (int i = 0; i < bins; i++)
		chi += (count[i] - e) * (count[i] - e) / e;
	free(count);
	return chi;
}

/* Within 6 standard deviations (sqrt(2 dof)) above the mean (dof)? */
static bool chi_ok(double chi, int bits)
{
	double dof = (1 << bits) - 1, over = chi - dof;
	return over < 0 || over * over < 36 * 2 * dof;
}

/*
 * Keys in arithmetic progression (i, i << 32) and decimal strings: the
 * bucket bits and the tophash must be as even as random ones (a
 * chi-square within 6 sigma), for several secrets.  A single-multiply
 * hash64 failed this for about one secret in seven.
 */
void test_hash_spread(void)
{
	enum { NH = 1 << 16 };
	static const char *const kinds[] = { "memhash64(i)", "memhash64(i << 32)",
					     "memhash(\"i\")", "memhash32(i)" };
	uint64_t *h = malloc(NH * sizeof *h);
	for (uint64_t s = 0; s < 16; s++) {
		seed_hash(100 + s);
		for (int kind = 0; kind < N(kinds); kind++) {
			for (int i = 0; i < NH; i++) {
				int64_t k = kind == 1 ? (int64_t)i << 32 : i;
				uint32_t k32 = (uint32_t)i;
				char buf[24];
				int n = snprintf(buf, sizeof buf, "%d", i);
				h[i] = kind == 2 ? memhash(buf, 77, (uintptr_t)n)
				     : kind == 3 ? memhash32(&k32, 77)
						 : memhash64(&k, 77);
			}
			double lo = chi_square(h, NH, 0, 10);   /* bucket bits */
			double top = chi_square(h, NH, 56, 8);  /* tophash */
			bool ok = chi_ok(lo, 10) && chi_ok(top, 8);
			EXPECTF(ok, "%s, hashkey seed %lu: chi-square %.1f "
				"(low 10 bits, 1023 dof), %.1f (top 8, "
				"255 dof)", kinds[kind],
				(unsigned long)(100 + s), lo, top);
		}
	}
	free(h);
}

