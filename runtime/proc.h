/*
 * proc.h - the scheduler's data structures: g, m, p and sched.
 *
 * Go's scheduler in three letters (runtime/runtime2.go, proc.go):
 *
 *   g   a goroutine: a stack, its saved registers, a status.
 *   m   a machine: something that runs code.  In Go an OS thread; here a
 *       hart.  Each m has its own system stack (g0: the hart's boot
 *       stack), where it waits when there is nothing to run.
 *   p   a processor: the right to run goroutines, and what that needs
 *       close at hand: a run queue, timers, an allocation cache.  There
 *       are GOMAXPROCS of them; an m runs goroutines only while it holds
 *       one.
 *
 * Here every hart is an m for the machine's whole life, and hart i holds
 * p i when i < GOMAXPROCS ("hart-local P's"); harts beyond GOMAXPROCS
 * hold none and only sleep (or run hart_call work).
 *
 * The full story, with pictures: docs/scheduler.md.
 */
#ifndef GOHART_PROC_H
#define GOHART_PROC_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "hal/hal.h"
#include "mm/stack.h"
#include "runtime/hart.h"
#include "sync/spinlock.h"

/*
 * G status, with Go's values (runtime2.go).  Every change goes through
 * casgstatus, which knows the legal transitions and throws on any other.
 */
enum {
	G_IDLE = 0,             /* just allocated, not yet initialized */
	G_RUNNABLE = 1,         /* on a run queue, not running */
	G_RUNNING = 2,          /* running on an m, which holds a p */
	G_SYSCALL = 3,          /* in a blocking section (entersyscall) */
	G_WAITING = 4,          /* parked: blocked until someone readies it */
	G_DEAD = 6,             /* finished; on a free list for reuse */
	G_PREEMPTED = 9,        /* stopped by a preemption request */
};

/* Why a goroutine waits (Go's waitReason, the words the dump prints). */
enum wait_reason {
	WAIT_ZERO,
	WAIT_SLEEP,             /* "sleep" */
	WAIT_SELECT_NO_CASES,   /* "select (no cases)" */
	WAIT_CHAN_RECEIVE,      /* "chan receive" */
	WAIT_CHAN_SEND,         /* "chan send" */
	WAIT_SYNC_MUTEX,        /* "sync.Mutex.Lock" */
	WAIT_PARKED,            /* "parked": gohart_park without a reason */
	WAIT_SELECT,            /* "select" */
	WAIT_CHAN_SEND_NIL,     /* "chan send (nil chan)" */
	WAIT_CHAN_RECEIVE_NIL,  /* "chan receive (nil chan)" */
	WAIT_SYNC_RWMUTEX_RLOCK,/* "sync.RWMutex.RLock" */
	WAIT_SYNC_RWMUTEX_LOCK, /* "sync.RWMutex.Lock" */
	WAIT_SYNC_WAITGROUP,    /* "sync.WaitGroup.Wait" */
	WAIT_SYNC_COND,         /* "sync.Cond.Wait" */
	WAIT_SEMACQUIRE,        /* "semacquire" */
	WAIT_NREASONS,
};

struct m;
struct p;

struct g {
	struct hal_context sched;       /* saved registers while not running */
	struct stack stack;             /* [lo, hi) */
	_Atomic uint32_t atomicstatus;  /* G_*; only through casgstatus */
	int64_t goid;
	struct m *m;                    /* the m running it, or NULL */
	struct g *schedlink;            /* run queue / free list link */
	struct g *alllink;              /* allgs list: every g ever made */
	void (*fn)(void *);             /* what it runs */
	void *arg;
	uintptr_t startpc;              /* fn, for dumps */
	uintptr_t gopc;                 /* pc of the go() that made it */
	int64_t parentgoid;
	uint8_t waitreason;             /* enum wait_reason, while waiting */
	bool preempt;                   /* stop at the next safe point */
	bool main;                      /* the main goroutine */
	int64_t waitsince;              /* hal_ticks when it blocked */
	struct m *lockedm;              /* pinned to this m */
	uint32_t lockedext;             /* gohart_lock_hart calls (Go's lockedExt) */
	uint32_t lockedint;             /* the runtime's own pins (lockedInt) */
	void *param;                    /* passed by whoever readies it */
	uint64_t timer_seq;             /* sleep: which timer is ours */
	/* Channels (chan.c, select.c). */
	struct sudog *waiting;          /* our sudogs while blocked, in lock order */
	_Atomic uint32_t selectdone;    /* a select case fired: others must not */
	uint16_t *selorder;             /* select.c: the orders of a select too
					   big for the stack, kept for reuse */
	uint32_t nselorder;             /* ... its capacity, in cases */
};

