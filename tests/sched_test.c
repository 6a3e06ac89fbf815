/*
 * sched_test.c - the scheduler: preemption of goroutines that never
 * yield, stealing (work reaches every hart), runnext, sleeping, reuse of
 * dead goroutines, a randomized storm, and the fatal errors: deadlock,
 * panic, stack overflow, an illegal status change.
 *
 * Tests run in the main goroutine, pinned to cpu 0 (tests/main.c).
 * Waiting for other goroutines is done by sleeping, so nothing here
 * depends on how fast anything runs.
 */
#include <stdatomic.h>
#include <string.h>

#include "gohart.h"
#include "hal/hal.h"
#include "mm/mheap.h"
#include "runtime/proc.h"
#include "testing.h"

/* Sleep in 1 ms steps until *counter reaches want. */
static void wait_for(atomic_int *counter, int want)
{
	while (atomic_load(counter) < want)
		gohart_sleep(1000 * 1000);
}

/* ---- Asynchronous preemption ---- */

static atomic_int spin_stop, spin_done, spin_bad;

/*
 * Never yields: only the timer interrupt can take the hart away.  Its
 * loop state lives in integer and floating-point registers across
 * every preemption, and is checked at the end.
 */
static void spinner(void *arg)
{
	(void)arg;
	uint64_t i = 0, sum = 0;
	double half = 0;
	while (!atomic_load_explicit(&spin_stop, memory_order_relaxed)) {
		sum += i;
		half += 0.5;
		i++;
	}
	if (sum != i * (i - 1) / 2 || half != 0.5 * (double)i)
		atomic_fetch_add(&spin_bad, 1);
	atomic_fetch_add(&spin_done, 1);
}

static atomic_int helper_ran;

static void helper(void *arg)
{
	(void)arg;
	atomic_fetch_add(&helper_ran, 1);
}

TEST(sched_spinners_do_not_starve_others)
{
	int n = gohart_gomaxprocs(0);
	atomic_store(&spin_stop, 0);
	atomic_store(&spin_done, 0);
	atomic_store(&spin_bad, 0);
	atomic_store(&helper_ran, 0);
	uint64_t preempts = 0;
	for (int i = 0; i < n; i++)
		preempts += ms[i].npreempt;
	/* One spinner per hart, and one more: every hart is busy. */
	for (int i = 0; i <= n; i++)
		go(spinner, NULL);
	/* This sleep ends only if the spinner on cpu 0 is preempted. */
	gohart_sleep(30 * 1000 * 1000);
	/* A newcomer gets to run too. */
	go(helper, NULL);
	wait_for(&helper_ran, 1);
	atomic_store(&spin_stop, 1);
	wait_for(&spin_done, n + 1);
	EXPECT_EQ(t, atomic_load(&spin_bad), 0);
	uint64_t after = 0;
	for (int i = 0; i < n; i++)
		after += ms[i].npreempt;
	EXPECT(t, after > preempts);
}

/*
 * Floating-point values live in callee-saved FP registers across
 * gohart_gosched, in several goroutines at once, some using FP and some
 * not: the switch saves and restores the FP half only for contexts that
 * touched it, and must never lose or mix one goroutine's values.
 */
static atomic_int fp_done, fp_bad;

static void fp_yielder(void *arg)
{
	int k = (int)(uintptr_t)arg;
	double a = 1.5 * k, b = 0.25 * k, c = 3.0 + k;
	for (int i = 0; i < 300; i++) {
		a += 1.0;
		b += 0.5;
		c *= 1.0;
		gohart_gosched();
	}
	if (a != 1.5 * k + 300.0 || b != 0.25 * k + 150.0 || c != 3.0 + k)
		atomic_fetch_add(&fp_bad, 1);
	atomic_fetch_add(&fp_done, 1);
}

static void int_yielder(void *arg)
{
	(void)arg;
	for (int i = 0; i < 300; i++)
		gohart_gosched();
	atomic_fetch_add(&fp_done, 1);
}

TEST(sched_fp_registers_survive_yields)
{
	atomic_store(&fp_done, 0);
	atomic_store(&fp_bad, 0);
	for (int k = 1; k <= 6; k++) {
		go(fp_yielder, (void *)(uintptr_t)k);
		go(int_yielder, NULL);
	}
	wait_for(&fp_done, 12);
	EXPECT_EQ(t, atomic_load(&fp_bad), 0);
}

