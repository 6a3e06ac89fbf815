/*
 * pagealloc.c - the page allocator: first fit over a bitmap, searched
 * through a tree of summaries (pagealloc.h).
 *
 * What it is.  The bottom of the heap: mheap asks it for runs of 8 KiB
 * pages (spans, stacks, large objects) and gives them back.  It manages
 * one contiguous arena, fixed at boot, and always returns the
 * lowest-addressed run that fits, which keeps the heap compact at the
 * bottom of RAM, as Go's address-ordered first fit does.
 *
 * Data structures.
 *   - A bitmap, one bit per page, 1 = in use.  It is cut into chunks of
 *     512 pages (8 uint64 words); the last chunk's bits past the arena
 *     are 1 for ever.
 *   - A complete binary tree of summaries (a segment tree) over the
 *     chunks, padded to a power of two with all-in-use leaves, stored in
 *     heap order in one array: root at 1, children of k at 2k and 2k+1,
 *     chunk c's leaf at nleaves + c.  A summary of a range of pages is
 *     (start, max, end): free pages at its start, its longest free run,
 *     free pages at its end.  Two halves of h pages each merge as
 *         start = l.start == h ? h + r.start : l.start
 *         end   = r.end == h   ? h + l.end   : r.end
 *         max   = max(l.max, r.max, l.end + r.start)
 *
 * Algorithm.
 *   alloc(n):
 *     1. If the root's max < n, no run exists: return 0.
 *     2. Descend from the root.  At node k with children l and r:
 *        a. l.max >= n: the lowest run lies inside l; go left.
 *        b. else l.end + r.start >= n: the lowest run straddles the
 *           middle and starts l.end pages before it; done.
 *        c. else it lies inside r (whose max must be >= n); go right.
 *     3. At a leaf (so n <= 512), scan the chunk's free runs, skipping
 *        whole words with count-trailing-zeros, for the first >= n long.
 *     4. Set the run's bits, then update the summaries (step 6).
 *   free(addr, n):
 *     5. Check the pages are in the arena and all in use; clear their
 *        bits.
 *     6. Update: recompute the leaves of the k chunks the run touched
 *        from their bits, then their parents level by level; the
 *        touched nodes of a level are one contiguous index range, which
 *        halves going up until only the root is left.
 *
 * Invariants.
 *   1. Every leaf is the summary of its chunk's bits; padding leaves are
 *      {0, 0, 0}.  Every inner node is the merge of its children.
 *   2. nfree is the number of 0 bits.
 *   3. A page is freed only while in use: checked in pagealloc_free
 *      ("pagealloc_free: page already free").
 *   4. The run the search returns is all free: checked in
 *      pagealloc_alloc ("pagealloc_alloc: summaries and bitmap disagree").
 *
 * Locking: none; mheap.lock guards the whole struct.
 *
 * Cost, for an arena of C chunks (npages / 512 rounded up) and L leaves
 * (C rounded up to a power of two, L < 2C):
 *   search   at most 1 + 2*log2(L) summaries read (one or two per level,
 *            counted in pa->visits), plus one chunk scan: at most 8 word
 *            skips and 256 runs, a constant.
 *   update   at most 2k + 2*log2(L) summaries for k touched chunks
 *            (counted in pa->updates): level j of the tree holds at most
 *            k/2^j + 2 of them.  Plus n/64 + 2 bitmap words.
 *   memory   one bit per page and 24 bytes per leaf: 64 KiB of bitmap
 *            and 24 KiB of tree for a 4 GiB arena.
 *
 * Differences from Go, and why.
 *   - Go's pageAlloc covers the whole 48-bit address space, growing as
 *     the OS hands out arenas, with a 5-level radix tree (fan-out 8, and
 *     2^14 at the root) whose levels are mapped on demand.  We have one
 *     arena known at boot, so a plain binary tree in one array sized at
 *     init does, and each step looks at two children instead of scanning
 *     eight.  Depth is log2(L) <= 22 instead of 5; the merge rule is the
 *     same.
 *   - Go packs a summary into 64 bits (three 21-bit fields, pallocSum);
 *     ours are three plain uint32 (12 bytes), readable in a debugger.
 *     This caps an arena at 2^31 pages (16 TiB).
 *   - Go keeps a searchAddr hint to skip the full prefix of the heap;
 *     our descent finds the lowest run directly, so it needs none.
 *   - Go's chunk search (findBitRange64) shifts runs of ones over the
 *     zeros; ours walks the runs with ctz, simpler and still bounded.
 *   - No scavenged bits: on bare metal there is no OS to return pages to.
 *   - Freeing a free page is always caught here, at n/64 word reads.
 *
 * References: Go runtime/mpagealloc.go (pageAlloc, find, update, alloc,
 * free, mergeSummaries, pallocSum), runtime/mpallocbits.go (summarize,
 * find, findBitRange64); M. Knyszek, "Scaling the Go page allocator",
 * design/35112-scaling-the-page-allocator.md in golang/proposal.
 */
