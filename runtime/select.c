/*
 * select.c - select: Go's select.go in C.
 *
 * chan_select(cases, n, block) waits until one of n send/receive cases can
 * proceed, does it, and returns its index; with block false it returns -1
 * at once when none can (Go's `default:`).
 *
 * The steps (Go's selectgo):
 *
 *  1. Two orders over the cases.  pollorder: a random permutation, so
 *     when several cases are ready each is equally likely to be chosen
 *     (no case can starve another).  lockorder: by channel address, so
 *     that two selects locking overlapping sets of channels always lock
 *     them in the same order and cannot deadlock (A locks c1 then waits
 *     for c2 while B holds c2 and waits for c1 - impossible when both go
 *     low to high).  A channel in several cases is locked once.
 *  2. Lock every channel.  In poll order, look for a case that can go now:
 *     a waiting partner, buffer room or a buffered value, or a closed
 *     channel.  Found: do it, unlock, done.
 *  3. None, and not blocking: unlock, return -1.
 *  4. Enqueue a sudog on every channel (in lock order, which is also the
 *     order of the g's `waiting` list), park; the channels are unlocked
 *     once we have stopped (selparkcommit).
 *  5. Woken: the waker dequeued one of our sudogs and won the g's
 *     selectdone flag (a CAS), so every other waker skips our sudogs.
 *     Lock everything again, take our remaining sudogs off their queues,
 *     and report the case the waker completed (g->param).
 *
 * Nil channels are never ready; their cases are skipped.  A select with
 * no cases at all blocks forever, like Go's `select {}`.
 *
 * Go: runtime/select.go (selectgo, sellock, selunlock, selparkcommit).
 */
#include "chan.h"

#include <string.h>

#include "gohart.h"
#include "panic.h"

#define SELECT_STACK_CASES 64           /* orders for this many on the stack */

/*
 * The random poll order, inside-out Fisher-Yates: case i goes to a
 * random position j in [0, npoll] and the case there moves to the end.
 * Go calls cheaprandn for every case; here one 32-bit random number
 * serves eight cases: j is the top of r * (npoll + 1) (Go's cheaprandn,
 * a multiply, not a modulo) and the low half of the product is the next
 * r, so each position costs a multiply.  Eight positions use about 15 of
 * the 32 bits (log2 8!), and the top bits that pick each j stay uniform
 * to within 2^-17, far below what any test of fairness can see.
 */
struct permuter {
	uint64_t r;             /* 32 bits of randomness left in the low half */
};

static inline size_t permute_next(struct permuter *pr, size_t npoll)
{
	if ((npoll & 7) == 0)
		pr->r = fastrand();
	uint64_t x = pr->r * (npoll + 1);
	pr->r = x & 0xffffffff;
	return (size_t)(x >> 32);
}

static inline void sellock(struct select_case *cases, const uint16_t *lockorder, int n)
{
	struct hchan *last = NULL;
	for (int i = 0; i < n; i++) {
		struct hchan *c = cases[lockorder[i]].c;
		if (c != last)
			spin_lock_irqoff(&c->lock);
		last = c;
	}
}

static inline void selunlock(struct select_case *cases, const uint16_t *lockorder, int n)
{
	/* Backwards, though any order would do for unlocking. */
	for (int i = n - 1; i >= 0; i--) {
		struct hchan *c = cases[lockorder[i]].c;
		if (i > 0 && c == cases[lockorder[i - 1]].c)
			continue;               /* unlocked with the earlier one */
		spin_unlock_irqoff(&c->lock);
	}
}

/*
 * After the switch: unlock every channel, walking g->waiting (lock order,
 * so duplicates are neighbours).  Go's selparkcommit.
 */
static bool selparkcommit(struct g *gp, void *arg)
{
	(void)arg;
	struct hchan *last = NULL;
	for (struct sudog *sg = gp->waiting; sg != NULL; sg = sg->waitlink) {
		if (sg->c != last && last != NULL)
			spin_unlock_irqoff(&last->lock);
		last = sg->c;
	}
	if (last != NULL)
		spin_unlock_irqoff(&last->lock);
	return true;
}

/*
 * Steps 4 and 5: nothing was ready and the select blocks.  Every channel
 * is locked (interrupts masked, s saved), and stays so until we park.
 * Out of line, so that the common case above keeps a small frame.
 */
static __attribute__((noinline)) int selectgo_park(struct select_case *cases, int npoll,
						   const uint16_t *lockorder, uintptr_t s)
{
	/* 4. A sudog on every channel, in lock order; park. */
	struct g *gp = getg();
	ASSERT(gp->waiting == NULL, "select: g already waiting");
	struct sudog **link = &gp->waiting;
	int nintr = 0;
	for (int k = 0; k < npoll; k++) {
		int i = lockorder[k];
		struct select_case *cs = &cases[i];
		struct sudog *sg = acquire_sudog();
		sg->g = gp;
		sg->isselect = true;
		sg->success = false;
		sg->elem = cs->elem;
		sg->c = cs->c;
		sg->casi = i;
		*link = sg;
		link = &sg->waitlink;
		if (cs->dir == SELECT_SEND) {
			waitq_enqueue(&cs->c->sendq, sg);
		} else {
			waitq_enqueue(&cs->c->recvq, sg);
			nintr += cs->c->intrsource;
		}
	}
	gp->param = NULL;
	if (nintr)
		atomic_fetch_add(&sched.nintrwait, 1);
	gopark(selparkcommit, NULL, WAIT_SELECT);
	if (nintr)
		atomic_fetch_sub(&sched.nintrwait, 1);

	/* 5. Woken by the sudog in param; undo the others. */
	sellock(cases, lockorder, npoll);
	atomic_store(&gp->selectdone, 0);
	struct sudog *won = gp->param;
	gp->param = NULL;
	ASSERT(won != NULL, "select: woken without a case");
	int casi = -1;
	bool success = false;
	struct sudog *sg = gp->waiting;
	gp->waiting = NULL;
	while (sg != NULL) {
		struct sudog *next = sg->waitlink;
		struct select_case *cs = &cases[sg->casi];
		if (sg == won) {
			casi = sg->casi;
			success = sg->success;
		} else if (cs->dir == SELECT_SEND) {
			waitq_remove(&cs->c->sendq, sg);
		} else {
			waitq_remove(&cs->c->recvq, sg);
		}
		sg->waitlink = NULL;
		sg->elem = NULL;
		sg->c = NULL;
		release_sudog(sg);
		sg = next;
	}
	selunlock(cases, lockorder, npoll);
	hal_irq_restore(s);
	if (cases[casi].dir == SELECT_SEND) {
		if (!success)
			gohart_panic("send on closed channel");
	} else if (cases[casi].ok != NULL) {
		*cases[casi].ok = success;
	}
	return casi;
}

