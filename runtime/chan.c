/*
 * chan.c - channels: Go's chan.go in C.
 *
 * A channel is an hchan: a lock, an optional ring buffer of `dataqsiz`
 * values, and two FIFO queues of goroutines blocked on it - receivers
 * waiting for a value (recvq) and senders waiting for room (sendq).
 *
 *        sendx          recvx                recvq: sudog -> sudog
 *          v              v                  sendq: (empty)
 *   buf [ . . . . . . . v v v v . . ]
 *                       qcount = 4, dataqsiz = 16
 *
 * A blocked goroutine is represented on a queue by a sudog ("pseudo-g"):
 * the g, and the address of the value it sends or the slot it receives
 * into - on its own stack.  Whoever completes the operation copies the
 * value straight to or from that address and readies the goroutine, so a
 * value crosses an unbuffered channel with one copy, from the sender's
 * stack to the receiver's, and never lives in the channel.
 *
 * The invariants (chan.go's list):
 *   - at least one of sendq and recvq is empty, except on an unbuffered
 *     channel where one goroutine blocks sending and receiving at once
 *     through select (its sudogs are then skipped: selectdone);
 *   - buffered: qcount > 0 implies recvq is empty (a receiver would have
 *     taken the value), and qcount < dataqsiz implies sendq is empty.
 *
 * Send:   closed -> panic.  A receiver waiting -> copy to it, ready it.
 *         Room in the buffer -> copy in.  Else block on sendq.
 * Receive: a sender waiting -> take its value (unbuffered: directly;
 *         buffered, so full: the buffer's head, and the sender's value
 *         goes to the tail - FIFO order is kept).  A value in the buffer
 *         -> take it.  Closed and empty -> the zero value, ok = false.
 *         Else block on recvq.
 * Close:  mark closed; every waiting receiver gets the zero value and
 *         ok = false, every waiting sender panics when it wakes.
 *
 * The lock is a spinlock held with interrupts masked: an interrupt
 * handler may send (chan_send_from_interrupt), and must never find its
 * own hart holding the lock it needs.  The mask also keeps preemption
 * away, so the lock needs no per-cpu accounting (spin_lock_irqoff).  A
 * goroutine that blocks parks with the channel still locked; the lock is
 * released by the context the hart switches to (goparkunlock), so no
 * waker can ready it before it has really stopped running.
 *
 * Send and receive come in two halves: an inline one for the common
 * buffered case, which calls nothing and so needs no stack frame, and
 * Go's whole algorithm in chansend_locked / chanrecv_locked, reached by a
 * tail call with the lock held.
 *
 * Go: runtime/chan.go (makechan, chansend, send, chanrecv, recv,
 * closechan, waitq), runtime/proc.go (acquireSudog, releaseSudog).
 */
#include "chan.h"

#include <string.h>

#include "gohart.h"
#include "panic.h"

#define MAX_ELEMSIZE (1u << 16)         /* Go: elem.size >= 1<<16 throws */
#define MAX_CHAN_BYTES ((uint64_t)1 << 40)

/* ---- Making ---- */

chan_t chan_make_type(size_t elemsize, size_t elemalign, int64_t size)
{
	if (elemsize >= MAX_ELEMSIZE)
		throw("makechan: invalid channel element type");
	if (size < 0 || (elemsize != 0 && (uint64_t)size > MAX_CHAN_BYTES / elemsize))
		gohart_panic("makechan: size out of range");
	/* One object: the hchan, then its buffer (8-byte aligned). */
	size_t hsize = (sizeof(struct hchan) + 7) & ~(size_t)7;
	struct hchan *c = gc_alloc(hsize + elemsize * (size_t)size);
	c->buf = (char *)c + hsize;
	c->elemsize = (uint16_t)elemsize;
	if ((elemsize == 8 || elemsize == 4) && elemalign >= elemsize)
		c->elemword = (uint8_t)elemsize;
	c->dataqsiz = (uintptr_t)size;
	c->lock = (struct spinlock)SPINLOCK_INIT_RANK("hchan", LOCK_RANK_HCHAN);
	return c;
}

chan_t chan_make_size(size_t elemsize, int64_t size)
{
	return chan_make_type(elemsize, 1, size);
}

int chan_len(chan_t c)
{
	return c == NULL ? 0 : (int)__atomic_load_n(&c->qcount, __ATOMIC_RELAXED);
}

int chan_cap(chan_t c)
{
	return c == NULL ? 0 : (int)c->dataqsiz;
}

