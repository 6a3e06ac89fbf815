/*
 * chan.h - channels inside the runtime: hchan, sudog and wait queues
 * (chan.c, select.c, timechan.c).  The public API is in gohart.h.
 */
#ifndef GOHART_CHAN_H
#define GOHART_CHAN_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "panic.h"
#include "proc.h"
#include "sync/spinlock.h"

/*
 * sudog: a goroutine waiting on a channel (Go's sudog, runtime2.go).  A
 * goroutine blocked in chan_send or chan_recv has one, on one channel's
 * queue; blocked in select it has one per case, on every case's channel.
 */
struct sudog {
	struct g *g;
	struct sudog *next, *prev;      /* the channel's waitq; sema.c: the
					   tree's right and left children */
	void *elem;                     /* the value: its address on g's stack;
					   sema.c: the semaphore's address */
	struct hchan *c;                /* the channel it waits on */
	struct sudog *waitlink;         /* g->waiting: the rest of a select's;
					   sema.c: next waiter on the address */
	int casi;                       /* select: the case it stands for */
	bool isselect;
	bool success;                   /* woken by a value passing, not close */
	/* Semaphores (sema.c). */
	struct sudog *parent;           /* in the tree */
	struct sudog *waittail;         /* last waiter on the address (tree node) */
	uint32_t ticket;                /* tree priority; hand-off flag; Cond ticket */
	int64_t acquiretime;
};

/* A FIFO of waiting sudogs (Go's waitq). */
struct waitq {
	struct sudog *first, *last;
};

/* Go's hchan (chan.go): every field under lock except where noted. */
struct hchan {
	uintptr_t qcount;               /* values in the buffer */
	uintptr_t dataqsiz;             /* buffer size (the capacity) */
	void *buf;                      /* dataqsiz slots of elemsize */
	uint16_t elemsize;
	uint8_t elemword;               /* 8 or 4: values are aligned words of
					   that size (one load, one store);
					   0: copied with memcpy */
	_Atomic uint32_t closed;        /* also read without the lock */
	uintptr_t sendx, recvx;         /* next slot to send to, receive from */
	struct waitq recvq, sendq;      /* blocked receivers and senders */
	bool intrsource;                /* interrupt handlers send to it */
	struct spinlock lock;
};

/* A free sudog, and back.  Interrupts masked. */
struct sudog *acquire_sudog(void);
void release_sudog_slow(struct p *pp, struct sudog *sg);
static inline void release_sudog(struct sudog *sg)
{
	ASSERT(sg->elem == NULL && sg->c == NULL && sg->next == NULL && sg->prev == NULL &&
	       sg->waitlink == NULL, "release_sudog: sudog still in use");
	sg->g = NULL;
	struct p *pp = getm()->p;
	if (pp != NULL && pp->nsudog < SUDOG_CACHE)
		pp->sudogcache[pp->nsudog++] = sg;
	else
		release_sudog_slow(pp, sg);
}
struct sudog *waitq_dequeue_slow(struct waitq *q);
/* The first sudog that can still take the operation, or NULL. */
static inline struct sudog *waitq_dequeue(struct waitq *q)
{
	return q->first == NULL ? NULL : waitq_dequeue_slow(q);
}
void waitq_enqueue(struct waitq *q, struct sudog *sg);
void waitq_remove(struct waitq *q, struct sudog *sg);


/*
 * Copying and clearing one element.  Most channels carry a word, and a
 * call to memcpy for four bytes costs more than the rest of a buffered
 * send: a value that is an aligned 8- or 4-byte word (elemword, known
 * from the type at chan_make) is one load and one store; anything else
 * goes out of line.
 */
void elem_copy_other(void *dst, const void *src, uint32_t size);
void elem_clear_other(void *dst, uint32_t size);

#define WORD8(p) __builtin_assume_aligned((p), 8)
#define WORD4(p) __builtin_assume_aligned((p), 4)

static inline void elem_copy(struct hchan *c, void *dst, const void *src)
{
	if (c->elemword == 8)
		__builtin_memcpy(WORD8(dst), WORD8(src), 8);
	else if (c->elemword == 4)
		__builtin_memcpy(WORD4(dst), WORD4(src), 4);
	else
		elem_copy_other(dst, src, c->elemsize);
}

static inline void elem_clear(struct hchan *c, void *dst)
{
	if (c->elemword == 8)
		__builtin_memset(WORD8(dst), 0, 8);
	else if (c->elemword == 4)
		__builtin_memset(WORD4(dst), 0, 4);
	else
		elem_clear_other(dst, c->elemsize);
}

