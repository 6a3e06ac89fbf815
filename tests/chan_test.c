/*
 * chan_test.c - channels and select (runtime/chan.c, select.c,
 * timechan.c): the behaviours of Go's chan_test.go and select tests,
 * written anew, on every hart count the suite runs.
 */
#include <stdatomic.h>
#include <string.h>

#include "gohart.h"
#include "hal/hal.h"
#include "runtime/proc.h"
#include "testing.h"

/* Wait (sleeping, not spinning) until *counter reaches want. */
static void wait_for(atomic_int *counter, int want)
{
	while (atomic_load(counter) < want)
		gohart_sleep(100 * 1000);
}

/* ---- Buffered and unbuffered basics ---- */

TEST(chan_buffered_is_fifo)
{
	chan_t c = chan_make(int, 10);
	EXPECT_EQ(t, chan_cap(c), 10);
	for (int i = 0; i < 10; i++)
		chan_send_val(c, int, i * 7);
	EXPECT_EQ(t, chan_len(c), 10);
	for (int i = 0; i < 10; i++)
		EXPECT_EQ(t, chan_recv_val(c, int), i * 7);
	EXPECT_EQ(t, chan_len(c), 0);
	/* Wrap the ring many times with a partly full buffer. */
	for (int i = 0; i < 1000; i++) {
		chan_send_val(c, int, i);
		chan_send_val(c, int, i + 1);
		EXPECT_EQ(t, chan_recv_val(c, int), i);
		EXPECT_EQ(t, chan_recv_val(c, int), i + 1);
	}
}

struct seq_arg {
	chan_t c;
	int n;
	atomic_int *done;
};

static void send_sequence(void *arg)
{
	struct seq_arg *a = arg;
	for (int i = 0; i < a->n; i++)
		chan_send(a->c, &i);
	if (a->done)
		atomic_fetch_add(a->done, 1);
}

TEST(chan_unbuffered_hands_values_over_in_order)
{
	static struct seq_arg a;
	a = (struct seq_arg){ chan_make(int, 0), 5000, NULL };
	EXPECT_EQ(t, chan_cap(a.c), 0);
	go(send_sequence, &a);
	for (int i = 0; i < a.n; i++) {
		int v = -1;
		chan_recv(a.c, &v);
		if (v != i) {
			t_errorf(t, "received %d, want %d", v, i);
			break;
		}
	}
}

TEST(chan_buffered_full_sender_blocks_and_order_holds)
{
	/* A sender blocked on a full buffer: its value goes in at the tail. */
	static struct seq_arg a;
	a = (struct seq_arg){ chan_make(int, 3), 2000, NULL };
	go(send_sequence, &a);
	for (int i = 0; i < a.n; i++) {
		if (i % 100 == 0)
			gohart_sleep(200 * 1000);       /* let the buffer fill */
		int v = chan_recv_val(a.c, int);
		if (v != i) {
			t_errorf(t, "received %d, want %d", v, i);
			break;
		}
	}
}

TEST(chan_zero_size_elements)
{
	chan_t c = chan_make_size(0, 3);
	char dummy;
	for (int i = 0; i < 3; i++)
		EXPECT(t, chan_try_send(c, &dummy));
	EXPECT(t, !chan_try_send(c, &dummy));
	EXPECT_EQ(t, chan_len(c), 3);
	for (int i = 0; i < 3; i++)
		chan_recv(c, NULL);
	EXPECT_EQ(t, chan_len(c), 0);
	chan_close(c);
	bool ok = true;
	EXPECT(t, chan_try_recv(c, NULL, &ok));
	EXPECT(t, !ok);
}

struct big {
	uint64_t w[125];                /* 1000 bytes */
};

static void send_bigs(void *arg)
{
	chan_t c = arg;
	for (uint64_t i = 0; i < 50; i++) {
		struct big b;
		for (int k = 0; k < 125; k++)
			b.w[k] = i * 1000 + (uint64_t)k;
		chan_send(c, &b);
	}
}

TEST(chan_large_elements_are_copied_whole)
{
	for (int cap = 0; cap <= 4; cap += 4) {
		chan_t c = chan_make(struct big, cap);
		go(send_bigs, c);
		for (uint64_t i = 0; i < 50; i++) {
			struct big b;
			chan_recv(c, &b);
			for (int k = 0; k < 125; k++)
				if (b.w[k] != i * 1000 + (uint64_t)k) {
					t_errorf(t, "cap %d: value %lu word %d is %lu", cap,
						 (unsigned long)i, k, (unsigned long)b.w[k]);
					return;
				}
		}
	}
}

