/*
 * timer.c (riscv64) - the monotonic clock and per-hart one-shot timers.
 *
 * The `time` CSR counts at the DT timebase-frequency on every hart (one
 * clock for all).  A timer interrupt fires when time >= the hart's compare
 * value: with the Sstc extension (DT ISA string lists "sstc") S-mode writes
 * stimecmp itself; without it an SBI TIME call asks M-mode to do it.
 * Writing a compare value in the future also clears a pending interrupt,
 * so "disarm" is "compare = forever".
 *
 * ns <-> ticks: ns = ticks * mult >> 32, mult = 10^9 * 2^32 / freq,
 * computed once (10 MHz on QEMU virt: exactly 100 ns per tick).  Deadlines
 * are rounded up to whole ticks so a timer never fires early.
 */
#include "cpu.h"
#include "csr.h"

#define CSR_STIMECMP 0x14d

static uint64_t freq;
static uint64_t mult;           /* ns per tick, 32.32 fixed point */
static bool have_sstc;


void timer_init(uint64_t timebase, bool sstc)
{
	freq = timebase ? timebase : 10000000;
	/* Rounded up, so nanotime() at a rounded-up deadline is >= it. */
	mult = (uint64_t)((((unsigned __int128)1000000000 << 32) + freq - 1) / freq);
	have_sstc = sstc;
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
	if (have_sstc)
		__asm__ volatile("csrw %0, %1" :: "i"(CSR_STIMECMP), "r"(ticks) : "memory");
	else
		sbi_set_timer(ticks);
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
	csr_set(sie, SIE_STIE);
}
