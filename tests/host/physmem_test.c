/*
 * physmem_test.c - mm/physmem.c: free RAM = /memory minus reserved.
 *
 * physmem_subtract(ram, resv, align) is pure; it is checked on hand-made
 * cases (holes in the middle, at the edges, overlapping, covering all,
 * alignment, ranges that wrap around the address space, more pieces than
 * fit) and on random inputs against a simple reference: per RAM range,
 * sort the reserved ranges, sweep, round each gap inward to `align`.
 * physmem_init / physmem_take run on RAM reported by the HAL stubs
 * (physmem_stubs.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mm/physmem.h"
#include "physmem_stubs.h"

typedef struct hal_mem_range range;

#define MB 0x100000ul
#define TOP UINTPTR_MAX

static bool same_range(range a, range b)
{
	return a.base == b.base && a.size == b.size;
}

/* Run physmem_subtract and compare with want[0:nwant). */
static void expect_subtract(const range *ram, int nram, const range *resv,
			    int nresv, uintptr_t align, const range *want,
			    int nwant, int line)
{
	range out[PHYSMEM_MAXRANGES + 1];
	memset(out, 0xa5, sizeof out);
	int n = physmem_subtract(ram, nram, resv, nresv, align, out,
				 PHYSMEM_MAXRANGES);
	t_expect(n == nwant, __FILE__, line, "physmem_subtract: %d ranges, "
		 "want %d", n, nwant);
	for (int i = 0; i < n && i < nwant; i++)
		t_expect(same_range(out[i], want[i]), __FILE__, line,
			 "out[%d] = [%#lx, +%#lx), want [%#lx, +%#lx)", i,
			 (unsigned long)out[i].base, (unsigned long)out[i].size,
			 (unsigned long)want[i].base, (unsigned long)want[i].size);
	for (int i = 0; i < n; i++)
		t_expect(out[i].size > 0, __FILE__, line, "out[%d] empty", i);
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define SUBTRACT(ram, resv, align, want)                                   \
	expect_subtract(ram, N(ram), resv, N(resv), align, want, N(want), \
			__LINE__)

static const range ram128[] = { { 0x80000000, 128 * MB } };
static const range none[] = { { 0, 0 } };       /* a size-0 "range" */

static void test_no_reserved(void)
{
	SUBTRACT(ram128, none, PHYSMEM_ALIGN, ram128);
	expect_subtract(ram128, 1, NULL, 0, PHYSMEM_ALIGN, ram128, 1, __LINE__);
	expect_subtract(NULL, 0, NULL, 0, PHYSMEM_ALIGN, NULL, 0, __LINE__);
	static const range empty[] = { { 0x80000000, 0 } };
	expect_subtract(empty, 1, NULL, 0, PHYSMEM_ALIGN, NULL, 0, __LINE__);
}

static void test_reserved_middle(void)
{
	static const range resv[] = { { 0x80200000, MB } };
	static const range want[] = { { 0x80000000, 2 * MB },
				      { 0x80300000, 128 * MB - 3 * MB } };
	SUBTRACT(ram128, resv, PHYSMEM_ALIGN, want);
}

static void test_reserved_covers_all(void)
{
	static const range bigger[] = { { 0x70000000, 0x40000000 } };
	static const range same[] = { { 0x80000000, 128 * MB } };
	static const range two[] = { { 0x80000000, 64 * MB },
				     { 0x84000000, 64 * MB } };
	expect_subtract(ram128, 1, bigger, 1, PHYSMEM_ALIGN, NULL, 0, __LINE__);
	expect_subtract(ram128, 1, same, 1, PHYSMEM_ALIGN, NULL, 0, __LINE__);
	expect_subtract(ram128, 1, two, 2, PHYSMEM_ALIGN, NULL, 0, __LINE__);
}

static void test_overlapping_reserved(void)
{
	static const range resv[] = { { 0x80100000, 2 * MB },
				      { 0x80200000, 2 * MB },
				      { 0x80180000, 0x1000 },    /* nested */
				      { 0x80200000, 2 * MB } };  /* twice */
	static const range want[] = { { 0x80000000, MB },
				      { 0x80400000, 124 * MB } };
	SUBTRACT(ram128, resv, PHYSMEM_ALIGN, want);
}

static void test_reserved_at_edges(void)
{
	static const range resv[] = { { 0x80000000, MB },
				      { 0x88000000 - MB, MB } };
	static const range want[] = { { 0x80100000, 126 * MB } };
	SUBTRACT(ram128, resv, PHYSMEM_ALIGN, want);
	/* Touching from outside, or wholly outside: no effect. */
	static const range outside[] = { { 0x7ff00000, MB },
					 { 0x88000000, MB },
					 { 0x10000000, 0x1000 },
					 { 0x90000000, 0x10000000 } };
	SUBTRACT(ram128, outside, PHYSMEM_ALIGN, ram128);
	/* Straddling either edge. */
	static const range straddle[] = { { 0x7ff00000, 2 * MB },
					  { 0x87f00000, 2 * MB } };
	static const range want2[] = { { 0x80100000, 126 * MB } };
	SUBTRACT(ram128, straddle, PHYSMEM_ALIGN, want2);
}

static void test_alignment(void)
{
	static const range ram[] = { { 0x80000123, 0x5fff - 0x123 } };
	static const range resv[] = { { 0x80002800, 0x100 } };
	static const range want[] = { { 0x80001000, 0x1000 },
				      { 0x80003000, 0x2000 } };
	SUBTRACT(ram, resv, 0x1000, want);
	/* align 1: exact. */
	static const range want1[] = { { 0x80000123, 0x80002800 - 0x80000123 },
				       { 0x80002900, 0x80005fff - 0x80002900 } };
	SUBTRACT(ram, resv, 1, want1);
	/* A piece smaller than a page vanishes. */
	static const range small[] = { { 0x1001, 0xffe } };
	expect_subtract(small, 1, NULL, 0, 0x1000, NULL, 0, __LINE__);
	/* Large alignment. */
	static const range want2m[] = { { 0x80000000 + 2 * MB, 4 * MB } };
	static const range ram2[] = { { 0x80000000 + MB, 6 * MB } };
	expect_subtract(ram2, 1, NULL, 0, 2 * MB, want2m, 1, __LINE__);
}

static void test_sorted(void)
{
	static const range ram[] = { { 0xc0000000, 16 * MB },
				     { 0x80000000, 16 * MB },
				     { 0xa0000000, 16 * MB } };
	static const range resv[] = { { 0xa0400000, MB },
				      { 0x80800000, MB } };
	static const range want[] = { { 0x80000000, 8 * MB },
				      { 0x80900000, 7 * MB },
				      { 0xa0000000, 4 * MB },
				      { 0xa0500000, 11 * MB },
				      { 0xc0000000, 16 * MB } };
	SUBTRACT(ram, resv, PHYSMEM_ALIGN, want);
}

/* Ranges whose end does not fit in a uintptr_t. */
static void test_wrap(void)
{
	/* A RAM range that wraps is dropped; the others are kept. */
	static const range ram[] = { { TOP - 0xfff, 0x2000 },
				     { 0x80000000, 16 * MB } };
	static const range want[] = { { 0x80000000, 16 * MB } };
	expect_subtract(ram, 2, NULL, 0, PHYSMEM_ALIGN, want, 1, __LINE__);
	/* A reserved range that wraps reserves to the end. */
	static const range resv[] = { { 0x80100000, TOP } };
	static const range want2[] = { { 0x80000000, MB } };
	SUBTRACT(ram128, resv, PHYSMEM_ALIGN, want2);
	static const range resv_all[] = { { 0x1000, TOP } };
	expect_subtract(ram128, 1, resv_all, 1, PHYSMEM_ALIGN, NULL, 0, __LINE__);
	/* RAM in the last page: rounding its base up wraps, so nothing. */
	static const range last[] = { { TOP - 0xffe, 0x800 } };
	expect_subtract(last, 1, NULL, 0, 0x1000, NULL, 0, __LINE__);
	/* RAM just below the top, aligned: kept. */
	static const range high[] = { { TOP - 0x1fff, 0x1000 } };
	expect_subtract(high, 1, NULL, 0, 0x1000, high, 1, __LINE__);
}

/* Holes every 2 MiB: 11 pieces, only max fit. */
static void test_more_than_max(void)
{
	range resv[10], out[8];
	for (int i = 0; i < 10; i++)
		resv[i] = (range){ 0x80100000 + (uintptr_t)i * 2 * MB, MB };
	memset(out, 0xa5, sizeof out);
	int n = physmem_subtract(ram128, 1, resv, 10, PHYSMEM_ALIGN, out, 4);
	EXPECT_EQ(n, 4);
	for (int i = 0; i < n; i++) {
		uintptr_t b = out[i].base;
		bool piece = (b == 0x80000000 && out[i].size == MB) ||
			     ((b - 0x80000000) % (2 * MB) == 0 &&
			      out[i].size == (b == 0x80000000 + 20 * MB ?
					      108 * MB : MB));
		EXPECTF(piece, "out[%d] = [%#lx, +%#lx) is not a piece", i,
			(unsigned long)b, (unsigned long)out[i].size);
		if (i > 0)
			EXPECTF(out[i - 1].base + out[i - 1].size <= b,
				"out[%d] and out[%d] unsorted or overlapping",
				i - 1, i);
	}
	EXPECT_EQ(out[4].base, (uintptr_t)0xa5a5a5a5a5a5a5a5ull); /* untouched */
	n = physmem_subtract(ram128, 1, resv, 10, PHYSMEM_ALIGN, out, 0);
	EXPECT_EQ(n, 0);
}

/* PHYSMEM_MAXRANGES pieces out of one range: all of them. */
static void test_many_holes(void)
{
	range resv[PHYSMEM_MAXRANGES - 1], want[PHYSMEM_MAXRANGES];
	for (int i = 0; i < PHYSMEM_MAXRANGES - 1; i++) {
		resv[PHYSMEM_MAXRANGES - 2 - i] =
			(range){ 0x80000000 + (uintptr_t)(2 * i + 1) * MB, MB };
		want[i] = (range){ 0x80000000 + (uintptr_t)(2 * i) * MB, MB };
	}
	want[PHYSMEM_MAXRANGES - 1] = (range){ 0x80000000 + 126 * MB, 2 * MB };
	SUBTRACT(ram128, resv, PHYSMEM_ALIGN, want);
}

/* ---- Random inputs against a reference --------------------------------- */

static uint64_t rng = 88172645463325252ull;

static uintptr_t rnd(uintptr_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uintptr_t)(rng % n);
}

