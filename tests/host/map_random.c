/*
 * map_random.c - map_test's randomized runs: a map against a reference
 * on long random sequences of operations, with iterators running.
 *
 * The reference is as simple as it can be: keys are numbered 0 ..
 * space-1 (each kind below turns a number into a key and a key back
 * into its number), and a few arrays indexed by number hold whether
 * the key is in the map, its value, and since when.  A list of the
 * numbers present (with each one's place in it) lets a check walk only
 * the keys present.
 *
 * One run, step by step:
 *   1. Seed hashkey, map_fastrand and the operations' PRNG from the row.
 *   2. Operations come in phases of 1,000 to 31,000, each phase with its
 *      own mix: puts 15, 30 or 45% and deletes 45, 30 or 15%, so the map
 *      fills up, drains (down to empty, where the map picks a new seed)
 *      and churns; gets and get2s are the other 40%.  A key is picked
 *      among those present or from the whole space, half and half, so
 *      that updates, hits and misses all happen even in a sparse space.
 *      Rarely (1 in 40,000) map_clear; rarer still (1 in 100,000, and
 *      at the start) a new map from map_make with some size hint.
 *   3. Every operation is checked: map_assign hands back the old value
 *      of a present key and zeroes for a new one, lookups return the
 *      reference's value or zeroes, and map_len is the reference's count.
 *   4. Two iterators advance one step after some operations (each half
 *      and a quarter of the time), starting a new range when one ends.
 *      Every key an iterator returns must be in the reference with the
 *      same value at that moment.  When a range ends, every key present
 *      for the whole range (in the map at its start, not deleted since)
 *      must have been returned exactly once.  map_clear and a new map
 *      restart both (a range across a clear may see leftovers of the
 *      bucket it was in, as in Go).
 *   5. Every 4,096 operations, the shape: map_stats against map_chains,
 *      the occupancy counts against count, the overflow buckets walked
 *      against noverflow, the load factor.  Every 100,000 and at the end,
 *      a full check: a range returning every key exactly once, and a
 *      lookup of every key present.
 * The first wrong answer ends the run, naming the operation number.
 *
 * The kinds cover every way a map stores keys and values: int64 keys
 * dense, sparse (scattered over all of int64) and noscan, int32 keys
 * with 1-byte values, gostring_t keys (looked up through a second copy
 * of each string, to compare by bytes and not by pointer), char * keys,
 * a 16-byte struct key by bytes, and 144-byte keys with 160-byte values
 * (both over 128 bytes: stored out of line).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gohart_map.h"
#include "map_random.h"
#include "rt_stubs.h"
#include "runtime/hash.h"

/* ---- Key and value kinds ---- */

struct skey {
	int32_t a, b;
	int64_t c;
};      /* 16 bytes, no padding (MAP_KEY_MEM compares every byte) */
struct sval {
	int64_t x[3];
};
struct bigkey {
	uint64_t w[18];
};      /* 144 bytes: stored out of line */
struct bigval {
	uint64_t w[20];
};

struct kind {
	const char *name;
	struct maptype t;
	uint64_t space;         /* keys are numbered 0 .. space-1 */
	/* Key number i into out; copy 0 or 1 (strings: two equal copies). */
	void (*key)(const struct kind *k, uint64_t i, int copy, void *out);
	/* The number of a key the map handed back; false if no such key. */
	bool (*index)(const struct kind *k, const void *key, uint64_t *i);
	bool fast64;    /* 8-byte keys: half the calls take mapfast.c's paths */
};

#define SPARSE_MUL 0x9e3779b97f4a7c15ull        /* odd: invertible mod 2^64 */

static uint64_t sparse_inv(void)
{
	uint64_t x = SPARSE_MUL;        /* Newton: correct bits double each time */
	for (int i = 0; i < 6; i++)
		x *= 2 - SPARSE_MUL * x;
	return x;
}

static void key_dense(const struct kind *k, uint64_t i, int copy, void *out)
{
	(void)k, (void)copy;
	*(int64_t *)out = (int64_t)i;
}

static bool index_dense(const struct kind *k, const void *key, uint64_t *i)
{
	*i = (uint64_t)*(const int64_t *)key;
	return *i < k->space;
}

