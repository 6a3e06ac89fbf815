/*
 * pagealloc_test.c - mm/pagealloc.c: the page allocator.
 *
 * The allocator never touches the pages it manages, only its metadata,
 * so each case runs it over a made-up arena at 0x80000000 (up to 2^20
 * pages, 8 GiB of address space) with the metadata in a static buffer
 * filled with garbage first.  Hand-made cases check the contract: every
 * page starts in use, first fit by address, exact fits and skipped
 * holes, coalescing of neighbours, runs across chunk boundaries and
 * across many chunks, the whole arena, exhaustion, the last chunk's
 * pages past the arena, and misuse (double free and the rest) reaching
 * pagealloc_fatal, which this file defines to record the message.  A
 * table runs the same checks on arenas of 1 to 2^20 pages, and a
 * randomized run compares 200,000 allocs and frees with a reference (one
 * byte per page, linear first fit).  Last, the search cost: tree nodes
 * read per alloc (pa.visits) must stay under 4*log2(chunks) + 8.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mm/pagealloc.h"

#define BASE ((uintptr_t)0x80000000)
#define PG(i) (BASE + (uintptr_t)(i) * PAGE_SIZE)
#define MAX_ARENA ((uintptr_t)1 << 20)
#define CHUNK PAGEALLOC_CHUNK_PAGES

/* Metadata for the largest arena: 2^20 / 8 bytes of bits + the tree. */
static uint64_t meta[(MAX_ARENA / 8 + 2 * (MAX_ARENA / CHUNK) *
		     sizeof(struct pagealloc_sum)) / 8];

/* pagealloc_fatal: count the calls and keep the last message. */
static int nfatal;
static const char *last_fatal;

void pagealloc_fatal(const char *msg)
{
	nfatal++;
	last_fatal = msg;
}

/* A fresh allocator over npages pages at BASE, all in use. */
static struct pagealloc arena(uintptr_t npages)
{
	struct pagealloc pa;
	size_t size = pagealloc_meta_size(npages);
	if (!EXPECTF(size <= sizeof meta, "meta_size(%lu) = %zu, buffer %zu",
		     (unsigned long)npages, size, sizeof meta))
		exit(3);
	memset(meta, 0xa5, size);
	pagealloc_init(&pa, BASE, npages, meta);
	return pa;
}

/* Free pages [i, i + n). */
static void free_pages(struct pagealloc *pa, uintptr_t i, uintptr_t n)
{
	pagealloc_free(pa, PG(i), n);
}

/* alloc(n) must return page want (or 0 when want < 0). */
static void expect_alloc(struct pagealloc *pa, uintptr_t n, long want,
			 int line)
{
	uintptr_t got = pagealloc_alloc(pa, n);
	uintptr_t w = want < 0 ? 0 : PG(want);
	t_expect(got == w, __FILE__, line, "alloc(%lu) = page %ld, want %ld",
		 (unsigned long)n, got ? (long)((got - BASE) / PAGE_SIZE) : -1,
		 want);
}
#define ALLOC(pa, n, want) expect_alloc(pa, n, want, __LINE__)

static void test_init_all_in_use(void)
{
	struct pagealloc pa = arena(1000);
	EXPECT_EQ(pagealloc_free_pages(&pa), 0);
	EXPECT_EQ(pagealloc_longest_run(&pa), 0);
	for (uintptr_t i = 0; i < 1024; i++)
		EXPECTF(!pagealloc_is_free(&pa, PG(i)), "page %lu free",
			(unsigned long)i);
	EXPECT(!pagealloc_is_free(&pa, BASE - PAGE_SIZE));
	ALLOC(&pa, 1, -1);
	EXPECT_EQ(nfatal, 0);
}

static void test_round_trip(void)
{
	struct pagealloc pa = arena(1000);
	free_pages(&pa, 100, 10);
	EXPECT_EQ(pagealloc_free_pages(&pa), 10);
	EXPECT_EQ(pagealloc_longest_run(&pa), 10);
	EXPECT(!pagealloc_is_free(&pa, PG(99)));
	EXPECT(pagealloc_is_free(&pa, PG(100)));
	EXPECT(pagealloc_is_free(&pa, PG(109) + 123));  /* inside the page */
	EXPECT(!pagealloc_is_free(&pa, PG(110)));
	ALLOC(&pa, 10, 100);
	EXPECT_EQ(pagealloc_free_pages(&pa), 0);
	EXPECT(!pagealloc_is_free(&pa, PG(100)));
	free_pages(&pa, 100, 10);
	ALLOC(&pa, 4, 100);
	ALLOC(&pa, 6, 104);
	ALLOC(&pa, 1, -1);
	EXPECT_EQ(nfatal, 0);
}