/* What the next context does for the one that switched to it. */
enum switch_action {
	SW_NONE,
	SW_RUNQ_LOCAL,          /* prev is runnable: put it on this p's queue */
	SW_RUNQ_GLOBAL,         /* prev is runnable: global queue (preempted) */
	SW_SCHED_UNLOCK,        /* prev is on the global queue already, and
				   sched.lock is held: release it (gosched) */
	SW_PARK,                /* prev is waiting: call unlockf(prev, arg) */
	SW_PARK_UNLOCK,         /* prev is waiting: release the spinlock in
				   unlockarg (goparkunlock) */
	SW_DEAD,                /* prev exited: free its stack, reuse the g */
};

struct m {
	struct g g0;                    /* the hart's own (boot) stack */
	struct g *curg;                 /* running goroutine, or &g0 */
	struct p *p;                    /* held p, or NULL */
	int id;                         /* = hart / cpu index */
	int locks;                      /* > 0: do not preempt */
	bool spinning;                  /* looking for work to steal */
	bool idle;                      /* asleep in the idle loop */
	bool want_preempt;              /* the tick asks for a reschedule */
	bool tick_fired;                /* the scheduler's alarm went off */
	bool want_retake;               /* the tick found us in a blocking section */
	bool wantp;                     /* no p, and a pinned g to run (sched.lock) */
	uint32_t fastrand;
	int64_t runstart;               /* nanotime curg started its slice */
	/* Hand-off from the context that switched away (switch_to). */
	struct g *prevg;
	enum switch_action prevaction;
	bool (*unlockf)(struct g *, void *);
	void *unlockarg;
	/* Goroutines pinned to this m that are runnable. */
	struct spinlock lockedq_lock;
	struct g *lockedq_head, *lockedq_tail;
	/* Counters (written by this m only). */
	uint64_t npreempt, nsteal, nhandoff;
};

#define RUNQ_SIZE 256                   /* Go's len(p.runq) */
#define SUDOG_CACHE 128                 /* Go's cap(p.sudogcache) */
struct sudog;

/* A timer (Go's runtime timer, time.go): f(arg, seq) runs at `when`. */
struct timer {
	int64_t when;
	void (*f)(void *arg, uint64_t seq);
	void *arg;
	uint64_t seq;
};

enum { P_IDLE, P_RUNNING, P_SYSCALL, P_GCSTOP, P_DEAD };

struct p {
	int id;
	_Atomic uint32_t status;        /* P_*; STW changes others' with CAS */
	struct m *m;                    /* the m holding it */
	uint32_t schedtick;             /* +1 per goroutine scheduled */
	/*
	 * The local run queue: a 256-slot ring.  Only the owner adds (at
	 * tail); the owner and thieves take from head with a CAS.  Go's
	 * runqhead/runqtail/runq.
	 */
	_Atomic uint32_t runqhead;
	_Atomic uint32_t runqtail;
	struct g *runq[RUNQ_SIZE];
	/* The next g to run, ahead of the queue (inherits the time slice). */
	struct g *_Atomic runnext;
	struct mcache *mcache;
	/* Dead g's kept for reuse (Go's gFree), with their stacks. */
	struct g *gfree;
	int gfreecnt;
	/* Free sudogs (chan.c), Go's p.sudogcache. */
	struct sudog *sudogcache[SUDOG_CACHE];
	int nsudog;
	/* Goroutine ids handed out by this p: [goidcache, goidcacheend). */
	int64_t goidcache, goidcacheend;
	/* Timers: a 4-ary min-heap on `when` (Go's p.timers). */
	struct spinlock timerslock;
	struct timer *timers;
	int ntimers, timerscap;
	_Atomic int64_t timer0when;     /* earliest when, 0 if none */
	struct p *link;                 /* on sched.pidle */
	int64_t syscallwhen;            /* entered the blocking section */
	uint32_t syscalltick;           /* +1 per blocking section */
};