static void key_sparse(const struct kind *k, uint64_t i, int copy, void *out)
{
	(void)k, (void)copy;
	*(int64_t *)out = (int64_t)(i * SPARSE_MUL);
}

static bool index_sparse(const struct kind *k, const void *key, uint64_t *i)
{
	*i = (uint64_t)*(const int64_t *)key * sparse_inv();
	return *i < k->space;
}

/* Around zero: half the keys negative. */
static void key_signed(const struct kind *k, uint64_t i, int copy, void *out)
{
	(void)copy;
	*(int64_t *)out = (int64_t)i - (int64_t)(k->space / 2);
}

static bool index_signed(const struct kind *k, const void *key, uint64_t *i)
{
	*i = (uint64_t)(*(const int64_t *)key + (int64_t)(k->space / 2));
	return *i < k->space;
}

static void key_int32(const struct kind *k, uint64_t i, int copy, void *out)
{
	(void)k, (void)copy;
	*(int32_t *)out = (int32_t)(7 * i) - 1000;
}

static bool index_int32(const struct kind *k, const void *key, uint64_t *i)
{
	int64_t x = (int64_t)*(const int32_t *)key + 1000;
	*i = (uint64_t)(x / 7);
	return x >= 0 && x % 7 == 0 && *i < k->space;
}

/* Strings: "k<i>" and a tail of 0..40 letters; two copies of each. */
static char **strpool[2];
static intptr_t *strlens;

static void make_strpool(uint64_t space)
{
	if (strlens != NULL)
		return;
	strlens = malloc(space * sizeof *strlens);
	for (int c = 0; c < 2; c++) {
		strpool[c] = malloc(space * sizeof(char *));
		for (uint64_t i = 0; i < space; i++) {
			char buf[80];
			int n = snprintf(buf, sizeof buf, "k%lu", (unsigned long)i);
			int pad = (int)(i * 7 % 41);
			memset(buf + n, 'a' + (int)(i % 26), (size_t)pad);
			buf[n + pad] = '\0';
			strpool[c][i] = strdup(buf);
			strlens[i] = n + pad;
		}
	}
}

static bool parse_str(const struct kind *k, const char *s, intptr_t len,
		      uint64_t *i)
{
	if (len < 2 || s[0] != 'k')
		return false;
	char *end;
	*i = strtoul(s + 1, &end, 10);
	return *i < k->space && strlens[*i] == len &&
	       memcmp(s, strpool[0][*i], (size_t)len) == 0 && end > s + 1;
}

static void key_gostr(const struct kind *k, uint64_t i, int copy, void *out)
{
	make_strpool(k->space);
	*(gostring_t *)out = (gostring_t){ strpool[copy][i], strlens[i] };
}

static bool index_gostr(const struct kind *k, const void *key, uint64_t *i)
{
	const gostring_t *s = key;
	return parse_str(k, s->str, s->len, i);
}

static void key_cstr(const struct kind *k, uint64_t i, int copy, void *out)
{
	make_strpool(k->space);
	*(const char **)out = strpool[copy][i];
}

static bool index_cstr(const struct kind *k, const void *key, uint64_t *i)
{
	const char *s = *(const char *const *)key;
	return s != NULL && parse_str(k, s, (intptr_t)strlen(s), i);
}

static void key_struct(const struct kind *k, uint64_t i, int copy, void *out)
{
	(void)k, (void)copy;
	*(struct skey *)out = (struct skey){ (int32_t)(i % 1000),
					     (int32_t)(i / 1000), ~(int64_t)i };
}

static bool index_struct(const struct kind *k, const void *key, uint64_t *i)
{
	struct skey want, got;
	memcpy(&got, key, sizeof got);
	*i = (uint64_t)~got.c;
	if (*i >= k->space)
		return false;
	key_struct(k, *i, 0, &want);
	return memcmp(&got, &want, sizeof got) == 0;
}

static void key_big(const struct kind *k, uint64_t i, int copy, void *out)
{
	(void)k, (void)copy;
	struct bigkey *b = out;
	for (int j = 0; j < 18; j++)
		b->w[j] = j == 0 ? i : (i + 1) * SPARSE_MUL + (uint64_t)j * 0x1234567;
}

