/*
 * rwmutex.c - sync.RWMutex: Go's sync/rwmutex.go in C.
 *
 * Readers and writers share one counter, readercount:
 *
 *   readercount >= 0      that many readers hold the lock, no writer
 *   readercount <  0      a writer has announced itself by subtracting
 *                         RWMUTEX_MAX_READERS (2^30): the readers still
 *                         inside are readercount + 2^30, and a new reader
 *                         sees a negative count and waits on readersem
 *
 * RLock is one atomic add: positive result, in.  RUnlock one atomic add:
 * if a writer is waiting, the last reader of those it waits for
 * (readerwait reaches 0) wakes it on writersem.
 *
 * Lock first takes w (so writers exclude each other), then subtracts 2^30
 * from readercount - from that moment no new reader gets in, which is why
 * a stream of readers cannot starve a writer - and waits for the readers
 * that were already in (readerwait).  Unlock adds 2^30 back and wakes the
 * readers that queued meanwhile, then releases w.
 *
 * Go: sync/rwmutex.go (RLock, RUnlock, rUnlockSlow, Lock, Unlock,
 * TryRLock, TryLock).
 */
#include <stdatomic.h>

#include "gohart.h"
#include "runtime/panic.h"
#include "runtime/sema.h"

#define RWMUTEX_MAX_READERS (1 << 30)
#define A32(p) ((_Atomic int32_t *)(p))

/* rwmutex_rlock (gohart_sync.h) found a writer: wait for it. */
void rwmutex_rlock_slow(struct sync_rwmutex *rw)
{
	semacquire(&rw->readersem, false, WAIT_SYNC_RWMUTEX_RLOCK);
}

bool rwmutex_tryrlock(struct sync_rwmutex *rw)
{
	int32_t c = atomic_load(A32(&rw->readercount));
	while (c >= 0)
		if (atomic_compare_exchange_weak(A32(&rw->readercount), &c, c + 1))
			return true;
	return false;
}

/* rwmutex_runlock (gohart_sync.h) found a writer waiting, or misuse. */
void rwmutex_runlock_slow(struct sync_rwmutex *rw, int32_t r)
{
	if (r + 1 == 0 || r + 1 == -RWMUTEX_MAX_READERS)
		throw("sync: RUnlock of unlocked RWMutex");
	/* A writer is waiting: the last reader it waits for wakes it. */
	if (atomic_fetch_add(A32(&rw->readerwait), -1) - 1 == 0)
		semrelease(&rw->writersem, false);
}

void rwmutex_lock(struct sync_rwmutex *rw)
{
	mutex_lock(&rw->w);
	/* Announce the writer; r = readers still inside. */
	int32_t r = atomic_fetch_add(A32(&rw->readercount), -RWMUTEX_MAX_READERS);
	if (r != 0 && atomic_fetch_add(A32(&rw->readerwait), r) + r != 0)
		semacquire(&rw->writersem, false, WAIT_SYNC_RWMUTEX_LOCK);
}

bool rwmutex_trylock(struct sync_rwmutex *rw)
{
	if (!mutex_trylock(&rw->w))
		return false;
	int32_t zero = 0;
	if (!atomic_compare_exchange_strong(A32(&rw->readercount), &zero, -RWMUTEX_MAX_READERS)) {
		mutex_unlock(&rw->w);
		return false;
	}
	return true;
}

void rwmutex_unlock(struct sync_rwmutex *rw)
{
	int32_t r = atomic_fetch_add(A32(&rw->readercount), RWMUTEX_MAX_READERS) +
		    RWMUTEX_MAX_READERS;
	if (r >= RWMUTEX_MAX_READERS)
		throw("sync: Unlock of unlocked RWMutex");
	/* Let in the readers that came while we held it. */
	for (int32_t i = 0; i < r; i++)
		semrelease(&rw->readersem, false);
	mutex_unlock(&rw->w);
}