/* ---- Exactly once, many producers and consumers on every hart ---- */

#define MPMC_PRODUCERS 8
#define MPMC_CONSUMERS 8
#define MPMC_EACH 2000
#define MPMC_TOTAL (MPMC_PRODUCERS * MPMC_EACH)

static atomic_int mpmc_seen[MPMC_TOTAL];
static atomic_int mpmc_dups, mpmc_producers_done, mpmc_consumers_done;
static atomic_long mpmc_sum;
static atomic_int mpmc_cpus[64];

struct mpmc_arg {
	chan_t c;
	int id;
};

static void mpmc_producer(void *arg)
{
	struct mpmc_arg *a = arg;
	for (int i = 0; i < MPMC_EACH; i++) {
		int v = a->id * MPMC_EACH + i;
		chan_send(a->c, &v);
		if (i % 64 == 0)
			atomic_fetch_add(&mpmc_cpus[gohart_cpu()], 1);
	}
	atomic_fetch_add(&mpmc_producers_done, 1);
}

static void mpmc_consumer(void *arg)
{
	struct mpmc_arg *a = arg;
	int v;
	while (chan_recv_ok(a->c, &v)) {
		if (v < 0 || v >= MPMC_TOTAL || atomic_exchange(&mpmc_seen[v], 1))
			atomic_fetch_add(&mpmc_dups, 1);
		atomic_fetch_add(&mpmc_sum, v);
	}
	atomic_fetch_add(&mpmc_consumers_done, 1);
}

static void mpmc_run(T *t, int cap)
{
	memset(mpmc_seen, 0, sizeof mpmc_seen);
	memset(mpmc_cpus, 0, sizeof mpmc_cpus);
	atomic_store(&mpmc_dups, 0);
	atomic_store(&mpmc_producers_done, 0);
	atomic_store(&mpmc_consumers_done, 0);
	atomic_store(&mpmc_sum, 0);
	chan_t c = chan_make(int, cap);
	static struct mpmc_arg args[MPMC_PRODUCERS + MPMC_CONSUMERS];
	for (int i = 0; i < MPMC_CONSUMERS; i++) {
		args[i] = (struct mpmc_arg){ c, i };
		go(mpmc_consumer, &args[i]);
	}
	for (int i = 0; i < MPMC_PRODUCERS; i++) {
		args[MPMC_CONSUMERS + i] = (struct mpmc_arg){ c, i };
		go(mpmc_producer, &args[MPMC_CONSUMERS + i]);
	}
	wait_for(&mpmc_producers_done, MPMC_PRODUCERS);
	chan_close(c);
	wait_for(&mpmc_consumers_done, MPMC_CONSUMERS);
	long want = (long)MPMC_TOTAL * (MPMC_TOTAL - 1) / 2;
	EXPECT_EQ(t, atomic_load(&mpmc_dups), 0);
	EXPECT_EQ(t, atomic_load(&mpmc_sum), want);
	int missing = 0;
	for (int i = 0; i < MPMC_TOTAL; i++)
		missing += !atomic_load(&mpmc_seen[i]);
	EXPECT_EQ(t, missing, 0);
}

TEST(chan_exactly_once_unbuffered_many_producers_consumers)
{
	mpmc_run(t, 0);
}

TEST(chan_exactly_once_buffered_many_producers_consumers)
{
	mpmc_run(t, 16);
}

/* ---- Close ---- */

static atomic_int closed_woken;
static void recv_until_closed(void *arg)
{
	chan_t c = arg;
	int v = 99;
	bool ok = chan_recv_ok(c, &v);
	if (!ok && v == 0)
		atomic_fetch_add(&closed_woken, 1);
}

TEST(chan_close_drains_buffer_then_zero_values)
{
	chan_t c = chan_make(int, 4);
	chan_send_val(c, int, 1);
	chan_send_val(c, int, 2);
	chan_close(c);
	int v = 0;
	EXPECT(t, chan_recv_ok(c, &v));
	EXPECT_EQ(t, v, 1);
	EXPECT(t, chan_recv_ok(c, &v));
	EXPECT_EQ(t, v, 2);
	v = 5;
	EXPECT(t, !chan_recv_ok(c, &v));
	EXPECT_EQ(t, v, 0);
	bool ok = true;
	v = 5;
	EXPECT(t, chan_try_recv(c, &v, &ok));
	EXPECT(t, !ok);
	EXPECT_EQ(t, v, 0);
}