/* ---- Stealing ---- */

#define NSPAWN 10000
static atomic_int spawn_done;
static atomic_int ran_on[CONFIG_MAXCPU];

static void small_job(void *arg)
{
	(void)arg;
	volatile int x = 0;
	for (int i = 0; i < 5000; i++)
		x += i;
	atomic_fetch_add(&ran_on[hal_cpu_id()], 1);
	atomic_fetch_add(&spawn_done, 1);
}

/* At most ~200 alive at once: 16 KiB stacks, and the 64 MiB boot. */
static void spawner(void *arg)
{
	(void)arg;
	for (int i = 0; i < NSPAWN; i++) {
		while (gohart_num_goroutine() > 200)
			gohart_gosched();
		go(small_job, NULL);
	}
}

TEST(sched_spawned_goroutines_reach_every_hart)
{
	atomic_store(&spawn_done, 0);
	for (int i = 0; i < CONFIG_MAXCPU; i++)
		atomic_store(&ran_on[i], 0);
	go(spawner, NULL);
	wait_for(&spawn_done, NSPAWN);
	/*
	 * Every p ran some: as many harts as p's did work (p's may have
	 * moved between harts in an earlier test's hand-offs).
	 */
	int n = gohart_gomaxprocs(0), total = 0, harts = 0;
	for (int i = 0; i < gohart_ncpu(); i++) {
		harts += atomic_load(&ran_on[i]) > 0;
		total += atomic_load(&ran_on[i]);
	}
	if (harts < n)
		t_errorf(t, "goroutines ran on %d harts, GOMAXPROCS is %d", harts, n);
	EXPECT_EQ(t, total, NSPAWN);
}

/* ---- Goroutines are reused ---- */

static atomic_int churn_done;

static void churn_one(void *arg)
{
	(void)arg;
	atomic_fetch_add(&churn_done, 1);
}

static void churn(int n)
{
	int base = atomic_load(&churn_done);
	for (int i = 0; i < n; i++) {
		go(churn_one, NULL);
		if (i % 64 == 63)
			wait_for(&churn_done, base + i + 1);
	}
	wait_for(&churn_done, base + n);
}

static int count_allgs(void)
{
	int n = 0;
	for (struct g *gp = sched.allgs; gp != NULL; gp = gp->alllink)
		n++;
	return n;
}

/*
 * 100 000 goroutines, one after another: dead ones are reused, with their
 * stacks, so the number of g's ever made (and the memory behind them)
 * stays bounded by what the free lists hold (up to 64 dead g's per p
 * before half move to the shared list), not by how many were started.
 */
TEST(sched_dead_goroutines_are_reused)
{
	int before = count_allgs();
	atomic_store(&churn_done, 0);
	churn(100000);
	int made = count_allgs() - before;
	int bound = 64 * (gohart_gomaxprocs(0) + 1);
	t_logf(t, "100000 goroutines used %d new g's", made);
	EXPECT(t, made <= bound);
}

/* ---- Sleeping ---- */

static atomic_int sleepers_done, sleepers_early;

static void sleeper(void *arg)
{
	uint64_t ns = (uint64_t)(uintptr_t)arg;
	uint64_t start = gohart_nanotime();
	gohart_sleep(ns);
	if (gohart_nanotime() - start < ns)
		atomic_fetch_add(&sleepers_early, 1);
	atomic_fetch_add(&sleepers_done, 1);
}

static atomic_int busy_stop, busy_done;

static void busy_yielder(void *arg)
{
	(void)arg;
	while (!atomic_load(&busy_stop))
		gohart_gosched();
	atomic_fetch_add(&busy_done, 1);
}

/* Sleepers wake (never early) while every run queue stays busy. */
TEST(sched_sleepers_wake_while_queues_are_busy)
{
	int n = gohart_gomaxprocs(0);
	atomic_store(&sleepers_done, 0);
	atomic_store(&sleepers_early, 0);
	atomic_store(&busy_stop, 0);
	atomic_store(&busy_done, 0);
	for (int i = 0; i < 2 * n; i++)
		go(busy_yielder, NULL);
	for (int i = 0; i < 64; i++)
		go(sleeper, (void *)(uintptr_t)(100000 + 50000 * (i % 8)));
	wait_for(&sleepers_done, 64);
	atomic_store(&busy_stop, 1);
	wait_for(&busy_done, 2 * n);
	EXPECT_EQ(t, atomic_load(&sleepers_early), 0);
}