void chan_from_interrupts(chan_t c)
{
	c->intrsource = true;
}

/* ---- Sudogs: per-p cache, then a shared list, then the heap ---- */

/*
 * Sudogs come from the p's cache (Go's p.sudogcache), refilled from and
 * spilled to a shared list by halves, and are allocated when both are
 * empty.  Interrupts are masked (the callers hold a channel lock), so the
 * p cannot change under us.
 */
static __attribute__((noinline)) struct sudog *acquire_sudog_slow(struct p *pp)
{
	if (pp != NULL) {
		spin_lock(&sched.sudoglock);
		while (pp->nsudog < SUDOG_CACHE / 2 && sched.sudogcache != NULL) {
			struct sudog *s = sched.sudogcache;
			sched.sudogcache = s->next;
			s->next = NULL;
			pp->sudogcache[pp->nsudog++] = s;
		}
		spin_unlock(&sched.sudoglock);
		if (pp->nsudog > 0)
			return pp->sudogcache[--pp->nsudog];
	}
	return gc_new(struct sudog);
}

struct sudog *acquire_sudog(void)
{
	struct p *pp = getm()->p;
	if (pp != NULL && pp->nsudog > 0)
		return pp->sudogcache[--pp->nsudog];
	return acquire_sudog_slow(pp);
}

__attribute__((noinline)) void release_sudog_slow(struct p *pp, struct sudog *sg)
{
	spin_lock(&sched.sudoglock);
	while (pp != NULL && pp->nsudog > SUDOG_CACHE / 2) {
		struct sudog *s = pp->sudogcache[--pp->nsudog];
		s->next = sched.sudogcache;
		sched.sudogcache = s;
	}
	if (pp == NULL) {
		sg->next = sched.sudogcache;
		sched.sudogcache = sg;
	}
	spin_unlock(&sched.sudoglock);
	if (pp != NULL)
		pp->sudogcache[pp->nsudog++] = sg;
}

/* ---- Wait queues ---- */

void waitq_enqueue(struct waitq *q, struct sudog *sg)
{
	sg->next = NULL;
	sg->prev = q->last;
	if (q->last != NULL)
		q->last->next = sg;
	else
		q->first = sg;
	q->last = sg;
}

/*
 * The first sudog whose goroutine can still take this operation.  A
 * select's sudogs stay queued on every case's channel after one case has
 * fired; the goroutine's selectdone flag, won by a CAS, says which one
 * did, and the others are dropped here.
 */
struct sudog *waitq_dequeue_slow(struct waitq *q)
{
	for (;;) {
		struct sudog *sg = q->first;
		if (sg == NULL)
			return NULL;
		q->first = sg->next;
		if (q->first != NULL)
			q->first->prev = NULL;
		else
			q->last = NULL;
		sg->next = sg->prev = NULL;
		if (sg->isselect) {
			uint32_t zero = 0;
			if (!atomic_compare_exchange_strong(&sg->g->selectdone, &zero, 1))
				continue;
		}
		return sg;
	}
}

/* Take sg off q if it is still there (a select undoing its other cases). */
void waitq_remove(struct waitq *q, struct sudog *sg)
{
	struct sudog *x = sg->prev, *y = sg->next;
	if (x != NULL) {
		if (y != NULL) {
			x->next = y;
			y->prev = x;
		} else {
			x->next = NULL;
			q->last = x;
		}
	} else if (y != NULL) {
		y->prev = NULL;
		q->first = y;
	} else if (q->first == sg) {
		q->first = q->last = NULL;
	}
	sg->next = sg->prev = NULL;
}

/* ---- Copying values ---- */

__attribute__((noinline)) void elem_copy_other(void *dst, const void *src, uint32_t size)
{
	switch (size) {
	case 0: break;
	case 1: *(uint8_t *)dst = *(const uint8_t *)src; break;
	case 2: __builtin_memcpy(dst, src, 2); break;
	default: memcpy(dst, src, size); break;
	}
}

__attribute__((noinline)) void elem_clear_other(void *dst, uint32_t size)
{
	switch (size) {
	case 0: break;
	case 1: *(uint8_t *)dst = 0; break;
	case 2: __builtin_memset(dst, 0, 2); break;
	default: memset(dst, 0, size); break;
	}
}

/* ---- Handing a value to / taking it from a blocked goroutine ---- */

/* ---- Blocking ---- */

/* Block forever: a nil channel, or a select with no cases. */
_Noreturn static void block_forever(enum wait_reason r)
{
	gopark(NULL, NULL, r);
	throw("unreachable");
}