TEST(chan_close_wakes_every_blocked_receiver)
{
	atomic_store(&closed_woken, 0);
	chan_t c = chan_make(int, 0);
	for (int i = 0; i < 20; i++)
		go(recv_until_closed, c);
	/* Let them block (not required: a late one sees closed at once). */
	gohart_sleep(2 * 1000 * 1000);
	chan_close(c);
	wait_for(&closed_woken, 20);
	EXPECT_EQ(t, atomic_load(&closed_woken), 20);
}

/* ---- Non-blocking ---- */

TEST(chan_nonblocking_send_and_receive)
{
	chan_t u = chan_make(int, 0);
	int v = 1;
	bool ok;
	EXPECT(t, !chan_try_send(u, &v));               /* nobody receiving */
	EXPECT(t, !chan_try_recv(u, &v, &ok));          /* nobody sending */
	chan_t b = chan_make(int, 1);
	EXPECT(t, chan_try_send(b, &v));
	EXPECT(t, !chan_try_send(b, &v));               /* full */
	v = 0;
	EXPECT(t, chan_try_recv(b, &v, &ok));
	EXPECT(t, ok);
	EXPECT_EQ(t, v, 1);
	EXPECT(t, !chan_try_recv(b, &v, &ok));          /* empty */
	EXPECT(t, !chan_try_send(NULL, &v));            /* nil: never */
	EXPECT(t, !chan_try_recv(NULL, &v, &ok));
	EXPECT_EQ(t, chan_len(NULL), 0);
	EXPECT_EQ(t, chan_cap(NULL), 0);
}

/* ---- select ---- */

TEST(select_default_when_nothing_ready)
{
	chan_t a = chan_make(int, 0), b = chan_make(int, 1);
	int x = 3, y;
	chan_send(b, &x);                               /* b is full */
	struct select_case cs[] = { SELECT_RECV(a, &y, NULL), SELECT_SEND(b, &x) };
	EXPECT_EQ(t, chan_select(cs, 2, false), -1);
	EXPECT_EQ(t, chan_select(NULL, 0, false), -1);
}

TEST(select_nil_cases_are_never_chosen)
{
	chan_t ready = chan_make(int, 1);
	int v = 0;
	for (int i = 0; i < 200; i++) {
		chan_send_val(ready, int, i);
		struct select_case cs[] = {
			SELECT_RECV(NULL, &v, NULL), SELECT_SEND(NULL, &v),
			SELECT_RECV(ready, &v, NULL), SELECT_RECV(NULL, &v, NULL),
		};
		int k = chan_select(cs, 4, true);
		if (k != 2 || v != i) {
			t_errorf(t, "chose %d (v %d), want 2 (v %d)", k, v, i);
			return;
		}
	}
	struct select_case only_nil[] = { SELECT_RECV(NULL, &v, NULL) };
	EXPECT_EQ(t, chan_select(only_nil, 1, false), -1);
}

/*
 * Fairness: two cases always ready, 10000 selects.  Each count is
 * Binomial(10000, 1/2): mean 5000, standard deviation 50.  The bound is
 * 6 deviations (a false failure once in 500 million runs).
 */
TEST(select_is_fair_between_ready_cases)
{
	chan_t a = chan_make(int, 1), b = chan_make(int, 1);
	int n[2] = { 0, 0 }, v = 0;
	chan_send(a, &v);
	chan_send(b, &v);
	for (int i = 0; i < 10000; i++) {
		struct select_case cs[] = { SELECT_RECV(a, &v, NULL), SELECT_RECV(b, &v, NULL) };
		int k = chan_select(cs, 2, true);
		REQUIRE(t, k == 0 || k == 1);
		n[k & 1]++;
		chan_send(k == 0 ? a : b, &v);          /* ready again */
	}
	t_logf(t, "a %d, b %d", n[0], n[1]);
	EXPECT(t, n[0] >= 5000 - 300 && n[0] <= 5000 + 300);
}

