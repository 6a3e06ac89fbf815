/*
 * bitops_test.c - mm/bitops.h's ctz64, built in its portable de Bruijn
 * form (BITOPS_DEBRUIJN, what rv64gc without Zbb runs), checked against
 * the compiler's own count-trailing-zeros: every single bit, every
 * pair-of-bits pattern, zero, and a million random words.
 */
#define BITOPS_DEBRUIJN 1

#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "mm/bitops.h"

static void test_single_bits(void)
{
	for (unsigned i = 0; i < 64; i++)
		EXPECT_EQ(ctz64(1ull << i), i);
}

static void test_zero(void)
{
	EXPECT_EQ(ctz64(0), 64);
}

static void test_bit_pairs(void)
{
	for (unsigned i = 0; i < 64; i++)
		for (unsigned j = i; j < 64; j++)
			EXPECT_EQ(ctz64((1ull << i) | (1ull << j)), i);
}

static void test_popcount(void)
{
	EXPECT_EQ(popcount64(0), 0);
	EXPECT_EQ(popcount64(~0ull), 64);
	for (unsigned i = 0; i < 64; i++) {
		EXPECT_EQ(popcount64(1ull << i), 1);
		EXPECT_EQ(popcount64(~0ull << i), 64 - i);
	}
	uint64_t x = 0x13198a2e03707344ull;
	for (int n = 0; n < 1000000; n++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (popcount64(x) != (unsigned)__builtin_popcountll(x)) {
			EXPECT_EQ(popcount64(x), (unsigned)__builtin_popcountll(x));
			return;
		}
	}
}

static void test_random_words(void)
{
	uint64_t x = 0x243f6a8885a308d3ull;
	for (int n = 0; n < 1000000; n++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uint64_t v = x >> (n % 64);     /* all trailing-zero counts */
		if (v == 0)
			continue;
		if (ctz64(v) != (unsigned)__builtin_ctzll(v)) {
			EXPECT_EQ(ctz64(v), (unsigned)__builtin_ctzll(v));
			return;
		}
	}
}

int main(int argc, char **argv)
{
	t_init(&argc, argv);
	t_run("single_bits", test_single_bits);
	t_run("zero", test_zero);
	t_run("bit_pairs", test_bit_pairs);
	t_run("random_words", test_random_words);
	t_run("popcount", test_popcount);
	return t_finish("bitops_test");
}
