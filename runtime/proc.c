/*
 * proc.c - the scheduler: goroutines on every hart.
 *
 * Go's scheduler (runtime/proc.go) with harts for threads.  The pieces:
 *
 *   newproc     go(fn, arg): a g (a dead one reused, with its stack, or a
 *               new one), made runnable in runnext of this hart's p.
 *   schedule    pick the next g for this p (findrunnable): every 61st
 *               time the global queue first (so it cannot starve), then
 *               timers that are due, runnext and the local queue, the
 *               global queue, and finally stealing half of another p's
 *               queue, in random order.
 *   switch_to   leave the current g for the chosen one.  Go switches
 *               through g0 (mcall: g -> g0 -> g'); we switch directly
 *               (g -> g') and let the g we arrive in finish the job for
 *               the one we left: put it on a run queue, or unlock what it
 *               parked on, or free it.  Until the switch is complete the
 *               old g is on no queue, so no other hart can start running
 *               it while we are still on its stack.  That is what g0 is
 *               for in Go; finish_switch does it without the extra switch.
 *   gopark      block the running g (status waiting) until goready.
 *   idle        a hart with nothing to run goes back to its g0 loop
 *               (mstart) and sleeps in wait-for-interrupt; wakep sends
 *               an IPI to an idle hart when work appears.  When every
 *               hart is idle and nothing can ever wake one (no timers, no
 *               blocking sections), that is a deadlock: fatal.
 *   preemption  cooperative at gosched/gopark/channel and lock calls, and
 *               asynchronous from the timer interrupt (sysmon.c): a g that has run
 *               for 10 ms (the preempt= bootarg) without the p scheduling
 *               anything else is switched out right inside the interrupt
 *               handler.  Its registers are in the trap frame on its own
 *               stack, so it later resumes exactly where it was.  It goes
 *               to the global queue (as Go's preempted goroutines do).
 *               Never while the hart holds a spinlock or the m has
 *               preemption disabled (m->locks): then g->preempt is set
 *               and the g yields at the next safe point (releasem), or
 *               at the next tick.
 *
 * Interrupts are masked on this hart from the moment a switch starts
 * until the g we arrive in has finished for the one we left (and for as
 * long as any code here touches the m's hand-off fields).
 *
 * The rest of the scheduler: gstatus.c (casgstatus), runq.c (run
 * queues), time.c (timers), sysmon.c (the tick: preemption, blocking
 * sections), stw.c (stop-the-world, GOMAXPROCS), pidle.c (who holds
 * which p, waking idle harts, the deadlock check), traceback.c (dumps),
 * schedinit.c (start-up and the main goroutine).
 *
 * Go: proc.go (newproc, schedule, findrunnable, execute, gopark, goready,
 * gosched, goexit), runtime2.go
 * (g, m, p, schedt), preempt.go (asynchronous preemption).
 */
#include "proc.h"

#include <string.h>

#include "bootargs.h"
#include "gohart.h"
#include "mm/mheap.h"
#include "panic.h"
#include "print.h"

struct schedt sched = {
	.lock = SPINLOCK_INIT_RANK("sched.lock", LOCK_RANK_SCHED),
	.sudoglock = SPINLOCK_INIT_RANK("sched.sudog", LOCK_RANK_SUDOG),
};
struct m ms[CONFIG_MAXCPU];
struct p ps[CONFIG_MAXCPU];


/* ---- Stacks ---- */

/*
 * A goroutine whose stack canary is gone has overflowed its stack.  At
 * every switch only the canary's top word (the first an overflow
 * overwrites) and its bottom one; the whole canary at each tick.
 */
static inline bool canary_quick_ok(const struct g *gp)
{
	const uint64_t *w = (const uint64_t *)gp->stack.lo;
	return gp->stack.lo == 0 ||
	       (w[STACK_CANARY_WORDS - 1] == STACK_CANARY && w[0] == STACK_CANARY);
}

__attribute__((noinline)) void check_stack_full(struct g *gp)
{
	if (gp->stack.lo == 0 || stack_canary_ok(gp->stack))
		return;
	print_fmt("runtime: goroutine %ld stack [%#lx, %#lx) overflowed: the canary "
		  "at its low end is overwritten\n", (long)gp->goid,
		  (unsigned long)gp->stack.lo, (unsigned long)gp->stack.hi);
	throw("stack overflow");
}

static inline void check_stack(struct g *gp)
{
	if (!canary_quick_ok(gp))
		check_stack_full(gp);
}

