/*
 * gohart_map.h - Go's maps in C (runtime/map.c, docs/maps.md).
 *
 * The classic Go map (Go 1.19, before Swiss tables): a hash table of
 * 8-slot buckets with overflow chains, grown incrementally.  A map value
 * is a pointer to its hmap, as in Go; NULL is the nil map (reads see an
 * empty map, writes panic "assignment to entry in nil map").
 *
 * The easy way is a typed map, declared once per key/value pair:
 *
 *     MAP_DECLARE(ages, gostring_t, int, MAP_KEY_STR)
 *
 *     map_t m = ages_make(0);                  // make(map[string]int)
 *     ages_put(m, GOSTR("ann"), 31);           // m["ann"] = 31
 *     int a = ages_get(m, GOSTR("ann"));       // a := m["ann"]
 *     bool ok = ages_get2(m, GOSTR("bob"), &a);// a, ok := m["bob"]
 *     ages_delete(m, GOSTR("ann"));            // delete(m, "ann")
 *     struct map_iter it;                      // for k, v := range m
 *     MAP_RANGE(ages, m, it) {
 *             gostring_t k = map_iter_key(gostring_t, it);
 *             int v = map_iter_elem(int, it);
 *     }
 *
 * MAP_DECLARE(name, K, V, KIND) makes name_type (the map type) and
 * name_make/get/get2/put/delete, static inline.  KIND says how keys hash
 * and compare:
 *     MAP_KEY_INT32   4-byte integers       MAP_KEY_INT64  8-byte integers
 *     MAP_KEY_PTR     pointers (by address) MAP_KEY_CSTR   char * strings
 *     MAP_KEY_STR     gostring_t (bytes)    MAP_KEY_MEM    any K, by bytes
 *                                            (no padding bytes in K!)
 * MAP_DECLARE_NOSCAN is the same for keys and values that hold no
 * pointers into the GC heap: the buckets are then never scanned.
 * MAP_DECLARE_FUNCS takes your own hash and equality (MAP_KEY_CUSTOM);
 * equality must be reflexive (k == k), unlike Go's NaN keys.
 *
 * Keys or values over 128 bytes are stored out of line, as in Go.
 * Iteration order is random: each range starts at a random bucket and
 * slot.  Deleting entries during a range is allowed, and so is adding
 * (an added key may or may not be seen), as in Go.
 *
 * Misuse is a fatal error, as in Go (a race detector it is not: it
 * catches what it happens to see):
 *     fatal error: concurrent map writes
 *     fatal error: concurrent map read and map write
 *     fatal error: concurrent map iteration and map write
 * A map is not safe for concurrent use: guard it with a mutex, or give
 * it to one goroutine.
 *
 * All calls: may block: no.  ISR-safe: no (writes allocate).  Memory is
 * garbage collected: there is no map_free.
 */
#ifndef GOHART_MAP_H
#define GOHART_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A byte string: Go's string header (pointer and length, not NUL-ended). */
typedef struct gostring {
	const char *str;
	intptr_t len;
} gostring_t;
#define GOSTR(lit) ((gostring_t){ (lit), sizeof(lit) - 1 })
static inline gostring_t gostr(const char *s)
{
	return (gostring_t){ s, (intptr_t)strlen(s) };
}

enum map_key_kind {
	MAP_KEY_MEM,    /* hash and compare keysize bytes */
	MAP_KEY_INT32,
	MAP_KEY_INT64,
	MAP_KEY_PTR,
	MAP_KEY_CSTR,   /* the key is a char *; its bytes up to NUL count */
	MAP_KEY_STR,    /* the key is a gostring_t */
	MAP_KEY_CUSTOM, /* maptype.hash and maptype.equal */
};

/* maptype.flags */
#define MAPTYPE_INDIRECT_KEY 1  /* bucket holds a pointer to the key */
#define MAPTYPE_INDIRECT_ELEM 2 /* bucket holds a pointer to the value */
#define MAPTYPE_NOSCAN 4        /* keys and values hold no GC pointers */

#define MAP_MAX_KEY 128         /* larger keys/values are stored indirectly */
#define MAP_MAX_ELEM 128
#define MAP_BUCKET_CNT 8        /* slots per bucket (Go's bucketCnt) */

/*
 * The type of a map: Go's maptype, which its compiler writes for each
 * map[K]V.  MAPTYPE_INIT fills one in at compile time.
 */
struct maptype {
	uint8_t kind;           /* enum map_key_kind */
	uint8_t flags;          /* MAPTYPE_* */
	uint16_t keysize;       /* bytes of a key slot (8 if indirect) */
	uint16_t elemsize;      /* bytes of a value slot (8 if indirect) */
	uint16_t bucketsize;    /* tophash + 8 keys + 8 values + overflow */
	uint16_t elemoff;       /* where the values start in a bucket */
	uint32_t key_size;      /* bytes of a key itself */
	uint32_t elem_size;     /* bytes of a value itself */
	/* MAP_KEY_CUSTOM only: */
	uint64_t (*hash)(const void *key, uintptr_t seed);
	bool (*equal)(const void *a, const void *b);
};

