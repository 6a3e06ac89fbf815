/*
 * mutex.c - sync.Mutex: Go's sync/mutex.go in C, and a reentrant mutex.
 *
 * The whole mutex is one 32-bit word, state, and a semaphore:
 *
 *     bit 0      locked     somebody holds it
 *     bit 1      woken      an unlocker has woken a waiter (or a spinner
 *                           is about to take it): do not wake another
 *     bit 2      starving   starvation mode, below
 *     bits 3..31 waiters    goroutines asleep on sema
 *
 * Normal mode.  Lock is one CAS when the mutex is free.  Otherwise the
 * goroutine may spin a little (only while that can pay off: several harts,
 * another p running the holder, nothing else queued here, at most four
 * rounds), then counts itself as a waiter and sleeps on the semaphore.
 * Unlock wakes one waiter - but the woken waiter does not own the lock:
 * it competes with newcomers that arrive running, on a hart, with the
 * cache warm, and usually lose to them.  That is good for throughput and
 * bad for the waiter.
 *
 * Starvation mode.  A waiter that has waited more than 1 ms sets the
 * starving bit.  From then on Unlock hands the lock directly to the
 * first waiter (semrelease with handoff), newcomers do not even try to
 * take it or spin, they queue at the back.  The mode ends when the
 * waiter that takes the lock is the last one, or waited less than 1 ms.
 *
 *   time ->   G1 holds ........ unlock ----> G2 (woken) loses to G3
 *             G2 waits ---------------------> requeued at the FRONT (LIFO)
 *             ... G2 has waited > 1 ms: starving = 1
 *             unlock ----> handed to G2; G3 arriving now queues behind
 *
 * The fast paths, mutex_lock's CAS from 0 and mutex_unlock's add, are
 * inline in gohart_sync.h.
 *
 * Go: sync/mutex.go (Lock, lockSlow, Unlock, unlockSlow, TryLock),
 * runtime/proc.go (sync_runtime_canSpin, sync_runtime_doSpin).
 */
#include <stdatomic.h>

#include "gohart.h"
#include "runtime/panic.h"
#include "runtime/print.h"
#include "runtime/sema.h"

enum {
	MUTEX_LOCKED = 1,
	MUTEX_WOKEN = 2,
	MUTEX_STARVING = 4,
	MUTEX_WAITER_SHIFT = 3,
};
#define STARVATION_NS (1000 * 1000)     /* Go's starvationThresholdNs */

#define STATE(m) ((_Atomic int32_t *)&(m)->state)

static bool cas(struct sync_mutex *m, int32_t old, int32_t new)
{
	return atomic_compare_exchange_strong(STATE(m), &old, new);
}

void mutex_lock_slow(struct sync_mutex *m)
{
	int64_t waitstart = 0;
	bool starving = false, awoke = false;
	int iter = 0;
	int32_t old = atomic_load(STATE(m));
	for (;;) {
		/* Spin while it is locked in normal mode, if spinning may pay. */
		if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) == MUTEX_LOCKED &&
		    sync_runtime_canspin(iter)) {
			/* Tell Unlock not to wake anyone: we are about to take it. */
			if (!awoke && (old & MUTEX_WOKEN) == 0 && (old >> MUTEX_WAITER_SHIFT) != 0 &&
			    cas(m, old, old | MUTEX_WOKEN))
				awoke = true;
			sync_runtime_dospin();
			iter++;
			old = atomic_load(STATE(m));
			continue;
		}
		int32_t new = old;
		if ((old & MUTEX_STARVING) == 0)
			new |= MUTEX_LOCKED;    /* starving: it is handed over, not taken */
		if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) != 0)
			new += 1 << MUTEX_WAITER_SHIFT;
		if (starving && (old & MUTEX_LOCKED) != 0)
			new |= MUTEX_STARVING;
		if (awoke) {
			if ((new & MUTEX_WOKEN) == 0)
				throw("sync: inconsistent mutex state");
			new &= ~MUTEX_WOKEN;
		}
		if (!cas(m, old, new)) {
			old = atomic_load(STATE(m));
			continue;
		}
		if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) == 0)
			break;                  /* took it with the CAS */
		/* Sleep; a waiter that has been woken before goes first. */
		bool lifo = waitstart != 0;
		if (waitstart == 0)
			waitstart = (int64_t)gohart_nanotime();
		semacquire(&m->sema, lifo, WAIT_SYNC_MUTEX);
		starving = starving || (int64_t)gohart_nanotime() - waitstart > STARVATION_NS;
		old = atomic_load(STATE(m));
		if ((old & MUTEX_STARVING) != 0) {
			/* Handed to us: we own it; fix the count and maybe the mode. */
			if ((old & (MUTEX_LOCKED | MUTEX_WOKEN)) != 0 || (old >> MUTEX_WAITER_SHIFT) == 0)
				throw("sync: inconsistent mutex state");
			int32_t delta = MUTEX_LOCKED - (1 << MUTEX_WAITER_SHIFT);
			if (!starving || (old >> MUTEX_WAITER_SHIFT) == 1)
				delta -= MUTEX_STARVING;        /* leave starvation mode */
			atomic_fetch_add(STATE(m), delta);
			break;
		}
		awoke = true;
		iter = 0;
	}
}

bool mutex_trylock(struct sync_mutex *m)
{
	int32_t old = atomic_load(STATE(m));
	if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) != 0)
		return false;
	return cas(m, old, old | MUTEX_LOCKED);
}

/* mutex_unlock (gohart_sync.h) found waiters, or a mutex not locked. */
void mutex_unlock_slow(struct sync_mutex *m, int32_t new)
{
	if (((new + MUTEX_LOCKED) & MUTEX_LOCKED) == 0)
		throw("sync: unlock of unlocked mutex");
	if ((new & MUTEX_STARVING) != 0) {
		/* Hand it to the first waiter, and let it run now. */
		semrelease(&m->sema, true);
		return;
	}
	int32_t old = new;
	for (;;) {
		/*
		 * Nobody to wake, or someone already took it, or a waiter is
		 * already woken, or it went into starvation mode meanwhile.
		 */
		if ((old >> MUTEX_WAITER_SHIFT) == 0 ||
		    (old & (MUTEX_LOCKED | MUTEX_WOKEN | MUTEX_STARVING)) != 0)
			return;
		new = (old - (1 << MUTEX_WAITER_SHIFT)) | MUTEX_WOKEN;
		if (cas(m, old, new)) {
			semrelease(&m->sema, false);
			return;
		}
		old = atomic_load(STATE(m));
	}
}

/* ---- Reentrant mutex ---- */

void rmutex_lock(struct sync_rmutex *r)
{
	int64_t me = gohart_goid();
	/* Only we store our own id, so seeing it means we hold it. */
	if (atomic_load((_Atomic int64_t *)&r->owner) == me) {
		r->depth++;
		return;
	}
	mutex_lock(&r->m);
	atomic_store((_Atomic int64_t *)&r->owner, me);
	r->depth = 1;
}

void rmutex_unlock(struct sync_rmutex *r)
{
	int64_t me = gohart_goid();
	int64_t owner = atomic_load((_Atomic int64_t *)&r->owner);
	if (owner != me) {
		char msg[96];
		fmt_buf(msg, sizeof msg, "sync: unlock of reentrant mutex by goroutine %ld, held by %ld",
			 (long)me, (long)owner);
		throw(msg);
	}
	if (--r->depth == 0) {
		atomic_store((_Atomic int64_t *)&r->owner, 0);
		mutex_unlock(&r->m);
	}
}
