/*
 * timer_test.c - the clock is monotonic on and across cpus; one-shot
 * timers fire on every cpu, never before their deadline.  (No test here
 * says how *late* a timer may be: that is a benchmark, not a test.)
 */
#include "hal/hal.h"
#include "runtime/hart.h"
#include "testing.h"

struct timer_check {
	T *t;
	atomic_int fired[CONFIG_MAXCPU];
	uint64_t when[CONFIG_MAXCPU];
	uint64_t at[CONFIG_MAXCPU];
};

static void on_alarm(struct hal_trapframe *tf, void *arg)
{
	(void)tf;
	struct timer_check *c = arg;
	int me = hal_cpu_id();
	c->at[me] = hal_nanotime();
	atomic_store(&c->fired[me], 1);
}

/* On each cpu: five deadlines, 0.5 to 2.5 ms ahead; wait for each. */
static void timer_rounds(void *arg)
{
	struct timer_check *c = arg;
	int me = hal_cpu_id();
	for (int round = 1; round <= 5; round++) {
		atomic_store(&c->fired[me], 0);
		c->when[me] = hal_nanotime() + (uint64_t)round * 500000;
		alarm_set(ALARM_USER, c->when[me], on_alarm, c);
		while (!atomic_load(&c->fired[me])) {
			uintptr_t s = hal_irq_save();
			if (!atomic_load(&c->fired[me]))
				hal_wait_for_interrupt();
			hal_irq_restore(s);
		}
		if (c->at[me] < c->when[me])
			t_errorf(c->t, "cpu %d round %d: fired %lu ns before its deadline",
				 me, round, (unsigned long)(c->when[me] - c->at[me]));
	}
}

TEST(timer_fires_on_every_hart)
{
	static struct timer_check c;
	c.t = t;
	hart_call_all(timer_rounds, &c);
}

TEST(timer_disarm_cancels)
{
	static struct timer_check c;
	c.t = t;
	atomic_store(&c.fired[0], 0);
	alarm_set(ALARM_USER, hal_nanotime() + 1000000, on_alarm, &c);
	alarm_cancel(ALARM_USER);
	uint64_t until = hal_nanotime() + 5000000;
	while (hal_nanotime() < until)
		hal_cpu_relax();
	EXPECT_EQ(t, atomic_load(&c.fired[0]), 0);
}

TEST(timer_past_deadline_fires_at_once)
{
	static struct timer_check c;
	c.t = t;
	atomic_store(&c.fired[0], 0);
	alarm_set(ALARM_USER, 1, on_alarm, &c);  /* long ago */
	for (int i = 0; i < 1000000 && !atomic_load(&c.fired[0]); i++)
		hal_cpu_relax();
	EXPECT_EQ(t, atomic_load(&c.fired[0]), 1);
}

static atomic_ulong latest;     /* the latest time any cpu has seen */
static atomic_int went_back;

static void clock_race(void *arg)
{
	(void)arg;
	uint64_t last = 0;
	for (int i = 0; i < 20000; i++) {
		uint64_t seen = atomic_load(&latest);
		uint64_t now = hal_nanotime();
		if (now < last || now < seen)
			atomic_fetch_add(&went_back, 1);
		last = now;
		while (seen < now && !atomic_compare_exchange_weak(&latest, &seen, now))
			;
	}
}

TEST(timer_nanotime_monotonic_across_harts)
{
	atomic_store(&latest, 0);
	atomic_store(&went_back, 0);
	hart_call_all(clock_race, NULL);
	EXPECT_EQ(t, atomic_load(&went_back), 0);
	EXPECT(t, hal_timebase() > 0);
}
