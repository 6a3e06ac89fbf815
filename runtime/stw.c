/*
 * stw.c - stopping the world, and changing GOMAXPROCS while it is stopped.
 *
 * stop_the_world makes every p stop at a safe point, so that the caller's
 * goroutine is the only one running anywhere (the collector needs this to
 * scan stacks; GOMAXPROCS needs it to move p's).  Go: proc.go
 * stopTheWorldWithSema, startTheWorldWithSema, procresize.
 *
 *   1. sched.gcwaiting = 1: from now on findrunnable hands out nothing;
 *      a hart that looks for work stops its p instead (gcstopm).
 *   2. Under sched.lock, p's that need no one's help are stopped on the
 *      spot: the caller's own, idle ones (no hart, or a sleeping hart:
 *      it checks gcwaiting before it runs anything), and ones whose hart
 *      is in a blocking section (it waits for the world on its way out).
 *   3. Each hart running a goroutine gets an IPI.  Its handler preempts
 *      the goroutine if it safely can (the same rule as the timer's), and
 *      the goroutine's yield finds gcwaiting and stops the p.  If it
 *      cannot (runtime code, a spinlock held), the goroutine's preempt
 *      flag and the next tick catch it.
 *   4. The caller sleeps until stopwait reaches 0; the last p to stop
 *      interrupts it.  A hart with interrupts masked cannot be reached,
 *      so the wait is bounded: after 10 s a fatal error names the harts
 *      that never stopped, rather than hanging.
 *
 * start_the_world undoes it: p's back to running (or idle), gcwaiting
 * cleared, every hart interrupted so that it looks for work again.
 *
 * Only one stop at a time (worldsema); a second caller yields until the
 * first has started the world again.
 *
 * procresize (GOMAXPROCS) runs with the world stopped, so it lives here.
 */
#include "proc.h"

#include <stdlib.h>

#include "mm/mheap.h"
#include "panic.h"
#include "print.h"

static atomic_int worldsema;            /* 1: a stop is in progress */

#define STW_TIMEOUT_NS (10LL * 1000 * 1000 * 1000)

/* The last p to stop wakes the stopper.  Interrupts masked. */
static void stopwait_done(void)
{
	if (atomic_fetch_sub(&sched.stopwait, 1) == 1 && sched.stopper != NULL)
		hal_ipi_send(sched.stopper->id);
}

/* Stop pp if it is still running (whoever moves it to GCSTOP counts it). */
static bool stop_p(struct p *pp, uint32_t from)
{
	uint32_t st = from;
	if (!atomic_compare_exchange_strong(&pp->status, &st, P_GCSTOP))
		return false;
	stopwait_done();
	return true;
}

bool gcstopm(struct p *pp)
{
	return stop_p(pp, P_RUNNING);
}

void sched_ipi_interrupt(struct hal_trapframe *tf)
{
	struct m *mp = getm();
	if (!atomic_load(&sched.gcwaiting) || mp->curg == &mp->g0 || mp == sched.stopper)
		return;
	mp->want_preempt = true;
	mp->tick_fired = true;          /* act as the tick does */
	sched_timer_interrupt(tf);
}

void stop_the_world(const char *reason)
{
	int expect = 0;
	while (!atomic_compare_exchange_strong(&worldsema, &expect, 1)) {
		expect = 0;
		gosched();              /* let the other stop finish */
	}
	struct m *mp = acquirem();
	uintptr_t s = hal_irq_save();
	spin_lock(&sched.lock);
	sched.stopper = mp;
	atomic_store(&sched.stopwait, sched.gomaxprocs);
	atomic_store(&sched.gcwaiting, true);
	if (mp->p != NULL)
		stop_p(mp->p, P_RUNNING);
	for (int i = 0; i < sched.gomaxprocs; i++) {
		struct p *pp = &ps[i];
		if (pp == mp->p)
			continue;
		if (stop_p(pp, P_SYSCALL) || stop_p(pp, P_IDLE))
			continue;
		if (pp->m != NULL && pp->m->idle)
			stop_p(pp, P_RUNNING);  /* asleep: it checks gcwaiting first */
	}
	spin_unlock(&sched.lock);
	for (int i = 0; i < sched.gomaxprocs; i++) {
		struct m *other = ps[i].m;
		if (other != NULL && other != mp && atomic_load(&ps[i].status) != P_GCSTOP)
			hal_ipi_send(other->id);
	}
	uint64_t start = hal_nanotime();
	/* Sleep until the last p's IPI (or this hart's next tick). */
	while (atomic_load(&sched.stopwait) > 0) {
		if (hal_nanotime() - start > STW_TIMEOUT_NS) {
			for (int i = 0; i < sched.gomaxprocs; i++)
				if (atomic_load(&ps[i].status) != P_GCSTOP)
					print_fmt("runtime: stop the world (%s): p %d on cpu %d "
						  "did not stop\n", reason, i,
						  ps[i].m ? ps[i].m->id : -1);
			throw("stop the world: a cpu did not stop (interrupts masked?)");
		}
		hal_wait_for_interrupt();
		hal_irq_enable();
		hal_irq_save();
	}
	hal_irq_restore(s);
}

