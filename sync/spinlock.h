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

struct spinlock {
	atomic_int locked;      /* 0 free, 1 held */
	int owner;              /* cpu holding it, -1 when free (debug) */
	const char *name;
};

#define SPINLOCK_INIT(n) { 0, -1, n }

void spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l);
uintptr_t spin_lock_irqsave(struct spinlock *l);
void spin_unlock_irqrestore(struct spinlock *l, uintptr_t s);
int spin_held_by_me(struct spinlock *l);

/* Spinlocks each cpu has taken (its own counter: no atomics needed). */
extern uint64_t spin_lock_count[];
/*
 * Spinlocks each cpu holds right now.  The scheduler never preempts a
 * goroutine while its cpu holds one: the goroutine would keep the lock
 * while not running, and everyone else would spin on it.
 */
extern int spin_held[];

#endif
