/*
 * map_test.c - maps: growth as the Go toolchain grows them, correctness
 * against a reference on random operations with iterators running, and
 * the misuse Go detects.
 *
 * map_growth_matches_go is the C twin of tests/oracle/mapgrow.go; its
 * output must be what `go run` prints.  For the size hints it uses a map
 * with 1-byte keys and no values (24-byte buckets): B depends on the hint
 * only, and hint 1000000 would otherwise take 40 MiB of buckets.
 */
#include <stdio.h>
#include <string.h>

#include "gohart.h"
#include "gohart_map.h"
#include "golden.h"
#include "testing.h"

GOLDEN(mapgrow);

MAP_DECLARE_NOSCAN(imap, int64_t, int64_t, MAP_KEY_INT64)
MAP_DECLARE(smap, gostring_t, int64_t, MAP_KEY_STR)
struct empty {};
MAP_DECLARE_NOSCAN(tiny, uint8_t, struct empty, MAP_KEY_MEM)
MAP_DECLARE(cmap, const char *, int, MAP_KEY_CSTR)
MAP_DECLARE_NOSCAN(i32map, int32_t, int32_t, MAP_KEY_INT32)

static uint8_t map_B(const struct maptype *t, map_t m)
{
	struct map_stats s;
	map_stats(t, m, &s);
	return s.B;
}

/* fmt.Sprint(i), on the GC heap. */
static gostring_t itoa_str(int64_t i)
{
	char buf[24];
	int n = snprintf(buf, sizeof buf, "%ld", (long)i);
	char *p = gc_alloc_noscan((size_t)n);
	memcpy(p, buf, (size_t)n);
	return (gostring_t){ p, n };
}

TEST(map_growth_matches_go)
{
	t_needmem(t, 200);      /* about 30 MiB of bucket arrays */
	golden_reset();
	golden_printf("# int64 keys\n");
	map_t mi = imap_make(0);
	uint8_t last = map_B(&imap_type, mi);
	golden_printf("insert n=0 B=%u\n", last);
	for (int64_t i = 0; i < 200000; i++) {
		imap_put(mi, i, i);
		uint8_t b = map_B(&imap_type, mi);
		if (b != last) {
			golden_printf("insert n=%ld B=%u\n", (long)(i + 1), b);
			last = b;
		}
	}
	golden_printf("# string keys\n");
	map_t ms = smap_make(0);
	last = map_B(&smap_type, ms);
	golden_printf("insert n=0 B=%u\n", last);
	for (int64_t i = 0; i < 20000; i++) {
		smap_put(ms, itoa_str(i), i);
		uint8_t b = map_B(&smap_type, ms);
		if (b != last) {
			golden_printf("insert n=%ld B=%u\n", (long)(i + 1), b);
			last = b;
		}
	}
	golden_printf("# hints\n");
	static const intptr_t hints[] = { 0, 1, 7, 8, 9, 12, 13, 14, 26, 27, 52,
		53, 100, 104, 105, 1000, 6656, 6657, 100000, 1000000 };
	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
		golden_printf("hint %ld B=%u\n", (long)hints[i],
			      map_B(&tiny_type, tiny_make(hints[i])));
	golden_printf("# after inserts\n");
	static const int64_t ns[] = { 8, 9, 13, 14, 26, 27, 53, 100000 };
	for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
		map_t m = imap_make(0);
		for (int64_t i = 0; i < ns[k]; i++)
			imap_put(m, i, i);
		golden_printf("after %ld B=%u count=%ld\n", (long)ns[k],
			      map_B(&imap_type, m), (long)map_len(m));
	}
	golden_check(t, golden_mapgrow, golden_mapgrow_end);
}

/* ---- Basic semantics ---- */

TEST(map_nil_map_reads_as_empty)
{
	map_t m = NULL;
	int64_t v = 5;
	EXPECT_EQ(t, imap_get(m, 1), 0);
	EXPECT(t, !imap_get2(m, 1, &v));
	EXPECT_EQ(t, v, 0);
	EXPECT_EQ(t, map_len(m), 0);
	imap_delete(m, 1);
	struct map_iter it;
	int n = 0;
	MAP_RANGE(imap, m, it)
		n++;
	EXPECT_EQ(t, n, 0);
}