/* ---- Ready goroutines ---- */

/*
 * wakep_check: new work was just queued; wake an idle hart to steal it if
 * one is idle and none is already looking.  The fence orders our queue
 * store before the load of npidle; a hart going idle does the mirror
 * image (npidle, fence, queues), so one of the two sees the other.
 */
static inline void wakep_check(void)
{
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&sched.npidle, memory_order_relaxed) != 0)
		wakep();
}

/*
 * Put gp on the queue it belongs on: its pinned m's private queue (no
 * other hart may take it), else pp's (next: into runnext), else, with no
 * p, the global queue.
 */
/* runqput_next's rarer case, out of line: the g it displaced. */
static __attribute__((noinline)) void runnext_displaced(struct p *pp, struct g *old)
{
	runqput(pp, old, false);
	wakep_check();
}

/*
 * ready_put's common case, inline: gp into pp's runnext (the g there
 * moves to the ring), and maybe wake a hart to steal.  Both ends are
 * tail calls, so a caller that ends with it needs no frame for it.
 */
static inline void runqput_next(struct p *pp, struct g *gp)
{
	struct g *old = atomic_exchange_explicit(&pp->runnext, gp, memory_order_acq_rel);
	if (old != NULL) {
		runnext_displaced(pp, old);
		return;
	}
	wakep_check();
}

static void ready_put(struct p *pp, struct g *gp, bool next)
{
	struct m *lm = gp->lockedm;
	if (lm != NULL) {
		spin_lock(&lm->lockedq_lock);
		gp->schedlink = NULL;
		if (lm->lockedq_tail)
			lm->lockedq_tail->schedlink = gp;
		else
			lm->lockedq_head = gp;
		lm->lockedq_tail = gp;
		spin_unlock(&lm->lockedq_lock);
		if (lm != getm() && lm->idle)
			hal_ipi_send(lm->id);
		return;
	}
	if (pp == NULL) {
		globrunqput(gp);
		wakep();
		return;
	}
	runqput(pp, gp, next);
	wakep_check();
}

static struct g *lockedq_get(struct m *mp)
{
	if (mp->lockedq_head == NULL)
		return NULL;
	spin_lock(&mp->lockedq_lock);
	struct g *gp = mp->lockedq_head;
	if (gp) {
		mp->lockedq_head = gp->schedlink;
		if (mp->lockedq_head == NULL)
			mp->lockedq_tail = NULL;
		gp->schedlink = NULL;
	}
	spin_unlock(&mp->lockedq_lock);
	return gp;
}

/* goready's slow halves, out of line so that goready_irqoff needs no frame. */
static __attribute__((noinline)) void ready_put_next(struct p *pp, struct g *gp)
{
	ready_put(pp, gp, true);
}

/*
 * goready_irqoff: goready for callers that have interrupts masked (the
 * channel and semaphore paths, right after their unlock).  The common
 * case - gp into runnext, nothing displaced, no idle hart - calls
 * nothing; each other case is a tail call.
 */
FAST_ENTRY void goready_irqoff(struct g *gp)
{
	struct m *mp = getm();
	struct p *pp = mp->p;
	casgstatus(gp, G_WAITING, G_RUNNABLE);
	if (gp->lockedm != NULL || pp == NULL) {
		ready_put_next(pp, gp);
		return;
	}
	runqput_next(pp, gp);
}

/* goready: gp (waiting) becomes runnable, next to run on this p. */
void goready(struct g *gp)
{
	uintptr_t s = hal_irq_save();
	goready_irqoff(gp);
	hal_irq_restore(s);
}

/* Queue what interrupt handlers readied (goready_intr, chan.c). */
static void inject_intrready(struct p *pp)
{
	struct g *gp = atomic_exchange_explicit(&sched.intrready, NULL, memory_order_acquire);
	while (gp != NULL) {
		struct g *next = gp->schedlink;
		gp->schedlink = NULL;
		casgstatus(gp, G_WAITING, G_RUNNABLE);
		ready_put(pp, gp, false);
		gp = next;
	}
}

/* ---- Switching ---- */

/*
 * gfput: keep a dead g, with its stack, for reuse (Go's gFree lists): on
 * its p's list, which spills half to the shared list at GFREE_MAX.
 */
#define GFREE_MAX 64
static void gfput_slow(struct p *pp, struct g *gp);
static inline __attribute__((always_inline)) void gfput(struct p *pp, struct g *gp)
{
	ASSERT(readgstatus(gp) == G_DEAD, "gfput: g not dead");
	if (pp == NULL || pp->gfreecnt >= GFREE_MAX - 1) {
		gfput_slow(pp, gp);
		return;
	}
	gp->schedlink = pp->gfree;
	pp->gfree = gp;
	pp->gfreecnt++;
}

