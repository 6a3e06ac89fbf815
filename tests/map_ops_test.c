/*
 * map_ops_test.c - maps against a reference on long random operation
 * sequences with iterators running, and the concurrent misuse Go
 * detects, on one cpu and across cpus.
 *
 * The reference for int keys in [0, KEYS) is a plain array: present[k]
 * and value[k].  While operations run, a range is kept going, a step
 * every few operations, and checked as Go's spec promises: every key it
 * returns is in the map with its current value, and when it ends, each
 * key present for the whole range was returned exactly once.
 *
 * The misuse tests make the overlap certain instead of hoping for it:
 * a key type whose equality function yields the cpu lets a second
 * goroutine use the map while a write is half done.  One more test has
 * two goroutines on different cpus write one map for real, as a user
 * bug would.
 */
#include <stdatomic.h>
#include <string.h>

#include "gohart.h"
#include "gohart_map.h"
#include "testing.h"

MAP_DECLARE_NOSCAN(refmap, int64_t, int64_t, MAP_KEY_INT64)
MAP_DECLARE(strmap, gostring_t, int64_t, MAP_KEY_STR)

#define KEYS 6000

static struct {
	bool present[KEYS];
	int64_t value[KEYS];
	uint32_t seen[KEYS];    /* range number that returned the key */
	bool stable[KEYS];      /* present for the whole current range */
} ref;

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: a fixed sequence, so a failure reproduces */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

struct ranger {
	struct map_iter it;
	uint32_t epoch;
	bool live;
};

/*
 * The same sequences run on int64 keys and on string keys ("k<n>"):
 * key_of gives the key for reference index n, index_of the way back.
 */
static const struct maptype *optype;
static gostring_t strkeys[KEYS];
static int64_t intkeys[KEYS];

static const void *key_of(int64_t n)
{
	return optype == &strmap_type ? (const void *)&strkeys[n]
				      : (const void *)&intkeys[n];
}

static int64_t index_of(const void *key)
{
	if (optype != &strmap_type)
		return *(const int64_t *)key;
	const gostring_t *s = key;
	int64_t n = 0;
	for (intptr_t i = 1; i < s->len; i++)
		n = n * 10 + (s->str[i] - '0');
	return n;
}

static void make_keys(void)
{
	for (int64_t n = 0; n < KEYS; n++) {
		char *p = gc_alloc_noscan(8);
		int len = 0;
		char digits[8];
		int64_t v = n;
		do
			digits[len++] = (char)('0' + v % 10);
		while ((v /= 10) > 0);
		p[0] = 'k';
		for (int i = 0; i < len; i++)
			p[1 + i] = digits[len - 1 - i];
		strkeys[n] = (gostring_t){ p, len + 1 };
		intkeys[n] = n;
	}
}

static void range_start(map_t m, struct ranger *r)
{
	r->epoch++;
	for (int k = 0; k < KEYS; k++)
		ref.stable[k] = ref.present[k];
	map_iter_init(optype, m, &r->it);
	r->live = true;
}

/* Check the entry the range is on, or the range's end. */
static void range_check(T *t, struct ranger *r)
{
	if (r->it.key == NULL) {
		for (int k = 0; k < KEYS; k++)
			if (ref.stable[k] && ref.seen[k] != r->epoch)
				t_fatalf(t, "range %u missed key %d", r->epoch, k);
		r->live = false;
		return;
	}
	int64_t k = index_of(r->it.key);
	if (k < 0 || k >= KEYS || !ref.present[k])
		t_fatalf(t, "range returned absent key %ld", (long)k);
	if (map_iter_elem(int64_t, r->it) != ref.value[k])
		t_fatalf(t, "range returned key %ld with a stale value", (long)k);
	if (ref.stable[k] && ref.seen[k] == r->epoch)
		t_fatalf(t, "range returned key %ld twice", (long)k);
	ref.seen[k] = r->epoch;
}

/* Int keys alternate between the fast paths (typed) and the generic ones. */
static bool ref_get(map_t m, int64_t k, int64_t *v)
{
	bool ok;
	if (optype == &refmap_type && (k & 1))
		return refmap_get2(m, k, v);
	*v = *(const int64_t *)map_access2(optype, m, key_of(k), &ok);
	return ok;
}

static void ref_put(map_t m, int64_t k, int64_t v)
{
	if (optype == &refmap_type && (k & 2))
		refmap_put(m, k, v);
	else
		*(int64_t *)map_assign(optype, m, key_of(k)) = v;
}

