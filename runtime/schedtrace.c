/*
 * schedtrace.c - Go's GODEBUG=schedtrace=X and scheddetail=1.
 *
 * With the bootarg schedtrace=1000, every 1000 ms a line like Go's:
 *
 *   SCHED 1004ms: gomaxprocs=4 idleprocs=0 threads=4 spinningthreads=1 idlethreads=0 runqueue=0 [0 1 0 0]
 *
 *   idleprocs        p's whose hart is asleep with nothing to do
 *   threads          m's: here, harts that are up
 *   spinningthreads  harts looking for work to steal
 *   idlethreads      harts asleep in the idle loop
 *   runqueue         goroutines on the global queue
 *   [...]            goroutines on each p's local queue
 *
 * With scheddetail=1 as well, one line per p, per m and per goroutine
 * follows (Go's scheddetail).  In Go the trace comes from sysmon, a
 * thread of its own; here from cpu 0's timer interrupt (ALARM_TRACE), so
 * it keeps coming when every goroutine is busy.  It reads the other
 * harts' state without stopping them, as Go does: a snapshot, not an
 * atomic one.
 *
 * Go: runtime/proc.go schedtrace.
 */
#include "proc.h"

#include "bootargs.h"
#include "print.h"

static int64_t trace_period;
static bool trace_detail;

void schedtrace(bool detail)
{
	int n = sched.gomaxprocs, threads = 0;
	for (int i = 0; i < hal_ncpu(); i++)
		threads += hart_online(i);
	print_lock();
	print_fmt("SCHED %ldms: gomaxprocs=%d idleprocs=%d threads=%d spinningthreads=%d "
		  "idlethreads=%d runqueue=%d", (long)(hal_nanotime() / 1000000), n,
		  (int)atomic_load(&sched.npidle), threads,
		  (int)atomic_load(&sched.nmspinning), (int)sched.nmidle,
		  (int)atomic_load(&sched.runqsize));
	if (detail)
		print_fmt(" gcwaiting=0 nmidlelocked=0 stopwait=0 sysmonwait=0\n");
	else
		print_fmt(" [");
	for (int i = 0; i < n; i++) {
		struct p *pp = &ps[i];
		uint32_t size = atomic_load(&pp->runqtail) - atomic_load(&pp->runqhead);
		if (detail) {
			print_fmt("  P%d: status=%u schedtick=%u syscalltick=0 m=%d runqsize=%u "
				  "gfreecnt=%d timerslen=%d\n", i, pp->status, pp->schedtick,
				  pp->m ? pp->m->id : -1, size, pp->gfreecnt, pp->ntimers);
		} else {
			print_fmt("%s%u", i ? " " : "", size);
		}
	}
	if (!detail) {
		print_fmt("]\n");
		print_unlock();
		return;
	}
	for (int i = 0; i < hal_ncpu(); i++) {
		if (!hart_online(i))
			continue;
		struct m *mp = &ms[i];
		struct g *cur = mp->curg;
		print_fmt("  M%d: p=%d curg=%ld mallocing=0 throwing=0 preemptoff= locks=%d "
			  "dying=0 spinning=%s blocked=%s lockedg=-1\n", i,
			  mp->p ? mp->p->id : -1,
			  cur && cur != &mp->g0 ? (long)cur->goid : -1L, mp->locks,
			  mp->spinning ? "true" : "false", mp->idle ? "true" : "false");
	}
	for (struct g *gp = sched.allgs; gp != NULL; gp = gp->alllink) {
		uint32_t st = readgstatus(gp);
		struct m *mp = gp->m;
		print_fmt("  G%ld: status=%u(%s) m=%d lockedm=%d\n", (long)gp->goid, st,
			  st == G_WAITING ? waitreason_string(gp->waitreason) : "",
			  mp ? mp->id : -1, gp->lockedm ? gp->lockedm->id : -1);
	}
	print_unlock();
}

static void trace_alarm(struct hal_trapframe *tf, void *arg)
{
	(void)tf;
	(void)arg;
	schedtrace(trace_detail);
	alarm_set(ALARM_TRACE, hal_nanotime() + (uint64_t)trace_period, trace_alarm, NULL);
}

/* From cpu 0, when the scheduler starts. */
void schedtrace_init(void)
{
	long ms = bootarg_int("schedtrace", 0);
	if (ms <= 0)
		return;
	trace_period = ms * 1000000LL;
	trace_detail = bootarg_int("scheddetail", 0) > 0;
	alarm_set(ALARM_TRACE, hal_nanotime() + (uint64_t)trace_period, trace_alarm, NULL);
}
