/*
 * chan.h - channels inside the runtime: hchan, sudog and wait queues
 * (chan.c, select.c, timechan.c).  The public API is in gohart.h.
 */
#ifndef GOHART_CHAN_H
#define GOHART_CHAN_H

#include <stdbool.h>
#include <stdint.h>

#include "proc.h"
#include "sync/spinlock.h"

/*
 * sudog: a goroutine waiting on a channel (Go's sudog, runtime2.go).  A
 * goroutine blocked in chan_send or chan_recv has one, on one channel's
 * queue; blocked in select it has one per case, on every case's channel.
 */
struct sudog {
	struct g *g;
	struct sudog *next, *prev;      /* the channel's waitq */
	void *elem;                     /* the value: its address on g's stack */
	struct hchan *c;                /* the channel it waits on */
	struct sudog *waitlink;         /* g->waiting: the rest of a select's */
	int casi;                       /* select: the case it stands for */
	bool isselect;
	bool success;                   /* woken by a value passing, not close */
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

struct sudog *acquire_sudog(void);
void release_sudog(struct sudog *sg);
struct sudog *waitq_dequeue(struct waitq *q);
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
void chan_buf_put(struct hchan *c, const void *ep);
void chan_buf_take(struct hchan *c, void *ep);

/* goready from an interrupt handler: at once if safe, else deferred. */
void goready_intr(struct g *gp);

#endif
