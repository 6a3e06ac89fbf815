/*
 * oracle_test.c - programs whose output real Go defines.
 *
 * Each test is the C twin of a Go program in tests/oracle/: the same
 * goroutines, channels and selects, printing into a buffer.  The buffer
 * must equal, byte for byte, what `go run` prints for the Go program,
 * kept in tests/oracle/NAME.out and built into this image.
 * scripts/oracle-check.sh (part of `make test`) runs the Go programs and
 * checks that the .out files still say what Go says.
 *
 * Where a Go program relies on its goroutines dying with main (the
 * sieve's generator runs forever), the twin ends them by closing its
 * channels instead, so that a test leaves nothing behind; the output is
 * the same.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "gohart.h"
#include "golden.h"
#include "testing.h"

GOLDEN(sieve);
GOLDEN(pipeline);
GOLDEN(fanin);

/* ---- sieve.go ---- */

#define NPRIMES 1000
#define LAST_PRIME 7919                 /* the 1000th */

static void generate(void *arg)
{
	chan_t ch = arg;
	for (int i = 2; i <= LAST_PRIME; i++)
		chan_send(ch, &i);
	chan_close(ch);
}

struct filter_arg {
	chan_t in, out;
	int prime;
};

static void filter(void *arg)
{
	struct filter_arg *f = arg;
	int i;
	while (chan_recv_ok(f->in, &i))
		if (i % f->prime != 0)
			chan_send(f->out, &i);
	chan_close(f->out);
}

TEST(oracle_sieve)
{
	golden_reset();
	chan_t ch = chan_make(int, 0);
	go(generate, ch);
	for (int i = 0; i < NPRIMES; i++) {
		int prime = chan_recv_val(ch, int);
		golden_printf("%d\n", prime);
		chan_t ch1 = chan_make(int, 0);
		struct filter_arg *f = gc_new(struct filter_arg);
		*f = (struct filter_arg){ ch, ch1, prime };
		go(filter, f);
		ch = ch1;
	}
	int rest;
	EXPECT(t, !chan_recv_ok(ch, &rest));    /* the chain winds down */
	golden_check(t, golden_sieve, golden_sieve_end);
}

/* ---- pipeline.go ---- */

struct gen_arg {
	chan_t out;
	int n;
};

static void gen(void *arg)
{
	struct gen_arg *g = arg;
	for (int i = 1; i <= g->n; i++)
		chan_send(g->out, &i);
	chan_close(g->out);
}

struct sq_arg {
	chan_t in, out;
};

static void sq(void *arg)
{
	struct sq_arg *s = arg;
	long v;
	int i;
	while (chan_recv_ok(s->in, &i)) {
		v = (long)i * i;
		chan_send(s->out, &v);
	}
	chan_close(s->out);
}

/* merge's goroutines: the last one out closes the merged channel (what
 * Go's WaitGroup goroutine does). */
struct merge_arg {
	chan_t in, out;
	atomic_int *left;
};

static void merge_one(void *arg)
{
	struct merge_arg *m = arg;
	long v;
	while (chan_recv_ok(m->in, &v))
		chan_send(m->out, &v);
	if (atomic_fetch_sub(m->left, 1) == 1)
		chan_close(m->out);
}

TEST(oracle_pipeline)
{
	golden_reset();
	static const int ns[] = { 10, 100, 1000, 20000 };
	for (int k = 0; k < 4; k++) {
		struct gen_arg *g = gc_new(struct gen_arg);
		*g = (struct gen_arg){ chan_make(int, 8), ns[k] };
		go(gen, g);
		struct sq_arg *s1 = gc_new(struct sq_arg), *s2 = gc_new(struct sq_arg);
		*s1 = (struct sq_arg){ g->out, chan_make(long, 0) };
		*s2 = (struct sq_arg){ g->out, chan_make(long, 0) };
		go(sq, s1);
		go(sq, s2);
		chan_t merged = chan_make(long, 4);
		atomic_int *left = gc_new(atomic_int);
		atomic_store(left, 2);
		struct merge_arg *m1 = gc_new(struct merge_arg), *m2 = gc_new(struct merge_arg);
		*m1 = (struct merge_arg){ s1->out, merged, left };
		*m2 = (struct merge_arg){ s2->out, merged, left };
		go(merge_one, m1);
		go(merge_one, m2);
		long sum = 0, v;
		int count = 0;
		while (chan_recv_ok(merged, &v)) {
			sum += v;
			count++;
		}
		golden_printf("n=%d count=%d sum=%ld\n", ns[k], count, sum);
	}
	golden_check(t, golden_pipeline, golden_pipeline_end);
}

/* ---- fanin.go ---- */

#define PRODUCERS 5
#define ROUNDS 40

struct msg {
	char text[16];
};

static chan_t baton[PRODUCERS], fan_out, quit;

static void producer(void *arg)
{
	int id = (int)(intptr_t)arg;
	bool b = true;
	for (int r = 0; r < ROUNDS; r++) {
		chan_recv(baton[id], &b);
		struct msg m;
		snprintf(m.text, sizeof m.text, "p%d r%d", id, r);
		chan_send(fan_out, &m);
		chan_send(baton[(id + 1) % PRODUCERS], &b);
	}
}

static void consumer(void *arg)
{
	(void)arg;
	for (int i = 0; i < PRODUCERS * ROUNDS; i++) {
		struct msg m;
		chan_recv(fan_out, &m);
		golden_printf("%s\n", m.text);
	}
	chan_close(quit);
}

TEST(oracle_fanin)
{
	golden_reset();
	for (int i = 0; i < PRODUCERS; i++)
		baton[i] = chan_make(bool, 1);
	fan_out = chan_make(struct msg, 0);
	quit = chan_make_size(0, 0);            /* chan struct{} */
	for (int i = 0; i < PRODUCERS; i++)
		go(producer, (void *)(intptr_t)i);
	chan_send_val(baton[0], bool, true);
	go(consumer, NULL);
	chan_recv(quit, NULL);
	bool ok = chan_recv_ok(quit, NULL);
	golden_printf("quit closed: {} %s\n", ok ? "true" : "false");
	/* The last baton is left in baton[0]'s buffer, as in Go. */
	golden_check(t, golden_fanin, golden_fanin_end);
}
