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
 *   - never take the same lock twice on one cpu (checked: fatal);
 *   - take locks in rank order (sync/lockrank.h; checked in debug builds:
 *     fatal "lock ordering problem" naming both locks).
 *
 * Preemption is off while a cpu holds a spinlock: spin_cpu[cpu].held
 * counts the locks this cpu holds (from just before the lock word is
 * taken to just after it is released), and the scheduler never switches
 * out a goroutine while it is non-zero (sysmon.c preemptible, releasem,
 * goready_intr).  A goroutine switched out while holding one would keep
 * it while not running, and everyone else would spin.  Go's lock does
 * the same with m.locks++.
 *
 * The lock word is taken with an atomic swap (amoswap.w.aq on RISC-V) and
 * released with a store-release; waiters spin reading it first (test and
 * test-and-set) so the line stays shared while held.
 *
 * Lock ranking (CONFIG_DEBUG): each cpu records the locks it holds in
 * spin_cpu[cpu].stack.  Taking the first lock only records it, inline;
 * taking one while holding others calls lockrank_acquire (out of line,
 * cold), which checks the partial order.  A lock/unlock round trip with
 * nothing else held costs 2 instructions more on rv64, 6 on arm64
 * (bench_spinlock_uncontended); a nested one, a call each way.
 *
 * Go: runtime/lock_spinbit.go / lock_futex.go (mutex), lockrank_on.go.
 */
#ifndef GOHART_SPINLOCK_H
#define GOHART_SPINLOCK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "hal/hal.h"
#include "sync/lockrank.h"

struct spinlock {
	atomic_int locked;      /* 0 free, 1 held */
	int owner;              /* cpu holding it, -1 when free (debug) */
	const char *name;
	uint32_t rank;          /* enum lock_rank; LOCK_RANK_NONE: unranked */
};

/* An unranked lock (checked loosely: lockrank.h), and a ranked one. */
#define SPINLOCK_INIT(n) { .locked = 0, .owner = -1, .name = n, .rank = LOCK_RANK_NONE }
#define SPINLOCK_INIT_RANK(n, r) { .locked = 0, .owner = -1, .name = n, .rank = r }

/*
 * Per-cpu lock accounting, written only by its own cpu (no atomics;
 * interrupt handlers on the cpu leave it as they found it):
 *   count  spinlocks this cpu has taken, ever (tests use it to show a
 *          path takes no lock);
 *   held   spinlocks it holds (or is spinning for) right now; preemption
 *          is off while non-zero (above);
 *   nover  debug: how many of those are not in stack[] (it was full);
 *   stack  debug: the others, in the order taken (Go's m.locksHeld):
 *          stack[0 .. held - nover - 1].
 * 128 bytes per cpu: one shift to index, and no line shared by two cpus.
 */
struct spin_cpu {
	uint64_t count;
	union {
		struct {
			int32_t held;
			int32_t nover;
		};
		uint64_t held_nover;    /* both, to clear them in one store */
	};
	struct spinlock *stack[LOCKRANK_MAXHELD];
};
_Static_assert(sizeof(struct spin_cpu) == 128, "spin_cpu: 128 bytes per cpu");
extern struct spin_cpu spin_cpu[];

/* The slow halves: contention, and the debug checks' fatal errors. */
void spin_lock_slow(struct spinlock *l, int me);
_Noreturn void spin_unlock_fail(struct spinlock *l);
/* lockrank.c: record l with others held, and check the order; forget l. */
__attribute__((cold)) void lockrank_acquire(struct spinlock *l, struct spin_cpu *c);
__attribute__((cold)) void lockrank_release(struct spinlock *l, struct spin_cpu *c);

/*
 * spin_lock / spin_unlock, inline: the uncontended lock is one atomic
 * swap, the unlock a release store, plus the bookkeeping above.
 *
 * The record is made before the swap (so an inversion is reported rather
 * than deadlocking) and in this order: held first, then the slot.  An
 * interrupt handler that takes a lock in between finds held = 1 and
 * records its own above the slot, leaving the slot to us; lockrank.c
 * trusts a slot only if its lock is owned by this cpu.
 */