/*
 * Park on c's queue q until someone completes the operation or closes c.
 * c->lock is held (interrupts masked) and is released once we have
 * stopped (goparkunlock).  Returns sudog.success: false when woken by
 * close.
 */
static inline __attribute__((always_inline)) bool chan_park(struct hchan *c, struct waitq *q, void *ep,
							  enum wait_reason r)
{
	struct g *gp = getg();
	struct sudog *sg = acquire_sudog();
	sg->g = gp;
	sg->elem = ep;
	sg->c = c;
	sg->isselect = false;
	sg->success = false;
	gp->waiting = sg;
	gp->param = NULL;
	waitq_enqueue(q, sg);
	bool intr = c->intrsource && q == &c->recvq;
	if (intr)
		atomic_fetch_add(&sched.nintrwait, 1);
	goparkunlock(&c->lock, r);
	if (intr)
		atomic_fetch_sub(&sched.nintrwait, 1);
	ASSERT(gp->param == sg, "chan: woken by the wrong sudog");
	bool ok = sg->success;
	gp->waiting = NULL;
	gp->param = NULL;
	sg->c = NULL;
	sg->elem = NULL;
	release_sudog(sg);
	return ok;
}

/*
 * Without the lock, for the failing non-blocking fast paths (Go's full
 * and empty): a send would block (no receiver waiting, or the buffer
 * full), a receive would block (no sender waiting, or nothing buffered).
 */
static inline bool chan_full(struct hchan *c)
{
	if (c->dataqsiz == 0)
		return __atomic_load_n(&c->recvq.first, __ATOMIC_RELAXED) == NULL;
	return __atomic_load_n(&c->qcount, __ATOMIC_RELAXED) == c->dataqsiz;
}

static inline bool chan_empty(struct hchan *c)
{
	if (c->dataqsiz == 0)
		return __atomic_load_n(&c->sendq.first, __ATOMIC_RELAXED) == NULL;
	return __atomic_load_n(&c->qcount, __ATOMIC_RELAXED) == 0;
}

/* ---- Send ---- */

/*
 * Go's chansend, in two halves.  The inline half (chansend) handles nil
 * channels, the failing non-blocking send, and the common case under the
 * lock: open, no receiver waiting, room in the buffer, a word-sized
 * value.  Everything else is chansend_locked, entered with the lock held
 * by a tail call (or chansend_contended, which waits for the lock
 * first), so that the common case makes no call and needs no stack
 * frame: it is the interrupt mask, the lock's swap, five loads and
 * compares, the copy, two stores and the release.
 */
static __attribute__((noinline)) bool chansend_locked(struct hchan *c, const void *ep,
						      bool block, uintptr_t s)
{
	if (atomic_load_explicit(&c->closed, memory_order_relaxed)) {
		chan_unlock(c, s);
		gohart_panic("send on closed channel");
	}
	struct sudog *sg = waitq_dequeue(&c->recvq);
	if (sg != NULL) {
		struct g *gp = chan_send_to(c, sg, ep);
		spin_unlock_irqoff(&c->lock);
		goready_irqoff(gp);
		hal_irq_restore(s);
		return true;
	}
	if (c->qcount < c->dataqsiz) {
		chan_buf_put(c, ep);
		chan_unlock(c, s);
		return true;
	}
	if (!block) {
		chan_unlock(c, s);
		return false;
	}
	/* The receiver copies from ep, on our stack, while we sleep. */
	bool ok = chan_park(c, &c->sendq, (void *)ep, WAIT_CHAN_SEND);
	hal_irq_restore(s);
	if (!ok)
		gohart_panic("send on closed channel");
	return true;
}

/* The lock was taken: wait for it out of line, then go on as above. */
static __attribute__((noinline)) bool chansend_contended(struct hchan *c, const void *ep,
							 bool block, uintptr_t s)
{
	spin_lock_irqoff(&c->lock);
	return chansend_locked(c, ep, block, s);
}

static __attribute__((noinline)) bool chansend_nil(bool block)
{
	if (!block)
		return false;
	block_forever(WAIT_CHAN_SEND_NIL);
}

/*
 * chansend: send *ep on c.  block: wait for a receiver or room; else
 * return false at once when the send cannot complete now.
 */
