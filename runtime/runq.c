/*
 * runq.c - run queues: each p's local ring, its runnext slot, and the
 * global queue.  Go: runtime/proc.go runqput, runqputslow, runqget,
 * runqgrab, runqsteal, globrunqput, globrunqget.
 *
 * The local queue is a ring of 256 g pointers with two counters that only
 * grow (they wrap around 2^32; slot = counter % 256):
 *
 *       runqhead                  runqtail
 *          v                          v
 *   [ . . g g g g g g g . . . . . . . ]
 *
 *   - Only the p's owner adds, at tail: it writes the slot, then publishes
 *     with a release store of runqtail.
 *   - Anyone takes from head: the owner one at a time, a thief (another
 *     hart with nothing to do) half of them at once.  Taking is a CAS on
 *     runqhead, so two takers never get the same g.
 * No lock.  When the ring is full, the owner moves half of it, plus the
 * new g, to the global queue in one locked batch (runqputslow).
 *
 * runnext is a one-g slot in front of the ring.  A g readied by the
 * running one (a channel partner, a woken sleeper) goes there and runs
 * next, inheriting the current time slice: a ping-pong pair stays on one
 * p and one cache, and neither can starve the rest by bouncing (the slice
 * is shared).  Thieves take runnext last, and only when the victim's
 * queue is otherwise empty.
 *
 * The global queue is a linked list (g->schedlink) under sched.lock, for
 * preempted goroutines, overflow, and fairness: every 61st schedule takes
 * from it first (proc.c).
 */
#include "proc.h"

#include "panic.h"

bool runqempty(struct p *pp)
{
	/* Read head, tail, runnext, then tail again: a consistent empty. */
	for (;;) {
		uint32_t head = atomic_load(&pp->runqhead);
		uint32_t tail = atomic_load(&pp->runqtail);
		struct g *next = atomic_load(&pp->runnext);
		if (tail == atomic_load(&pp->runqtail))
			return head == tail && next == NULL;
	}
}

/* Move half of pp's ring and gp to the global queue (the ring is full). */
static bool runqputslow(struct p *pp, struct g *gp, uint32_t head, uint32_t tail)
{
	struct g *batch[RUNQ_SIZE / 2 + 1];
	uint32_t n = (tail - head) / 2;
	ASSERT(n == RUNQ_SIZE / 2, "runqputslow: queue is not full");
	for (uint32_t i = 0; i < n; i++)
		batch[i] = pp->runq[(head + i) % RUNQ_SIZE];
	if (!atomic_compare_exchange_strong_explicit(&pp->runqhead, &head, head + n,
						     memory_order_release,
						     memory_order_relaxed))
		return false;           /* a thief took some: retry the fast way */
	batch[n] = gp;
	for (uint32_t i = 0; i < n; i++)
		batch[i]->schedlink = batch[i + 1];
	globrunqputbatch(batch[0], batch[n], (int)n + 1);
	return true;
}

/*
 * runqput: add gp to pp's queue; with next, into runnext (the g that was
 * there moves to the tail).  Only pp's owner calls it.  Returns true if
 * something went to the global queue instead (the caller may want to
 * wake a hart).
 */
bool runqput(struct p *pp, struct g *gp, bool next)
{
	if (next) {
		struct g *old = atomic_load_explicit(&pp->runnext, memory_order_relaxed);
		while (!atomic_compare_exchange_weak_explicit(&pp->runnext, &old, gp,
							      memory_order_acq_rel,
							      memory_order_relaxed))
			;
		if (old == NULL)
			return false;
		gp = old;               /* the old runnext goes to the tail */
	}
	for (;;) {
		uint32_t head = atomic_load_explicit(&pp->runqhead, memory_order_acquire);
		uint32_t tail = atomic_load_explicit(&pp->runqtail, memory_order_relaxed);
		if (tail - head < RUNQ_SIZE) {
			pp->runq[tail % RUNQ_SIZE] = gp;
			atomic_store_explicit(&pp->runqtail, tail + 1, memory_order_release);
			return false;
		}
		if (runqputslow(pp, gp, head, tail))
			return true;
	}
}

/*
 * runqget_ring: the head of pp's ring, or NULL (runqget in proc.h tries
 * runnext first).  Only pp's owner calls it; thieves may race for the
 * same head, so taking it is a CAS.
 */
struct g *runqget_ring(struct p *pp)
{
	for (;;) {
		uint32_t head = atomic_load_explicit(&pp->runqhead, memory_order_acquire);
		uint32_t tail = atomic_load_explicit(&pp->runqtail, memory_order_relaxed);
		if (tail == head)
			return NULL;
		struct g *gp = pp->runq[head % RUNQ_SIZE];
		if (atomic_compare_exchange_weak_explicit(&pp->runqhead, &head, head + 1,
							  memory_order_release,
							  memory_order_relaxed))
			return gp;
	}
}

