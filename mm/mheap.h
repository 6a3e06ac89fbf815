/*
 * mheap.h - the heap's data structures: mspan, mcentral, mcache, mheap.
 *
 * The allocator is Go's (runtime/malloc.go, "Memory allocator"), a
 * tcmalloc descendant.  Four levels, each a cache for the one below:
 *
 *   mcache    per cpu (per P, once the scheduler exists): one current
 *             span per span class; allocating from it takes no lock.
 *   mcentral  per span class: the spans of that class with free objects
 *             (partial) and without (full), behind one lock.
 *   mheap     the pages: a page allocator over all free RAM, the page ->
 *             span table, large objects.  One lock.
 *   physmem   the boot-time list of free RAM the heap is built on.
 *
 * A span (mspan) is a run of 8 KiB pages cut into objects of one size
 * class.  Span class = size class * 2 + noscan: objects that can hold no
 * pointers live in their own spans, which the garbage collector will never
 * scan.
 *
 * The full story, with pictures, is docs/memory.md.
 */
#ifndef GOHART_MHEAP_H
#define GOHART_MHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "mm/bitops.h"
#include "mm/pagealloc.h"
#include "mm/sizeclasses.h"
#include "sync/spinlock.h"

#define NUM_SPAN_CLASSES (NUM_SIZE_CLASSES * 2)
#define MAX_SPAN_OBJECTS 1024           /* 8-byte objects in one page */
#define TINY_SIZE 16                    /* Go's maxTinySize */

static inline unsigned spanclass_make(unsigned sizeclass, bool noscan)
{
	return sizeclass * 2 + (noscan ? 1 : 0);
}
static inline unsigned spanclass_sizeclass(unsigned spc) { return spc >> 1; }
static inline bool spanclass_noscan(unsigned spc) { return spc & 1; }

/* Span states (Go's mSpanState). */
enum span_state {
	SPAN_DEAD,              /* not describing memory (on a free list) */
	SPAN_IN_USE,            /* heap objects: in the page -> span table */
	SPAN_MANUAL,            /* managed by hand: stacks, the C heap */
};

/*
 * mspan.  Who may touch what:
 *   - startaddr, npages, spanclass, elemsize, nelems, divmagic, limit:
 *     set once when the span is made (mheap lock), then read-only.
 *   - alloc_cache, freeaddr, freeindex, alloc_count, the alloc bits:
 *     owned by the mcache that holds the span, else by the mcentral lock.
 *   - next/prev: the list the span is on, under that list's lock.
 *   - gcmark_bits, sweepgen: the garbage collector's (not yet used).
 * The three fields the fast path reads come first: one cache line, small
 * offsets.
 */
struct mspan {
	/*
	 * The allocation window.  Bit i of alloc_cache is set when the object
	 * at freeaddr + i * elemsize is free.  Taking an object shifts the
	 * bits up to and including its own out and moves freeaddr past it,
	 * so bit 0 is always the object at freeaddr.  The window covers at
	 * most the 64 objects of one 64-aligned group of alloc bits (and none
	 * past nelems): when it empties, the slow path loads the next group.
	 */
	uint64_t alloc_cache;
	uintptr_t freeaddr;
	uintptr_t elemsize;
	struct mspan *next, *prev;
	uintptr_t startaddr;
	uintptr_t npages;
	uintptr_t limit;                /* end of the last object */
	uint32_t divmagic;              /* offset -> object index, no divide */
	uint16_t nelems;
	/*
	 * freeindex: objects below it are allocated; from it on, an object is
	 * free if its alloc bit is clear.  While an mcache holds the span it
	 * is where the current window was loaded (the fast path moves only
	 * freeaddr); mcentral_uncache_span brings it up to freeaddr.
	 */
	uint16_t freeindex;
	/*
	 * alloc_count: objects allocated.  While cached it counts the whole
	 * window's free objects as taken already (they were counted when the
	 * window was loaded); mspan_close_window gives back those left.
	 */
	uint16_t alloc_count;
	uint8_t spanclass;
	uint8_t state;                  /* enum span_state */
	bool in_cache;                  /* held by some mcache */
	uint32_t sweepgen;              /* Go's: +2 per GC cycle */
	uint8_t *alloc_bits;            /* 1 bit per object: allocated */
	uint8_t *gcmark_bits;           /* 1 bit per object: marked */
	uint8_t *typed_bits;            /* 1 bit per object: has a ptr mask */
	uint8_t bits[3][MAX_SPAN_OBJECTS / 8];
};

/*
 * The span every mcache slot holds when it has no real span: its window
 * is empty, so the fast path needs no NULL check and falls to the slow
 * path (Go's emptymspan).
 */
extern struct mspan empty_mspan;

/*
 * mcentral: one per span class.  `lock` protects both lists.  Each on its
 * own cache line (as Go pads them), so cpus refilling different classes
 * do not fight over one line.
 */
struct __attribute__((aligned(64))) mcentral {
	struct spinlock lock;           /* rank: after mcache, before mheap */
	unsigned spanclass;
	struct mspan *partial;          /* has free objects */
	struct mspan *full;             /* none free */
	uint64_t nspans;                /* spans ever made for this class */
};

