/*
 * trap.c (aarch64) - where trapvec.S lands: dispatch interrupts to the
 * generic intr_* hooks, report everything else as fatal; and the pieces of
 * the HAL that read trap frames and walk stacks.
 *
 * tf->kind says which of the 16 vectors was taken: gohart runs at EL1 on
 * SP_EL1, so only "current EL, SPx" synchronous exceptions (4) and IRQs
 * (5) are expected.  An IRQ is acknowledged at the interrupt controller
 * (`intc`: the GIC, or the Raspberry Pi's, cpu.h), which names it: its
 * IPI number (GIC SGI 0; a mailbox on the Pi) is hal_ipi_send and
 * hal_irq_offload, the virtual timer's the timer, the UART's its receive
 * interrupt.  A synchronous exception
 * is a bug (or a deliberate test), named after ESR_EL1's exception class
 * (Arm ARM D17.2.37); the one exception is a semihosting call with no
 * host behind it, which is skipped (semihost.c).
 *
 * Each interrupt is acknowledged and ended (EOI) at the controller
 * before its hook runs: intr_timer and intr_ipi may switch goroutines and not come
 * back for a long time, and an interrupt left active would block the
 * next one of its priority on this cpu until then.
 */
#include "cpu.h"
#include "sysreg.h"
#include "runtime/print.h"

extern void hal_trap_vector(void);
extern char _text_start[], _etext[];

enum {
	VEC_SYNC = 4,           /* current EL, SP_ELx, synchronous */
	VEC_IRQ = 5,
};

static const char *const vector_names[16] = {
	"synchronous exception on SP_EL0", "IRQ on SP_EL0", "FIQ on SP_EL0",
	"SError on SP_EL0", "synchronous exception", "IRQ", "FIQ", "SError",
	"synchronous exception from EL0", "IRQ from EL0", "FIQ from EL0",
	"SError from EL0", "synchronous exception from AArch32",
	"IRQ from AArch32", "FIQ from AArch32", "SError from AArch32",
};

static const char *const ec_names[64] = {
	[0x00] = HAL_TRAPNAME_ILLEGAL,  /* "unknown reason": udf, bad encodings */
	[0x01] = "wfi/wfe trapped",
	[0x07] = "FP/SIMD access trapped",
	[0x0e] = "illegal execution state",
	[0x15] = "svc instruction",
	[0x16] = "hvc instruction",
	[0x17] = "smc instruction",
	[0x18] = "system register access trapped",
	[0x20] = "instruction abort from EL0",
	[0x21] = "instruction abort",
	[0x22] = "pc alignment fault",
	[0x24] = "data abort from EL0",
	[0x25] = "data abort",          /* named by direction below */
	[0x26] = "sp alignment fault",
	[0x2c] = "floating-point exception",
	[0x2f] = "SError",
	[0x30] = "hardware breakpoint from EL0",
	[0x31] = "hardware breakpoint",
	[0x32] = "software step from EL0",
	[0x33] = "software step",
	[0x34] = "watchpoint from EL0",
	[0x35] = "watchpoint",
	[0x3c] = HAL_TRAPNAME_BREAKPOINT,
};

/*
 * On each cpu: our vector table, and SError unmasked, so an asynchronous
 * abort (a bus error on a write, say) is reported, not left pending.
 */
void trap_init_cpu(void)
{
	sysreg_write(vbar_el1, (uintptr_t)hal_trap_vector);
	isb();
	__asm__ volatile("msr daifclr, #4" ::: "memory");
}

static const char *exception_name(uint64_t esr)
{
	unsigned ec = ESR_EC(esr);
	if (ec == EC_DABT_EL1)
		return (esr & ESR_ISS_WNR) ? "data abort on store" : HAL_TRAPNAME_BAD_LOAD;
	return ec_names[ec] ? ec_names[ec] : "unknown exception";
}

/* Does FAR_EL1 hold the faulting address for this class? */
static bool far_valid(unsigned ec)
{
	return ec == EC_IABT_EL0 || ec == EC_IABT_EL1 || ec == EC_PC_ALIGN ||
	       ec == EC_DABT_EL0 || ec == EC_DABT_EL1 || ec == EC_WATCH_EL0 ||
	       ec == EC_WATCH_EL1;
}

static void sync_exception(struct hal_trapframe *tf)
{
	unsigned ec = ESR_EC(tf->esr);
	if (ec == EC_UNKNOWN && semihost_skip(tf))
		return;
	intr_fatal(tf, exception_name(tf->esr), far_valid(ec) ? tf->far : tf->pc);
}

static void software_interrupt(struct hal_trapframe *tf)
{
	struct hal_cpu *c = this_cpu();
	if (c->offload_fn) {
		void (*fn)(void *) = c->offload_fn;
		c->offload_fn = NULL;
		fn(c->offload_arg);
		c->offload_done = 1;
	}
	if (atomic_exchange_explicit(&c->ipi_pending, 0, memory_order_acquire))
		intr_ipi(tf);
}

static void interrupt(struct hal_trapframe *tf)
{
	const struct intc_ops *ic = intc;
	uint32_t irq;
	uint32_t token = ic->ack(&irq);
	if (irq == IRQ_NONE)
		return;
	if (irq == ic->ipi_irq) {
		ic->eoi(token);
		software_interrupt(tf);
		return;
	}
	if (irq == timer_irq()) {
		hal_timer_disarm();
		ic->eoi(token);
		intr_timer(tf);
		return;
	}
	if (irq == console_irq) {
		console->intr();
		ic->eoi(token);
		return;
	}
	ic->eoi(token);
	intr_fatal(tf, "unexpected interrupt", irq);
}