/* ---- runnext ---- */

/*
 * A readies B: B goes to runnext of A's p, so when A blocks, B runs next
 * on the same hart (Go's ping-pong).  Checked exactly on one hart; on
 * several another hart may steal B (after a 3 us grace), so there it is
 * only logged.
 */
static struct g *pong_g;
static atomic_int pong_state;           /* 0 nothing, 1 parked, 2 woke */
static atomic_int pong_cpu;

static bool park_pong(struct g *gp, void *arg)
{
	(void)gp;
	(void)arg;
	atomic_store(&pong_state, 1);
	return true;
}

static void pong(void *arg)
{
	(void)arg;
	pong_g = getg();
	gopark(park_pong, NULL, WAIT_PARKED);
	atomic_store(&pong_cpu, hal_cpu_id());
	atomic_store(&pong_state, 2);
}

static void ping(void *arg)
{
	atomic_int *same = arg;
	atomic_store(&pong_state, 0);
	go(pong, NULL);
	while (atomic_load(&pong_state) != 1)
		gohart_gosched();
	int cpu = hal_cpu_id();
	struct m *mp = acquirem();
	goready(pong_g);
	bool in_runnext = atomic_load(&mp->p->runnext) == pong_g ||
			  atomic_load(&pong_state) == 2;
	releasem(mp);
	gohart_sleep(1000);             /* block: pong runs next, here */
	while (atomic_load(&pong_state) != 2)
		gohart_gosched();
	if (in_runnext && atomic_load(&pong_cpu) == cpu)
		atomic_fetch_add(same, 1);
}

static atomic_int ping_done;

static void ping_many(void *arg)
{
	for (int i = 0; i < 100; i++)
		ping(arg);
	atomic_fetch_add(&ping_done, 1);
}

TEST(sched_readied_goroutine_runs_next_on_the_same_hart)
{
	atomic_int same = 0;
	atomic_store(&ping_done, 0);
	go(ping_many, &same);
	wait_for(&ping_done, 1);
	if (gohart_gomaxprocs(0) == 1)
		EXPECT_EQ(t, atomic_load(&same), 100);
	else
		t_logf(t, "%d of 100 ran on the readier's hart", atomic_load(&same));
}

/* ---- Global queue fairness ---- */

static atomic_int fair_stop, fair_done;
static atomic_int fair_count[4];

static void fair_worker(void *arg)
{
	int k = (int)(uintptr_t)arg;
	while (!atomic_load(&fair_stop)) {
		atomic_fetch_add(&fair_count[k], 1);
		gohart_gosched();       /* to the global queue */
	}
	atomic_fetch_add(&fair_done, 1);
}

/* Goroutines that yield all keep running: none is left behind. */
TEST(sched_yielders_all_make_progress)
{
	atomic_store(&fair_stop, 0);
	atomic_store(&fair_done, 0);
	for (int k = 0; k < 4; k++) {
		atomic_store(&fair_count[k], 0);
		go(fair_worker, (void *)(uintptr_t)k);
	}
	for (int k = 0; k < 4; k++)
		while (atomic_load(&fair_count[k]) < 100)
			gohart_sleep(1000 * 1000);
	atomic_store(&fair_stop, 1);
	wait_for(&fair_done, 4);
}

/* ---- A randomized storm ---- */

static atomic_int storm_live, storm_done;

struct storm_arg {
	uint64_t seed;
	int depth;
};

static uint64_t storm_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void storm(void *arg)
{
	struct storm_arg *a = arg;
	uint64_t s = a->seed;
	int depth = a->depth;
	for (int i = 0; i < 20; i++) {
		switch (storm_rand(&s) % 4) {
		case 0:
			gohart_gosched();
			break;
		case 1:
			gohart_sleep(storm_rand(&s) % 200000);
			break;
		case 2:
			if (depth < 3 && atomic_load(&storm_live) < 400) {
				struct storm_arg *c = gc_new(struct storm_arg);
				c->seed = storm_rand(&s) | 1;
				c->depth = depth + 1;
				atomic_fetch_add(&storm_live, 1);
				go(storm, c);
			}
			break;
		default: {
			volatile int x = 0;
			for (int k = 0; k < 1000; k++)
				x += k;
		}
		}
	}
	atomic_fetch_add(&storm_done, 1);
}