static int cmp_base(const void *a, const void *b)
{
	const range *x = a, *y = b;
	return x->base < y->base ? -1 : x->base > y->base;
}

static int cmp_uintptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
	return x < y ? -1 : x > y;
}

static void ref_emit(range *out, int *n, uintptr_t b, uintptr_t e,
		     uintptr_t align)
{
	uintptr_t ab = (b + align - 1) & ~(align - 1);
	uintptr_t ae = e & ~(align - 1);
	if (ab >= b && ab < ae)
		out[(*n)++] = (range){ ab, ae - ab };
}

/*
 * The reference: per RAM range, the reserved ranges clipped to it and
 * sorted, then a sweep emitting the gaps.  A reserved end that wraps is
 * the top of the address space.
 */
static int ref_subtract(const range *ram, int nram, const range *resv,
			int nresv, uintptr_t align, range *out)
{
	int n = 0;
	for (int i = 0; i < nram; i++) {
		uintptr_t b = ram[i].base, e = b + ram[i].size;
		if (e <= b)
			continue;
		range cut[64];
		int ncut = 0;
		for (int k = 0; k < nresv; k++) {
			uintptr_t rb = resv[k].base, re = rb + resv[k].size;
			if (re < rb)
				re = TOP;
			rb = rb > b ? rb : b;
			re = re < e ? re : e;
			if (rb < re)
				cut[ncut++] = (range){ rb, re - rb };
		}
		qsort(cut, (size_t)ncut, sizeof cut[0], cmp_base);
		uintptr_t cur = b;
		for (int k = 0; k < ncut; k++) {
			if (cut[k].base > cur)
				ref_emit(out, &n, cur, cut[k].base, align);
			if (cut[k].base + cut[k].size > cur)
				cur = cut[k].base + cut[k].size;
		}
		if (cur < e)
			ref_emit(out, &n, cur, e, align);
	}
	qsort(out, (size_t)n, sizeof out[0], cmp_base);
	return n;
}