/*
 * runqgrab: take half of victim's queue into batch (up to RUNQ_SIZE/2),
 * runnext only if the queue is empty and stealrunnext.  Returns how
 * many.  Any hart.
 */
static uint32_t runqgrab(struct p *victim, struct g **batch, bool stealrunnext)
{
	for (;;) {
		uint32_t head = atomic_load_explicit(&victim->runqhead, memory_order_acquire);
		uint32_t tail = atomic_load_explicit(&victim->runqtail, memory_order_acquire);
		uint32_t n = tail - head;
		n = n - n / 2;
		if (n == 0) {
			if (!stealrunnext)
				return 0;
			struct g *next = atomic_load(&victim->runnext);
			if (next == NULL)
				return 0;
			/*
			 * The victim's running g has just readied this one
			 * and is probably about to block and run it itself
			 * (a channel ping-pong): give it 3 us first, as Go
			 * does, so the pair stays on one p.
			 */
			if (victim->m != NULL && !victim->m->idle) {
				uint64_t until = hal_nanotime() + 3000;
				while (hal_nanotime() < until &&
				       atomic_load(&victim->runnext) == next)
					hal_cpu_relax();
			}
			if (!atomic_compare_exchange_strong(&victim->runnext, &next, NULL))
				continue;
			batch[0] = next;
			return 1;
		}
		if (n > RUNQ_SIZE / 2)
			continue;       /* head and tail read inconsistently */
		for (uint32_t i = 0; i < n; i++)
			batch[i] = victim->runq[(head + i) % RUNQ_SIZE];
		if (atomic_compare_exchange_strong_explicit(&victim->runqhead, &head,
							    head + n,
							    memory_order_release,
							    memory_order_relaxed))
			return n;
	}
}

/*
 * runqsteal: move half of victim's queue to pp's (which must be empty:
 * the caller found nothing) and return one of them to run now.
 */
struct g *runqsteal(struct p *pp, struct p *victim, bool stealrunnext)
{
	struct g *batch[RUNQ_SIZE / 2];
	uint32_t n = runqgrab(victim, batch, stealrunnext);
	if (n == 0)
		return NULL;
	struct g *gp = batch[--n];
	if (n == 0)
		return gp;
	uint32_t head = atomic_load_explicit(&pp->runqhead, memory_order_acquire);
	uint32_t tail = atomic_load_explicit(&pp->runqtail, memory_order_relaxed);
	ASSERT(tail - head + n < RUNQ_SIZE, "runqsteal: runq overflow");
	for (uint32_t i = 0; i < n; i++)
		pp->runq[(tail + i) % RUNQ_SIZE] = batch[i];
	atomic_store_explicit(&pp->runqtail, tail + n, memory_order_release);
	return gp;
}

/* ---- The global run queue (under sched.lock) ---- */

void globrunqputbatch(struct g *head, struct g *tail, int n)
{
	tail->schedlink = NULL;
	spin_lock(&sched.lock);
	if (sched.runqtail)
		sched.runqtail->schedlink = head;
	else
		sched.runqhead = head;
	sched.runqtail = tail;
	atomic_fetch_add_explicit(&sched.runqsize, n, memory_order_relaxed);
	spin_unlock(&sched.lock);
}

void globrunqput(struct g *gp)
{
	globrunqputbatch(gp, gp, 1);
}

/*
 * globrunqget: take a fair share of the global queue for pp: one to run
 * (returned) and up to half the local ring's room more into pp's queue.
 * max > 0 caps the count.  Takes sched.lock.
 */
struct g *globrunqget(struct p *pp, int max)
{
	spin_lock(&sched.lock);
	int size = atomic_load_explicit(&sched.runqsize, memory_order_relaxed);
	if (size == 0) {
		spin_unlock(&sched.lock);
		return NULL;
	}
	int n = size / sched.gomaxprocs + 1;
	if (n > size)
		n = size;
	if (max > 0 && n > max)
		n = max;
	if (n > RUNQ_SIZE / 2)
		n = RUNQ_SIZE / 2;
	atomic_fetch_sub_explicit(&sched.runqsize, n, memory_order_relaxed);
	struct g *gp = sched.runqhead;
	sched.runqhead = gp->schedlink;
	for (int i = 1; i < n; i++) {
		struct g *g1 = sched.runqhead;
		sched.runqhead = g1->schedlink;
		runqput(pp, g1, false);
	}
	if (sched.runqhead == NULL)
		sched.runqtail = NULL;
	spin_unlock(&sched.lock);
	gp->schedlink = NULL;
	return gp;
}
