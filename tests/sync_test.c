/*
 * sync_test.c - Mutex, RWMutex, WaitGroup, Once, Cond, the reentrant
 * mutex and the semaphores under them (sync/, runtime/sema.c): Go's
 * sync tests' behaviours, written anew, on every hart count.
 */
#include <stdatomic.h>
#include <string.h>

#include "gohart.h"
#include "runtime/proc.h"
#include "testing.h"

static void wait_for(atomic_int *counter, int want)
{
	while (atomic_load(counter) < want)
		gohart_sleep(100 * 1000);
}

/* ---- Mutex ---- */

#define MX_GOROUTINES 8
#define MX_ROUNDS 5000
static struct sync_mutex mx;
static long mx_counter;                 /* plain: only the mutex protects it */
static atomic_int mx_done;
static atomic_int mx_cpus[64];

static void mx_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < MX_ROUNDS; i++) {
		mutex_lock(&mx);
		long v = mx_counter;
		if (i % 64 == 0)
			gohart_gosched();       /* hold it across a switch now and then */
		mx_counter = v + 1;
		mutex_unlock(&mx);
	}
	atomic_fetch_add(&mx_cpus[gohart_cpu() % 64], 1);
	atomic_fetch_add(&mx_done, 1);
}

TEST(mutex_excludes_on_every_hart)
{
	mx_counter = 0;
	atomic_store(&mx_done, 0);
	for (int i = 0; i < MX_GOROUTINES; i++)
		go(mx_worker, NULL);
	wait_for(&mx_done, MX_GOROUTINES);
	mutex_lock(&mx);
	EXPECT_EQ(t, mx_counter, (long)MX_GOROUTINES * MX_ROUNDS);
	mutex_unlock(&mx);
	EXPECT_EQ(t, mx.state, 0);
}

TEST(mutex_trylock_semantics)
{
	struct sync_mutex m = { 0, 0 };
	EXPECT(t, mutex_trylock(&m));
	EXPECT(t, !mutex_trylock(&m));
	mutex_unlock(&m);
	EXPECT(t, mutex_trylock(&m));
	mutex_unlock(&m);
	EXPECT_EQ(t, m.state, 0);
}

static struct sync_mutex starve_mu;
static atomic_int starve_state_seen, starve_waiter_done;

static void starve_waiter(void *arg)
{
	(void)arg;
	mutex_lock(&starve_mu);
	mutex_unlock(&starve_mu);
	atomic_store(&starve_waiter_done, 1);
}

/*
 * Starvation mode, step by step, on one p (GOMAXPROCS 1, so the order is
 * fixed): a waiter blocks; the holder keeps the lock for 3 ms, unlocks
 * and barges straight back in (in normal mode a running goroutine beats
 * the woken one); the woken waiter, having waited more than 1 ms, loses
 * that race, goes back to the front of the queue and sets the starving
 * bit; the next unlock hands the lock to it directly.
 */
TEST(mutex_enters_starvation_mode_and_hands_off)
{
	int procs = gohart_gomaxprocs(1);
	memset(&starve_mu, 0, sizeof starve_mu);
	atomic_store(&starve_waiter_done, 0);
	mutex_lock(&starve_mu);
	go(starve_waiter, NULL);
	while ((__atomic_load_n(&starve_mu.state, __ATOMIC_ACQUIRE) >> 3) != 1)
		gohart_sleep(100 * 1000);       /* until the waiter sleeps on it */
	gohart_sleep(2 * 1000 * 1000);          /* and has waited over 1 ms */
	mutex_unlock(&starve_mu);               /* wakes it ... */
	mutex_lock(&starve_mu);                 /* ... and barges in first */
	gohart_sleep(1000 * 1000);              /* the waiter runs, loses */
	atomic_store(&starve_state_seen, starve_mu.state);
	EXPECT(t, (starve_mu.state & 4) != 0);  /* starving */
	mutex_unlock(&starve_mu);               /* handed to the waiter */
	wait_for(&starve_waiter_done, 1);
	EXPECT_EQ(t, starve_mu.state, 0);       /* and the mode ended with it */
	gohart_gomaxprocs(procs);
}

/* Go's TestMutexFairness: a goroutine hammering the lock cannot keep
 * another out for long. */
static struct sync_mutex fair_mu;
static atomic_int fair_stop, fair_done;

static void fair_hog(void *arg)
{
	(void)arg;
	while (!atomic_load(&fair_stop)) {
		mutex_lock(&fair_mu);
		gohart_sleep(100 * 1000);
		mutex_unlock(&fair_mu);
	}
	atomic_fetch_add(&fair_done, 1);
}

