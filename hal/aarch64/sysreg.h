/*
 * sysreg.h - AArch64 system registers and bits gohart uses (Arm ARM
 * DDI 0487, chapter D13/D17).  Only hal/aarch64/ and boot/aarch64/
 * include this; generic code reaches none of it (scripts/check-arch.sh).
 *
 * The constants are plain numbers so entry.S can use them too.
 */
#ifndef GOHART_AARCH64_SYSREG_H
#define GOHART_AARCH64_SYSREG_H

#ifdef __ASSEMBLER__
#define U64(x) x
#else
#define U64(x) x##ull
#endif

/* PSTATE.DAIF bits as msr daifset/daifclr immediates. */
#define DAIF_IRQ 2
#define DAIF_ALL 15
#define PSR_I (1 << 7)                  /* the I bit as read from DAIF/SPSR */

/* SCTLR_EL1: bits that read as one in ARMv8.0, then what we turn on. */
#define SCTLR_EL1_RES1 0x30d00800
#define SCTLR_M (1 << 0)                /* MMU on */
#define SCTLR_C (1 << 2)                /* data caches on */
#define SCTLR_SA (1 << 3)               /* sp must stay 16-byte aligned */
#define SCTLR_I (1 << 12)               /* instruction caches on */
#define SCTLR_EL1_MMU_ON (SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I)

/* CPACR_EL1.FPEN = 0b11: FP/SIMD instructions do not trap at EL1. */
#define CPACR_FPEN (3 << 20)

/* HCR_EL2.RW: EL1 runs AArch64 (the rest zero: no stage 2, no traps). */
#define HCR_EL2_RW (1 << 31)
/* CPTR_EL2 with no trap bits set (RES1 bits only). */
#define CPTR_EL2_RES1 0x33ff
/* SPSR for eret from EL2 to EL1h (SP_EL1) with D, A, I, F masked. */
#define SPSR_EL1H_MASKED 0x3c5

/*
 * Translation: 4 KiB granule, 39-bit addresses (T0SZ = 25), so walks start
 * at level 1 (1 GiB per entry) and level 2 has 2 MiB blocks.  TTBR1 walks
 * are off (EPD1): everything is in the identity map under TTBR0.
 * IRGN0/ORGN0 write-back write-allocate, SH0 inner shareable.  IPS is
 * filled in from ID_AA64MMFR0_EL1.PARange at run time.
 */
#define TCR_T0SZ 25
#define TCR_EL1_VALUE (TCR_T0SZ | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23))
#define TCR_IPS_SHIFT 32
#define VA_BITS (64 - TCR_T0SZ)

/* MAIR_EL1: attribute 0 Device-nGnRE, attribute 1 Normal write-back. */
#define MAIR_DEVICE_IDX 0
#define MAIR_NORMAL_IDX 1
#define MAIR_EL1_VALUE 0xff04

/* Page-table descriptors (VMSAv8-64, D8.3). */
#define PTE_VALID 1
#define PTE_TABLE 3                     /* next-level table (levels 0-2) */
#define PTE_BLOCK 1                     /* block (levels 1-2) */
#define PTE_PAGE 3                      /* page (level 3) */
#define PTE_ATTR(i) ((i) << 2)
#define PTE_SH_INNER (3 << 8)
#define PTE_AF (1 << 10)                /* access flag: no AF faults */
#define PTE_PXN (U64(1) << 53)
#define PTE_UXN (U64(1) << 54)
#define PTE_NORMAL (PTE_BLOCK | PTE_ATTR(MAIR_NORMAL_IDX) | PTE_SH_INNER | PTE_AF)
#define PTE_DEVICE (PTE_BLOCK | PTE_ATTR(MAIR_DEVICE_IDX) | PTE_AF | PTE_PXN | PTE_UXN)
#define PTE_ADDR_MASK U64(0x0000fffffffff000)
#define L1_SHIFT 30
#define L2_SHIFT 21
#define SZ_2M (1 << L2_SHIFT)

/* ESR_EL1: exception class and the data-abort syndrome bits we decode. */
#define ESR_EC_SHIFT 26
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_ISS_WNR (1 << 6)            /* data abort: a write */
#define ESR_ISS_FSC(esr) ((esr) & 0x3f)
#define EC_UNKNOWN 0x00
#define EC_IABT_EL0 0x20
#define EC_IABT_EL1 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_EL0 0x24
#define EC_DABT_EL1 0x25
#define EC_SP_ALIGN 0x26
#define EC_WATCH_EL0 0x34
#define EC_WATCH_EL1 0x35
#define EC_BRK 0x3c

/* CNTV_CTL_EL0 */
#define CNT_CTL_ENABLE 1
#define CNT_CTL_IMASK 2

/* PMCR_EL0 */
#define PMCR_E 1                        /* counters on */
#define PMCNTEN_CYCLES (1u << 31)

/* MPIDR_EL1 affinity fields Aff3 (39:32), Aff2, Aff1, Aff0. */
#define MPIDR_AFF_MASK U64(0xff00ffffff)

#ifndef __ASSEMBLER__
#define sysreg_read(r) ({ unsigned long __v; \
	__asm__ volatile("mrs %0, " #r : "=r"(__v) :: "memory"); __v; })
#define sysreg_write(r, v) \
	__asm__ volatile("msr " #r ", %0" :: "r"((unsigned long)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#endif

#endif
