/*
 * malloc.c - allocating garbage-collected memory: the mcache and its fast
 * path, tiny objects, large objects, pointer masks and statistics.
 *
 * The public calls (include/gohart.h) all land in mallocgc, which, like
 * Go's, sorts a request three ways:
 *
 *   1. tiny: pointer-free and under 16 bytes.  Several share one 16-byte
 *      block (c->tiny), each aligned to its own size's alignment; a block
 *      is freed only when every object in it is dead (GC).  Strings and
 *      small scalars are common, so this saves a lot of space.
 *   2. small: up to 32 KiB.  Round up to a size class, take the next free
 *      object of this cpu's current span for that class (no lock: the
 *      mcache is this cpu's alone).  When the span is full, trade it at
 *      mcentral for one with free objects (a lock, once per span).
 *   3. large: over 32 KiB.  A span of its own, straight from mheap.
 *
 * The fast path (alloc_fast and mspan_next_free_fast), step by step:
 *   a. size -> size class (one table load) -> this cpu's span for the
 *      class (c->alloc[spanclass]);
 *   b. the span's window: alloc_cache has a set bit per free object,
 *      bit 0 standing for the object at freeaddr.  Bit 0 set (the usual
 *      case): that object is ours.  Otherwise ctz(alloc_cache) counts the
 *      taken objects to skip.  An empty window goes to the slow path;
 *   c. shift the used bits out, move freeaddr past the object.
 * Nothing else: no bounds check (a window never covers objects past the
 * span's end), no counters (counted per window and per span, ahead), no
 * lock, no atomic read-modify-write (the mcache belongs to this cpu).
 *
 * Memory comes back zeroed: spans are zeroed when made (mheap_alloc), and
 * nothing is freed yet.  When the sweeper frees objects, reused spans
 * will need zeroing per object (Go's needzero).
 *
 * Context: thread code on any cpu.  Interrupt handlers must not allocate
 * (they could interrupt this cpu's allocation half-way).  The mcache is
 * the hart's p's (hart_self()->mcache); the fast path is safe from
 * preemption because the timer never preempts runtime code (linker.ld),
 * and the slow path also holds acquirem, as Go's mallocgc does.
 *
 * Go: runtime/malloc.go (mallocgc, nextFreeFast, nextFree), mcache.go
 * (refill), mbitmap.go (heapBitsSetType: our ptrbits are simpler: one
 * "may hold a pointer" bit per word, written only for typed objects).
 */
#include <string.h>

#include "gohart.h"
#include "hal/hal.h"
#include "mm/bitops.h"
#include "mm/mheap.h"
#include "runtime/hart.h"
#include "runtime/panic.h"
#include "runtime/proc.h"

struct mcache mcaches[NUM_MCACHES];

/* This cpu's mcache: two loads (tp -> struct hart -> mcache). */
static inline struct mcache *mcache_self(void)
{
	return hart_self()->mcache;
}

/* Every mcache slot starts out holding the span with an empty window. */
struct mspan empty_mspan;

void mcache_init(struct mcache *c)
{
	for (unsigned i = 0; i < NUM_SPAN_CLASSES; i++)
		c->alloc[i] = &empty_mspan;
	c->tiny = 0;
	c->tinyoffset = TINY_SIZE;      /* no room: the first takes a block */
}

/*
 * mcache_release_all: give every cached span back to mcentral (a p going
 * away, GOMAXPROCS shrinking).  Go's mcache.releaseAll.  Nobody else may
 * be using c.
 */
void mcache_release_all(struct mcache *c)
{
	for (unsigned spc = 0; spc < NUM_SPAN_CLASSES; spc++) {
		struct mspan *s = c->alloc[spc];
		if (s == &empty_mspan)
			continue;
		mspan_close_window(s);
		c->nmalloc[spanclass_sizeclass(spc)] -= (uint64_t)(s->nelems - s->alloc_count);
		mcentral_uncache_span(&mheap.central[spc], s);
		c->alloc[spc] = &empty_mspan;
	}
	c->tiny = 0;
	c->tinyoffset = TINY_SIZE;
}

/*
 * Go: mcache.refill.  Swap the full span for one with room.
 *
 * Statistics are counted here, not per object (as Go does): a span taken
 * into the cache counts all its free objects as allocated at once; one
 * given back subtracts those it did not use.  gohart_mem_stats corrects
 * for the spans still cached.  The fast path touches no counter.
 */
