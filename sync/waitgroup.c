/*
 * waitgroup.c - sync.WaitGroup: Go's sync/waitgroup.go in C.
 *
 * One 64-bit word holds both numbers, so they change together in one
 * atomic operation:
 *
 *     state = counter << 32 | waiters
 *
 * Add adds delta << 32.  Wait, while the counter is non-zero, adds one
 * waiter with a CAS and sleeps on sema.  The Add that brings the counter
 * to zero with waiters present resets the word to 0 and releases sema
 * once per waiter.
 *
 * The misuse checks are Go's: a negative counter; an Add that starts from
 * zero while waiters exist (it raced with Wait); and a Wait that wakes to
 * find the group already in use again ("reused before previous Wait has
 * returned").
 *
 * Go: sync/waitgroup.go (Add, Done, Wait).
 */
#include <stdatomic.h>

#include "gohart.h"
#include "runtime/sema.h"

#define STATE(wg) ((_Atomic uint64_t *)&(wg)->state)

/*
 * waitgroup_add (gohart_sync.h) did the add; here the rest, when the
 * count is not positive or somebody waits.
 */
void waitgroup_add_slow(struct sync_waitgroup *wg, int delta, uint64_t state)
{
	int32_t v = (int32_t)(state >> 32);
	uint32_t w = (uint32_t)state;
	if (v < 0)
		gohart_panic("sync: negative WaitGroup counter");
	if (w != 0 && delta > 0 && v == delta)
		gohart_panic("sync: WaitGroup misuse: Add called concurrently with Wait");
	if (v > 0 || w == 0)
		return;
	/*
	 * The counter is zero and there are waiters: nobody may change the
	 * word now (an Add would be misuse, a Wait sees zero and returns).
	 */
	if (atomic_load(STATE(wg)) != state)
		gohart_panic("sync: WaitGroup misuse: Add called concurrently with Wait");
	atomic_store(STATE(wg), 0);
	for (; w != 0; w--)
		semrelease(&wg->sema, false);
}

void waitgroup_wait(struct sync_waitgroup *wg)
{
	uint64_t state = atomic_load(STATE(wg));
	for (;;) {
		if ((int32_t)(state >> 32) == 0)
			return;
		if (atomic_compare_exchange_weak(STATE(wg), &state, state + 1)) {
			semacquire(&wg->sema, false, WAIT_SYNC_WAITGROUP);
			if (atomic_load(STATE(wg)) != 0)
				gohart_panic("sync: WaitGroup is reused before previous Wait has returned");
			return;
		}
	}
}