static bool index_big(const struct kind *k, const void *key, uint64_t *i)
{
	struct bigkey want;
	*i = ((const struct bigkey *)key)->w[0];
	if (*i >= k->space)
		return false;
	key_big(k, *i, 0, &want);
	return memcmp(key, &want, sizeof want) == 0;
}

enum {
	K_DENSE, K_SPARSE, K_NOSCAN, K_INT32, K_GOSTR, K_CSTR, K_STRUCT, K_BIG,
};

static const struct kind kinds[] = {
	[K_DENSE] = { "int64 keys 0..999",
		      MAPTYPE_INIT(int64_t, int64_t, MAP_KEY_INT64, false, NULL, NULL),
		      1000, key_dense, index_dense, true },
	[K_SPARSE] = { "int64 keys, 1e6 spread over int64",
		       MAPTYPE_INIT(int64_t, int64_t, MAP_KEY_INT64, false, NULL, NULL),
		       1000000, key_sparse, index_sparse, true },
	[K_NOSCAN] = { "int64 keys -2500..2499, noscan",
		       MAPTYPE_INIT(int64_t, int64_t, MAP_KEY_INT64, true, NULL, NULL),
		       5000, key_signed, index_signed, true },
	[K_INT32] = { "int32 keys, uint8 values, noscan",
		      MAPTYPE_INIT(int32_t, uint8_t, MAP_KEY_INT32, true, NULL, NULL),
		      300, key_int32, index_int32, false },
	[K_GOSTR] = { "gostring_t keys",
		      MAPTYPE_INIT(gostring_t, int64_t, MAP_KEY_STR, false, NULL, NULL),
		      50000, key_gostr, index_gostr, false },
	[K_CSTR] = { "char * keys, 24-byte values",
		     MAPTYPE_INIT(const char *, struct sval, MAP_KEY_CSTR, false, NULL, NULL),
		     20000, key_cstr, index_cstr, false },
	[K_STRUCT] = { "16-byte struct keys by bytes, 24-byte values",
		       MAPTYPE_INIT(struct skey, struct sval, MAP_KEY_MEM, false, NULL, NULL),
		       100000, key_struct, index_struct, false },
	[K_BIG] = { "144-byte keys, 160-byte values (out of line)",
		    MAPTYPE_INIT(struct bigkey, struct bigval, MAP_KEY_MEM, false, NULL, NULL),
		    20000, key_big, index_big, false },
};

/* Value v as n bytes: every byte depends on v and its place. */
static void val_fill(uint64_t v, uint8_t *p, size_t n)
{
	for (size_t j = 0; j < n; j++)
		p[j] = (uint8_t)((v >> (8 * (j & 7))) + (j >> 3) * 97);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t j = 0; j < n; j++)
		if (p[j] != 0)
			return false;
	return true;
}

/* ---- The reference ---- */

#define NSLOT 3         /* iterators: two live ones, and full checks' */

struct ref {
	uint64_t space, n;
	uint8_t *present;
	uint64_t *val;
	uint64_t *since;        /* operation that last put it in */
	uint32_t *pos, *list;   /* list[0..n): the keys present; pos: where */
	/* per iterator slot: the range that last returned a key, how often */
	uint32_t *seen_epoch[NSLOT];
	uint8_t *seen_count[NSLOT];
};

static void ref_init(struct ref *r, uint64_t space)
{
	r->space = space;
	r->n = 0;
	r->present = calloc(space, 1);
	r->val = calloc(space, sizeof *r->val);
	r->since = calloc(space, sizeof *r->since);
	r->pos = calloc(space, sizeof *r->pos);
	r->list = calloc(space, sizeof *r->list);
	for (int s = 0; s < NSLOT; s++) {
		r->seen_epoch[s] = calloc(space, sizeof *r->seen_epoch[s]);
		r->seen_count[s] = calloc(space, 1);
	}
}

static void ref_free(struct ref *r)
{
	free(r->present);
	free(r->val);
	free(r->since);
	free(r->pos);
	free(r->list);
	for (int s = 0; s < NSLOT; s++) {
		free(r->seen_epoch[s]);
		free(r->seen_count[s]);
	}
}

static void ref_put(struct ref *r, uint64_t i, uint64_t v, uint64_t opno)
{
	if (!r->present[i]) {
		r->present[i] = 1;
		r->since[i] = opno;
		r->pos[i] = (uint32_t)r->n;
		r->list[r->n++] = (uint32_t)i;
	}
	r->val[i] = v;
}

