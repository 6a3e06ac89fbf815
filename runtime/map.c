/*
 * map.c - Go's hash map (the classic one, Go 1.19, before Swiss tables):
 * lookup, insert, delete, clear, and incremental growth.
 *
 * The data structures (runtime/map.h has them with pictures):
 *   - hmap: the map header.  count, flags, B (there are 2^B buckets),
 *     hash0 (a random seed per map, so that no one can choose keys that
 *     all collide), buckets, and while growing oldbuckets and nevacuate.
 *   - bmap: a bucket of 8 slots: tophash[8], 8 keys, 8 values, and a
 *     pointer to an overflow bucket when 8 were not enough.
 *
 * A lookup, step by step:
 *   1. hash = hash(key, hash0).
 *   2. The low B bits pick the bucket: buckets[hash & (2^B - 1)].
 *   3. The top 8 bits are the tophash (nudged above the cell states
 *      0..4).  Compare the tophash of each slot first, one byte, and
 *      only where it matches compare the whole key.
 *   4. Follow the overflow chain.  A slot marked EMPTY_REST ends the
 *      search early: nothing lives after it.
 *
 * Growth.  When an insert would put count above 6.5 per bucket on
 * average (the load factor, 13/2), the bucket array doubles; when there
 * are about as many overflow buckets as buckets (many deletes left
 * chains half empty), a new array of the same size is made instead, to
 * pack them again.  Either way the entries are not moved at once: each
 * later insert or delete evacuates the old bucket it is about to use
 * plus one more (nevacuate, in order), so that no single operation pays
 * for the whole move.  A doubling sends each entry of old bucket i to
 * new bucket i ("X") or i + 2^(B-1) ("Y"), by the one new hash bit; the
 * old slots are marked EVACUATED_X / EVACUATED_Y so that a running
 * iterator knows where its entries went.  Lookups during growth look in
 * the old bucket if it is not evacuated yet.
 *
 * Deletion marks a slot EMPTY_ONE, and turns a run of empty slots at the
 * end of a chain into EMPTY_REST, so that lookups for absent keys stop
 * early.  When the map becomes empty its seed is changed (Go 1.19 does
 * this too), so that a flood of colliding keys cannot be replayed.
 *
 * Invariants:
 *   - count is the number of slots with tophash >= MIN_TOPHASH, across
 *     buckets and the not-yet-evacuated part of oldbuckets.
 *   - Growth happens only when not growing: a new growth waits until
 *     every old bucket is evacuated (nevacuate == noldbuckets).
 *   - Evacuated buckets are never written again (evacuate checks).
 *   - HASH_WRITING is set exactly while a write is under way.
 *
 * Concurrency.  Maps have no lock.  A write sets HASH_WRITING, and every
 * operation checks it: a reader finding it set dies with "concurrent
 * map read and map write", a writer with "concurrent map writes", an
 * iterator with "concurrent map iteration and map write".  The flag is
 * toggled, not locked, so these checks catch some races, not all (Go's
 * catch the same).  A write also checks at its end that the flag is
 * still set: another writer cleared it in between.
 *
 * Differences from Go: the operations take the maptype (Go's compiler
 * passes it too); the hash is ours (runtime/hash.c), seeded from the
 * machine's entropy; keys must compare equal to themselves (no NaN keys),
 * so the non-reflexive-key paths of evacuate and mapiternext are gone.
 * The fast variants for 8-byte keys live in mapfast.c.
 *
 * Go: runtime/map.go (makemap, mapaccess1, mapaccess2, mapaccessK,
 * mapassign, mapdelete, mapclear, hashGrow, growWork, evacuate,
 * advanceEvacuationMark, makeBucketArray, newoverflow, incrnoverflow).
 */
#include <stdatomic.h>

#include "gohart.h"
#include "mm/sizeclasses.h"
#include "runtime/hash.h"
#include "runtime/map.h"
#include "runtime/panic.h"
#include "sync/spinlock.h"