static int selectgo(struct select_case *cases, int n, bool block,
		    uint16_t *pollorder, uint16_t *lockorder)
{
	/*
	 * 1. The orders, over the cases with a channel, built together: the
	 * poll order by the shuffle above, the lock order by inserting each
	 * case among those before it by channel address (an insertion sort:
	 * selects are small; Go uses a heap sort).
	 */
	struct permuter pr = { 0 };
	size_t npoll = 0;
	for (size_t i = 0; i < (size_t)n; i++) {
		struct select_case *cs = &cases[i];
		if (cs->dir != SELECT_SEND && cs->dir != SELECT_RECV)
			gohart_panic("select: case %d has no direction (SELECT_SEND or SELECT_RECV)", (int)i);
		if (cs->c == NULL)
			continue;
		size_t j = permute_next(&pr, npoll);
		pollorder[npoll] = pollorder[j];
		pollorder[j] = (uint16_t)i;
		size_t k = npoll;
		for (; k > 0 && (uintptr_t)cases[lockorder[k - 1]].c > (uintptr_t)cs->c; k--)
			lockorder[k] = lockorder[k - 1];
		lockorder[k] = (uint16_t)i;
		npoll++;
	}
	if (npoll == 0) {
		if (!block)
			return -1;
		gopark(NULL, NULL, n == 0 ? WAIT_SELECT_NO_CASES : WAIT_SELECT);
		throw("unreachable");
	}

	uintptr_t s = hal_irq_save();
	sellock(cases, lockorder, npoll);

	/* 2. Anything ready now? */
	struct g *wake = NULL;
	int casi = -1;
	bool recvok = false;
	for (size_t k = 0; k < npoll && casi < 0; k++) {
		size_t i = pollorder[k];
		struct select_case *cs = &cases[i];
		struct hchan *c = cs->c;
		struct sudog *sg;
		if (cs->dir == SELECT_SEND) {
			if (atomic_load_explicit(&c->closed, memory_order_relaxed)) {
				selunlock(cases, lockorder, npoll);
				hal_irq_restore(s);
				gohart_panic("send on closed channel");
			}
			if ((sg = waitq_dequeue(&c->recvq)) != NULL) {
				wake = chan_send_to(c, sg, cs->elem);
				casi = (int)i;
			} else if (c->qcount < c->dataqsiz) {
				chan_buf_put(c, cs->elem);
				casi = (int)i;
			}
		} else {
			if ((sg = waitq_dequeue(&c->sendq)) != NULL) {
				wake = chan_recv_from(c, sg, cs->elem);
				casi = (int)i;
				recvok = true;
			} else if (c->qcount > 0) {
				chan_buf_take(c, cs->elem);
				casi = (int)i;
				recvok = true;
			} else if (atomic_load_explicit(&c->closed, memory_order_relaxed)) {
				if (cs->elem != NULL)
					elem_clear(c, cs->elem);
				casi = (int)i;
			}
		}
	}
	if (casi >= 0) {
		selunlock(cases, lockorder, npoll);
		if (wake != NULL)
			goready_irqoff(wake);
		hal_irq_restore(s);
		if (cases[casi].dir == SELECT_RECV && cases[casi].ok != NULL)
			*cases[casi].ok = recvok;
		return casi;
	}

	/* 3. Nothing, and not waiting. */
	if (!block) {
		selunlock(cases, lockorder, npoll);
		hal_irq_restore(s);
		return -1;
	}
	return selectgo_park(cases, (int)npoll, lockorder, s);
}

/*
 * The two orders live on the stack for up to SELECT_STACK_CASES cases (Go
 * sizes them at compile time).  A bigger select uses an array kept in its
 * goroutine and reused by its next big select, so that a loop around one
 * allocates once (a select cannot be re-entered: it runs to completion
 * before the goroutine can start another).
 */
int chan_select(struct select_case *cases, int n, bool block)
{
	if (n < 0 || n > UINT16_MAX)
		gohart_panic("select: %d cases", n);
	uint16_t small[2 * SELECT_STACK_CASES];
	uint16_t *orders = small;
	if (n > SELECT_STACK_CASES) {
		struct g *gp = getg();
		if (gp->nselorder < (uint32_t)n) {
			gp->selorder = gc_alloc_noscan(2 * (size_t)n * sizeof *orders);
			gp->nselorder = (uint32_t)n;
		}
		orders = gp->selorder;
	}
	return selectgo(cases, n, block, orders, orders + n);
}
