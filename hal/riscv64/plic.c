/*
 * plic.c (riscv64) - the Platform-Level Interrupt Controller.
 *
 * The PLIC routes device interrupts (the UART's, say) to "contexts"; each
 * hart has one per privilege mode.  Which context belongs to which hart and
 * mode is not fixed: the DT node's interrupts-extended lists, for context
 * 0, 1, 2, ..., the hart's interrupt-controller phandle and the cause it
 * raises there (9 = supervisor external, 11 = machine external).  We use
 * each hart's supervisor context.
 *
 * Registers (riscv-plic-spec 1.0.0): priority[irq] at 4*irq; enable bits
 * of context c at 0x2000 + 0x80*c; threshold of c at 0x200000 + 0x1000*c
 * and claim/complete at the next word.  A device interrupt reaches a hart
 * when it is enabled for the context and its priority > the threshold.
 */
#include "cpu.h"
#include "csr.h"

static volatile uint32_t *plic_reg(uint64_t off)
{
	return (volatile uint32_t *)(uintptr_t)(hal_dt.plic.base + off);
}

/* Find every cpu's supervisor context.  cpu 0, before others start. */
void plic_init(void)
{
	for (int i = 0; i < hal_ncpu(); i++) {
		struct hal_cpu *c = &hal_cpus[i];
		c->plic_ctx = -1;
		if (!hal_dt.plic.present)
			continue;
		for (int k = 0; k < hal_dt.plic.nctx; k++)
			if (c->intc_phandle == hal_dt.plic.ctx_phandle[k] &&
			    hal_dt.plic.ctx_irq[k] == IRQ_S_EXT)
				c->plic_ctx = k;
	}
}

/* On each cpu: accept every priority, take external interrupts. */
void plic_init_cpu(struct hal_cpu *c)
{
	if (c->plic_ctx < 0)
		return;
	*plic_reg(0x200000 + 0x1000ul * c->plic_ctx) = 0;
	csr_set(sie, SIE_SEIE);
}

/* Route device interrupt `irq` to cpu c, priority 1. */
void plic_enable(int irq, struct hal_cpu *c)
{
	if (c->plic_ctx < 0 || irq <= 0 || (uint32_t)irq >= 1024)
		return;
	*plic_reg(4ul * irq) = 1;
	*plic_reg(0x2000 + 0x80ul * c->plic_ctx + 4ul * (irq / 32)) |= 1u << (irq % 32);
}

/* The highest-priority pending interrupt for c, or 0; must be completed. */
int plic_claim(struct hal_cpu *c)
{
	if (c->plic_ctx < 0)
		return 0;
	return (int)*plic_reg(0x200004 + 0x1000ul * c->plic_ctx);
}

void plic_complete(struct hal_cpu *c, int irq)
{
	*plic_reg(0x200004 + 0x1000ul * c->plic_ctx) = (uint32_t)irq;
}
