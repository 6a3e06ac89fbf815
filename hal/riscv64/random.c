/*
 * random.c (riscv64) - hal_hw_random from the Zkr entropy source.
 *
 * Zkr gives every hart a `seed` CSR (number 0x015; RISC-V Scalar
 * Cryptography v1.0.1, "Entropy Source").  Each read returns 32 bits:
 *
 *   31:30  OPST   0 BIST  the source is testing itself: ask again
 *                 1 WAIT  not enough entropy gathered yet: ask again
 *                 2 ES16  bits 15:0 are 16 fresh bits of entropy
 *                 3 DEAD  the source has failed for good
 *   15:0   entropy, valid only with ES16
 *
 * The spec makes seed readable only by an instruction that also writes
 * it (csrrw rd, seed, x0); a plain csrr (csrrs with x0) is illegal.
 *
 * Who may read it.  M-mode always may; S-mode only when M-mode firmware
 * has set mseccfg.SSEED, a bit S-mode cannot see.  Otherwise the read
 * is an illegal instruction, which the firmware hands back to us.  Found
 * by experiment: Debian 12's OpenSBI (1.1) never touches mseccfg, so
 * under QEMU 7.2 with -cpu rv64,zkr=on the DT lists zkr and still every
 * S-mode read traps.  (QEMU 7.2 also has mseccfg only with Smepmp,
 * x-epmp=on; newer OpenSBI sets SSEED in mstatus_init when it finds
 * Zkr.)  Since nothing S-mode can read says whether the bit is set, we
 * ask the hardware:
 *
 *   1. hal_init calls random_init with "does the DT ISA string list
 *      zkr".  Without it we never touch seed: the CSR may not exist.
 *      (hal/dt.c reads riscv,isa, where QEMU 7.2 lists it:
 *      "rv64imafdch_zicsr_..._zbs_zkr_sstc".  A tree with only
 *      riscv,isa-extensions reads as "no Zkr": false, never a trap.)
 *   2. seed_read's csrrw, at seed_read_csrrw, is the only read of seed.
 *      It starts with a0 = all ones, which reads as OPST = DEAD.  If
 *      the csrrw traps, hal_trap calls seed_skip, which steps over it
 *      (sepc += 4): the read "returns" DEAD.
 *   3. hal_hw_random collects four ES16 results (it looks only at
 *      bits 31:30 and 15:0; QEMU sign-extends into 63:32).  On DEAD
 *      (real, or a trapped read) it sets seed_dead and returns false,
 *      now and on every later call, so a machine that may not read
 *      seed traps once (or once per cpu racing on the first call).
 *      BIST and WAIT are polled at most SEED_MAX_POLLS times per call.
 *
 * Invariants:
 *   - seed is read only at seed_read_csrrw, so seed_skip never steps
 *     over any other instruction.
 *   - have_zkr is written once, by hal_init on cpu 0 before the other
 *     cpus start, and only read afterwards.
 *
 * We assume every hart is alike (the same ISA, the same firmware
 * setting), as the rest of the HAL does with the first cpu's ISA string.
 *
 * Go: no counterpart in the runtime, which takes its seed from the OS
 * (runtime/rand.go randinit: auxv AT_RANDOM, else readRandom); this is
 * where a bare-metal randinit gets its bits.
 */
#include "cpu.h"

#define SEED_OPST(v) (((v) >> 30) & 3)
#define SEED_BIST 0
#define SEED_WAIT 1
#define SEED_ES16 2
#define SEED_DEAD 3
#define SEED_MAX_POLLS 1000     /* BIST/WAIT answers per hal_hw_random */

static bool have_zkr;
static atomic_bool seed_dead;   /* DEAD seen, or S-mode may not read seed */

/*
 * unsigned long seed_read(void): one read of seed, or all ones (DEAD) if
 * the read traps.  The csrrw is at seed_read_csrrw, for seed_skip.
 */
unsigned long seed_read(void);
extern char seed_read_csrrw[];
__asm__(".pushsection .text\n"
	".globl seed_read\n"
	".balign 4\n"
	"seed_read:\n"
	"	li	a0, -1\n"
	".globl seed_read_csrrw\n"
	"seed_read_csrrw:\n"
	"	csrrw	a0, 0x015, zero\n"
	"	ret\n"
	".popsection\n");

void random_init(bool zkr)
{
	have_zkr = zkr;
}

/* From hal_trap, on an illegal instruction: was it the seed read? */
bool seed_skip(struct hal_trapframe *tf)
{
	if (tf->sepc != (uintptr_t)seed_read_csrrw)
		return false;
	tf->sepc += 4;          /* csrrw has no compressed form */
	return true;
}

bool hal_hw_random(uint64_t *out)
{
	if (!have_zkr || atomic_load_explicit(&seed_dead, memory_order_relaxed))
		return false;
	uint64_t v = 0;
	int got = 0, polls = 0;
	while (got < 4) {
		unsigned long s = seed_read();
		switch (SEED_OPST(s)) {
		case SEED_ES16:
			v = v << 16 | (s & 0xffff);
			got++;
			break;
		case SEED_DEAD:
			atomic_store_explicit(&seed_dead, true, memory_order_relaxed);
			return false;
		default:                /* BIST, WAIT: not yet */
			if (++polls > SEED_MAX_POLLS)
				return false;
		}
	}
	*out = v;
	return true;
}