TEST(sched_random_storm)
{
	static const uint64_t seeds[] = { 1, 0x9e3779b97f4a7c15ull, 42 };
	for (unsigned k = 0; k < 3; k++) {
		atomic_store(&storm_live, 8);
		atomic_store(&storm_done, 0);
		for (int i = 0; i < 8; i++) {
			struct storm_arg *a = gc_new(struct storm_arg);
			a->seed = seeds[k] * (uint64_t)(i + 1) | 1;
			go(storm, a);
		}
		while (atomic_load(&storm_done) < atomic_load(&storm_live))
			gohart_sleep(1000 * 1000);
	}
	EXPECT(t, gohart_num_goroutine() >= 1);
}

/* ---- Goroutine ids and counts ---- */

static atomic_long child_id;
static atomic_int child_done;

static void record_id(void *arg)
{
	(void)arg;
	atomic_store(&child_id, gohart_goid());
	atomic_fetch_add(&child_done, 1);
}

TEST(sched_goroutine_ids_grow)
{
	EXPECT_EQ(t, gohart_goid(), 1);         /* the main goroutine */
	atomic_store(&child_done, 0);
	go(record_id, NULL);
	wait_for(&child_done, 1);
	long first = atomic_load(&child_id);
	go(record_id, NULL);
	wait_for(&child_done, 2);
	EXPECT(t, first > 1 && atomic_load(&child_id) > first);
}

/* ---- Fatal errors ---- */

static bool park_forever(struct g *gp, void *arg)
{
	(void)gp;
	(void)arg;
	return true;
}

static void sleepy_forever(void *arg)
{
	(void)arg;
	gopark(park_forever, NULL, WAIT_CHAN_RECEIVE);
}

TEST_FATAL(sched_deadlock_is_fatal, 2,
	   "fatal error: all goroutines are asleep - deadlock!\n"
	   "goroutine 1 [select (no cases)]:\n"
	   "goroutine \n [chan receive]:\n"
	   "created by sched_deadlock_is_fatal in goroutine 1")
{
	go(sleepy_forever, NULL);
	gohart_sleep(1000 * 1000);
	gopark(park_forever, NULL, WAIT_SELECT_NO_CASES);      /* select {} */
}

TEST_FATAL(sched_panic_prints_go_format, 2,
	   "panic: something went wrong: 42\n"
	   "\ngoroutine 1 [running]:\n"
	   " sched_panic_prints_go_format+0x")
{
	gohart_panic("something went wrong: %d", 42);
}

/*
 * Recurse until the frames reach a little past the low end of the
 * goroutine's stack (a few hundred bytes: enough to break the canary,
 * not enough to wreck much of whatever lies below).
 */
static uintptr_t overflow_lo;

__attribute__((noipa)) static int recurse(int depth)
{
	volatile char buf[64];          /* small frames, every byte written */
	for (int i = 0; i < 64; i++)
		buf[i] = (char)depth;
	if ((uintptr_t)buf > overflow_lo - 128)
		return recurse(depth + 1) + buf[0];
	return buf[0];
}

static void overflow(void *arg)
{
	(void)arg;
	overflow_lo = getg()->stack.lo;
	recurse(0);
	gohart_sleep(1000);             /* the switch checks the canary */
}

/*
 * A goroutine runs off the low end of its 16 KiB stack (into the memory
 * below it: there are no guard pages yet), comes back, and blocks.  The
 * canary at the low end is checked at every switch and timer tick.
 */
TEST_FATAL(sched_stack_overflow_is_fatal, 2,
	   "runtime: goroutine \n stack [\n overflowed: the canary\n"
	   "fatal error: stack overflow")
{
	go(overflow, NULL);
	for (;;)
		gohart_sleep(1000 * 1000);
}

TEST_FATAL(sched_illegal_status_change_is_fatal, 2,
	   "runtime: casgstatus: goroutine 1: running -> idle\n"
	   "fatal error: casgstatus: invalid transition")
{
	casgstatus(getg(), G_RUNNING, G_IDLE);
}