/* What a lookup of an absent key returns (Go's zeroVal). */
const uint8_t zerovalue[MAX_ZERO];

/* ---- Hashing the key kinds ---- */

static uint64_t cstrhash(const char *s, uintptr_t seed)
{
	return s == NULL ? memhash64(&s, seed) : memhash(s, seed, strlen(s));
}

uint64_t map_hash(const struct maptype *t, const void *key, uintptr_t seed)
{
	switch (t->kind) {
	case MAP_KEY_INT32:
		return memhash32(key, seed);
	case MAP_KEY_INT64:
	case MAP_KEY_PTR:
		return memhash64(key, seed);
	case MAP_KEY_STR:
		return strhash(key, seed);
	case MAP_KEY_CSTR:
		return cstrhash(*(const char *const *)key, seed);
	case MAP_KEY_CUSTOM:
		return t->hash(key, seed);
	default:
		return memhash(key, seed, t->key_size);
	}
}

bool map_key_equal(const struct maptype *t, const void *a, const void *b)
{
	switch (t->kind) {
	case MAP_KEY_INT32:
		return *(const uint32_t *)a == *(const uint32_t *)b;
	case MAP_KEY_INT64:
	case MAP_KEY_PTR:
		return *(const uint64_t *)a == *(const uint64_t *)b;
	case MAP_KEY_STR: {
		const gostring_t *x = a, *y = b;
		return x->len == y->len &&
		       (x->str == y->str || memcmp(x->str, y->str, (size_t)x->len) == 0);
	}
	case MAP_KEY_CSTR: {
		const char *x = *(const char *const *)a, *y = *(const char *const *)b;
		return x == y || (x != NULL && y != NULL && strcmp(x, y) == 0);
	}
	case MAP_KEY_CUSTOM:
		return t->equal(a, b);
	default:
		return memcmp(a, b, t->key_size) == 0;
	}
}

/* ---- Sizes (over_load_factor and too_many_overflow_buckets: map.h) ---- */

static void incr_noverflow(struct hmap *h)
{
	/* Below 2^16 buckets count exactly; above, count 1 in 2^(B-15). */
	if (h->B < 16) {
		h->noverflow++;
		return;
	}
	uint32_t mask = (1u << (h->B - 15)) - 1;
	if ((map_fastrand() & mask) == 0)
		h->noverflow++;
}

static void *alloc_buckets(const struct maptype *t, uintptr_t bytes)
{
	return (t->flags & MAPTYPE_NOSCAN) ? gc_alloc_noscan(bytes)
					   : gc_alloc(bytes);
}

/*
 * A zeroed array for 2^b buckets.  From b = 4 on, 1/16 more are made as
 * spare overflow buckets, and the size class's slack is used for more;
 * *next_overflow gets the first spare.  The last spare's overflow
 * pointer is set (to the array) to mark it the last; free spares have
 * NULL there.  dirty, if not NULL, is an array this function made
 * earlier for the same t and b: it is cleared and reused (map_clear).
 * Go: makeBucketArray.
 */
static struct bmap *make_bucket_array(const struct maptype *t, uint8_t b,
				      struct bmap *dirty,
				      struct bmap **next_overflow)
{
	uintptr_t base = bucket_shift(b), nbuckets = base;
	if (b >= 4) {
		nbuckets += bucket_shift(b - 4);
		uintptr_t sz = t->bucketsize * nbuckets;
		uintptr_t up = roundupsize(sz);
		if (up != sz)
			nbuckets = up / t->bucketsize;
	}
	struct bmap *buckets = dirty;
	if (dirty == NULL)
		buckets = alloc_buckets(t, t->bucketsize * nbuckets);
	else
		memset(dirty, 0, t->bucketsize * nbuckets);
	*next_overflow = NULL;
	if (base != nbuckets) {
		*next_overflow = bucket_at(t, buckets, base);
		bmap_setoverflow(t, bucket_at(t, buckets, nbuckets - 1), buckets);
	}
	return buckets;
}

