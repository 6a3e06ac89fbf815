/*
 * entry.S (aarch64) - the first instructions gohart runs.
 *
 * The loader jumps here with the MMU and data cache off, interrupts
 * masked, at EL1 or EL2, x0 = the device-tree blob
 * (Documentation/arm64/booting.rst).  QEMU's -kernel with an ELF image is
 * the exception: it passes x0 = 0, but still puts the blob at the start
 * of RAM, which is text_offset below us; we look for it there.
 * The image starts with the 64-byte arm64 Linux boot-image header so
 * U-Boot's booti (and the Raspberry Pi firmware) load it like a Linux
 * kernel; its first word branches over the header.  text_offset, where
 * the image goes above the start of RAM, is the board's (TEXT_OFFSET,
 * from qemu/<arch>-<board>.mk): 2 MiB by default, 0x80000 on the
 * Raspberry Pi, where its firmware and QEMU's raspi3b load kernel8.img.
 *
 * Only one cpu arrives here: every arm64 boot protocol holds the others
 * (PSCI firmware keeps them off until CPU_ON; spin-table firmware keeps
 * them in a loop until their release address is written), and
 * hal_start_cpus sends them to secondary_entry.
 *
 * Steps, on the boot cpu:
 *   1. el1_setup: from EL2, set EL2 up to stay out of the way (EL1 is
 *      AArch64, timers and GIC system registers usable, no traps) and
 *      eret to EL1; FP/SIMD on (CPACR_EL1.FPEN).
 *   2. early_vectors in VBAR_EL1, until hal_init installs the real ones.
 *   3. boot_map: an identity map of the image and the device tree as
 *      normal cacheable memory, then mmu_on.  From here on exclusives
 *      (ldxr/stxr) work as on any SMP system and C code may run
 *      (no C runs with the MMU off, so nothing needs -mstrict-align);
 *      hal_init (mmu.c) maps the rest of RAM and the devices.
 *   4. clear .bss (with the cache on: no stale lines can hide the zeros),
 *      x18 and TPIDR_EL1 = &hal_cpus[0], cpu 0's boot stack, then
 *      aarch64_boot_main(dtb).
 * Secondary cpus do 1, 2 and mmu_on (the map is built by then) and call
 * aarch64_secondary_main(their hal_cpu).
 *
 * Only EL1 and EL2 entry are supported; a cpu entered at EL3 parks.
 */
#include "config.h"
#include "cpu.h"
#include "sysreg.h"

#define FDT_MAGIC_LE 0xedfe0dd0         /* 0xd00dfeed read little-endian */
#ifndef TEXT_OFFSET
#define TEXT_OFFSET 0x200000
#endif
#define IMAGE_FLAGS 2                   /* little-endian, 4 KiB pages */

/* adr_l: the address of a symbol within +-4 GiB (adrp + add). */
	.macro	adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm

	.section .text.head, "ax"
	.globl _start
_start:
	b	boot_entry              /* code0: jump over the header */
	.word	0                       /* code1 */
	.quad	TEXT_OFFSET             /* text_offset: image 2 MiB into RAM */
	.quad	__image_size            /* image_size (linker.ld) */
	.quad	IMAGE_FLAGS             /* flags */
	.quad	0, 0, 0                 /* res2, res3, res4 */
	.ascii	"ARM\x64"               /* magic */
	.word	0                       /* res5 */

boot_entry:
	msr	daifset, #DAIF_ALL
	mov	x19, x0                 /* the device tree, or 0 */
	bl	el1_setup
	adr_l	x9, early_vectors
	msr	vbar_el1, x9
	isb
	cbnz	x19, 1f
	adr_l	x9, _start              /* QEMU -kernel ELF: look below us */
	sub	x9, x9, #TEXT_OFFSET
	ldr	w10, [x9]
	ldr	w11, =FDT_MAGIC_LE
	cmp	w10, w11
	csel	x19, x9, xzr, eq
1:
	mov	x0, x19
	bl	boot_map
	bl	mmu_on

	/* Clear .bss (boot_stacks included: nothing is on it yet). */
	adr_l	x9, __bss_start
	adr_l	x10, __bss_end
2:	cmp	x9, x10
	b.hs	3f
	str	xzr, [x9], #8
	b	2b
3:
	adr_l	x18, hal_cpus           /* cpu 0's struct hal_cpu */
	msr	tpidr_el1, x18
	adr_l	x9, boot_stacks
	add	sp, x9, #CONFIG_BOOT_STACK_SIZE
	mov	x29, #0                 /* a frame pointer of 0 ends backtraces */
	mov	x30, #0
	mov	x0, x19
	bl	aarch64_boot_main       /* (dtb), never returns */
	b	park

	.section .text
/*
 * secondary_entry: where the other cpus start, MMU off.  PSCI CPU_ON
 * passes x0 = the context id we gave it: this cpu's struct hal_cpu.  A
 * spin table passes x0 = 0, and the cpu finds its struct by MPIDR among
 * those cpu 0 numbered (hal_cpus[1..], stack_top set).  Nothing is read
 * from memory before the MMU (and with it the cache, which holds what
 * cpu 0 wrote) is on.
 */
	.globl secondary_entry
	.balign 4
