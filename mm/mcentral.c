/*
 * mcentral.c - the spans of one span class, shared by all cpus.
 *
 * An mcache whose current span is full trades it here for one with free
 * objects: mcentral_uncache_span takes the old span back (onto `full` or
 * `partial`), mcentral_cache_span hands out a partial one, or a brand-new
 * span from mheap when there is none.
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

/* Load 64 alloc bits starting at byte `which`, complemented (1 = free). */
static void refill_alloc_cache(struct mspan *s, unsigned which)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | s->alloc_bits[which + (unsigned)i];
	s->alloc_cache = ~v;
}

/* Point alloc_cache at freeindex (Go: the tail of mcentral.cacheSpan). */
void mspan_refill_cache(struct mspan *s)
{
	unsigned base = s->freeindex & ~63u;
	refill_alloc_cache(s, base / 8);
	s->alloc_cache >>= s->freeindex % 64;
}

/*
 * mspan_next_free_index: the slow half of finding a free object: scan the
 * alloc bits past the current 64-bit window.  Returns nelems when the span
 * is full.  Go: mbitmap.go nextFreeIndex.
 */
unsigned mspan_next_free_index(struct mspan *s)
{
	unsigned idx = s->freeindex, n = s->nelems;
	if (idx == n)
		return n;
	unsigned bit = ctz64(s->alloc_cache);
	while (bit == 64) {
		idx = (idx + 64) & ~63u;
		if (idx >= n) {
			s->freeindex = (uint16_t)n;
			return n;
		}
		refill_alloc_cache(s, idx / 8);
		bit = ctz64(s->alloc_cache);
	}
	unsigned result = idx + bit;
	if (result >= n) {
		s->freeindex = (uint16_t)n;
		return n;
	}
	s->alloc_cache >>= bit + 1;
	idx = result + 1;
	if (idx % 64 == 0 && idx != n)
		refill_alloc_cache(s, idx / 8);
	s->freeindex = (uint16_t)idx;
	return result;
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
	mspan_refill_cache(s);
	return s;
}

void mcentral_uncache_span(struct mcentral *c, struct mspan *s)
{
	ASSERT(s->in_cache, "mcentral_uncache_span: span not cached");
	s->in_cache = false;
	spin_lock(&c->lock);
	push(s->alloc_count == s->nelems ? &c->full : &c->partial, s);
	spin_unlock(&c->lock);
}