void hal_trap(struct hal_trapframe *tf)
{
	switch (tf->kind) {
	case VEC_SYNC:
		sync_exception(tf);
		return;
	case VEC_IRQ:
		interrupt(tf);
		return;
	}
	intr_fatal(tf, vector_names[tf->kind & 15], tf->pc);
}

void hal_irq_offload(void (*fn)(void *), void *arg)
{
	struct hal_cpu *c = this_cpu();
	uintptr_t s = hal_irq_save();
	c->offload_arg = arg;
	c->offload_fn = fn;
	c->offload_done = 0;
	intc->send_ipi(c);
	hal_irq_enable();               /* taken as soon as the controller delivers it */
	while (!c->offload_done)
		;
	hal_irq_save();
	hal_irq_restore(s);
}

void hal_ipi_send(int cpu)
{
	struct hal_cpu *c = &hal_cpus[cpu];
	atomic_store_explicit(&c->ipi_pending, 1, memory_order_release);
	intc->send_ipi(c);
}

void hal_wait_for_interrupt(void)
{
	/* wfi wakes on a pending interrupt even with PSTATE.I set. */
	__asm__ volatile("dsb sy\n\twfi" ::: "memory");
}

/* ---- Frames and stacks ---- */

static bool in_text(uintptr_t pc)
{
	return pc >= (uintptr_t)_text_start && pc < (uintptr_t)_etext;
}

/*
 * The AArch64 frame record (AAPCS64 6.4.6; GCC, -fno-omit-frame-pointer):
 * x29 points at {caller's x29, return address}, at the bottom of the
 * frame.  A leaf function makes no record: x29 is still its caller's.
 *
 * With f->lr set (the caller found the trapped pc in a leaf, or in a
 * prologue or epilogue, where lr is still the way back), the caller is
 * f->lr.  x29 then is either already the caller's record (keep it) or,
 * in a prologue that has just made its record, the function's own, which
 * holds lr itself (step past it).
 */
bool hal_frame_caller(struct hal_frame *f, uintptr_t lo, uintptr_t hi)
{
	uintptr_t fp = f->fp;
	if (fp == 0 || (fp & 7) != 0 || fp < lo || fp > hi - 16)
		return false;
	uintptr_t prev_fp = ((uintptr_t *)fp)[0];
	uintptr_t ret = ((uintptr_t *)fp)[1];
	if (f->lr != 0) {
		if (!in_text(f->lr))
			return false;
		f->pc = f->lr;
		f->lr = 0;
		if (ret == f->pc && prev_fp > fp && prev_fp <= hi)
			f->fp = prev_fp;        /* past the function's own record */
		return true;
	}
	if (!in_text(ret))
		return false;
	f->pc = ret;
	f->fp = prev_fp;
	if (f->fp != 0 && f->fp <= fp)
		return false;   /* frames must move up the stack */
	return f->pc != 0;
}

void hal_frame_here(struct hal_frame *f)
{
	uintptr_t *fp = __builtin_frame_address(0);
	/* Report the caller: step once past our own record. */
	f->pc = fp[1];
	f->fp = fp[0];
	f->lr = 0;
}

void hal_context_frame(const struct hal_context *ctx, struct hal_frame *f)
{
	f->pc = ctx->lr;        /* just after the call that switched away */
	f->fp = ctx->fp;
	f->lr = 0;
}

void hal_trapframe_frame(const struct hal_trapframe *tf, struct hal_frame *f)
{
	f->pc = tf->pc;
	f->fp = tf->x[29];
	f->lr = tf->x[30];
}

uintptr_t hal_trapframe_sp(const struct hal_trapframe *tf)
{
	return tf->sp;
}

void hal_boot_stack(int cpu, uintptr_t *lo, uintptr_t *hi)
{
	*lo = (uintptr_t)boot_stacks[cpu];
	*hi = *lo + CONFIG_BOOT_STACK_SIZE;
}

/* The fault status code of an abort (ESR ISS bits 5:0), in words. */
static void print_fault_status(uint64_t esr)
{
	unsigned fsc = ESR_ISS_FSC(esr), level = fsc & 3;
	static const char *const kinds[4] = {
		"address size fault", "translation fault", "access flag fault",
		"permission fault",
	};
	if (fsc < 16)
		print_fmt(", %s, level %u", kinds[fsc >> 2], level);
	else if (fsc == 0x10)
		print_fmt(", synchronous external abort");
	else if (fsc == 0x21)
		print_fmt(", alignment fault");
	else if (fsc == 0x30)
		print_fmt(", TLB conflict");
	else
		print_fmt(", fault status %#x", fsc);
}

void hal_trapframe_dump(const struct hal_trapframe *tf)
{
	unsigned ec = ESR_EC(tf->esr);
	print_fmt("[trap %s: esr=%#lx (ec %#x", vector_names[tf->kind & 15],
		  tf->esr, ec);
	if (tf->kind == VEC_SYNC && (ec == EC_DABT_EL1 || ec == EC_IABT_EL1))
		print_fault_status(tf->esr);
	print_fmt(") far=%#lx elr=%#lx spsr=%#lx mpidr=%#lx cpu=%d]\n",
		  tf->far, tf->pc, tf->pstate, this_cpu()->mpidr, hal_cpu_id());
	for (int i = 0; i < 31; i++)
		print_fmt("x%-2d %#018lx%s", i, tf->x[i],
			  i % 4 == 3 ? "\n" : "  ");
	print_fmt("sp  %#018lx\n", tf->sp);
}