#define MAP_SLOT_(size, max) ((size) > (max) ? sizeof(void *) : (size))
#define MAPTYPE_INIT(K, V, KIND, NOSCAN, HASH, EQUAL)                         \
	{                                                                     \
		.kind = (KIND),                                               \
		.flags = (sizeof(K) > MAP_MAX_KEY ? MAPTYPE_INDIRECT_KEY : 0) | \
			 (sizeof(V) > MAP_MAX_ELEM ? MAPTYPE_INDIRECT_ELEM : 0) | \
			 ((NOSCAN) ? MAPTYPE_NOSCAN : 0),                     \
		.keysize = MAP_SLOT_(sizeof(K), MAP_MAX_KEY),                 \
		.elemsize = MAP_SLOT_(sizeof(V), MAP_MAX_ELEM),               \
		.bucketsize = MAP_BUCKET_CNT *                                \
				      (1 + MAP_SLOT_(sizeof(K), MAP_MAX_KEY) + \
				       MAP_SLOT_(sizeof(V), MAP_MAX_ELEM)) +  \
			      sizeof(void *),                                 \
		.elemoff = MAP_BUCKET_CNT *                                   \
				   (1 + MAP_SLOT_(sizeof(K), MAP_MAX_KEY)),   \
		.key_size = sizeof(K), .elem_size = sizeof(V),                \
		.hash = (HASH), .equal = (EQUAL),                             \
	}

typedef struct hmap *map_t;

/*
 * The untyped calls (Go: runtime/map.go).  key and val point to a K and
 * a V.  map_access returns a pointer to the value, or to a zeroed V if
 * key is absent (never NULL): read it at once, since a later write may
 * move it.  map_access2 also says whether key was there.
 */
map_t map_make(const struct maptype *t, intptr_t hint);
const void *map_access(const struct maptype *t, map_t m, const void *key);
const void *map_access2(const struct maptype *t, map_t m, const void *key,
			bool *ok);
/* The slot for key's value, created (zeroed) if absent.  Write it at once. */
void *map_assign(const struct maptype *t, map_t m, const void *key);
void map_delete(const struct maptype *t, map_t m, const void *key);
void map_clear(const struct maptype *t, map_t m);     /* Go 1.21's clear */
/* The same for 8-byte integer or pointer keys with values <= 128 bytes. */
const void *map_access_fast64(const struct maptype *t, map_t m, uint64_t key);
const void *map_access2_fast64(const struct maptype *t, map_t m, uint64_t key,
			       bool *ok);
void *map_assign_fast64(const struct maptype *t, map_t m, uint64_t key);
static inline intptr_t map_len(map_t m) { return m ? *(intptr_t *)m : 0; }

/*
 * Iteration (Go's hiter).  After map_iter_init, key and elem point at
 * the first entry, or are NULL when there are none; map_iter_next moves
 * on.  The fields are Go's; only key and elem are for the caller.
 */
struct map_iter {
	void *key;
	void *elem;
	const struct maptype *t;
	struct hmap *h;
	void *buckets;          /* the bucket array when iteration began */
	void *bptr;             /* the bucket being walked */
	void *overflow, *oldoverflow;   /* keep noscan overflow buckets alive */
	uintptr_t start_bucket; /* where iteration began */
	uint8_t offset;         /* slot iteration began at, in each bucket */
	bool wrapped;           /* wrapped around from the end to bucket 0 */
	uint8_t B;
	uint8_t i;
	uintptr_t bucket;
	uintptr_t check_bucket;
};
void map_iter_init(const struct maptype *t, map_t m, struct map_iter *it);
void map_iter_next(struct map_iter *it);
#define map_iter_key(K, it) (*(const K *)(it).key)
#define map_iter_elem(V, it) (*(V *)(it).elem)

/*
 * Introspection, for teaching.  map_stats: the numbers Go keeps in hmap
 * (count, B, noverflow, hash0, growth progress), in constant time.
 * map_chains: those and how full the buckets are, walking every chain:
 * occupancy[n] counts the buckets (main or overflow) of the current
 * array holding n entries (while growing, entries not yet evacuated are
 * in oldbuckets and not counted there).  Both read the map without
 * locking: call them when no one is writing.
 */
