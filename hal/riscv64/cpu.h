/*
 * cpu.h (riscv64) - the per-hart structure of the RISC-V HAL, shared by
 * boot/riscv64/entry.S and the C files beside it.  tp points at it.
 */
#ifndef GOHART_RISCV_CPU_H
#define GOHART_RISCV_CPU_H

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
	unsigned long hartid;
	uint32_t intc_phandle;          /* DT phandle of its interrupt controller */
	int plic_ctx;                   /* S-mode PLIC context, -1: none */
	atomic_int online;              /* set by the cpu itself */
	atomic_int ipi_pending;         /* set by senders, cleared by the handler */
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

/* sbi.c */
struct sbiret {
	long error;
	long value;
};
struct sbiret sbi_call(long ext, long fid, long a0, long a1, long a2);
void sbi_console_putchar(int c);
int sbi_hart_start(unsigned long hartid, uintptr_t addr, uintptr_t opaque);
void sbi_send_ipi(unsigned long hartid);
void sbi_set_timer(uint64_t ticks);
void sbi_system_reset(int status);
void sbi_init(void);

/* timer.c */
void timer_init(uint64_t timebase, bool sstc);
void timer_init_cpu(void);
/* plic.c */
void plic_init(void);
void plic_init_cpu(struct hal_cpu *c);
void plic_enable(int irq, struct hal_cpu *c);
int plic_claim(struct hal_cpu *c);
void plic_complete(struct hal_cpu *c, int irq);
/* trap.c */
void trap_init_cpu(void);
/* random.c */
void random_init(bool zkr);
bool seed_skip(struct hal_trapframe *tf);
#endif

#endif
