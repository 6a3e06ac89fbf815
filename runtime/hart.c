/*
 * hart.c - per-cpu generic state, cross-cpu calls and alarms (hart.h).
 *
 * Cross-cpu call protocol (one outstanding call per target cpu):
 *   1. the caller waits until target->call_busy is 0, sets it to 1,
 *      stores call_arg, then call_fn (release), then hal_ipi_send(target);
 *   2. the target's idle loop (mstart, runtime/proc.c), interrupts
 *      masked, sees call_fn (acquire):
 *      it runs fn(arg) with interrupts enabled, clears call_fn, then
 *      call_busy (release), and interrupts the caller (call_from);
 *   3. otherwise it sleeps in hal_wait_for_interrupt: an IPI that arrives
 *      after the check still ends the sleep (it stays pending), so no
 *      wake-up is lost.  hart_wait sleeps the same way until call_busy
 *      is 0.  Nobody spins: under QEMU -icount the vCPUs take turns, and
 *      a spinning cpu would starve the one it waits for.
 *
 * Go: nothing maps one to one; it is served by the scheduler's idle loop
 * (Go's stopm / notesleep), so a cpu busy with goroutines takes the call
 * only when it runs out of work.
 */
#include "hart.h"

#include "mm/mheap.h"
#include "proc.h"
#include "panic.h"
#include "print.h"

struct hart harts[CONFIG_MAXCPU];

static void hart_setup(int cpu)
{
	struct hart *h = &harts[cpu];
	h->id = cpu;
	h->mcache = &mcaches[CONFIG_MAXCPU + cpu];      /* until it gets a p */
	h->m = &ms[cpu];
	hal_set_cpu_local(h);
}

void hart_init_boot(void)
{
	for (int i = 0; i < NUM_MCACHES; i++)   /* every p's, every hart's */
		mcache_init(&mcaches[i]);
	hart_setup(0);
}

static _Noreturn void secondary_main(int cpu)
{
	hart_setup(cpu);
	mstart();               /* the scheduler's loop: never returns */
}

void hart_start_others(void)
{
	hal_start_cpus(secondary_main);
	uint64_t failed = hal_cpus_failed();
	for (int i = 1; i < hal_ncpu(); i++)
		if (failed & (1ull << i))
			print_fmt("gohart: cpu %d (hart %lu) did not start (error %d)\n",
				  i, hal_cpu_hwid(i), hal_cpu_start_error(i));
}

bool hart_online(int cpu)
{
	return cpu >= 0 && cpu < hal_ncpu() && !(hal_cpus_failed() & (1ull << cpu));
}

void hart_call(int cpu, void (*fn)(void *), void *arg)
{
	ASSERT(cpu != hal_cpu_id(), "hart_call: cannot call this cpu");
	ASSERT(hart_online(cpu), "hart_call: cpu not online");
	struct hart *h = &harts[cpu];
	for (;;) {
		int idle = 0;
		if (atomic_compare_exchange_weak_explicit(&h->call_busy, &idle, 1,
							  memory_order_acquire,
							  memory_order_relaxed))
			break;
		hal_cpu_relax();
	}
	h->call_arg = arg;
	h->call_from = hal_cpu_id();
	atomic_store_explicit(&h->call_fn, fn, memory_order_release);
	hal_ipi_send(cpu);
}

/*
 * hart_sleep_until: sleep in wait-for-interrupt until done(arg) is true.
 * Whatever makes it true must also interrupt this cpu (an IPI, a timer).
 */
void hart_sleep_until(bool (*done)(void *), void *arg)
{
	for (;;) {
		uintptr_t s = hal_irq_save();
		bool ok = done(arg);
		if (!ok)
			hal_wait_for_interrupt();
		hal_irq_restore(s);
		if (ok)
			return;
	}
}

static bool call_finished(void *arg)
{
	struct hart *h = arg;
	return !atomic_load_explicit(&h->call_busy, memory_order_acquire);
}

void hart_wait(int cpu)
{
	hart_sleep_until(call_finished, &harts[cpu]);
}

void hart_call_all(void (*fn)(void *), void *arg)
{
	int me = hal_cpu_id();
	for (int i = 0; i < hal_ncpu(); i++)
		if (i != me && hart_online(i))
			hart_call(i, fn, arg);
	fn(arg);
	for (int i = 0; i < hal_ncpu(); i++)
		if (i != me && hart_online(i))
			hart_wait(i);
}

/* ---- Interrupt hooks ---- */

void intr_ipi(struct hal_trapframe *tf)
{
	struct hart *h = hart_self();
	atomic_fetch_add_explicit(&h->nipi, 1, memory_order_relaxed);
	/* The idle loop checks the mailbox after every interrupt. */
	sched_ipi_interrupt(tf);        /* last: it may switch goroutines */
}

static void alarm_rearm(struct hart *h)
{
	uint64_t next = 0;
	for (int i = 0; i < NALARM; i++)
		if (h->alarm_when[i] && (next == 0 || h->alarm_when[i] < next))
			next = h->alarm_when[i];
	if (next)
		hal_timer_arm(next);
	else
		hal_timer_disarm();
}

void intr_timer(struct hal_trapframe *tf)
{
	struct hart *h = hart_self();
	atomic_fetch_add_explicit(&h->ntimer, 1, memory_order_relaxed);
	uint64_t now = hal_nanotime();
	for (int i = 0; i < NALARM; i++) {
		if (h->alarm_when[i] == 0 || h->alarm_when[i] > now)
			continue;
		h->alarm_when[i] = 0;
		h->alarm_fn[i](tf, h->alarm_arg[i]);
	}
	alarm_rearm(h);
	sched_timer_interrupt(tf);      /* last: it may switch goroutines */
}

void alarm_set(int slot, uint64_t deadline_ns, alarm_fn fn, void *arg)
{
	uintptr_t s = hal_irq_save();
	struct hart *h = hart_self();
	h->alarm_fn[slot] = fn;
	h->alarm_arg[slot] = arg;
	h->alarm_when[slot] = deadline_ns ? deadline_ns : 1;
	alarm_rearm(h);
	hal_irq_restore(s);
}

void alarm_cancel(int slot)
{
	uintptr_t s = hal_irq_save();
	struct hart *h = hart_self();
	h->alarm_when[slot] = 0;
	alarm_rearm(h);
	hal_irq_restore(s);
}
