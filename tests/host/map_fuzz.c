/*
 * map_fuzz.c - a libFuzzer target for maps (runtime/map.c, mapfast.c,
 * mapiter.c): the input is a program of map operations, run against a
 * reference; any disagreement aborts (libFuzzer keeps the input).
 *
 * Two maps live through one input: map[int64]int64 over keys 0..4095
 * (taken by the typed wrappers, so the 8-byte fast paths, or by the
 * generic calls, as the input says) and map[string]int64 over 64 strings
 * of 1 to 40 bytes.  Each operation is one byte, maybe followed by
 * operands (missing ones read as 0):
 *
 *     op % 16   0-3 put int, 4 delete int, 5 get int, 6 get2 int,
 *               7 put string, 8 delete string, 9 get2 string,
 *               10 range step on the int map, 11 on the string map,
 *               12 insert a run of keys (growth), 13 delete a run,
 *               14 clear one map, 15 a new int map with a size hint.
 *
 * An int key is one byte, or two (op bit 4) for the whole 0..4095.
 * Checks: every lookup against the reference; a range returns only keys
 * present, with their values at that moment, and at its end every key
 * present for the whole range exactly once (ranges go on across clears,
 * as in Go 1.21); at the end of the input a full range and a lookup of
 * every key.  Then every GC block of the input is freed.
 *
 * Build and run by hand, longer than make does:
 *     make -C tests/host ../../build/host/map_fuzz
 *     build/host/map_fuzz -max_total_time=600 -jobs=2 corpus/
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gohart_map.h"
#include "rt_stubs.h"
#include "runtime/hash.h"

MAP_DECLARE(fimap, int64_t, int64_t, MAP_KEY_INT64)
MAP_DECLARE(fsmap, gostring_t, int64_t, MAP_KEY_STR)

#define IKEYS 4096
#define SKEYS 64

static char strs[SKEYS][48];
static intptr_t strlens[SKEYS];

/* The reference for one map, and its one live range. */
struct fref {
	bool present[IKEYS];
	int64_t val[IKEYS];
	uint32_t since[IKEYS];  /* operation that last put it in */
	uint32_t seen[IKEYS];   /* the range epoch that last returned it */
	uint8_t times[IKEYS];   /* how often in that range */
	int64_t count;
	uint16_t list[IKEYS], pos[IKEYS];      /* list[0..count): present */
	struct map_iter it;
	bool ranging;
	uint32_t t0, epoch;
};

static struct fref iref, sref;
static map_t im, sm;
static uint32_t opno;

/* The input, read byte by byte (0 past its end). */
static const uint8_t *in;
static size_t inlen, inpos;

static unsigned next_byte(void)
{
	return inpos < inlen ? in[inpos++] : 0;
}

#define FAIL(...)                                     \
	do {                                          \
		fprintf(stderr, "map_fuzz: op %u: ", opno); \
		fprintf(stderr, __VA_ARGS__);         \
		fprintf(stderr, "\n");                \
		abort();                              \
	} while (0)

static gostring_t skey(int i)
{
	return (gostring_t){ strs[i], strlens[i] };
}

static void ref_put(struct fref *r, int k, int64_t v)
{
	if (!r->present[k]) {
		r->present[k] = true;
		r->since[k] = opno;
		r->pos[k] = (uint16_t)r->count;
		r->list[r->count++] = (uint16_t)k;
	}
	r->val[k] = v;
}

static void ref_delete(struct fref *r, int k)
{
	if (!r->present[k])
		return;
	r->present[k] = false;
	uint16_t last = r->list[--r->count];
	r->list[r->pos[k]] = last;
	r->pos[last] = r->pos[k];
}

static void ref_clear(struct fref *r)
{
	while (r->count > 0)
		ref_delete(r, r->list[0]);
}

static void ref_reset(struct fref *r)
{
	memset(r, 0, sizeof *r);
}

/* ---- The int map: typed (fast paths) or generic calls ---- */

static void int_put(int k, int64_t v, bool generic)
{
	if (generic)
		*(int64_t *)map_assign(&fimap_type, im, &(int64_t){ k }) = v;
	else
		fimap_put(im, k, v);
	ref_put(&iref, k, v);
}

static void int_delete(int k)
{
	fimap_delete(im, k);
	ref_delete(&iref, k);
}

static void int_get(int k, bool two, bool generic)
{
	int64_t v;
	bool ok = iref.present[k];
	if (two && generic)
		v = *(const int64_t *)map_access2(&fimap_type, im, &(int64_t){ k }, &ok);
	else if (two)
		ok = fimap_get2(im, k, &v);
	else if (generic)
		v = *(const int64_t *)map_access(&fimap_type, im, &(int64_t){ k });
	else
		v = fimap_get(im, k);
	int64_t want = iref.present[k] ? iref.val[k] : 0;
	if (ok != iref.present[k] || v != want)
		FAIL("int get%s %d = %ld (%s), want %ld (%s)", two ? "2" : "", k,
		     (long)v, ok ? "found" : "absent", (long)want,
		     iref.present[k] ? "present" : "absent");
}

/* ---- The string map ---- */

static void str_put(int k, int64_t v)
{
	fsmap_put(sm, skey(k), v);
	ref_put(&sref, k, v);
}

static void str_delete(int k)
{
	fsmap_delete(sm, skey(k));
	ref_delete(&sref, k);
}

static void str_get(int k)
{
	int64_t v;
	bool ok = fsmap_get2(sm, skey(k), &v);
	int64_t want = sref.present[k] ? sref.val[k] : 0;
	if (ok != sref.present[k] || v != want)
		FAIL("string get2 \"%s\" = %ld, want %ld", strs[k], (long)v,
		     (long)want);
}

