/*
 * bitops.c - the de Bruijn table for ctz64 (bitops.h): entry
 * ((1 << i) * 0x03f79d71b4ca8b09) >> 58 holds i.  Always built (64
 * bytes): the host test checks the portable path even where Zbb or the
 * host's own instruction is used.
 */
#include "bitops.h"

const uint8_t debruijn64_tab[64] = {
	 0,  1, 56,  2, 57, 49, 28,  3, 61, 58, 42, 50, 38, 29, 17,  4,
	62, 47, 59, 36, 45, 43, 51, 22, 53, 39, 33, 30, 24, 18, 12,  5,
	63, 55, 48, 27, 60, 41, 37, 16, 46, 35, 44, 21, 52, 32, 23, 11,
	54, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19,  9, 13,  8,  7,  6
};
