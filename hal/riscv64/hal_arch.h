/*
 * hal_arch.h (riscv64) - the inline part of hal/hal.h and the arch's
 * structures.  Included only through hal/hal.h.
 *
 * Per-cpu pointer: the tp register always points at this cpu's struct
 * hal_cpu (hal/riscv64/cpu.c), whose first word is the generic per-cpu
 * pointer and second the dense cpu index.  Nothing else may change tp.
 */
#ifndef GOHART_HAL_ARCH_H
#define GOHART_HAL_ARCH_H

/* Offsets shared with trapvec.S and context.S (checked below). */
#define TF_X(i) ((i) * 8)
#define TF_SEPC (32 * 8)
#define TF_SSTATUS (33 * 8)
#define TF_SCAUSE (34 * 8)
#define TF_STVAL (35 * 8)
#define TF_FPSAVED (36 * 8)
#define TF_FCSR (37 * 8)
#define TF_F(i) ((38 + (i)) * 8)
#define TF_SIZE (70 * 8)
#define CTX_RA 0
#define CTX_SP 8
#define CTX_S(i) (16 + (i) * 8)
#define CTX_FS(i) (112 + (i) * 8)
#define CTX_FPVALID (112 + 12 * 8)

/* What the fatal report calls the traps tests provoke on purpose. */
#define HAL_TRAPNAME_ILLEGAL "illegal instruction"
#define HAL_TRAPNAME_BAD_LOAD "load access fault"
#define HAL_TRAPNAME_BREAKPOINT "breakpoint"

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

/*
 * Trap frame, pushed on the interrupted stack by trapvec.S.  x[i] holds
 * register xi (x[0] is unused: x0 is always zero).  The FP file is saved
 * only when the interrupted code had dirtied it (fpsaved != 0).
 */
struct hal_trapframe {
	uint64_t x[32];
	uint64_t sepc, sstatus, scause, stval;
	uint64_t fpsaved, fcsr;
	uint64_t f[32];
};


_Static_assert(sizeof(struct hal_trapframe) == TF_SIZE, "trapframe size");
_Static_assert(__builtin_offsetof(struct hal_trapframe, f) == TF_F(0), "tf.f");
_Static_assert(TF_SIZE % 16 == 0, "trapframe keeps sp 16-byte aligned");

/*
 * Saved context for hal_context_switch (context.S): the callee-saved
 * registers of the C ABI - ra, sp, s0..s11 and fs0..fs11.  fpvalid: the
 * fs registers were saved (the context had touched FP); otherwise they
 * are neither saved nor restored.
 */
struct hal_context {
	uint64_t ra, sp, s[12];
	uint64_t fs[12];
	uint64_t fpvalid;
};

_Static_assert(__builtin_offsetof(struct hal_context, fs) == CTX_FS(0), "ctx.fs");
_Static_assert(__builtin_offsetof(struct hal_context, fpvalid) == CTX_FPVALID,
	       "ctx.fpvalid");

struct hal_cpu_head {
	void *local;            /* owned by generic code */
	long id;                /* dense cpu index */
};

/*
 * tp as a C variable: the compiler never allocates tp, and naming it as a
 * global register variable lets it read the fields with one load off tp
 * (the allocator's fast path starts with hal_cpu_local) while ordering
 * those loads against stores like any other memory access.
 */
register struct hal_cpu_head *hal_tp __asm__("tp");

static inline struct hal_cpu_head *hal_cpu_head(void) { return hal_tp; }
static inline int hal_cpu_id(void) { return (int)hal_tp->id; }
static inline void *hal_cpu_local(void) { return hal_tp->local; }
static inline void hal_set_cpu_local(void *p) { hal_cpu_head()->local = p; }

static inline uintptr_t hal_irq_save(void)
{
	uintptr_t s;
	/* csrrc: read sstatus and clear SIE in one instruction. */
	__asm__ volatile("csrrc %0, sstatus, %1" : "=r"(s) : "r"(2ul) : "memory");
	return s & 2;
}

static inline void hal_irq_restore(uintptr_t s)
{
	__asm__ volatile("csrs sstatus, %0" :: "r"(s & 2) : "memory");
}

static inline void hal_irq_enable(void)
{
	__asm__ volatile("csrsi sstatus, 2" ::: "memory");
}

static inline bool hal_irq_enabled(void)
{
	uintptr_t s;
	__asm__ volatile("csrr %0, sstatus" : "=r"(s));
	return (s & 2) != 0;
}

static inline void hal_cpu_relax(void)
{
	/* Zihintpause "pause" (a hint: a no-op where not implemented). */
	__asm__ volatile(".insn i 0x0f, 0, x0, x0, 0x010" ::: "memory");
}

static inline uint64_t hal_ticks(void)
{
	uint64_t t;
	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static inline uint64_t hal_insn_count(void)
{
	uint64_t n;
	__asm__ volatile("rdinstret %0" : "=r"(n));
	return n;
}

#endif /* __ASSEMBLER__ */
#endif