#include "mm/pagealloc.h"

/*
 * __builtin_memset rather than <string.h>: the same code then builds with
 * no C library headers at all (the compiler may still call memset).
 */
#define mem_set __builtin_memset

#define CHUNK_PAGES PAGEALLOC_CHUNK_PAGES
#define CHUNK_WORDS PAGEALLOC_CHUNK_WORDS
#define NOT_FOUND UINTPTR_MAX

/* ---- The bitmap ---- */

/*
 * The bits of pages [i, i + n) that live in word i / 64, as a mask; *k is
 * how many pages that is (n clipped at the word's end).
 */
static uint64_t word_mask(uintptr_t i, uintptr_t n, uintptr_t *k)
{
	unsigned off = i % 64;
	uintptr_t cnt = 64 - off;
	if (cnt > n)
		cnt = n;
	*k = cnt;
	uint64_t ones = cnt == 64 ? ~(uint64_t)0 : ((uint64_t)1 << cnt) - 1;
	return ones << off;
}

/* Whether every page in [i, i + n) is in use (used) or free (!used). */
static bool bits_all(const uint64_t *bits, uintptr_t i, uintptr_t n,
		     bool used)
{
	while (n > 0) {
		uintptr_t k;
		uint64_t m = word_mask(i, n, &k);
		if ((bits[i / 64] & m) != (used ? m : 0))
			return false;
		i += k;
		n -= k;
	}
	return true;
}

/* Mark pages [i, i + n) in use (used) or free (!used). */
static void bits_set(uint64_t *bits, uintptr_t i, uintptr_t n, bool used)
{
	while (n > 0) {
		uintptr_t k;
		uint64_t m = word_mask(i, n, &k);
		if (used)
			bits[i / 64] |= m;
		else
			bits[i / 64] &= ~m;
		i += k;
		n -= k;
	}
}

/*
 * In one chunk's words w: the first page >= i whose bit is in use (used)
 * or free (!used), or CHUNK_PAGES.  A word with nothing wanted is skipped
 * whole; in the others ctz finds the page.
 */
static unsigned chunk_next(const uint64_t *w, unsigned i, bool used)
{
	while (i < CHUNK_PAGES) {
		uint64_t x = used ? w[i / 64] : ~w[i / 64];
		x >>= i % 64;
		if (x != 0)
			return i + (unsigned)__builtin_ctzll(x);
		i = (i / 64 + 1) * 64;
	}
	return CHUNK_PAGES;
}

/*
 * The free runs of a chunk, lowest first: [*i, *j) is the next one at
 * or after page from; returns false when there is none.
 */
static bool chunk_run(const uint64_t *w, unsigned from, unsigned *i,
		      unsigned *j)
{
	*i = chunk_next(w, from, false);
	if (*i == CHUNK_PAGES)
		return false;
	*j = chunk_next(w, *i, true);
	return true;
}

/* Summary of one chunk: Go's pallocBits.summarize, by walking runs. */
static struct pagealloc_sum chunk_summarize(const uint64_t *w)
{
	struct pagealloc_sum s = { 0, 0, 0 };
	unsigned i, j;
	for (unsigned from = 0; chunk_run(w, from, &i, &j); from = j) {
		if (i == 0)
			s.start = j;
		if (j - i > s.max)
			s.max = j - i;
		if (j == CHUNK_PAGES)
			s.end = j - i;
	}
	return s;
}

