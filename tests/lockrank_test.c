/*
 * lockrank_test.c - the lock order (sync/lockrank.h) and its run-time
 * check (sync/lockrank.c, spin_lock in spinlock.h): the table is a
 * partial order, the runtime's locks carry their ranks, locks taken in
 * order pass (and are released in any order), the held-lock record
 * survives more locks than it has room for, and an inversion is fatal
 * with both locks named - with two test locks, and with two of the
 * runtime's own.
 */
#include <stdatomic.h>

#include "gohart.h"
#include "hal/hal.h"
#include "mm/mheap.h"
#include "runtime/chan.h"
#include "runtime/proc.h"
#include "sync/spinlock.h"
#include "testing.h"

static struct spinlock lock_a = SPINLOCK_INIT_RANK("lockrank.a", LOCK_RANK_TEST_A);
static struct spinlock lock_b = SPINLOCK_INIT_RANK("lockrank.b", LOCK_RANK_TEST_B);
static struct spinlock lock_u = SPINLOCK_INIT("lockrank.unranked");

TEST(lockrank_table_is_a_partial_order)
{
	EXPECT_EQ(t, lock_partial_order[LOCK_RANK_NONE], 0);
	for (unsigned r = 1; r < LOCK_RANK_COUNT; r++) {
		uint32_t row = lock_partial_order[r];
		if (lock_rank_names[r] == NULL)
			t_errorf(t, "rank %u has no name", r);
		if (row & 1)
			t_errorf(t, "rank %u (%s) lists NONE", r, lock_rank_names[r]);
		for (unsigned p = 1; p < LOCK_RANK_COUNT; p++) {
			if (!(row >> p & 1))
				continue;
			/* A cycle would need some row to list a higher rank. */
			if (p > r)
				t_errorf(t, "%s may be held when taking %s, but ranks higher",
					 lock_rank_names[p], lock_rank_names[r]);
			/* Closed: what may precede p may precede r. */
			if (p != r && (lock_partial_order[p] & ~row) != 0)
				t_errorf(t, "not closed: %s before %s, but %#x before %s missing",
					 lock_rank_names[p], lock_rank_names[r],
					 (unsigned)(lock_partial_order[p] & ~row), lock_rank_names[p]);
		}
	}
}

TEST(lockrank_runtime_locks_have_their_ranks)
{
	EXPECT_EQ(t, sched.lock.rank, LOCK_RANK_SCHED);
	EXPECT_EQ(t, sched.sudoglock.rank, LOCK_RANK_SUDOG);
	EXPECT_EQ(t, ps[0].timerslock.rank, LOCK_RANK_P_TIMERS);
	EXPECT_EQ(t, ms[0].lockedq_lock.rank, LOCK_RANK_M_LOCKEDQ);
	EXPECT_EQ(t, mheap.lock.rank, LOCK_RANK_MHEAP);
	EXPECT_EQ(t, mheap.central[1].lock.rank, LOCK_RANK_MCENTRAL);
	chan_t c = chan_make(int, 1);
	EXPECT_EQ(t, c->lock.rank, LOCK_RANK_HCHAN);
	EXPECT_EQ(t, lock_u.rank, LOCK_RANK_NONE);
}

/* The top n entries of this cpu's record, bottom first, are want[]. */
static bool record_is(struct spin_cpu *c, struct spinlock *const *want, int n)
{
	int top = c->held - c->nover;
	if (top < n)
		return false;
	for (int i = 0; i < n; i++)
		if (c->stack[top - n + i] != want[i])
			return false;
	return true;
}