/*
 * The channel lock: interrupts masked first (an interrupt handler may
 * send on a channel: chan_send_from_interrupt), then the spinlock, which
 * needs no per-cpu accounting because of the mask (spin_lock_irqoff).
 * Returns the interrupt state for chan_unlock.
 */
static inline uintptr_t chan_lock(struct hchan *c)
{
	uintptr_t s = hal_irq_save();
	spin_lock_irqoff(&c->lock);
	return s;
}

static inline void chan_unlock(struct hchan *c, uintptr_t s)
{
	spin_unlock_irqoff(&c->lock);
	hal_irq_restore(s);
}

static inline void *chanbuf(struct hchan *c, uintptr_t i)
{
	return (char *)c->buf + i * c->elemsize;
}

/* The ring turns after a value went in at sendx / came out at recvx. */
static inline void chan_buf_sent(struct hchan *c)
{
	if (++c->sendx == c->dataqsiz)
		c->sendx = 0;
	__atomic_store_n(&c->qcount, c->qcount + 1, __ATOMIC_RELAXED);
}

static inline void chan_buf_taken(struct hchan *c)
{
	if (++c->recvx == c->dataqsiz)
		c->recvx = 0;
	__atomic_store_n(&c->qcount, c->qcount - 1, __ATOMIC_RELAXED);
}

/* Put *ep at the buffer's tail (there is room).  Lock held. */
static inline void chan_buf_put(struct hchan *c, const void *ep)
{
	elem_copy(c, chanbuf(c, c->sendx), ep);
	chan_buf_sent(c);
}

/* Take the buffer's head into ep (NULL: drop it).  Lock held. */
static inline void chan_buf_take(struct hchan *c, void *ep)
{
	void *slot = chanbuf(c, c->recvx);
	if (ep != NULL)
		elem_copy(c, ep, slot);
	/* The slot must not keep a reference alive for the collector (Go's
	 * typedmemclr). */
	elem_clear(c, slot);
	chan_buf_taken(c);
}

/*
 * The fast paths' versions, for word values only (elemword): false,
 * having done nothing, for any other.  The slot's address is a shift.
 */
static inline bool chan_buf_put_word(struct hchan *c, const void *ep)
{
	char *buf = c->buf;
	if (c->elemword == 8)
		__builtin_memcpy(WORD8(buf + c->sendx * 8), WORD8(ep), 8);
	else if (c->elemword == 4)
		__builtin_memcpy(WORD4(buf + c->sendx * 4), WORD4(ep), 4);
	else
		return false;
	chan_buf_sent(c);
	return true;
}

static inline bool chan_buf_take_word(struct hchan *c, void *ep)
{
	char *buf = c->buf;
	if (c->elemword == 8) {
		void *slot = WORD8(buf + c->recvx * 8);
		if (ep != NULL)
			__builtin_memcpy(WORD8(ep), slot, 8);
		__builtin_memset(slot, 0, 8);
	} else if (c->elemword == 4) {
		void *slot = WORD4(buf + c->recvx * 4);
		if (ep != NULL)
			__builtin_memcpy(WORD4(ep), slot, 4);
		__builtin_memset(slot, 0, 4);
	} else {
		return false;
	}
	chan_buf_taken(c);
	return true;
}

/*
 * The parts select shares with send and receive, called with c->lock
 * held.  chan_send_to hands ep's value to the blocked receiver sg;
 * chan_recv_from takes the blocked sender sg's value (through the buffer
 * when there is one).  Both return the goroutine to goready once the
 * caller has unlocked.
 */
static inline struct g *chan_send_to(struct hchan *c, struct sudog *sg, const void *ep)
{
	if (sg->elem != NULL)
		elem_copy(c, sg->elem, ep);   /* Go's sendDirect */
	sg->elem = NULL;
	sg->success = true;
	sg->g->param = sg;
	return sg->g;
}

static inline struct g *chan_recv_from(struct hchan *c, struct sudog *sg, void *ep)
{
	if (c->dataqsiz == 0) {
		if (ep != NULL)
			elem_copy(c, ep, sg->elem); /* Go's recvDirect */
	} else {
		/*
		 * The buffer is full (a sender is waiting).  Take its head and
		 * put the sender's value at the tail, which is the same slot:
		 * the ring turns by one.
		 */
		void *slot = chanbuf(c, c->recvx);
		if (ep != NULL)
			elem_copy(c, ep, slot);
		elem_copy(c, slot, sg->elem);
		if (++c->recvx == c->dataqsiz)
			c->recvx = 0;
		c->sendx = c->recvx;
	}
	sg->elem = NULL;
	sg->success = true;
	sg->g->param = sg;
	return sg->g;
}

/* goready from an interrupt handler: at once if safe, else deferred. */
void goready_intr(struct g *gp);

#endif