/*
 * finish_switch: runs first thing in the context we arrived in, for the
 * g we left (m->prevg).  Interrupts masked.  The yield's case (a lock to
 * release) is inline; the rest is finish_switch_slow.
 */
static void finish_switch_slow(struct m *mp, enum switch_action a)
{
	struct g *prev = mp->prevg;
	switch (a) {
	case SW_NONE:
	case SW_SCHED_UNLOCK:
	case SW_PARK_UNLOCK:
	case SW_DEAD:
		break;
	case SW_RUNQ_LOCAL:
		ready_put(mp->p, prev, false);
		break;
	case SW_RUNQ_GLOBAL:
		if (prev->lockedm != NULL) {
			ready_put(mp->p, prev, false);
		} else {
			globrunqput(prev);
			wakep();
		}
		break;
	case SW_PARK:
		/* The unlock function said no: prev runs again. */
		casgstatus(prev, G_WAITING, G_RUNNABLE);
		ready_put(mp->p, prev, true);
		break;
	}
}

static inline __attribute__((always_inline)) void finish_switch(void)
{
	struct m *mp = getm();
	enum switch_action a = mp->prevaction;
	if (a == SW_NONE)
		return;
	mp->prevaction = SW_NONE;
	if (a == SW_PARK_UNLOCK) {
		spin_unlock_irqoff(mp->unlockarg);
		return;
	}
	if (a == SW_SCHED_UNLOCK) {
		spin_unlock(&sched.lock);
		if (atomic_load_explicit(&sched.npidle, memory_order_relaxed) != 0)
			wakep();
		return;
	}
	if (a == SW_DEAD) {
		gfput(mp->p, mp->prevg);
		return;
	}
	if (a == SW_PARK) {
		bool (*f)(struct g *, void *) = mp->unlockf;
		mp->unlockf = NULL;
		if (f == NULL || f(mp->prevg, mp->unlockarg))
			return;
	}
	finish_switch_slow(mp, a);
}

/*
 * switch_to: leave the running g for next (runnable, or this m's g0),
 * telling the next context to do `action` with the one we leave.  Returns
 * when something switches back to the g we left, possibly on another hart.
 * Interrupts masked.
 */
static inline __attribute__((always_inline)) void switch_to(struct g *next,
							     enum switch_action action)
{
	struct m *mp = getm();
	struct g *prev = mp->curg;
	check_stack(prev);
	if (next != &mp->g0) {
		casgstatus(next, G_RUNNABLE, G_RUNNING);
		next->m = mp;
	}
	prev->m = NULL;
	mp->prevg = prev;
	mp->prevaction = action;
	mp->curg = next;
	hal_context_switch(&prev->sched, &next->sched);
	finish_switch();
}

/* The running g leaves for this hart's g0 (for sysmon.c's exitsyscall). */
void switch_to_g0(enum switch_action action)
{
	switch_to(&getm()->g0, action);
}

/* ---- Finding work ---- */

static void resetspinning(struct m *mp);

/*
 * steal: try every other p in random order (four passes, as Go), taking
 * half its queue; on the last pass also its runnext, and run its timers.
 */
static struct g *stealwork(struct m *mp, struct p *pp, int64_t now)
{
	int n = sched.gomaxprocs;
	if (n <= 1)
		return NULL;
	for (int pass = 0; pass < 4; pass++) {
		bool last = pass == 3;
		uint32_t start = fastrand() % (uint32_t)n;
		/* Any step coprime with n visits every p once (Go's randomOrder). */
		uint32_t step = 1;
		for (uint32_t c = fastrand() % (uint32_t)n + 1; c <= (uint32_t)n; c++) {
			uint32_t a = c, b = (uint32_t)n;
			while (b) { uint32_t t = a % b; a = b; b = t; }
			if (a == 1) { step = c; break; }
		}
		for (int i = 0; i < n; i++) {
			struct p *victim = &ps[(start + (uint32_t)i * step) % (uint32_t)n];
			if (victim == pp)
				continue;
			if (last &&
			    atomic_load_explicit(&victim->timer0when, memory_order_relaxed) != 0 &&
			    atomic_load_explicit(&victim->timer0when, memory_order_relaxed) <= now) {
				checktimers(victim, now);
				bool inherit;
				struct g *gp = runqget(pp, &inherit);
				if (gp)
					return gp;
			}
			struct g *gp = runqsteal(pp, victim, last);
			if (gp) {
				mp->nsteal++;
				return gp;
			}
		}
	}
	return NULL;
}