static void test_lowest_first(void)
{
	struct pagealloc pa = arena(2000);
	free_pages(&pa, 0, 2000);
	for (long i = 0; i < 100; i++)
		ALLOC(&pa, 1, i);
	free_pages(&pa, 50, 1);
	free_pages(&pa, 5, 1);
	ALLOC(&pa, 1, 5);
	ALLOC(&pa, 1, 50);
	ALLOC(&pa, 1, 100);
	free_pages(&pa, 7, 3);          /* below the free tail at 101 */
	ALLOC(&pa, 3, 7);
	EXPECT_EQ(nfatal, 0);
}

static void test_exact_fit_and_skip(void)
{
	struct pagealloc pa = arena(100);
	free_pages(&pa, 10, 3);         /* too small for 5 */
	free_pages(&pa, 20, 5);         /* exactly 5 */
	free_pages(&pa, 40, 5);
	ALLOC(&pa, 5, 20);
	ALLOC(&pa, 3, 10);              /* exact fit in the first hole */
	ALLOC(&pa, 5, 40);
	ALLOC(&pa, 1, -1);
	free_pages(&pa, 60, 8);
	free_pages(&pa, 70, 4);
	ALLOC(&pa, 6, 60);              /* leaves 66..67 */
	ALLOC(&pa, 3, 70);
	ALLOC(&pa, 2, 66);
	ALLOC(&pa, 1, 73);
	EXPECT_EQ(nfatal, 0);
}

/* Every other page free: no two together until a neighbour comes free. */
static void test_fragmentation(void)
{
	struct pagealloc pa = arena(1024);
	for (uintptr_t i = 0; i < 1024; i += 2)
		free_pages(&pa, i, 1);
	EXPECT_EQ(pagealloc_free_pages(&pa), 512);
	EXPECT_EQ(pagealloc_longest_run(&pa), 1);
	ALLOC(&pa, 2, -1);
	free_pages(&pa, 601, 1);        /* 600..602 coalesce */
	EXPECT_EQ(pagealloc_longest_run(&pa), 3);
	ALLOC(&pa, 3, 600);
	ALLOC(&pa, 2, -1);
	free_pages(&pa, 511, 1);        /* 510..512, across the chunks */
	EXPECT_EQ(pagealloc_longest_run(&pa), 3);
	ALLOC(&pa, 2, 510);
	ALLOC(&pa, 1, 0);
	ALLOC(&pa, 1, 2);
	EXPECT_EQ(pagealloc_free_pages(&pa), 512 + 2 - 3 - 2 - 1 - 1);
	EXPECT_EQ(nfatal, 0);
}

static void test_cross_chunk(void)
{
	struct pagealloc pa = arena(4 * CHUNK);
	free_pages(&pa, 500, 31);       /* 500..530, across 512 */
	EXPECT_EQ(pagealloc_longest_run(&pa), 31);
	ALLOC(&pa, 31, 500);
	free_pages(&pa, 500, 12);       /* the two halves, separately */
	free_pages(&pa, 512, 19);
	EXPECT_EQ(pagealloc_longest_run(&pa), 31);
	free_pages(&pa, 0, 10);
	ALLOC(&pa, 20, 500);
	ALLOC(&pa, 10, 0);
	ALLOC(&pa, 11, 520);
	free_pages(&pa, 1020, 30);      /* across 1024, the tree's middle */
	ALLOC(&pa, 25, 1020);
	/* Exactly one chunk, aligned and not. */
	free_pages(&pa, 1536, 512);
	EXPECT_EQ(pagealloc_longest_run(&pa), 512);
	ALLOC(&pa, 512, 1536);
	free_pages(&pa, 1100, 512);
	ALLOC(&pa, 512, 1100);
	EXPECT_EQ(nfatal, 0);
}

static void test_long_runs(void)
{
	struct pagealloc pa = arena(20000);
	free_pages(&pa, 100, 5000);     /* 10 chunks and a bit */
	ALLOC(&pa, 5001, -1);
	ALLOC(&pa, 5000, 100);
	EXPECT_EQ(pagealloc_free_pages(&pa), 0);
	/* A run that straddles the root's middle (page 16384). */
	free_pages(&pa, 16384 - 3000, 6000);
	free_pages(&pa, 1000, 4000);    /* lower, but too short */
	ALLOC(&pa, 6000, 16384 - 3000);
	ALLOC(&pa, 4000, 1000);
	free_pages(&pa, 0, 20000);
	ALLOC(&pa, 10000, 0);
	ALLOC(&pa, 10000, 10000);
	ALLOC(&pa, 1, -1);
	free_pages(&pa, 3, 10000);
	EXPECT_EQ(pagealloc_longest_run(&pa), 10000);
	ALLOC(&pa, 9999, 3);
	EXPECT_EQ(nfatal, 0);
}