/* The key number of an iterator's key, or -1. */
static int key_number(const struct fref *r, const void *key)
{
	if (r == &iref) {
		int64_t k = *(const int64_t *)key;
		return k >= 0 && k < IKEYS ? (int)k : -1;
	}
	const gostring_t *s = key;
	int i = s->len >= 2 && s->str[0] == 's' ? atoi(s->str + 1) : -1;
	return i >= 0 && i < SKEYS && s->len == strlens[i] &&
	       memcmp(s->str, strs[i], (size_t)s->len) == 0 ? i : -1;
}

/* ---- Ranges ---- */

static void range_end(struct fref *r, const char *what)
{
	r->ranging = false;
	for (int64_t j = 0; j < r->count; j++) {
		int k = r->list[j];
		if (r->since[k] > r->t0)
			continue;
		int times = r->seen[k] == r->epoch ? r->times[k] : 0;
		if (times != 1)
			FAIL("%s range: key %d, present all along, returned %d "
			     "times", what, k, times);
	}
}

/* Check where the range is; false when it has ended. */
static bool range_check(struct fref *r, const char *what)
{
	if (r->it.key == NULL) {
		range_end(r, what);
		return false;
	}
	int k = key_number(r, r->it.key);
	if (k < 0 || !r->present[k])
		FAIL("%s range returned key %d, not in the map", what, k);
	if (*(const int64_t *)r->it.elem != r->val[k])
		FAIL("%s range: key %d = %ld, want %ld", what, k,
		     (long)*(const int64_t *)r->it.elem, (long)r->val[k]);
	if (r->seen[k] != r->epoch) {
		r->seen[k] = r->epoch;
		r->times[k] = 1;
	} else {
		r->times[k] += r->times[k] < 255;
		if (r->since[k] <= r->t0)
			FAIL("%s range returned key %d again", what, k);
	}
	return true;
}

static bool range_step(struct fref *r, const struct maptype *t, map_t m,
		       const char *what)
{
	if (!r->ranging) {
		r->ranging = true;
		r->t0 = opno;
		r->epoch++;
		map_iter_init(t, m, &r->it);
	} else {
		map_iter_next(&r->it);
	}
	return range_check(r, what);
}

/* At the end: a range with nothing else going on, and every lookup. */
static void full_check(void)
{
	iref.ranging = sref.ranging = false;
	while (range_step(&iref, &fimap_type, im, "final int"))
		;
	while (range_step(&sref, &fsmap_type, sm, "final string"))
		;
	if (map_len(im) != iref.count || map_len(sm) != sref.count)
		FAIL("len %ld and %ld, want %ld and %ld", (long)map_len(im),
		     (long)map_len(sm), (long)iref.count, (long)sref.count);
	for (int64_t j = 0; j < iref.count; j++)
		int_get(iref.list[j], true, j & 1);
	for (int k = 0; k < SKEYS; k++)
		str_get(k);
}

static void one_op(void)
{
	unsigned op = next_byte();
	int k = (int)next_byte();
	if (op & 16)
		k = (k << 8 | (int)next_byte()) % IKEYS;
	bool generic = op & 32;
	int64_t v = (int64_t)(next_byte() * 0x9e3779b97f4a7c15ull);
	switch (op % 16) {
	case 0: case 1: case 2: case 3:
		int_put(k, v, generic);
		break;
	case 4:
		int_delete(k);
		break;
	case 5:
	case 6:
		int_get(k, op % 16 == 6, generic);
		break;
	case 7:
		str_put(k % SKEYS, v);
		break;
	case 8:
		str_delete(k % SKEYS);
		break;
	case 9:
		str_get(k % SKEYS);
		break;
	case 10:
		range_step(&iref, &fimap_type, im, "int");
		break;
	case 11:
		range_step(&sref, &fsmap_type, sm, "string");
		break;
	case 12:        /* a run of up to 63 keys from k: growth */
		for (int i = 0; i < (int)(v & 63); i++)
			int_put((k + i) % IKEYS, i, generic);
		break;
	case 13:
		for (int i = 0; i < (int)(v & 63); i++)
			int_delete((k + i) % IKEYS);
		break;
	case 14:
		if (k & 1) {
			map_clear(&fimap_type, im);
			ref_clear(&iref);
		} else {
			map_clear(&fsmap_type, sm);
			ref_clear(&sref);
		}
		break;
	default:
		im = fimap_make(k);
		ref_reset(&iref);
		break;
	}
	if (map_len(im) != iref.count || map_len(sm) != sref.count)
		FAIL("len %ld and %ld, want %ld and %ld", (long)map_len(im),
		     (long)map_len(sm), (long)iref.count, (long)sref.count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool once;
	if (!once) {
		once = true;
		uint64_t seed[4] = { 1, 2, 3, 4 };
		hashkey_set(seed);
		for (int i = 0; i < SKEYS; i++) {
			int n = snprintf(strs[i], sizeof strs[i], "s%d", i);
			memset(strs[i] + n, 'x', (size_t)(i * 5 % 39));
			strlens[i] = n + i * 5 % 39;
		}
	}
	stub_fastrand_seed(size + 1);
	in = data;
	inlen = size;
	inpos = 0;
	opno = 0;
	ref_reset(&iref);
	ref_reset(&sref);
	im = fimap_make(0);
	sm = fsmap_make(0);
	while (inpos < inlen) {
		opno++;
		one_op();
	}
	opno++;
	full_check();
	im = sm = NULL;
	stub_gc_free_all();
	return 0;
}