/* Up to 4 disjoint RAM ranges in a 256 KiB window, in random order. */
static int random_ram(range *ram)
{
	uintptr_t cuts[8];
	int n = 1 + (int)rnd(4);
	for (int i = 0; i < 2 * n; i++)
		cuts[i] = 0x80000000 + rnd(512) * 0x200;
	qsort(cuts, (size_t)(2 * n), sizeof cuts[0], cmp_uintptr);
	for (int i = 0; i < n; i++)
		ram[i] = (range){ cuts[2 * i], cuts[2 * i + 1] - cuts[2 * i] };
	for (int i = n - 1; i > 0; i--) {
		int j = (int)rnd((uintptr_t)i + 1);
		range t = ram[i];
		ram[i] = ram[j];
		ram[j] = t;
	}
	return n;
}

/* Up to 8 reserved ranges, never empty; some reach past the window or wrap. */
static int random_resv(range *resv)
{
	int n = (int)rnd(9);
	for (int i = 0; i < n; i++) {
		uintptr_t b = 0x80000000 - 0x1000 + rnd(600) * 0x100;
		uintptr_t size = 1 + rnd(0x8000);
		if (rnd(16) == 0)
			size = TOP - rnd(0x1000);       /* wraps */
		resv[i] = (range){ b, size };
	}
	return n;
}

