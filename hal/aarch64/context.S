/*
 * context.S (aarch64) - switching between execution contexts.
 *
 * void hal_context_switch(struct hal_context *from, struct hal_context *to);
 *
 * A call is a context switch the compiler already knows about: the
 * caller-saved registers are dead across it, so only the AAPCS64
 * callee-saved ones need saving - x19-x28, x29 (frame pointer), x30
 * (link register), sp, and d8-d15 (the low 64 bits of v8-v15; the upper
 * halves are caller-saved).  Paired loads and stores make that 6 stp + 1
 * mov/str for the integer side, 4 stp for FP, the same loads and a ret:
 * 25 instructions.
 *
 * RISC-V skips the FP half when sstatus.FS says the context never touched
 * FP.  AArch64 has no such bit (trapping FP through CPACR_EL1 to find out
 * would cost more than the 8 saves), so d8-d15 are always saved.  fpcr
 * and fpsr are not part of a context: the rounding mode is process-wide
 * here, as in Go.  x18 is the cpu's, never a context's (hal_arch.h).
 *
 * Go: runtime/asm_arm64.s gogo / mcall save and restore a gobuf the same
 * way (Go keeps fewer registers live across a call, so it saves fewer).
 */
#include "hal_arch.h"

	.section .text
	.globl hal_context_switch
	.balign 4
hal_context_switch:
	stp	x19, x20, [x0, #CTX_X19 + 0]
	stp	x21, x22, [x0, #CTX_X19 + 16]
	stp	x23, x24, [x0, #CTX_X19 + 32]
	stp	x25, x26, [x0, #CTX_X19 + 48]
	stp	x27, x28, [x0, #CTX_X19 + 64]
	stp	x29, x30, [x0, #CTX_FP]
	mov	x9, sp
	str	x9, [x0, #CTX_SP]
	stp	d8, d9, [x0, #CTX_D8 + 0]
	stp	d10, d11, [x0, #CTX_D8 + 16]
	stp	d12, d13, [x0, #CTX_D8 + 32]
	stp	d14, d15, [x0, #CTX_D8 + 48]

	ldp	x19, x20, [x1, #CTX_X19 + 0]
	ldp	x21, x22, [x1, #CTX_X19 + 16]
	ldp	x23, x24, [x1, #CTX_X19 + 32]
	ldp	x25, x26, [x1, #CTX_X19 + 48]
	ldp	x27, x28, [x1, #CTX_X19 + 64]
	ldp	x29, x30, [x1, #CTX_FP]
	ldr	x9, [x1, #CTX_SP]
	mov	sp, x9
	ldp	d8, d9, [x1, #CTX_D8 + 0]
	ldp	d10, d11, [x1, #CTX_D8 + 16]
	ldp	d12, d13, [x1, #CTX_D8 + 32]
	ldp	d14, d15, [x1, #CTX_D8 + 48]
	ret

/*
 * hal_context_start: first code of a context made by hal_context_init,
 * which left fn in x19 and arg in x20 (and x29 = 0, ending backtraces).
 */
	.globl hal_context_start
	.balign 4
hal_context_start:
	mov	x0, x20
	blr	x19
	mov	x0, x19
	bl	hal_context_returned    /* fatal: fn returned */
1:	b	1b
