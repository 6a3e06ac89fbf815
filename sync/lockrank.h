/*
 * lockrank.h - the order in which the runtime's spinlocks may be taken:
 * the one source of truth.
 *
 * Two cpus deadlock when each holds a lock the other wants.  That cannot
 * happen if every cpu takes locks in one agreed order.  So every runtime
 * spinlock has a rank (enum lock_rank), and lock_partial_order[] below
 * says, for each rank, which ranks may already be held when a lock of
 * that rank is taken.  In debug builds (CONFIG_DEBUG) spin_lock checks
 * it: taking a lock that the table does not allow after one this cpu
 * already holds is fatal, naming both locks:
 *
 *     runtime: held lock "sched.lock" rank 7 (sched.lock), taking "hchan" rank 6 (hchan)
 *     fatal error: lock ordering problem
 *
 * The check happens before the lock is taken, so an inversion that
 * would deadlock is reported instead of hanging.
 *
 * How it works (spinlock.h, lockrank.c):
 *   1. Each cpu keeps a record of the locks it holds, in the order it
 *      took them (struct spin_cpu: held and stack[], Go's m.locksHeld).
 *      Per cpu, not per goroutine: a spinlock never changes cpu (gopark's
 *      lock is released by the next goroutine on the same cpu).
 *   2. spin_lock with nothing held only records the lock (inline, a few
 *      instructions).  With something held it calls lockrank_acquire (out
 *      of line, cold): the most recently taken ranked lock must be in the
 *      new lock's row of the table.  It stands for the ones below it,
 *      which were checked against it in turn (Go's checkRanks).
 *   3. spin_unlock with one lock held clears the record inline; with more,
 *      lockrank_release finds the lock in the record (from the top: locks
 *      are usually released last-in first-out, but need not be) and closes
 *      the gap, as Go's unlockWithRank does.
 *   4. A cpu holding more than LOCKRANK_MAXHELD locks (a select over many
 *      channels holds one per channel) records only the first ones; the
 *      rest are checked against the last recorded one, but not recorded.
 *
 * Unranked locks (LOCK_RANK_NONE, what SPINLOCK_INIT gives: tests' and
 * programs' own locks) are checked loosely: they may be taken with
 * anything held, anything may be taken while they are held, and they are
 * skipped when a ranked lock is checked.  Go instead treats an unranked
 * lock as a leaf (nothing may be taken under it); our tests' locks are
 * held across goready and gopark, which take the scheduler's locks.
 *
 * The table must be transitively closed (if A may be held when taking B,
 * and B when taking C, then A when taking C) and agree with the enum's
 * numeric order (a rank's row lists only ranks at or below it): then the
 * order has no cycle.  tests/lockrank_test.c checks both.  Keeping the
 * rows short is the point: each entry is a path in the code, named in
 * its comment.
 *
 * The console lock (print.c) and newlib's locks (libc.c) are not struct
 * spinlocks (they are recursive, owned by a cpu) and are not checked;
 * they have ranks here so the table shows where they stand.
 *
 * Go: runtime/lockrank.go (lockRank, lockNames, lockPartialOrder),
 * lockrank_on.go (lockWithRank, checkRanks, unlockWithRank).
 */
#ifndef GOHART_LOCKRANK_H
#define GOHART_LOCKRANK_H

#include <stdint.h>

/* Locks one cpu's record holds (struct spin_cpu is 128 bytes with 14). */
#define LOCKRANK_MAXHELD 14

/*
 * The ranks, lowest (taken first) to highest.  Two locks of one rank may
 * be held together only if the rank's row lists itself (hchan).
 */
enum lock_rank {
	LOCK_RANK_NONE = 0,     /* unranked: checked loosely (above) */
	LOCK_RANK_TEST_A,       /* tests/lockrank_test.c */
	LOCK_RANK_TEST_B,       /* tests/lockrank_test.c: after TEST_A */
	LOCK_RANK_TICKER,       /* gohart_ticker.lock (timechan.c) */
	LOCK_RANK_SEMAROOT,     /* semaroot.lock: the semaphore table (sema.c) */
	LOCK_RANK_P_TIMERS,     /* p.timerslock: a p's timer heap (time.c) */
	LOCK_RANK_HCHAN,        /* hchan.lock (chan.c, select.c) */
	LOCK_RANK_SCHED,        /* sched.lock: global queue, idle p's, allgs */
	LOCK_RANK_M_LOCKEDQ,    /* m.lockedq_lock: goroutines pinned to an m */
	LOCK_RANK_SUDOG,        /* sched.sudoglock: the shared sudog cache */
	LOCK_RANK_STACKPOOL,    /* stack.c pool_lock: free goroutine stacks */
	LOCK_RANK_MCENTRAL,     /* mcentral.lock: one per span class */
	LOCK_RANK_MHEAP,        /* mheap.lock: pages and spans */
	LOCK_RANK_NEWLIB,       /* newlib's malloc/stdio locks (not checked) */
	LOCK_RANK_PRINT,        /* the console lock (not checked) */
	LOCK_RANK_COUNT
};
_Static_assert(LOCK_RANK_COUNT <= 32, "lock_partial_order: one bit per rank in a uint32_t");

