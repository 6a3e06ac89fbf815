/*
 * time.c - timers and sleeping.
 *
 * Each p keeps its timers in a 4-ary min-heap ordered by `when` (Go's
 * p.timers, time.go).  4-ary rather than binary: half as deep, and a
 * node's four children share a cache line or two, so sifting down costs
 * fewer misses; Go chose it for the same reason.
 *
 *   index i's children are 4i+1 .. 4i+4, its parent (i-1)/4.
 *
 * timer0when mirrors the root's `when` (0: no timers) so that schedule
 * and other harts can ask "is anything due?" with one load and no lock.
 *
 * Who runs timers: the p's own hart, in findrunnable, before it looks at
 * the run queue: a goroutine whose sleep has ended runs next, ahead of
 * the queue, so busy queues cannot starve timers.  A hart with nothing
 * to do also runs other p's due timers while stealing (Go does the same).
 * The hart's alarm is set for its p's earliest timer, so an idle hart
 * wakes just in time and a busy one is interrupted for it (proc.c).
 *
 * timesleep adds its timer only after the goroutine has switched away
 * (in gopark's unlock function), so the timer cannot fire and ready the
 * goroutine while it is still running on its own stack.  Go's
 * resetForSleep does the same.
 *
 * Go: runtime/time.go (addtimer, doaddtimer, runtimer, siftupTimer,
 * siftdownTimer, timeSleep).
 */
#include "proc.h"

#include <stdlib.h>

#include "panic.h"

static void siftup(struct timer *t, int i)
{
	struct timer x = t[i];
	while (i > 0) {
		int parent = (i - 1) / 4;
		if (x.when >= t[parent].when)
			break;
		t[i] = t[parent];
		i = parent;
	}
	t[i] = x;
}

static void siftdown(struct timer *t, int n, int i)
{
	struct timer x = t[i];
	for (;;) {
		int c = 4 * i + 1;
		if (c >= n)
			break;
		int best = c;
		for (int k = c + 1; k < c + 4 && k < n; k++)
			if (t[k].when < t[best].when)
				best = k;
		if (x.when <= t[best].when)
			break;
		t[i] = t[best];
		i = best;
	}
	t[i] = x;
}

static void update_timer0(struct p *pp)
{
	atomic_store(&pp->timer0when, pp->ntimers ? pp->timers[0].when : 0);
}

/* addtimer: add t to pp's heap.  Thread context. */
void addtimer(struct p *pp, struct timer t)
{
	if (t.when <= 0)
		t.when = 1;
	spin_lock(&pp->timerslock);
	if (pp->ntimers == pp->timerscap) {
		int cap = pp->timerscap ? 2 * pp->timerscap : 16;
		struct timer *nt = realloc(pp->timers, (size_t)cap * sizeof *nt);
		if (nt == NULL)
			throw("addtimer: out of memory for the timer heap");
		pp->timers = nt;
		pp->timerscap = cap;
	}
	pp->timers[pp->ntimers] = t;
	siftup(pp->timers, pp->ntimers++);
	bool first = pp->timers[0].seq == t.seq && pp->timers[0].when == t.when;
	update_timer0(pp);
	spin_unlock(&pp->timerslock);
	if (first && pp->m == getm())
		sched_timers_changed();
	else if (first && pp->m != NULL && pp->m->idle)
		hal_ipi_send(pp->m->id);        /* it re-arms for the new time */
}

/*
 * deltimer_seq: remove pp's timer with this seq.  Returns false when it
 * is not there (it already ran, or is running now).  Thread context.
 */
bool deltimer_seq(struct p *pp, uint64_t seq)
{
	uintptr_t s = hal_irq_save();
	spin_lock(&pp->timerslock);
	bool found = false;
	for (int i = 0; i < pp->ntimers; i++) {
		if (pp->timers[i].seq != seq)
			continue;
		found = true;
		pp->timers[i] = pp->timers[--pp->ntimers];
		if (i < pp->ntimers) {
			siftup(pp->timers, i);
			siftdown(pp->timers, pp->ntimers, i);
		}
		update_timer0(pp);
		break;
	}
	spin_unlock(&pp->timerslock);
	hal_irq_restore(s);
	return found;
}

/* A fresh timer identity (seq), for deltimer_seq and stale wake-ups. */
uint64_t timer_newseq(void)
{
	static _Atomic uint64_t seqgen;
	return atomic_fetch_add(&seqgen, 1) + 1;
}

/*
 * checktimers: run pp's timers whose time has come (the lock is dropped
 * around each call, as Go's runtimer).  Returns the next `when`, or 0.
 */
int64_t checktimers(struct p *pp, int64_t now)
{
	int64_t t0 = atomic_load_explicit(&pp->timer0when, memory_order_relaxed);
	if (t0 == 0 || t0 > now)
		return t0;
	spin_lock(&pp->timerslock);
	while (pp->ntimers > 0 && pp->timers[0].when <= now) {
		struct timer t = pp->timers[0];
		pp->timers[0] = pp->timers[--pp->ntimers];
		if (pp->ntimers > 0)
			siftdown(pp->timers, pp->ntimers, 0);
		update_timer0(pp);
		spin_unlock(&pp->timerslock);
		t.f(t.arg, t.seq);
		spin_lock(&pp->timerslock);
	}
	int64_t next = pp->ntimers ? pp->timers[0].when : 0;
	spin_unlock(&pp->timerslock);
	return next;
}

/* The earliest timer of any p, or 0. */
int64_t nexttimer_all(void)
{
	int64_t best = 0;
	for (int i = 0; i < sched.gomaxprocs; i++) {
		int64_t w = atomic_load_explicit(&ps[i].timer0when, memory_order_relaxed);
		if (w != 0 && (best == 0 || w < best))
			best = w;
	}
	return best;
}

/* ---- Sleeping ---- */

static void sleep_wake(void *arg, uint64_t seq)
{
	struct g *gp = arg;
	if (gp->timer_seq == seq)
		goready(gp);
}

struct sleeparg {
	int64_t when;
};

static bool sleep_park(struct g *gp, void *arg)
{
	struct sleeparg *sa = arg;
	struct m *mp = getm();
	struct p *pp = mp->p;
	gp->timer_seq = timer_newseq();
	struct timer t = { sa->when, sleep_wake, gp, gp->timer_seq };
	if (pp == NULL)
		pp = &ps[0];
	addtimer(pp, t);
	return true;
}

/* timesleep: block the current goroutine for ns nanoseconds. */
void timesleep(int64_t ns)
{
	if (ns <= 0) {
		gosched();
		return;
	}
	struct sleeparg sa = { (int64_t)hal_nanotime() + ns };
	gopark(sleep_park, &sa, WAIT_SLEEP);
}