void map_create_overflow(struct hmap *h)
{
	if (h->extra == NULL)
		h->extra = gc_new(struct mapextra);
	if (h->extra->overflow == NULL)
		h->extra->overflow = gc_new(slice_t);
}

/* Chain a new overflow bucket after b.  Go: (*hmap).newoverflow. */
static struct bmap *new_overflow(const struct maptype *t, struct hmap *h,
				 struct bmap *b)
{
	struct bmap *ovf;
	if (h->extra != NULL && h->extra->next_overflow != NULL) {
		ovf = h->extra->next_overflow;
		if (bmap_overflow(t, ovf) == NULL) {
			h->extra->next_overflow =
				(struct bmap *)((char *)ovf + t->bucketsize);
		} else {
			/* the last spare: clear its end marker */
			bmap_setoverflow(t, ovf, NULL);
			h->extra->next_overflow = NULL;
		}
	} else {
		ovf = alloc_buckets(t, t->bucketsize);
	}
	incr_noverflow(h);
	if (t->flags & MAPTYPE_NOSCAN) {
		map_create_overflow(h);
		*h->extra->overflow =
			slice_append(struct bmap *, *h->extra->overflow, ovf);
	}
	bmap_setoverflow(t, b, ovf);
	return ovf;
}

/* ---- make ---- */

/* A new random seed for h (hash0, and seedkey for the fast paths). */
static void map_reseed(struct hmap *h)
{
	h->hash0 = map_fastrand();
	h->seedkey[0] = h->hash0 ^ hashkey[0];
	for (int i = 1; i < 4; i++)
		h->seedkey[i] = hashkey[i];
}

/* Go: runtime/map.go makemap. */
map_t map_make(const struct maptype *t, intptr_t hint)
{
	uintptr_t mem;
	if (hint < 0 || __builtin_mul_overflow((uintptr_t)hint, t->bucketsize, &mem) ||
	    mem > MAX_ALLOC)
		hint = 0;       /* Go: a bad hint is no hint (make does not panic) */
	struct hmap *h = gc_new(struct hmap);
	map_reseed(h);
	uint8_t B = 0;
	while (over_load_factor(hint, B))
		B++;
	h->B = B;
	h->bucketmask = bucket_mask(B);
	if (B != 0) {
		struct bmap *next;
		h->buckets = make_bucket_array(t, B, NULL, &next);
		if (next != NULL) {
			h->extra = gc_new(struct mapextra);
			h->extra->next_overflow = next;
		}
	}
	return h;
}

/* ---- Lookup ---- */

_Noreturn void fatal_read_write(void)
{
	throw("concurrent map read and map write");
}

_Noreturn void fatal_writes(void)
{
	throw("concurrent map writes");
}

/* A pointer to zeros of at least size bytes (Go's zeroVal, or bigger). */
const void *zero_of(size_t size)
{
	static struct spinlock lock = SPINLOCK_INIT("map.bigzero");
	static const void *big;
	static size_t bigsize;
	if (size <= MAX_ZERO)
		return zerovalue;
	spin_lock(&lock);
	if (bigsize < size) {
		big = gc_alloc_noscan(size);    /* never written */
		bigsize = size;
	}
	const void *z = big;
	spin_unlock(&lock);
	return z;
}

/* Find key; *kp and *ep get its key and value slots (not followed). */
static bool lookup(const struct maptype *t, struct hmap *h, const void *key,
		   void **kp, void **ep)
{
	uint64_t hash = map_hash(t, key, h->hash0);
	uint8_t top = tophash(hash);
	for (struct bmap *b = lookup_bucket(t, h, hash); b != NULL;
	     b = bmap_overflow(t, b)) {
		for (uintptr_t i = 0; i < BUCKET_CNT; i++) {
			if (b->tophash[i] != top) {
				if (b->tophash[i] == EMPTY_REST)
					return false;
				continue;
			}
			void *k = bmap_key(t, b, i);
			if (map_key_equal(t, key, slot_key(t, k))) {
				*kp = k;
				*ep = bmap_elem(t, b, i);
				return true;
			}
		}
	}
	return false;
}

