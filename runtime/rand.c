/*
 * rand.c - where the runtime's randomness comes from.
 *
 * Two consumers: the map hash's secret (hashkey, hash.c) and each m's
 * cheap random numbers (fastrand, proc.h), which pick map iteration
 * starts, new map seeds, select's poll order and steal victims.  Both
 * are seeded once at boot, before any goroutine runs, from 256 bits
 * gathered here, best source first:
 *
 *   1. the device tree's /chosen/rng-seed, which firmware or QEMU fills
 *      from its own entropy (hal_rng_seed);
 *   2. the cpu's entropy source: RISC-V Zkr's seed CSR, ARM's RNDR
 *      (hal_hw_random), when the cpu has one;
 *   3. timer jitter: the low bits of the clock read between steps of
 *      work whose length varies with caches and interrupts.  Weak, and
 *      under QEMU -icount not random at all, but never worse than the
 *      other two xor-ed in: xor with an independent value cannot make a
 *      random word less random.
 *
 * The bootarg randseed=N replaces all of it with N, for runs that must
 * repeat exactly (benchmarks, a bug that depends on iteration order).
 *
 * Go: runtime/proc.go schedinit (fastrandinit, from startupRandomData,
 * the kernel's AT_RANDOM), runtime/alg.go alginit (hashkey).
 */
#include "hal/hal.h"
#include "runtime/bootargs.h"
#include "runtime/hash.h"
#include "runtime/map.h"
#include "runtime/proc.h"

static uint64_t jitter(void)
{
	uint64_t acc = 0;
	for (int i = 0; i < 64; i++) {
		uint64_t t0 = hal_nanotime();
		volatile uint64_t spin = t0 % 7;
		while (spin-- > 0)
			;
		acc = (acc << 1 | acc >> 63) ^ (hal_nanotime() - t0) ^ t0;
	}
	return acc;
}

/* Seed hashkey and every m's fastrand.  Boot cpu, before schedinit's ms. */
void rand_init(void)
{
	uint64_t seed[4] = { 0 }, hw;
	long fixed = bootarg_int("randseed", -1);
	if (fixed >= 0) {
		for (int i = 0; i < 4; i++)
			seed[i] = (uint64_t)fixed + (uint64_t)i;
	} else {
		hal_rng_seed(seed, sizeof seed);
		for (int i = 0; i < 4; i++) {
			if (hal_hw_random(&hw))
				seed[i] ^= hw;
			seed[i] ^= jitter();
		}
	}
	hashkey_set(seed);
	/*
	 * Distinct per m: hashkey[1] is odd, so multiplying by it is a
	 * bijection on the low 32 bits, and distinct i give distinct seeds.
	 */
	for (int i = 0; i < CONFIG_MAXCPU; i++)
		ms[i].fastrand = (uint32_t)(hashkey[1] * (uint64_t)(i + 1) ^ hashkey[0]);
}

uint32_t map_fastrand(void)
{
	return fastrand();
}
