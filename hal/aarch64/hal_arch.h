/*
 * hal_arch.h (aarch64) - the inline part of hal/hal.h and the arch's
 * structures.  Included only through hal/hal.h.
 *
 * Per-cpu pointer: x18 always points at this cpu's struct hal_cpu
 * (hal/aarch64/cpu.c), whose first word is the generic per-cpu pointer
 * and second the dense cpu index - the same layout RISC-V keeps in tp.
 * The AAPCS64 calls x18 the "platform register": everything gohart links
 * (its own code and newlib) is compiled with -ffixed-x18, so the compiler
 * never allocates it, and reading the per-cpu pointer is one load off a
 * register, ordered like any other memory access.  The alternative,
 * TPIDR_EL1, costs an mrs (a system-register read the compiler cannot
 * schedule or combine) on every hal_cpu_local(), which the allocator's
 * fast path calls first.
 *
 * TPIDR_EL1 holds the same pointer, for the one place x18 cannot be
 * trusted: trap entry.  Debian's libgcc was not built with -ffixed-x18,
 * and its 128-bit long-double multiply and divide (__multf3, __divtf3)
 * use x18 as a scratch register; trapvec.S therefore takes the cpu from
 * TPIDR_EL1 and puts such a scratch value back on the way out.
 */
#ifndef GOHART_HAL_ARCH_H
#define GOHART_HAL_ARCH_H

/*
 * Trap frame offsets, shared with trapvec.S (checked below).  x[i] is
 * register xi; pc and pstate are ELR_EL1 and SPSR_EL1 at the trap; cpu is
 * TPIDR_EL1 at entry; kind says which vector was taken (VEC_* in trap.c).
 */
#define TF_X(i) ((i) * 8)
#define TF_SP (31 * 8)
#define TF_PC (32 * 8)
#define TF_PSTATE (33 * 8)
#define TF_ESR (34 * 8)
#define TF_FAR (35 * 8)
#define TF_CPU (36 * 8)
#define TF_KIND (37 * 8)
#define TF_FPSR (38 * 8)
#define TF_FPCR (39 * 8)
#define TF_Q(i) (40 * 8 + (i) * 16)
#define TF_SIZE (40 * 8 + 32 * 16)

/* Saved-context offsets, shared with context.S. */
#define CTX_X19 0               /* x19..x28 at CTX_X19 + 8 * (n - 19) */
#define CTX_FP (10 * 8)         /* x29 */
#define CTX_LR (11 * 8)         /* x30 */
#define CTX_SP (12 * 8)
#define CTX_D8 (13 * 8)         /* d8..d15 */
#define CTX_SIZE (22 * 8)

/* What the fatal report calls the traps tests provoke on purpose
 * (ESR_EL1 exception classes 0x00, 0x25 with WnR = 0, 0x3c). */
#define HAL_TRAPNAME_ILLEGAL "undefined instruction"
#define HAL_TRAPNAME_BAD_LOAD "data abort on load"
#define HAL_TRAPNAME_BREAKPOINT "breakpoint instruction"

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

/*
 * Trap frame, pushed on the interrupted stack by trapvec.S, with a
 * 16-byte frame record above it.  The whole FP/SIMD file is always saved:
 * AArch64 has no "FP registers dirty" bit to skip it by, and interrupt
 * handlers (and the compiler's memcpy expansions in them) use the vector
 * registers.
 */
struct hal_trapframe {
	uint64_t x[31];
	uint64_t sp, pc, pstate, esr, far, cpu, kind;
	uint64_t fpsr, fpcr;
	__uint128_t q[32];
};

_Static_assert(sizeof(struct hal_trapframe) == TF_SIZE, "trapframe size");
_Static_assert(__builtin_offsetof(struct hal_trapframe, sp) == TF_SP, "tf.sp");
_Static_assert(__builtin_offsetof(struct hal_trapframe, pc) == TF_PC, "tf.pc");
_Static_assert(__builtin_offsetof(struct hal_trapframe, esr) == TF_ESR, "tf.esr");
_Static_assert(__builtin_offsetof(struct hal_trapframe, cpu) == TF_CPU, "tf.cpu");
_Static_assert(__builtin_offsetof(struct hal_trapframe, kind) == TF_KIND, "tf.kind");
_Static_assert(__builtin_offsetof(struct hal_trapframe, fpsr) == TF_FPSR, "tf.fpsr");
_Static_assert(__builtin_offsetof(struct hal_trapframe, q) == TF_Q(0), "tf.q");
_Static_assert(TF_SIZE % 16 == 0, "trapframe keeps sp 16-byte aligned");

/*
 * Saved context for hal_context_switch (context.S): the callee-saved
 * registers of the AAPCS64 - x19..x28, the frame pointer x29, the link
 * register x30, sp, and the low halves d8..d15 of v8..v15.  There is no
 * cheap way to know whether a context used FP, so d8..d15 are always
 * saved (4 stp + 4 ldp).
 */
struct hal_context {
	uint64_t x19_28[10];
	uint64_t fp, lr, sp;
	uint64_t d8_15[8];
	uint64_t pad;           /* keeps the size a multiple of 16 */
};

_Static_assert(sizeof(struct hal_context) == CTX_SIZE, "context size");
_Static_assert(__builtin_offsetof(struct hal_context, fp) == CTX_FP, "ctx.fp");
_Static_assert(__builtin_offsetof(struct hal_context, lr) == CTX_LR, "ctx.lr");
_Static_assert(__builtin_offsetof(struct hal_context, sp) == CTX_SP, "ctx.sp");
_Static_assert(__builtin_offsetof(struct hal_context, d8_15) == CTX_D8, "ctx.d8");

struct hal_cpu_head {
	void *local;            /* owned by generic code */
	long id;                /* dense cpu index */
};

/* x18 as a C variable (see the comment at the top). */
register struct hal_cpu_head *hal_x18 __asm__("x18");

static inline struct hal_cpu_head *hal_cpu_head(void) { return hal_x18; }
static inline int hal_cpu_id(void) { return (int)hal_x18->id; }
static inline void *hal_cpu_local(void) { return hal_x18->local; }
static inline void hal_set_cpu_local(void *p) { hal_cpu_head()->local = p; }

/* Interrupts are PSTATE.I (IRQ); FIQ, SError and debug stay as they are. */
static inline uintptr_t hal_irq_save(void)
{
	uintptr_t daif;
	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(daif) :: "memory");
	return (daif & (1 << 7)) ? 0 : 1;       /* 1: they were enabled */
}

static inline void hal_irq_restore(uintptr_t s)
{
	if (s)
		__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline void hal_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline bool hal_irq_enabled(void)
{
	uintptr_t daif;
	__asm__ volatile("mrs %0, daif" : "=r"(daif));
	return (daif & (1 << 7)) == 0;
}

static inline void hal_cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

static inline uint64_t hal_ticks(void)
{
	uint64_t t;
	/* isb: read the counter here, not early (reads may be speculated). */
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(t) :: "memory");
	return t;
}

/*
 * The PMU cycle counter (64 bits; set running on every cpu by cpu.c).
 * QEMU clocks it at 1 GHz of virtual time, which under -icount shift=0 is
 * one tick per instruction - exact, as benchmarks need.  On hardware it
 * counts cycles.  (The INST_RETIRED event counter is only 32 bits wide and
 * QEMU implements it only under -icount.)
 */
static inline uint64_t hal_insn_count(void)
{
	uint64_t n;
	__asm__ volatile("mrs %0, pmccntr_el0" : "=r"(n));
	return n;
}

#endif /* __ASSEMBLER__ */
#endif