/* Go's schedt: what belongs to no p. */
struct schedt {
	struct spinlock lock;
	_Atomic int64_t goidgen;
	/* Global run queue, under lock. */
	struct g *runqhead, *runqtail;
	_Atomic int32_t runqsize;
	struct p *pidle;                /* p's no hart holds (handed off) */
	_Atomic int32_t nwantp;         /* m's with wantp set */
	_Atomic int32_t npidle;         /* those, and p's whose hart sleeps */
	_Atomic int32_t nmspinning;
	int32_t gomaxprocs;
	/* Free sudogs beyond the per-p caches (chan.c). */
	struct spinlock sudoglock;
	struct sudog *sudogcache;
	/* Goroutines parked on channels that interrupts send to: not a
	   deadlock while there are any (chan.c). */
	_Atomic int32_t nintrwait;
	/* Readied by interrupt handlers, not yet queued (goready_intr). */
	struct g *_Atomic intrready;
	/* Dead g's without stacks kept beyond the per-p lists. */
	struct g *gfree;
	int gfreecnt;
	/* Every g ever made (for dumps and the deadlock check). */
	struct g *allgs;
	_Atomic int32_t ngoroutines;    /* not dead */
	_Atomic int32_t nsyscall;       /* in a blocking section */
	uint64_t nmidle;                /* idle m's (under lock) */
	int64_t preempt_ns;             /* time slice before preemption */
	/* Stop-the-world (stw.c). */
	_Atomic bool gcwaiting;         /* p's must stop at the next chance */
	_Atomic int32_t stopwait;       /* p's still to stop */
	struct m *stopper;              /* the m waiting for them */
	_Atomic bool started;
};

extern struct schedt sched;
extern struct m ms[CONFIG_MAXCPU];
extern struct p ps[CONFIG_MAXCPU];

/* This hart's m: two loads (tp -> struct hart -> m). */
static inline struct m *getm(void) { return hart_self()->m; }
static inline struct g *getg(void) { return getm()->curg; }

/* Scheduler start-up, on cpu 0 and then every cpu. */
void schedinit(void);
/* rand.c: seed fastrand and the map hash key (schedinit, boot cpu). */
void rand_init(void);
_Noreturn void mstart(void);
/* The main goroutine runs mainfn; its return ends the program. */
void newproc_main(int (*mainfn)(void));

/* go(fn, arg), recording the creator's pc. */
struct g *newproc(void (*fn)(void *), void *arg, uintptr_t callerpc);

/*
 * The transitions the scheduler makes, as a bit set per old status (bit
 * n: may go to n); anything else is a runtime bug.  In the header so the
 * check folds away where both statuses are constants (almost every call).
 */
#define B(s) (1u << (s))
static const uint16_t legal_next[G_PREEMPTED + 1] = {
	[G_IDLE] = B(G_DEAD),                           /* malg */
	[G_DEAD] = B(G_RUNNABLE),                       /* newproc */
	[G_RUNNABLE] = B(G_RUNNING),                    /* execute */
	[G_RUNNING] = B(G_RUNNABLE) |                   /* gosched, preempted */
		      B(G_WAITING) |                    /* gopark */
		      B(G_SYSCALL) |                    /* entersyscall */
		      B(G_DEAD) |                       /* goexit */
		      B(G_PREEMPTED),                   /* suspended (GC) */
	[G_SYSCALL] = B(G_RUNNING) | B(G_RUNNABLE),     /* exitsyscall */
	[G_WAITING] = B(G_RUNNABLE),                    /* goready */
	[G_PREEMPTED] = B(G_RUNNABLE) | B(G_WAITING),
};
#undef B

