/*
 * context.S (riscv64) - switching between execution contexts.
 *
 * void hal_context_switch(struct hal_context *from, struct hal_context *to);
 *
 * A call is a context switch the compiler already knows about: the
 * caller-saved registers are dead across it, so only the callee-saved ones
 * (ra, sp, s0-s11, fs0-fs11) need saving - 14 + 12 stores, the same number
 * of loads and a ret: 53 instructions, the floor the brief quotes.  fcsr is
 * left alone: the rounding mode is process-wide here, as in Go.
 *
 * Most contexts never touch floating point, so the FP half is skipped
 * when it can be (the brief's other floor, 29):
 *   - save fs0-fs11 only when sstatus.FS is Dirty (this context wrote FP
 *     registers since it last got them back), then mark FS Clean: the
 *     file now matches a saved copy;
 *   - restore them only when the context we go to has a saved copy
 *     (fpvalid), which makes FS Dirty again.
 * So after every switch FS is Dirty exactly when the running context's FP
 * registers are its own; a context that finds FS not Dirty at its next
 * switch has no FP state worth keeping.  Trap entry keeps its rule (save
 * the FP file only when Dirty), which this keeps true.
 *
 * Go: runtime/asm_riscv64.s gogo / mcall save and restore a gobuf the same
 * way (Go keeps fewer registers live across a call, so it saves fewer).
 */
#include "hal_arch.h"

	.section .text
	.globl hal_context_switch
	.balign 4
hal_context_switch:
	sd	ra, CTX_RA(a0)
	sd	sp, CTX_SP(a0)
	sd	s0, CTX_S(0)(a0)
	sd	s1, CTX_S(1)(a0)
	sd	s2, CTX_S(2)(a0)
	sd	s3, CTX_S(3)(a0)
	sd	s4, CTX_S(4)(a0)
	sd	s5, CTX_S(5)(a0)
	sd	s6, CTX_S(6)(a0)
	sd	s7, CTX_S(7)(a0)
	sd	s8, CTX_S(8)(a0)
	sd	s9, CTX_S(9)(a0)
	sd	s10, CTX_S(10)(a0)
	sd	s11, CTX_S(11)(a0)
	csrr	t0, sstatus
	srli	t0, t0, 13
	andi	t0, t0, 3
	addi	t0, t0, -3              /* FS == Dirty (3)? */
	sd	zero, CTX_FPVALID(a0)
	bnez	t0, 1f
	fsd	fs0, CTX_FS(0)(a0)
	fsd	fs1, CTX_FS(1)(a0)
	fsd	fs2, CTX_FS(2)(a0)
	fsd	fs3, CTX_FS(3)(a0)
	fsd	fs4, CTX_FS(4)(a0)
	fsd	fs5, CTX_FS(5)(a0)
	fsd	fs6, CTX_FS(6)(a0)
	fsd	fs7, CTX_FS(7)(a0)
	fsd	fs8, CTX_FS(8)(a0)
	fsd	fs9, CTX_FS(9)(a0)
	fsd	fs10, CTX_FS(10)(a0)
	fsd	fs11, CTX_FS(11)(a0)
	li	t0, 1
	sd	t0, CTX_FPVALID(a0)
	li	t0, (1 << 13)           /* Dirty (3) -> Clean (2) */
	csrc	sstatus, t0
1:
	ld	ra, CTX_RA(a1)
	ld	sp, CTX_SP(a1)
	ld	s0, CTX_S(0)(a1)
	ld	s1, CTX_S(1)(a1)
	ld	s2, CTX_S(2)(a1)
	ld	s3, CTX_S(3)(a1)
	ld	s4, CTX_S(4)(a1)
	ld	s5, CTX_S(5)(a1)
	ld	s6, CTX_S(6)(a1)
	ld	s7, CTX_S(7)(a1)
	ld	s8, CTX_S(8)(a1)
	ld	s9, CTX_S(9)(a1)
	ld	s10, CTX_S(10)(a1)
	ld	s11, CTX_S(11)(a1)
	ld	t0, CTX_FPVALID(a1)
	beqz	t0, 2f
	fld	fs0, CTX_FS(0)(a1)
	fld	fs1, CTX_FS(1)(a1)
	fld	fs2, CTX_FS(2)(a1)
	fld	fs3, CTX_FS(3)(a1)
	fld	fs4, CTX_FS(4)(a1)
	fld	fs5, CTX_FS(5)(a1)
	fld	fs6, CTX_FS(6)(a1)
	fld	fs7, CTX_FS(7)(a1)
	fld	fs8, CTX_FS(8)(a1)
	fld	fs9, CTX_FS(9)(a1)
	fld	fs10, CTX_FS(10)(a1)
	fld	fs11, CTX_FS(11)(a1)
2:
	ret

/*
 * context_start: first code of a context made by hal_context_init, which
 * left fn in s1 and arg in s2 (and s0 = 0, ending backtraces).
 */
	.globl hal_context_start
	.balign 4
hal_context_start:
	mv	a0, s2
	jalr	s1
	mv	a0, s1
	call	hal_context_returned    /* fatal: fn returned */
1:	j	1b
