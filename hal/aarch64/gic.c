/*
 * gic.c (aarch64) - the Arm Generic Interrupt Controller, v2 and v3.
 *
 * Interrupt numbers (INTIDs) come in three kinds: 0-15 SGIs (software
 * generated: our IPIs), 16-31 PPIs (private to one cpu: its timer),
 * 32-1019 SPIs (shared devices: the UART), and 1020-1023 mean "nothing".
 * The distributor (GICD) holds the per-interrupt state of SPIs: enabled,
 * priority, and which cpu it goes to.  SGI and PPI state is per cpu.
 * Each cpu takes interrupts from its cpu interface: read the acknowledge
 * register (which INTID, now active), handle, write the end-of-interrupt
 * register with the same value.
 *
 * The two versions differ in where things live:
 *
 *   GICv2 (arm,cortex-a15-gic, arm,gic-400; QEMU virt's default): the cpu
 *     interface is memory-mapped (GICC: reg[1]); SGI/PPI registers are
 *     banked at the same GICD addresses, each cpu seeing its own; a cpu's
 *     target bit (for ITARGETSR and SGIs) is read from ITARGETSR0; an SGI
 *     is a write to GICD_SGIR with a target bit list.  At most 8 cpus.
 *   GICv3 (arm,gic-v3; virt,gic-version=3): the cpu interface is system
 *     registers (ICC_*_EL1); SGI/PPI state is in each cpu's
 *     redistributor (GICR, in the region reg[1], found by matching the
 *     affinity in GICR_TYPER), which must also be woken; SPIs are routed by
 *     affinity (GICD_IROUTER); an SGI is a write to ICC_SGI1R_EL1 naming
 *     the target's affinity.  We use interrupt group 1 (IRQ); group 0
 *     would arrive as FIQ.
 *
 * Every interrupt gets the same priority (0xa0, mask 0xf0), so none
 * preempts another: handlers never nest, as hal.h promises.
 *
 * The rest of the HAL sees it through gic_ops (cpu.h's struct
 * intc_ops): our IPI is SGI 0, and the virtual timer is PPI 11
 * (INTID 27) unless the DT says otherwise.
 *
 * Linux: drivers/irqchip/irq-gic.c, irq-gic-v3.c.  Arm IHI 0048B (v2),
 * IHI 0069 (v3).
 */
#include "cpu.h"
#include "sysreg.h"

/* Distributor (both versions). */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800            /* v2 */
#define GICD_SGIR 0xf00                 /* v2 */
#define GICD_IROUTER 0x6000             /* v3, 8 bytes per INTID */
#define GICD_CTLR_RWP (1u << 31)        /* v3: a write is still in progress */
/* v2 cpu interface */
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_BPR 0x008
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
/* v3 redistributor: RD_base frame, then SGI_base frame 64 KiB above it */
#define GICR_WAKER 0x014
#define GICR_TYPER 0x008
#define GICR_TYPER_VLPIS (1u << 1)
#define GICR_TYPER_LAST (1u << 4)
#define GICR_WAKER_SLEEP (1u << 1)      /* ProcessorSleep */
#define GICR_WAKER_ASLEEP (1u << 2)     /* ChildrenAsleep */
#define GICR_SGI 0x10000

#define PRIO 0xa0
#define PRIO_MASK 0xf0

#define SGI_IPI 0                       /* hal_ipi_send, hal_irq_offload */
#define PPI_VIRT_TIMER 27               /* the virtual timer, on every board */
#define INTID_SPURIOUS 1020             /* 1020..1023: nothing to take */

static int version;
static uintptr_t gicd, gicc;            /* gicc: v2 only */
static uint64_t gicr_base, gicr_size;   /* v3: the first redistributor region */
static uint32_t nirq;                   /* INTIDs the distributor has */

static inline volatile uint32_t *reg32(uintptr_t base, uintptr_t off)
{
	return (volatile uint32_t *)(base + off);
}

static inline volatile uint64_t *reg64(uintptr_t base, uintptr_t off)
{
	return (volatile uint64_t *)(base + off);
}

static void set_priority(uintptr_t base, uint32_t irq)
{
	volatile uint8_t *p = (volatile uint8_t *)(base + GICD_IPRIORITYR + irq);
	*p = PRIO;
}

/* v3: wait until the distributor has applied the last GICD_CTLR write. */
static void gicd_wait_rwp(void)
{
	while (*reg32(gicd, GICD_CTLR) & GICD_CTLR_RWP)
		hal_cpu_relax();
}

