/*
 * hal_arch.h (host) - stand-in for hal/<arch>/hal_arch.h in the host tests.
 *
 * hal/hal.h ends with #include "hal_arch.h", the arch's inline functions
 * (per-cpu pointer, interrupt masking, instruction counter), written in
 * RISC-V assembly and not host-compilable.  The host tests put
 * tests/host first on the include path, so hal.h finds this file instead:
 * one cpu, interrupts a plain flag, no instruction counter.  Only what
 * generic code calls is here; the trap frame and context stay opaque.
 */
#ifndef GOHART_HAL_ARCH_H
#define GOHART_HAL_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#define HAL_TRAPNAME_ILLEGAL "illegal instruction"
#define HAL_TRAPNAME_BAD_LOAD "load access fault"
#define HAL_TRAPNAME_BREAKPOINT "breakpoint"

/* State of the one host "cpu"; static, so each test file has its own. */
static void *hal_host_local;
static bool hal_host_irq_on;

static inline int hal_cpu_id(void) { return 0; }
static inline void *hal_cpu_local(void) { return hal_host_local; }
static inline void hal_set_cpu_local(void *p) { hal_host_local = p; }

static inline uintptr_t hal_irq_save(void)
{
	uintptr_t was = hal_host_irq_on;
	hal_host_irq_on = false;
	return was;
}

static inline void hal_irq_restore(uintptr_t s)
{
	if (s)
		hal_host_irq_on = true;
}

static inline void hal_irq_enable(void) { hal_host_irq_on = true; }
static inline bool hal_irq_enabled(void) { return hal_host_irq_on; }
static inline void hal_cpu_relax(void) { }
static inline uint64_t hal_insn_count(void) { return 0; }

#endif