TEST(map_put_get_delete)
{
	map_t m = imap_make(0);
	for (int64_t i = 0; i < 1000; i++)
		imap_put(m, i * 7, i);
	EXPECT_EQ(t, map_len(m), 1000);
	for (int64_t i = 0; i < 1000; i++)
		EXPECT_EQ(t, imap_get(m, i * 7), i);
	int64_t v;
	EXPECT(t, !imap_get2(m, 3, &v));
	imap_put(m, 7, -1);                     /* overwrite */
	EXPECT_EQ(t, imap_get(m, 7), -1);
	EXPECT_EQ(t, map_len(m), 1000);
	for (int64_t i = 0; i < 1000; i += 2)
		imap_delete(m, i * 7);
	EXPECT_EQ(t, map_len(m), 500);
	EXPECT(t, !imap_get2(m, 0, &v));
	EXPECT(t, imap_get2(m, 7 * 999, &v) && v == 999);
	imap_delete(m, 3);                      /* absent: nothing happens */
	EXPECT_EQ(t, map_len(m), 500);
}

TEST(map_string_keys_compare_bytes)
{
	t_needmem(t, 128);      /* leaves over 100 KiB: see testing.h */
	map_t m = smap_make(0);
	char a[] = "hello", b[] = "hello";
	smap_put(m, gostr(a), 1);
	EXPECT_EQ(t, smap_get(m, gostr(b)), 1);  /* other pointer, same bytes */
	smap_put(m, GOSTR(""), 2);
	EXPECT_EQ(t, smap_get(m, GOSTR("")), 2);
	smap_put(m, (gostring_t){ "hello", 4 }, 3); /* "hell" */
	EXPECT_EQ(t, map_len(m), 3);
	EXPECT_EQ(t, smap_get(m, GOSTR("hell")), 3);
	map_t c = cmap_make(0);
	cmap_put(c, "one", 1);
	cmap_put(c, "two", 2);
	char one[] = "one";
	EXPECT_EQ(t, cmap_get(c, one), 1);
	EXPECT_EQ(t, cmap_get(c, "three"), 0);
	map_t i32 = i32map_make(0);
	for (int32_t i = -500; i < 500; i++)
		i32map_put(i32, i, -i);
	EXPECT_EQ(t, i32map_get(i32, -499), 499);
	EXPECT_EQ(t, map_len(i32), 1000);
}

/* Keys and values over 128 bytes live outside the buckets. */
struct bigkey {
	char name[200];
};
struct bigval {
	int64_t a[40];
};
MAP_DECLARE(bigmap, struct bigkey, struct bigval, MAP_KEY_MEM)

TEST(map_big_keys_and_values_are_indirect)
{
	EXPECT_EQ(t, bigmap_type.flags & (MAPTYPE_INDIRECT_KEY | MAPTYPE_INDIRECT_ELEM),
		  MAPTYPE_INDIRECT_KEY | MAPTYPE_INDIRECT_ELEM);
	EXPECT_EQ(t, bigmap_type.bucketsize, 8 + 8 * 8 + 8 * 8 + 8);
	map_t m = bigmap_make(0);
	for (int i = 0; i < 100; i++) {
		struct bigkey k = { 0 };
		struct bigval v = { 0 };
		snprintf(k.name, sizeof k.name, "key-%d", i);
		v.a[39] = i;
		bigmap_put(m, k, v);
	}
	for (int i = 0; i < 100; i++) {
		struct bigkey k = { 0 };
		snprintf(k.name, sizeof k.name, "key-%d", i);
		EXPECT_EQ(t, bigmap_get(m, k).a[39], i);
	}
	struct bigkey absent = { "nope" };
	struct bigval z = bigmap_get(m, absent);  /* zero value, > 128 bytes */
	EXPECT_EQ(t, z.a[0] | z.a[39], 0);
}

TEST(map_hint_presizes_without_growth)
{
	map_t m = imap_make(1000);
	struct map_stats s;
	imap_stats(m, &s);
	EXPECT_EQ(t, s.B, 8);
	for (int64_t i = 0; i < 1000; i++)
		imap_put(m, i, i);
	map_chains(&imap_type, m, &s);
	EXPECT_EQ(t, s.B, 8);
	EXPECT(t, !s.growing);
	uintptr_t entries = 0;
	for (int n = 0; n <= MAP_BUCKET_CNT; n++)
		entries += s.occupancy[n] * (uintptr_t)n;
	EXPECT_EQ(t, entries, 1000);
}

