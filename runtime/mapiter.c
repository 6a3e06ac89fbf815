/*
 * mapiter.c - ranging over a map, and looking inside one.
 *
 * An iterator (struct map_iter, Go's hiter) walks the bucket array as it
 * was when the range began: every bucket once, starting at a random
 * bucket, and in each bucket every slot once, starting at a random slot
 * (offset).  Two ranges over the same map therefore see different
 * orders: Go made the order random on purpose, so that no one depends
 * on it.
 *
 * The hard part is growth.  Three cases, step by step, for each bucket
 * the iterator reaches:
 *   1. No growth under way: walk the bucket's chain.
 *   2. The map is growing into the array the iterator walks (it.B ==
 *      h->B: it was growing when the range began, or a same-size growth
 *      began since) and the old bucket that feeds this bucket is not
 *      evacuated yet: walk
 *      the old bucket instead, and keep only the entries whose hash
 *      sends them to this new bucket (check_bucket).  The old bucket
 *      also holds the entries for the sibling new bucket; those are
 *      returned when the iterator reaches the sibling.
 *   3. The map began growing after the range began: the iterator still
 *      walks its own (now old) array, which growth leaves in place
 *      (OLD_ITERATOR stops evacuate from clearing it).  An entry marked
 *      EVACUATED_X/Y has moved: look the key up in the map as it is now,
 *      which gives the current value, or nothing if it was deleted.
 * So each key present for the whole range is returned exactly once; a
 * deleted key is not returned after its deletion; an added key may or
 * may not be.
 *
 * Introspection (map_stats, map_dump) reads the same structures to show
 * students B, the chains and the evacuation progress.
 *
 * Go: runtime/map.go (mapiterinit, mapiternext).
 */
#include "gohart.h"
#include "runtime/map.h"
#include "runtime/panic.h"
#include "runtime/print.h"

#define NO_CHECK ((uintptr_t)1 << 63)   /* check_bucket: not filtering */

/* Go: runtime/map.go mapiterinit. */
void map_iter_init(const struct maptype *t, map_t h, struct map_iter *it)
{
	*it = (struct map_iter){ .t = t };
	if (h == NULL || h->count == 0)
		return;
	it->h = h;
	it->B = h->B;
	it->buckets = h->buckets;
	if (t->flags & MAPTYPE_NOSCAN) {
		/* Keep the overflow buckets alive while we walk them. */
		map_create_overflow(h);
		it->overflow = h->extra->overflow;
		it->oldoverflow = h->extra->oldoverflow;
	}
	/* A random start: bucket from the low bits, slot from the next 3. */
	uint64_t r = map_fastrand();
	if (h->B > 31 - BUCKET_CNT_BITS)
		r += (uint64_t)map_fastrand() << 31;
	it->start_bucket = r & bucket_mask(h->B);
	it->offset = (uint8_t)((r >> h->B) & (BUCKET_CNT - 1));
	it->bucket = it->start_bucket;
	/*
	 * Several iterators may start at once, since reading is allowed
	 * concurrently.  Go uses an atomic OR; a plain store of the same
	 * value does as well here: concurrent readers all store flags |
	 * both, and the only other bits change under writers, whose
	 * overlap with any reader is the misuse the flags exist to catch.
	 */
	uint8_t both = ITERATOR | OLD_ITERATOR;
	uint8_t f = flags_load(h);
	if ((f & both) != both)
		flags_store(h, f | both);
	map_iter_next(it);
}