static void ref_delete(struct ref *r, uint64_t i)
{
	if (!r->present[i])
		return;
	r->present[i] = 0;
	uint32_t last = r->list[--r->n];
	r->list[r->pos[i]] = last;
	r->pos[last] = r->pos[i];
}

static void ref_clear(struct ref *r)
{
	for (uint64_t j = 0; j < r->n; j++)
		r->present[r->list[j]] = 0;
	r->n = 0;
}

/* ---- A run ---- */

struct live_iter {
	struct map_iter it;
	bool active;
	uint64_t t0;            /* the last operation before the range began */
	uint32_t epoch;
};

struct run {
	const struct kind *k;
	const struct maptype *t;
	size_t vsize;
	map_t m;
	struct ref ref;
	struct live_iter li[NSLOT];
	uint32_t epoch;
	uint64_t opno, rng;
	bool failed, was_growing;
	bool grow;              /* mostly puts; no clears, no new maps */
	int put_pct;            /* this phase's share of puts (of 60) */
	uint64_t phase_end;
	uint8_t key[sizeof(struct bigkey)], want[sizeof(struct bigval)];
	/* what happened, for the log */
	uint64_t nput, nget, ndel, nclear, nnew, nsteps, nranges, ngrow, nsame;
	uint64_t maxcount;
	uint8_t maxB;
};