TEST(lockrank_in_order_passes_and_releases_in_any_order)
{
	if (!CONFIG_DEBUG)
		t_skipf(t, "the record is kept only with CONFIG_DEBUG");
	/* Masked: this goroutine stays on this cpu while we read its record. */
	uintptr_t s = hal_irq_save();
	struct spin_cpu *c = &spin_cpu[hal_cpu_id()];
	int32_t held0 = c->held;

	spin_lock(&lock_a);
	spin_lock(&lock_b);
	EXPECT_EQ(t, c->held, held0 + 2);
	EXPECT(t, record_is(c, (struct spinlock *[]){ &lock_a, &lock_b }, 2));
	spin_unlock(&lock_a);                   /* out of order */
	EXPECT_EQ(t, c->held, held0 + 1);
	EXPECT(t, record_is(c, (struct spinlock *[]){ &lock_b }, 1));
	spin_unlock(&lock_b);
	EXPECT_EQ(t, c->held, held0);

	/* Unranked locks go anywhere: under A, over B, in between. */
	spin_lock(&lock_a);
	spin_lock(&lock_u);
	spin_lock(&lock_b);                     /* checked against A, below U */
	EXPECT(t, record_is(c, (struct spinlock *[]){ &lock_a, &lock_u, &lock_b }, 3));
	spin_unlock(&lock_u);
	spin_unlock(&lock_a);
	spin_lock(&lock_u);                     /* over B */
	spin_unlock(&lock_b);
	spin_unlock(&lock_u);
	EXPECT_EQ(t, c->held, held0);
	EXPECT_EQ(t, c->nover, 0);
	hal_irq_restore(s);
}

/*
 * More locks than the record has room for (a select over many channels
 * does this): the extra ones are counted, not recorded, and everything is
 * released in a scrambled order without complaint.
 */
TEST(lockrank_record_overflow_is_counted)
{
	if (!CONFIG_DEBUG)
		t_skipf(t, "the record is kept only with CONFIG_DEBUG");
	enum { N = LOCKRANK_MAXHELD + 6 };
	static struct spinlock many[N];
	for (int i = 0; i < N; i++)
		many[i] = (struct spinlock)SPINLOCK_INIT("lockrank.many");
	uintptr_t s = hal_irq_save();
	struct spin_cpu *c = &spin_cpu[hal_cpu_id()];
	int32_t held0 = c->held;
	spin_lock(&lock_a);
	for (int i = 0; i < N; i++)
		spin_lock(&many[i]);
	spin_lock(&lock_b);                     /* not recorded; still checked */
	EXPECT_EQ(t, c->held, held0 + N + 2);
	EXPECT_EQ(t, c->held - c->nover, LOCKRANK_MAXHELD);
	spin_unlock(&lock_a);
	for (int i = 1; i < N; i += 2)
		spin_unlock(&many[i]);
	spin_unlock(&lock_b);
	for (int i = 0; i < N; i += 2)
		spin_unlock(&many[i]);
	EXPECT_EQ(t, c->held, held0);
	EXPECT_EQ(t, c->nover, 0);
	hal_irq_restore(s);
}

/* ---- Inversions: fatal, naming both locks (debug builds check) ---- */

#if CONFIG_DEBUG

TEST_FATAL(lockrank_inversion_is_fatal, 2,
	   "runtime: held lock \"lockrank.b\" rank 2 (test_b), "
	   "taking \"lockrank.a\" rank 1 (test_a)\n"
	   " holds 1 lock:\n"
	   "\t0: \"lockrank.b\" rank 2 (test_b) 0x\n"
	   "fatal error: lock ordering problem\n")
{
	(void)t;
	spin_lock(&lock_b);
	spin_lock(&lock_a);
}

/* An unranked lock on top does not hide the inversion beneath it. */
TEST_FATAL(lockrank_inversion_under_unranked_is_fatal, 2,
	   "runtime: held lock \"lockrank.b\" rank 2 (test_b), "
	   "taking \"lockrank.a\" rank 1 (test_a)\n"
	   " holds 2 locks:\n"
	   "\t1: \"lockrank.unranked\" rank 0 (none) 0x\n"
	   "fatal error: lock ordering problem\n")
{
	(void)t;
	spin_lock(&lock_b);
	spin_lock(&lock_u);
	spin_lock(&lock_a);
}

/*
 * The runtime's own: a channel operation (hchan) while holding the
 * scheduler's lock.  chan_park holds hchan while the scheduler takes
 * sched.lock, so this order could deadlock against it.
 */
TEST_FATAL(lockrank_runtime_inversion_is_fatal, 2,
	   "runtime: held lock \"sched.lock\" rank 7 (sched.lock), "
	   "taking \"hchan\" rank 6 (hchan)\n"
	   "fatal error: lock ordering problem\n")
{
	(void)t;
	chan_t c = chan_make(int, 1);
	int v = 1;
	uintptr_t s = spin_lock_irqsave(&sched.lock);
	chan_try_send(c, &v);
	spin_unlock_irqrestore(&sched.lock, s);
}
#endif /* CONFIG_DEBUG */