/* Go: runtime/map.go mapiternext. */
void map_iter_next(struct map_iter *it)
{
	struct hmap *h = it->h;
	if (h == NULL) {
		it->key = it->elem = NULL;
		return;
	}
	if (flags_load(h) & HASH_WRITING)
		throw("concurrent map iteration and map write");
	const struct maptype *t = it->t;
	uintptr_t bucket = it->bucket, check_bucket = it->check_bucket;
	struct bmap *b = it->bptr;
	uintptr_t i = it->i;
next:
	if (b == NULL) {
		if (bucket == it->start_bucket && it->wrapped) {
			it->key = it->elem = NULL;      /* done */
			return;
		}
		if (map_growing(h) && it->B == h->B) {
			/* case 2: walk the old bucket if it still holds ours */
			uintptr_t oldbucket = bucket & oldbucket_mask(h);
			b = bucket_at(t, h->oldbuckets, oldbucket);
			if (!evacuated(b)) {
				check_bucket = bucket;
			} else {
				b = bucket_at(t, it->buckets, bucket);
				check_bucket = NO_CHECK;
			}
		} else {
			b = bucket_at(t, it->buckets, bucket);
			check_bucket = NO_CHECK;
		}
		bucket++;
		if (bucket == bucket_shift(it->B)) {
			bucket = 0;
			it->wrapped = true;
		}
		i = 0;
	}
	for (; i < BUCKET_CNT; i++) {
		uintptr_t offi = (i + it->offset) & (BUCKET_CNT - 1);
		uint8_t top = b->tophash[offi];
		if (is_empty(top) || top == EVACUATED_EMPTY)
			continue;
		void *k = slot_key(t, bmap_key(t, b, offi));
		void *e = bmap_elem(t, b, offi);
		if (check_bucket != NO_CHECK && !same_size_grow(h)) {
			/* case 2: skip entries bound for the sibling bucket */
			uint64_t hash = map_hash(t, k, h->hash0);
			if ((hash & bucket_mask(it->B)) != check_bucket)
				continue;
		}
		if (top != EVACUATED_X && top != EVACUATED_Y) {
			/* cases 1 and 2: this is the entry itself */
			it->key = k;
			it->elem = slot_elem(t, e);
		} else {
			/* case 3: it moved; the map as it is now has the truth */
			void *rk, *re;
			if (!map_access_k(t, h, k, &rk, &re))
				continue;       /* deleted since */
			it->key = rk;
			it->elem = re;
		}
		it->bucket = bucket;
		it->bptr = b;
		it->i = (uint8_t)(i + 1);
		it->check_bucket = check_bucket;
		return;
	}
	b = bmap_overflow(t, b);
	i = 0;
	goto next;
}

/* ---- Introspection ---- */

static uintptr_t slots_used(const struct bmap *b)
{
	uintptr_t n = 0;
	for (int i = 0; i < BUCKET_CNT; i++)
		n += b->tophash[i] >= MIN_TOPHASH;
	return n;
}

/* Occupancy and chain lengths of the current array (not oldbuckets). */
static void walk_chains(const struct maptype *t, struct hmap *h,
			struct map_stats *s)
{
	for (uintptr_t i = 0; h->buckets != NULL && i < bucket_shift(h->B); i++) {
		uintptr_t len = 0;
		for (struct bmap *b = bucket_at(t, h->buckets, i); b != NULL;
		     b = bmap_overflow(t, b)) {
			s->occupancy[slots_used(b)]++;
			len++;
		}
		s->overflow_buckets += len - 1;
		if (len > s->longest_chain)
			s->longest_chain = len;
	}
}

void map_stats(const struct maptype *t, map_t h, struct map_stats *s)
{
	(void)t;
	*s = (struct map_stats){ 0 };
	if (h == NULL)
		return;
	s->count = h->count;
	s->B = h->B;
	s->noverflow = h->noverflow;
	s->hash0 = h->hash0;
	s->nbuckets = bucket_shift(h->B);
	s->growing = map_growing(h);
	s->same_size_grow = same_size_grow(h);
	if (s->growing) {
		s->nevacuate = h->nevacuate;
		s->noldbuckets = noldbuckets(h);
	}
}

void map_chains(const struct maptype *t, map_t h, struct map_stats *s)
{
	map_stats(t, h, s);
	if (h != NULL)
		walk_chains(t, h, s);
}

void map_dump(const struct maptype *t, map_t h)
{
	struct map_stats s;
	map_chains(t, h, &s);
	print_lock();
	print_fmt("map %p: count %ld, B %u (%lu buckets), noverflow %u, "
		  "hash0 %#x\n", (void *)h, (long)s.count, s.B,
		  (unsigned long)s.nbuckets, s.noverflow, s.hash0);
	if (s.growing)
		print_fmt("  growing%s: %lu of %lu old buckets evacuated\n",
			  s.same_size_grow ? " (same size)" : "",
			  (unsigned long)s.nevacuate, (unsigned long)s.noldbuckets);
	for (uintptr_t i = 0; h != NULL && h->buckets != NULL && i < s.nbuckets; i++) {
		print_fmt("  bucket %4lu:", (unsigned long)i);
		for (struct bmap *b = bucket_at(t, h->buckets, i); b != NULL;
		     b = bmap_overflow(t, b)) {
			print_fmt(" [");
			for (int j = 0; j < BUCKET_CNT; j++) {
				uint8_t top = b->tophash[j];
				if (top >= MIN_TOPHASH)
					print_fmt("%02x", top);
				else
					print_fmt("%s", top == EMPTY_REST ? "__" : "..");
			}
			print_fmt("]");
		}
		print_fmt("\n");
	}
	print_unlock();
}
