/*
 * mapfast.c - lookups and assignments specialised for 8-byte keys
 * (int64, uint64, pointers), the commonest map keys.
 *
 * The generic paths in map.c call the key type's hash and equality
 * through a switch, compare the tophash byte first, and copy keys with
 * memcpy of a run-time size.  Here the key is a register: the hash is
 * inlined (hash64), keys are compared as words, and since comparing a
 * word costs the same as comparing the tophash byte, the tophash is only
 * consulted to tell full slots from empty ones, as in Go's _fast64
 * variants.  The map keeps its seed premixed with the secret key, and
 * copies of the secret's other words, in hmap.seedkey, and its bucket
 * mask in hmap.bucketmask: the hash and the bucket then need no address
 * of a global and no shifts, only loads from the hmap already at hand.
 *
 * The typed wrappers of MAP_DECLARE pick these for 8-byte integer and
 * pointer keys with inline values (at compile time; nothing is decided
 * at run time).  They share the map's structure with map.c: a map may be
 * used through both paths.  Deletion, growth, overflow buckets and the
 * nil-map panic are the generic code's: an assignment that needs any of
 * them backs out of the fast path into map_assign.
 *
 * Go: runtime/map_fast64.go (mapaccess1_fast64, mapaccess2_fast64,
 * mapassign_fast64).
 */
#include "gohart.h"
#include "runtime/hash.h"
#include "runtime/map.h"
#include "runtime/panic.h"


/* Zeros for an absent key: the shared block unless the value is huge. */
static inline const void *zero_elem(const struct maptype *t)
{
	return t->elem_size <= MAX_ZERO ? zerovalue : zero_of(t->elem_size);
}

static inline uint64_t *keys64(struct bmap *b)
{
	return (uint64_t *)((char *)b + DATA_OFFSET);
}

/* The value slot for key, or NULL. */
static inline void *find64(const struct maptype *t, struct hmap *h,
			   uint64_t key)
{
	struct bmap *b = lookup_bucket(t, h, hash64_keyed(key, h->seedkey));
	for (; b != NULL; b = bmap_overflow(t, b)) {
		uint64_t *k = keys64(b);
		/* unrolled: two instructions per slot that does not match */
#pragma GCC unroll 8
		for (uintptr_t i = 0; i < BUCKET_CNT; i++)
			if (k[i] == key && !is_empty(b->tophash[i]))
				return bmap_elem(t, b, i);
	}
	return NULL;
}

/* Go: runtime/map_fast64.go mapaccess2_fast64. */
FAST_ENTRY const void *map_access2_fast64(const struct maptype *t, map_t h,
					  uint64_t key, bool *ok)
{
	void *e = NULL;
	if (h != NULL && h->count != 0) {
		if (flags_load(h) & HASH_WRITING)
			fatal_read_write();
		e = find64(t, h, key);
	}
	*ok = e != NULL;
	return e != NULL ? e : zero_elem(t);
}

/* Go: runtime/map_fast64.go mapaccess1_fast64. */
FAST_ENTRY const void *map_access_fast64(const struct maptype *t, map_t h,
					 uint64_t key)
{
	if (h == NULL || h->count == 0)
		return zero_elem(t);
	if (flags_load(h) & HASH_WRITING)
		fatal_read_write();
	void *e = find64(t, h, key);
	return e != NULL ? e : zero_elem(t);
}

/*
 * The way out to map_assign, out of line: taking key's address here
 * rather than in map_assign_fast64 keeps the fast path frameless.
 */
static __attribute__((noinline)) void *assign64_generic(const struct maptype *t,
							map_t h, uint64_t key)
{
	return map_assign(t, h, &key);
}

/*
 * Go: runtime/map_fast64.go mapassign_fast64.  The common case on its
 * own, so that it needs no saved registers: the
 * map is not growing, and the key is there or its chain has a free slot
 * and inserting needs no growth.  Anything else backs out (nothing has
 * been changed but the writing flag) and takes the generic map_assign,
 * which hashes the key to the same value (hash64 is memhash64).
 */
FAST_ENTRY void *map_assign_fast64(const struct maptype *t, map_t h,
				   uint64_t key)
{
	if (h == NULL || h->buckets == NULL || map_growing(h))
		return assign64_generic(t, h, key);
	uint8_t f = flags_load(h);
	if (f & HASH_WRITING)
		fatal_writes();
	flags_store(h, f ^ HASH_WRITING);
	uint64_t hash = hash64_keyed(key, h->seedkey);
	struct bmap *b = bucket_at(t, h->buckets, hash & h->bucketmask);
	struct bmap *insertb = NULL;
	uintptr_t inserti = 0;
	for (; b != NULL; b = bmap_overflow(t, b)) {
		uint64_t *k = keys64(b);
		for (uintptr_t i = 0; i < BUCKET_CNT; i++) {
			uint8_t top = b->tophash[i];
			if (!is_empty(top)) {
				if (k[i] != key)
					continue;
				insertb = b;
				inserti = i;
				goto done;
			}
			if (insertb == NULL) {
				insertb = b;
				inserti = i;
			}
			if (top == EMPTY_REST)
				goto notfound;
		}
	}
notfound:
	if (insertb == NULL || over_load_factor(h->count + 1, h->B) ||
	    too_many_overflow_buckets(h->noverflow, h->B)) {
		flags_store(h, flags_load(h) & ~HASH_WRITING);
		return assign64_generic(t, h, key);
	}
	insertb->tophash[inserti] = tophash(hash);
	keys64(insertb)[inserti] = key;
	h->count++;
done:
	f = flags_load(h);
	if (!(f & HASH_WRITING))
		fatal_writes();
	flags_store(h, f & ~HASH_WRITING);
	return bmap_elem(t, insertb, inserti);
}