static inline __attribute__((always_inline)) bool chansend(struct hchan *c, const void *ep, bool block)
{
	if (c == NULL)
		return chansend_nil(block);
	/*
	 * Fast path for a failing non-blocking send, without the lock: open
	 * and full.  (Go's reasoning: each read is of a value that was true
	 * at some moment, and closed is read first.)
	 */
	if (!block && atomic_load_explicit(&c->closed, memory_order_relaxed) == 0 && chan_full(c))
		return false;

	uintptr_t s = hal_irq_save();
	if (!spin_trylock_irqoff(&c->lock))
		return chansend_contended(c, ep, block, s);
	if (__builtin_expect(atomic_load_explicit(&c->closed, memory_order_relaxed) == 0 &&
			     c->recvq.first == NULL && c->qcount < c->dataqsiz, 1) &&
	    chan_buf_put_word(c, ep)) {
		chan_unlock(c, s);
		return true;
	}
	return chansend_locked(c, ep, block, s);
}

FAST_ENTRY void chan_send(chan_t c, const void *elem)
{
	chansend(c, elem, true);
}

FAST_ENTRY bool chan_try_send(chan_t c, const void *elem)
{
	return chansend(c, elem, false);
}

/* ---- Receive ---- */

/* What a receive did: nothing (it would block), took a value, or found
 * the channel closed and empty (the zero value, ok = false). */
enum recv_result { RECV_NONE, RECV_VALUE, RECV_CLOSED };

/* Go's chanrecv, in the same two halves as send. */
static __attribute__((noinline)) enum recv_result chanrecv_locked(struct hchan *c, void *ep,
								  bool block, uintptr_t s)
{
	if (atomic_load_explicit(&c->closed, memory_order_relaxed)) {
		if (c->qcount == 0) {
			chan_unlock(c, s);
			if (ep != NULL)
				elem_clear(c, ep);
			return RECV_CLOSED;
		}
		/* Closed with values still buffered: they are received first. */
	} else {
		struct sudog *sg = waitq_dequeue(&c->sendq);
		if (sg != NULL) {
			struct g *gp = chan_recv_from(c, sg, ep);
			spin_unlock_irqoff(&c->lock);
			goready_irqoff(gp);
			hal_irq_restore(s);
			return RECV_VALUE;
		}
	}
	if (c->qcount > 0) {
		chan_buf_take(c, ep);
		chan_unlock(c, s);
		return RECV_VALUE;
	}
	if (!block) {
		chan_unlock(c, s);
		return RECV_NONE;
	}
	/* The sender copies into ep, on our stack, while we sleep. */
	bool received = chan_park(c, &c->recvq, ep, WAIT_CHAN_RECEIVE);
	hal_irq_restore(s);
	if (received)
		return RECV_VALUE;
	if (ep != NULL)
		elem_clear(c, ep);
	return RECV_CLOSED;
}

static __attribute__((noinline)) enum recv_result chanrecv_contended(struct hchan *c, void *ep,
								     bool block, uintptr_t s)
{
	spin_lock_irqoff(&c->lock);
	return chanrecv_locked(c, ep, block, s);
}

static __attribute__((noinline)) enum recv_result chanrecv_nil(bool block)
{
	if (!block)
		return RECV_NONE;
	block_forever(WAIT_CHAN_RECEIVE_NIL);
}

/*
 * chanrecv: receive from c into ep (NULL: drop the value).  The inline
 * half takes a buffered value when no sender waits (then the buffer is
 * not full, and closed or not makes no difference: buffered values are
 * received before close shows).
 */
static inline __attribute__((always_inline)) enum recv_result chanrecv(struct hchan *c, void *ep, bool block)
{
	if (c == NULL)
		return chanrecv_nil(block);
	/* Fast path for a failing non-blocking receive: empty, then open. */
	if (!block && chan_empty(c)) {
		if (atomic_load_explicit(&c->closed, memory_order_acquire) == 0)
			return RECV_NONE;
		/*
		 * Closed.  Check empty again: a send may have landed between
		 * the two loads, and closing never un-empties a channel.
		 */
		if (chan_empty(c)) {
			if (ep != NULL)
				elem_clear(c, ep);
			return RECV_CLOSED;
		}
	}

	uintptr_t s = hal_irq_save();
	if (!spin_trylock_irqoff(&c->lock))
		return chanrecv_contended(c, ep, block, s);
	if (__builtin_expect(c->qcount != 0 && c->sendq.first == NULL, 1) &&
	    chan_buf_take_word(c, ep)) {
		chan_unlock(c, s);
		return RECV_VALUE;
	}
	return chanrecv_locked(c, ep, block, s);
}

