/*
 * mcentral.c - the spans of one span class, shared by all cpus.
 *
 * An mcache whose current span is full trades it here for one with free
 * objects: mcentral_uncache_span takes the old span back (onto `full` or
 * `partial`), mcentral_cache_span hands out a partial one, or a brand-new
 * span from mheap when there is none.  The span's allocation window (the
 * 64-object slice of its alloc bits the fast path works from) is opened
 * and moved along here too.
 *
 * Invariants.
 *   1. A span is on at most one list, and on none while an mcache holds
 *      it (in_cache).
 *   2. Spans on `partial` have alloc_count < nelems.
 * Locking: c->lock guards both lists and nspans.  It is taken with no
 * other allocator lock held, and mheap.lock is never held while taking
 * it (rank: mcentral.lock before mheap.lock).
 *
 * Differences from Go.  Go 1.19 keeps four lock-free span sets per
 * mcentral (partial/full x swept/unswept) so the garbage collector's
 * sweeper and the allocators never wait for each other.  Until the GC
 * exists nothing is ever swept, so two locked lists carry the same
 * information; the swept/unswept split arrives with the sweeper, keyed on
 * sweepgen (+2 per cycle, as in Go).
 *
 * Go: runtime/mcentral.go (cacheSpan, uncacheSpan, grow).
 */
#include "mheap.h"

#include "bitops.h"
#include "runtime/panic.h"

static void push(struct mspan **list, struct mspan *s)
{
	s->prev = NULL;
	s->next = *list;
	if (*list)
		(*list)->prev = s;
	*list = s;
}

static struct mspan *pop(struct mspan **list)
{
	struct mspan *s = *list;
	if (s) {
		*list = s->next;
		if (*list)
			(*list)->prev = NULL;
		s->next = s->prev = NULL;
	}
	return s;
}

/*
 * The free objects of group g (objects 64g .. 64g+63) as a bit mask, from
 * the alloc bits complemented (1 = free), with no bit past nelems.
 *
 * The bitmaps are bytes (bit i of byte j is object 8j + i) made of whole,
 * aligned 64-bit words (mm/layout.c checks), so on a little-endian cpu
 * (both of ours) word g holds the group's bits in order: one load.
 * may_alias: the bytes are written as uint8_t elsewhere.
 */
typedef uint64_t __attribute__((may_alias)) bitword;

static uint64_t group_free_bits(const struct mspan *s, unsigned g)
{
	_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
		       "group_free_bits: bitmap words are little-endian");
	uint64_t free = ~((const bitword *)s->alloc_bits)[g];
	unsigned left = s->nelems - g * 64;
	if (left < 64)
		free &= (1ull << left) - 1;
	return free;
}

/*
 * mspan_load_window: point the window at the first free object from
 * freeindex on, within its group of 64, moving on group by group.
 * The window's free objects are counted into alloc_count now, ahead of
 * their allocation, so the fast path counts nothing.  False (and
 * freeindex = nelems) when no object is free.  Go: mbitmap.go
 * nextFreeIndex and refillAllocCache.
 */
bool mspan_load_window(struct mspan *s)
{
	unsigned idx = s->freeindex;
	while (idx < s->nelems) {
		uint64_t free = group_free_bits(s, idx / 64) >> (idx % 64);
		if (free != 0) {
			unsigned skip = ctz64(free);
			idx += skip;
			s->freeindex = (uint16_t)idx;
			s->alloc_cache = free >> skip;
			s->freeaddr = s->startaddr + idx * s->elemsize;
			s->alloc_count = (uint16_t)(s->alloc_count + popcount64(free));
			return true;
		}
		idx = (idx | 63) + 1;   /* the next group */
	}
	s->freeindex = s->nelems;
	s->alloc_cache = 0;
	s->freeaddr = s->limit;
	return false;
}

/*
 * mspan_next_window: the window is empty; everything from freeindex to
 * the end of its group has been taken.  Load the next window.
 */
bool mspan_next_window(struct mspan *s)
{
	ASSERT(s->alloc_cache == 0, "mspan_next_window: window not empty");
	unsigned next = (s->freeindex | 63u) + 1;
	s->freeindex = (uint16_t)(next < s->nelems ? next : s->nelems);
	return mspan_load_window(s);
}

/*
 * mspan_next_free: the next free object of s, moving the window along as
 * needed; NULL when s is full.  The window must have been opened
 * (mcentral_cache_span, mspan_load_window).  Go: mcache.nextFree's span
 * half.
 */
void *mspan_next_free(struct mspan *s)
{
	void *p = mspan_next_free_fast(s);
	if (p == NULL && mspan_next_window(s))
		p = mspan_next_free_fast(s);
	return p;
}

/*
 * mspan_close_window: the span leaves its mcache.  The objects still free
 * in the window are given back to alloc_count, and freeindex moves up to
 * freeaddr: everything below it is allocated (the window handed objects
 * out lowest first, and the rest below were allocated already).
 */
void mspan_close_window(struct mspan *s)
{
	s->alloc_count = (uint16_t)(s->alloc_count - popcount64(s->alloc_cache));
	s->alloc_cache = 0;
	s->freeindex = (uint16_t)divide_by_elemsize((uint32_t)(s->freeaddr - s->startaddr),
						    spanclass_sizeclass(s->spanclass));
}

struct mspan *mcentral_cache_span(struct mcentral *c)
{
	spin_lock(&c->lock);
	struct mspan *s = pop(&c->partial);
	spin_unlock(&c->lock);
	if (s == NULL) {
		unsigned sc = spanclass_sizeclass(c->spanclass);
		s = mheap_alloc(class_to_allocnpages[sc], c->spanclass);
		if (s == NULL)
			mheap_out_of_memory(class_to_allocnpages[sc] * PAGE_SIZE);
		spin_lock(&c->lock);
		c->nspans++;
		spin_unlock(&c->lock);
	}
	ASSERT(!s->in_cache, "mcentral_cache_span: span already cached");
	ASSERT(s->alloc_count < s->nelems, "mcentral_cache_span: full span on partial");
	s->in_cache = true;
	bool ok = mspan_load_window(s);
	ASSERT(ok, "mcentral_cache_span: span has no free object");
	return s;
}

void mcentral_uncache_span(struct mcentral *c, struct mspan *s)
{
	ASSERT(s->in_cache, "mcentral_uncache_span: span not cached");
	ASSERT(s->alloc_cache == 0, "mcentral_uncache_span: window still open");
	s->in_cache = false;
	spin_lock(&c->lock);
	push(s->alloc_count == s->nelems ? &c->full : &c->partial, s);
	spin_unlock(&c->lock);
}
