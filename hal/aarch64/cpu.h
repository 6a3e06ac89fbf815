/*
 * cpu.h (aarch64) - the per-cpu structure of the ARM64 HAL, shared by
 * boot/aarch64/entry.S and the C files beside it, and the HAL-internal
 * interfaces between those files.  x18 and TPIDR_EL1 point at a cpu's
 * struct hal_cpu.
 */
#ifndef GOHART_AARCH64_CPU_H
#define GOHART_AARCH64_CPU_H

#define HAL_CPU_STACK_TOP 16
#define HAL_CPU_MPIDR 24
#define HAL_CPU_SIZE 128                /* each on its own cache lines */

#ifndef __ASSEMBLER__
#include <stdatomic.h>
#include <stdint.h>

#include "hal.h"
#include "dt.h"
#include "dev.h"

/*
 * One per cpu, indexed by the dense cpu number.  Set up by cpu 0 in
 * number_cpus before the cpu starts, then owned by the cpu except where
 * a field says otherwise.  entry.S finds a spin-table cpu's struct by
 * mpidr (HAL_CPU_MPIDR, HAL_CPU_SIZE).
 */
struct hal_cpu {
	struct hal_cpu_head head;       /* must be first: hal_arch.h */
	uint64_t stack_top;             /* HAL_CPU_STACK_TOP */
	uint64_t mpidr;                 /* affinity bits of MPIDR_EL1 */
	atomic_int online;              /* set by the cpu itself */
	atomic_int ipi_pending;         /* set by senders, cleared by the handler */
	/* GIC: set by the cpu itself in gic_init_cpu, read by senders. */
	uint32_t gic_mask;              /* v2: its bit in GICD_ITARGETSR */
	uintptr_t gic_rd;               /* v3: its redistributor (RD_base) */
	/* How it is started, from its DT node (read by cpu 0 only). */
	enum dt_enable_method enable_method;
	uint64_t release_addr;          /* spin-table: its cpu-release-addr */
	/* hal_irq_offload request; touched only by this cpu. */
	void (*offload_fn)(void *);
	void *offload_arg;
	volatile int offload_done;
} __attribute__((aligned(HAL_CPU_SIZE)));

_Static_assert(__builtin_offsetof(struct hal_cpu, stack_top) == HAL_CPU_STACK_TOP,
	       "entry.S knows this offset");
_Static_assert(__builtin_offsetof(struct hal_cpu, mpidr) == HAL_CPU_MPIDR,
	       "entry.S knows this offset");
_Static_assert(sizeof(struct hal_cpu) == HAL_CPU_SIZE, "entry.S knows this size");

extern struct hal_cpu hal_cpus[CONFIG_MAXCPU];
extern struct dt_info hal_dt;
extern char boot_stacks[CONFIG_MAXCPU][CONFIG_BOOT_STACK_SIZE];

static inline struct hal_cpu *this_cpu(void)
{
	return (struct hal_cpu *)hal_cpu_head();
}

/*
 * The interrupt controller, behind one small interface so the rest of
 * the HAL need not know which one the board has: the Arm GIC (gic.c) or
 * the Raspberry Pi's pair of Broadcom controllers (bcm2836_intc.c).
 * hal_init picks one from the device tree and sets `intc`.  Interrupt
 * numbers are each controller's own; IRQ_NONE means "none".
 *
 *   init            once, on cpu 0, before the other cpus start
 *   init_cpu        on each cpu (c is the calling cpu): its own state,
 *                   and the IPI enabled
 *   irq_from_dt     the index-th interrupt of a device node's interrupts
 *                   property (n cells), whose interrupt parent has phandle
 *                   parent; IRQ_NONE if it cannot say
 *   enable          let irq through: a per-cpu interrupt for the calling
 *                   cpu, which must be c; a shared one routed to c
 *   ack             take the interrupt to handle: its number in *irq
 *                   (IRQ_NONE: nothing pending), and a token for eoi
 *   eoi             end it; runs before the handler, which may switch
 *                   goroutines (trap.c).  The IPI may be raised again
 *                   from here on and is not lost.
 *   send_ipi        raise ipi_irq on cpu c (may be this one), after the
 *                   sender's earlier stores are visible to c
 *   ipi_irq         what ack names the IPI
 *   timer_irq       the virtual timer's, when the DT does not say
 */
#define IRQ_NONE 0xffffffffu

struct intc_ops {
	const char *name;
	void (*init)(void);
	void (*init_cpu)(struct hal_cpu *c);
	uint32_t (*irq_from_dt)(uint32_t parent, const uint32_t *cells, uint32_t n,
				uint32_t index);
	void (*enable)(uint32_t irq, struct hal_cpu *c);
	uint32_t (*ack)(uint32_t *irq);
	void (*eoi)(uint32_t token);
	void (*send_ipi)(struct hal_cpu *c);
	uint32_t ipi_irq;
	uint32_t timer_irq;
};

extern const struct intc_ops *intc;     /* set by hal_init, then read-only */
extern const struct intc_ops gic_ops, bcm2836_intc_ops;

/* The console UART's driver (hal/dev/dev.h), by the DT's kind; NULL when
 * there is none (output goes to semihosting).  Set by hal_init. */
struct uart_driver {
	void (*init)(const struct dt_info *dt);
	void (*putc)(int c);
	void (*intr)(void);
	int (*getc)(void);
};
extern const struct uart_driver *console;
extern uint32_t console_irq;            /* its receive interrupt, or IRQ_NONE */

/* cpu.c */
_Noreturn void boot_fail(const char *what, const char *detail);

/* mmu.c; the identity map ends where the aliases (mmu_alias, the last
 * GiB of the address space) begin. */
#define MMU_ALIAS_BASE ((1ull << VA_BITS) - (1ull << L1_SHIFT))
void mmu_init(void);
void mmu_map_device(uint64_t base, uint64_t size);
void *mmu_alias(uint64_t pa);

/* semihost.c: calls to the debugger or emulator (QEMU -semihosting). */
void semihost_putc(int c);
void semihost_exit(int status);
bool semihost_skip(struct hal_trapframe *tf);

/* psci.c */
int psci_cpu_on(uint64_t mpidr, uintptr_t entry, uintptr_t context);
void psci_system_off(void);

/* spintable.c */
int spin_table_cpu_on(uint64_t release_addr, uintptr_t entry);

/* timer.c */
void timer_init(void);
void timer_init_cpu(void);
uint32_t timer_irq(void);

/* trap.c */
void trap_init_cpu(void);

/* random.c */
void random_init(void);
#endif

#endif
