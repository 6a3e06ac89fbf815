/*
 * sysmon.c - Go's sysmon duties, done by each hart's timer tick: ending
 * time slices (asynchronous preemption), and taking the p away from a
 * goroutine stuck in a blocking section (entersyscall / exitsyscall,
 * retake, hand-off).
 *
 * Go runs sysmon as a thread of its own, without a p, waking every 20 us
 * to 10 ms.  On bare metal that would cost a whole hart, and a sysmon
 * goroutine would need a p just when every hart is busy.  So the tick of
 * the hart that has the problem does the work: it is armed only while
 * the hart runs goroutines (idle harts are tickless), and it is exact
 * under -icount.  docs/scheduler.md, sections 5 and 9.
 *
 * Go: proc.go sysmon, retake, preemptone, entersyscall, exitsyscall,
 * handoffp; preempt.go (asynchronous preemption at safe points).
 */
#include "proc.h"

#include "panic.h"

/* Did the interrupt at tf stop the program's own code (linker.ld)? */
static bool in_program_code(struct hal_trapframe *tf)
{
	extern char _runtime_text_end[], _etext[];
	struct hal_frame f;
	hal_trapframe_frame(tf, &f);
	return f.pc >= (uintptr_t)_runtime_text_end && f.pc < (uintptr_t)_etext;
}

/*
 * Can the g interrupted on this hart (at tf) be switched out right now?
 * Only in the program's own code, never while the hart holds a spinlock
 * or the m has preemption off.
 */
static bool preemptible(struct m *mp, struct hal_trapframe *tf)
{
	struct g *gp = mp->curg;
	return gp != &mp->g0 && mp->locks == 0 && spin_cpu[mp->id].held == 0 &&
	       mp->prevaction == SW_NONE && readgstatus(gp) == G_RUNNING &&
	       in_program_code(tf);
}

/* ---- The per-hart tick: preemption and timers ---- */

/*
 * Each hart with goroutines to run gets a timer interrupt every half time
 * slice (and at its p's earliest timer).  Like Go's sysmon retake, the
 * tick looks at the p's schedtick: unchanged since the last tick for a
 * whole slice means one goroutine has run all that time.  The tick costs
 * nothing per switch.  An idle hart's timer is set only for its p's
 * earliest timer (tickless).
 */
struct tickstate {
	uint32_t schedtick;
	int64_t schedwhen;
};
static struct tickstate ticks[CONFIG_MAXCPU];

static void sched_alarm(struct hal_trapframe *tf, void *arg);
static void retake(struct m *mp, int64_t now);
#define RETAKE_NS (20 * 1000)           /* sysmon's shortest sleep, 20 us */

/*
 * Program this hart's scheduler alarm.  Interrupts masked.  Running: the
 * next tick, or the p's earliest timer if sooner and still ahead (a timer
 * already due is the tick's business: it reschedules, or, if it cannot,
 * looks again at the next tick; arming a deadline in the past would only
 * interrupt us again the moment interrupts are back on).  Idle: the
 * earliest timer (the idle loop has just run the due ones).
 */
void sched_arm(struct m *mp, bool running)
{
	struct p *pp = mp->p;
	int64_t when = pp ? atomic_load_explicit(&pp->timer0when, memory_order_relaxed) : 0;
	if (running) {
		int64_t now = (int64_t)hal_nanotime();
		int64_t tick = now + sched.preempt_ns / 2;
		if (when <= now || tick < when)
			when = tick;
	}
	if (when != 0)
		alarm_set(ALARM_SCHED, (uint64_t)when, sched_alarm, NULL);
	else
		alarm_cancel(ALARM_SCHED);
}

/* Re-arm after addtimer changed this p's earliest timer. */
void sched_timers_changed(void)
{
	uintptr_t s = hal_irq_save();
	struct m *mp = getm();
	sched_arm(mp, mp->curg != &mp->g0);
	hal_irq_restore(s);
}

/* A hart starts running goroutines: a fresh slice, measured from now. */
void sched_slice_start(struct m *mp, bool inherit)
{
	ticks[mp->id].schedtick = mp->p ? mp->p->schedtick + !inherit : 0;
	ticks[mp->id].schedwhen = (int64_t)hal_nanotime();
	sched_arm(mp, true);
}

/*
 * The alarm only decides (the alarm loop in intr_timer must finish on
 * this hart); sched_timer_interrupt, the last thing intr_timer does, acts.
 */
static void sched_alarm(struct hal_trapframe *tf, void *arg)
{
	(void)tf;
	(void)arg;
	struct m *mp = getm();
	struct p *pp = mp->p;
	mp->tick_fired = true;
	if (pp == NULL || mp->curg == &mp->g0)
		return;
	int64_t now = (int64_t)hal_nanotime();
	if (readgstatus(mp->curg) == G_SYSCALL) {
		mp->want_retake = true;         /* sched_timer_interrupt does it */
		return;
	}
	struct tickstate *t = &ticks[mp->id];
	check_stack_full(mp->curg);
	if (t->schedtick != pp->schedtick) {
		t->schedtick = pp->schedtick;
		t->schedwhen = now;
	} else if (now - t->schedwhen >= sched.preempt_ns) {
		mp->want_preempt = true;
	}
	int64_t t0 = atomic_load_explicit(&pp->timer0when, memory_order_relaxed);
	if (t0 != 0 && t0 <= now)
		mp->want_preempt = true;        /* a timer is due: go run it */
	if (atomic_load_explicit(&sched.gcwaiting, memory_order_relaxed))
		mp->want_preempt = true;        /* the world is stopping */
}

