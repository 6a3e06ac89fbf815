/*
 * spintable.c (aarch64) - starting a cpu the firmware holds in a spin
 * table (DT enable-method = "spin-table"), as on the Raspberry Pi.
 *
 * The protocol (Linux Documentation/arm64/booting.rst, "spin-table"):
 * before the kernel runs, the firmware parks each secondary cpu in a
 * loop outside the kernel that sleeps in wfe and reads a 64-bit slot,
 * the cpu's cpu-release-addr, until it holds something other than zero;
 * then it jumps there, with the MMU and caches off, at the exception
 * level the kernel was entered at, x0-x3 zero.  To start the cpu:
 *
 *   1. write the (physical) entry address into its slot;
 *   2. clean the slot's cache line to the point of coherency: the
 *      spinning cpu reads memory with its caches off, and would never
 *      see a line that stayed dirty in ours;
 *   3. dsb, then sev: wake every cpu sleeping in wfe.  The others find
 *      their slots still zero and sleep again.
 *
 * The cpu arrives at entry.S's secondary_entry with x0 = 0 and finds
 * its struct hal_cpu itself, by its MPIDR, once its MMU is on.
 *
 * The slots must stay reserved (the DT's /memreserve/); they are not
 * necessarily in the identity map - the Pi's are in page 0, which is
 * left unmapped so that NULL dereferences fault (mmu.c) - so we write
 * through mmu_alias.
 *
 * There is no answer from the firmware: a cpu that never calls in is
 * found out by hal_start_cpus's wait.  A slot of 0 means the DT gave no
 * cpu-release-addr: refused with PSCI's "invalid parameters" (-2).
 *
 * Context: cpu 0, thread, during hal_start_cpus.
 */
#include "cpu.h"
#include "sysreg.h"

#define ERR_INVALID_PARAMETERS (-2)

int spin_table_cpu_on(uint64_t release_addr, uintptr_t entry)
{
	if (release_addr == 0 || (release_addr & 7) != 0)
		return ERR_INVALID_PARAMETERS;
	volatile uint64_t *slot = mmu_alias(release_addr);
	*slot = (uint64_t)entry;
	dsb(ish);
	__asm__ volatile("dc civac, %0" :: "r"(slot) : "memory");
	dsb(sy);
	__asm__ volatile("sev" ::: "memory");
	return 0;
}
