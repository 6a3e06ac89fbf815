/*
 * pagealloc.h - the page allocator: which 8 KiB pages of the heap arena
 * are free, and the lowest run of n free pages (mm/pagealloc.c).
 *
 * The bottom of the heap.  mheap owns one struct pagealloc over the whole
 * arena, [lowest free RAM byte, highest free RAM byte), and hands it its
 * metadata (bitmap and summaries) carved from free RAM at boot.  Every
 * page starts in use; mheap frees the free RAM ranges into it, so holes
 * and reserved memory inside the arena simply stay in use forever.
 *
 * The allocator never touches the pages it manages, only its metadata,
 * so it can run on the host over a made-up address range.
 *
 * Locking: none here.  Every function except pagealloc_meta_size needs
 * the caller's lock on the struct (mheap.lock).  None blocks; none may be
 * called from an interrupt handler (mheap.lock is not taken there).
 */
#ifndef GOHART_PAGEALLOC_H
#define GOHART_PAGEALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef PAGE_SHIFT
#define PAGE_SHIFT 13
#endif
#ifndef PAGE_SIZE
#define PAGE_SIZE ((uintptr_t)1 << PAGE_SHIFT)
#endif

/* Pages per bitmap chunk (one leaf of the summary tree): 8 words. */
#define PAGEALLOC_CHUNK_PAGES 512
#define PAGEALLOC_CHUNK_WORDS (PAGEALLOC_CHUNK_PAGES / 64)

/* Largest arena, in pages, that 32-bit summaries can describe (16 TiB). */
#define PAGEALLOC_MAX_PAGES ((uintptr_t)1 << 31)

/*
 * Summary of a range of pages (Go's pallocSum, unpacked): free pages at
 * its start, the longest free run anywhere in it, free pages at its end.
 * An all-free range of s pages is {s, s, s}; an all-in-use one {0, 0, 0}.
 */
struct pagealloc_sum {
	uint32_t start;
	uint32_t max;
	uint32_t end;
};

/*
 * The allocator.  Everything is guarded by the caller's lock
 * (mheap.lock); the counters at the end are statistics for tests and
 * debugging, never read by the allocator itself.
 */
struct pagealloc {
	uintptr_t base;                 /* address of page 0, page-aligned */
	uintptr_t npages;               /* pages managed: [base, base + npages*PAGE_SIZE) */
	uintptr_t nchunks;              /* ceil(npages / CHUNK_PAGES) */
	uintptr_t nleaves;              /* nchunks rounded up to a power of 2 (>= 1) */
	/*
	 * bits: nchunks * CHUNK_WORDS words; page i is bit i % 64 of word
	 * i / 64; 1 = in use, 0 = free.  Bits past npages in the last
	 * chunk are 1 for ever.
	 */
	uint64_t *bits;
	/*
	 * sum: 2 * nleaves summaries, a complete binary tree in heap order:
	 * sum[1] is the root, sum[k] has children sum[2k] and sum[2k+1],
	 * and chunk c's leaf is sum[nleaves + c].  Leaves past nchunks are
	 * padding, all in use.  sum[0] is unused.
	 */
	struct pagealloc_sum *sum;
	uintptr_t nfree;                /* free pages (0 bits) now */
	unsigned long visits;           /* tree nodes read by searches, ever */
	unsigned long updates;          /* summaries recomputed, ever */
};

/*
 * Bytes of metadata (bitmap + summaries) needed for npages pages.  Pure;
 * any context.  About npages/8 bytes of bitmap (1/65536 of the arena)
 * and 24 bytes per chunk of tree, up to twice that with the padding;
 * SIZE_MAX past PAGEALLOC_MAX_PAGES.
 */
size_t pagealloc_meta_size(uintptr_t npages);

/*
 * Manage [base, base + npages*PAGE_SIZE).  base is page-aligned; meta
 * points to pagealloc_meta_size(npages) bytes (any content: init clears
 * them), 8-byte aligned, which stay the allocator's for good.  Every page
 * starts IN USE.  npages at most PAGEALLOC_MAX_PAGES.  A bad argument is
 * fatal (pagealloc_fatal).
 */
void pagealloc_init(struct pagealloc *pa, uintptr_t base, uintptr_t npages,
		    void *meta);

/*
 * Mark npages (>= 1) pages at addr free.  They must lie in the arena and
 * all be in use: freeing a free page, a page outside the arena, zero
 * pages or an unaligned addr is a fatal bug (pagealloc_fatal), and if
 * the hook returns nothing has changed.  O(k + log chunks) for the
 * k chunks touched, plus npages/64 bitmap words.
 */
void pagealloc_free(struct pagealloc *pa, uintptr_t addr, uintptr_t npages);

/*
 * Allocate the lowest-addressed run of npages (>= 1) free pages, mark them
 * in use and return its address; 0 when no run that long exists (out of
 * memory is the caller's to report).  npages == 0 is fatal.  Search
 * O(log chunks) plus one chunk's bitmap; update as pagealloc_free.
 */
uintptr_t pagealloc_alloc(struct pagealloc *pa, uintptr_t npages);

/* Free pages now.  O(1). */
uintptr_t pagealloc_free_pages(const struct pagealloc *pa);

/* Whether the page holding addr is free (false outside the arena).  O(1). */
bool pagealloc_is_free(const struct pagealloc *pa, uintptr_t addr);

/* Length of the longest free run, in pages: the root summary.  O(1). */
uintptr_t pagealloc_longest_run(const struct pagealloc *pa);

/*
 * Provided by the caller, not by pagealloc.c: called with a message
 * ("pagealloc_free: page already free") when the allocator is misused or
 * finds its own metadata inconsistent.  The kernel's throws; a test may
 * record the call and return, in which case the failing call returns
 * without changing anything (pagealloc_alloc returns 0).
 */
void pagealloc_fatal(const char *msg);

#endif