TEST(map_clear_empties_and_reuses)
{
	t_needmem(t, 128);      /* leaves over 100 KiB: see testing.h */
	map_t m = imap_make(0);
	for (int64_t i = 0; i < 2000; i++)
		imap_put(m, i, i);
	uint8_t b = map_B(&imap_type, m);
	map_clear(&imap_type, m);
	EXPECT_EQ(t, map_len(m), 0);
	EXPECT_EQ(t, map_B(&imap_type, m), b);  /* the array is kept */
	int64_t v;
	EXPECT(t, !imap_get2(m, 10, &v));
	imap_put(m, 10, 11);
	EXPECT_EQ(t, imap_get(m, 10), 11);
}

/* Deleting leaves chains that a same-size growth packs again. */
TEST(map_churn_triggers_same_size_growth)
{
	/*
	 * Keep 103 live keys (16 buckets hold up to 104 without doubling)
	 * while inserting ever new random ones and deleting the oldest.  A
	 * bucket whose share of the keys passes 8 gets an overflow bucket
	 * and keeps it; same-size growth starts once there are 16.  With
	 * random keys each bucket passes 8 about one time in five, so that
	 * takes some hundreds of rounds; the bound is far above.
	 */
	enum { LIVE = 103 };
	int64_t ring[LIVE];
	uint64_t x = 0x853c49e6748fea9bull;
	map_t m = imap_make(0);
	bool saw_same_size = false;
	for (long round = 0; round < 1000000 && !saw_same_size; round++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int64_t k = (int64_t)(x >> 1);
		if (round >= LIVE)
			imap_delete(m, ring[round % LIVE]);
		ring[round % LIVE] = k;
		imap_put(m, k, k);
		struct map_stats s;
		imap_stats(m, &s);
		saw_same_size = s.growing && s.same_size_grow;
	}
	EXPECT(t, saw_same_size);
	for (int i = 0; i < LIVE; i++)
		EXPECT_EQ(t, imap_get(m, ring[i]), ring[i]);
}

/* ---- Iteration ---- */

/* Range over m, counting each key of [0, n) seen; all must be once. */
static void expect_each_once(T *t, map_t m, int64_t n)
{
	static uint8_t seen[200000];
	REQUIRE(t, n <= (int64_t)sizeof seen);
	memset(seen, 0, (size_t)n);
	struct map_iter it;
	MAP_RANGE(imap, m, it) {
		int64_t k = map_iter_key(int64_t, it);
		REQUIRE(t, k >= 0 && k < n);
		EXPECT_EQ(t, map_iter_elem(int64_t, it), k);
		seen[k]++;
	}
	for (int64_t k = 0; k < n; k++)
		if (seen[k] != 1)
			t_fatalf(t, "key %ld seen %d times", (long)k, seen[k]);
}

TEST(map_iteration_sees_each_key_once_during_growth)
{
	t_needmem(t, 128);      /* leaves over 100 KiB: see testing.h */
	map_t m = imap_make(0);
	int64_t n = 0;
	struct map_stats s;
	bool was_growing = false;
	int grows = 0;
	for (; grows < 7 && n < 100000; n++) {
		imap_put(m, n, n);
		imap_stats(m, &s);
		if (s.growing && !was_growing) {
			/* growth just began: most old buckets still hold entries */
			expect_each_once(t, m, n + 1);
			grows++;
		}
		was_growing = s.growing;
	}
	EXPECT_EQ(t, grows, 7);
}

TEST(map_iteration_survives_growth_it_did_not_start_in)
{
	t_needmem(t, 128);      /* leaves over 100 KiB: see testing.h */
	/* Start ranging, then grow the map twice over while ranging. */
	map_t m = imap_make(0);
	const int64_t n0 = 200;
	for (int64_t i = 0; i < n0; i++)
		imap_put(m, i, i);
	static uint8_t seen[4000];
	memset(seen, 0, sizeof seen);
	struct map_iter it;
	int64_t added = n0, steps = 0;
	MAP_RANGE(imap, m, it) {
		int64_t k = map_iter_key(int64_t, it);
		REQUIRE(t, k >= 0 && k < 4000);
		seen[k]++;
		if (k < n0)
			EXPECT_EQ(t, map_iter_elem(int64_t, it), k);
		if (steps++ % 4 == 0 && added < 4000) {
			for (int j = 0; j < 20; j++, added++)
				imap_put(m, added, added);
		}
	}
	for (int64_t k = 0; k < 4000; k++) {
		if (k < n0 && seen[k] != 1)
			t_errorf(t, "old key %ld seen %d times", (long)k, seen[k]);
		if (k >= n0 && seen[k] > 1)
			t_errorf(t, "new key %ld seen %d times", (long)k, seen[k]);
	}
}

