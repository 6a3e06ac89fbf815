/*
 * timechan.c - time as channels: Go's time.After and time.Ticker.
 *
 * gohart_after(d) returns a channel with a buffer of one; a runtime timer
 * on this p's timer heap (time.c) fires after d and sends the time, as
 * an int64 of gohart_nanotime, without blocking (Go's sendTime: the
 * buffer always has room for the one value).
 *
 * A ticker is the same timer put back after each firing, `period` later.
 * A slow reader misses ticks rather than queueing them: the send does not
 * block, and the buffer holds one.  When the timer runs late by several
 * periods, the next tick is the first one still in the future (Go adjusts
 * `when` the same way), so ticks stay on the period's grid.
 *
 * Stopping races with a firing that has already left the heap (timers run
 * with the heap unlocked).  The ticker's own lock orders the two: a
 * firing re-arms only if, under the lock, the ticker is not stopped.
 *
 * Go: time/sleep.go (After, NewTimer, sendTime), time/tick.go (NewTicker,
 * Stop), runtime/time.go (the timers behind them).
 */
#include "chan.h"

#include "gohart.h"
#include "panic.h"

/* The p whose heap a new timer goes on: ours, or p 0 when we have none. */
static struct p *timer_p(void)
{
	struct p *pp = getm()->p;
	return pp != NULL ? pp : &ps[0];
}

static void send_time(chan_t c)
{
	int64_t now = (int64_t)hal_nanotime();
	chan_try_send(c, &now);
}

/* ---- After ---- */

static void after_fire(void *arg, uint64_t seq)
{
	(void)seq;
	send_time(arg);
}

chan_t gohart_after(uint64_t ns)
{
	chan_t c = chan_make(int64_t, 1);
	struct m *mp = acquirem();
	uint64_t when = hal_nanotime() + ns;
	addtimer(timer_p(), (struct timer){ (int64_t)when, after_fire, c, timer_newseq() });
	releasem(mp);
	return c;
}

/* ---- Tickers ---- */

struct gohart_ticker {
	chan_t c;                       /* first: gohart_ticker_chan */
	int64_t period;
	int64_t when;                   /* the pending tick */
	uint64_t seq;                   /* its timer */
	struct p *pp;                   /* whose heap it is on */
	bool stopped;
	struct spinlock lock;
};

static void ticker_fire(void *arg, uint64_t seq)
{
	struct gohart_ticker *t = arg;
	uintptr_t s = hal_irq_save();
	spin_lock(&t->lock);
	if (t->stopped || seq != t->seq) {
		spin_unlock(&t->lock);
		hal_irq_restore(s);
		return;
	}
	send_time(t->c);
	/* The next tick on the grid that is still ahead of now. */
	int64_t now = (int64_t)hal_nanotime();
	t->when += t->period;
	if (t->when <= now)
		t->when += t->period * ((now - t->when) / t->period + 1);
	t->seq = timer_newseq();
	addtimer(t->pp, (struct timer){ t->when, ticker_fire, t, t->seq });
	spin_unlock(&t->lock);
	hal_irq_restore(s);
}

struct gohart_ticker *gohart_ticker_new(uint64_t period)
{
	if (period == 0 || period > (uint64_t)INT64_MAX / 2)
		gohart_panic("non-positive interval for NewTicker");
	struct gohart_ticker *t = gc_new(struct gohart_ticker);
	t->c = chan_make(int64_t, 1);
	t->period = (int64_t)period;
	t->lock = (struct spinlock)SPINLOCK_INIT_RANK("ticker", LOCK_RANK_TICKER);
	uintptr_t s = hal_irq_save();
	spin_lock(&t->lock);
	t->pp = timer_p();
	t->when = (int64_t)hal_nanotime() + t->period;
	t->seq = timer_newseq();
	addtimer(t->pp, (struct timer){ t->when, ticker_fire, t, t->seq });
	spin_unlock(&t->lock);
	hal_irq_restore(s);
	return t;
}

chan_t gohart_ticker_chan(struct gohart_ticker *t)
{
	return t->c;
}

void gohart_ticker_stop(struct gohart_ticker *t)
{
	uintptr_t s = hal_irq_save();
	spin_lock(&t->lock);
	if (!t->stopped) {
		t->stopped = true;
		deltimer_seq(t->pp, t->seq);
	}
	spin_unlock(&t->lock);
	hal_irq_restore(s);
}
