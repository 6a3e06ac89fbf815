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
 * memhash64 of the value x itself, inline for the 8-byte-key fast paths
 * (hash64_keyed: with seed ^ hashkey[0] already done, as maps keep it in
 * hmap.seedkey).  Two mixes, as Go's memhash64Fallback has: x enters both
 * factors of the first product, and the second mixes the result again.
 * One mix is not enough: for keys in arithmetic progression (0, 1, 2, ...
 * or i << 32) the product of x with a constant lays the hashes on a
 * lattice, and for about one secret in seven the low bits (the bucket)
 * clumped, chains many times the usual length (tests/host map_test
 * hash/spread checks the spread over many secrets).
 */
static inline uint64_t hash64_keyed(uint64_t x, const uint64_t k[4])
{
	return hash_mix(hash_mix(x ^ k[1], x ^ k[0]) ^ k[2], k[3]);
}

static inline uint64_t hash64(uint64_t x, uintptr_t seed)
{
	const uint64_t k[4] = { seed ^ hashkey[0], hashkey[1], hashkey[2],
				hashkey[3] };
	return hash64_keyed(x, k);
}

#endif