static void test_exhaustion(void)
{
	struct pagealloc pa = arena(1500);
	free_pages(&pa, 0, 1500);
	uintptr_t n = 0, prev = 0;
	for (uintptr_t a; (a = pagealloc_alloc(&pa, 3)) != 0; n++) {
		EXPECT(n == 0 || a == prev + 3 * PAGE_SIZE);
		prev = a;
	}
	EXPECT_EQ(n, 500);
	EXPECT_EQ(pagealloc_free_pages(&pa), 0);
	EXPECT_EQ(pagealloc_longest_run(&pa), 0);
	ALLOC(&pa, 1, -1);
	free_pages(&pa, 1499, 1);       /* the last page; 1500..2047 stay out */
	ALLOC(&pa, 2, -1);
	ALLOC(&pa, 1, 1499);
	EXPECT_EQ(nfatal, 0);
}

/* Misuse reaches pagealloc_fatal and changes nothing. */
static void test_fatal(void)
{
	struct pagealloc pa = arena(1000);
	free_pages(&pa, 10, 5);
	struct {
		uintptr_t addr, n;
		const char *msg;
	} bad[] = {
		{ PG(12), 1, "pagealloc_free: page already free" },
		{ PG(5), 10, "pagealloc_free: page already free" },
		{ PG(14), 2, "pagealloc_free: page already free" },
		{ PG(20), 0, "pagealloc_free: zero pages" },
		{ PG(20) + 8, 1, "pagealloc_free: unaligned address" },
		{ BASE - PAGE_SIZE, 1, "pagealloc_free: pages outside the arena" },
		{ PG(1000), 1, "pagealloc_free: pages outside the arena" },
		{ PG(1001), 1, "pagealloc_free: pages outside the arena" },
		{ PG(990), 11, "pagealloc_free: pages outside the arena" },
		{ PG(990), UINTPTR_MAX, "pagealloc_free: pages outside the arena" },
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		nfatal = 0;
		last_fatal = NULL;
		pagealloc_free(&pa, bad[k].addr, bad[k].n);
		EXPECTF(nfatal == 1, "case %zu: %d fatal calls", k, nfatal);
		EXPECT_STREQ(last_fatal, bad[k].msg);
		EXPECT_EQ(pagealloc_free_pages(&pa), 5);
		EXPECT_EQ(pagealloc_longest_run(&pa), 5);
	}
	nfatal = 0;
	EXPECT_EQ(pagealloc_alloc(&pa, 0), 0);
	EXPECT_EQ(nfatal, 1);
	EXPECT_STREQ(last_fatal, "pagealloc_alloc: zero pages");
	nfatal = 0;
	ALLOC(&pa, 5, 10);              /* still intact */
	EXPECT_EQ(nfatal, 0);

	/* A refused init leaves an empty arena. */
	struct pagealloc bad_pa;
	pagealloc_init(&bad_pa, BASE + 1, 10, meta);
	EXPECT_EQ(nfatal, 1);
	EXPECT_STREQ(last_fatal, "pagealloc_init: unaligned base");
	EXPECT_EQ(pagealloc_alloc(&bad_pa, 1), 0);
	pagealloc_init(&bad_pa, 0, 10, meta);
	EXPECT_STREQ(last_fatal, "pagealloc_init: arena at address 0");
	pagealloc_init(&bad_pa, BASE, 10, (char *)meta + 4);
	EXPECT_STREQ(last_fatal, "pagealloc_init: bad metadata pointer");
	pagealloc_init(&bad_pa, BASE, PAGEALLOC_MAX_PAGES + 1, meta);
	EXPECT_STREQ(last_fatal, "pagealloc_init: arena too large");
	pagealloc_init(&bad_pa, UINTPTR_MAX - 3 * PAGE_SIZE + 1, 4, meta);
	EXPECT_STREQ(last_fatal, "pagealloc_init: arena wraps around");
	EXPECT_EQ(nfatal, 5);
}

/*
 * One arena size: free everything at once, alloc it whole, then sizes
 * 1, 2, 4, ... 2^20 back to back (each fits only while the sum does).
 */
