/*
 * schedinit.c - the scheduler's start-up: every m and p set up from the
 * harts that came online and the maxprocs= and preempt= bootargs, then
 * the main goroutine, which runs the C constructors pinned to cpu 0 (as
 * Go's runtime.main runs init functions) and then main.
 *
 * Go: proc.go (schedinit, procresize, runtime.main, main_init_done).
 */
#include "proc.h"

#include "bootargs.h"
#include "gohart.h"
#include "mm/mheap.h"
#include "panic.h"

#define MAIN_STACK_SIZE (64 * 1024)
#define PREEMPT_NS_DEFAULT (10 * 1000 * 1000)   /* Go's forcePreemptNS */

void schedinit(void)
{
	/* Harts that did not start get no p: their queue would never run. */
	int n = 0;
	while (n < hal_ncpu() && hart_online(n))
		n++;
	long v = bootarg_int("maxprocs", n);
	if (v >= 1 && v < n)
		n = (int)v;
	sched.gomaxprocs = n;
	sched.preempt_ns = (int64_t)bootarg_duration("preempt", PREEMPT_NS_DEFAULT);
	if (sched.preempt_ns < 100 * 1000)
		sched.preempt_ns = 100 * 1000;
	for (int i = 0; i < CONFIG_MAXCPU; i++) {
		struct m *mp = &ms[i];
		mp->id = i;
		mp->g0.goid = 0;
		atomic_store(&mp->g0.atomicstatus, G_RUNNING);
		hal_boot_stack(i, &mp->g0.stack.lo, &mp->g0.stack.hi);
		mp->g0.stack.lo = 0;    /* no canary on boot stacks */
		mp->curg = &mp->g0;
		mp->lockedq_lock = (struct spinlock)SPINLOCK_INIT_RANK("m.lockedq", LOCK_RANK_M_LOCKEDQ);
		struct p *pp = &ps[i];
		pp->id = i;
		pp->timerslock = (struct spinlock)SPINLOCK_INIT_RANK("p.timers", LOCK_RANK_P_TIMERS);
		pp->mcache = &mcaches[i];
		if (i < n) {
			acquirep(mp, pp);
		} else {
			pp->status = P_DEAD;
		}
	}
	rand_init();            /* every m's fastrand, and the map hash's key */
}

struct mainarg {
	int (*fn)(void);
};

/*
 * The main goroutine: as Go's runtime.main, it runs the program's
 * initializers (C constructors, Go's init functions) pinned to cpu 0,
 * then main.  A constructor that calls gohart_lock_hart keeps main on
 * cpu 0 for good (Go's "LockOSThread in init").
 */
static void runmain(void *arg)
{
	struct mainarg *ma = arg;
	extern void (*const __init_array_start[])(void);
	extern void (*const __init_array_end[])(void);
	for (void (*const *f)(void) = __init_array_start; f < __init_array_end; f++)
		(*f)();
	struct g *gp = getg();
	if (--gp->lockedint == 0 && gp->lockedext == 0)
		gp->lockedm = NULL;
	runtime_exit(ma->fn());
}

void newproc_main(int (*mainfn)(void))
{
	static struct mainarg ma;
	ma.fn = mainfn;
	/* Pinned to cpu 0 while the initializers run (runmain). */
	struct g *gp = newproc1(runmain, &ma, (uintptr_t)__builtin_return_address(0),
				MAIN_STACK_SIZE, &ms[0]);
	gp->main = true;
	atomic_store(&sched.started, true);
	schedtrace_init();
	for (int i = 1; i < hal_ncpu(); i++)
		if (hart_online(i))
			hal_ipi_send(i);
}
