/*
 * entry.S (riscv64) - the first instructions gohart runs.
 *
 * OpenSBI (or U-Boot's booti) jumps here in S-mode with the MMU off,
 * interrupts off, a0 = this hart's id and a1 = the device-tree blob.  The
 * image starts with the 64-byte RISC-V Linux boot-image header
 * (Documentation/riscv/boot-image-header.rst) so boot loaders treat it like
 * a Linux kernel; its first word is a jump over the header.
 *
 * Only one hart is meant to arrive here (SBI HSM keeps the others stopped
 * until hal_start_cpus starts them at secondary_entry).  Firmware without
 * HSM would release every hart here; a lottery keeps the first and parks
 * the rest, and hal_start_cpus reports them as not started.
 */
#include "config.h"
#include "cpu.h"

	.section .text.head, "ax"
	.globl _start
_start:
.option push
.option norvc                           /* a 4-byte jump: the header's */
	j	boot_entry              /* code0: jump over the header */
.option pop
	.word	0                       /* code1 */
	.dword	0x200000                /* text_offset: image 2 MiB into RAM */
	.dword	__image_size            /* image_size (linker.ld) */
	.dword	0                       /* flags: little-endian */
	.word	2                       /* version 0.2 */
	.word	0                       /* res1 */
	.dword	0                       /* res2 */
	.ascii	"RISCV\0\0\0"           /* magic (deprecated) */
	.ascii	"RSC\x05"               /* magic2 */
	.word	0                       /* res3 */

boot_entry:
	csrw	sie, zero
	csrci	sstatus, 2
	la	t0, early_trap          /* until hal_init installs the real one */
	csrw	stvec, t0
.option push
.option norelax
	la	gp, __global_pointer$
.option pop
	/* Lottery: the first hart wins, any other parks for good. */
	la	t0, boot_lottery
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, park

	/* cpu 0's boot stack; a frame pointer of 0 ends every backtrace. */
	la	sp, boot_stacks
	li	t0, CONFIG_BOOT_STACK_SIZE
	add	sp, sp, t0
	li	s0, 0

	/* Clear .bss (boot_stacks included: nothing is on it yet). */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	la	tp, hal_cpus            /* cpu 0's struct hal_cpu */
	call	riscv_boot_main         /* (hartid, dtb), never returns */
	j	park

/*
 * secondary_entry: where SBI HSM hart_start sends the other harts, with
 * a0 = hartid and a1 = the opaque value we passed: this cpu's hal_cpu.
 */
	.globl secondary_entry
secondary_entry:
	csrw	sie, zero
	csrci	sstatus, 2
.option push
.option norelax
	la	gp, __global_pointer$
.option pop
	mv	tp, a1
	ld	sp, HAL_CPU_STACK_TOP(tp)
	li	s0, 0
	mv	a0, a1
	call	riscv_secondary_main    /* (struct hal_cpu *), never returns */

park:
	wfi
	j	park

/*
 * early_trap: an exception before hal_init set up the trap vector.
 * Nothing is known yet (no console, no device tree), so say so through
 * the SBI console and power off with a failure (SBI SRST, reason 1).
 */
	.balign 4
early_trap:
	la	s1, early_msg
1:	lbu	a0, 0(s1)
	beqz	a0, 2f
	li	a7, 0x01                /* legacy console_putchar */
	ecall
	addi	s1, s1, 1
	j	1b
2:	li	a7, 0x53525354          /* SRST system_reset */
	li	a6, 0
	li	a0, 0                   /* shutdown */
	li	a1, 1                   /* system failure */
	ecall
	j	park

	.section .rodata
early_msg:
	.asciz	"gohart: boot failed: trap before the trap vector was set up\n"

	.section .data
	.balign 4
boot_lottery:
	.word	0