static void test_size(const void *arg)
{
	uintptr_t n = *(const uintptr_t *)arg;
	struct pagealloc pa = arena(n);
	ALLOC(&pa, 1, -1);
	free_pages(&pa, 0, n);
	EXPECT_EQ(pagealloc_free_pages(&pa), n);
	EXPECT_EQ(pagealloc_longest_run(&pa), n);
	EXPECT(pagealloc_is_free(&pa, PG(n - 1)));
	EXPECT(!pagealloc_is_free(&pa, PG(n)));
	ALLOC(&pa, n + 1, -1);
	ALLOC(&pa, n, 0);
	ALLOC(&pa, 1, -1);
	EXPECT_EQ(pagealloc_free_pages(&pa), 0);
	free_pages(&pa, 0, n);
	uintptr_t used = 0;
	for (uintptr_t s = 1; s <= MAX_ARENA; s *= 2) {
		bool fits = used + s <= n;
		ALLOC(&pa, s, fits ? (long)used : -1);
		if (fits)
			used += s;
	}
	EXPECT_EQ(pagealloc_free_pages(&pa), n - used);
	EXPECT_EQ(pagealloc_longest_run(&pa), n - used);
	free_pages(&pa, 0, used);
	EXPECT_EQ(pagealloc_longest_run(&pa), n);
	if (n > 2) {                    /* the first and last pages alone */
		ALLOC(&pa, n, 0);
		free_pages(&pa, 0, 1);
		free_pages(&pa, n - 1, 1);
		ALLOC(&pa, 2, -1);
		ALLOC(&pa, 1, 0);
		ALLOC(&pa, 1, (long)n - 1);
	}
	EXPECT_EQ(nfatal, 0);
}

/* ---- Randomized, against a reference ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* The reference: one byte per page, 1 = in use. */
struct ref {
	uintptr_t n, nfree;
	unsigned char *used;
};

static long ref_alloc(struct ref *r, uintptr_t n)
{
	uintptr_t run = 0;
	for (uintptr_t i = 0; i < r->n; i++) {
		run = r->used[i] ? 0 : run + 1;
		if (run == n) {
			memset(r->used + i + 1 - n, 1, n);
			r->nfree -= n;
			return (long)(i + 1 - n);
		}
	}
	return -1;
}

static uintptr_t ref_longest(const struct ref *r)
{
	uintptr_t run = 0, best = 0;
	for (uintptr_t i = 0; i < r->n; i++) {
		run = r->used[i] ? 0 : run + 1;
		if (run > best)
			best = run;
	}
	return best;
}

/* A random size: mostly small, sometimes tens, now and then hundreds+. */
static uintptr_t random_size(uintptr_t big)
{
	uint64_t x = rng() % 100;
	if (x < 70)
		return 1 + rng() % 8;
	if (x < 95)
		return 1 + rng() % 64;
	return 1 + rng() % big;
}

/* Live allocations, to free at random: page and length. */
struct live {
	uintptr_t page, n;
};

static bool random_step(struct pagealloc *pa, struct ref *r,
			struct live *live, size_t *nlive, uintptr_t big)
{
	if (*nlive > 0 && rng() % 100 < 45) {
		size_t k = rng() % *nlive;
		struct live *l = &live[k];
		uintptr_t n = l->n;
		if (n > 1 && rng() % 4 == 0)
			n = 1 + rng() % (n - 1);        /* free a head only */
		pagealloc_free(pa, PG(l->page), n);
		memset(r->used + l->page, 0, n);
		r->nfree += n;
		l->page += n;
		l->n -= n;
		if (l->n == 0)
			*l = live[--*nlive];
		return true;
	}
	uintptr_t n = random_size(big);
	long want = ref_alloc(r, n);
	uintptr_t got = pagealloc_alloc(pa, n);
	if (!EXPECTF(got == (want < 0 ? 0 : PG(want)),
		     "alloc(%lu) = %#lx, want page %ld", (unsigned long)n,
		     (unsigned long)got, want))
		return false;
	if (want >= 0)
		live[(*nlive)++] = (struct live){ (uintptr_t)want, n };
	return true;
}