static void random_ops(T *t, const struct maptype *type, long nops,
		       int64_t keyspace)
{
	optype = type;
	map_t m = map_make(type, 0);
	memset(&ref, 0, sizeof ref);
	struct ranger r = { .epoch = 0 };
	long count = 0;
	for (long op = 0; op < nops; op++) {
		int64_t k = (int64_t)(rnd() % (uint64_t)keyspace);
		uint64_t what = rnd() % 1000;
		int64_t v;
		if (what < 450) {
			int64_t nv = (int64_t)rnd();
			ref_put(m, k, nv);
			count += !ref.present[k];
			ref.present[k] = true;
			ref.value[k] = nv;
		} else if (what < 750) {
			map_delete(type, m, key_of(k));
			count -= ref.present[k];
			ref.present[k] = false;
			ref.stable[k] = false;
		} else if (what < 999) {
			bool ok = ref_get(m, k, &v);
			if (ok != ref.present[k] || (ok && v != ref.value[k]))
				t_fatalf(t, "op %ld: get(%ld) = %ld,%d, want %ld,%d", op,
					 (long)k, (long)v, ok, (long)ref.value[k],
					 ref.present[k]);
		} else if (rnd() % 8 == 0) {
			map_clear(type, m);
			memset(ref.present, 0, sizeof ref.present);
			memset(ref.stable, 0, sizeof ref.stable);
			count = 0;              /* a range goes on across a clear */
		}
		if (map_len(m) != count)
			t_fatalf(t, "op %ld: len %ld, want %ld", op, (long)map_len(m),
				 count);
		if (op % 3 == 0) {
			if (!r.live)
				range_start(m, &r);
			else
				map_iter_next(&r.it);
			range_check(t, &r);
		}
	}
	for (int64_t k = 0; k < keyspace; k++) {
		int64_t v;
		bool ok = ref_get(m, k, &v);
		if (ok != ref.present[k] || (ok && v != ref.value[k]))
			t_fatalf(t, "final get(%ld) wrong", (long)k);
	}
	EXPECT(t, r.epoch > 10);
}

TEST(map_random_ops_match_reference)
{
	t_needmem(t, 128);      /* about 1 MiB of garbage: see testing.h */
	make_keys();
	rng_state = 0x9e3779b97f4a7c15ull;
	random_ops(t, &refmap_type, 1000000, 200);   /* churn: same-size growth */
	rng_state = 0x243f6a8885a308d3ull;
	random_ops(t, &refmap_type, 1000000, KEYS);  /* repeated doubling */
	rng_state = 0x13198a2e03707344ull;
	random_ops(t, &strmap_type, 500000, 300);
	rng_state = 0xa4093822299f31d0ull;
	random_ops(t, &strmap_type, 500000, KEYS);
}

/* ---- Misuse ---- */

/* A key whose equality yields, once armed: a write stalls half done. */
static atomic_int armed, inside;

static uint64_t yhash(const void *key, uintptr_t seed)
{
	return memhash64(key, seed);
}

static bool yequal(const void *a, const void *b)
{
	if (atomic_load(&armed)) {
		atomic_store(&inside, 1);
		for (;;)
			gohart_gosched();       /* until the other one dies */
	}
	return *(const int64_t *)a == *(const int64_t *)b;
}

MAP_DECLARE_FUNCS(ymap, int64_t, int64_t, yhash, yequal)

static void stalled_writer(void *arg)
{
	ymap_put(arg, 1, 2);    /* key 1 exists: yequal runs mid-write */
}

/* A map with key 1, and a goroutine stuck inside a write to it. */
static map_t map_with_stalled_writer(void)
{
	map_t m = ymap_make(0);
	ymap_put(m, 1, 1);
	atomic_store(&armed, 1);
	go(stalled_writer, m);
	while (!atomic_load(&inside))
		gohart_gosched();
	atomic_store(&armed, 0);
	return m;
}

TEST_FATAL(map_concurrent_writes_fatal, 2,
	   "fatal error: concurrent map writes\n\ngoroutine 1 [running]:")
{
	map_t m = map_with_stalled_writer();
	ymap_put(m, 3, 3);
}

TEST_FATAL(map_concurrent_read_and_write_fatal, 2,
	   "fatal error: concurrent map read and map write\n")
{
	map_t m = map_with_stalled_writer();
	ymap_get(m, 3);
}

TEST_FATAL(map_concurrent_iteration_and_write_fatal, 2,
	   "fatal error: concurrent map iteration and map write\n")
{
	map_t m = ymap_make(0);
	for (int64_t i = 0; i < 20; i++)
		ymap_put(m, i, i);
	struct map_iter it;
	ymap_iter(m, &it);
	atomic_store(&armed, 1);
	go(stalled_writer, m);
	while (!atomic_load(&inside))
		gohart_gosched();
	map_iter_next(&it);
}

TEST_FATAL(map_delete_during_write_fatal, 2,
	   "fatal error: concurrent map writes\n")
{
	map_t m = map_with_stalled_writer();
	ymap_delete(m, 1);
}

/*
 * The bug as users write it: several cpus writing one map at once.  Each
 * cpu runs racing_writer at the same moment (gohart_on_each_cpu: no
 * chance that the scheduler keeps the writers on one cpu, taking turns).
 * They only overwrite existing keys, so the map's shape never changes
 * and the first overlap is caught cleanly.  On one cpu nothing overlaps,
 * so there the stalled writer stands in for the second cpu.
 */
static void racing_writer(void *arg)
{
	map_t m = arg;
	for (int64_t i = 0;; i++)
		refmap_put(m, i & 7, i);
}

TEST_FATAL(map_writes_from_two_cpus_fatal, 2,
	   "fatal error: concurrent map writes\n")
{
	if (gohart_ncpu() < 2) {
		map_t m = map_with_stalled_writer();
		ymap_put(m, 1, 1);
	}
	map_t m = refmap_make(8);
	for (int64_t i = 0; i < 8; i++)
		refmap_put(m, i, i);
	gohart_on_each_cpu(racing_writer, m);
}
