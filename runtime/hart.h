/*
 * hart.h - the generic per-cpu state underneath the scheduler.
 *
 * Every cpu gets a struct hart (its generic per-cpu state, reached through
 * hal_cpu_local()).  cpu 0 starts the main goroutine; every cpu then runs
 * the scheduler's loop (mstart, runtime/proc.c), which, when the cpu has
 * no goroutine to run, also serves hart_call requests: the low-level way
 * tests and the demo put code on a given cpu.
 *
 * Per-cpu alarms multiplex the cpu's one hardware timer: each slot has a
 * deadline and a function run in interrupt context when it passes.
 */
#ifndef GOHART_HART_H
#define GOHART_HART_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "hal/hal.h"

enum {
	ALARM_WATCHDOG,         /* the test harness's per-test deadline */
	ALARM_USER,             /* tests and programs */
	ALARM_SCHED,            /* the scheduler: time slices, timers */
	ALARM_TRACE,            /* schedtrace= (cpu 0) */
	NALARM,
};

typedef void (*alarm_fn)(struct hal_trapframe *tf, void *arg);

struct mcache;
struct m;

struct hart {
	struct mcache *mcache;          /* this cpu's allocation cache */
	struct m *m;                    /* the scheduler's view of this cpu */
	int id;
	/* hart_call mailbox: written by the caller, cleared by this cpu. */
	void (*_Atomic call_fn)(void *);
	void *call_arg;
	int call_from;                  /* the caller, interrupted when done */
	atomic_int call_busy;           /* posted and not finished */
	/* Counters, written only by this cpu (read by anyone). */
	atomic_ulong nipi, ntimer;
	/* Alarms: touched only by this cpu with interrupts masked. */
	uint64_t alarm_when[NALARM];    /* 0: unset */
	alarm_fn alarm_fn[NALARM];
	void *alarm_arg[NALARM];
};

extern struct hart harts[CONFIG_MAXCPU];

/* This cpu's struct hart.  any. */
static inline struct hart *hart_self(void)
{
	return (struct hart *)hal_cpu_local();
}

/* Boot: set up cpu 0, then start the others (they enter mstart). */
void hart_init_boot(void);
void hart_start_others(void);
/* Is cpu `cpu` up and running? */
bool hart_online(int cpu);

/*
 * hart_call: run fn(arg) on cpu `cpu` (not this one) as soon as it is
 * idle; returns at once.  hart_wait: until that call has finished.
 * hart_call_all: run fn(arg) on every online cpu, this one included, and
 * wait for all.  Context: thread.
 */
void hart_call(int cpu, void (*fn)(void *), void *arg);
void hart_wait(int cpu);
void hart_call_all(void (*fn)(void *), void *arg);

/*
 * hart_sleep_until: sleep (wait-for-interrupt) until done(arg) holds.
 * Whoever makes it hold must interrupt this cpu.  Context: thread, with
 * interrupts enabled on entry (the handler must be able to run).
 */
void hart_sleep_until(bool (*done)(void *), void *arg);

/* Arm/cancel this cpu's alarm `slot`.  any (this cpu). */
void alarm_set(int slot, uint64_t deadline_ns, alarm_fn fn, void *arg);
void alarm_cancel(int slot);

#endif
