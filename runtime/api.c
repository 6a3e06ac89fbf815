/*
 * api.c - include/gohart.h, implemented over the runtime's internals.
 */
#include "gohart.h"

#include "bootargs.h"
#include "hal/hal.h"
#include "hart.h"
#include "panic.h"
#include "proc.h"

uint64_t gohart_nanotime(void) { return hal_nanotime(); }
int gohart_cpu(void) { return hal_cpu_id(); }
void gohart_on_each_cpu(void (*fn)(void *), void *arg) { hart_call_all(fn, arg); }
_Noreturn void gohart_exit(int status) { runtime_exit(status); }
const char *gohart_bootarg(const char *key) { return bootarg(key); }

int gohart_ncpu(void)
{
	int n = 0;
	for (int i = 0; i < hal_ncpu(); i++)
		n += hart_online(i);
	return n;
}

/* ---- Goroutines ---- */

void go(void (*fn)(void *), void *arg)
{
	newproc(fn, arg, (uintptr_t)__builtin_return_address(0));
}

void gohart_gosched(void) { gosched(); }

_Noreturn void gohart_goexit(void)
{
	goexit();
}

void gohart_sleep(uint64_t ns)
{
	timesleep(ns > INT64_MAX ? INT64_MAX : (int64_t)ns);
}

int64_t gohart_goid(void) { return getg()->goid; }
int gohart_num_goroutine(void) { return atomic_load(&sched.ngoroutines); }

int gohart_gomaxprocs(int n)
{
	int old = sched.gomaxprocs;
	int harts = 0;
	while (harts < hal_ncpu() && hart_online(harts))
		harts++;
	if (n > harts)
		n = harts;              /* a p needs a hart to run on */
	if (n < 1 || n == old)
		return old;
	stop_the_world("GOMAXPROCS");
	procresize(n);
	start_the_world();
	return old;
}

void gohart_lock_hart(void)
{
	struct m *mp = acquirem();
	struct g *gp = mp->curg;
	if (gp->lockedext++ == 0 && gp->lockedint == 0)
		gp->lockedm = mp;
	releasem(mp);
}

void gohart_unlock_hart(void)
{
	struct m *mp = acquirem();
	struct g *gp = mp->curg;
	if (gp->lockedext > 0 && --gp->lockedext == 0 && gp->lockedint == 0)
		gp->lockedm = NULL;
	releasem(mp);
}

void gohart_entersyscall(void) { entersyscall(); }
void gohart_exitsyscall(void) { exitsyscall(); }
