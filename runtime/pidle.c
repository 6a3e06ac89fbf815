/*
 * pidle.c - idle p's and idle harts.
 *
 * Which hart holds which p (acquirep, releasep), the list of p's no
 * hart holds (sched.pidle), handing a p to another hart (handoffp from a
 * blocking section, handover_p to a hart with a pinned goroutine), and
 * waking an idle hart when work appears (wakep).  And the question every
 * hart asks before it sleeps: is there any work (any_work), and if every
 * hart is asleep, can anything ever wake one again (checkdead)?
 *
 * The scheduler's loop itself is in proc.c; docs/scheduler.md section 6
 * tells the story.
 *
 * Go: runtime/proc.go (acquirep, releasep, pidleput, pidleget, handoffp,
 * wakep, checkdead).
 */
#include "proc.h"

#include "mm/mheap.h"
#include "panic.h"

/* ---- Who holds which p ---- */

/*
 * acquirep / releasep: hart mp takes / gives up p pp.  The hart's
 * allocation cache follows the p (hart_self()->mcache is what the
 * allocator's fast path reads); without a p the hart uses its own.
 */
void acquirep(struct m *mp, struct p *pp)
{
	ASSERT(mp->p == NULL && pp->m == NULL, "acquirep: already held");
	mp->p = pp;
	pp->m = mp;
	pp->status = P_RUNNING;
	harts[mp->id].mcache = pp->mcache;
}

void releasep(struct m *mp)
{
	struct p *pp = mp->p;
	harts[mp->id].mcache = &mcaches[CONFIG_MAXCPU + mp->id];
	pp->m = NULL;
	mp->p = NULL;
}

/* The idle-p list (Go's sched.pidle), under sched.lock. */
void pidleput(struct p *pp)
{
	pp->status = P_IDLE;
	pp->link = sched.pidle;
	sched.pidle = pp;
	atomic_fetch_add(&sched.npidle, 1);
}

struct p *pidleget(void)
{
	struct p *pp = sched.pidle;
	if (pp != NULL) {
		sched.pidle = pp->link;
		pp->link = NULL;
		atomic_fetch_sub(&sched.npidle, 1);
	}
	return pp;
}

/* An idle hart holding no p, other than self; under sched.lock. */
static struct m *idle_m_without_p(struct m *self)
{
	for (int i = 0; i < hal_ncpu(); i++) {
		struct m *mp = &ms[i];
		if (mp != self && hart_online(i) && mp->p == NULL && mp->idle &&
		    !mp->spinning)
			return mp;
	}
	return NULL;
}

bool p_has_work(struct p *pp)
{
	return !runqempty(pp) || atomic_load_explicit(&pp->timer0when, memory_order_relaxed) != 0 ||
	       atomic_load_explicit(&sched.runqsize, memory_order_relaxed) > 0;
}

/*
 * handover_p: a hart without a p has a pinned goroutine to run (wantp).
 * Give it this hart's p; this hart goes idle without one.  True if it
 * did.  Interrupts masked.
 */
bool handover_p(struct m *mp)
{
	spin_lock(&sched.lock);
	struct m *to = NULL;
	for (int i = 0; i < hal_ncpu() && to == NULL; i++)
		if (ms[i].wantp && ms[i].p == NULL)
			to = &ms[i];
	if (to == NULL) {
		spin_unlock(&sched.lock);
		return false;
	}
	to->wantp = false;
	atomic_fetch_sub(&sched.nwantp, 1);
	struct p *pp = mp->p;
	releasep(mp);
	acquirep(to, pp);
	spin_unlock(&sched.lock);
	hal_ipi_send(to->id);
	return true;
}

/*
 * handoffp: pp's hart is stuck in a blocking section.  If pp has work and
 * an idle hart without a p exists, give pp to it and wake it; otherwise
 * put pp on the idle list, where a hart that finds work takes it.
 * Go's handoffp.  Under sched.lock.
 */
