/*
 * csr.h - RISC-V supervisor CSRs and bits gohart uses (privileged spec
 * v1.12, chapter 4).  Only hal/riscv64/ and boot/riscv64/ include this.
 */
#ifndef GOHART_RISCV_CSR_H
#define GOHART_RISCV_CSR_H

#define SSTATUS_SIE   (1ul << 1)    /* interrupts enabled in S-mode */
#define SSTATUS_SPIE  (1ul << 5)    /* SIE before the trap */
#define SSTATUS_SPP   (1ul << 8)    /* trap came from S-mode */
#define SSTATUS_FS    (3ul << 13)   /* FP state: 0 off, 1 initial, 2 clean, 3 dirty */
#define SSTATUS_FS_INITIAL (1ul << 13)
#define SSTATUS_FS_DIRTY   (3ul << 13)
#define SSTATUS_SUM   (1ul << 18)

#define SIE_SSIE (1ul << 1)         /* software interrupt (IPI) */
#define SIE_STIE (1ul << 5)         /* timer */
#define SIE_SEIE (1ul << 9)         /* external (PLIC) */
#define SIP_SSIP (1ul << 1)

#define SCAUSE_INTR (1ul << 63)
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define EXC_ILLEGAL_INSN 2

#ifndef __ASSEMBLER__
#define csr_read(csr) ({ unsigned long __v; \
	__asm__ volatile("csrr %0, " #csr : "=r"(__v) :: "memory"); __v; })
#define csr_write(csr, val) \
	__asm__ volatile("csrw " #csr ", %0" :: "rK"(val) : "memory")
#define csr_set(csr, bits) \
	__asm__ volatile("csrs " #csr ", %0" :: "rK"(bits) : "memory")
#define csr_clear(csr, bits) \
	__asm__ volatile("csrc " #csr ", %0" :: "rK"(bits) : "memory")
#define csr_read_clear(csr, bits) ({ unsigned long __v; \
	__asm__ volatile("csrrc %0, " #csr ", %1" : "=r"(__v) : "rK"(bits) : "memory"); __v; })
#endif

#endif
