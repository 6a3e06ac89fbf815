/*
 * map.h - the insides of a map, shared by map.c (lookup, insert, delete,
 * growth) and mapiter.c (iteration and introspection).  The public side
 * is include/gohart_map.h; the design essay opens map.c.
 *
 * A bucket (Go's bmap) is bucketsize bytes laid out as
 *
 *     tophash[8] | key[0] .. key[7] | elem[0] .. elem[7] | overflow
 *
 * All keys together, then all values, so that a map[int8]int64 needs no
 * padding after each key (the study notes' "two lists").  C cannot say
 * "8 keys of a size known at run time", so struct bmap names only the
 * tophash array and the helpers below compute the rest.
 */
#ifndef GOHART_RUNTIME_MAP_H
#define GOHART_RUNTIME_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gohart_map.h"
#include "gohart_slice.h"

#define BUCKET_CNT_BITS 3
#define BUCKET_CNT MAP_BUCKET_CNT       /* 8 = 1 << BUCKET_CNT_BITS */
/* Grow when count > 6.5 entries per bucket on average (13/2). */
#define LOAD_FACTOR_NUM 13
#define LOAD_FACTOR_DEN 2
#define DATA_OFFSET 8                   /* the keys start after tophash */
#define MAX_ZERO 1024                   /* values up to this read zerovalue */

/* tophash values below MIN_TOPHASH are cell states, not hashes. */
enum {
	EMPTY_REST = 0,         /* empty, and so is every later slot and bucket */
	EMPTY_ONE = 1,          /* empty */
	EVACUATED_X = 2,        /* moved to the first half of the new array */
	EVACUATED_Y = 3,        /* moved to the second half */
	EVACUATED_EMPTY = 4,    /* empty, and the bucket is evacuated */
	MIN_TOPHASH = 5,        /* smallest tophash of a full cell */
};

/* hmap.flags */
enum {
	ITERATOR = 1,           /* there may be an iterator using buckets */
	OLD_ITERATOR = 2,       /* there may be an iterator using oldbuckets */
	HASH_WRITING = 4,       /* a goroutine is writing to the map */
	SAME_SIZE_GROW = 8,     /* the current growth keeps the bucket count */
};

struct bmap {
	uint8_t tophash[BUCKET_CNT];
	/* then keys, values and the overflow pointer: see above */
};

/*
 * For maps whose buckets hold no pointers (MAPTYPE_NOSCAN), the
 * collector does not scan buckets, so it would not see the overflow
 * pointers either; these slices hold every overflow bucket to keep them
 * alive (Go's mapextra).
 */
struct mapextra {
	slice_t *overflow;      /* overflow buckets of buckets */
	slice_t *oldoverflow;   /* overflow buckets of oldbuckets */
	struct bmap *next_overflow;     /* a free preallocated overflow bucket */
};

/*
 * Go's hmap, field for field (count first: map_len reads it).  No lock:
 * a map belongs to one goroutine at a time; HASH_WRITING in flags is how
 * misuse is caught, not a lock.
 */
struct hmap {
	intptr_t count;         /* live entries: len(m) */
	uint8_t flags;
	uint8_t B;              /* log2 of the bucket count */
	uint16_t noverflow;     /* about how many overflow buckets there are */
	uint32_t hash0;         /* this map's hash seed */
	struct bmap *buckets;   /* 2^B buckets; NULL if count == 0 (lazily) */
	struct bmap *oldbuckets;        /* half as many, while growing; else NULL */
	uintptr_t nevacuate;    /* old buckets below this are evacuated */
	struct mapextra *extra;
	/*
	 * Not in Go's hmap: the keys hash64 mixes with, next to the other
	 * fields a lookup reads: hash0 ^ hashkey[0], then hashkey[1..3].
	 */
	uint64_t seedkey[4];
	uintptr_t bucketmask;   /* bucket_mask(B), changed with B */
};

/* map_len reads count at offset 0; B sits where Go's does (docs/maps.md). */
_Static_assert(offsetof(struct hmap, count) == 0, "hmap: count first");
_Static_assert(offsetof(struct hmap, B) == 9, "hmap: B at byte 9, as Go's");
_Static_assert(offsetof(struct hmap, buckets) == 16, "hmap: Go's layout");

static inline uintptr_t bucket_shift(uint8_t b) { return (uintptr_t)1 << (b & 63); }
static inline uintptr_t bucket_mask(uint8_t b) { return bucket_shift(b) - 1; }

/* The top byte of the hash, moved clear of the cell states. */
static inline uint8_t tophash(uint64_t hash)
{
	uint8_t top = (uint8_t)(hash >> 56);
	return top < MIN_TOPHASH ? top + MIN_TOPHASH : top;
}

