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
 * memhash64 of the value x itself, inline for the 8-byte-key fast paths.
 * One mix is enough for a single word: the fold of the full product
 * makes every bit of x reach the low bits (the bucket) and the top byte
 * (the tophash), and both secret words keep the product unguessable.
 */
static inline uint64_t hash64(uint64_t x, uintptr_t seed)
{
	return hash_mix(x ^ hashkey[0], seed ^ hashkey[1]);
}

#endif