/*
 * The GIC binding's interrupt specifier: <type number flags>, type 0 an
 * SPI (INTID 32 + number), 1 a PPI (16 + number).  The GIC is the only
 * controller, so the parent is not looked at.
 */
static uint32_t gic_irq_from_dt(uint32_t parent, const uint32_t *cells,
				uint32_t n, uint32_t index)
{
	(void)parent;
	if (n < 3 * (index + 1))
		return IRQ_NONE;
	cells += 3 * index;
	return cells[0] == 1 ? 16 + cells[1] : 32 + cells[1];
}

/* Distributor setup, once, on cpu 0 (before the others start). */
static void gic_init(void)
{
	version = hal_dt.gic.version;
	if (hal_dt.gic.nreg < 2)
		boot_fail("device tree", "GIC node without distributor and cpu/redistributor regs");
	gicd = (uintptr_t)hal_dt.gic.reg[0].base;
	mmu_map_device(hal_dt.gic.reg[0].base, hal_dt.gic.reg[0].size);
	mmu_map_device(hal_dt.gic.reg[1].base, hal_dt.gic.reg[1].size);
	nirq = 32 * ((*reg32(gicd, GICD_TYPER) & 0x1f) + 1);
	if (nirq > 1020)
		nirq = 1020;

	*reg32(gicd, GICD_CTLR) = 0;
	if (version == 3)
		gicd_wait_rwp();
	for (uint32_t i = 32; i < nirq; i += 32) {
		*reg32(gicd, GICD_ICENABLER + i / 8) = 0xffffffff;
		*reg32(gicd, GICD_IGROUPR + i / 8) = version == 3 ? 0xffffffff : 0;
	}
	for (uint32_t i = 32; i < nirq; i++)
		set_priority(gicd, i);
	if (version == 2) {
		gicc = (uintptr_t)hal_dt.gic.reg[1].base;
		*reg32(gicd, GICD_CTLR) = 1;            /* forward interrupts */
	} else {
		gicr_base = hal_dt.gic.reg[1].base;
		gicr_size = hal_dt.gic.reg[1].size;
		/* Affinity routing first, then group 1 on (in the secure and
		 * the non-secure view of the register alike: bits 4, 1, 0). */
		*reg32(gicd, GICD_CTLR) = 1u << 4;
		gicd_wait_rwp();
		*reg32(gicd, GICD_CTLR) = (1u << 4) | 3;
		gicd_wait_rwp();
	}
}

/* v3: this cpu's redistributor, by its affinity in GICR_TYPER[63:32]. */
static uintptr_t find_redistributor(uint64_t mpidr)
{
	uint32_t aff = (uint32_t)(((mpidr >> 8) & 0xff000000) | (mpidr & 0xffffff));
	for (uint64_t off = 0; off + 0x20000 <= gicr_size;) {
		uintptr_t rd = (uintptr_t)(gicr_base + off);
		uint64_t typer = *reg64(rd, GICR_TYPER);
		if ((uint32_t)(typer >> 32) == aff)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		off += (typer & GICR_TYPER_VLPIS) ? 0x40000 : 0x20000;
	}
	return 0;
}

static void init_cpu_v2(struct hal_cpu *c)
{
	/* Reads of ITARGETSR0-7 return this cpu's own bit. */
	c->gic_mask = *reg32(gicd, GICD_ITARGETSR) & 0xff;
	*reg32(gicd, GICD_ICENABLER) = 0xffffffff;      /* banked: SGIs, PPIs */
	for (uint32_t i = 0; i < 32; i++)
		set_priority(gicd, i);
	*reg32(gicd, GICD_ISENABLER) = 1u << SGI_IPI;
	*reg32(gicc, GICC_PMR) = PRIO_MASK;
	*reg32(gicc, GICC_BPR) = 0;
	*reg32(gicc, GICC_CTLR) = 1;
}

static void init_cpu_v3(struct hal_cpu *c)
{
	uintptr_t rd = find_redistributor(c->mpidr);
	if (rd == 0)
		boot_fail("GICv3", "no redistributor for this cpu");
	c->gic_rd = rd;
	*reg32(rd, GICR_WAKER) &= ~GICR_WAKER_SLEEP;
	while (*reg32(rd, GICR_WAKER) & GICR_WAKER_ASLEEP)
		hal_cpu_relax();
	uintptr_t sgi = rd + GICR_SGI;
	*reg32(sgi, GICD_ICENABLER) = 0xffffffff;
	*reg32(sgi, GICD_IGROUPR) = 0xffffffff;         /* all group 1 */
	for (uint32_t i = 0; i < 32; i++)
		set_priority(sgi, i);
	*reg32(sgi, GICD_ISENABLER) = 1u << SGI_IPI;

	sysreg_write(icc_sre_el1, sysreg_read(icc_sre_el1) | 1);  /* SRE */
	isb();
	sysreg_write(icc_pmr_el1, PRIO_MASK);
	sysreg_write(icc_bpr1_el1, 0);
	sysreg_write(icc_ctlr_el1, 0);          /* EOI also deactivates */
	sysreg_write(icc_igrpen1_el1, 1);
	isb();
}

