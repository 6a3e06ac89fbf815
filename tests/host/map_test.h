/*
 * map_test.h - what the two files of the host map test share: the typed
 * maps, seeding, and small helpers (static: each file has its own copy).
 * map_test.c has the growth, nil-map, typed-API and ranging cases and
 * main; map_cases.c has clear, slots, misuse, map_dump and the hashes.
 */
#ifndef GOHART_HOST_MAP_TEST_H
#define GOHART_HOST_MAP_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "gohart.h"
#include "gohart_map.h"
#include "map_random.h"
#include "rt_stubs.h"
#include "runtime/hash.h"
#include "runtime/map.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))


MAP_DECLARE(imap, int64_t, int64_t, MAP_KEY_INT64)
MAP_DECLARE_NOSCAN(nmap, int64_t, int64_t, MAP_KEY_INT64)
MAP_DECLARE(smap, gostring_t, int64_t, MAP_KEY_STR)

static inline void seed_hash(uint64_t s)
{
	uint64_t seed[4] = { s, s + 1, s + 2, s + 3 };
	hashkey_set(seed);
	stub_fastrand_seed(s);
}

/* A bijection on 64 bits (splitmix64's finaliser): keys with no pattern. */
static inline int64_t scramble(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return (int64_t)(x ^ (x >> 31));
}

static inline bool growing(const struct maptype *t, map_t m)
{
	struct map_stats s;
	map_stats(t, m, &s);
	return s.growing;
}

/* map_chains: walks every bucket. */
static inline struct map_stats stats(const struct maptype *t, map_t m)
{
	struct map_stats s;
	map_chains(t, m, &s);
	return s;
}

/* Whole file into a NUL-terminated buffer (free it), or NULL. */
static inline char *load(const char *path)
{
	FILE *f = path ? fopen(path, "rb") : NULL;
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* map_cases.c */
void test_clear(void);
void test_assign_new_slot_zeroed(void);
void test_big_zero_value(void);
void test_misuse(void);
void test_dump(void);
void test_hash_bits(void);
void test_hash_spread(void);

#endif
