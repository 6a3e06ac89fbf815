/*
 * mheap.c - the heap: every free page of RAM, and the spans cut from it.
 *
 * What it is.  mheap owns all RAM the device tree reports, minus what is
 * reserved (physmem.c computed that at boot).  It hands out runs of 8 KiB
 * pages: as spans of small objects (to mcentral), as large objects, and
 * as "manual" memory the runtime manages itself (the C heap, metadata).
 *
 * Data structures.
 *   - arena: [arena_base, arena_end), from the lowest to the highest free
 *     byte of RAM.  Holes in it (firmware, the kernel image) are pages
 *     that are simply never free.
 *   - pages (pagealloc.c): 1 bit per arena page plus a summary tree; finds
 *     a run of n free pages in O(log heap) and coalesces by construction.
 *   - spans[]: one pointer per arena page, to the span that owns it.  The
 *     garbage collector asks "which span holds address p?" for every word
 *     it scans; this table answers with one load (span_of in mheap.h).
 *   - ptrbits: 1 bit per heap word, "may hold a pointer", written for
 *     objects allocated with a pointer mask (precise scanning, later).
 *   - spanalloc: mspan structures come from a fixed-size allocator over
 *     whole pages (Go's fixalloc), never from the heap they describe.
 *
 * Algorithm (mheap_alloc):
 *   1. take the lock; find and mark npages free pages (pagealloc_alloc);
 *      get an mspan from spanalloc; unlock;
 *   2. zero the pages: heap memory is always handed out zeroed, as Go's
 *      is (Go gets zeroed pages from the OS; on bare metal RAM holds
 *      whatever it held);
 *   3. describe the run in the mspan, point every spans[] entry of the
 *      run at it, and only then mark it in use (release order).
 *
 * Invariants.
 *   1. A page is free in `pages` iff no span, manual region or metadata
 *      uses it.
 *   2. spans[i] points at the in-use span covering page i, or at a dead
 *      span / NULL; span_of checks the state and bounds.
 *   3. All metadata (pagealloc bits, spans[], ptrbits) was taken from
 *      physmem before the arena's free pages were handed to `pages`, so
 *      it can never be allocated again.
 *
 * Locking.  mheap.lock guards pages, spanalloc and the page counters.  It
 * is the last allocator lock: mcache (no lock) -> mcentral.lock ->
 * mheap.lock.  Nothing that can block or allocate is done under it.
 *
 * Differences from Go.  Go reserves address space in 64 MiB arenas as it
 * grows, with a two-level arena index and per-arena page->span maps; we
 * own all of RAM from the start, so one flat table covers it.  Go
 * scavenges (returns) idle pages to the OS; there is no OS to return
 * them to.  Go's mheap also caches pages per P (pageCache); not yet.
 *
 * Go: runtime/mheap.go (mheap, allocSpan, spanOf), mfixalloc.go.
 */
#include "mheap.h"

#include <string.h>

#include "hal/hal.h"
#include "mm/physmem.h"
#include "runtime/panic.h"
#include "runtime/print.h"

struct mheap mheap;

#define POISON_FREED 0xdb               /* freed manual memory, debug */

/* Called by pagealloc.c on a corrupt request (freeing a free page). */
void pagealloc_fatal(const char *msg)
{
	throw(msg);
}

/* ---- Boot ---- */

static uintptr_t round_up(uintptr_t x, uintptr_t a) { return (x + a - 1) & ~(a - 1); }
static uintptr_t round_down(uintptr_t x, uintptr_t a) { return x & ~(a - 1); }