/* Go: runtime/map.go mapaccess2 (mapaccess1 is the same without ok). */
const void *map_access2(const struct maptype *t, map_t h, const void *key,
			bool *ok)
{
	void *k, *e;
	*ok = false;
	if (h == NULL || h->count == 0) {
		if (t->kind == MAP_KEY_CUSTOM)
			map_hash(t, key, 0);    /* a hash that panics, panics */
		return zero_of(t->elem_size);
	}
	if (flags_load(h) & HASH_WRITING)
		fatal_read_write();
	if (!lookup(t, h, key, &k, &e))
		return zero_of(t->elem_size);
	*ok = true;
	return slot_elem(t, e);
}

const void *map_access(const struct maptype *t, map_t h, const void *key)
{
	bool ok;
	return map_access2(t, h, key, &ok);
}

/* For iterators: the key and value as they are now.  Go: mapaccessK. */
bool map_access_k(const struct maptype *t, struct hmap *h, const void *key,
		  void **kp, void **ep)
{
	if (h == NULL || h->count == 0 || !lookup(t, h, key, kp, ep))
		return false;
	*kp = slot_key(t, *kp);
	*ep = slot_elem(t, *ep);
	return true;
}

/* ---- Insert ---- */

static void hash_grow(const struct maptype *t, struct hmap *h);
static void grow_work(const struct maptype *t, struct hmap *h, uintptr_t bucket);


/* Copy key into a fresh slot k (allocating if keys are indirect). */
static void store_key(const struct maptype *t, void *k, const void *key)
{
	if (t->flags & MAPTYPE_INDIRECT_KEY) {
		void *p = (t->flags & MAPTYPE_NOSCAN) ? gc_alloc_noscan(t->key_size)
						      : gc_alloc(t->key_size);
		*(void **)k = p;
		k = p;
	}
	memcpy(k, key, t->key_size);
}

/* Go: runtime/map.go mapassign. */
void *map_assign(const struct maptype *t, map_t h, const void *key)
{
	if (h == NULL)
		gohart_panic("assignment to entry in nil map");
	if (flags_load(h) & HASH_WRITING)
		fatal_writes();
	uint64_t hash = map_hash(t, key, h->hash0);
	/* After hashing: a hash function that panics leaves the map alone. */
	flags_store(h, flags_load(h) ^ HASH_WRITING);
	if (h->buckets == NULL) {
		struct bmap *unused;
		h->buckets = make_bucket_array(t, 0, NULL, &unused);
	}
	uint8_t top = tophash(hash);
	void *elem;
again:;
	uintptr_t bucket = hash & bucket_mask(h->B);
	if (map_growing(h))
		grow_work(t, h, bucket);
	struct bmap *b = bucket_at(t, h->buckets, bucket);
	uint8_t *inserti = NULL;
	void *insertk = NULL;
	elem = NULL;
	for (;;) {
		for (uintptr_t i = 0; i < BUCKET_CNT; i++) {
			if (b->tophash[i] != top) {
				if (is_empty(b->tophash[i]) && inserti == NULL) {
					inserti = &b->tophash[i];
					insertk = bmap_key(t, b, i);
					elem = bmap_elem(t, b, i);
				}
				if (b->tophash[i] == EMPTY_REST)
					goto notfound;
				continue;
			}
			void *k = bmap_key(t, b, i);
			if (!map_key_equal(t, key, slot_key(t, k)))
				continue;
			/*
			 * Already there: the value is overwritten.  A string
			 * key takes the new string too (equal bytes, but the
			 * caller's copy), as Go's needkeyupdate does.
			 */
			if (t->kind == MAP_KEY_STR || t->kind == MAP_KEY_CSTR)
				memcpy(slot_key(t, k), key, t->key_size);
			elem = bmap_elem(t, b, i);
			goto done;
		}
		struct bmap *ovf = bmap_overflow(t, b);
		if (ovf == NULL)
			break;
		b = ovf;
	}
notfound:
	/*
	 * A new entry.  If it would overload the map, or chains are too
	 * long, start growing and look again (the key's bucket has moved).
	 */
	if (!map_growing(h) && (over_load_factor(h->count + 1, h->B) ||
				too_many_overflow_buckets(h->noverflow, h->B))) {
		hash_grow(t, h);
		goto again;
	}
	if (inserti == NULL) {
		/* every slot of the chain is full: add an overflow bucket */
		struct bmap *newb = new_overflow(t, h, b);
		inserti = &newb->tophash[0];
		insertk = bmap_key(t, newb, 0);
		elem = bmap_elem(t, newb, 0);
	}
	store_key(t, insertk, key);
	if (t->flags & MAPTYPE_INDIRECT_ELEM) {
		void *p = (t->flags & MAPTYPE_NOSCAN) ? gc_alloc_noscan(t->elem_size)
						      : gc_alloc(t->elem_size);
		*(void **)elem = p;
	}
	*inserti = top;
	h->count++;
done:
	if (!(flags_load(h) & HASH_WRITING))
		fatal_writes();
	flags_store(h, flags_load(h) & ~HASH_WRITING);
	return slot_elem(t, elem);
}

