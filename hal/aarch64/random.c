/*
 * random.c (aarch64) - hal_hw_random from FEAT_RNG.
 *
 * ARMv8.5's FEAT_RNG adds RNDR (Arm ARM DDI 0487, C5.2 "RNDR, Random
 * Number"): a system register that, read with mrs, returns 64 bits from
 * a conditioned entropy source, seeding a DRBG.  Each read says whether
 * it worked in the condition flags: NZCV = 0b0000 and the number, or, if
 * no number could be made in a reasonable time, NZCV = 0b0100 (Z set)
 * and 0.  Its name for the assembler is the encoding, s3_3_c2_c4_0, as
 * ours targets armv8-a, which has no RNDR.
 *
 * Whether a cpu has it: ID_AA64ISAR0_EL1.RNDR, bits 63:60, non-zero.  On
 * a cpu without it, RNDR is an undefined instruction, so we read the ID
 * register once, in hal_init, and never touch RNDR if the field is zero.
 * QEMU's cortex-a72 (our default) has no FEAT_RNG; -cpu max has it.
 *
 * Unlike RISC-V's seed CSR (hal/riscv64/random.c) nothing above EL1 has
 * to allow the read, and one read gives all 64 bits.  A failed read is
 * reported as such; we do not retry, so the caller decides how hard to
 * try.
 *
 * Invariant: have_rndr is written once, by hal_init on cpu 0 before the
 * other cpus start, and only read afterwards.  We assume every cpu is
 * alike, as the rest of the HAL does.
 *
 * Go: no counterpart in the runtime, which takes its seed from the OS
 * (runtime/rand.go randinit); this is where a bare-metal randinit gets
 * its bits.
 */
#include "cpu.h"
#include "sysreg.h"

#define ISAR0_RNDR_SHIFT 60

static bool have_rndr;

void random_init(void)
{
	have_rndr = ((sysreg_read(id_aa64isar0_el1) >> ISAR0_RNDR_SHIFT) & 0xf) != 0;
}

bool hal_hw_random(uint64_t *out)
{
	if (!have_rndr)
		return false;
	uint64_t v;
	int ok;
	__asm__ volatile("mrs %0, s3_3_c2_c4_0\n"       /* RNDR */
			 "cset %w1, ne"                 /* Z clear: a number */
			 : "=r"(v), "=r"(ok) :: "cc");
	if (!ok)
		return false;
	*out = v;
	return true;
}