static void fair_polite(void *arg)
{
	(void)arg;
	for (int i = 0; i < 10; i++) {
		gohart_sleep(100 * 1000);
		mutex_lock(&fair_mu);
		mutex_unlock(&fair_mu);
	}
	atomic_store(&fair_stop, 1);
	atomic_fetch_add(&fair_done, 1);
}

TEST(mutex_fairness)
{
	atomic_store(&fair_stop, 0);
	atomic_store(&fair_done, 0);
	go(fair_hog, NULL);
	go(fair_polite, NULL);
	/* Without starvation mode this can take forever; the harness's
	 * watchdog (test.timeout) reports it. */
	wait_for(&fair_done, 2);
}

/* ---- RWMutex ---- */

#define NREADERS 6
static struct sync_rwmutex rw;
static atomic_int rw_inside, rw_done;

static void parallel_reader(void *arg)
{
	(void)arg;
	rwmutex_rlock(&rw);
	atomic_fetch_add(&rw_inside, 1);
	/* Stay until every reader is inside at once: they must share it. */
	while (atomic_load(&rw_inside) < NREADERS)
		gohart_sleep(100 * 1000);
	rwmutex_runlock(&rw);
	atomic_fetch_add(&rw_done, 1);
}

TEST(rwmutex_readers_share)
{
	memset(&rw, 0, sizeof rw);
	atomic_store(&rw_inside, 0);
	atomic_store(&rw_done, 0);
	for (int i = 0; i < NREADERS; i++)
		go(parallel_reader, NULL);
	wait_for(&rw_done, NREADERS);
	EXPECT(t, rwmutex_trylock(&rw));        /* all gone */
	EXPECT(t, !rwmutex_tryrlock(&rw));
	rwmutex_unlock(&rw);
	EXPECT(t, rwmutex_tryrlock(&rw));
	EXPECT(t, !rwmutex_trylock(&rw));
	rwmutex_runlock(&rw);
}

static long rw_value[2];                /* writers keep both equal */
static atomic_int rw_bad, rw_stream_stop;

static void rw_writer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 300; i++) {
		rwmutex_lock(&rw);
		rw_value[0]++;
		if (i % 8 == 0)
			gohart_gosched();
		rw_value[1]++;
		rwmutex_unlock(&rw);
	}
	atomic_fetch_add(&rw_done, 1);
}

static void rw_reader(void *arg)
{
	(void)arg;
	while (!atomic_load(&rw_stream_stop)) {
		rwmutex_rlock(&rw);
		if (rw_value[0] != rw_value[1])
			atomic_fetch_add(&rw_bad, 1);
		gohart_gosched();               /* overlap with other readers */
		rwmutex_runlock(&rw);
	}
	atomic_fetch_add(&rw_done, 1);
}

/*
 * Writers exclusive, and not starved: readers stream in without pause
 * (there is always one inside), yet the writers finish, because a
 * waiting writer stops new readers from entering.
 */
TEST(rwmutex_writers_exclusive_and_not_starved)
{
	memset(&rw, 0, sizeof rw);
	rw_value[0] = rw_value[1] = 0;
	atomic_store(&rw_bad, 0);
	atomic_store(&rw_done, 0);
	atomic_store(&rw_stream_stop, 0);
	for (int i = 0; i < 4; i++)
		go(rw_reader, NULL);
	for (int i = 0; i < 3; i++)
		go(rw_writer, NULL);
	wait_for(&rw_done, 3);                  /* the writers */
	atomic_store(&rw_stream_stop, 1);
	wait_for(&rw_done, 7);
	EXPECT_EQ(t, atomic_load(&rw_bad), 0);
	EXPECT_EQ(t, rw_value[0], 900);
	EXPECT_EQ(t, rw_value[1], 900);
}

/* ---- WaitGroup ---- */

static struct sync_waitgroup wg;
static atomic_int wg_ran;

static void wg_worker(void *arg)
{
	(void)arg;
	atomic_fetch_add(&wg_ran, 1);
	waitgroup_done(&wg);
}

TEST(waitgroup_waits_for_10000_goroutines)
{
	memset(&wg, 0, sizeof wg);
	atomic_store(&wg_ran, 0);
	for (int i = 0; i < 10000; i++) {
		waitgroup_add(&wg, 1);
		go(wg_worker, NULL);
		while (i - atomic_load(&wg_ran) > 200)
			gohart_gosched();       /* at most ~200 alive: the 64M boot */
	}
	waitgroup_wait(&wg);
	EXPECT_EQ(t, atomic_load(&wg_ran), 10000);
	EXPECT_EQ(t, wg.state, 0);
	waitgroup_wait(&wg);                    /* zero: returns at once */
}

static struct sync_waitgroup wg2;
static atomic_int wg2_waiters_out;

static void wg_waiter(void *arg)
{
	(void)arg;
	waitgroup_wait(&wg2);
	atomic_fetch_add(&wg2_waiters_out, 1);
}