/* ---- Delete ---- */

/*
 * Slot i of b was just emptied.  If nothing follows it in the chain,
 * mark it and the empty slots before it EMPTY_REST, walking backwards
 * through the chain (from bucket start, since chains link forwards).
 */
static void mark_empty_rest(const struct maptype *t, struct bmap *borig,
			    struct bmap *b, uintptr_t i)
{
	if (i == BUCKET_CNT - 1) {
		struct bmap *ovf = bmap_overflow(t, b);
		if (ovf != NULL && ovf->tophash[0] != EMPTY_REST)
			return;
	} else if (b->tophash[i + 1] != EMPTY_REST) {
		return;
	}
	for (;;) {
		b->tophash[i] = EMPTY_REST;
		if (i == 0) {
			if (b == borig)
				return;         /* the chain's first slot */
			struct bmap *c = b;
			for (b = borig; bmap_overflow(t, b) != c;
			     b = bmap_overflow(t, b))
				;
			i = BUCKET_CNT - 1;
		} else {
			i--;
		}
		if (b->tophash[i] != EMPTY_ONE)
			return;
	}
}

/* Go: runtime/map.go mapdelete. */
void map_delete(const struct maptype *t, map_t h, const void *key)
{
	if (h == NULL || h->count == 0) {
		if (t->kind == MAP_KEY_CUSTOM)
			map_hash(t, key, 0);
		return;
	}
	if (flags_load(h) & HASH_WRITING)
		fatal_writes();
	uint64_t hash = map_hash(t, key, h->hash0);
	flags_store(h, flags_load(h) ^ HASH_WRITING);
	uintptr_t bucket = hash & bucket_mask(h->B);
	if (map_growing(h))
		grow_work(t, h, bucket);
	struct bmap *borig = bucket_at(t, h->buckets, bucket);
	uint8_t top = tophash(hash);
	for (struct bmap *b = borig; b != NULL; b = bmap_overflow(t, b)) {
		for (uintptr_t i = 0; i < BUCKET_CNT; i++) {
			if (b->tophash[i] != top) {
				if (b->tophash[i] == EMPTY_REST)
					goto out;
				continue;
			}
			void *k = bmap_key(t, b, i);
			if (!map_key_equal(t, key, slot_key(t, k)))
				continue;
			/*
			 * Clear the key if it may hold pointers (so the GC lets
			 * go), and the value always: a new key that takes this
			 * slot must find a zero value (map_assign's promise).
			 */
			if (!(t->flags & MAPTYPE_NOSCAN))
				memset(k, 0, t->keysize);
			memset(bmap_elem(t, b, i), 0, t->elemsize);
			b->tophash[i] = EMPTY_ONE;
			mark_empty_rest(t, borig, b, i);
			h->count--;
			if (h->count == 0)
				map_reseed(h);  /* see the essay */
			goto out;
		}
	}
out:
	if (!(flags_load(h) & HASH_WRITING))
		fatal_writes();
	flags_store(h, flags_load(h) & ~HASH_WRITING);
}