/*
 * mcache: one per cpu.  Used only by its own cpu, with nothing else
 * running there (no preemption yet; interrupt handlers do not allocate),
 * so nothing in it is locked or atomic.
 */
struct __attribute__((aligned(64))) mcache {
	struct mspan *alloc[NUM_SPAN_CLASSES];  /* current span per class */
	uintptr_t tiny;                 /* current 16-byte tiny block */
	uintptr_t tinyoffset;
	/* Statistics, summed by mem_stats_read. */
	uint64_t nmalloc[NUM_SIZE_CLASSES];
	uint64_t ntiny;
	uint64_t nlarge, large_bytes;
	uint64_t nrefill;               /* slow-path refills from mcentral */
};

/* fixalloc: fixed-size metadata objects (mspans), carved from pages. */
struct fixalloc {
	size_t size;
	void *free_list;
	uintptr_t chunk, nchunk;        /* bytes left at chunk */
	uint64_t inuse;
};

/*
 * mheap.  `lock` protects the page allocator, the span table entries of
 * spans being made or freed, spanalloc and the page statistics.
 * Rank: last (a leaf) among the allocator's locks.
 */
struct mheap {
	struct spinlock lock;
	struct pagealloc pages;
	uintptr_t arena_base, arena_end;        /* [base, end): every heap page */
	struct mspan **spans;                   /* page -> span, by page index */
	uint8_t *ptrbits;                       /* 1 bit per heap word */
	struct fixalloc spanalloc;
	uint64_t sys_pages;                     /* pages ever made free (HeapSys) */
	uint64_t inuse_pages;                   /* in in-use spans */
	uint64_t manual_pages;                  /* stacks, C heap, metadata */
	struct mcentral central[NUM_SPAN_CLASSES];
};

extern struct mheap mheap;
/*
 * mcaches[i] belongs to p i; mcaches[CONFIG_MAXCPU + i] to hart i for
 * when it holds no p (between a blocking section's hand-off and getting
 * a p back, or with GOMAXPROCS below the hart count).  hart_self()->mcache
 * is always the one in use on this hart.
 */
#define NUM_MCACHES (2 * CONFIG_MAXCPU)
extern struct mcache mcaches[NUM_MCACHES];

/* mheap.c */
void mheap_init(void);
struct mspan *mheap_alloc(uintptr_t npages, unsigned spanclass);
void *mheap_alloc_manual(uintptr_t npages);
void mheap_free_manual(void *p, uintptr_t npages);
_Noreturn void mheap_out_of_memory(size_t request);

/*
 * span_of: the in-use span holding address p (base or interior pointer),
 * or NULL when p is not in a heap object's span.  O(1): one table load.
 * Any context.
 */
static inline struct mspan *span_of(uintptr_t p)
{
	if (p < mheap.arena_base || p >= mheap.arena_end)
		return NULL;
	struct mspan *s = mheap.spans[(p - mheap.arena_base) >> PAGE_SHIFT];
	if (s == NULL || s->state != SPAN_IN_USE || p < s->startaddr || p >= s->limit)
		return NULL;
	return s;
}

/* The object index and base address of p within span s. */
static inline uintptr_t span_object_index(const struct mspan *s, uintptr_t p)
{
	if (spanclass_sizeclass(s->spanclass) == 0)
		return 0;
	return divide_by_elemsize((uint32_t)(p - s->startaddr),
				  spanclass_sizeclass(s->spanclass));
}

/*
 * Go: nextFreeFast.  The next object of s's window, or NULL when the
 * window is empty and the slow path must load the next one.
 *
 * Objects are mostly taken in order, so the next free one is usually
 * bit 0: the object at freeaddr itself.  Otherwise count-trailing-zeros
 * says how many taken objects to step over.  The shift is done in two
 * steps because the last object of a window is bit 63, and a shift by
 * 64 is undefined in C (RISC-V would shift by 0).
 */
static inline void *mspan_next_free_fast(struct mspan *s)
{
	uint64_t cache = s->alloc_cache;
	uintptr_t p = s->freeaddr;
	if (cache & 1) {
		s->alloc_cache = cache >> 1;
		s->freeaddr = p + s->elemsize;
		if (p == 0)
			__builtin_unreachable();        /* spare the caller's test */
		return (void *)p;
	}
	if (cache == 0)
		return NULL;
	unsigned bit = ctz64(cache);
	p += bit * s->elemsize;
	s->alloc_cache = cache >> bit >> 1;
	s->freeaddr = p + s->elemsize;
	if (p == 0)
		__builtin_unreachable();
	return (void *)p;
}

/* malloc.c */
void mcache_init(struct mcache *c);
void mcache_release_all(struct mcache *c);

/* mcentral.c */
struct mspan *mcentral_cache_span(struct mcentral *c);
void mcentral_uncache_span(struct mcentral *c, struct mspan *s);
bool mspan_load_window(struct mspan *s);
bool mspan_next_window(struct mspan *s);
void *mspan_next_free(struct mspan *s);
void mspan_close_window(struct mspan *s);

#endif
