/*
 * chan_elem_test.c - how values cross channels: every size and alignment
 * on every path (the one-load word copies and the memcpy ones, buffered,
 * unbuffered, select, close), the random poll order of selects wider
 * than one random number covers, and the wait time in goroutine dumps.
 */
#include <string.h>

#include "gohart.h"
#include "hal/hal.h"
#include "runtime/chan.h"
#include "runtime/proc.h"
#include "testing.h"

/* ---- Sizes and alignments ---- */

/*
 * A value type by its size and alignment, and the copy the channel
 * should choose: one load and one store (elemword 8 or 4) only for a
 * word of that size aligned to it.
 */
struct shape {
	size_t size, align;
	uint8_t word;
};

static const struct shape shapes[] = {
	{ 1, 1, 0 }, { 2, 2, 0 }, { 3, 1, 0 }, { 4, 4, 4 }, { 4, 1, 0 }, { 4, 2, 0 },
	{ 8, 8, 8 }, { 8, 1, 0 }, { 8, 4, 0 }, { 16, 8, 0 }, { 24, 8, 0 },
};

#define NVALUES 9
#define GUARD 0xAA

/*
 * A value lives at offset `align` in a 16-aligned buffer: exactly as
 * aligned as its type promises and no more.  The bytes around it are
 * guards that no copy may touch.
 */
struct slot {
	uint8_t b[64] __attribute__((aligned(16)));
};

static uint8_t pattern(int v, size_t j)
{
	return (uint8_t)(v * 31 + (int)j + 1);
}

static void *fill(struct slot *s, const struct shape *sh, int v)
{
	memset(s->b, GUARD, sizeof s->b);
	for (size_t j = 0; j < sh->size; j++)
		s->b[sh->align + j] = pattern(v, j);
	return &s->b[sh->align];
}

static void *blank(struct slot *s, const struct shape *sh)
{
	memset(s->b, GUARD, sizeof s->b);
	return &s->b[sh->align];
}

/* Did value v (or, v < 0, the zero value) arrive whole, guards intact? */
static bool holds(const struct slot *s, const struct shape *sh, int v)
{
	for (size_t j = 0; j < sizeof s->b; j++) {
		uint8_t want = GUARD;
		if (j >= sh->align && j < sh->align + sh->size)
			want = v < 0 ? 0 : pattern(v, j - sh->align);
		if (s->b[j] != want)
			return false;
	}
	return true;
}

struct sender {
	chan_t c;
	const struct shape *sh;
};

/* Send 0 .. NVALUES-1, every other one through select, then close. */
static void send_values(void *arg)
{
	struct sender *a = arg;
	struct slot s;
	for (int v = 0; v < NVALUES; v++) {
		void *p = fill(&s, a->sh, v);
		if (v & 1) {
			struct select_case cs[] = { SELECT_SEND(a->c, p) };
			chan_select(cs, 1, true);
		} else {
			chan_send(a->c, p);
		}
	}
	chan_close(a->c);
}

TEST(chan_values_of_every_size_and_alignment)
{
	static struct sender senders[3];
	for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
		const struct shape *sh = &shapes[k];
		static const int caps[] = { 0, 1, 3 };
		for (int ci = 0; ci < 3; ci++) {
			chan_t c = chan_make_type(sh->size, sh->align, caps[ci]);
			EXPECT_EQ(t, c->elemword, sh->word);
			senders[ci] = (struct sender){ c, sh };
			go(send_values, &senders[ci]);
			struct slot s;
			for (int v = 0; v < NVALUES; v++) {
				void *p = blank(&s, sh);
				bool ok = false;
				if (v % 3 == 2) {
					struct select_case cs[] = { SELECT_RECV(c, p, &ok) };
					chan_select(cs, 1, true);
				} else {
					ok = chan_recv_ok(c, p);
				}
				if (!ok || !holds(&s, sh, v)) {
					t_errorf(t, "size %d align %d cap %d: value %d arrived wrong",
						 (int)sh->size, (int)sh->align, caps[ci], v);
					return;
				}
			}
			/* Closed and drained: the zero value, size bytes only. */
			void *p = blank(&s, sh);
			EXPECT(t, !chan_recv_ok(c, p));
			EXPECT(t, holds(&s, sh, -1));
		}
	}
}

/* The buffered fast paths, without a second goroutine, at odd addresses. */
TEST(chan_buffered_copies_touch_only_the_value)
{
	for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
		const struct shape *sh = &shapes[k];
		chan_t c = chan_make_type(sh->size, sh->align, 2);
		struct slot in, out;
		for (int v = 0; v < 5; v++) {
			chan_send(c, fill(&in, sh, v));
			EXPECT(t, chan_try_send(c, fill(&in, sh, v + 100)));
			chan_recv(c, blank(&out, sh));
			EXPECT(t, holds(&out, sh, v));
			bool ok = false;
			EXPECT(t, chan_try_recv(c, blank(&out, sh), &ok) && ok);
			EXPECT(t, holds(&out, sh, v + 100));
		}
		EXPECT_EQ(t, chan_len(c), 0);
	}
}