TEST(select_writes_only_the_chosen_case)
{
	/* Go assigns `v, ok` of the case that fires, and nothing else. */
	chan_t ready = chan_make(int, 1), idle = chan_make(int, 1);
	int v1 = 0, v2 = 55;
	bool ok1 = false, ok2 = true;
	chan_send_val(ready, int, 9);
	struct select_case cs[] = { SELECT_RECV(idle, &v2, &ok2), SELECT_RECV(ready, &v1, &ok1) };
	EXPECT_EQ(t, chan_select(cs, 2, true), 1);
	EXPECT(t, ok1 && v1 == 9);
	EXPECT(t, ok2 && v2 == 55);
	EXPECT_EQ(t, chan_select(cs, 2, false), -1);
	EXPECT(t, ok2 && v2 == 55);
}

struct many_arg {
	chan_t c;
	int base;
};

static void send_ten(void *arg)
{
	struct many_arg *a = arg;
	for (int i = 0; i < 10; i++)
		chan_send_val(a->c, int, a->base + i);
}

TEST(select_over_many_channels_receives_everything)
{
	enum { NCH = 80 };                      /* more than the stack holds */
	static struct many_arg args[NCH];
	struct select_case cs[NCH];
	int v = 0;
	bool ok;
	for (int i = 0; i < NCH; i++) {
		args[i] = (struct many_arg){ chan_make(int, i % 3), i * 100 };
		cs[i] = SELECT_RECV(args[i].c, &v, &ok);
		go(send_ten, &args[i]);
	}
	long sum = 0;
	int per[NCH] = { 0 };
	for (int n = 0; n < NCH * 10; n++) {
		int k = chan_select(cs, NCH, true);
		REQUIRE(t, k >= 0 && k < NCH && ok);
		EXPECT_EQ(t, v, k * 100 + per[k]);      /* in order per channel */
		per[k]++;
		sum += v;
	}
	long want = 0;
	for (int i = 0; i < NCH; i++)
		want += 10L * i * 100 + 45;
	EXPECT_EQ(t, sum, want);
}

static void recv_one_into(void *arg)
{
	struct many_arg *a = arg;
	a->base = chan_recv_val(a->c, int);
}

TEST(select_send_case_and_duplicate_channels)
{
	/* A send case completes with a receiver waiting; the same channel
	 * may appear in several cases (it is locked once). */
	static struct many_arg r;
	r = (struct many_arg){ chan_make(int, 0), -1 };
	go(recv_one_into, &r);
	int x = 77, y = 0;
	struct select_case cs[] = { SELECT_SEND(r.c, &x), SELECT_RECV(r.c, &y, NULL),
				    SELECT_SEND(r.c, &x) };
	int k = chan_select(cs, 3, true);
	EXPECT(t, k == 0 || k == 2);
	while (r.base == -1)
		gohart_gosched();
	EXPECT_EQ(t, r.base, 77);
}

static void send_after_sleep(void *arg)
{
	struct many_arg *a = arg;
	gohart_sleep(1000 * 1000);
	chan_send_val(a->c, int, a->base);
}

TEST(select_blocked_on_several_leaves_no_stale_waiters)
{
	/*
	 * Block in select on a and b; b fires.  Afterwards the select's
	 * sudog on a must be gone: a plain send/receive pair on a works and
	 * nothing is lost to the departed select.
	 */
	for (int round = 0; round < 50; round++) {
		static struct many_arg sa;
		chan_t a = chan_make(int, 0);
		sa = (struct many_arg){ chan_make(int, 0), round };
		go(send_after_sleep, &sa);
		int va = -1, vb = -1;
		struct select_case cs[] = { SELECT_RECV(a, &va, NULL), SELECT_RECV(sa.c, &vb, NULL) };
		int k = chan_select(cs, 2, true);
		EXPECT_EQ(t, k, 1);
		EXPECT_EQ(t, vb, round);
		static struct seq_arg s1;
		s1 = (struct seq_arg){ a, 3, NULL };
		go(send_sequence, &s1);
		for (int i = 0; i < 3; i++)
			EXPECT_EQ(t, chan_recv_val(a, int), i);
	}
}

/* ---- Time ---- */

TEST(chan_after_delivers_once_not_early)
{
	uint64_t start = gohart_nanotime();
	chan_t c = gohart_after(2 * 1000 * 1000);
	int64_t when = 0;
	chan_recv(c, &when);
	EXPECT(t, (uint64_t)when >= start + 2 * 1000 * 1000);
	EXPECT(t, gohart_nanotime() >= start + 2 * 1000 * 1000);
	EXPECT_EQ(t, chan_len(c), 0);
}