/*
 * findrunnable: the next g for this m's p, or NULL when there is none.
 * Never sleeps (the idle loop does).  *inherit: gp came from runnext and
 * keeps the current time slice.  Interrupts masked.
 */
static struct g *findrunnable(struct m *mp, struct p *pp, bool *inherit)
{
	struct g *gp;
	*inherit = false;
	/* It takes the scheduler's locks and runs timers: no lock may be
	   held here (schedule sends a parking g's lock through g0). */
	ASSERT(spin_cpu[mp->id].held == 0, "findrunnable: called holding a lock");
	if (atomic_load_explicit(&sched.gcwaiting, memory_order_relaxed)) {
		if (pp != NULL)
			gcstopm(pp);
		return NULL;
	}
	if (pp == NULL) {
		/*
		 * No p, so no goroutine may run here, not even one pinned to
		 * this hart.  Take an idle p if there is work for it, or for a
		 * pinned goroutine; failing that, ask a hart holding one to
		 * hand it over (wantp: Go's startlockedm, the other way round).
		 */
		bool pinned = mp->lockedq_head != NULL;
		if (!pinned && sched.pidle == NULL)
			return NULL;
		spin_lock(&sched.lock);
		for (struct p *q = sched.pidle; q != NULL; q = q->link) {
			if (pinned || p_has_work(q)) {
				pp = pidleget();
				break;
			}
		}
		if (pp == NULL && pinned && !mp->wantp) {
			mp->wantp = true;
			atomic_fetch_add(&sched.nwantp, 1);
		}
		spin_unlock(&sched.lock);
		if (pp == NULL) {
			if (pinned)             /* wake the p holders to hand over */
				for (int i = 0; i < sched.gomaxprocs; i++)
					if (ps[i].m != NULL && ps[i].m->idle)
						hal_ipi_send(ps[i].m->id);
			return NULL;
		}
		acquirep(mp, pp);
	}
	if (atomic_load_explicit(&sched.intrready, memory_order_relaxed) != NULL)
		inject_intrready(pp);
	if ((gp = lockedq_get(mp)) != NULL)
		return gp;
	if (atomic_load_explicit(&sched.nwantp, memory_order_relaxed) > 0 && handover_p(mp))
		return NULL;
	/*
	 * Timers first: a sleeper whose time has come runs before the queue.
	 * (No gopark is under way here: schedule leaves a parking g's lock
	 * to g0 before it looks for work, so a timer's function may take
	 * any lock, even that of the channel the g parked on.)
	 */
	int64_t now = 0;
	int64_t t0 = atomic_load_explicit(&pp->timer0when, memory_order_relaxed);
	if (t0 != 0) {
		now = (int64_t)hal_nanotime();
		if (t0 <= now)
			checktimers(pp, now);
	}
	/* Fairness: every 61st schedule looks at the global queue first. */
	if (pp->schedtick % 61 == 0 && atomic_load_explicit(&sched.runqsize, memory_order_relaxed) > 0) {
		gp = globrunqget(pp, 1);
		if (gp)
			return gp;
	}
	if ((gp = runqget(pp, inherit)) != NULL)
		return gp;
	if (atomic_load_explicit(&sched.runqsize, memory_order_relaxed) > 0 && (gp = globrunqget(pp, 0)) != NULL)
		return gp;
	/*
	 * Steal, but not with too many harts already at it: spinning harts
	 * are bounded to half the busy p's (Go's findrunnable).
	 */
	int busy = sched.gomaxprocs - atomic_load_explicit(&sched.npidle, memory_order_relaxed);
	if (mp->spinning || 2 * atomic_load_explicit(&sched.nmspinning, memory_order_relaxed) < busy) {
		if (!mp->spinning) {
			mp->spinning = true;
			atomic_fetch_add(&sched.nmspinning, 1);
		}
		if (now == 0)
			now = (int64_t)hal_nanotime();
		gp = stealwork(mp, pp, now);
		if (gp)
			return gp;
	}
	return NULL;
}

/* A spinning m found work: stop spinning, and maybe wake another. */
static void resetspinning(struct m *mp)
{
	if (!mp->spinning)
		return;
	mp->spinning = false;
	if (atomic_fetch_sub(&sched.nmspinning, 1) == 1)
		wakep();
}