/* This cpu is about to hold l: count it, and check and record its rank. */
static inline void spin_note_acquire(struct spinlock *l, struct spin_cpu *c)
{
	c->count++;
	if (!CONFIG_DEBUG) {
		c->held++;
	} else if (c->held != 0) {
		lockrank_acquire(l, c);
	} else {
		c->held = 1;
		atomic_signal_fence(memory_order_seq_cst);      /* held, then the slot */
		c->stack[0] = l;
	}
}

/* This cpu no longer holds l (or failed to take it). */
static inline void spin_note_release(struct spinlock *l, struct spin_cpu *c)
{
	if (!CONFIG_DEBUG)
		c->held--;
	else if (c->held != 1)
		lockrank_release(l, c);
	else
		c->held_nover = 0;      /* held 1 -> 0, and nover 0 */
}

static inline void spin_lock(struct spinlock *l)
{
	int me = hal_cpu_id();
	spin_note_acquire(l, &spin_cpu[me]);
	if (atomic_exchange_explicit(&l->locked, 1, memory_order_acquire) != 0)
		spin_lock_slow(l, me);
	l->owner = me;
}

static inline void spin_unlock(struct spinlock *l)
{
	int me = hal_cpu_id();
	if (CONFIG_DEBUG && l->owner != me)
		spin_unlock_fail(l);
	spin_note_release(l, &spin_cpu[me]);
	l->owner = -1;
	atomic_store_explicit(&l->locked, 0, memory_order_release);
}

/*
 * spin_trylock: take l only if it is free now; never wait.  For interrupt
 * handlers: a handler must not spin on a lock whose holder, on another
 * cpu, may itself be waiting for a lock that the code this handler
 * interrupted holds.
 */
static inline bool spin_trylock(struct spinlock *l)
{
	if (atomic_load_explicit(&l->locked, memory_order_relaxed) != 0)
		return false;
	int me = hal_cpu_id();
	spin_note_acquire(l, &spin_cpu[me]);
	if (atomic_exchange_explicit(&l->locked, 1, memory_order_acquire) == 0) {
		l->owner = me;
		return true;
	}
	spin_note_release(l, &spin_cpu[me]);   /* lost the race: undo */
	return false;
}

/*
 * spin_lock_irqoff / spin_unlock_irqoff: for locks that every holder
 * holds with interrupts masked (channels', semaphores' roots; the caller
 * masks them).  Nothing can then preempt the holder or interrupt it on
 * its own cpu, so the per-cpu accounting that keeps preemption and
 * interrupt handlers away is not needed: the round trip is one swap and
 * one release store, the 3+1 instructions of a bare AMO lock.  Debug
 * builds keep the full bookkeeping, for the rank checks (a channel lock
 * is held across a park, with sched.lock taken inside it).
 */
static inline void spin_lock_irqoff(struct spinlock *l)
{
	if (CONFIG_DEBUG) {
		spin_lock(l);
		return;
	}
	if (atomic_exchange_explicit(&l->locked, 1, memory_order_acquire) != 0)
		spin_lock_slow(l, -1);
}

/*
 * spin_trylock_irqoff: take l only if it is free now.  Fast paths use it
 * to stay free of calls (and so of a stack frame): when l is taken they
 * hand over to an out-of-line half that waits with spin_lock_irqoff.
 */
static inline bool spin_trylock_irqoff(struct spinlock *l)
{
	if (CONFIG_DEBUG)
		return spin_trylock(l);
	return atomic_exchange_explicit(&l->locked, 1, memory_order_acquire) == 0;
}

static inline void spin_unlock_irqoff(struct spinlock *l)
{
	if (CONFIG_DEBUG) {
		spin_unlock(l);
		return;
	}
	atomic_store_explicit(&l->locked, 0, memory_order_release);
}

uintptr_t spin_lock_irqsave(struct spinlock *l);
void spin_unlock_irqrestore(struct spinlock *l, uintptr_t s);
int spin_held_by_me(struct spinlock *l);

#endif
