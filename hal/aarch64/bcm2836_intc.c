/*
 * bcm2836_intc.c (aarch64) - the Raspberry Pi 2/3 interrupt controllers,
 * which stand where other boards have a GIC.
 *
 * Two controllers, one behind the other:
 *
 *   The BCM2836 "ARM local" controller (DT brcm,bcm2836-l1-intc; at
 *   0x40000000 on the Pi 3) serves each of the four cores alone.  Its
 *   sources, numbered by their bit in the core's IRQ source register:
 *     0-3   the core's generic-timer lines (CNTPS, CNTPNS, CNTHP, CNTV),
 *           enabled per core in TIMER_CTL(core)
 *     4-7   the core's four mailboxes, 32-bit registers that any core
 *           sets bits in (MBOX_SET) and the owner clears (MBOX_CLR); a
 *           mailbox interrupts while nonzero, if enabled in MBOX_CTL(core)
 *     8     the VideoCore controller below, on the one core GPU_ROUTE
 *           names
 *   It has no acknowledge or end-of-interrupt step: a source interrupts
 *   while its level is up.
 *
 *   The BCM2835 VideoCore controller (brcm,bcm2835-armctrl-ic, or
 *   brcm,bcm2836-armctrl-ic as the Pi 2/3 device trees call it; at
 *   0x3f00b200) gathers the peripherals: 64 "GPU" interrupts in two
 *   banks (the PL011 is GPU interrupt 57: bank 2, bit 25) and 8 ARM ones
 *   (bank 0, "basic").  Each has an enable bit, set and cleared through
 *   separate registers; the pending registers show the enabled ones that
 *   are up.
 *
 * Our interrupt numbers (cpu.h's struct intc_ops): 0-31 the local
 * sources, 32 + n GPU interrupt n (0-63), 96 + n ARM interrupt n.  The
 * IPI is mailbox 0 (number 4); the virtual timer is number 3.  Device
 * tree specifiers: <source flags> for the local controller, <bank bit>
 * for the VideoCore one; the node's interrupt parent says which.
 *
 * ack: read this core's IRQ source register and take its lowest source;
 * for the VideoCore line, its lowest pending interrupt instead.  eoi:
 * for a mailbox, clear it - so a mailbox set after that interrupts
 * again; the dsb makes the clear happen before the handler looks for
 * the work (ipi_pending), so an IPI is never cleared unseen.  Level
 * sources (the timer, the UART) are dropped by their own handlers.
 *
 * All VideoCore interrupts reach one core: enable routes them all to the
 * cpu it names (cpu 0, for the UART).
 *
 * Locking: init runs on cpu 0 alone; a core's TIMER_CTL and MBOX_CTL
 * are changed only by that core (enable's contract), the VideoCore
 * enables only by cpu 0 during hal_init.
 *
 * Linux: drivers/irqchip/irq-bcm2836.c, irq-bcm2835.c.  Broadcom,
 * "BCM2836 ARM-local peripherals" (QA7 rev 3.4); "BCM2835 ARM
 * Peripherals", chapter 7.
 */
#include "cpu.h"
#include "sysreg.h"

/* Local controller registers */
#define GPU_ROUTE 0x0c                  /* bits 1:0: the core taking GPU IRQs */
#define TIMER_CTL(core) (0x40 + 4 * (core))
#define MBOX_CTL(core) (0x50 + 4 * (core))
#define IRQ_SOURCE(core) (0x60 + 4 * (core))
#define MBOX_SET(core, m) (0x80 + 16 * (core) + 4 * (m))
#define MBOX_CLR(core, m) (0xc0 + 16 * (core) + 4 * (m))
#define NCORES 4

/* VideoCore controller registers, per bank (0 basic, 1, 2) */
static const uint32_t pending_reg[3] = { 0x00, 0x04, 0x08 };
static const uint32_t enable_reg[3] = { 0x18, 0x10, 0x14 };
static const uint32_t disable_reg[3] = { 0x24, 0x1c, 0x20 };

/* Our numbers */
#define LOCAL_CNTV 3
#define LOCAL_MBOX0 4
#define LOCAL_GPU 8
#define NLOCAL 32
#define GPU_BASE 32                     /* GPU interrupt n = 32 + n */
#define ARM_BASE 96                     /* ARM (basic) interrupt n = 96 + n */
#define NIRQ 104

static uintptr_t local, armctrl;
static uint32_t enabled[3];             /* VideoCore enables we set, per bank */

static inline volatile uint32_t *reg(uintptr_t base, uintptr_t off)
{
	return (volatile uint32_t *)(base + off);
}

static uint32_t core_of(const struct hal_cpu *c)
{
	return (uint32_t)(c->mpidr & 0xff);
}

static void bcm_init(void)
{
	const struct dt_range *l = &hal_dt.bcm_intc.local, *a = &hal_dt.bcm_intc.armctrl;
	local = (uintptr_t)l->base;
	armctrl = (uintptr_t)a->base;
	mmu_map_device(l->base, l->size);
	mmu_map_device(a->base, a->size);
	for (int bank = 0; bank < 3; bank++)
		*reg(armctrl, disable_reg[bank]) = 0xffffffff;
	for (uint32_t core = 0; core < NCORES; core++) {
		*reg(local, TIMER_CTL(core)) = 0;
		*reg(local, MBOX_CTL(core)) = 0;
		for (int m = 0; m < 4; m++)
			*reg(local, MBOX_CLR(core, m)) = 0xffffffff;
	}
	*reg(local, GPU_ROUTE) = core_of(&hal_cpus[0]);
}