/* This cpu's interface (and v3 redistributor).  On each cpu. */
static void gic_init_cpu(struct hal_cpu *c)
{
	if (version == 2)
		init_cpu_v2(c);
	else
		init_cpu_v3(c);
}

/*
 * gic_enable: let interrupt irq through.  An SGI or PPI is enabled for the
 * calling cpu (which must be c); an SPI is routed to c.
 */
static void gic_enable(uint32_t irq, struct hal_cpu *c)
{
	if (irq < 32) {
		uintptr_t base = version == 2 ? gicd : c->gic_rd + GICR_SGI;
		set_priority(base, irq);
		*reg32(base, GICD_ISENABLER) = 1u << irq;
		return;
	}
	if (irq >= nirq)
		return;
	if (version == 2) {
		volatile uint8_t *t = (volatile uint8_t *)(gicd + GICD_ITARGETSR + irq);
		*t = (uint8_t)c->gic_mask;
	} else {
		*reg64(gicd, GICD_IROUTER + 8ul * irq) = c->mpidr;
	}
	set_priority(gicd, irq);
	*reg32(gicd, GICD_ISENABLER + 4 * (irq / 32)) = 1u << (irq % 32);
}

/*
 * gic_ack: take the highest-priority pending interrupt (it is now active)
 * and return the acknowledge register's value, for gic_eoi; *irq gets
 * the interrupt number, IRQ_NONE if nothing was pending (INTIDs
 * 1020..1023, which need no EOI).  (v2 also names an SGI's sender, in
 * bits 12:10.)
 */
static uint32_t gic_ack(uint32_t *irq)
{
	uint32_t iar, intid;
	if (version == 2) {
		iar = *reg32(gicc, GICC_IAR);
		intid = iar & 0x3ff;
	} else {
		iar = (uint32_t)sysreg_read(icc_iar1_el1);
		dsb(sy);
		intid = iar & 0xffffff;
	}
	*irq = intid >= INTID_SPURIOUS && intid < 1024 ? IRQ_NONE : intid;
	return iar;
}

static void gic_eoi(uint32_t iar)
{
	if (version == 2) {
		*reg32(gicc, GICC_EOIR) = iar;
		return;
	}
	sysreg_write(icc_eoir1_el1, iar);
	isb();
}

/*
 * gic_send_ipi: raise SGI 0 on cpu c (may be this one).  The dsb makes
 * the sender's earlier stores (ipi_pending, the offload request) visible
 * to c before the interrupt can reach it.
 */
static void gic_send_ipi(struct hal_cpu *c)
{
	const uint32_t sgi = SGI_IPI;
	dsb(ishst);
	if (version == 2) {
		/* TargetListFilter 2: this cpu only.  (A one-cpu GIC reads
		 * ITARGETSR as zero, so only this form reaches it.) */
		uint32_t to = c == this_cpu() ? 2u << 24 : c->gic_mask << 16;
		*reg32(gicd, GICD_SGIR) = to | sgi;
		return;
	}
	uint64_t m = c->mpidr;
	uint64_t aff0 = m & 0xff;
	uint64_t v = ((m >> 32) & 0xff) << 48 |         /* Aff3 */
		     ((m >> 16) & 0xff) << 32 |         /* Aff2 */
		     ((m >> 8) & 0xff) << 16 |          /* Aff1 */
		     (aff0 >> 4) << 44 |                /* RS: Aff0 / 16 */
		     (uint64_t)sgi << 24 |
		     1ull << (aff0 & 15);               /* target list */
	sysreg_write(icc_sgi1r_el1, v);
	isb();
}

const struct intc_ops gic_ops = {
	.name = "gic",
	.init = gic_init,
	.init_cpu = gic_init_cpu,
	.irq_from_dt = gic_irq_from_dt,
	.enable = gic_enable,
	.ack = gic_ack,
	.eoi = gic_eoi,
	.send_ipi = gic_send_ipi,
	.ipi_irq = SGI_IPI,
	.timer_irq = PPI_VIRT_TIMER,
};