/* gstatus.c: the fatal report of a bad transition. */
_Noreturn __attribute__((cold)) void casgstatus_fail(struct g *gp, uint32_t oldval,
						     uint32_t newval, uint32_t cur);

/*
 * casgstatus: the one way to change a g's status.  Go's casgstatus also
 * waits out the GC's scan bit; we have none yet, so a mismatch is a bug
 * (fatal, casgstatus_fail).  Inline: it is on every switch.
 */
static inline void casgstatus(struct g *gp, uint32_t oldval, uint32_t newval)
{
	uint32_t cur = oldval;
	if (__builtin_expect(oldval <= G_PREEMPTED && ((legal_next[oldval] >> newval) & 1), 1) &&
	    __builtin_expect(atomic_compare_exchange_strong_explicit(
				     &gp->atomicstatus, &cur, newval, memory_order_acq_rel,
				     memory_order_relaxed), 1))
		return;
	casgstatus_fail(gp, oldval, newval, cur);
}
static inline uint32_t readgstatus(const struct g *gp)
{
	return atomic_load_explicit(&((struct g *)gp)->atomicstatus, memory_order_acquire);
}
const char *gstatus_name(uint32_t s);

/*
 * gopark: block the current goroutine.  After it has switched away (so
 * nobody can run it on two harts at once) unlockf(gp, arg) runs on the
 * next context; if it returns false the goroutine is made runnable again
 * at once.  Go's gopark.  goready: make a waiting goroutine runnable
 * (runnext of this p, as Go).  Context: thread (goroutine).
 */
void gopark(bool (*unlockf)(struct g *, void *), void *arg,
	    enum wait_reason reason);
void goready(struct g *gp);
/* go(fn, arg) with a stack size, pinned to lockto if not NULL. */
struct g *newproc1(void (*fn)(void *), void *arg, uintptr_t callerpc,
		   size_t stacksize, struct m *lockto);
/* goready with interrupts already masked (the caller's). */
void goready_irqoff(struct g *gp);
/* Unlock the spinlock passed as arg: the common unlockf. */
bool park_unlock_spinlock(struct g *gp, void *lock);
/*
 * goparkunlock: gopark that releases l once the goroutine has stopped.
 * For the locks held with interrupts masked (spin_lock_irqoff: channels,
 * semaphores); the caller masked them and restores them after it wakes.
 * The release is inline in the switch, not a call through unlockf.
 */
void goparkunlock(struct spinlock *l, enum wait_reason reason);

void gosched(void);
void goyield(void);
void entersyscall(void);
void exitsyscall(void);
_Noreturn void goexit(void);

/* Preemption off/on around runtime code (Go's acquirem/releasem). */
static inline struct m *acquirem(void)
{
	struct m *mp = getm();
	mp->locks++;
	return mp;
}
void releasem_slow(struct m *mp);
static inline void releasem(struct m *mp)
{
	if (--mp->locks == 0 && mp->curg != NULL && __builtin_expect(mp->curg->preempt, 0))
		releasem_slow(mp);
}

/* Timers and sleeping (time.c). */
void addtimer(struct p *pp, struct timer t);
int64_t checktimers(struct p *pp, int64_t now);
bool deltimer_seq(struct p *pp, uint64_t seq);
uint64_t timer_newseq(void);
void timesleep(int64_t ns);
int64_t nexttimer_all(void);
/* The earliest `when` of any p's timers, or 0. */