/* Mark every slot of the 2^B-bucket array's chains EMPTY_REST. */
static void mark_buckets_empty(const struct maptype *t, struct bmap *buckets,
			       uintptr_t n)
{
	for (uintptr_t i = 0; i < n; i++)
		for (struct bmap *b = bucket_at(t, buckets, i); b != NULL;
		     b = bmap_overflow(t, b))
			memset(b->tophash, EMPTY_REST, BUCKET_CNT);
}

/*
 * Go: runtime/map.go mapclear, as Go 1.21 has it (clear(m)): first every
 * chain of the current and the old array is marked empty, so that a
 * range under way returns nothing more, whatever bucket it is in (the
 * fix for Go issue 59411); then the array is cleared in place.
 */
void map_clear(const struct maptype *t, map_t h)
{
	if (h == NULL || h->count == 0)
		return;
	if (flags_load(h) & HASH_WRITING)
		fatal_writes();
	flags_store(h, flags_load(h) ^ HASH_WRITING);
	mark_buckets_empty(t, h->buckets, bucket_shift(h->B));
	if (h->oldbuckets != NULL)
		mark_buckets_empty(t, h->oldbuckets, noldbuckets(h));
	flags_store(h, flags_load(h) & ~SAME_SIZE_GROW);
	h->oldbuckets = NULL;
	h->nevacuate = 0;
	h->noverflow = 0;
	h->count = 0;
	map_reseed(h);
	if (h->extra != NULL)
		*h->extra = (struct mapextra){ 0 };
	/* Clear the array in place and reuse it, as Go does. */
	struct bmap *next;
	h->buckets = make_bucket_array(t, h->B, h->buckets, &next);
	if (next != NULL) {
		if (h->extra == NULL)
			h->extra = gc_new(struct mapextra);
		h->extra->next_overflow = next;
	}
	if (!(flags_load(h) & HASH_WRITING))
		fatal_writes();
	flags_store(h, flags_load(h) & ~HASH_WRITING);
}

/* ---- Growth ---- */

/* Start growing: a new array, the old one to be evacuated bit by bit. */
static void hash_grow(const struct maptype *t, struct hmap *h)
{
	uint8_t bigger = 1;
	uint8_t flags = flags_load(h);
	if (!over_load_factor(h->count + 1, h->B)) {
		bigger = 0;     /* too many overflow buckets: repack */
		flags |= SAME_SIZE_GROW;
	}
	struct bmap *next;
	struct bmap *newbuckets = make_bucket_array(t, h->B + bigger, NULL, &next);
	/* Iterators started before now walk what is becoming oldbuckets. */
	uint8_t f = flags & ~(ITERATOR | OLD_ITERATOR);
	if (flags & ITERATOR)
		f |= OLD_ITERATOR;
	h->B += bigger;
	h->bucketmask = bucket_mask(h->B);
	flags_store(h, f);
	h->oldbuckets = h->buckets;
	h->buckets = newbuckets;
	h->nevacuate = 0;
	h->noverflow = 0;
	if (h->extra != NULL && h->extra->overflow != NULL) {
		ASSERT(h->extra->oldoverflow == NULL, "hash_grow: oldoverflow set");
		h->extra->oldoverflow = h->extra->overflow;
		h->extra->overflow = NULL;
	}
	if (next != NULL) {
		if (h->extra == NULL)
			h->extra = gc_new(struct mapextra);
		h->extra->next_overflow = next;
	}
}

/* Where evacuate puts entries: a bucket, its next slot, key, value. */
struct evacdst {
	struct bmap *b;
	uintptr_t i;
};

