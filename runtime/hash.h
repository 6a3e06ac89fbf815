/*
 * hash.h - the secret behind every map hash (hash.c).
 */
#ifndef GOHART_RUNTIME_HASH_H
#define GOHART_RUNTIME_HASH_H

#include <stdint.h>

/* Four secret words, set once at boot before any map exists. */
extern uint64_t hashkey[4];
/* Derive hashkey from 256 bits of entropy (rand.c calls it at boot). */
void hashkey_set(const uint64_t seed[4]);

/* 64x64 -> 128-bit multiply, the two halves xor-ed: hash.c's mixer. */
static inline uint64_t hash_mix(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/*
 * memhash64 of the value x itself (hash64_keyed: with seed ^ hashkey[1]
 * already done, as maps keep it in hmap.seedkey), inline for the 8-byte-key fast paths.
 * One mix, and a fold of its upper half down: the low bits of a product
 * depend only on the low bits of its factors, so without the fold keys
 * that differ only above bit 4 would share bits 0-3 of the product's
 * low half (the bucket, for B = 4).  Bits 32-63 of the product depend on
 * all of x's low 32 bits, and the high half on all of x.  The secret
 * words keep the product unguessable.
 */
static inline uint64_t hash64_keyed(uint64_t x, uint64_t seedkey)
{
	uint64_t h = hash_mix(x ^ hashkey[0], seedkey);
	return h ^ (h >> 32);
}

static inline uint64_t hash64(uint64_t x, uintptr_t seed)
{
	return hash64_keyed(x, seed ^ hashkey[1]);
}

#endif