static struct mspan *mcache_refill(struct mcache *c, unsigned spc)
{
	struct mspan *s = c->alloc[spc];
	struct mcentral *central = &mheap.central[spc];
	unsigned sc = spanclass_sizeclass(spc);
	if (s != &empty_mspan) {
		mspan_close_window(s);
		c->nmalloc[sc] -= (uint64_t)(s->nelems - s->alloc_count);
		mcentral_uncache_span(central, s);
	}
	s = mcentral_cache_span(central);
	c->nmalloc[sc] += (uint64_t)(s->nelems - s->alloc_count) +
			  popcount64(s->alloc_cache);
	c->alloc[spc] = s;
	c->nrefill++;
	return s;
}

/*
 * Go: mcache.nextFree.  The slow path: the current span's window is
 * empty.  Load its next window, or trade the span in when it is full.
 */
static void *next_free(struct mcache *c, unsigned spc)
{
	struct mspan *s = c->alloc[spc];
	void *p = s != &empty_mspan ? mspan_next_free(s) : NULL;
	if (p == NULL) {
		s = mcache_refill(c, spc);
		p = mspan_next_free_fast(s);
		ASSERT(p != NULL, "next_free: fresh span has no free object");
	}
	return p;
}

static void *alloc_small(struct mcache *c, unsigned sizeclass, bool noscan)
{
	unsigned spc = spanclass_make(sizeclass, noscan);
	void *p = mspan_next_free_fast(c->alloc[spc]);
	return p ? p : next_free(c, spc);
}

/*
 * Go's tiny allocator (mallocgc's noscan < maxTinySize branch): the next
 * object in the current 16-byte block, aligned as its size needs (8, 4
 * or 2 for sizes that are multiples of those), or NULL when it does not
 * fit.  mcache_init starts tinyoffset at TINY_SIZE: no block yet.
 */
static inline void *tiny_fast(struct mcache *c, size_t size)
{
	uintptr_t off = c->tinyoffset;
	if ((size & 7) == 0)
		off = (off + 7) & ~(uintptr_t)7;
	else if ((size & 3) == 0)
		off = (off + 3) & ~(uintptr_t)3;
	else if ((size & 1) == 0)
		off = (off + 1) & ~(uintptr_t)1;
	if (off + size > TINY_SIZE)
		return NULL;
	c->tinyoffset = off + size;
	c->ntiny++;
	uintptr_t p = c->tiny + off;
	if (p == 0)
		__builtin_unreachable();
	return (void *)p;
}

static void *alloc_tiny(struct mcache *c, size_t size)
{
	void *p = tiny_fast(c, size);
	if (p != NULL)
		return p;
	/* A new 16-byte block from the 16-byte noscan class. */
	void *block = alloc_small(c, size_to_class(TINY_SIZE), true);
	/* Keep whichever block has more room left (Go does the same). */
	if (size < c->tinyoffset) {
		c->tiny = (uintptr_t)block;
		c->tinyoffset = size;
	}
	return block;
}

static void *alloc_large(struct mcache *c, size_t size, bool noscan)
{
	if (size > (size_t)1 << 40)     /* more than any board's RAM */
		mheap_out_of_memory(size);
	uintptr_t npages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	struct mspan *s = mheap_alloc(npages, spanclass_make(0, noscan));
	if (s == NULL)
		mheap_out_of_memory(size);
	s->alloc_count = 1;
	s->freeindex = 1;
	c->nlarge++;
	c->large_bytes += npages * PAGE_SIZE;
	return (void *)s->startaddr;
}

/*
 * Record which words of the object at p may hold pointers: the mask's
 * bits for the words asked for, zero for the rest of the slot (a reused
 * slot must not keep an earlier object's bits).
 */
static void set_ptrmask(void *p, size_t size, const uint64_t *ptrmask)
{
	uintptr_t addr = (uintptr_t)p;
	struct mspan *s = span_of(addr);
	ASSERT(s != NULL, "gc_alloc_typed: object not in a span");
	uintptr_t idx = span_object_index(s, addr);
	s->typed_bits[idx / 8] |= (uint8_t)(1u << (idx % 8));
	uintptr_t word = (addr - mheap.arena_base) / 8;
	size_t nwords = (size + 7) / 8;
	for (size_t w = 0; w < s->elemsize / 8; w++) {
		uintptr_t bit = word + w;
		uint8_t m = (uint8_t)(1u << (bit % 8));
		if (w < nwords && (ptrmask[w / 64] >> (w % 64) & 1))
			mheap.ptrbits[bit / 8] |= m;
		else
			mheap.ptrbits[bit / 8] &= (uint8_t)~m;
	}
}

