/*
 * cpu.h (aarch64) - the per-cpu structure of the ARM64 HAL, shared by
 * boot/aarch64/entry.S and the C files beside it, and the HAL-internal
 * interfaces between those files.  x18 and TPIDR_EL1 point at a cpu's
 * struct hal_cpu.
 */
#ifndef GOHART_AARCH64_CPU_H
#define GOHART_AARCH64_CPU_H

#define HAL_CPU_STACK_TOP 16

#ifndef __ASSEMBLER__
#include <stdatomic.h>
#include <stdint.h>

#include "hal.h"
#include "dt.h"
#include "dev.h"

struct hal_cpu {
	struct hal_cpu_head head;       /* must be first: hal_arch.h */
	uint64_t stack_top;             /* HAL_CPU_STACK_TOP */
	uint64_t mpidr;                 /* affinity bits of MPIDR_EL1 */
	atomic_int online;              /* set by the cpu itself */
	atomic_int ipi_pending;         /* set by senders, cleared by the handler */
	/* GIC: set by the cpu itself in gic_init_cpu, read by senders. */
	uint32_t gic_mask;              /* v2: its bit in GICD_ITARGETSR */
	uintptr_t gic_rd;               /* v3: its redistributor (RD_base) */
	/* hal_irq_offload request; touched only by this cpu. */
	void (*offload_fn)(void *);
	void *offload_arg;
	volatile int offload_done;
};

_Static_assert(__builtin_offsetof(struct hal_cpu, stack_top) == HAL_CPU_STACK_TOP,
	       "entry.S knows this offset");

extern struct hal_cpu hal_cpus[CONFIG_MAXCPU];
extern struct dt_info hal_dt;
extern char boot_stacks[CONFIG_MAXCPU][CONFIG_BOOT_STACK_SIZE];

static inline struct hal_cpu *this_cpu(void)
{
	return (struct hal_cpu *)hal_cpu_head();
}

/* The interrupt numbers (GIC INTIDs) the HAL uses. */
#define IRQ_SGI_IPI 0                   /* hal_ipi_send, hal_irq_offload */
#define IRQ_SPURIOUS 1020               /* 1020..1023: nothing to take */

/* cpu.c */
_Noreturn void boot_fail(const char *what, const char *detail);

/* mmu.c */
void mmu_init(void);
void mmu_map_device(uint64_t base, uint64_t size);

/* semihost.c: calls to the debugger or emulator (QEMU -semihosting). */
void semihost_putc(int c);
void semihost_exit(int status);
bool semihost_skip(struct hal_trapframe *tf);

/* psci.c */
int psci_cpu_on(uint64_t mpidr, uintptr_t entry, uintptr_t context);
void psci_system_off(void);

/* timer.c */
void timer_init(void);
void timer_init_cpu(void);
uint32_t timer_irq(void);

/* gic.c */
void gic_init(void);
void gic_init_cpu(struct hal_cpu *c);
uint32_t gic_irq_from_dt(const uint32_t *cells, uint32_t n);
void gic_enable(uint32_t irq, struct hal_cpu *c);
uint32_t gic_ack(uint32_t *intid);
void gic_eoi(uint32_t iar);
void gic_send_sgi(struct hal_cpu *c, uint32_t sgi);

/* trap.c */
void trap_init_cpu(void);
#endif

#endif