TEST(map_delete_all_while_ranging)
{
	t_needmem(t, 128);      /* leaves over 100 KiB: see testing.h */
	map_t m = imap_make(0);
	for (int64_t i = 0; i < 3000; i++)
		imap_put(m, i, i);
	struct map_iter it;
	int64_t n = 0;
	MAP_RANGE(imap, m, it) {
		imap_delete(m, map_iter_key(int64_t, it));
		n++;
	}
	EXPECT_EQ(t, n, 3000);
	EXPECT_EQ(t, map_len(m), 0);
}

TEST(map_deleted_keys_are_not_returned_later)
{
	t_needmem(t, 128);      /* leaves over 100 KiB: see testing.h */
	map_t m = imap_make(0);
	for (int64_t i = 0; i < 2000; i++)
		imap_put(m, i, i);
	struct map_iter it;
	bool first = true;
	int64_t n = 0;
	MAP_RANGE(imap, m, it) {
		int64_t k = map_iter_key(int64_t, it);
		if (first) {
			/* delete every other key except the one we are on */
			for (int64_t j = 0; j < 2000; j += 2)
				if (j != k)
					imap_delete(m, j);
			first = false;
		} else {
			EXPECT(t, k % 2 == 1);
		}
		n++;
	}
	EXPECT(t, n == 1000 || n == 1001);
}

TEST(map_iteration_order_is_random)
{
	map_t m = imap_make(0);
	for (int64_t i = 0; i < 100; i++)
		imap_put(m, i, i);
	bool firsts[100] = { false };
	int distinct = 0;
	for (int r = 0; r < 50; r++) {
		struct map_iter it;
		imap_iter(m, &it);
		int64_t k = map_iter_key(int64_t, it);
		if (!firsts[k]) {
			firsts[k] = true;
			distinct++;
		}
	}
	/* 16 buckets x 8 offsets: 50 starts from one place is (1/128)^49 */
	EXPECT(t, distinct >= 5);
	/* Differs from boot to boot (unless randseed= is given): */
	struct map_stats s;
	imap_stats(m, &s);
	struct map_iter it;
	imap_iter(m, &it);
	t_logf(t, "hash0 %#x, first key %ld", s.hash0,
	       (long)map_iter_key(int64_t, it));
}

/* A range across a clear returns nothing more, even mid-growth (Go 1.21). */
TEST(map_clear_during_range_and_growth_ends_the_range)
{
	map_t m = imap_make(0);
	for (int64_t i = 0; i < 26; i++)
		imap_put(m, i, i);
	struct map_iter it;
	imap_iter(m, &it);                      /* on an entry of the old array */
	imap_put(m, 26, 26);                    /* 27 > 6.5 * 4: growth starts */
	struct map_stats s;
	imap_stats(m, &s);
	EXPECT(t, s.growing);
	map_clear(&imap_type, m);
	int more = 0;
	for (map_iter_next(&it); it.key != NULL; map_iter_next(&it))
		more++;
	EXPECT_EQ(t, more, 0);
	EXPECT_EQ(t, map_len(m), 0);
}

/* A deleted slot reused by a new key gives a zero value (noscan too). */
TEST(map_new_key_in_reused_slot_reads_zero)
{
	map_t m = imap_make(0);
	imap_put(m, 1, 777);
	imap_delete(m, 1);
	EXPECT_EQ(t, *(int64_t *)map_assign(&imap_type, m, &(int64_t){ 2 }), 0);
	imap_delete(m, 2);
	EXPECT_EQ(t, *(int64_t *)map_assign_fast64(&imap_type, m, 3), 0);
}

TEST_FATAL(map_assign_to_nil_map_panics, 2,
	   "panic: assignment to entry in nil map\n\ngoroutine 1 [running]:")
{
	map_t m = NULL;
	imap_put(m, 1, 2);
}

TEST_FATAL(map_assign_to_nil_string_map_panics, 2,
	   "panic: assignment to entry in nil map\n")
{
	smap_put(NULL, GOSTR("k"), 1);          /* the generic path */
}