/*
 * The slow path keeps preemption off (Go's acquirem in mallocgc): the
 * mcache is this hart's p's, and must stay so until we are done with it.
 * Runtime code is never preempted by the timer anyway (linker.ld);
 * releasem is where a preemption the tick had to put off happens.
 */
static void *mallocgc(size_t size, bool noscan)
{
	struct m *mp = acquirem();
	struct mcache *c = mcache_self();
	void *p;
	if (size == 0)
		size = 1;       /* Go returns &zerobase; distinct objects here */
	if (size <= MAX_SMALL_SIZE) {
		if (noscan && size < TINY_SIZE)
			p = alloc_tiny(c, size);
		else
			p = alloc_small(c, size_to_class(size), noscan);
	} else {
		p = alloc_large(c, size, noscan);
	}
	releasem(mp);
	return p;
}

/*
 * The fast path, inlined into each entry point: a tiny object that fits
 * the current block, or a small object whose class's current span has a
 * free object in its window.  Everything else goes through mallocgc.
 */
static inline __attribute__((always_inline)) void *alloc_fast(size_t size,
							     bool noscan)
{
	/* Size 0 finds class 0, whose slot always holds empty_mspan. */
	if (size <= SMALL_SIZE_MAX) {
		struct mcache *c = mcache_self();
		void *p;
		if (noscan && size < TINY_SIZE) {
			p = tiny_fast(c, size);
		} else {
			/* uintptr_t: no 32-bit wrap to undo in the index */
			uintptr_t sc = size_to_class8[(size + SMALL_SIZE_DIV - 1) /
						      SMALL_SIZE_DIV];
			p = mspan_next_free_fast(c->alloc[sc * 2 + noscan]);
		}
		if (p != NULL)
			return p;
	}
	return mallocgc(size, noscan);
}

/* The two entry points are FAST_ENTRY: mallocgc makes its own frame. */
FAST_ENTRY void *gc_alloc(size_t size)
{
	return alloc_fast(size, false);
}

FAST_ENTRY void *gc_alloc_noscan(size_t size)
{
	return alloc_fast(size, true);
}

void *gc_alloc_typed(size_t size, const uint64_t *ptrmask)
{
	void *p = mallocgc(size, false);        /* scan objects are never tiny */
	set_ptrmask(p, size, ptrmask);
	return p;
}

bool gc_is_heap_pointer(const void *p)
{
	return span_of((uintptr_t)p) != NULL;
}

bool gc_is_noscan(const void *p)
{
	struct mspan *s = span_of((uintptr_t)p);
	return s != NULL && spanclass_noscan(s->spanclass);
}

/* ---- Statistics (Go's runtime.MemStats) ---- */

/*
 * Sums every cpu's counters without stopping them: a snapshot that may be
 * a few allocations behind on a busy cpu (Go's ReadMemStats stops the
 * world for an exact one; we will once stop-the-world exists).
 */
void gohart_mem_stats(struct gohart_mem_stats *m)
{
	memset(m, 0, sizeof *m);
	for (int i = 0; i < NUM_MCACHES; i++) {
		const struct mcache *c = &mcaches[i];
		for (unsigned k = 1; k < NUM_SIZE_CLASSES; k++) {
			uint64_t n = c->nmalloc[k];
			/* The cached spans' free objects were counted ahead. */
			for (unsigned noscan = 0; noscan < 2; noscan++) {
				const struct mspan *s = c->alloc[spanclass_make(k, noscan)];
				n -= (uint64_t)(s->nelems - s->alloc_count) +
				     popcount64(s->alloc_cache);
			}
			m->by_size[k].size = class_to_size[k];
			m->by_size[k].mallocs += n;
			m->heap_alloc += n * class_to_size[k];
		}
		/* Tiny objects live inside 16-byte blocks counted above. */
		m->mallocs += c->ntiny + c->nlarge;
		m->heap_alloc += c->large_bytes;
		m->large_allocs += c->nlarge;
	}
	for (unsigned k = 1; k < NUM_SIZE_CLASSES; k++)
		m->mallocs += m->by_size[k].mallocs;
	m->heap_sys = mheap.sys_pages * PAGE_SIZE;
	m->heap_inuse = mheap.inuse_pages * PAGE_SIZE;
	m->heap_idle = pagealloc_free_pages(&mheap.pages) * PAGE_SIZE;
	m->manual = mheap.manual_pages * PAGE_SIZE;
	m->frees = 0;                   /* nothing is freed before the GC */
}