/* Start running gp (already taken off its queue). */
static inline __attribute__((always_inline)) void execute(struct m *mp, struct g *gp, bool inherit, enum switch_action a)
{
	struct p *pp = mp->p;
	if (!inherit && pp != NULL)
		pp->schedtick++;
	resetspinning(mp);
	switch_to(gp, a);
}

/*
 * sched_plain: nothing but the run queues needs a look before the next g
 * is picked - no stop-the-world, no hart waiting for a p, no goroutine
 * pinned to this m, no timer due on this p (one pending but not yet due
 * is no reason: findrunnable would pass it by too; it costs a clock
 * read).  Then the head of findrunnable's ladder is just runqget, and
 * schedule and gosched take it inline.
 */
static inline bool sched_plain(struct m *mp, struct p *pp)
{
	if (pp == NULL || mp->lockedq_head != NULL ||
	    atomic_load_explicit(&sched.intrready, memory_order_relaxed) != NULL ||
	    atomic_load_explicit(&sched.gcwaiting, memory_order_relaxed) ||
	    atomic_load_explicit(&sched.nwantp, memory_order_relaxed) != 0)
		return false;
	int64_t t0 = atomic_load_explicit(&pp->timer0when, memory_order_relaxed);
	return t0 == 0 || t0 > (int64_t)hal_nanotime();
}

/* The 61st-tick rule says the global queue goes first this time. */
static inline bool global_turn(struct p *pp)
{
	return pp->schedtick % 61 == 0 &&
	       atomic_load_explicit(&sched.runqsize, memory_order_relaxed) > 0;
}

/*
 * schedule: the running g (no longer runnable) leaves the hart for the
 * next one, or for this hart's g0 when there is none; `a` says what
 * becomes of it.  Interrupts masked.  Go's schedule.
 *
 * A parking g may still hold the lock its unlock function releases (a
 * channel's, a semaphore root's).  Taking the next g from the run queue
 * needs no lock, so that case switches straight to it; but findrunnable
 * takes the scheduler's locks and runs due timers, and a timer may send
 * on the very channel whose lock we hold.  So a park that finds nothing
 * in the run queue goes to g0 first, which releases the lock and then
 * looks for work - the order Go's park_m always uses.
 */
static void schedule(struct m *mp, enum switch_action a)
{
	struct p *pp = mp->p;
	bool inherit;
	struct g *next = NULL;
	if (sched_plain(mp, pp) && !global_turn(pp))
		next = runqget(pp, &inherit);
	bool locked = a == SW_PARK_UNLOCK || (a == SW_PARK && mp->unlockf != NULL);
	if (next == NULL && !locked)
		next = findrunnable(mp, pp, &inherit);
	if (next != NULL)
		execute(mp, next, inherit, a);
	else
		switch_to(&mp->g0, a);
}

/* ---- Creating and ending goroutines ---- */

static void gostart(void *arg);

static __attribute__((noinline)) struct g *malg(size_t stacksize)
{
	struct g *gp = gc_new(struct g);
	gp->stack = stack_alloc(stacksize);
	atomic_store(&gp->atomicstatus, G_IDLE);
	casgstatus(gp, G_IDLE, G_DEAD);
	spin_lock(&sched.lock);
	gp->alllink = sched.allgs;
	sched.allgs = gp;
	spin_unlock(&sched.lock);
	return gp;
}

/* gfput's other cases: no p (the shared list), or a full p list. */
/*
 * Dead g's on the shared list keep their stacks only up to this many;
 * beyond it the stacks go back to the heap (Go frees them at the next
 * GC; with no collector yet, here).  gfget gives a g without one a new
 * stack.
 */
#define GFREE_STACKS_MAX 256

static void gfput_slow(struct p *pp, struct g *gp)
{
	struct stack tofree[GFREE_MAX / 2 + 1];
	int nfree = 0;
	if (pp != NULL) {
		gp->schedlink = pp->gfree;
		pp->gfree = gp;
		pp->gfreecnt++;
	}
	spin_lock(&sched.lock);
	/* Without a p, gp itself; else half the p's list. */
	while (pp == NULL ? gp != NULL : pp->gfreecnt >= GFREE_MAX / 2) {
		struct g *g1 = gp;
		if (pp != NULL) {
			g1 = pp->gfree;
			pp->gfree = g1->schedlink;
			pp->gfreecnt--;
		} else {
			gp = NULL;
		}
		if (sched.gfreecnt >= GFREE_STACKS_MAX && g1->stack.lo != 0) {
			tofree[nfree++] = g1->stack;
			g1->stack = (struct stack){ 0, 0 };
		}
		g1->schedlink = sched.gfree;
		sched.gfree = g1;
		sched.gfreecnt++;
	}
	spin_unlock(&sched.lock);
	for (int i = 0; i < nfree; i++)
		stack_free(tofree[i]);
}

