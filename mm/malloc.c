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
 * The fast path (next_free_fast), step by step:
 *   a. ctz(alloc_cache): the index of the next free object in the current
 *      64-object window (a set bit is free);
 *   b. if the window is empty, or the object would be the last of a
 *      window (the window must be refilled), fall to the slow path;
 *   c. shift the used bits out, advance freeindex, count the object.
 * No lock, no atomic read-modify-write: the mcache belongs to this cpu.
 *
 * Memory comes back zeroed: spans are zeroed when made (mheap_alloc), and
 * nothing is freed yet.  When the sweeper frees objects, reused spans
 * will need zeroing per object (Go's needzero).
 *
 * Context: thread code on any cpu.  Interrupt handlers must not allocate
 * (they could interrupt this cpu's allocation half-way).  Once the
 * scheduler exists the mcache belongs to a P and allocation runs with
 * preemption disabled, as in Go (acquirem).
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

struct mcache mcaches[CONFIG_MAXCPU];

/* This cpu's mcache: two loads (tp -> struct hart -> mcache). */
static inline struct mcache *mcache_self(void)
{
	return hart_self()->mcache;
}

/* Go: nextFreeFast.  NULL when the slow path is needed. */
static inline void *next_free_fast(struct mspan *s)
{
	uint64_t cache = s->alloc_cache;
	if (cache == 0)
		return NULL;
	/* Objects are mostly taken in order: then the next one is bit 0 and
	 * the count-trailing-zeros (8 instructions without Zbb) is skipped. */
	unsigned bit = (cache & 1) ? 0 : ctz64(cache);
	{
		unsigned result = s->freeindex + bit;
		if (result < s->nelems) {
			unsigned next = result + 1;
			if (next % 64 == 0 && next != s->nelems)
				return NULL;    /* window ends: refill first */
			s->alloc_cache = cache >> (bit + 1);
			s->freeindex = (uint16_t)next;
			s->alloc_count++;
			return (void *)(s->startaddr + result * s->elemsize);
		}
	}
	return NULL;
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
	if (s != NULL) {
		c->nmalloc[sc] -= (uint64_t)(s->nelems - s->alloc_count);
		mcentral_uncache_span(central, s);
	}
	s = mcentral_cache_span(central);
	c->nmalloc[sc] += (uint64_t)(s->nelems - s->alloc_count);
	c->alloc[spc] = s;
	c->nrefill++;
	return s;
}

/* Go: mcache.nextFree.  The slow path, including the refill. */
static void *next_free(struct mcache *c, unsigned spc)
{
	struct mspan *s = c->alloc[spc];
	unsigned idx = s ? mspan_next_free_index(s) : 0;
	if (s == NULL || idx == s->nelems) {
		s = mcache_refill(c, spc);
		idx = mspan_next_free_index(s);
		ASSERT(idx < s->nelems, "mcache_refill: new span has no free object");
	}
	s->alloc_count++;
	return (void *)(s->startaddr + idx * s->elemsize);
}

static void *alloc_small(struct mcache *c, unsigned sizeclass, bool noscan)
{
	unsigned spc = spanclass_make(sizeclass, noscan);
	struct mspan *s = c->alloc[spc];
	void *p = s ? next_free_fast(s) : NULL;
	return p ? p : next_free(c, spc);
}

/* Go's tiny allocator (mallocgc's noscan < maxTinySize branch). */
static void *alloc_tiny(struct mcache *c, size_t size)
{
	uintptr_t off = c->tinyoffset;
	if ((size & 7) == 0)
		off = (off + 7) & ~(uintptr_t)7;
	else if ((size & 3) == 0)
		off = (off + 3) & ~(uintptr_t)3;
	else if ((size & 1) == 0)
		off = (off + 1) & ~(uintptr_t)1;
	if (off + size <= TINY_SIZE && c->tiny != 0) {
		c->tinyoffset = off + size;
		c->ntiny++;
		return (void *)(c->tiny + off);
	}
	/* A new 16-byte block from the 16-byte noscan class. */
	void *block = alloc_small(c, size_to_class(TINY_SIZE), true);
	/* Keep whichever block has more room left (Go does the same). */
	if (size < c->tinyoffset || c->tiny == 0) {
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

static void *mallocgc(size_t size, bool noscan)
{
	struct mcache *c = mcache_self();
	if (size == 0)
		size = 1;       /* Go returns &zerobase; distinct objects here */
	if (size <= MAX_SMALL_SIZE) {
		if (noscan && size < TINY_SIZE)
			return alloc_tiny(c, size);
		return alloc_small(c, size_to_class(size), noscan);
	}
	return alloc_large(c, size, noscan);
}

/*
 * The fast path, inlined into each entry point: a small object whose
 * class's current span has a free object in its window.  Everything else
 * goes through mallocgc.
 */
static inline __attribute__((always_inline)) void *alloc_fast(size_t size,
							     bool noscan)
{
	if (size - 1 < SMALL_SIZE_MAX - 8 && !(noscan && size < TINY_SIZE)) {
		struct mcache *c = mcache_self();
		unsigned sc = size_to_class8[(size + SMALL_SIZE_DIV - 1) / SMALL_SIZE_DIV];
		struct mspan *s = c->alloc[spanclass_make(sc, noscan)];
		if (s != NULL) {
			void *p = next_free_fast(s);
			if (p != NULL)
				return p;
		}
	}
	return mallocgc(size, noscan);
}

void *gc_alloc(size_t size)
{
	return alloc_fast(size, false);
}

void *gc_alloc_noscan(size_t size)
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

/* ---- Statistics (Go's runtime.MemStats) ---- */

/*
 * Sums every cpu's counters without stopping them: a snapshot that may be
 * a few allocations behind on a busy cpu (Go's ReadMemStats stops the
 * world for an exact one; we will once stop-the-world exists).
 */
void gohart_mem_stats(struct gohart_mem_stats *m)
{
	memset(m, 0, sizeof *m);
	for (int i = 0; i < hal_ncpu(); i++) {
		const struct mcache *c = &mcaches[i];
		for (unsigned k = 1; k < NUM_SIZE_CLASSES; k++) {
			uint64_t n = c->nmalloc[k];
			/* The cached spans' free objects were counted ahead. */
			for (unsigned noscan = 0; noscan < 2; noscan++) {
				const struct mspan *s = c->alloc[spanclass_make(k, noscan)];
				if (s != NULL)
					n -= (uint64_t)(s->nelems - s->alloc_count);
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