/*
 * schedtrace's line, in Go's words, and scheddetail's per-p/m/g lines.
 * (A boot with schedtrace=N prints the same from cpu 0's timer; the
 * runner checks output of fatal boots, so this one ends with exit 3.)
 */
TEST_FATAL(sched_schedtrace_prints_go_format, 3,
	   "SCHED \nms: gomaxprocs=\n idleprocs=\n threads=\n spinningthreads=\n"
	   " idlethreads=\n runqueue=0 [0\n"
	   "  P0: status=1 schedtick=\n  M0: p=0 curg=1 \n  G1: status=2() m=0 lockedm=0")
{
	schedtrace(false);
	schedtrace(true);
	gohart_exit(3);
}

/* ---- Blocking sections hand their p off ---- */

static atomic_int syscall_flag, syscall_done, syscall_in;

/* Busy-waits on "hardware" (a flag) inside a blocking section. */
static void blocker(void *arg)
{
	(void)arg;
	gohart_entersyscall();
	atomic_fetch_add(&syscall_in, 1);
	while (!atomic_load(&syscall_flag))
		hal_cpu_relax();
	gohart_exitsyscall();
	atomic_fetch_add(&syscall_done, 1);
}

/* Frees the blockers once all of them are in their blocking sections. */
static void setter(void *arg)
{
	int n = (int)(intptr_t)arg;
	while (atomic_load(&syscall_in) < n)
		gohart_sleep(100 * 1000);
	atomic_store(&syscall_flag, 1);
	atomic_fetch_add(&syscall_done, 1);
}

/*
 * As many blockers as p's, all busy-waiting in blocking sections, and one
 * goroutine (the setter) that can free them.  Without hand-off every p
 * stays with a blocked hart and the setter never runs.  With it, the
 * tick takes each p back after 20 us and gives it to a spare hart.  Needs
 * more harts than GOMAXPROCS (the maxprocs-2 boot).
 */
TEST(sched_blocking_section_hands_off_its_p)
{
	int n = gohart_gomaxprocs(0);
	if (gohart_ncpu() <= n)
		t_skipf(t, "needs more harts than GOMAXPROCS (boot with maxprocs=)");
	atomic_store(&syscall_flag, 0);
	atomic_store(&syscall_done, 0);
	atomic_store(&syscall_in, 0);
	go(setter, (void *)(intptr_t)n);
	for (int i = 0; i < n; i++)
		go(blocker, NULL);
	wait_for(&syscall_done, n + 1);
	uint64_t handoffs = 0;
	for (int i = 0; i < gohart_ncpu(); i++)
		handoffs += ms[i].nhandoff;
	EXPECT(t, handoffs > 0);
}

/* ---- Stop-the-world and GOMAXPROCS ---- */

#define NSTW 8
static atomic_long stw_count[NSTW];
static atomic_int stw_stop, stw_done;

static void stw_spinner(void *arg)
{
	int k = (int)(uintptr_t)arg;
	while (!atomic_load_explicit(&stw_stop, memory_order_relaxed))
		atomic_fetch_add_explicit(&stw_count[k], 1, memory_order_relaxed);
	atomic_fetch_add(&stw_done, 1);
}

/*
 * While the world is stopped nothing but the caller runs: counters that
 * spinning goroutines bump do not move.  After it starts again they all
 * move again.
 */
TEST(sched_stop_the_world_stops_every_goroutine)
{
	int n = gohart_gomaxprocs(0) + 1;
	if (n > NSTW)
		n = NSTW;
	atomic_store(&stw_stop, 0);
	atomic_store(&stw_done, 0);
	for (int k = 0; k < n; k++) {
		atomic_store(&stw_count[k], 0);
		go(stw_spinner, (void *)(uintptr_t)k);
	}
	for (int k = 0; k < n; k++)
		while (atomic_load(&stw_count[k]) == 0)
			gohart_sleep(1000 * 1000);
	long before[NSTW], after[NSTW];
	stop_the_world("test");
	for (int k = 0; k < n; k++)
		before[k] = atomic_load(&stw_count[k]);
	for (uint64_t until = gohart_nanotime() + 2000000; gohart_nanotime() < until;)
		;                       /* time for a goroutine that still ran */
	for (int k = 0; k < n; k++)
		after[k] = atomic_load(&stw_count[k]);
	start_the_world();
	for (int k = 0; k < n; k++)
		if (before[k] != after[k])
			t_errorf(t, "goroutine %d ran while the world was stopped", k);
	for (int k = 0; k < n; k++)
		while (atomic_load(&stw_count[k]) == after[k])
			gohart_sleep(1000 * 1000);
	atomic_store(&stw_stop, 1);
	wait_for(&stw_done, n);
}

