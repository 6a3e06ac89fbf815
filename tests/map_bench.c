/*
 * map_bench.c - what maps and slices cost, in instructions per operation
 * (make bench: -icount, one cpu; figures in docs/BENCHMARKS.md).
 *
 * Shapes follow Go's runtime/map_benchmark_test.go: lookups of keys that
 * are present, assignments that overwrite (BenchmarkMapAssign), inserts
 * into a map that grows as it goes, a range per element, and append per
 * element.
 */
#include "gohart.h"
#include "gohart_map.h"
#include "testing.h"

MAP_DECLARE_NOSCAN(bmap64, int64_t, int64_t, MAP_KEY_INT64)
MAP_DECLARE(bstr, gostring_t, int64_t, MAP_KEY_STR)

static map_t filled(int64_t n)
{
	map_t m = bmap64_make(0);
	for (int64_t i = 0; i < n; i++)
		bmap64_put(m, i, i);
	return m;
}

static void get_bench(B *b, int64_t n)
{
	map_t m = filled(n);
	int64_t sum = 0, k = 0;
	b_reset_timer(b);
	for (long i = 0; i < b->n; i++) {
		sum += bmap64_get(m, k);
		if (++k == n)
			k = 0;
	}
	if (sum == -1)
		gohart_panic("unreachable");
}

static void put_bench(B *b, int64_t n)
{
	map_t m = filled(n);
	int64_t k = 0;
	b_reset_timer(b);
	for (long i = 0; i < b->n; i++) {
		bmap64_put(m, k, i);
		if (++k == n)
			k = 0;
	}
}

BENCH(bench_map_get_int64_1000) { get_bench(b, 1000); }
BENCH(bench_map_get_int64_100000) { get_bench(b, 100000); }
BENCH(bench_map_put_int64_1000) { put_bench(b, 1000); }
BENCH(bench_map_put_int64_100000) { put_bench(b, 100000); }

/* Inserting new keys, growth included (amortized over 10000 inserts). */
BENCH(bench_map_insert_growing)
{
	map_t m = bmap64_make(0);
	for (long i = 0; i < b->n; i++) {
		if (i % 10000 == 0)
			m = bmap64_make(0);
		bmap64_put(m, i, i);
	}
}

BENCH(bench_map_get_string_1000)
{
	static gostring_t keys[1000];
	map_t m = bstr_make(0);
	for (int i = 0; i < 1000; i++) {
		char *p = gc_alloc_noscan(16);
		int len = 0;
		for (int v = i + 100000; v > 0; v /= 10)
			p[len++] = (char)('a' + v % 10);
		keys[i] = (gostring_t){ p, len };
		bstr_put(m, keys[i], i);
	}
	int64_t sum = 0;
	b_reset_timer(b);
	for (long i = 0; i < b->n; i++)
		sum += bstr_get(m, keys[i % 1000]);
	if (sum == -1)
		gohart_panic("unreachable");
}

/* One op is one element of a range over a map of 1000. */
BENCH(bench_map_range_per_element)
{
	map_t m = filled(1000);
	int64_t sum = 0;
	b_reset_timer(b);
	for (long done = 0; done < b->n;) {
		struct map_iter it;
		MAP_RANGE(bmap64, m, it) {
			sum += map_iter_elem(int64_t, it);
			if (++done == b->n)
				break;
		}
	}
	if (sum == -1)
		gohart_panic("unreachable");
}

/* One op is one append to a slice that starts empty every 1000. */
BENCH(bench_slice_append_per_element)
{
	slice_t s = { 0 };
	for (long i = 0; i < b->n; i++) {
		if (i % 1000 == 0)
			s = (slice_t){ 0 };
		s = slice_append(int64_t, s, i);
	}
}