TEST(waitgroup_wakes_every_waiter)
{
	memset(&wg2, 0, sizeof wg2);
	atomic_store(&wg2_waiters_out, 0);
	waitgroup_add(&wg2, 3);
	for (int i = 0; i < 5; i++)
		go(wg_waiter, NULL);
	gohart_sleep(2 * 1000 * 1000);
	EXPECT_EQ(t, atomic_load(&wg2_waiters_out), 0);
	waitgroup_done(&wg2);
	waitgroup_done(&wg2);
	waitgroup_done(&wg2);
	wait_for(&wg2_waiters_out, 5);
}

/* ---- Once ---- */

static struct sync_once once;
static atomic_int once_calls, once_finished, once_early, once_callers_done;

static void once_fn(void *arg)
{
	(void)arg;
	atomic_fetch_add(&once_calls, 1);
	gohart_sleep(1000 * 1000);              /* others arrive meanwhile */
	atomic_store(&once_finished, 1);
}

static void once_caller(void *arg)
{
	(void)arg;
	once_do(&once, once_fn, NULL);
	if (!atomic_load(&once_finished))
		atomic_fetch_add(&once_early, 1);   /* returned before fn ended */
	atomic_fetch_add(&once_callers_done, 1);
}

TEST(once_runs_exactly_once_under_a_stampede)
{
	memset(&once, 0, sizeof once);
	atomic_store(&once_calls, 0);
	atomic_store(&once_finished, 0);
	atomic_store(&once_early, 0);
	atomic_store(&once_callers_done, 0);
	for (int i = 0; i < 100; i++)
		go(once_caller, NULL);
	wait_for(&once_callers_done, 100);
	EXPECT_EQ(t, atomic_load(&once_calls), 1);
	EXPECT_EQ(t, atomic_load(&once_early), 0);
	once_do(&once, once_fn, NULL);
	EXPECT_EQ(t, atomic_load(&once_calls), 1);
}

/* ---- Cond ---- */

static struct sync_mutex cond_mu;
static struct sync_cond cond;
static int cond_generation;             /* under cond_mu */
static atomic_int cond_woken;

static void cond_waiter(void *arg)
{
	int want = (int)(intptr_t)arg;
	mutex_lock(&cond_mu);
	while (cond_generation < want)
		cond_wait(&cond);
	mutex_unlock(&cond_mu);
	atomic_fetch_add(&cond_woken, 1);
}

TEST(cond_broadcast_wakes_all_signal_wakes_one)
{
	memset(&cond_mu, 0, sizeof cond_mu);
	memset(&cond, 0, sizeof cond);
	cond_init(&cond, &cond_mu);
	cond_generation = 0;
	atomic_store(&cond_woken, 0);
	for (int i = 0; i < 10; i++)
		go(cond_waiter, (void *)1);
	gohart_sleep(2 * 1000 * 1000);
	mutex_lock(&cond_mu);
	cond_generation = 1;
	cond_broadcast(&cond);
	mutex_unlock(&cond_mu);
	wait_for(&cond_woken, 10);

	/* Signal: one at a time. */
	atomic_store(&cond_woken, 0);
	for (int i = 0; i < 3; i++)
		go(cond_waiter, (void *)2);
	gohart_sleep(2 * 1000 * 1000);
	mutex_lock(&cond_mu);
	cond_generation = 2;
	mutex_unlock(&cond_mu);
	for (int i = 1; i <= 3; i++) {
		cond_signal(&cond);
		wait_for(&cond_woken, i);
	}
	EXPECT_EQ(t, atomic_load(&cond_woken), 3);
}

/* ---- Reentrant mutex ---- */

static struct sync_rmutex rm;
static atomic_int rm_done;
static long rm_counter;

static void rm_recurse(int depth)
{
	rmutex_lock(&rm);
	rm_counter++;
	if (depth > 0)
		rm_recurse(depth - 1);
	rmutex_unlock(&rm);
}

static void rm_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200; i++)
		rm_recurse(4);
	atomic_fetch_add(&rm_done, 1);
}

TEST(rmutex_recursion_and_exclusion)
{
	memset(&rm, 0, sizeof rm);
	rm_counter = 0;
	atomic_store(&rm_done, 0);
	for (int i = 0; i < 4; i++)
		go(rm_worker, NULL);
	wait_for(&rm_done, 4);
	EXPECT_EQ(t, rm_counter, 4 * 200 * 5);
	EXPECT_EQ(t, rm.owner, 0);
	EXPECT_EQ(t, rm.m.state, 0);
}

/* ---- Misuse: Go's messages ---- */

TEST_FATAL(mutex_unlock_of_unlocked, 2, "fatal error: sync: unlock of unlocked mutex\n")
{
	struct sync_mutex m = { 0, 0 };
	mutex_unlock(&m);
}

