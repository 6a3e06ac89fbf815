/*
 * timer.c (aarch64) - the monotonic clock and per-cpu one-shot timers,
 * from the Arm generic timer (Arm ARM chapter D11).
 *
 * The system counter ticks at CNTFRQ_EL0 Hz (62.5 MHz on QEMU virt), the
 * same count on every cpu.  We use the virtual view of it (CNTVCT_EL0)
 * and the virtual timer, which EL1 always owns; when we came in at EL2,
 * entry.S set the virtual offset to 0, so virtual = physical.  The timer
 * raises its interrupt while CNTVCT >= CNTV_CVAL and the timer is enabled
 * and unmasked: a level, not an edge.  Which interrupt that is depends on
 * the controller: a GIC PPI (INTID 27 on every known board), or on the
 * Raspberry Pi local interrupt 3 of the BCM2836 controller; the third
 * entry of the DT's arm,armv8-timer interrupts says, decoded by the
 * controller.  "arm" writes the compare value, and "disarm" writes the
 * largest one, which also drops the level - the interrupt handler
 * disarms before it ends the interrupt at the controller, and the
 * interrupt does not come straight back.
 *
 * ns <-> ticks: ns = ticks * mult >> 32, mult = 10^9 * 2^32 / freq,
 * computed once (16 ns per tick at 62.5 MHz).  Deadlines are rounded up
 * to whole ticks so a timer never fires early.
 */
#include "cpu.h"
#include "sysreg.h"

static uint64_t freq;
static uint64_t mult;           /* ns per tick, 32.32 fixed point */
static uint32_t virt_irq;

void timer_init(void)
{
	freq = sysreg_read(cntfrq_el0);
	if (freq == 0)
		boot_fail("timer", "CNTFRQ_EL0 is 0 (the firmware did not set it)");
	/* Rounded up, so nanotime() at a rounded-up deadline is >= it. */
	mult = (uint64_t)((((unsigned __int128)1000000000 << 32) + freq - 1) / freq);
	/* interrupts = <secure phys>, <non-secure phys>, <virtual>, <hyp> */
	virt_irq = intc->irq_from_dt(hal_dt.armtimer.intr_parent,
				     hal_dt.armtimer.intr, hal_dt.armtimer.nintr, 2);
	if (virt_irq == IRQ_NONE)
		virt_irq = intc->timer_irq;
}

uint32_t timer_irq(void)
{
	return virt_irq;
}

uint64_t hal_timebase(void)
{
	return freq;
}

uint64_t hal_nanotime(void)
{
	return (uint64_t)(((unsigned __int128)hal_ticks() * mult) >> 32);
}

static void set_compare(uint64_t ticks)
{
	sysreg_write(cntv_cval_el0, ticks);
	isb();
}

void hal_timer_arm(uint64_t deadline_ns)
{
	unsigned __int128 t = (unsigned __int128)deadline_ns * freq + 999999999;
	t /= 1000000000;
	set_compare(t > UINT64_MAX - 1 ? UINT64_MAX - 1 : (uint64_t)t);
}

void hal_timer_disarm(void)
{
	set_compare(UINT64_MAX);
}

void timer_init_cpu(void)
{
	hal_timer_disarm();
	sysreg_write(cntv_ctl_el0, CNT_CTL_ENABLE);
	isb();
	intc->enable(virt_irq, this_cpu());
}