static uint64_t rnd(struct run *r)
{
	/* splitmix64 */
	uint64_t z = (r->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A failed check: say where, and end the run. */
static bool check(struct run *r, bool ok, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static bool check(struct run *r, bool ok, int line, const char *fmt, ...)
{
	if (ok)
		return true;
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	t_expect(false, __FILE__, line, "%s, op %lu: %s", r->k->name,
		 (unsigned long)r->opno, msg);
	r->failed = true;
	return false;
}
#define CHECK(r, cond, ...) check((r), (cond), __LINE__, __VA_ARGS__)

static void restart_iterators(struct run *r)
{
	for (int s = 0; s < NSLOT; s++)
		r->li[s].active = false;
}

static void op_new_map(struct run *r)
{
	static const intptr_t hints[] = { 0, 0, 1, 8, 9, 100, 3000 };
	intptr_t hint = hints[rnd(r) % (sizeof hints / sizeof hints[0])];
	r->m = map_make(r->t, hint);
	ref_clear(&r->ref);
	restart_iterators(r);
	r->was_growing = false;
	r->nnew++;
}

/* A key number: one present, or any. */
static uint64_t pick(struct run *r)
{
	uint64_t x = rnd(r);
	if ((x & 1) && r->ref.n > 0)
		return r->ref.list[(x >> 1) % r->ref.n];
	return (x >> 1) % r->ref.space;
}

/* The scratch key as a word, for the 8-byte-key calls. */
static uint64_t key64(const struct run *r)
{
	uint64_t k;
	memcpy(&k, r->key, sizeof k);
	return k;
}

static void op_put(struct run *r, uint64_t i)
{
	uint64_t x = rnd(r);
	r->k->key(r->k, i, (int)(x & 1), r->key);
	uint8_t *e = r->k->fast64 && (x & 2)
			     ? map_assign_fast64(r->t, r->m, key64(r))
			     : map_assign(r->t, r->m, r->key);
	if (r->ref.present[i]) {
		val_fill(r->ref.val[i], r->want, r->vsize);
		CHECK(r, memcmp(e, r->want, r->vsize) == 0,
		      "put key %lu: map_assign's slot lost the old value",
		      (unsigned long)i);
	} else {
		/* Zeroed, even where a deleted key's value was (noscan maps too). */
		CHECK(r, all_zero(e, r->vsize), "put key %lu (new): "
		      "map_assign's slot is not zeroed", (unsigned long)i);
	}
	uint64_t v = rnd(r);
	val_fill(v, e, r->vsize);
	ref_put(&r->ref, i, v, r->opno);
	r->nput++;
}

/* Is p what the reference says key i's lookup should give? */
static bool value_ok(struct run *r, uint64_t i, const void *p)
{
	if (!r->ref.present[i])
		return all_zero(p, r->vsize);
	val_fill(r->ref.val[i], r->want, r->vsize);
	return memcmp(p, r->want, r->vsize) == 0;
}

static void op_get(struct run *r, uint64_t i, bool two)
{
	uint64_t x = rnd(r);
	r->k->key(r->k, i, (int)(x & 1), r->key);
	bool ok = r->ref.present[i];
	uint64_t k64 = key64(r);
	const void *p;
	if (r->k->fast64 && (x & 2))
		p = two ? map_access2_fast64(r->t, r->m, k64, &ok)
			: map_access_fast64(r->t, r->m, k64);
	else
		p = two ? map_access2(r->t, r->m, r->key, &ok)
			: map_access(r->t, r->m, r->key);
	CHECK(r, p != NULL && ok == r->ref.present[i] && value_ok(r, i, p),
	      "get%s key %lu: %s, want %s", two ? "2" : "", (unsigned long)i,
	      p == NULL ? "NULL" : ok ? "found" : "absent",
	      r->ref.present[i] ? "its value" : "absent");
	r->nget++;
}

static void op_delete(struct run *r, uint64_t i)
{
	r->k->key(r->k, i, (int)(rnd(r) & 1), r->key);
	map_delete(r->t, r->m, r->key);
	ref_delete(&r->ref, i);
	r->ndel++;
}

/*
 * Ranges go on across a clear: they return nothing more of what was
 * there (Go 1.21's clear; 1.19 could return the rest of the bucket the
 * range was in), and no key was present all along.
 */
static void op_clear(struct run *r)
{
	map_clear(r->t, r->m);
	ref_clear(&r->ref);
	r->nclear++;
}

/* ---- Iterators ---- */

/* A range ended: every key present all along was returned once. */
static void iter_finish(struct run *r, int slot)
{
	struct live_iter *li = &r->li[slot];
	struct ref *f = &r->ref;
	li->active = false;
	r->nranges++;
	for (uint64_t j = 0; j < f->n; j++) {
		uint32_t i = f->list[j];
		if (f->since[i] > li->t0)
			continue;       /* added during the range */
		int times = f->seen_epoch[slot][i] == li->epoch
				    ? f->seen_count[slot][i] : 0;
		if (!CHECK(r, times == 1, "iterator %d: key %u, present for "
			   "the whole range, returned %d times", slot, i, times))
			return;
	}
}

/* Check the entry the iterator is at (or the end of the range). */
static void iter_check(struct run *r, int slot)
{
	struct live_iter *li = &r->li[slot];
	struct ref *f = &r->ref;
	if (li->it.key == NULL) {
		iter_finish(r, slot);
		return;
	}
	uint64_t i;
	if (!CHECK(r, r->k->index(r->k, li->it.key, &i),
		   "iterator %d returned a key that is no key", slot) ||
	    !CHECK(r, f->present[i], "iterator %d returned key %lu, which "
		   "is not in the map", slot, (unsigned long)i) ||
	    !CHECK(r, value_ok(r, i, li->it.elem), "iterator %d: key %lu "
		   "with a wrong value", slot, (unsigned long)i))
		return;
	if (f->seen_epoch[slot][i] != li->epoch) {
		f->seen_epoch[slot][i] = li->epoch;
		f->seen_count[slot][i] = 1;
		return;
	}
	if (f->seen_count[slot][i] < 255)
		f->seen_count[slot][i]++;
	CHECK(r, f->since[i] > li->t0, "iterator %d returned key %lu "
	      "(present for the whole range) again", slot, (unsigned long)i);
}

static void iter_step(struct run *r, int slot)
{
	struct live_iter *li = &r->li[slot];
	if (!li->active) {
		li->active = true;
		li->t0 = r->opno;
		li->epoch = ++r->epoch;
		map_iter_init(r->t, r->m, &li->it);
	} else {
		map_iter_next(&li->it);
	}
	r->nsteps++;
	iter_check(r, slot);
}

/* ---- Whole-map checks ---- */

static void check_shape(struct run *r)
{
	struct map_stats s, c;
	map_stats(r->t, r->m, &s);
	map_chains(r->t, r->m, &c);
	uintptr_t nb = (uintptr_t)1 << s.B;
	CHECK(r, s.count == (intptr_t)r->ref.n && c.count == s.count &&
	      c.B == s.B && s.nbuckets == nb && c.noverflow == s.noverflow,
	      "map_stats: count %ld B %u nbuckets %lu, map_chains count %ld B %u",
	      (long)s.count, s.B, (unsigned long)s.nbuckets, (long)c.count, c.B);
	if (s.growing)
		CHECK(r, s.noldbuckets == (s.same_size_grow ? nb : nb / 2) &&
		      s.nevacuate < s.noldbuckets,
		      "growing: %lu of %lu old buckets evacuated, B %u%s",
		      (unsigned long)s.nevacuate, (unsigned long)s.noldbuckets,
		      s.B, s.same_size_grow ? " (same size)" : "");
	else
		CHECK(r, !s.same_size_grow && s.nevacuate == 0 &&
		      s.noldbuckets == 0, "not growing, but same_size_grow %d "
		      "nevacuate %lu", s.same_size_grow,
		      (unsigned long)s.nevacuate);
	uintptr_t buckets = 0, entries = 0;
	for (int n = 0; n <= MAP_BUCKET_CNT; n++) {
		buckets += c.occupancy[n];
		entries += (uintptr_t)n * c.occupancy[n];
	}
	/* No bucket array yet (a map never written) walks nothing. */
	if (buckets != 0 || s.count != 0 || c.longest_chain != 0)
		CHECK(r, buckets == nb + c.overflow_buckets &&
		      c.longest_chain >= 1, "occupancy counts %lu buckets, "
		      "want %lu + %lu overflow", (unsigned long)buckets,
		      (unsigned long)nb, (unsigned long)c.overflow_buckets);
	/* While growing, entries still in old buckets are not counted. */
	CHECK(r, s.growing ? entries <= (uintptr_t)s.count
			   : entries == (uintptr_t)s.count,
	      "occupancy holds %lu entries, count %ld%s",
	      (unsigned long)entries, (long)s.count,
	      s.growing ? " (growing)" : "");
	/* Below 2^16 buckets every new overflow bucket is counted. */
	if (s.B < 16)
		CHECK(r, c.overflow_buckets == s.noverflow, "%lu overflow "
		      "buckets in chains, noverflow %u",
		      (unsigned long)c.overflow_buckets, s.noverflow);
	/*
	 * Load factor 6.5, which inserts during a same-size growth may pass
	 * by at most one entry per bucket (each evacuates at least one).
	 */
	CHECK(r, s.count <= 8 || (uintptr_t)s.count <= 13 * nb / 2 + nb,
	      "count %ld in 2^%u buckets", (long)s.count, s.B);
}

/* A range with nothing else going on must return each key once. */
static void full_check(struct run *r)
{
	struct live_iter *li = &r->li[NSLOT - 1];
	li->active = false;
	uint64_t before = r->nranges;
	while (!r->failed && r->nranges == before)
		iter_step(r, NSLOT - 1);
	for (uint64_t j = 0; j < r->ref.n && !r->failed; j++)
		op_get(r, r->ref.list[j], true);
}

/* ---- The loop ---- */

static void new_phase(struct run *r)
{
	static const int mix[] = { 10, 30, 50, 58 }, grow[] = { 30, 50, 58, 58 };
	r->put_pct = r->grow ? grow[rnd(r) % 4] : mix[rnd(r) % 4];
	r->phase_end = r->opno + 1000 + rnd(r) % 60000;
}

static void note_growth(struct run *r)
{
	struct map_stats s;
	map_stats(r->t, r->m, &s);
	if (s.growing && !r->was_growing) {
		r->ngrow++;
		r->nsame += s.same_size_grow;
	}
	r->was_growing = s.growing;
	if (s.B > r->maxB)
		r->maxB = s.B;
	if ((uint64_t)s.count > r->maxcount)
		r->maxcount = (uint64_t)s.count;
}

static void one_op(struct run *r)
{
	uint64_t x = rnd(r);
	unsigned pct = (unsigned)(x % 100);
	if (!r->grow && (x >> 8) % 100000 == 0)
		op_new_map(r);
	else if (!r->grow && (x >> 28) % 40000 == 0)
		op_clear(r);
	else if (pct < (unsigned)r->put_pct)
		op_put(r, pick(r));
	else if (pct < 60)
		op_delete(r, pick(r));
	else
		op_get(r, pick(r), pct >= 80);
}

void map_random_run(const void *arg)
{
	const struct map_random_row *row = arg;
	struct run *r = calloc(1, sizeof *r);
	r->k = &kinds[row->kind];
	r->t = &r->k->t;
	r->vsize = r->t->elem_size;
	r->rng = row->seed;
	r->grow = row->grow;
	uint64_t seed[4] = { row->seed, row->seed * 3, ~row->seed, 42 };
	hashkey_set(seed);
	stub_fastrand_seed(row->seed * 0x2545f4914f6cdd1dull + 1);
	ref_init(&r->ref, r->k->space);
	op_new_map(r);
	new_phase(r);
	for (r->opno = 1; r->opno <= row->ops && !r->failed; r->opno++) {
		if (r->opno >= r->phase_end)
			new_phase(r);
		one_op(r);
		if (!CHECK(r, map_len(r->m) == (intptr_t)r->ref.n,
			   "map_len %ld, want %lu", (long)map_len(r->m),
			   (unsigned long)r->ref.n))
			break;
		note_growth(r);
		uint64_t y = rnd(r);
		if (y & 1)
			iter_step(r, 0);
		if ((y & 6) == 0 && !r->failed)
			iter_step(r, 1);
		if (r->opno % 4096 == 0)
			check_shape(r);
		if (r->opno % 100000 == 0)
			full_check(r);
	}
	if (!r->failed) {
		check_shape(r);
		full_check(r);
	}
	t_logf("%s, seed %#lx: %lu ops (%lu puts, %lu gets, %lu deletes, "
	       "%lu clears, %lu new maps), %lu iterator steps in %lu ranges, "
	       "%lu growths (%lu same size), up to %lu keys, B up to %u",
	       r->k->name, (unsigned long)row->seed, (unsigned long)row->ops,
	       (unsigned long)r->nput, (unsigned long)r->nget,
	       (unsigned long)r->ndel, (unsigned long)r->nclear,
	       (unsigned long)r->nnew, (unsigned long)r->nsteps,
	       (unsigned long)r->nranges, (unsigned long)r->ngrow,
	       (unsigned long)r->nsame, (unsigned long)r->maxcount, r->maxB);
	ref_free(&r->ref);
	free(r);
}

/*
 * Two hash seeds for every kind, and two runs that fill a map to 10^5
 * keys and more (B 14) with ranges going: 4.6 million operations.
 */
const struct map_random_row map_random_rows[] = {
	{ "random/int64_dense/seed1", K_DENSE, 1, 400000, false },
	{ "random/int64_dense/seed2", K_DENSE, 0xfeedface, 400000, false },
	{ "random/int64_sparse/seed1", K_SPARSE, 1, 500000, false },
	{ "random/int64_sparse/seed2", K_SPARSE, 0xfeedface, 500000, false },
	{ "random/int64_noscan/seed1", K_NOSCAN, 1, 200000, false },
	{ "random/int64_noscan/seed2", K_NOSCAN, 0xfeedface, 200000, false },
	{ "random/int32_uint8/seed1", K_INT32, 1, 100000, false },
	{ "random/int32_uint8/seed2", K_INT32, 0xfeedface, 100000, false },
	{ "random/gostring/seed1", K_GOSTR, 1, 300000, false },
	{ "random/gostring/seed2", K_GOSTR, 0xfeedface, 300000, false },
	{ "random/cstring/seed1", K_CSTR, 1, 100000, false },
	{ "random/cstring/seed2", K_CSTR, 0xfeedface, 100000, false },
	{ "random/struct_mem/seed1", K_STRUCT, 1, 200000, false },
	{ "random/struct_mem/seed2", K_STRUCT, 0xfeedface, 200000, false },
	{ "random/big_indirect/seed1", K_BIG, 1, 100000, false },
	{ "random/big_indirect/seed2", K_BIG, 0xfeedface, 100000, false },
	{ "random/int64_sparse_fill/seed3", K_SPARSE, 3, 800000, true },
	{ "random/gostring_fill/seed3", K_GOSTR, 3, 600000, true },
};
const int map_random_nrows = sizeof map_random_rows / sizeof map_random_rows[0];
