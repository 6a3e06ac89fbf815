/*
 * once.c - sync.Once and sync.Cond: Go's sync/once.go and sync/cond.go.
 *
 * Once.  `done` is read with one atomic load on every call - after the
 * first call that is all once_do costs.  The slow path takes the mutex,
 * so concurrent first callers wait until fn has returned; done is set
 * only after fn returns, with a store that publishes everything fn wrote.
 * (In Go a panicking fn still counts as done, by a deferred store; here a
 * panic ends the program, so the question does not arise.)
 *
 * Cond.  A notify list (runtime/sema.c) of tickets.  cond_wait takes a
 * ticket *before* unlocking the mutex, then sleeps until its ticket is
 * notified: a Signal that comes between the unlock and the sleep still
 * counts, because it advances `notify` past the ticket and the sleep
 * then returns at once.
 *
 * Go: sync/once.go (Do, doSlow), sync/cond.go (Wait, Signal, Broadcast),
 * runtime/sema.go (notifyListAdd, notifyListWait, notifyListNotifyOne,
 * notifyListNotifyAll).
 */
#include <stdatomic.h>

#include "gohart.h"
#include "runtime/sema.h"

void once_do(struct sync_once *o, void (*fn)(void *), void *arg)
{
	if (atomic_load((_Atomic uint32_t *)&o->done) != 0)
		return;
	mutex_lock(&o->m);
	if (o->done == 0) {
		fn(arg);
		atomic_store((_Atomic uint32_t *)&o->done, 1);
	}
	mutex_unlock(&o->m);
}

void cond_init(struct sync_cond *c, struct sync_mutex *l)
{
	c->l = l;
}

void cond_wait(struct sync_cond *c)
{
	uint32_t t = notifylist_add(&c->notify);
	mutex_unlock(c->l);
	notifylist_wait(&c->notify, t, WAIT_SYNC_COND);
	mutex_lock(c->l);
}

void cond_signal(struct sync_cond *c)
{
	notifylist_notify_one(&c->notify);
}

void cond_broadcast(struct sync_cond *c)
{
	notifylist_notify_all(&c->notify);
}