/* Refill pp's empty free list from the shared one. */
static __attribute__((noinline)) void gfget_refill(struct p *pp)
{
	spin_lock(&sched.lock);
	while (pp->gfreecnt < GFREE_MAX / 2 && sched.gfree != NULL) {
		struct g *g1 = sched.gfree;
		sched.gfree = g1->schedlink;
		sched.gfreecnt--;
		g1->schedlink = pp->gfree;
		pp->gfree = g1;
		pp->gfreecnt++;
	}
	spin_unlock(&sched.lock);
}

static inline struct g *gfget(struct p *pp)
{
	if (pp->gfree == NULL && sched.gfree != NULL)
		gfget_refill(pp);
	struct g *gp = pp->gfree;
	if (gp != NULL) {
		pp->gfree = gp->schedlink;
		pp->gfreecnt--;
		gp->schedlink = NULL;
	}
	return gp;
}

/*
 * A new goroutine id.  Go's goidcache: each p takes a batch of 16 from
 * sched.goidgen, so creating goroutines on many harts does not fight over
 * one counter.  Ids stay unique; across p's they are not in order.
 */
#define GOID_BATCH 16
static int64_t newgoid(struct p *pp)
{
	if (pp == NULL)
		return atomic_fetch_add(&sched.goidgen, 1) + 1;
	if (pp->goidcache == pp->goidcacheend) {
		pp->goidcache = atomic_fetch_add(&sched.goidgen, GOID_BATCH) + 1;
		pp->goidcacheend = pp->goidcache + GOID_BATCH;
	}
	return pp->goidcache++;
}

struct g *newproc1(void (*fn)(void *), void *arg, uintptr_t callerpc,
		   size_t stacksize, struct m *lockto)
{
	struct m *mp = acquirem();
	struct p *pp = mp->p;
	struct g *gp = NULL;
	if (pp != NULL && stacksize == STACK_DEFAULT_SIZE)
		gp = gfget(pp);
	if (gp == NULL)
		gp = malg(stacksize);
	else if (gp->stack.lo == 0)
		gp->stack = stack_alloc(stacksize);     /* its stack was freed */
	struct g *parent = mp->curg;
	gp->fn = fn;
	gp->arg = arg;
	gp->startpc = (uintptr_t)fn;
	gp->gopc = callerpc;
	gp->parentgoid = parent != NULL ? parent->goid : 0;
	gp->waitreason = WAIT_ZERO;
	gp->preempt = false;
	gp->main = false;
	gp->lockedm = lockto;
	gp->lockedext = 0;
	gp->lockedint = lockto != NULL;
	gp->param = NULL;
	gp->goid = newgoid(pp);
	hal_context_init(&gp->sched, (void *)gp->stack.lo, (void *)gp->stack.hi,
			 gostart, gp);
	atomic_fetch_add_explicit(&sched.ngoroutines, 1, memory_order_relaxed);
	casgstatus(gp, G_DEAD, G_RUNNABLE);
	uintptr_t s = hal_irq_save();
	if (lockto == NULL && pp != NULL)
		runqput_next(pp, gp);
	else
		ready_put(pp, gp, true);
	hal_irq_restore(s);
	releasem(mp);
	return gp;
}

struct g *newproc(void (*fn)(void *), void *arg, uintptr_t callerpc)
{
	return newproc1(fn, arg, callerpc, STACK_DEFAULT_SIZE, NULL);
}

/* The first code of every goroutine. */
static void gostart(void *arg)
{
	finish_switch();
	hal_irq_enable();
	struct g *gp = arg;
	gp->fn(gp->arg);
	goexit();
}

_Noreturn void goexit(void)
{
	hal_irq_save();
	struct m *mp = getm();
	struct g *gp = mp->curg;
	ASSERT(gp != &mp->g0, "goexit: on g0");
	casgstatus(gp, G_RUNNING, G_DEAD);
	atomic_fetch_sub(&sched.ngoroutines, 1);
	gp->lockedm = NULL;
	schedule(mp, SW_DEAD);
	throw("goexit: dead goroutine resumed");
}

