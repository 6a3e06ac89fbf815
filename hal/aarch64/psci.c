/*
 * psci.c (aarch64) - calls into the Power State Coordination Interface
 * firmware (Arm DEN 0022).
 *
 * A PSCI call is an smc (to EL3 firmware, e.g. Trusted Firmware-A) or an
 * hvc (to EL2: QEMU virt without firmware emulates PSCI there); the
 * device tree's /psci node says which (`method`).  x0 = function id,
 * x1-x3 = arguments; the result comes back in x0.  We use:
 *
 *   CPU_ON      0xc4000003  (SMC64) start a powered-off cpu at an address
 *   SYSTEM_OFF  0x84000008  power the machine off
 *
 * Error codes: 0 success, -1 not supported, -2 invalid parameters,
 * -3 denied, -4 already on, -5 on pending, -6 internal failure,
 * -7 not present, -8 disabled, -9 invalid address.
 */
#include "cpu.h"

#define PSCI_CPU_ON 0xc4000003ul
#define PSCI_SYSTEM_OFF 0x84000008ul
#define PSCI_NOT_SUPPORTED (-1)

static long psci_call(unsigned long fid, unsigned long a1, unsigned long a2,
		      unsigned long a3)
{
	register unsigned long x0 __asm__("x0") = fid;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;
	switch (hal_dt.psci.method) {
	case DT_PSCI_HVC:
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :: "memory");
		break;
	case DT_PSCI_SMC:
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :: "memory");
		break;
	default:
		return PSCI_NOT_SUPPORTED;
	}
	return (long)x0;
}

/* Start the cpu with affinity mpidr at entry (physical), x0 = context. */
int psci_cpu_on(uint64_t mpidr, uintptr_t entry, uintptr_t context)
{
	return (int)psci_call(PSCI_CPU_ON, mpidr, entry, context);
}

/* Returns only if there is no PSCI or it refused. */
void psci_system_off(void)
{
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}