TEST(chan_ticker_ticks_on_its_period_and_stops)
{
	const uint64_t period = 1000 * 1000;
	uint64_t start = gohart_nanotime();
	struct gohart_ticker *tk = gohart_ticker_new(period);
	chan_t c = gohart_ticker_chan(tk);
	for (int i = 1; i <= 5; i++) {
		/* Tick i fires no earlier than i periods after the start. */
		int64_t when;
		chan_recv(c, &when);
		if (when < (int64_t)(start + i * period))
			t_errorf(t, "tick %d at %ld, want >= %lu", i, (long)when,
				 (unsigned long)(start + i * period));
	}
	gohart_ticker_stop(tk);
	int64_t when;
	bool ok;
	chan_try_recv(c, &when, &ok);            /* one may be buffered */
	gohart_sleep(5 * period);
	EXPECT(t, !chan_try_recv(c, &when, &ok)); /* nothing after stop */
}

TEST(select_with_timeout)
{
	chan_t never = chan_make(int, 0);
	int v;
	int64_t when;
	struct select_case cs[] = { SELECT_RECV(never, &v, NULL),
				    SELECT_RECV(gohart_after(1000 * 1000), &when, NULL) };
	EXPECT_EQ(t, chan_select(cs, 2, true), 1);
}

/* ---- Interrupt handlers feeding a channel ---- */

static chan_t isr_chan;
static atomic_int isr_sent;

static void isr_send(void *arg)
{
	int v = (int)(intptr_t)arg;
	if (chan_send_from_interrupt(isr_chan, &v))
		atomic_fetch_add(&isr_sent, 1);
}

static atomic_int isr_got;
static void isr_receiver(void *arg)
{
	(void)arg;
	int v;
	for (int i = 0; i < 10; i++) {
		chan_recv(isr_chan, &v);
		if (v == 1000 + i)
			atomic_fetch_add(&isr_got, 1);
	}
}

TEST(chan_send_from_interrupt_handler)
{
	isr_chan = chan_make(int, 0);
	chan_from_interrupts(isr_chan);
	atomic_store(&isr_sent, 0);
	atomic_store(&isr_got, 0);
	go(isr_receiver, NULL);
	for (int i = 0; i < 10; i++) {
		/* Wait until the receiver is blocked: then the send succeeds. */
		while (atomic_load(&isr_sent) == i) {
			hal_irq_offload(isr_send, (void *)(intptr_t)(1000 + i));
			if (atomic_load(&isr_sent) == i)
				gohart_sleep(100 * 1000);
		}
	}
	wait_for(&isr_got, 10);
	EXPECT_EQ(t, atomic_load(&isr_got), 10);
	/* Buffered: the handler's send lands in the buffer, none waiting. */
	isr_chan = chan_make(int, 2);
	hal_irq_offload(isr_send, (void *)(intptr_t)5);
	hal_irq_offload(isr_send, (void *)(intptr_t)6);
	hal_irq_offload(isr_send, (void *)(intptr_t)7);      /* full: dropped */
	EXPECT_EQ(t, atomic_load(&isr_sent), 12);
	EXPECT_EQ(t, chan_recv_val(isr_chan, int), 5);
	EXPECT_EQ(t, chan_recv_val(isr_chan, int), 6);
}

/* ---- Misuse: Go's panics, exactly ---- */

TEST_FATAL(chan_send_on_closed_panics, 2,
	   "panic: send on closed channel\n\ngoroutine 1 [running]:")
{
	chan_t c = chan_make(int, 1);
	chan_close(c);
	chan_send_val(c, int, 1);
}

TEST_FATAL(chan_close_of_closed_panics, 2, "panic: close of closed channel\n")
{
	chan_t c = chan_make(int, 0);
	chan_close(c);
	chan_close(c);
}

TEST_FATAL(chan_close_of_nil_panics, 2, "panic: close of nil channel\n")
{
	chan_close(NULL);
}

TEST_FATAL(chan_make_negative_size_panics, 2, "panic: makechan: size out of range\n")
{
	chan_make(int, -1);
}

static void blocked_sender(void *arg)
{
	chan_send_val((chan_t)arg, int, 1);
}