/* Run queues (runq.c). */
bool runqput(struct p *pp, struct g *gp, bool next);
struct g *runqget_ring(struct p *pp);
/*
 * runqget: the next g of pp's queue, runnext first, or NULL.  *inherit is
 * set when it came from runnext (it runs in the current time slice).
 * Only pp's owner calls it.  Inline: it is on every switch.
 */
static inline struct g *runqget(struct p *pp, bool *inherit)
{
	struct g *next = atomic_load_explicit(&pp->runnext, memory_order_relaxed);
	/* A thief may take runnext meanwhile: the swap decides who has it. */
	if (next != NULL &&
	    (next = atomic_exchange_explicit(&pp->runnext, NULL, memory_order_acq_rel)) != NULL) {
		*inherit = true;
		return next;
	}
	*inherit = false;
	if (atomic_load_explicit(&pp->runqhead, memory_order_relaxed) ==
	    atomic_load_explicit(&pp->runqtail, memory_order_relaxed))
		return NULL;
	return runqget_ring(pp);
}
bool runqempty(struct p *pp);
struct g *runqsteal(struct p *pp, struct p *victim, bool stealrunnext);
void globrunqput(struct g *gp);
void globrunqputbatch(struct g *head, struct g *tail, int n);
struct g *globrunqget(struct p *pp, int max);

/* Dumps (traceback.c). */
void goroutine_header(struct g *gp);
void goroutine_traceback(struct g *gp);
void dump_all_goroutines(void);
const char *waitreason_string(uint8_t r);

/*
 * Shared by the scheduler's files (proc.c, sysmon.c, stw.c), not for
 * other code.  Interrupts masked unless said otherwise.
 */
void switch_to_g0(enum switch_action action);  /* leave for this hart's g0 */
void gosched_impl(void);        /* the running g yields to the global queue */
void handoffp(struct p *pp);                    /* sched.lock held */
bool handover_p(struct m *mp);                  /* pidle.c: to a hart with wantp */
bool p_has_work(struct p *pp);
bool any_work(struct m *mp);                    /* before this hart sleeps */
void checkdead(void);                           /* sched.lock held */
void check_stack_full(struct g *gp);            /* fatal if overflowed */
void sched_arm(struct m *mp, bool running);     /* this hart's tick */
void sched_slice_start(struct m *mp, bool inherit);
void sched_timers_changed(void);                /* any thread context */

/* Interrupt-time preemption check (called from intr_timer). */
void sched_timer_interrupt(struct hal_trapframe *tf);
/* Deadlock report (fatal). */
_Noreturn void sched_deadlock(void);

/* schedtrace=/scheddetail= (schedtrace.c), started on cpu 0. */
void schedtrace_init(void);
void schedtrace(bool detail);   /* one report now */

/*
 * Stop-the-world (stw.c): stop every p at a safe point; the caller's
 * goroutine alone runs until start_the_world.  Go's stopTheWorld.
 * Context: a goroutine, interrupts enabled.
 */
void stop_the_world(const char *reason);
void start_the_world(void);
/* p ownership and the idle-p list (sched.lock for the list). */
void acquirep(struct m *mp, struct p *pp);
void releasep(struct m *mp);
void pidleput(struct p *pp);
struct p *pidleget(void);
/* GOMAXPROCS n, world stopped (proc.c).  Go's procresize. */
void procresize(int n);
/* For the scheduler: this p stops for the world (true if it did). */
bool gcstopm(struct p *pp);
/* An IPI arrived: the world may be stopping (interrupt context). */
void sched_ipi_interrupt(struct hal_trapframe *tf);

/* Wake an idle hart if there is work and no hart looking for it. */
void wakep(void);

/* Per-m random numbers (Go's fastrand: wyrand).  Cheap, not secure. */
static inline uint32_t fastrand(void)
{
	struct m *mp = getm();
	mp->fastrand += 0xa0761d65u;
	uint64_t x = (uint64_t)mp->fastrand * (mp->fastrand ^ 0xe7037ed1u);
	return (uint32_t)(x ^ (x >> 32));
}

#endif
