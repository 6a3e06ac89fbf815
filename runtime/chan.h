/*
 * chan.h - channels inside the runtime: hchan, sudog and wait queues
 * (chan.c, select.c, timechan.c).  The public API is in gohart.h.
 */
#ifndef GOHART_CHAN_H
#define GOHART_CHAN_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

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
	uint32_t qcount;                /* values in the buffer */
	uint32_t dataqsiz;              /* buffer size (the capacity) */
	void *buf;                      /* dataqsiz slots of elemsize */
	uint32_t elemsize;
	_Atomic uint32_t closed;        /* also read without the lock */
	uint32_t sendx, recvx;          /* next slot to send to, receive from */
	struct waitq recvq, sendq;      /* blocked receivers and senders */
	bool intrsource;                /* interrupt handlers send to it */
	struct spinlock lock;
};

/* A free sudog, and back.  Interrupts masked. */
struct sudog *acquire_sudog(void);
void release_sudog(struct sudog *sg);
struct sudog *waitq_dequeue_slow(struct waitq *q);
/* The first sudog that can still take the operation, or NULL. */
static inline struct sudog *waitq_dequeue(struct waitq *q)
{
	return q->first == NULL ? NULL : waitq_dequeue_slow(q);
}
void waitq_enqueue(struct waitq *q, struct sudog *sg);
void waitq_remove(struct waitq *q, struct sudog *sg);

/*
 * The parts select shares with send and receive, called with c->lock
 * held.  chan_send_to hands ep's value to the blocked receiver sg;
 * chan_recv_from takes the blocked sender sg's value (through the buffer
 * when there is one).  Both return the goroutine to goready once the
 * caller has unlocked.
 */
struct g *chan_send_to(struct hchan *c, struct sudog *sg, const void *ep);
struct g *chan_recv_from(struct hchan *c, struct sudog *sg, void *ep);

/*
 * Copying and clearing one element.  Most channels carry a word or less,
 * and a call to memcpy for four bytes costs more than the rest of a
 * buffered send; the common sizes are one load and one store.
 */
static inline void elem_copy(void *dst, const void *src, uint32_t size)
{
	switch (size) {
	case 0: break;
	case 1: *(uint8_t *)dst = *(const uint8_t *)src; break;
	case 2: __builtin_memcpy(dst, src, 2); break;
	case 4: __builtin_memcpy(dst, src, 4); break;
	case 8: __builtin_memcpy(dst, src, 8); break;
	default: memcpy(dst, src, size); break;
	}
}

static inline void elem_clear(void *dst, uint32_t size)
{
	switch (size) {
	case 0: break;
	case 1: *(uint8_t *)dst = 0; break;
	case 2: __builtin_memset(dst, 0, 2); break;
	case 4: __builtin_memset(dst, 0, 4); break;
	case 8: __builtin_memset(dst, 0, 8); break;
	default: memset(dst, 0, size); break;
	}
}

static inline void *chanbuf(struct hchan *c, uint32_t i)
{
	return (char *)c->buf + (size_t)i * c->elemsize;
}

/* Put *ep at the buffer's tail (there is room).  Lock held. */
static inline void chan_buf_put(struct hchan *c, const void *ep)
{
	elem_copy(chanbuf(c, c->sendx), ep, c->elemsize);
	if (++c->sendx == c->dataqsiz)
		c->sendx = 0;
	__atomic_store_n(&c->qcount, c->qcount + 1, __ATOMIC_RELAXED);
}

/* Take the buffer's head into ep (NULL: drop it).  Lock held. */
static inline void chan_buf_take(struct hchan *c, void *ep)
{
	void *slot = chanbuf(c, c->recvx);
	if (ep != NULL)
		elem_copy(ep, slot, c->elemsize);
	elem_clear(slot, c->elemsize);          /* drop the reference for the GC */
	if (++c->recvx == c->dataqsiz)
		c->recvx = 0;
	__atomic_store_n(&c->qcount, c->qcount - 1, __ATOMIC_RELAXED);
}

/* goready from an interrupt handler: at once if safe, else deferred. */
void goready_intr(struct g *gp);

#endif