/* First page of the chunk's lowest free run of n pages, or CHUNK_PAGES. */
static unsigned chunk_find(const uint64_t *w, uintptr_t n)
{
	unsigned i, j;
	for (unsigned from = 0; chunk_run(w, from, &i, &j); from = j)
		if (j - i >= n)
			return i;
	return CHUNK_PAGES;
}

/* ---- The summary tree ---- */

/* Summary of two adjacent ranges of half pages each (Go: mergeSummaries). */
static struct pagealloc_sum sum_merge(struct pagealloc_sum l,
				      struct pagealloc_sum r, uintptr_t half)
{
	struct pagealloc_sum s;
	s.start = l.start == half ? l.start + r.start : l.start;
	s.end = r.end == half ? r.end + l.end : r.end;
	s.max = l.max > r.max ? l.max : r.max;
	if (l.end + r.start > s.max)
		s.max = l.end + r.start;
	return s;
}

/*
 * Pages [i, i + n) changed: recompute the leaves of their chunks, then
 * the ancestors, one level (an index range [lo, hi]) at a time.
 * Go: runtime/mpagealloc.go pageAlloc.update.
 */
static void tree_update(struct pagealloc *pa, uintptr_t i, uintptr_t n)
{
	uintptr_t lo = i / CHUNK_PAGES, hi = (i + n - 1) / CHUNK_PAGES;
	for (uintptr_t c = lo; c <= hi; c++) {
		pa->sum[pa->nleaves + c] =
			chunk_summarize(pa->bits + c * CHUNK_WORDS);
		pa->updates++;
	}
	lo += pa->nleaves;
	hi += pa->nleaves;
	for (uintptr_t half = CHUNK_PAGES; lo > 1; half *= 2) {
		lo /= 2;
		hi /= 2;
		for (uintptr_t k = lo; k <= hi; k++) {
			pa->sum[k] = sum_merge(pa->sum[2 * k],
					       pa->sum[2 * k + 1], half);
			pa->updates++;
		}
	}
}

/*
 * Page index of the lowest run of n free pages, given that the root's
 * max is >= n (steps 2 and 3); NOT_FOUND only if the invariants broke.
 * Go: runtime/mpagealloc.go pageAlloc.find.
 */
static uintptr_t tree_find(struct pagealloc *pa, uintptr_t n)
{
	uintptr_t k = 1, first = 0;     /* node k covers pages from first */
	uintptr_t half = pa->nleaves * CHUNK_PAGES / 2;
	pa->visits++;                   /* the root, read by the caller */
	for (; k < pa->nleaves; half /= 2) {
		const struct pagealloc_sum *l = &pa->sum[2 * k];
		const struct pagealloc_sum *r = l + 1;
		pa->visits++;
		if (l->max >= n) {
			k = 2 * k;
			continue;
		}
		pa->visits++;
		if ((uintptr_t)l->end + r->start >= n)
			return first + half - l->end;
		k = 2 * k + 1;
		first += half;
	}
	unsigned i = chunk_find(pa->bits + (k - pa->nleaves) * CHUNK_WORDS, n);
	return i == CHUNK_PAGES ? NOT_FOUND : first + i;
}

/* ---- The interface ---- */

static uintptr_t chunks_for(uintptr_t npages)
{
	return (npages + CHUNK_PAGES - 1) / CHUNK_PAGES;
}

static uintptr_t leaves_for(uintptr_t nchunks)
{
	uintptr_t n = 1;
	while (n < nchunks)
		n *= 2;
	return n;
}

size_t pagealloc_meta_size(uintptr_t npages)
{
	if (npages > PAGEALLOC_MAX_PAGES)
		return SIZE_MAX;        /* pagealloc_init refuses it anyway */
	uintptr_t nchunks = chunks_for(npages);
	return nchunks * CHUNK_WORDS * sizeof(uint64_t) +
	       2 * leaves_for(nchunks) * sizeof(struct pagealloc_sum);
}