/* ---- Yielding, parking, preemption ---- */

/*
 * gosched_impl: the running g gives up the hart: it becomes runnable and
 * goes to the global queue (Go's goschedImpl; a pinned g to its m's
 * queue), and the next g runs.  If there is none, it simply goes on (it
 * would be picked again at once).
 */
void gosched_impl(void)
{
	uintptr_t s = hal_irq_save();
	struct m *mp = getm();
	struct g *gp = mp->curg;
	gp->preempt = false;
	bool inherit;
	struct g *next = findrunnable(mp, mp->p, &inherit);
	if (next != NULL) {
		casgstatus(gp, G_RUNNING, G_RUNNABLE);
		execute(mp, next, inherit, SW_RUNQ_GLOBAL);
	} else if (mp->p == NULL) {
		/* Our p went to a hart that needed it: wait for one. */
		casgstatus(gp, G_RUNNING, G_RUNNABLE);
		switch_to(&mp->g0, SW_RUNQ_GLOBAL);
	} else if (atomic_load(&mp->p->status) == P_GCSTOP) {
		/* Stopped for the world: wait on this p's queue. */
		casgstatus(gp, G_RUNNING, G_RUNNABLE);
		switch_to(&mp->g0, SW_RUNQ_LOCAL);
	} else {
		resetspinning(mp);
	}
	hal_irq_restore(s);
}

/*
 * gosched: Go's Gosched, the yield.  Most yields need none of
 * gosched_impl's cases: the g has a p, nothing is pinned, no timer is
 * pending, nobody is stopping the world or waiting for a p, and another
 * g is waiting.  Then the yield is one trip through sched.lock: the next
 * g comes off runnext or the local ring, or else off the global queue's
 * head, and the yielder goes on at the global queue's tail - the same
 * order findrunnable would pick, with the yielder already queued as in
 * Go.  The lock is held across the switch and released by the g we
 * arrive in (SW_SCHED_UNLOCK), so no other hart can take the yielder off
 * the queue while we are still on its stack.
 */
void gosched(void)
{
	uintptr_t s = hal_irq_save();
	struct m *mp = getm();
	struct p *pp = mp->p;
	struct g *gp = mp->curg;
	if (!sched_plain(mp, pp) || gp->lockedm != NULL)
		goto slow;
	struct g *next;
	bool inherit = false;
	if (atomic_load_explicit(&pp->runnext, memory_order_relaxed) != NULL ||
	    atomic_load_explicit(&pp->runqhead, memory_order_relaxed) !=
		    atomic_load_explicit(&pp->runqtail, memory_order_relaxed)) {
		/* The local queue, unless it is the global queue's turn. */
		if (global_turn(pp) || (next = runqget(pp, &inherit)) == NULL)
			goto slow;
		spin_lock(&sched.lock);
		gp->schedlink = NULL;
		if (sched.runqtail != NULL)
			sched.runqtail->schedlink = gp;
		else
			sched.runqhead = gp;
		sched.runqtail = gp;
		atomic_fetch_add_explicit(&sched.runqsize, 1, memory_order_relaxed);
	} else {
		/* The global queue: swap its head for the yielder. */
		if (atomic_load_explicit(&sched.runqsize, memory_order_relaxed) == 0)
			goto slow;
		spin_lock(&sched.lock);
		next = sched.runqhead;
		if (next == NULL) {
			spin_unlock(&sched.lock);
			goto slow;
		}
		gp->schedlink = NULL;
		if (next->schedlink != NULL) {
			sched.runqhead = next->schedlink;
			sched.runqtail->schedlink = gp;
		} else {
			sched.runqhead = gp;
		}
		sched.runqtail = gp;
		next->schedlink = NULL;
	}
	gp->preempt = false;
	casgstatus(gp, G_RUNNING, G_RUNNABLE);
	if (!inherit)
		pp->schedtick++;
	switch_to(next, SW_SCHED_UNLOCK);
	hal_irq_restore(s);
	return;
slow:
	hal_irq_restore(s);
	gosched_impl();
}

/*
 * goyield: like gosched, but the g goes to this p's own queue, behind
 * whatever was just readied into runnext (Go's goyield).  semrelease
 * uses it after handing a semaphore to a waiter, so the waiter runs now.
 */