void mheap_init(void)
{
	struct hal_mem_range r[PHYSMEM_MAXRANGES];
	int n = physmem_ranges(r, PHYSMEM_MAXRANGES);
	if (n == 0)
		throw("mheap_init: no free memory");
	mheap.lock = (struct spinlock)SPINLOCK_INIT_RANK("mheap", LOCK_RANK_MHEAP);
	for (unsigned i = 0; i < NUM_SPAN_CLASSES; i++) {
		mheap.central[i].lock = (struct spinlock)SPINLOCK_INIT_RANK("mcentral", LOCK_RANK_MCENTRAL);
		mheap.central[i].spanclass = i;
	}

	/* 1. The arena spans every free byte; metadata sized for it. */
	mheap.arena_base = round_up(r[0].base, PAGE_SIZE);
	mheap.arena_end = round_down(r[n - 1].base + r[n - 1].size, PAGE_SIZE);
	uintptr_t npages = (mheap.arena_end - mheap.arena_base) >> PAGE_SHIFT;
	void *meta = physmem_take(round_up(pagealloc_meta_size(npages), 8), 64);
	mheap.spans = physmem_take(npages * sizeof(struct mspan *), 64);
	memset(mheap.spans, 0, npages * sizeof(struct mspan *));
	mheap.ptrbits = physmem_take(npages * PAGE_SIZE / 64, 64);
	memset(mheap.ptrbits, 0, npages * PAGE_SIZE / 64);
	pagealloc_init(&mheap.pages, mheap.arena_base, npages, meta);

	/* 2. What physmem still has free becomes the heap's free pages. */
	n = physmem_ranges(r, PHYSMEM_MAXRANGES);
	for (int i = 0; i < n; i++) {
		uintptr_t b = round_up(r[i].base, PAGE_SIZE);
		uintptr_t e = round_down(r[i].base + r[i].size, PAGE_SIZE);
		if (e > b) {
			pagealloc_free(&mheap.pages, b, (e - b) >> PAGE_SHIFT);
			mheap.sys_pages += (e - b) >> PAGE_SHIFT;
		}
	}
	physmem_claim_all();            /* nothing else may take from it now */
	mheap.spanalloc.size = sizeof(struct mspan);
}

/* ---- fixalloc: metadata objects from whole pages ---- */

#define FIXALLOC_CHUNK_PAGES 8

static void *fixalloc_alloc_locked(struct fixalloc *f)
{
	void *p = f->free_list;
	if (p != NULL) {
		f->free_list = *(void **)p;
	} else {
		if (f->nchunk < f->size) {
			f->chunk = pagealloc_alloc(&mheap.pages, FIXALLOC_CHUNK_PAGES);
			if (f->chunk == 0)
				return NULL;
			f->nchunk = FIXALLOC_CHUNK_PAGES * PAGE_SIZE;
			mheap.manual_pages += FIXALLOC_CHUNK_PAGES;
		}
		p = (void *)f->chunk;
		f->chunk += f->size;
		f->nchunk -= f->size;
	}
	f->inuse++;
	return p;
}

/*
 * Zero whole pages.  Every fresh span is zeroed before it is published,
 * and for small objects that is most of what a new span costs, so this is
 * a plain loop of eight 64-bit stores per 64 bytes (1.25 instructions per
 * word) instead of the general memset (2 per word, handling any alignment
 * and length).  The attribute keeps GCC from turning the loop back into a
 * memset call.
 */
__attribute__((optimize("no-tree-loop-distribute-patterns")))
static void zero_pages(uintptr_t base, uintptr_t npages)
{
	uint64_t *p = (uint64_t *)base;
	uint64_t *end = (uint64_t *)(base + npages * PAGE_SIZE);
	for (; p < end; p += 8) {
		p[0] = 0; p[1] = 0; p[2] = 0; p[3] = 0;
		p[4] = 0; p[5] = 0; p[6] = 0; p[7] = 0;
	}
}

/* ---- Spans ---- */