/* Why pagealloc_init cannot take these arguments, or NULL. */
static const char *init_check(uintptr_t base, uintptr_t npages, void *meta)
{
	if (npages == 0)
		return NULL;
	if (base == 0)
		return "pagealloc_init: arena at address 0";
	if (base % PAGE_SIZE != 0)
		return "pagealloc_init: unaligned base";
	if (npages > PAGEALLOC_MAX_PAGES)
		return "pagealloc_init: arena too large";
	if (npages - 1 > (UINTPTR_MAX - base) >> PAGE_SHIFT)
		return "pagealloc_init: arena wraps around";
	if (meta == NULL || (uintptr_t)meta % 8 != 0)
		return "pagealloc_init: bad metadata pointer";
	return NULL;
}

void pagealloc_init(struct pagealloc *pa, uintptr_t base, uintptr_t npages,
		    void *meta)
{
	/* Room for an empty arena's one summary node, if meta is refused. */
	static uint64_t empty_meta[4];
	const char *bad = init_check(base, npages, meta);
	if (bad != NULL) {
		pagealloc_fatal(bad);
		npages = 0;
	}
	if (npages == 0)
		meta = empty_meta;
	pa->base = base;
	pa->npages = npages;
	pa->nchunks = chunks_for(npages);
	pa->nleaves = leaves_for(pa->nchunks);
	pa->bits = meta;
	pa->sum = (struct pagealloc_sum *)(pa->bits +
					   pa->nchunks * CHUNK_WORDS);
	/* All in use: every bit set, every summary {0, 0, 0}. */
	mem_set(pa->bits, 0xff, pa->nchunks * CHUNK_WORDS * sizeof(uint64_t));
	mem_set(pa->sum, 0, 2 * pa->nleaves * sizeof(struct pagealloc_sum));
	pa->nfree = 0;
	pa->visits = 0;
	pa->updates = 0;
}

/* Why pages [addr, addr + npages*PAGE_SIZE) cannot be freed, or NULL. */
static const char *free_check(const struct pagealloc *pa, uintptr_t addr,
			      uintptr_t npages)
{
	if (npages == 0)
		return "pagealloc_free: zero pages";
	if (addr % PAGE_SIZE != 0)
		return "pagealloc_free: unaligned address";
	uintptr_t i = (addr - pa->base) >> PAGE_SHIFT;
	if (addr < pa->base || i >= pa->npages || npages > pa->npages - i)
		return "pagealloc_free: pages outside the arena";
	if (!bits_all(pa->bits, i, npages, true))
		return "pagealloc_free: page already free";
	return NULL;
}

/* Go: runtime/mpagealloc.go pageAlloc.free. */
void pagealloc_free(struct pagealloc *pa, uintptr_t addr, uintptr_t npages)
{
	const char *bad = free_check(pa, addr, npages);
	if (bad != NULL) {
		pagealloc_fatal(bad);
		return;
	}
	uintptr_t i = (addr - pa->base) >> PAGE_SHIFT;
	bits_set(pa->bits, i, npages, false);
	pa->nfree += npages;
	tree_update(pa, i, npages);
}

/* Go: runtime/mpagealloc.go pageAlloc.alloc. */
uintptr_t pagealloc_alloc(struct pagealloc *pa, uintptr_t npages)
{
	if (npages == 0) {
		pagealloc_fatal("pagealloc_alloc: zero pages");
		return 0;
	}
	if (npages > pa->sum[1].max)
		return 0;
	uintptr_t i = tree_find(pa, npages);
	if (i == NOT_FOUND || i > pa->npages - npages ||
	    !bits_all(pa->bits, i, npages, false)) {
		pagealloc_fatal("pagealloc_alloc: summaries and bitmap disagree");
		return 0;
	}
	bits_set(pa->bits, i, npages, true);
	pa->nfree -= npages;
	tree_update(pa, i, npages);
	return pa->base + i * PAGE_SIZE;
}

uintptr_t pagealloc_free_pages(const struct pagealloc *pa)
{
	return pa->nfree;
}

bool pagealloc_is_free(const struct pagealloc *pa, uintptr_t addr)
{
	uintptr_t i = (addr - pa->base) >> PAGE_SHIFT;
	if (addr < pa->base || i >= pa->npages)
		return false;
	return !(pa->bits[i / 64] >> (i % 64) & 1);
}

uintptr_t pagealloc_longest_run(const struct pagealloc *pa)
{
	return pa->sum[1].max;
}