secondary_entry:
	msr	daifset, #DAIF_ALL
	mov	x19, x0
	bl	el1_setup
	adr_l	x9, early_vectors
	msr	vbar_el1, x9
	isb
	bl	mmu_on
	cbnz	x19, 2f
	mrs	x9, mpidr_el1
	ldr	x10, =MPIDR_AFF_MASK
	and	x9, x9, x10
	adr_l	x19, hal_cpus + HAL_CPU_SIZE
	adr_l	x11, hal_cpus + CONFIG_MAXCPU * HAL_CPU_SIZE
1:	cmp	x19, x11
	b.hs	park                    /* not ours to run */
	ldr	x10, [x19, #HAL_CPU_MPIDR]
	ldr	x12, [x19, #HAL_CPU_STACK_TOP]
	cmp	x10, x9
	ccmp	x12, #0, #4, eq         /* same mpidr: is it in use? else Z */
	b.ne	2f
	add	x19, x19, #HAL_CPU_SIZE
	b	1b
2:	mov	x18, x19
	msr	tpidr_el1, x19
	ldr	x9, [x19, #HAL_CPU_STACK_TOP]
	mov	sp, x9
	mov	x29, #0
	mov	x30, #0
	mov	x0, x19
	bl	aarch64_secondary_main  /* (struct hal_cpu *), never returns */

park:
	wfi
	b	park

/*
 * el1_setup: return at EL1 with FP/SIMD usable and the MMU off.
 * Clobbers x9, x10.
 */
	.balign 4
el1_setup:
	mrs	x9, CurrentEL
	and	x9, x9, #0xc
	cmp	x9, #(2 << 2)
	b.hi	park                    /* EL3: not supported */
	b.lo	1f
	/* EL2: EL1 is AArch64; no stage 2, no traps to EL2. */
	mov	x9, #HCR_EL2_RW
	msr	hcr_el2, x9
	mrs	x9, cnthctl_el2
	orr	x9, x9, #3              /* EL1PCTEN, EL1PCEN: EL1 owns the counters */
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr        /* virtual count = physical count */
	mov	x9, #CPTR_EL2_RES1      /* FP/SIMD not trapped */
	msr	cptr_el2, x9
	msr	hstr_el2, xzr
	mrs	x9, id_aa64dfr0_el1
	ubfx	x9, x9, #8, #4          /* PMUVer: 0 none, 0xf not PMUv3 */
	cbz	x9, 3f
	cmp	x9, #0xf
	b.eq	3f
	mrs	x9, pmcr_el0
	ubfx	x9, x9, #11, #5         /* MDCR_EL2.HPMN = PMCR_EL0.N: EL1 */
	msr	mdcr_el2, x9            /* gets every counter, no traps */
3:
	mrs	x9, midr_el1            /* EL1 reads these through EL2's copies */
	msr	vpidr_el2, x9
	mrs	x9, mpidr_el1
	msr	vmpidr_el2, x9
	mrs	x9, id_aa64pfr0_el1
	ubfx	x9, x9, #24, #4         /* GICv3 system registers? */
	cbz	x9, 2f
	mrs	x9, icc_sre_el2
	mov	x10, #0x9               /* SRE, Enable: EL1 may use them */
	orr	x9, x9, x10
	msr	icc_sre_el2, x9
	isb
2:	ldr	x9, =SCTLR_EL1_RES1
	msr	sctlr_el1, x9
	mov	x9, #SPSR_EL1H_MASKED
	msr	spsr_el2, x9
	adr	x9, 1f
	msr	elr_el2, x9
	eret
1:	ldr	x9, =SCTLR_EL1_RES1     /* MMU and caches off, a known state */
	msr	sctlr_el1, x9
	mov	x9, #CPACR_FPEN
	msr	cpacr_el1, x9
	isb
	ret

/*
 * mmu_on: translate through boot_pgd (the identity map) with the caches
 * on.  Same on every cpu.  Clobbers x9-x11.
 */
	.balign 4
mmu_on:
	ldr	x9, =MAIR_EL1_VALUE
	msr	mair_el1, x9
	mrs	x10, id_aa64mmfr0_el1
	and	x10, x10, #7            /* PARange; IPS uses the same code */
	mov	x11, #5
	cmp	x10, x11
	csel	x10, x10, x11, ls       /* at most 48 bits (52 needs LPA) */
	ldr	x9, =TCR_EL1_VALUE
	bfi	x9, x10, #TCR_IPS_SHIFT, #3
	msr	tcr_el1, x9
	adr_l	x9, boot_pgd
	msr	ttbr0_el1, x9
	isb
	tlbi	vmalle1
	ic	iallu
	dsb	nsh
	isb
	ldr	x9, =SCTLR_EL1_MMU_ON
	msr	sctlr_el1, x9
	isb
	ret

/*
 * boot_map: identity-map the image and the device tree (x0, or 0) as
 * normal memory in 2 MiB blocks: boot_pgd is the level-1 table (1 GiB per
 * entry), boot_pmd two level-2 tables, one for the image's GiB and one
 * for the device tree's if it lies in another.  The first 2 MiB of the
 * address space (where the Raspberry Pi loads us) go through boot_pte
 * instead, which leaves page 0 out (mmu.c).  The MMU is off, so the
 * tables go straight to memory; their lines are then invalidated in case
 * the cache holds stale copies, which the MMU's cached walks would see.
 * mmu.c later adds the rest of RAM and the devices to these same tables,
 * only ever filling empty entries.  Clobbers x0-x7, x9-x11.
 */
	.balign 4
boot_map:
	mov	x7, x30
	mov	x6, x0
	adr_l	x0, _start
	adr_l	x1, _end
	adr_l	x2, boot_pmd
	bl	map_normal
	cbz	x6, 1f
	ldr	w1, [x6, #4]            /* totalsize, big-endian */
	rev	w1, w1
	add	x1, x6, x1
	mov	x0, x6
	adr_l	x2, boot_pmd + 4096
	bl	map_normal
1:	adr_l	x0, boot_pgd
	add	x1, x0, #(4 * 4096)     /* boot_pgd, boot_pmd, boot_pte */
	mrs	x2, ctr_el0
	ubfx	x2, x2, #16, #4         /* DminLine: log2(words per line) */
	mov	x3, #4
	lsl	x2, x3, x2
	dmb	sy
2:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	2b
	dsb	sy
	mov	x30, x7
	ret

/*
 * map_normal: map [x0, x1) as normal 2 MiB blocks in the level-2 table
 * under x0's level-1 entry, installing table x2 there if the entry is
 * empty; the block at address 0 is boot_pte.  Stops at the end of x0's
 * GiB.  Clobbers x0, x1, x3-x5, x9-x11.
 */
map_normal:
	adr_l	x9, boot_pgd
	lsr	x10, x0, #L1_SHIFT
	cmp	x10, #512
	b.hs	9f                      /* beyond the 39-bit map */
	ldr	x11, [x9, x10, lsl #3]
	cbnz	x11, 1f
	orr	x11, x2, #PTE_TABLE
	str	x11, [x9, x10, lsl #3]
1:	and	x11, x11, #PTE_ADDR_MASK
	and	x0, x0, #~(SZ_2M - 1)
	add	x3, x10, #1
	lsl	x3, x3, #L1_SHIFT       /* end of this GiB */
	cmp	x1, x3
	csel	x1, x1, x3, lo
	ldr	x5, =PTE_NORMAL
2:	cmp	x0, x1
	b.hs	9f
	ubfx	x4, x0, #L2_SHIFT, #9
	orr	x3, x5, x0
	cbnz	x0, 3f
	adr_l	x3, boot_pte
	orr	x3, x3, #PTE_TABLE
3:	str	x3, [x11, x4, lsl #3]
	add	x0, x0, #SZ_2M
	b	2b
9:	ret

/*
 * early_vectors: an exception before hal_init installed the real vector
 * table.  Nothing is known yet (no console, no device tree), so say so
 * through semihosting and exit with a failure; without semihosting (the
 * hlt traps again, back here) there is nothing left to do but park.
 */
	.balign 2048
early_vectors:
	.rept	16
	.balign	128
	b	early_trap
	.endr

early_trap:
	adr_l	x9, early_trap_seen
	ldr	w10, [x9]
	cbnz	w10, park
	mov	w10, #1
	str	w10, [x9]
	mov	x0, #0x04               /* SYS_WRITE0 */
	adr_l	x1, early_msg
	hlt	#0xf000
	mov	x0, #0x20               /* SYS_EXIT_EXTENDED */
	adr_l	x1, early_exit
	hlt	#0xf000
	b	park

	.ltorg

	.section .rodata
early_msg:
	.asciz	"gohart: boot failed: trap before the trap vector was set up\n"
	.balign	8
early_exit:
	.quad	0x20026                 /* ADP_Stopped_ApplicationExit */
	.quad	1                       /* status */

	.section .data
	.balign	4
early_trap_seen:
	.word	0

/*
 * The boot page tables: in .data, not .bss, so clearing .bss (done with
 * the MMU on, through them) leaves them alone.
 */
	.balign	4096
	.globl	boot_pgd
boot_pgd:
	.space	4096
boot_pmd:
	.space	2 * 4096
/*
 * boot_pte: the level-3 table for the first 2 MiB, filled in here:
 * pages 1-511 normal memory, page 0 invalid.  Only used on a board with
 * RAM at address 0.
 */
	.globl	boot_pte
boot_pte:
	.quad	0
	.set	page, 1
	.rept	511
	.quad	(page << 12) | PTE_NORMAL | PTE_PAGE
	.set	page, page + 1
	.endr