void sched_timer_interrupt(struct hal_trapframe *tf)
{
	struct m *mp = getm();
	if (!sched.started)
		return;
	if (!mp->tick_fired)
		return;                 /* some other alarm */
	mp->tick_fired = false;
	bool running = mp->curg != &mp->g0;
	if (!running)
		return;         /* the idle loop runs timers and re-arms */
	if (mp->want_retake) {
		mp->want_retake = false;
		/* Not in the middle of runtime code that uses the p's cache. */
		if (in_program_code(tf))
			retake(mp, (int64_t)hal_nanotime());
		if (mp->p != NULL)
			alarm_set(ALARM_SCHED, hal_nanotime() + RETAKE_NS, sched_alarm, NULL);
		return;
	}
	sched_arm(mp, true);
	if (!mp->want_preempt)
		return;
	mp->want_preempt = false;
	if (!preemptible(mp, tf)) {
		mp->curg->preempt = true;       /* at the next releasem or tick */
		return;
	}
	ticks[mp->id].schedwhen = (int64_t)hal_nanotime();
	mp->npreempt++;
	gosched_impl();
	/* Back in this goroutine, on whichever hart now runs it. */
}

/* ---- Blocking sections (Go's entersyscall / exitsyscall) ---- */

/*
 * entersyscall: the goroutine is about to busy-wait on hardware.  It
 * keeps its p, marked P_SYSCALL, and the hart's tick is brought forward
 * to 20 us: if the section lasts longer, the tick (our sysmon) hands the
 * p to an idle hart, so the p's other goroutines keep running.
 */
void entersyscall(void)
{
	uintptr_t s = hal_irq_save();
	struct m *mp = getm();
	struct p *pp = mp->p;
	casgstatus(mp->curg, G_RUNNING, G_SYSCALL);
	atomic_fetch_add(&sched.nsyscall, 1);
	if (pp != NULL) {
		atomic_store(&pp->status, P_SYSCALL);
		pp->syscallwhen = (int64_t)hal_nanotime();
		pp->syscalltick++;
		alarm_set(ALARM_SCHED, (uint64_t)(pp->syscallwhen + RETAKE_NS), sched_alarm, NULL);
	}
	hal_irq_restore(s);
}

/*
 * exitsyscall: back from the blocking section.  Still holding the p (the
 * common, short case): carry on.  Otherwise take an idle p if there is
 * one; if not, the goroutine goes to the global queue and this hart to
 * its idle loop, p-less (Go's exitsyscall0).
 */
void exitsyscall(void)
{
	uintptr_t s = hal_irq_save();
	struct m *mp = getm();
	struct g *gp = mp->curg;
	atomic_fetch_sub(&sched.nsyscall, 1);
	if (mp->p != NULL) {
		/* Stopped for the world while we were away: wait for it. */
		for (;;) {
			uint32_t st = P_SYSCALL;
			if (atomic_compare_exchange_strong(&mp->p->status, &st, P_RUNNING))
				break;
			ASSERT(st == P_GCSTOP, "exitsyscall: p neither in syscall nor stopped");
			while (atomic_load_explicit(&sched.gcwaiting, memory_order_relaxed) ||
			       atomic_load(&mp->p->status) == P_GCSTOP) {
				hal_wait_for_interrupt();
				hal_irq_enable();
				hal_irq_save();
			}
		}
		casgstatus(gp, G_SYSCALL, G_RUNNING);
		sched_arm(mp, true);
		hal_irq_restore(s);
		return;
	}
	spin_lock(&sched.lock);
	struct p *pp = atomic_load_explicit(&sched.gcwaiting, memory_order_relaxed) ? NULL : pidleget();
	spin_unlock(&sched.lock);
	if (pp != NULL) {
		acquirep(mp, pp);
		casgstatus(gp, G_SYSCALL, G_RUNNING);
		sched_arm(mp, true);
		hal_irq_restore(s);
		return;
	}
	casgstatus(gp, G_SYSCALL, G_RUNNABLE);
	switch_to_g0(SW_RUNQ_GLOBAL);
	/* Runnable again, on some hart that holds a p. */
	hal_irq_restore(s);
}

/*
 * retake: this hart's tick found its p in a blocking section for 20 us
 * or more: take the p away from it (Go's sysmon retake + handoffp).  Go
 * leaves the p alone if it has no work and other harts are idle or
 * spinning anyway; so do we.  Interrupt context, on the blocked hart.
 */
static void retake(struct m *mp, int64_t now)
{
	struct p *pp = mp->p;
	if (pp == NULL || atomic_load(&pp->status) != P_SYSCALL ||
	    now - pp->syscallwhen < RETAKE_NS)
		return;
	if (runqempty(pp) && atomic_load_explicit(&sched.runqsize, memory_order_relaxed) == 0 &&
	    atomic_load_explicit(&pp->timer0when, memory_order_relaxed) == 0 &&
	    atomic_load_explicit(&sched.nmspinning, memory_order_relaxed) + atomic_load_explicit(&sched.npidle, memory_order_relaxed) > 0)
		return;
	spin_lock(&sched.lock);
	uint32_t st = P_SYSCALL;
	if (atomic_compare_exchange_strong(&pp->status, &st, P_IDLE)) {
		releasep(mp);
		handoffp(pp);
		mp->nhandoff++;
	}
	spin_unlock(&sched.lock);
}