static void run_random(uintptr_t npages, long nops, uintptr_t big)
{
	struct pagealloc pa = arena(npages);
	struct ref r = { npages, 0, malloc(npages) };
	struct live *live = malloc(npages * sizeof *live);
	size_t nlive = 0;
	memset(r.used, 1, npages);
	/* Start from a random mix: free pages with probability 3/4. */
	for (uintptr_t i = 0; i < npages; i++)
		if (rng() % 4 != 0) {
			pagealloc_free(&pa, PG(i), 1);
			r.used[i] = 0;
			r.nfree++;
		} else {
			live[nlive++] = (struct live){ i, 1 };
		}
	long op;
	for (op = 0; op < nops; op++) {
		if (!random_step(&pa, &r, live, &nlive, big))
			break;
		if (!EXPECT_EQ(pagealloc_free_pages(&pa), r.nfree) ||
		    !EXPECT_EQ(pagealloc_longest_run(&pa), ref_longest(&r)))
			break;
		if (op % 4096 == 0)
			for (uintptr_t i = 0; i < npages; i++)
				if (!EXPECTF(pagealloc_is_free(&pa, PG(i)) ==
					     !r.used[i], "op %ld: page %lu",
					     op, (unsigned long)i))
					goto out;
	}
out:
	if (op < nops)
		t_logf("stopped at op %ld of %ld", op, nops);
	EXPECT_EQ(nfatal, 0);
	free(r.used);
	free(live);
}

/* 200,000 operations on 6 chunks, the last one partial. */
static void test_random_small(void)
{
	run_random(2600, 200000, 700);
}

/* 20,000 operations on 59 chunks (64 leaves), with runs of thousands. */
static void test_random_large(void)
{
	run_random(30000, 20000, 4000);
}

/* ---- The search cost ---- */

static unsigned log2_floor(uintptr_t x)
{
	unsigned k = 0;
	while (x > 1) {
		x /= 2;
		k++;
	}
	return k;
}

/*
 * Fragment the arena (random small allocs and frees over the whole of
 * it), then measure tree nodes read per alloc and summaries rewritten.
 */
static void test_visits(const void *arg)
{
	uintptr_t n = *(const uintptr_t *)arg;
	uintptr_t nchunks = (n + CHUNK - 1) / CHUNK;
	unsigned long bound = 4 * log2_floor(nchunks) + 8;
	struct pagealloc pa = arena(n);
	free_pages(&pa, 0, n);
	for (uintptr_t i = 0; i < n; i += 1 + rng() % 64)
		pagealloc_alloc(&pa, 1 + rng() % 16);
	unsigned long max_visits = 0, sum_visits = 0, sum_updates = 0;
	long nalloc = 0;
	for (int op = 0; op < 20000; op++) {
		if (rng() % 2) {
			uintptr_t i = rng() % n;
			if (!pagealloc_is_free(&pa, PG(i)))
				free_pages(&pa, i, 1);
			continue;
		}
		unsigned long v0 = pa.visits, u0 = pa.updates;
		if (pagealloc_alloc(&pa, 1 + rng() % 32) == 0)
			continue;
		unsigned long v = pa.visits - v0;
		if (v > max_visits)
			max_visits = v;
		sum_visits += v;
		sum_updates += pa.updates - u0;
		nalloc++;
	}
	EXPECT(nalloc > 1000);
	EXPECTF(max_visits <= bound, "%lu chunks: %lu visits in one alloc, "
		"bound %lu", (unsigned long)nchunks, max_visits, bound);
	t_logf("%7lu pages, %4lu chunks: visits/alloc max %lu mean %.1f "
	       "(bound %lu), updates/alloc mean %.1f", (unsigned long)n,
	       (unsigned long)nchunks, max_visits,
	       (double)sum_visits / nalloc, bound,
	       (double)sum_updates / nalloc);
	EXPECT_EQ(nfatal, 0);
}

int main(int argc, char **argv)
{
	t_init(&argc, argv);
	t_run("init_all_in_use", test_init_all_in_use);
	t_run("round_trip", test_round_trip);
	t_run("lowest_first", test_lowest_first);
	t_run("exact_fit_and_skip", test_exact_fit_and_skip);
	t_run("fragmentation", test_fragmentation);
	t_run("cross_chunk", test_cross_chunk);
	t_run("long_runs", test_long_runs);
	t_run("exhaustion", test_exhaustion);
	t_run("fatal", test_fatal);
	static const uintptr_t sizes[] = { 1, 2, 511, 512, 513, 1023, 4096,
					   5000, 524288, MAX_ARENA };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "size/%lu", (unsigned long)sizes[i]);
		t_run_arg(name, test_size, &sizes[i]);
	}
	t_run("random_small", test_random_small);
	t_run("random_large", test_random_large);
	static const uintptr_t visit_sizes[] = { 512, 4096, 32768, 262144,
						 524288 };
	for (size_t i = 0; i < sizeof visit_sizes / sizeof visit_sizes[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "visits/%lu",
			 (unsigned long)visit_sizes[i]);
		t_run_arg(name, test_visits, &visit_sizes[i]);
	}
	return t_finish("pagealloc_test");
}