FAST_ENTRY void chan_recv(chan_t c, void *elem)
{
	chanrecv(c, elem, true);
}

FAST_ENTRY bool chan_recv_ok(chan_t c, void *elem)
{
	return chanrecv(c, elem, true) == RECV_VALUE;
}

FAST_ENTRY bool chan_try_recv(chan_t c, void *elem, bool *ok)
{
	enum recv_result r = chanrecv(c, elem, false);
	if (ok != NULL)
		*ok = r == RECV_VALUE;
	return r != RECV_NONE;
}

/* ---- Close ---- */

void chan_close(chan_t c)
{
	if (c == NULL)
		gohart_panic("close of nil channel");
	uintptr_t s = chan_lock(c);
	if (atomic_load_explicit(&c->closed, memory_order_relaxed)) {
		chan_unlock(c, s);
		gohart_panic("close of closed channel");
	}
	atomic_store_explicit(&c->closed, 1, memory_order_release);
	/*
	 * Collect every waiter, then ready them after unlocking (Go's
	 * glist): receivers get the zero value and ok = false; senders wake
	 * with success = false and panic.
	 */
	struct g *glist = NULL;
	struct sudog *sg;
	while ((sg = waitq_dequeue(&c->recvq)) != NULL) {
		if (sg->elem != NULL)
			elem_clear(c, sg->elem);
		sg->elem = NULL;
		sg->success = false;
		sg->g->param = sg;
		sg->g->schedlink = glist;
		glist = sg->g;
	}
	while ((sg = waitq_dequeue(&c->sendq)) != NULL) {
		sg->elem = NULL;
		sg->success = false;
		sg->g->param = sg;
		sg->g->schedlink = glist;
		glist = sg->g;
	}
	spin_unlock_irqoff(&c->lock);
	while (glist != NULL) {
		struct g *gp = glist;
		glist = gp->schedlink;
		gp->schedlink = NULL;
		goready_irqoff(gp);
	}
	hal_irq_restore(s);
}

/* ---- From interrupt handlers ---- */

/*
 * chan_send_from_interrupt: a non-blocking send for interrupt handlers.
 * Every holder of a channel lock holds it with interrupts masked, so the
 * code this handler interrupted never holds it; another cpu may, and
 * then the send fails rather than wait (see inside).  A woken receiver
 * is readied by goready_intr.
 */
bool chan_send_from_interrupt(chan_t c, const void *elem)
{
	if (c == NULL)
		return false;
	/*
	 * Never wait for the lock here: its holder, on another cpu, may be
	 * waiting for a lock (sched.lock, the heap's) that the code we
	 * interrupted holds with interrupts enabled.  A busy channel counts
	 * as full.
	 */
	if (!spin_trylock(&c->lock))
		return false;
	if (atomic_load_explicit(&c->closed, memory_order_relaxed)) {
		spin_unlock(&c->lock);
		gohart_panic("send on closed channel");
	}
	struct sudog *sg = waitq_dequeue(&c->recvq);
	if (sg != NULL) {
		struct g *gp = chan_send_to(c, sg, elem);
		spin_unlock(&c->lock);
		goready_intr(gp);
		return true;
	}
	bool sent = false;
	if (c->qcount < c->dataqsiz) {
		chan_buf_put(c, elem);
		sent = true;
	}
	spin_unlock(&c->lock);
	return sent;
}

/*
 * goready_intr: goready for an interrupt handler.  If the code it
 * interrupted holds no lock and has not disabled preemption, the
 * scheduler's structures are consistent and goready is safe right here.
 * Otherwise the interrupted code may be in the middle of them (holding
 * sched.lock, say): the g goes on the lock-free intrready list instead,
 * which findrunnable empties (Go's netpoll hands goroutines to the
 * scheduler the same way, with injectglist), and an idle hart is poked.
 */
void goready_intr(struct g *gp)
{
	struct m *mp = getm();
	if (mp->locks == 0 && spin_cpu[mp->id].held == 0) {
		goready(gp);
		return;
	}
	struct g *old = atomic_load_explicit(&sched.intrready, memory_order_relaxed);
	do
		gp->schedlink = old;
	while (!atomic_compare_exchange_weak_explicit(&sched.intrready, &old, gp,
						      memory_order_release,
						      memory_order_relaxed));
	for (int i = 0; i < hal_ncpu(); i++) {
		if (i != mp->id && ms[i].idle) {
			hal_ipi_send(i);
			break;
		}
	}
}