/* ---- Select's poll order beyond one random number ---- */

/*
 * Twelve always-ready cases (and two nil ones, which must never count):
 * each is chosen with probability 1/12.  The poll order draws eight
 * positions from each 32-bit random number, so cases 9 to 12 use a
 * second one.  12000 selects: each count is Binomial(12000, 1/12), mean
 * 1000, standard deviation 30.3; the bound is 6 deviations.
 */
TEST(select_is_fair_across_many_ready_cases)
{
	enum { NCASE = 14, ROUNDS = 12000 };
	chan_t ch[NCASE];
	int count[NCASE] = { 0 }, v = 0;
	struct select_case cs[NCASE];
	for (int i = 0; i < NCASE; i++) {
		ch[i] = (i == 3 || i == 9) ? NULL : chan_make(int, 1);
		if (ch[i] != NULL)
			chan_send(ch[i], &v);
		cs[i] = SELECT_RECV(ch[i], &v, NULL);
	}
	for (int r = 0; r < ROUNDS; r++) {
		int k = chan_select(cs, NCASE, true);
		REQUIRE(t, k >= 0 && k < NCASE && ch[k] != NULL);
		count[k]++;
		chan_send(ch[k], &v);           /* ready again */
	}
	for (int i = 0; i < NCASE; i++) {
		if (ch[i] == NULL) {
			EXPECT_EQ(t, count[i], 0);
			continue;
		}
		t_logf(t, "case %d: %d", i, count[i]);
		EXPECT(t, count[i] >= 1000 - 182 && count[i] <= 1000 + 182);
	}
}

/*
 * A select too big for the stack keeps its orders in the goroutine and
 * reuses them: a loop of 2000 selects over 100 cases allocates once
 * (nothing is freed yet, so an allocation per select would leave 1 MB).
 */
TEST(select_big_reuses_its_orders)
{
	enum { NCASE = 100, ROUNDS = 2000 };
	static chan_t ch[NCASE];
	static struct select_case cs[NCASE];
	int v = 0;
	for (int i = 0; i < NCASE; i++) {
		ch[i] = chan_make(int, 1);
		chan_send(ch[i], &v);
		cs[i] = SELECT_RECV(ch[i], &v, NULL);
	}
	struct gohart_mem_stats before, after;
	gohart_mem_stats(&before);
	for (int r = 0; r < ROUNDS; r++) {
		int k = chan_select(cs, NCASE, true);
		REQUIRE(t, k >= 0 && k < NCASE);
		chan_send(ch[k], &v);
	}
	gohart_mem_stats(&after);
	t_logf(t, "heap grew %lu bytes", (unsigned long)(after.heap_inuse - before.heap_inuse));
	EXPECT(t, after.heap_inuse - before.heap_inuse < 64 * 1024);
}

/* ---- Parking while timers are pending ---- */

static void sleep_then_send(void *arg)
{
	gohart_sleep(2 * 1000 * 1000);
	chan_send_val(arg, int, 7);
}

/*
 * A receiver parks holding the channel's lock, with nothing else to run
 * and timers pending: a sleeper's, and the after channel's own.  The
 * search for work (which runs due timers, and a timer may send on the
 * very channel being parked on) must wait until g0 has released the
 * lock; debug builds check that findrunnable is never entered holding
 * one.
 */
TEST(chan_park_with_timers_pending)
{
	for (int i = 0; i < 20; i++) {
		chan_t c = chan_make(int, 0);
		go(sleep_then_send, c);
		EXPECT_EQ(t, chan_recv_val(c, int), 7);
		int64_t v;
		chan_recv(gohart_after(1000 * (i + 1)), &v);
		EXPECT(t, v > 0);
	}
}

/* ---- How long a goroutine has waited, in the dump ---- */

static _Atomic(struct g *) long_waiter;

static void wait_long(void *arg)
{
	atomic_store(&long_waiter, getg());
	chan_recv(arg, NULL);
	atomic_store(&long_waiter, NULL);       /* (not a tail call: in the trace) */
}

/*
 * The wait's start is a raw timer stamp, turned into minutes only when a
 * dump prints it.  Moving the stamp three minutes back (rather than
 * waiting three minutes) shows the conversion.
 */
TEST_FATAL(chan_dump_shows_minutes_waiting, 2,
	   "fatal error: all goroutines are asleep - deadlock!\n"
	   "goroutine 1 [chan receive]:\n"
	   " [chan receive, 3 minutes]:\n wait_long+0x")
{
	(void)t;
	go(wait_long, chan_make(int, 0));
	struct g *gp;
	while ((gp = atomic_load(&long_waiter)) == NULL || readgstatus(gp) != G_WAITING)
		gohart_sleep(100 * 1000);
	gp->waitsince -= (int64_t)(3 * 60 + 10) * (int64_t)hal_timebase();
	chan_recv(chan_make(int, 0), NULL);
}
