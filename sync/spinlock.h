/*
 * spinlock.h - the runtime's own short-term locks.
 *
 * A spinlock protects a few instructions' worth of shared state between
 * cpus (the console, a run queue, a free list).  Rules, as in Go's
 * runtime/HACKING.md for runtime locks:
 *
 *   - hold it briefly; never block, sleep or allocate while holding it;
 *   - a lock also taken by an interrupt handler must be taken with the
 *     _irqsave variant everywhere, or the handler deadlocks against the
 *     code it interrupted on the same cpu;
 *   - never take the same lock twice on one cpu (checked: fatal).
 *
 * The lock word is taken with an atomic swap (amoswap.w.aq on RISC-V) and
 * released with a store-release; waiters spin reading it first (test and
 * test-and-set) so the line stays shared while held.
 *
 * Go: runtime/lock_spinbit.go / lock_futex.go (mutex), lockrank.go.
 */
#ifndef GOHART_SPINLOCK_H
#define GOHART_SPINLOCK_H

#include <stdatomic.h>
#include <stdint.h>

#include "config.h"
#include "hal/hal.h"

struct spinlock {
	atomic_int locked;      /* 0 free, 1 held */
	int owner;              /* cpu holding it, -1 when free (debug) */
	const char *name;
};

#define SPINLOCK_INIT(n) { 0, -1, n }

/*
 * Per-cpu lock accounting, written only by its own cpu (no atomics):
 *   count  spinlocks this cpu has taken, ever (tests use it to show a
 *          path takes no lock);
 *   held   spinlocks it holds right now.  The scheduler never preempts a
 *          goroutine while its cpu holds one: the goroutine would keep
 *          the lock while not running, and everyone else would spin.
 * One 16-byte entry per cpu, so both are one index away.
 */
struct spin_cpu {
	uint64_t count;
	int32_t held;
	int32_t pad;
};
extern struct spin_cpu spin_cpu[];

/* The slow halves: contention, and the debug checks' fatal errors. */
void spin_lock_slow(struct spinlock *l, int me);
_Noreturn void spin_unlock_fail(struct spinlock *l);

/*
 * spin_lock / spin_unlock, inline: the uncontended lock is one atomic
 * swap, the unlock a release store, plus the bookkeeping above.
 */
static inline void spin_lock(struct spinlock *l)
{
	int me = hal_cpu_id();
	if (atomic_exchange_explicit(&l->locked, 1, memory_order_acquire) != 0)
		spin_lock_slow(l, me);
	l->owner = me;
	struct spin_cpu *c = &spin_cpu[me];
	c->count++;
	c->held++;
}

static inline void spin_unlock(struct spinlock *l)
{
	int me = hal_cpu_id();
	if (CONFIG_DEBUG && l->owner != me)
		spin_unlock_fail(l);
	spin_cpu[me].held--;
	l->owner = -1;
	atomic_store_explicit(&l->locked, 0, memory_order_release);
}

uintptr_t spin_lock_irqsave(struct spinlock *l);
void spin_unlock_irqrestore(struct spinlock *l, uintptr_t s);
int spin_held_by_me(struct spinlock *l);

#endif
