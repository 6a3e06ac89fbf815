/*
 * trap.c (riscv64) - where trapvec.S lands: dispatch interrupts to the
 * generic intr_* hooks, report everything else as fatal; and the pieces of
 * the HAL that read trap frames and walk stacks.
 *
 * scause: the top bit says interrupt (1) or exception (0); the rest is the
 * cause number (privileged spec, table 4.2).  Interrupts we take: 1
 * supervisor software (IPI and hal_irq_offload), 5 supervisor timer, 9
 * supervisor external (the PLIC).  Every exception is fatal: gohart runs
 * everything in S-mode, so an exception is a bug (or a deliberate test).
 * The one exception to that: the seed CSR read in random.c, which traps
 * when the firmware does not let S-mode read seed; seed_skip steps over it.
 */
#include "cpu.h"
#include "csr.h"
#include "runtime/print.h"

extern void hal_trap_vector(void);
extern char _text_start[], _etext[];

static const char *const exception_names[] = {
	[0] = "instruction address misaligned",
	[1] = "instruction access fault",
	[2] = "illegal instruction",
	[3] = "breakpoint",
	[4] = "load address misaligned",
	[5] = "load access fault",
	[6] = "store address misaligned",
	[7] = "store access fault",
	[8] = "environment call from U-mode",
	[9] = "environment call from S-mode",
	[12] = "instruction page fault",
	[13] = "load page fault",
	[15] = "store page fault",
};

void trap_init_cpu(void)
{
	csr_write(stvec, (uintptr_t)hal_trap_vector);
	/* Let S-mode use the FP unit; FS = Initial until first use. */
	csr_clear(sstatus, SSTATUS_FS);
	csr_set(sstatus, SSTATUS_FS_INITIAL);
	csr_set(sie, SIE_SSIE);
}

static void software_interrupt(struct hal_trapframe *tf)
{
	struct hal_cpu *c = this_cpu();
	csr_clear(sip, SIP_SSIP);
	if (c->offload_fn) {
		void (*fn)(void *) = c->offload_fn;
		c->offload_fn = NULL;
		fn(c->offload_arg);
		c->offload_done = 1;
	}
	if (atomic_exchange_explicit(&c->ipi_pending, 0, memory_order_acquire))
		intr_ipi(tf);
}

static void external_interrupt(void)
{
	struct hal_cpu *c = this_cpu();
	int irq;
	while ((irq = plic_claim(c)) != 0) {
		if ((uint32_t)irq == hal_dt.uart.irq)
			ns16550_intr();
		plic_complete(c, irq);
	}
}

void hal_trap(struct hal_trapframe *tf)
{
	uint64_t cause = tf->scause;
	if (cause & SCAUSE_INTR) {
		switch (cause & ~SCAUSE_INTR) {
		case IRQ_S_SOFT:
			software_interrupt(tf);
			return;
		case IRQ_S_TIMER:
			hal_timer_disarm();
			intr_timer(tf);
			return;
		case IRQ_S_EXT:
			external_interrupt();
			return;
		}
		intr_fatal(tf, "unexpected interrupt", cause & ~SCAUSE_INTR);
	}
	if (cause == EXC_ILLEGAL_INSN && seed_skip(tf))
		return;
	const char *what = cause < sizeof exception_names / sizeof *exception_names &&
			   exception_names[cause] ? exception_names[cause]
						  : "unknown exception";
	intr_fatal(tf, what, tf->stval);
}

void hal_irq_offload(void (*fn)(void *), void *arg)
{
	struct hal_cpu *c = this_cpu();
	uintptr_t s = hal_irq_save();
	c->offload_arg = arg;
	c->offload_fn = fn;
	c->offload_done = 0;
	csr_set(sip, SIP_SSIP);         /* S-mode may raise its own SSIP */
	hal_irq_enable();               /* taken here, before the next insn */
	while (!c->offload_done)
		;
	csr_clear(sstatus, SSTATUS_SIE);
	hal_irq_restore(s);
}

void hal_ipi_send(int cpu)
{
	struct hal_cpu *c = &hal_cpus[cpu];
	atomic_store_explicit(&c->ipi_pending, 1, memory_order_release);
	if (c == this_cpu())
		csr_set(sip, SIP_SSIP);
	else
		sbi_send_ipi(c->hartid);
}

void hal_wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

/* ---- Frames and stacks ---- */

static bool in_text(uintptr_t pc)
{
	return pc >= (uintptr_t)_text_start && pc < (uintptr_t)_etext;
}

/*
 * The RISC-V frame record (GCC, -fno-omit-frame-pointer): s0 points just
 * above it, the return address at s0-8 and the caller's s0 at s0-16.  A
 * leaf function saves only s0, at s0-8.  We tell the two apart by what
 * s0-8 holds: a code address, or a stack address above this frame.
 *
 * With f->lr set (the caller found the trapped pc in a leaf, or in a
 * prologue or epilogue, where ra is still the way back), the caller is
 * f->lr.  s0 then is either the leaf's own record (step past it) or
 * already the caller's (keep it).
 */
bool hal_frame_caller(struct hal_frame *f, uintptr_t lo, uintptr_t hi)
{
	uintptr_t fp = f->fp;
	if (fp == 0 || (fp & 7) != 0 || fp < lo + 16 || fp > hi)
		return false;
	uintptr_t w1 = *(uintptr_t *)(fp - 8);
	uintptr_t w2 = *(uintptr_t *)(fp - 16);
	if (f->lr != 0) {
		if (!in_text(f->lr))
			return false;
		f->pc = f->lr;
		f->lr = 0;
		if (!in_text(w1) && w1 > fp && w1 <= hi)
			f->fp = w1;     /* past the leaf's own record */
		return true;
	}
	if (!in_text(w1))
		return false;
	f->pc = w1;
	f->fp = w2;
	if (f->fp != 0 && f->fp <= fp)
		return false;   /* frames must move up the stack */
	return f->pc != 0;
}

void hal_frame_here(struct hal_frame *f)
{
	f->fp = (uintptr_t)__builtin_frame_address(0);
	f->pc = (uintptr_t)__builtin_return_address(0);
	f->lr = 0;
	/* Report the caller: step once past our own frame. */
	f->fp = *(uintptr_t *)(f->fp - 16);
}

void hal_context_frame(const struct hal_context *ctx, struct hal_frame *f)
{
	f->pc = ctx->ra;        /* just after the call that switched away */
	f->fp = ctx->s[0];
	f->lr = 0;
}

void hal_trapframe_frame(const struct hal_trapframe *tf, struct hal_frame *f)
{
	f->pc = tf->sepc;
	f->fp = tf->x[8];
	f->lr = tf->x[1];
}

uintptr_t hal_trapframe_sp(const struct hal_trapframe *tf)
{
	return tf->x[2];
}

void hal_boot_stack(int cpu, uintptr_t *lo, uintptr_t *hi)
{
	*lo = (uintptr_t)boot_stacks[cpu];
	*hi = *lo + CONFIG_BOOT_STACK_SIZE;
}

static const char *const reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
	"a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
	"s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

void hal_trapframe_dump(const struct hal_trapframe *tf)
{
	print_fmt("[trap scause=%#lx stval=%#lx sepc=%#lx sstatus=%#lx hart=%lu cpu=%d]\n",
		  tf->scause, tf->stval, tf->sepc, tf->sstatus,
		  this_cpu()->hartid, hal_cpu_id());
	for (int i = 0; i < 32; i++)
		print_fmt("%-4s %#018lx%s", reg_names[i], tf->x[i],
			  i % 4 == 3 ? "\n" : "  ");
}