void goyield(void)
{
	uintptr_t s = hal_irq_save();
	struct m *mp = getm();
	struct g *gp = mp->curg;
	if (mp->p == NULL || gp->lockedm != NULL ||
	    atomic_load_explicit(&mp->p->status, memory_order_relaxed) != P_RUNNING) {
		hal_irq_restore(s);
		gosched_impl();
		return;
	}
	gp->preempt = false;
	bool inherit;
	struct g *next = findrunnable(mp, mp->p, &inherit);
	if (next != NULL) {
		casgstatus(gp, G_RUNNING, G_RUNNABLE);
		execute(mp, next, inherit, SW_RUNQ_LOCAL);
	} else {
		resetspinning(mp);
	}
	hal_irq_restore(s);
}

/* releasem found a preemption request with the last lock gone. */
void releasem_slow(struct m *mp)
{
	if (mp->curg != &mp->g0 &&
	    spin_cpu[mp->id].held == 0 && hal_irq_enabled()) {
		mp->npreempt++;
		gosched_impl();
	}
}

/*
 * The running goroutine stops waiting for `reason`.  The wait's start is
 * the raw timer count (one instruction to read; the goroutine dump turns
 * it into minutes).  Interrupts masked.
 */
static inline void park_self(struct m *mp, enum wait_reason reason)
{
	struct g *gp = mp->curg;
	ASSERT(gp != &mp->g0, "gopark: on g0");
	gp->waitreason = (uint8_t)reason;
	gp->waitsince = (int64_t)hal_ticks();
	casgstatus(gp, G_RUNNING, G_WAITING);
}

void gopark(bool (*unlockf)(struct g *, void *), void *arg,
	    enum wait_reason reason)
{
	uintptr_t s = hal_irq_save();
	struct m *mp = getm();
	park_self(mp, reason);
	mp->unlockf = unlockf;
	mp->unlockarg = arg;
	schedule(mp, SW_PARK);
	hal_irq_restore(s);
}

void goparkunlock(struct spinlock *l, enum wait_reason reason)
{
	struct m *mp = getm();
	park_self(mp, reason);
	mp->unlockarg = l;
	schedule(mp, SW_PARK_UNLOCK);
}

bool park_unlock_spinlock(struct g *gp, void *lock)
{
	(void)gp;
	spin_unlock(lock);
	return true;
}

/* ---- The idle loop (each hart's g0) ---- */

static void idle_call(struct hart *h)
{
	void (*fn)(void *) = atomic_load_explicit(&h->call_fn, memory_order_acquire);
	if (fn == NULL)
		return;
	hal_irq_enable();
	fn(h->call_arg);
	hal_irq_save();
	int from = h->call_from;
	atomic_store_explicit(&h->call_fn, NULL, memory_order_relaxed);
	atomic_store_explicit(&h->call_busy, 0, memory_order_release);
	hal_ipi_send(from);
}

/*
 * mstart: each hart's scheduler loop, on its g0 (boot) stack: run what
 * findrunnable gives; when there is nothing, sleep until an interrupt.
 */
_Noreturn void mstart(void)
{
	hal_irq_save();
	struct m *mp = getm();
	struct hart *h = hart_self();
	/* Secondary harts come up before cpu 0 has made the main goroutine. */
	while (!atomic_load(&sched.started)) {
		idle_call(h);
		hal_wait_for_interrupt();
		hal_irq_enable();
		hal_irq_save();
	}
	for (;;) {
		bool inherit;
		struct g *gp = findrunnable(mp, mp->p, &inherit);
		if (gp != NULL) {
			sched_slice_start(mp, inherit);
			execute(mp, gp, inherit, SW_NONE);
			continue;
		}
		idle_call(h);
		/* Going idle: announce it, then look once more (wakep's
		 * IPI may have come before we announced). */
		spin_lock(&sched.lock);
		mp->idle = true;
		sched.nmidle++;
		struct p *idlep = mp->p;        /* counted as idle while we sleep */
		if (idlep)
			atomic_fetch_add(&sched.npidle, 1);
		if (mp->spinning) {
			mp->spinning = false;
			atomic_fetch_sub(&sched.nmspinning, 1);
		}
		atomic_thread_fence(memory_order_seq_cst);
		bool work = any_work(mp);
		if (!work)
			checkdead();
		spin_unlock(&sched.lock);
		if (!work) {
			sched_arm(mp, false);
			hal_wait_for_interrupt();
			hal_irq_enable();       /* let the interrupt's handler run */
			hal_irq_save();
		}
		spin_lock(&sched.lock);
		mp->idle = false;
		sched.nmidle--;
		if (idlep)
			atomic_fetch_sub(&sched.npidle, 1);
		spin_unlock(&sched.lock);
	}
}
