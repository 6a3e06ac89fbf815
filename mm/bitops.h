/*
 * bitops.h - counting trailing zeros (the allocator's fast-path primitive)
 * and counting set bits.
 *
 * mcache's fast path asks "which is the lowest set bit of allocCache?".
 * With the Zbb extension that is one instruction (ctz); plain rv64gc has
 * none and GCC would call libgcc.  Without Zbb we use the de Bruijn
 * method (Leiserson, Prokop, Randall, "Using de Bruijn Sequences to Index
 * a 1 in a Computer Word", 1998): x & -x isolates the lowest set bit, a
 * multiply by a de Bruijn constant moves a unique 6-bit pattern into the
 * top bits, a 64-entry table names it.  Five instructions, no branch.
 * Go: runtime/internal/sys/intrinsics.go TrailingZeros64 (same method).
 */
#ifndef GOHART_BITOPS_H
#define GOHART_BITOPS_H

#include <stdint.h>

extern const uint8_t debruijn64_tab[64];

/* BITOPS_DEBRUIJN forces the portable version (the host test uses it). */
#if (defined(__riscv_zbb) || !defined(__riscv)) && !defined(BITOPS_DEBRUIJN)
static inline unsigned ctz64(uint64_t x)
{
	return x ? (unsigned)__builtin_ctzll(x) : 64;
}
#else
#define DEBRUIJN64 0x03f79d71b4ca8b09ull

static inline unsigned ctz64(uint64_t x)
{
	if (x == 0)
		return 64;
	return debruijn64_tab[((x & -x) * DEBRUIJN64) >> 58];
}
#endif

/*
 * popcount64: the number of set bits.  The allocator counts a window's
 * free objects when it loads one (once per 64 objects, not per object),
 * so the portable version is plenty: add neighbouring bits, then pairs,
 * then nibbles, then sum the eight bytes with one multiply.
 */
#if (defined(__riscv_zbb) || !defined(__riscv)) && !defined(BITOPS_DEBRUIJN)
static inline unsigned popcount64(uint64_t x)
{
	return (unsigned)__builtin_popcountll(x);
}
#else
static inline unsigned popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
}
#endif

#endif