TEST_FATAL(rwmutex_runlock_of_unlocked, 2, "fatal error: sync: RUnlock of unlocked RWMutex\n")
{
	static struct sync_rwmutex r;
	rwmutex_runlock(&r);
}

TEST_FATAL(rwmutex_unlock_of_unlocked, 2, "fatal error: sync: Unlock of unlocked RWMutex\n")
{
	static struct sync_rwmutex r;
	rwmutex_unlock(&r);
}

TEST_FATAL(waitgroup_negative_counter, 2, "panic: sync: negative WaitGroup counter\n")
{
	static struct sync_waitgroup w;
	waitgroup_done(&w);
}

static void rm_take(void *arg)
{
	rmutex_lock(arg);
	gohart_sleep(1000 * 1000 * 1000);
}

TEST_FATAL(rmutex_unlock_by_non_owner, 2,
	   "fatal error: sync: unlock of reentrant mutex by goroutine 1, held by ")
{
	static struct sync_rmutex r;
	go(rm_take, &r);
	while (r.owner == 0)
		gohart_sleep(100 * 1000);
	rmutex_unlock(&r);
}

static struct sync_mutex dl_mu;
static struct sync_waitgroup dl_wg;
static struct sync_rwmutex dl_rw;
static struct sync_cond dl_cond;

static void dl_lock(void *arg) { (void)arg; mutex_lock(&dl_mu); }
static void dl_rlock(void *arg) { (void)arg; rwmutex_rlock(&dl_rw); }
static void dl_cond_wait(void *arg)
{
	(void)arg;
	static struct sync_mutex m;
	mutex_lock(&m);
	dl_cond.l = &m;
	cond_wait(&dl_cond);
}

TEST_FATAL(sync_deadlock_shows_wait_reasons, 2,
	   "fatal error: all goroutines are asleep - deadlock!\n"
	   "goroutine 1 [sync.WaitGroup.Wait]:\n"
	   " [sync.Mutex.Lock]:\n"
	   " [sync.RWMutex.RLock]:\n"
	   " [sync.Cond.Wait]:")
{
	mutex_lock(&dl_mu);
	rwmutex_lock(&dl_rw);
	go(dl_lock, NULL);
	go(dl_rlock, NULL);
	go(dl_cond_wait, NULL);
	waitgroup_add(&dl_wg, 1);
	waitgroup_wait(&dl_wg);
}

/* ---- Benchmarks ---- */

BENCH(bench_mutex_uncontended)
{
	static struct sync_mutex m;
	for (long i = 0; i < b->n; i++) {
		mutex_lock(&m);
		mutex_unlock(&m);
	}
}

BENCH(bench_rwmutex_read_uncontended)
{
	static struct sync_rwmutex r;
	for (long i = 0; i < b->n; i++) {
		rwmutex_rlock(&r);
		rwmutex_runlock(&r);
	}
}

BENCH(bench_waitgroup_add_done)
{
	static struct sync_waitgroup w;
	for (long i = 0; i < b->n; i++) {
		waitgroup_add(&w, 1);
		waitgroup_done(&w);
	}
}

/* ---- Contended throughput (by hand; not part of the suite) ---- */

#define CONTENDED_OPS 400000
static struct sync_mutex cont_mu;
static long cont_counter;
static atomic_int cont_done;

static void contended_worker(void *arg)
{
	long n = (long)arg;
	for (long i = 0; i < n; i++) {
		mutex_lock(&cont_mu);
		cont_counter++;
		mutex_unlock(&cont_mu);
	}
	atomic_fetch_add(&cont_done, 1);
}

/*
 * Two goroutines per p hammering one mutex, timed by the guest clock.
 * Only with the bootarg `contended`: boot it by hand under
 * multi-threaded TCG (docs/BENCHMARKS.md has the command).
 */
TEST(sync_mutex_contended_job)
{
	if (gohart_bootarg("contended") == NULL)
		t_skipf(t, "a wall-clock measurement, run by hand");
	int n = 2 * gohart_gomaxprocs(0);
	cont_counter = 0;
	atomic_store(&cont_done, 0);
	uint64_t start = gohart_nanotime();
	for (int i = 0; i < n; i++)
		go(contended_worker, (void *)(long)(CONTENDED_OPS / n));
	wait_for(&cont_done, n);
	uint64_t ns = gohart_nanotime() - start;
	t_logf(t, "CONTENDED goroutines=%d ops=%ld ms=%lu ns/op=%lu", n, cont_counter,
	       (unsigned long)(ns / 1000000), (unsigned long)(ns / (uint64_t)cont_counter));
	EXPECT_EQ(t, cont_counter, (long)(CONTENDED_OPS / n) * n);
}