static atomic_int jobs_done;

static void count_job(void *arg)
{
	(void)arg;
	volatile int x = 0;
	for (int i = 0; i < 5000; i++)
		x += i;
	atomic_fetch_add(&jobs_done, 1);
}

/* Exactly n p's exist, each held by one hart or idle; the rest dead. */
static void check_procs(T *t, int n)
{
	EXPECT_EQ(t, gohart_gomaxprocs(0), n);
	int held = 0;
	for (int i = 0; i < gohart_ncpu(); i++)
		if (ms[i].p != NULL) {
			held++;
			EXPECT(t, ms[i].p->id < n && ms[i].p->m == &ms[i]);
		}
	EXPECT(t, held <= n);
	for (int i = n; i < CONFIG_MAXCPU; i++)
		EXPECT_EQ(t, atomic_load(&ps[i].status), P_DEAD);
	atomic_store(&jobs_done, 0);
	for (int i = 0; i < 200; i++)
		go(count_job, NULL);
	wait_for(&jobs_done, 200);
}

/*
 * GOMAXPROCS down to 1 and up to every hart, with goroutines running
 * in between; then back, and work still reaches as many harts as p's.
 */
TEST(sched_gomaxprocs_changes_at_run_time)
{
	int n0 = gohart_gomaxprocs(0);
	EXPECT_EQ(t, gohart_gomaxprocs(1), n0);
	check_procs(t, 1);
	EXPECT_EQ(t, gohart_gomaxprocs(gohart_ncpu()), 1);
	check_procs(t, gohart_ncpu());
	EXPECT_EQ(t, gohart_gomaxprocs(n0), gohart_ncpu());
	check_procs(t, n0);
	atomic_store(&spawn_done, 0);
	for (int i = 0; i < CONFIG_MAXCPU; i++)
		atomic_store(&ran_on[i], 0);
	go(spawner, NULL);
	wait_for(&spawn_done, NSPAWN);
	int harts = 0;
	for (int i = 0; i < gohart_ncpu(); i++)
		harts += atomic_load(&ran_on[i]) > 0;
	if (harts < n0)
		for (int i = 0; i < gohart_ncpu(); i++)
			t_logf(t, "cpu %d: %d jobs, p %d, idle %d spinning %d (nmspinning %d npidle %d)",
			       i, atomic_load(&ran_on[i]), ms[i].p ? ms[i].p->id : -1, ms[i].idle,
			       ms[i].spinning, (int)sched.nmspinning, (int)sched.npidle);
	EXPECT(t, harts >= n0);
}

/* Is a goroutine running sleeper() parked (in its sleep)? */
static bool sleeper_parked(void)
{
	for (struct g *gp = sched.allgs; gp != NULL; gp = gp->alllink)
		if (gp->startpc == (uintptr_t)sleeper && readgstatus(gp) == G_WAITING)
			return true;
	return false;
}

/* gohart_dump_goroutines, callable any time (checked in its own boot). */
TEST_FATAL(sched_dump_goroutines_on_request, 3,
	   "goroutine 1 [running]:\n sched_dump_goroutines_on_request+0x\n"
	   " [sleep]:\n gopark+0x\ncreated by sched_dump_goroutines_on_request in goroutine 1")
{
	go(sleeper, (void *)(uintptr_t)(60ull * 1000 * 1000 * 1000));
	while (!sleeper_parked())       /* a busy host may take a while */
		gohart_sleep(1000 * 1000);
	gohart_dump_goroutines();
	gohart_exit(3);
}

/* ---- Benchmarks ---- */

/*
 * Go's BenchmarkCreateGoroutines (proc_test.go): a chain of goroutines,
 * each starting the next and ending.  One op = go() + the goroutine's
 * exit + the switch to the new one (waiting in runnext).  main waits
 * parked until the last one wakes it.
 */
static struct spinlock create_lock = SPINLOCK_INIT("bench.create");
static struct g *create_waiter;
static bool create_finished;

