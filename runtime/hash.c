/*
 * hash.c - the hash functions behind map keys.
 *
 * A map needs a hash that spreads keys well (the low B bits pick the
 * bucket, the top 8 bits are the tophash) and that an attacker cannot
 * predict: if someone could choose keys that all land in one bucket, every
 * lookup would walk one long chain (hash flooding).  So every hash mixes
 * in a secret: hashkey, four words drawn from the machine's entropy at
 * boot (rand.c), and each map's own seed (hmap.hash0).
 *
 * The mixing step is one 64x64 -> 128-bit multiply, folded by xor of its
 * two halves: every bit of each input affects the middle bits of the
 * product, and the fold brings them down to every bit of the result.
 * RISC-V computes it with mul and mulhu, ARM64 with mul and umulh.  The
 * algorithm (read 16 bytes at a time, mix them into the running state,
 * finish with the length) follows the structure of wyhash, which Go's
 * own memhash fallback (runtime/hash64.go) is also derived from; the
 * constants here are ours and secret.  Not a cryptographic hash: it only
 * has to make collisions unguessable without knowing hashkey.
 *
 * Short keys avoid loops: 1-3 bytes are read as first, middle and last
 * byte; 4-16 bytes as two overlapping words from each end.
 *
 * Go: runtime/hash64.go (memhashFallback, memhash32Fallback,
 * memhash64Fallback), runtime/alg.go (strhash, hashkey).
 */
#include <string.h>

#include "gohart_map.h"
#include "runtime/hash.h"

uint64_t hashkey[4];

static inline uint64_t read64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t read32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

uint64_t memhash(const void *p, uintptr_t seed, uintptr_t n)
{
	const uint8_t *b = p;
	uintptr_t len = n;
	uint64_t h = seed ^ hashkey[0];
	while (n > 16) {
		h = hash_mix(read64(b) ^ hashkey[1], read64(b + 8) ^ h);
		b += 16;
		n -= 16;
	}
	uint64_t x = 0, y = 0;
	if (n >= 8) {
		x = read64(b);
		y = read64(b + n - 8);
	} else if (n >= 4) {
		x = read32(b);
		y = read32(b + n - 4);
	} else if (n > 0) {
		x = (uint64_t)b[0] << 16 | (uint64_t)b[n >> 1] << 8 | b[n - 1];
	}
	return hash_mix(hash_mix(x ^ hashkey[1], y ^ h) ^ hashkey[2],
			len ^ hashkey[3]);
}

uint64_t memhash32(const void *p, uintptr_t seed)
{
	uint64_t x = read32(p);
	uint64_t m = hash_mix(x ^ hashkey[1], (x << 32 | x) ^ seed ^ hashkey[0]);
	return hash_mix(m ^ hashkey[2], 4 ^ hashkey[3]);
}

uint64_t memhash64(const void *p, uintptr_t seed)
{
	return hash64(read64(p), seed);
}

uint64_t strhash(const void *gostring, uintptr_t seed)
{
	const gostring_t *s = gostring;
	return memhash(s->str, seed, (uintptr_t)s->len);
}

/* A key word from 64 bits of entropy: odd, and no zero halves. */
void hashkey_set(const uint64_t seed[4])
{
	for (int i = 0; i < 4; i++) {
		/* splitmix64's finaliser spreads a weak seed over the word */
		uint64_t z = seed[i] + 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		z ^= z >> 31;
		hashkey[i] = z | 1 | (1ull << 32);
	}
}