static inline bool is_empty(uint8_t x) { return x <= EMPTY_ONE; }

static inline bool evacuated(const struct bmap *b)
{
	uint8_t h = b->tophash[0];
	return h > EMPTY_ONE && h < MIN_TOPHASH;
}

static inline void *bmap_key(const struct maptype *t, struct bmap *b,
			     uintptr_t i)
{
	return (char *)b + DATA_OFFSET + i * t->keysize;
}

static inline void *bmap_elem(const struct maptype *t, struct bmap *b,
			      uintptr_t i)
{
	return (char *)b + t->elemoff + i * t->elemsize;
}

static inline struct bmap *bmap_overflow(const struct maptype *t,
					 const struct bmap *b)
{
	return *(struct bmap **)((char *)b + t->bucketsize - sizeof(void *));
}

static inline void bmap_setoverflow(const struct maptype *t, struct bmap *b,
				    struct bmap *ovf)
{
	*(struct bmap **)((char *)b + t->bucketsize - sizeof(void *)) = ovf;
}

static inline struct bmap *bucket_at(const struct maptype *t,
				     struct bmap *buckets, uintptr_t i)
{
	return (struct bmap *)((char *)buckets + i * t->bucketsize);
}

/* The key a slot holds (following the pointer of an indirect key). */
static inline void *slot_key(const struct maptype *t, void *k)
{
	return (t->flags & MAPTYPE_INDIRECT_KEY) ? *(void **)k : k;
}

static inline void *slot_elem(const struct maptype *t, void *e)
{
	return (t->flags & MAPTYPE_INDIRECT_ELEM) ? *(void **)e : e;
}

/*
 * hmap.flags is read and written by whoever uses the map, with no lock:
 * the checks for concurrent misuse race by design (as Go's do).  Relaxed
 * atomics make each load and store a real one, so that a check reads the
 * memory and not a register copy.
 */
static inline uint8_t flags_load(const struct hmap *h)
{
	return __atomic_load_n(&h->flags, __ATOMIC_RELAXED);
}

static inline void flags_store(struct hmap *h, uint8_t f)
{
	__atomic_store_n(&h->flags, f, __ATOMIC_RELAXED);
}

static inline bool map_growing(const struct hmap *h)
{
	return h->oldbuckets != NULL;
}

static inline bool same_size_grow(const struct hmap *h)
{
	return (h->flags & SAME_SIZE_GROW) != 0;
}

/* Old buckets: half the new count unless growing to the same size. */
static inline uintptr_t noldbuckets(const struct hmap *h)
{
	uint8_t b = h->B;
	if (!same_size_grow(h))
		b--;
	return bucket_shift(b);
}

static inline uintptr_t oldbucket_mask(const struct hmap *h)
{
	return noldbuckets(h) - 1;
}

/* Would count entries in 2^B buckets be over the load factor? */
static inline bool over_load_factor(intptr_t count, uint8_t B)
{
	return count > BUCKET_CNT &&
	       (uintptr_t)count > LOAD_FACTOR_NUM * (bucket_shift(B) / LOAD_FACTOR_DEN);
}

/*
 * As many overflow buckets as buckets (counting at most 2^15: noverflow
 * is approximate beyond that, see map.c incr_noverflow).
 */
static inline bool too_many_overflow_buckets(uint16_t noverflow, uint8_t B)
{
	if (B > 15)
		B = 15;
	return noverflow >= (uint16_t)(1u << (B & 15));
}

/* The bucket a key's chain starts at, during growth too. */
static inline struct bmap *lookup_bucket(const struct maptype *t,
					 struct hmap *h, uint64_t hash)
{
	uintptr_t m = h->bucketmask;
	struct bmap *b = bucket_at(t, h->buckets, hash & m);
	struct bmap *old = h->oldbuckets;
	if (old != NULL) {
		if (!same_size_grow(h))
			m >>= 1;        /* there used to be half as many */
		struct bmap *oldb = bucket_at(t, old, hash & m);
		if (!evacuated(oldb))
			b = oldb;
	}
	return b;
}

/* map.c, for mapiter.c and mapfast.c */
extern const uint8_t zerovalue[MAX_ZERO];
const void *zero_of(size_t size);
_Noreturn void fatal_read_write(void);
_Noreturn void fatal_writes(void);

uint64_t map_hash(const struct maptype *t, const void *key, uintptr_t seed);
bool map_key_equal(const struct maptype *t, const void *a, const void *b);
/* The key and value slots of key (followed if indirect), or false. */
bool map_access_k(const struct maptype *t, struct hmap *h, const void *key,
		  void **kp, void **ep);
void map_create_overflow(struct hmap *h);
/* The runtime's cheap random numbers (Go's fastrand), as a call. */
uint32_t map_fastrand(void);

#endif