static bool bucket_evacuated(const struct maptype *t, struct hmap *h,
			     uintptr_t bucket)
{
	return evacuated(bucket_at(t, h->oldbuckets, bucket));
}

/* Go: runtime/map.go advanceEvacuationMark. */
static void advance_evacuation_mark(const struct maptype *t, struct hmap *h,
				    uintptr_t newbit)
{
	h->nevacuate++;
	/* Skip ahead over buckets evacuated out of order, but not too far. */
	uintptr_t stop = h->nevacuate + 1024;
	if (stop > newbit)
		stop = newbit;
	while (h->nevacuate != stop && bucket_evacuated(t, h, h->nevacuate))
		h->nevacuate++;
	if (h->nevacuate == newbit) {
		/* Done: drop the old array. */
		h->oldbuckets = NULL;
		if (h->extra != NULL)
			h->extra->oldoverflow = NULL;
		flags_store(h, flags_load(h) & ~SAME_SIZE_GROW);
	}
}

static void evac_put(const struct maptype *t, struct hmap *h,
		     struct evacdst *d, uint8_t top, void *k, void *e)
{
	if (d->i == BUCKET_CNT) {
		d->b = new_overflow(t, h, d->b);
		d->i = 0;
	}
	d->b->tophash[d->i] = top;
	/* The slot's bytes, which are the pointer for an indirect key/value. */
	memcpy(bmap_key(t, d->b, d->i), k, t->keysize);
	memcpy(bmap_elem(t, d->b, d->i), e, t->elemsize);
	d->i++;
}

/* Move old bucket oldbucket's chain to the new array.  Go: evacuate. */
static void evacuate(const struct maptype *t, struct hmap *h,
		     uintptr_t oldbucket)
{
	struct bmap *b = bucket_at(t, h->oldbuckets, oldbucket);
	uintptr_t newbit = noldbuckets(h);
	if (!evacuated(b)) {
		struct evacdst xy[2];
		xy[0] = (struct evacdst){ bucket_at(t, h->buckets, oldbucket), 0 };
		if (!same_size_grow(h))
			xy[1] = (struct evacdst){
				bucket_at(t, h->buckets, oldbucket + newbit), 0 };
		for (; b != NULL; b = bmap_overflow(t, b)) {
			for (uintptr_t i = 0; i < BUCKET_CNT; i++) {
				uint8_t top = b->tophash[i];
				if (is_empty(top)) {
					b->tophash[i] = EVACUATED_EMPTY;
					continue;
				}
				if (top < MIN_TOPHASH)
					throw("bad map state");
				void *k = bmap_key(t, b, i);
				int use_y = 0;
				if (!same_size_grow(h)) {
					uint64_t hash = map_hash(t, slot_key(t, k), h->hash0);
					use_y = (hash & newbit) != 0;
				}
				b->tophash[i] = (uint8_t)(EVACUATED_X + use_y);
				evac_put(t, h, &xy[use_y], top, k, bmap_elem(t, b, i));
			}
		}
		/*
		 * Unlink the overflow chain and clear keys and values, so the
		 * collector does not keep them alive - unless an iterator may
		 * still be walking the old array.
		 */
		if (!(flags_load(h) & OLD_ITERATOR) && !(t->flags & MAPTYPE_NOSCAN)) {
			struct bmap *ob = bucket_at(t, h->oldbuckets, oldbucket);
			memset((char *)ob + DATA_OFFSET, 0, t->bucketsize - DATA_OFFSET);
		}
	}
	if (oldbucket == h->nevacuate)
		advance_evacuation_mark(t, h, newbit);
}

/* Evacuate the bucket about to be used, and one more to make progress. */
static void grow_work(const struct maptype *t, struct hmap *h, uintptr_t bucket)
{
	evacuate(t, h, bucket & oldbucket_mask(h));
	if (map_growing(h))
		evacuate(t, h, h->nevacuate);
}