TEST_FATAL(chan_close_panics_blocked_sender, 2,
	   "panic: send on closed channel\n\ngoroutine 2 [running]:\n blocked_sender+0x")
{
	chan_t c = chan_make(int, 0);
	go(blocked_sender, c);
	gohart_sleep(5 * 1000 * 1000);
	chan_close(c);
	gohart_sleep(1000 * 1000 * 1000);
}

static void select_forever(void *arg)
{
	(void)arg;
	struct select_case cs[] = { SELECT_RECV(chan_make(int, 0), NULL, NULL),
				    SELECT_SEND(chan_make(int, 0), &cs) };
	chan_select(cs, 2, true);
}

static void select_no_cases(void *arg)
{
	(void)arg;
	chan_select(NULL, 0, true);
}

TEST_FATAL(chan_deadlock_shows_wait_reasons, 2,
	   "fatal error: all goroutines are asleep - deadlock!\n"
	   "goroutine 1 [chan receive]:\n"
	   " [chan send]:\n blocked_sender+0x\n"
	   " [chan receive (nil chan)]:\n"
	   " [select]:\n"
	   " [select (no cases)]:")
{
	go(blocked_sender, chan_make(int, 0));
	go(recv_until_closed, NULL);
	go(select_forever, NULL);
	go(select_no_cases, NULL);
	chan_recv(chan_make(int, 0), NULL);
}

/* ---- Benchmarks ---- */

static struct spinlock bench_lock = SPINLOCK_INIT("bench.chan");
static struct g *bench_waiter;
static int bench_finished;

static void bench_done(void)
{
	spin_lock(&bench_lock);
	if (++bench_finished == 2 && bench_waiter != NULL) {
		struct g *w = bench_waiter;
		bench_waiter = NULL;
		goready(w);
	}
	spin_unlock(&bench_lock);
}

static void bench_wait(void)
{
	spin_lock(&bench_lock);
	if (bench_finished < 2) {
		bench_waiter = getg();
		gopark(park_unlock_spinlock, &bench_lock, WAIT_PARKED);
	} else {
		spin_unlock(&bench_lock);
	}
}

struct sync_arg {
	chan_t c;
	long n;
	bool first;
};

/* Go's BenchmarkChanSync shape: one op is one value handed over an
 * unbuffered channel (a send meeting a receive). */
static void chansync_side(void *arg)
{
	struct sync_arg *a = arg;
	int v = 0;
	for (long i = 0; i < a->n; i++) {
		if (a->first) {
			chan_recv(a->c, &v);
			chan_send(a->c, &v);
		} else {
			chan_send(a->c, &v);
			chan_recv(a->c, &v);
		}
	}
	bench_done();
}

/* n values handed to and fro by the two sides; returns when both end. */
static void chansync_run(long n)
{
	static struct sync_arg a, b2;
	chan_t c = chan_make(int, 0);
	a = (struct sync_arg){ c, n / 2, true };
	b2 = (struct sync_arg){ c, n / 2, false };
	bench_finished = 0;
	go(chansync_side, &a);
	go(chansync_side, &b2);
	bench_wait();
}

BENCH(bench_chan_sync)
{
	chansync_run(b->n);
}

/*
 * The same hand-off while this p has a timer pending (an hour-long
 * ticker's), as in any program with a ticker running.
 */
BENCH(bench_chan_sync_timer_pending)
{
	struct gohart_ticker *tk = gohart_ticker_new(3600ull * 1000 * 1000 * 1000);
	chansync_run(b->n);
	gohart_ticker_stop(tk);
}

/* One op: a send and a receive on a buffered channel, no one waiting. */
BENCH(bench_chan_buffered_send_recv)
{
	chan_t c = chan_make(int, 1);
	int v = 1;
	for (long i = 0; i < b->n; i++) {
		chan_send(c, &v);
		chan_recv(c, &v);
	}
}

/* Go's BenchmarkSelectUncontended: one op is a two-case select with one
 * case ready, plus the send that readies the other. */
BENCH(bench_select_two_cases_one_ready)
{
	chan_t c1 = chan_make(int, 1), c2 = chan_make(int, 1);
	int v = 0;
	chan_send(c1, &v);
	struct select_case cs[] = { SELECT_RECV(c1, &v, NULL), SELECT_RECV(c2, &v, NULL) };
	for (long i = 0; i < b->n; i++) {
		if (chan_select(cs, 2, true) == 0)
			chan_send(c2, &v);
		else
			chan_send(c1, &v);
	}
}
