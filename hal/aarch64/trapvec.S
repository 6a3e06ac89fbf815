/*
 * trapvec.S (aarch64) - the exception vector table, trap entry and exit.
 *
 * Everything runs at EL1 on SP_EL1, so an exception never changes stacks
 * and is taken through the "current EL with SPx" quarter of the table.
 * Each of the 16 entries (0x80 bytes apart; VBAR_EL1 2 KiB aligned)
 * pushes a struct hal_trapframe (hal_arch.h) on the interrupted stack,
 * with a 16-byte frame record above it, records which entry it was
 * (tf->kind) and joins trap_common, which saves the rest and calls
 * hal_trap(tf) in C.  The hardware has masked D, A, I and F; eret puts
 * PSTATE (and with it the interrupt mask) back from SPSR_EL1.
 *
 * The full FP/SIMD file (q0-q31, fpsr, fpcr) is saved on every trap:
 * AArch64 keeps no "FP dirty" bit that would let us skip it.
 *
 * x18 is the cpu's pointer (hal_arch.h).  Entry reloads it from
 * TPIDR_EL1 rather than trusting the interrupted x18; exit gives the
 * interrupted code the pointer of the cpu it now returns on (the handler
 * may have switched goroutines, and this one may be resuming on another
 * cpu), except when the interrupted x18 was not a cpu pointer at all
 * (libgcc code that uses it as scratch, which is never preempted) - then
 * it gets its value back.
 *
 * void hal_trap_vector(void);   installed in VBAR_EL1 by trap_init_cpu.
 */
#include "hal_arch.h"

#define FRAME (TF_SIZE + 16)

	.macro	vector kind
	.balign	128
	sub	sp, sp, #FRAME
	stp	x0, x1, [sp, #TF_X(0)]
	mov	x1, #\kind
	b	trap_common
	.endm

	.section .text
	.balign 2048
	.globl hal_trap_vector
hal_trap_vector:
	/* current EL, SP_EL0: sync, irq, fiq, serror */
	vector	0
	vector	1
	vector	2
	vector	3
	/* current EL, SP_ELx: the ones gohart takes */
	vector	4
	vector	5
	vector	6
	vector	7
	/* lower EL, AArch64 */
	vector	8
	vector	9
	vector	10
	vector	11
	/* lower EL, AArch32 */
	vector	12
	vector	13
	vector	14
	vector	15

trap_common:
	stp	x2, x3, [sp, #TF_X(2)]
	stp	x4, x5, [sp, #TF_X(4)]
	stp	x6, x7, [sp, #TF_X(6)]
	stp	x8, x9, [sp, #TF_X(8)]
	stp	x10, x11, [sp, #TF_X(10)]
	stp	x12, x13, [sp, #TF_X(12)]
	stp	x14, x15, [sp, #TF_X(14)]
	stp	x16, x17, [sp, #TF_X(16)]
	stp	x18, x19, [sp, #TF_X(18)]
	stp	x20, x21, [sp, #TF_X(20)]
	stp	x22, x23, [sp, #TF_X(22)]
	stp	x24, x25, [sp, #TF_X(24)]
	stp	x26, x27, [sp, #TF_X(26)]
	stp	x28, x29, [sp, #TF_X(28)]
	add	x2, sp, #FRAME
	stp	x30, x2, [sp, #TF_X(30)]        /* lr, the interrupted sp */
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #TF_PC]
	mrs	x3, esr_el1
	mrs	x4, far_el1
	stp	x3, x4, [sp, #TF_ESR]
	mrs	x18, tpidr_el1
	stp	x18, x1, [sp, #TF_CPU]          /* cpu, kind */
	mrs	x3, fpsr
	mrs	x4, fpcr
	stp	x3, x4, [sp, #TF_FPSR]
	stp	q0, q1, [sp, #TF_Q(0)]
	stp	q2, q3, [sp, #TF_Q(2)]
	stp	q4, q5, [sp, #TF_Q(4)]
	stp	q6, q7, [sp, #TF_Q(6)]
	stp	q8, q9, [sp, #TF_Q(8)]
	stp	q10, q11, [sp, #TF_Q(10)]
	stp	q12, q13, [sp, #TF_Q(12)]
	stp	q14, q15, [sp, #TF_Q(14)]
	stp	q16, q17, [sp, #TF_Q(16)]
	stp	q18, q19, [sp, #TF_Q(18)]
	stp	q20, q21, [sp, #TF_Q(20)]
	stp	q22, q23, [sp, #TF_Q(22)]
	stp	q24, q25, [sp, #TF_Q(24)]
	stp	q26, q27, [sp, #TF_Q(26)]
	stp	q28, q29, [sp, #TF_Q(28)]
	stp	q30, q31, [sp, #TF_Q(30)]
	/* A frame record above the trap frame, {x29, elr}, as a call would
	 * leave, so a backtrace taken inside the handler walks on into the
	 * interrupted code. */
	add	x3, sp, #TF_SIZE
	stp	x29, x2, [x3]
	mov	x29, x3
	mov	x0, sp
	bl	hal_trap

	msr	daifset, #2                     /* as the handler should have left it */
	ldp	q0, q1, [sp, #TF_Q(0)]
	ldp	q2, q3, [sp, #TF_Q(2)]
	ldp	q4, q5, [sp, #TF_Q(4)]
	ldp	q6, q7, [sp, #TF_Q(6)]
	ldp	q8, q9, [sp, #TF_Q(8)]
	ldp	q10, q11, [sp, #TF_Q(10)]
	ldp	q12, q13, [sp, #TF_Q(12)]
	ldp	q14, q15, [sp, #TF_Q(14)]
	ldp	q16, q17, [sp, #TF_Q(16)]
	ldp	q18, q19, [sp, #TF_Q(18)]
	ldp	q20, q21, [sp, #TF_Q(20)]
	ldp	q22, q23, [sp, #TF_Q(22)]
	ldp	q24, q25, [sp, #TF_Q(24)]
	ldp	q26, q27, [sp, #TF_Q(26)]
	ldp	q28, q29, [sp, #TF_Q(28)]
	ldp	q30, q31, [sp, #TF_Q(30)]
	ldp	x3, x4, [sp, #TF_FPSR]
	msr	fpsr, x3
	msr	fpcr, x4
	ldp	x2, x3, [sp, #TF_PC]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	/* x18: this cpu's pointer if the interrupted code had one there. */
	ldr	x2, [sp, #TF_X(18)]
	ldr	x3, [sp, #TF_CPU]
	mrs	x4, tpidr_el1
	cmp	x2, x3
	csel	x18, x4, x2, eq
	ldp	x0, x1, [sp, #TF_X(0)]
	ldp	x2, x3, [sp, #TF_X(2)]
	ldp	x4, x5, [sp, #TF_X(4)]
	ldp	x6, x7, [sp, #TF_X(6)]
	ldp	x8, x9, [sp, #TF_X(8)]
	ldp	x10, x11, [sp, #TF_X(10)]
	ldp	x12, x13, [sp, #TF_X(12)]
	ldp	x14, x15, [sp, #TF_X(14)]
	ldp	x16, x17, [sp, #TF_X(16)]
	ldr	x19, [sp, #TF_X(19)]
	ldp	x20, x21, [sp, #TF_X(20)]
	ldp	x22, x23, [sp, #TF_X(22)]
	ldp	x24, x25, [sp, #TF_X(24)]
	ldp	x26, x27, [sp, #TF_X(26)]
	ldp	x28, x29, [sp, #TF_X(28)]
	ldr	x30, [sp, #TF_X(30)]
	add	sp, sp, #FRAME
	eret