static void span_init(struct mspan *s, uintptr_t base, uintptr_t npages,
		      unsigned spanclass)
{
	unsigned sc = spanclass_sizeclass(spanclass);
	memset(s, 0, sizeof *s);
	s->startaddr = base;
	s->npages = npages;
	s->spanclass = (uint8_t)spanclass;
	if (sc == 0) {                  /* one large object */
		s->elemsize = npages * PAGE_SIZE;
		s->nelems = 1;
	} else {
		s->elemsize = class_to_size[sc];
		s->nelems = class_to_objects[sc];
		s->divmagic = class_to_divmagic[sc];
	}
	s->limit = base + s->elemsize * s->nelems;
	s->alloc_bits = s->bits[0];
	s->gcmark_bits = s->bits[1];
	s->typed_bits = s->bits[2];
	s->freeaddr = base;             /* no window yet (alloc_cache 0) */
}

/*
 * mheap_alloc: a new in-use span of npages for spanclass, its memory
 * zeroed; NULL when no run of npages is free.  Context: thread.
 */
struct mspan *mheap_alloc(uintptr_t npages, unsigned spanclass)
{
	spin_lock(&mheap.lock);
	uintptr_t base = pagealloc_alloc(&mheap.pages, npages);
	struct mspan *s = base ? fixalloc_alloc_locked(&mheap.spanalloc) : NULL;
	if (s == NULL) {
		if (base)
			pagealloc_free(&mheap.pages, base, npages);
		spin_unlock(&mheap.lock);
		return NULL;
	}
	mheap.inuse_pages += npages;
	spin_unlock(&mheap.lock);
	/*
	 * The pages and the mspan are ours alone now: zero and describe them
	 * without the lock, and publish the span (spans[] entries, then the
	 * state, with release order) only when it is complete, so span_of on
	 * another cpu never sees a half-made span or unzeroed memory.
	 */
	zero_pages(base, npages);
	span_init(s, base, npages, spanclass);
	uintptr_t first = (base - mheap.arena_base) >> PAGE_SHIFT;
	for (uintptr_t i = 0; i < npages; i++)
		mheap.spans[first + i] = s;
	__atomic_store_n(&s->state, SPAN_IN_USE, __ATOMIC_RELEASE);
	return s;
}

/* Pages the runtime manages by hand (no span): zeroed; fatal if none. */
void *mheap_alloc_manual(uintptr_t npages)
{
	spin_lock(&mheap.lock);
	uintptr_t base = pagealloc_alloc(&mheap.pages, npages);
	if (base)
		mheap.manual_pages += npages;
	spin_unlock(&mheap.lock);
	if (base == 0)
		mheap_out_of_memory(npages * PAGE_SIZE);
	zero_pages(base, npages);
	return (void *)base;
}

void mheap_free_manual(void *p, uintptr_t npages)
{
	if (CONFIG_DEBUG)
		memset(p, POISON_FREED, npages * PAGE_SIZE);
	spin_lock(&mheap.lock);
	pagealloc_free(&mheap.pages, (uintptr_t)p, npages);
	mheap.manual_pages -= npages;
	spin_unlock(&mheap.lock);
}

/*
 * Out of memory: say how much was asked and what the heap holds, then
 * die (Go: "fatal error: runtime: out of memory", exit status 2).
 */
_Noreturn void mheap_out_of_memory(size_t request)
{
	uintptr_t free_pages = pagealloc_free_pages(&mheap.pages);
	uintptr_t longest = pagealloc_longest_run(&mheap.pages);
	print_fmt("runtime: out of memory: cannot allocate %zu-byte block "
		  "(heap %lu KiB: %lu KiB in spans, %lu KiB manual, %lu KiB free, "
		  "largest free run %lu KiB)\n",
		  request, (unsigned long)(mheap.sys_pages * PAGE_SIZE >> 10),
		  (unsigned long)(mheap.inuse_pages * PAGE_SIZE >> 10),
		  (unsigned long)(mheap.manual_pages * PAGE_SIZE >> 10),
		  (unsigned long)(free_pages * PAGE_SIZE >> 10),
		  (unsigned long)(longest * PAGE_SIZE >> 10));
	throw("runtime: out of memory");
}
