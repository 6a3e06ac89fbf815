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

#endif
