/*
 * gstatus.c - a goroutine's status and the one function that changes it.
 *
 * Every transition goes through casgstatus (inline, proc.h), which knows
 * the legal ones (legal_next, proc.h: one bit per target) and throws
 * here on anything else: a status going the wrong way is a scheduler
 * bug, caught where it happens rather than as a goroutine run twice or
 * never.  docs/scheduler.md, section 2.
 *
 * Go: runtime/proc.go casgstatus, runtime2.go (_Gidle ... _Gpreempted).
 */
#include "proc.h"

#include "panic.h"
#include "print.h"

static const char *const gstatus_names[] = {
	[G_IDLE] = "idle",         [G_RUNNABLE] = "runnable",
	[G_RUNNING] = "running",   [G_SYSCALL] = "syscall",
	[G_WAITING] = "waiting",   [5] = "moribund_unused",
	[G_DEAD] = "dead",         [7] = "enqueue_unused",
	[8] = "copystack",         [G_PREEMPTED] = "preempted",
};

const char *gstatus_name(uint32_t s)
{
	return s < sizeof gstatus_names / sizeof *gstatus_names && gstatus_names[s]
		       ? gstatus_names[s] : "???";
}

_Noreturn void casgstatus_fail(struct g *gp, uint32_t oldval, uint32_t newval,
			       uint32_t cur)
{
	if (oldval > G_PREEMPTED || !((legal_next[oldval] >> newval) & 1)) {
		print_fmt("runtime: casgstatus: goroutine %ld: %s -> %s\n",
			  (long)gp->goid, gstatus_name(oldval), gstatus_name(newval));
		throw("casgstatus: invalid transition");
	}
	print_fmt("runtime: casgstatus: goroutine %ld is %s, not %s (-> %s)\n",
		  (long)gp->goid, gstatus_name(cur), gstatus_name(oldval),
		  gstatus_name(newval));
	throw("casgstatus: bad incoming values");
}