void start_the_world(void)
{
	struct m *mp = getm();
	uintptr_t s = hal_irq_save();
	spin_lock(&sched.lock);
	for (int i = 0; i < sched.gomaxprocs; i++) {
		struct p *pp = &ps[i];
		bool onlist = false;
		for (struct p *q = sched.pidle; q != NULL; q = q->link)
			onlist |= q == pp;
		struct g *cur = pp->m ? pp->m->curg : NULL;
		bool insyscall = cur != NULL && readgstatus(cur) == G_SYSCALL;
		atomic_store(&pp->status, onlist || pp->m == NULL ? P_IDLE :
					  insyscall ? P_SYSCALL : P_RUNNING);
		if (pp->m == NULL && !onlist)
			pidleput(pp);
	}
	sched.stopper = NULL;
	atomic_store(&sched.gcwaiting, false);
	spin_unlock(&sched.lock);
	for (int i = 0; i < hal_ncpu(); i++)
		if (i != mp->id && hart_online(i))
			hal_ipi_send(i);
	hal_irq_restore(s);
	atomic_store(&worldsema, 0);
	releasem(mp);
	wakep();
}

/* ---- Changing GOMAXPROCS (world stopped) ---- */

/* Take pp off the idle list if it is there.  Under sched.lock. */
static void pidleremove(struct p *pp)
{
	for (struct p **q = &sched.pidle; *q != NULL; q = &(*q)->link) {
		if (*q == pp) {
			*q = pp->link;
			pp->link = NULL;
			atomic_fetch_sub(&sched.npidle, 1);
			return;
		}
	}
}

/*
 * procresize: make n p's (1 <= n <= harts).  New p's go to a hart
 * without one, or to the idle list.  A p that goes away hands its
 * goroutines to the global queue, its timers to p 0, its dead g's to the
 * shared list and its cached spans back to mcentral; its hart is left
 * without a p.  If that is the caller's, it takes a surviving p from the
 * (stopped) hart holding it.  The world is stopped.  Go's procresize.
 */
void procresize(int n)
{
	struct m *self = getm();
	int old = sched.gomaxprocs;
	uintptr_t s = hal_irq_save();
	spin_lock(&sched.lock);
	for (int i = old; i < n; i++) {         /* grow */
		struct p *pp = &ps[i];
		pp->m = NULL;
		struct m *mp = &ms[i];
		if (hart_online(i) && mp->p == NULL)
			acquirep(mp, pp);
		else
			pidleput(pp);
		atomic_store(&pp->status, P_GCSTOP);
	}
	for (int i = n; i < old; i++) {         /* shrink */
		struct p *pp = &ps[i];
		bool inherit;
		struct g *gp;
		spin_unlock(&sched.lock);
		while ((gp = runqget(pp, &inherit)) != NULL)
			globrunqput(gp);
		spin_lock(&pp->timerslock);
		struct timer *tv = pp->timers;
		int nt = pp->ntimers;
		pp->timers = NULL;
		pp->ntimers = pp->timerscap = 0;
		atomic_store(&pp->timer0when, 0);
		spin_unlock(&pp->timerslock);
		for (int k = 0; k < nt; k++)
			addtimer(&ps[0], tv[k]);
		free(tv);
		mcache_release_all(pp->mcache);
		spin_lock(&sched.lock);
		while (pp->gfree != NULL) {
			struct g *g1 = pp->gfree;
			pp->gfree = g1->schedlink;
			g1->schedlink = sched.gfree;
			sched.gfree = g1;
			sched.gfreecnt++;
		}
		pp->gfreecnt = 0;
		pidleremove(pp);
		if (pp->m != NULL)
			releasep(pp->m);
		atomic_store(&pp->status, P_DEAD);
	}
	sched.gomaxprocs = n;
	if (self->p == NULL) {
		/* Ours went away: take p 0 from whoever holds it (stopped). */
		struct p *pp = &ps[0];
		pidleremove(pp);
		if (pp->m != NULL)
			releasep(pp->m);
		acquirep(self, pp);
		atomic_store(&pp->status, P_GCSTOP);
	}
	spin_unlock(&sched.lock);
	hal_irq_restore(s);
}