static void bcm_init_cpu(struct hal_cpu *c)
{
	if (core_of(c) >= NCORES || (c->mpidr & ~0xffull) != 0)
		boot_fail("bcm2836 interrupt controller", "cpu is not core 0-3");
	*reg(local, MBOX_CLR(core_of(c), 0)) = 0xffffffff;
	*reg(local, MBOX_CTL(core_of(c))) = 1u << (LOCAL_MBOX0 - 4);
}

/*
 * <source flags> under the local controller, <bank bit> under the
 * VideoCore one; each specifier is two cells.
 */
static uint32_t bcm_irq_from_dt(uint32_t parent, const uint32_t *cells,
				uint32_t n, uint32_t index)
{
	if (n < 2 * (index + 1) || parent == 0)
		return IRQ_NONE;
	cells += 2 * index;
	if (parent == hal_dt.bcm_intc.local_phandle)
		return cells[0] < NLOCAL ? cells[0] : IRQ_NONE;
	if (parent == hal_dt.bcm_intc.armctrl_phandle && cells[1] < 32) {
		switch (cells[0]) {
		case 0:
			return cells[1] < 8 ? ARM_BASE + cells[1] : IRQ_NONE;
		case 1:
			return GPU_BASE + cells[1];
		case 2:
			return GPU_BASE + 32 + cells[1];
		}
	}
	return IRQ_NONE;
}

/* VideoCore interrupt irq -> its bank and bit. */
static int bank_of(uint32_t irq, uint32_t *bit)
{
	if (irq >= ARM_BASE) {
		*bit = irq - ARM_BASE;
		return 0;
	}
	*bit = (irq - GPU_BASE) % 32;
	return 1 + (int)(irq - GPU_BASE) / 32;
}

static void bcm_enable(uint32_t irq, struct hal_cpu *c)
{
	uint32_t core = core_of(c), bit;
	if (irq < 4) {
		*reg(local, TIMER_CTL(core)) |= 1u << irq;
	} else if (irq < 8) {
		*reg(local, MBOX_CTL(core)) |= 1u << (irq - 4);
	} else if (irq >= GPU_BASE && irq < NIRQ) {
		int bank = bank_of(irq, &bit);
		*reg(local, GPU_ROUTE) = core;
		enabled[bank] |= 1u << bit;
		*reg(armctrl, enable_reg[bank]) = 1u << bit;
	}
}

/*
 * The lowest pending VideoCore interrupt we enabled, or IRQ_NONE: GPU
 * banks 1 and 2 first, then the ARM ones in bits 0-7 of bank 0 (its
 * other bits summarize or mirror banks 1 and 2).
 */
static uint32_t gpu_pending(void)
{
	uint32_t p = *reg(armctrl, pending_reg[1]) & enabled[1];
	if (p != 0)
		return GPU_BASE + (uint32_t)__builtin_ctz(p);
	p = *reg(armctrl, pending_reg[2]) & enabled[2];
	if (p != 0)
		return GPU_BASE + 32 + (uint32_t)__builtin_ctz(p);
	p = *reg(armctrl, pending_reg[0]) & enabled[0] & 0xff;
	if (p != 0)
		return ARM_BASE + (uint32_t)__builtin_ctz(p);
	return IRQ_NONE;
}

static uint32_t bcm_ack(uint32_t *irq)
{
	uint32_t src = *reg(local, IRQ_SOURCE(core_of(this_cpu())));
	if (src == 0) {
		*irq = IRQ_NONE;
	} else {
		uint32_t bit = (uint32_t)__builtin_ctz(src);
		*irq = bit == LOCAL_GPU ? gpu_pending() : bit;
	}
	return *irq;
}

static void bcm_eoi(uint32_t irq)
{
	if (irq >= 4 && irq < 8) {
		*reg(local, MBOX_CLR(core_of(this_cpu()), irq - 4)) = 0xffffffff;
		dsb(sy);
	}
}

/*
 * Set mailbox 0 of c's core.  The dsb makes the sender's earlier stores
 * (ipi_pending, the offload request) visible before the mailbox write
 * can interrupt c.
 */
static void bcm_send_ipi(struct hal_cpu *c)
{
	dsb(sy);
	*reg(local, MBOX_SET(core_of(c), 0)) = 1;
}

const struct intc_ops bcm2836_intc_ops = {
	.name = "bcm2836",
	.init = bcm_init,
	.init_cpu = bcm_init_cpu,
	.irq_from_dt = bcm_irq_from_dt,
	.enable = bcm_enable,
	.ack = bcm_ack,
	.eoi = bcm_eoi,
	.send_ipi = bcm_send_ipi,
	.ipi_irq = LOCAL_MBOX0,
	.timer_irq = LOCAL_CNTV,
};
