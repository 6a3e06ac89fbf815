/*
 * traceback.c - goroutine dumps, in Go's shape:
 *
 *     goroutine 7 [sleep, 2 minutes]:
 *             0x80204a1c switch_to+0x5c
 *             0x80204c80 gopark+0x7e
 *             ...
 *     created by 0x80206f10 spawner+0x2a in goroutine 1
 *
 * The header says the goroutine's id, its status (or, when waiting, why),
 * and how long it has waited once that is a minute or more (as Go).  The
 * frames come from walking frame pointers from where the goroutine
 * switched away (its saved context) or, for the one running here, from
 * the caller.  A goroutine preempted by the timer interrupt shows the
 * scheduler's frames, the trap, and then the code it was running: the
 * walk crosses the trap frame's frame record.  Go prints file:line; we
 * have no line tables in the image, so name+offset (addr2line turns it
 * into a line).
 *
 * Go: runtime/traceback.go (goroutineheader, traceback, gopanic's
 * printing), runtime2.go waitReasonStrings.
 */
#include "proc.h"

#include "gohart.h"

#include "panic.h"
#include "print.h"

static const char *const waitreason_strings[WAIT_NREASONS] = {
	[WAIT_ZERO] = "",
	[WAIT_SLEEP] = "sleep",
	[WAIT_SELECT_NO_CASES] = "select (no cases)",
	[WAIT_CHAN_RECEIVE] = "chan receive",
	[WAIT_CHAN_SEND] = "chan send",
	[WAIT_SYNC_MUTEX] = "sync.Mutex.Lock",
	[WAIT_PARKED] = "parked",
	[WAIT_SELECT] = "select",
	[WAIT_CHAN_SEND_NIL] = "chan send (nil chan)",
	[WAIT_CHAN_RECEIVE_NIL] = "chan receive (nil chan)",
	[WAIT_SYNC_RWMUTEX_RLOCK] = "sync.RWMutex.RLock",
	[WAIT_SYNC_RWMUTEX_LOCK] = "sync.RWMutex.Lock",
	[WAIT_SYNC_WAITGROUP] = "sync.WaitGroup.Wait",
	[WAIT_SYNC_COND] = "sync.Cond.Wait",
	[WAIT_SEMACQUIRE] = "semacquire",
};

const char *waitreason_string(uint8_t r)
{
	return r < WAIT_NREASONS && waitreason_strings[r] ? waitreason_strings[r] : "?";
}

void goroutine_header(struct g *gp)
{
	uint32_t st = readgstatus(gp);
	const char *what = gstatus_name(st);
	if (st == G_WAITING && gp->waitreason != WAIT_ZERO)
		what = waitreason_string(gp->waitreason);
	int64_t mins = 0;
	if (st == G_WAITING && gp->waitsince != 0)
		mins = ((int64_t)hal_ticks() - gp->waitsince) / (60 * (int64_t)hal_timebase());
	if (mins >= 1)
		print_fmt("goroutine %ld [%s, %ld minute%s]:\n", (long)gp->goid, what,
			  (long)mins, mins == 1 ? "" : "s");
	else
		print_fmt("goroutine %ld [%s]:\n", (long)gp->goid, what);
}

/* Frames of a goroutine that is not running (its saved context). */
void goroutine_traceback(struct g *gp)
{
	struct hal_frame f;
	hal_context_frame(&gp->sched, &f);
	traceback_frames(f, true, gp->stack.lo, gp->stack.hi);
}

static void print_creator(struct g *gp)
{
	if (gp->gopc == 0)
		return;
	const char *name;
	uintptr_t off;
	if (symtab_lookup(gp->gopc - 1, &name, &off))
		print_fmt("created by %s in goroutine %ld\n\t%#lx %s+%#lx\n", name,
			  (long)gp->parentgoid, (unsigned long)gp->gopc, name,
			  (unsigned long)(off + 1));
	else
		print_fmt("created by %#lx in goroutine %ld\n", (unsigned long)gp->gopc,
			  (long)gp->parentgoid);
}

/*
 * Every goroutine but the one running on this hart (its trace comes
 * first, from the caller): those running on other harts are named only,
 * their stacks are live.  Dead ones are skipped.
 */
void dump_all_goroutines(void)
{
	struct m *me = getm();
	for (struct g *gp = sched.allgs; gp != NULL; gp = gp->alllink) {
		uint32_t st = readgstatus(gp);
		if (gp == me->curg || st == G_DEAD || st == G_IDLE)
			continue;
		print_fmt("\n");
		goroutine_header(gp);
		if (st == G_RUNNING || st == G_SYSCALL)
			print_fmt("\tgoroutine running on another hart\n");
		else
			goroutine_traceback(gp);
		print_creator(gp);
	}
}

void gohart_dump_goroutines(void)
{
	struct m *mp = acquirem();
	print_lock();
	current_goroutine_header();
	traceback_here();
	current_goroutine_footer();
	dump_all_goroutines();
	print_unlock();
	releasem(mp);
}

/* The header and creator of the goroutine running here, around a trace. */
void current_goroutine_header(void)
{
	struct m *mp = getm();
	struct g *gp = mp->curg;
	if (gp == NULL || gp == &mp->g0 || !atomic_load(&sched.started))
		print_fmt("cpu %d (hart %lu):\n", hal_cpu_id(), hal_cpu_hwid(hal_cpu_id()));
	else
		goroutine_header(gp);
}

void current_goroutine_footer(void)
{
	struct m *mp = getm();
	if (mp->curg != NULL && mp->curg != &mp->g0)
		print_creator(mp->curg);
}