static void creator(void *arg)
{
	long n = (long)arg;
	if (n > 0) {
		go(creator, (void *)(n - 1));
		return;
	}
	spin_lock(&create_lock);
	create_finished = true;
	if (create_waiter != NULL) {
		struct g *w = create_waiter;
		create_waiter = NULL;
		goready(w);
	}
	spin_unlock(&create_lock);
}

BENCH(bench_goroutine_create_run_exit)
{
	create_finished = false;
	go(creator, (void *)b->n);
	spin_lock(&create_lock);
	if (!create_finished) {
		create_waiter = getg();
		gopark(park_unlock_spinlock, &create_lock, WAIT_PARKED);
	} else {
		spin_unlock(&create_lock);
	}
}

/*
 * Two goroutines yielding to each other, n/2 times each: one op = one
 * gohart_gosched = one switch.  The main goroutine sleeps meanwhile
 * (parked; the second to finish readies it).
 */
static struct spinlock bench_lock = SPINLOCK_INIT("bench");
static struct g *bench_waiter;
static int bench_finished;

static void yield_pair(void *arg)
{
	long n = (long)arg;
	for (long i = 0; i < n; i++)
		gohart_gosched();
	spin_lock(&bench_lock);
	if (++bench_finished == 2 && bench_waiter != NULL) {
		struct g *w = bench_waiter;
		bench_waiter = NULL;
		goready(w);
	}
	spin_unlock(&bench_lock);
}

BENCH(bench_goroutine_yield_switch)
{
	bench_finished = 0;
	go(yield_pair, (void *)(b->n / 2));
	go(yield_pair, (void *)(b->n / 2));
	spin_lock(&bench_lock);
	if (bench_finished < 2) {
		bench_waiter = getg();
		gopark(park_unlock_spinlock, &bench_lock, WAIT_PARKED);
	} else {
		spin_unlock(&bench_lock);
	}
}

/* ---- Scaling (scripts/scaling.sh; not part of the suite) ---- */

#define SCALE_JOBS 64
#define SCALE_SPAN 40000
static atomic_int scale_next, scale_done;
static atomic_long scale_primes;

static void scale_worker(void *arg)
{
	(void)arg;
	for (int job; (job = atomic_fetch_add(&scale_next, 1)) < SCALE_JOBS;) {
		long found = 0;
		for (int n = job * SCALE_SPAN; n < (job + 1) * SCALE_SPAN; n++) {
			int prime = n >= 2;
			for (int d = 2; d * d <= n && prime; d++)
				prime = n % d != 0;
			found += prime;
		}
		atomic_fetch_add(&scale_primes, found);
	}
	atomic_fetch_add(&scale_done, 1);
}

/*
 * An embarrassingly parallel job (primes below 2.56 million, in 64
 * pieces, one worker goroutine per p), timed by the guest clock.  Only
 * with the bootarg scaling (scripts/scaling.sh runs it on -smp 1 and
 * -smp 2 under multi-threaded TCG and compares).
 */
TEST(sched_scaling_job)
{
	if (gohart_bootarg("scaling") == NULL)
		t_skipf(t, "run by scripts/scaling.sh");
	int n = gohart_gomaxprocs(0);
	uint64_t start = gohart_nanotime();
	for (int i = 0; i < n; i++)
		go(scale_worker, NULL);
	wait_for(&scale_done, n);
	uint64_t ns = gohart_nanotime() - start;
	t_logf(t, "SCALING cpus=%d primes=%ld ms=%lu", n, (long)atomic_load(&scale_primes),
	       (unsigned long)(ns / 1000000));
	EXPECT_EQ(t, atomic_load(&scale_primes), 187134);  /* counted on the host */
}

/* One uncontended spinlock round trip (the brief's floor: 3 + 1). */
BENCH(bench_spinlock_uncontended)
{
	static struct spinlock l = SPINLOCK_INIT("bench");
	for (long i = 0; i < b->n; i++) {
		spin_lock(&l);
		spin_unlock(&l);
	}
}

/* The global queue: one put and one get. */
BENCH(bench_global_runq_put_get)
{
	struct g *gp = getg();
	struct m *mp = acquirem();
	for (long i = 0; i < b->n; i++) {
		globrunqput(gp);
		globrunqget(mp->p, 1);
	}
	releasem(mp);
}
