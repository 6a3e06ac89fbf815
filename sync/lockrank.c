/*
 * lockrank.c - checking the lock order (sync/lockrank.h) in debug builds.
 *
 * spin_lock and spin_unlock (spinlock.h) keep each cpu's record of held
 * locks themselves while the cpu holds at most one; these two functions
 * take over when it holds more:
 *
 *   lockrank_acquire(l)  before l's lock word is taken: the most recent
 *                        ranked lock in the record must be allowed before
 *                        l (lock_partial_order[l->rank]); then l is pushed.
 *   lockrank_release(l)  l is found in the record, from the top, and the
 *                        locks above it move down one (Go's unlockWithRank:
 *                        release order is free).
 *
 * Like Go's checkRanks, only the most recent ranked lock is compared: by
 * induction every ranked lock below it is in its row, and since the table
 * is transitively closed (tests/lockrank_test.c checks), in l's row too.
 * Unlike Go, unranked locks in between are stepped over, so an inversion
 * is still caught with one of them on top.  A select over many channels
 * therefore pays one comparison per channel, not one per pair.
 *
 * Interrupts are masked while the record changes in more than one
 * store, so a handler on this cpu never sees it half-changed.  The
 * one-store changes (the inline paths in spinlock.h, and releasing the
 * last lock taken) are safe by their order: a handler arriving in between
 * leaves the record as it found it.  The one window they leave, a slot
 * reserved but not yet filled, holds a lock this cpu does not own (or
 * one it does, which is harmless to check), and such slots are skipped
 * (owner check).
 *
 * Invariants (per cpu, when no handler is in the middle of a change):
 *   1. 0 <= nover <= held, and held - nover <= LOCKRANK_MAXHELD;
 *   2. stack[0 .. held - nover - 1] are distinct locks this cpu holds or
 *      is spinning for, in the order taken;
 *   3. held == 0 implies nover == 0.
 *
 * Go: runtime/lockrank_on.go (lockWithRank, checkRanks, printHeldLocks,
 * unlockWithRank).
 */
#include "spinlock.h"

#include "hal/hal.h"
#include "runtime/panic.h"
#include "runtime/print.h"

static const char *rank_name(unsigned r)
{
	return r < LOCK_RANK_COUNT ? lock_rank_names[r] : "?";
}

/* Go's printHeldLocks. */
static void print_held_locks(struct spin_cpu *c, int me)
{
	int n = c->held - c->nover;
	print_fmt("runtime: cpu %d holds %d lock%s:\n", me, (int)c->held,
		  c->held == 1 ? "" : "s");
	for (int i = 0; i < n; i++) {
		struct spinlock *h = c->stack[i];
		if (h == NULL) {
			print_fmt("\t%d: (empty)\n", i);
			continue;
		}
		print_fmt("\t%d: \"%s\" rank %u (%s) %p\n", i, h->name ? h->name : "?",
			  (unsigned)h->rank, rank_name(h->rank), (void *)h);
	}
	if (c->nover > 0)
		print_fmt("\t... and %d not recorded\n", (int)c->nover);
}

static _Noreturn __attribute__((noinline)) void lockrank_fail(struct spin_cpu *c, int me,
							       struct spinlock *held,
							       struct spinlock *l)
{
	print_lock();
	print_fmt("runtime: held lock \"%s\" rank %u (%s), taking \"%s\" rank %u (%s)\n",
		  held->name ? held->name : "?", (unsigned)held->rank, rank_name(held->rank),
		  l->name ? l->name : "?", (unsigned)l->rank, rank_name(l->rank));
	print_held_locks(c, me);
	throw("lock ordering problem");
}

void lockrank_acquire(struct spinlock *l, struct spin_cpu *c)
{
	uintptr_t s = hal_irq_save();
	int me = hal_cpu_id();
	int n = c->held - c->nover;
	unsigned r = l->rank;
	if (r != LOCK_RANK_NONE && r < LOCK_RANK_COUNT) {
		/* The most recent ranked lock this cpu owns stands for all the
		   ones below it: they were checked against it when it was taken,
		   and the table is closed.  Skipped as loose: unranked locks,
		   slots not (yet) ours, and l itself (spin_lock_slow then
		   reports taking a lock twice). */
		for (int i = n - 1; i >= 0; i--) {
			struct spinlock *h = c->stack[i];
			if (h == NULL || h->rank == LOCK_RANK_NONE || h->owner != me || h == l)
				continue;
			if (!(lock_partial_order[r] >> (h->rank % 32) & 1))
				lockrank_fail(c, me, h, l);
			break;
		}
	}
	if (n < LOCKRANK_MAXHELD)
		c->stack[n] = l;
	else
		c->nover++;
	c->held++;
	hal_irq_restore(s);
}

/* Not the last lock taken: find it, close the gap (or it was not recorded). */
static __attribute__((noinline)) void lockrank_release_slow(struct spinlock *l,
							      struct spin_cpu *c)
{
	uintptr_t s = hal_irq_save();
	int n = c->held - c->nover;
	int i = n - 1;
	while (i >= 0 && c->stack[i] != l)
		i--;
	if (i >= 0) {
		for (; i < n - 1; i++)
			c->stack[i] = c->stack[i + 1];
	} else if (c->nover > 0) {
		c->nover--;             /* one of the locks the record had no room for */
	} else {
		print_lock();
		print_held_locks(c, hal_cpu_id());
		throw_name("spin_unlock: lock not in this cpu's held-lock record: ", l->name);
	}
	c->held--;
	hal_irq_restore(s);
}

/*
 * The usual case, last in first out, needs no masking: held-- is the one
 * store, and a handler arriving before it leaves held as it found it.
 */
void lockrank_release(struct spinlock *l, struct spin_cpu *c)
{
	int n = c->held - c->nover;
	if (n > 0 && c->stack[n - 1] == l)
		c->held--;
	else
		lockrank_release_slow(l, c);
}