void handoffp(struct p *pp)
{
	struct m *mp = p_has_work(pp) ? idle_m_without_p(getm()) : NULL;
	if (mp != NULL) {
		acquirep(mp, pp);
		hal_ipi_send(mp->id);
		return;
	}
	pidleput(pp);
}

/* ---- Waking idle harts ---- */

/*
 * wakep: there is work someone could steal.  If no hart is already
 * looking (spinning) and some p is idle, wake its hart; it will steal.
 * Go's wakep.  Any thread context.
 */
void wakep(void)
{
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&sched.npidle, memory_order_relaxed) == 0 || atomic_load_explicit(&sched.nmspinning, memory_order_relaxed) != 0)
		return;
	int32_t zero = 0;
	if (!atomic_compare_exchange_strong(&sched.nmspinning, &zero, 1))
		return;
	struct m *self = getm();
	spin_lock(&sched.lock);
	/* Start somewhere random, so every idle hart gets its turn. */
	int n = sched.gomaxprocs, start = (int)(fastrand() % (uint32_t)n);
	for (int k = 0; k < n; k++) {
		struct m *mp = ps[(start + k) % n].m;
		if (mp != NULL && mp != self && mp->idle && !mp->spinning) {
			mp->spinning = true;    /* it counts as the spinner */
			spin_unlock(&sched.lock);
			hal_ipi_send(mp->id);
			return;
		}
	}
	/* An idle p with no hart (handed off): wake a hart without a p. */
	struct m *mp = sched.pidle != NULL ? idle_m_without_p(self) : NULL;
	if (mp != NULL) {
		mp->spinning = true;
		spin_unlock(&sched.lock);
		hal_ipi_send(mp->id);
		return;
	}
	spin_unlock(&sched.lock);
	atomic_fetch_sub(&sched.nmspinning, 1);
}

bool any_work(struct m *mp)
{
	if (atomic_load_explicit(&sched.gcwaiting, memory_order_relaxed))
		return atomic_load_explicit(&hart_self()->call_fn, memory_order_acquire) != NULL;
	if (mp->lockedq_head != NULL || atomic_load_explicit(&sched.runqsize, memory_order_relaxed) > 0 ||
	    atomic_load_explicit(&sched.intrready, memory_order_relaxed) != NULL)
		return true;
	for (int i = 0; i < sched.gomaxprocs; i++)
		if (!runqempty(&ps[i]))
			return true;
	struct p *pp = mp->p;
	if (pp != NULL) {
		int64_t t0 = atomic_load_explicit(&pp->timer0when, memory_order_relaxed);
		if (t0 != 0 && t0 <= (int64_t)hal_nanotime())
			return true;
	}
	return atomic_load_explicit(&hart_self()->call_fn, memory_order_acquire) != NULL;
}

/*
 * checkdead: called by the last hart to go idle, under sched.lock.  If
 * no goroutine can ever become runnable again, that is a deadlock.
 * Go's checkdead.
 */
void checkdead(void)
{
	if (!sched.started)
		return;
	int online = 0;
	for (int i = 0; i < hal_ncpu(); i++)
		online += hart_online(i);
	if ((int)sched.nmidle < online)
		return;
	if (atomic_load(&sched.nsyscall) > 0 || atomic_load_explicit(&sched.runqsize, memory_order_relaxed) > 0 ||
	    atomic_load(&sched.nintrwait) > 0 || atomic_load(&sched.intrready) != NULL)
		return;
	for (int i = 0; i < online; i++) {
		if (ms[i].lockedq_head != NULL || hal_ncpu() == 0)
			return;
		if (atomic_load_explicit(&harts[i].call_fn, memory_order_acquire))
			return;
	}
	for (int i = 0; i < sched.gomaxprocs; i++)
		if (!runqempty(&ps[i]) || atomic_load_explicit(&ps[i].timer0when, memory_order_relaxed) != 0)
			return;
	spin_unlock(&sched.lock);
	sched_deadlock();
}

_Noreturn void sched_deadlock(void)
{
	throw("all goroutines are asleep - deadlock!");
}