/* Go's lockNames: what a report calls each rank. */
static const char *const lock_rank_names[LOCK_RANK_COUNT] __attribute__((unused)) = {
	[LOCK_RANK_NONE] = "none",
	[LOCK_RANK_TEST_A] = "test_a",
	[LOCK_RANK_TEST_B] = "test_b",
	[LOCK_RANK_TICKER] = "ticker",
	[LOCK_RANK_SEMAROOT] = "semaroot",
	[LOCK_RANK_P_TIMERS] = "p.timers",
	[LOCK_RANK_HCHAN] = "hchan",
	[LOCK_RANK_SCHED] = "sched.lock",
	[LOCK_RANK_M_LOCKEDQ] = "m.lockedq",
	[LOCK_RANK_SUDOG] = "sched.sudog",
	[LOCK_RANK_STACKPOOL] = "stackpool",
	[LOCK_RANK_MCENTRAL] = "mcentral",
	[LOCK_RANK_MHEAP] = "mheap",
	[LOCK_RANK_NEWLIB] = "newlib",
	[LOCK_RANK_PRINT] = "print",
};

#define LR(r) (1u << LOCK_RANK_##r)

/*
 * lock_partial_order[r]: the ranks that may be held when a lock of rank r
 * is taken (a bit set; Go's lockPartialOrder).  A rank missing from a row
 * is an inversion.  Each entry says which code path needs it.
 */
static const uint32_t lock_partial_order[LOCK_RANK_COUNT] __attribute__((unused)) = {
	[LOCK_RANK_NONE] = 0,                   /* never looked at */
	[LOCK_RANK_TEST_A] = 0,
	[LOCK_RANK_TEST_B] = LR(TEST_A),
	/* Taken by goroutines holding no runtime lock, and by ticker_fire,
	   which checktimers calls with p.timers released (as Go's runtimer). */
	[LOCK_RANK_TICKER] = 0,
	/* semacquire, semrelease, notifylist_*: from goroutines, no lock held. */
	[LOCK_RANK_SEMAROOT] = 0,
	[LOCK_RANK_P_TIMERS] =
		LR(TICKER),             /* ticker_fire/_new -> addtimer; _stop -> deltimer_seq */
	[LOCK_RANK_HCHAN] =
		LR(TICKER) |            /* ticker_fire -> send_time -> chan_try_send */
		LR(P_TIMERS) |          /* an interrupt handler's chan_send_from_interrupt
					   on a cpu inside addtimer (interrupts on there);
					   no channel holder ever waits for p.timers */
		LR(HCHAN),              /* select locks all its channels, by address */
	[LOCK_RANK_SCHED] =
		LR(TICKER) |            /* ticker_fire -> send_time -> goready -> wakep */
		LR(SEMAROOT) |          /* gopark with the root locked: findrunnable, wakep */
		LR(P_TIMERS) |          /* closure: P_TIMERS -> HCHAN -> SCHED */
		LR(HCHAN),              /* gopark with the channel locked (it is released
					   after the switch): schedule -> findrunnable ->
					   globrunqget, handover_p, inject_intrready, wakep */
	[LOCK_RANK_M_LOCKEDQ] =
		LR(TICKER) |            /* ticker_fire -> goready -> ready_put (pinned g) */
		LR(SEMAROOT) |          /* gopark -> findrunnable -> lockedq_get */
		LR(P_TIMERS) |          /* closure: P_TIMERS -> HCHAN -> M_LOCKEDQ */
		LR(HCHAN),              /* gopark -> findrunnable -> lockedq_get,
					   inject_intrready -> ready_put */
	[LOCK_RANK_SUDOG] =
		LR(TICKER) |            /* closure: TICKER -> HCHAN -> SUDOG */
		LR(SEMAROOT) |          /* notifylist_wait -> acquire_sudog */
		LR(P_TIMERS) |          /* closure: P_TIMERS -> HCHAN -> SUDOG */
		LR(HCHAN),              /* chan_park, select -> acquire_sudog and
					   release_sudog with the channels locked */
	/* stack_alloc from malg, with no lock held. */
	[LOCK_RANK_STACKPOOL] = 0,
	[LOCK_RANK_MCENTRAL] =
		LR(TICKER) |            /* closure: TICKER -> HCHAN -> MCENTRAL */
		LR(SEMAROOT) |          /* notifylist_wait -> acquire_sudog -> gc_new */
		LR(P_TIMERS) |          /* closure: P_TIMERS -> HCHAN -> MCENTRAL */
		LR(HCHAN),              /* acquire_sudog_slow -> gc_new -> refill,
					   with the channels locked */
	[LOCK_RANK_MHEAP] =
		LR(TICKER) | LR(SEMAROOT) | LR(P_TIMERS) |      /* closure, as MCENTRAL */
		LR(HCHAN) |             /* a large sudog allocation, or via MCENTRAL */
		LR(STACKPOOL) |         /* the design order (cache_refill drops the
					   pool lock before mheap_alloc_manual today) */
		LR(MCENTRAL),           /* likewise: mcentral_cache_span -> mheap_alloc */
	[LOCK_RANK_NEWLIB] =
		LR(TICKER) |            /* closure: TICKER -> P_TIMERS -> NEWLIB */
		LR(P_TIMERS),           /* addtimer -> realloc of the heap array */
	/* Last of all: a fatal error prints with any lock held. */
	[LOCK_RANK_PRINT] = (1u << LOCK_RANK_PRINT) - 2,        /* every rank but NONE */
};

#undef LR

#endif