static void test_random(void)
{
	static const uintptr_t aligns[] = { 1, 0x200, 0x1000, 0x10000 };
	int bad = 0;
	for (int iter = 0; iter < 5000 && bad < 5; iter++) {
		range ram[4], resv[8];
		range out[PHYSMEM_MAXRANGES], want[PHYSMEM_MAXRANGES];
		int nram = random_ram(ram), nresv = random_resv(resv);
		uintptr_t align = aligns[rnd(4)];
		int nwant = ref_subtract(ram, nram, resv, nresv, align, want);
		int n = physmem_subtract(ram, nram, resv, nresv, align, out,
					 PHYSMEM_MAXRANGES);
		bool same = n == nwant;
		for (int i = 0; same && i < n; i++)
			same = same_range(out[i], want[i]);
		if (!same) {
			bad++;
			EXPECTF(false, "case %d (%d ram, %d resv, align %#lx): %d "
				"ranges, reference %d", iter, nram, nresv,
				(unsigned long)align, n, nwant);
		}
	}
}

/* ---- physmem_init and physmem_take, on the stub HAL -------------------- */

static void setup_stubs(void)
{
	stub_nram = 2;
	stub_ram[0] = (range){ 0x80000000, 128 * MB };
	stub_ram[1] = (range){ 0x90000000, 0x2000 };
	stub_nresv = 2;
	stub_resv[0] = (range){ 0x80000000, 2 * MB };   /* firmware, kernel */
	stub_resv[1] = (range){ 0x87f00000, MB };       /* device tree */
	physmem_init();
}

static void test_init(void)
{
	range out[4];
	setup_stubs();
	EXPECT_EQ(physmem_total(), 128 * MB + 0x2000);
	EXPECT_EQ(physmem_free(), 125 * MB + 0x2000);
	EXPECT_EQ(physmem_ranges(out, 4), 2);
	EXPECT_EQ(out[0].base, 0x80200000);
	EXPECT_EQ(out[0].size, 125 * MB);
	EXPECT_EQ(out[1].base, 0x90000000);
	EXPECT_EQ(physmem_ranges(out, 1), 1);
}

/* Takes come from the top of the highest range that fits. */
static void test_take(void)
{
	setup_stubs();
	uint64_t free0 = physmem_free();
	EXPECT_EQ((uintptr_t)physmem_take(0x1000, 0x1000), 0x90001000);
	EXPECT_EQ((uintptr_t)physmem_take(0x4000, 0x1000), 0x87efc000);
	EXPECT_EQ((uintptr_t)physmem_take(MB, MB), 0x87d00000);
	EXPECT_EQ((uintptr_t)physmem_take(0x1000, 0x1000), 0x90000000);
	/* Whole pages only: 16 bytes take a page, page-aligned. */
	EXPECT_EQ((uintptr_t)physmem_take(0x10, 8), 0x87cff000);
	EXPECT_EQ(physmem_free(), free0 - (0x87f00000 - 0x87cff000) - 0x2000);
	range out[4];
	EXPECT_EQ(physmem_ranges(out, 4), 2);
	EXPECT_EQ(out[1].size, 0);
}

static void test_empty_hal(void)
{
	stub_nram = stub_nresv = 0;
	physmem_init();
	EXPECT_EQ(physmem_total(), 0);
	EXPECT_EQ(physmem_free(), 0);
	range out[1];
	EXPECT_EQ(physmem_ranges(out, 1), 0);
}

/* ---- Known bugs -------------------------------------------------------- */

/* A zero-size reserved range inside RAM must change nothing. */
static void test_zero_size_reserved(const void *arg)
{
	(void)arg;
	static const range resv[] = { { 0x80001800, 0 } };
	SUBTRACT(ram128, resv, PHYSMEM_ALIGN, ram128);
}

/* RAM listed twice (overlapping /memory nodes) must not be free twice. */
static void test_overlapping_ram(const void *arg)
{
	(void)arg;
	static const range ram[] = { { 0x80000000, 128 * MB },
				     { 0x84000000, 128 * MB } };
	static const range want[] = { { 0x80000000, 192 * MB } };
	expect_subtract(ram, 2, NULL, 0, PHYSMEM_ALIGN, want, 1, __LINE__);
}

int main(int argc, char **argv)
{
	t_init(&argc, argv);
	t_run("no_reserved", test_no_reserved);
	t_run("reserved_middle", test_reserved_middle);
	t_run("reserved_covers_all", test_reserved_covers_all);
	t_run("overlapping_reserved", test_overlapping_reserved);
	t_run("reserved_at_edges", test_reserved_at_edges);
	t_run("alignment", test_alignment);
	t_run("sorted", test_sorted);
	t_run("wrap", test_wrap);
	t_run("more_than_max", test_more_than_max);
	t_run("many_holes", test_many_holes);
	t_run("random_vs_reference", test_random);
	t_run("init", test_init);
	t_run("take", test_take);
	t_run("empty_hal", test_empty_hal);
	t_run_arg("zero_size_reserved", test_zero_size_reserved, NULL);
	t_run_arg("overlapping_ram", test_overlapping_ram, NULL);
	return t_finish("physmem_test");
}