struct map_stats {
	intptr_t count;
	uint8_t B;                      /* 2^B buckets */
	uint16_t noverflow;             /* Go's approximate overflow count */
	uint32_t hash0;                 /* this map's seed */
	uintptr_t nbuckets;             /* 2^B */
	bool growing, same_size_grow;
	uintptr_t nevacuate;            /* old buckets evacuated so far */
	uintptr_t noldbuckets;
	/* map_chains only: */
	uintptr_t overflow_buckets;     /* counted by walking the chains */
	uintptr_t longest_chain;        /* buckets in the longest chain */
	uintptr_t occupancy[MAP_BUCKET_CNT + 1];
};
void map_stats(const struct maptype *t, map_t m, struct map_stats *s);
void map_chains(const struct maptype *t, map_t m, struct map_stats *s);
/*
 * Print m's buckets, one line per chain, each bucket as its 8 tophash
 * bytes in hex ("__" empty with nothing after it, ".." empty).
 */
void map_dump(const struct maptype *t, map_t m);

/* ---- Typed maps ---- */

/* Whether a typed map takes the 8-byte-key fast paths (compile time). */
#define MAP_FAST64_(K, V, KIND)                                          \
	(((KIND) == MAP_KEY_INT64 || (KIND) == MAP_KEY_PTR) &&            \
	 sizeof(K) == 8 && sizeof(V) <= MAP_MAX_ELEM)
static inline uint64_t map_key64_(const void *key)
{
	uint64_t k;
	memcpy(&k, key, 8);
	return k;
}

/* The typed wrappers: static inline, and no warning for unused ones. */
#define MAP_FN_ static inline __attribute__((unused))

#define MAP_DECLARE_(name, K, V, KIND, NOSCAN, HASH, EQUAL)                   \
	_Static_assert(_Alignof(K) <= 8 && _Alignof(V) <= 8,                  \
		       "map keys and values need alignment <= 8");            \
	static const struct maptype name##_type =                             \
		MAPTYPE_INIT(K, V, KIND, NOSCAN, HASH, EQUAL);                \
	MAP_FN_ map_t name##_make(intptr_t hint)                              \
	{                                                                     \
		return map_make(&name##_type, hint);                          \
	}                                                                     \
	MAP_FN_ V name##_get(map_t m, K key)                                  \
	{                                                                     \
		if (MAP_FAST64_(K, V, KIND))                                  \
			return *(const V *)map_access_fast64(                 \
				&name##_type, m, map_key64_(&key));           \
		return *(const V *)map_access(&name##_type, m, &key);         \
	}                                                                     \
	MAP_FN_ bool name##_get2(map_t m, K key, V *val)                      \
	{                                                                     \
		bool ok;                                                      \
		if (MAP_FAST64_(K, V, KIND))                                  \
			*val = *(const V *)map_access2_fast64(                \
				&name##_type, m, map_key64_(&key), &ok);      \
		else                                                          \
			*val = *(const V *)map_access2(&name##_type, m,       \
						       &key, &ok);            \
		return ok;                                                    \
	}                                                                     \
	MAP_FN_ void name##_put(map_t m, K key, V val)                        \
	{                                                                     \
		if (MAP_FAST64_(K, V, KIND))                                  \
			*(V *)map_assign_fast64(&name##_type, m,              \
						map_key64_(&key)) = val;      \
		else                                                          \
			*(V *)map_assign(&name##_type, m, &key) = val;        \
	}                                                                     \
	MAP_FN_ void name##_delete(map_t m, K key)                            \
	{                                                                     \
		map_delete(&name##_type, m, &key);                            \
	}                                                                     \
	MAP_FN_ void name##_iter(map_t m, struct map_iter *it)                \
	{                                                                     \
		map_iter_init(&name##_type, m, it);                           \
	}                                                                     \
	MAP_FN_ void name##_stats(map_t m, struct map_stats *s)               \
	{                                                                     \
		map_stats(&name##_type, m, s);                                \
	}

#define MAP_DECLARE(name, K, V, KIND) \
	MAP_DECLARE_(name, K, V, KIND, false, NULL, NULL)
#define MAP_DECLARE_NOSCAN(name, K, V, KIND) \
	MAP_DECLARE_(name, K, V, KIND, true, NULL, NULL)
#define MAP_DECLARE_FUNCS(name, K, V, HASH, EQUAL) \
	MAP_DECLARE_(name, K, V, MAP_KEY_CUSTOM, false, HASH, EQUAL)

/* for k, v := range m, over a map of typed map `name`; it: struct map_iter. */
#define MAP_RANGE(name, m, it) \
	for (name##_iter((m), &(it)); (it).key != NULL; map_iter_next(&(it)))

/* The hashes behind the key kinds (runtime/hash.c), seeded per boot. */
uint64_t memhash(const void *p, uintptr_t seed, uintptr_t n);
uint64_t memhash32(const void *p, uintptr_t seed);
uint64_t memhash64(const void *p, uintptr_t seed);
uint64_t strhash(const void *gostring, uintptr_t seed);

#endif
