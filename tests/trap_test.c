/*
 * trap_test.c - traps nobody handles end the machine with a report that
 * names the trap, the function it hit in, and exit status 2.  Each is an
 * expected-fatal test: it runs in its own boot and tests/run.py checks the
 * output lines and the status.
 */
#include <stdint.h>
#include <stdio.h>

#include "gohart.h"
#include "hal/hal.h"
#include "runtime/hart.h"
#include "runtime/panic.h"
#include "testing.h"

/* An all-zero word is an illegal instruction on RISC-V and ARM64 alike. */
static const uint32_t zero_insn[2] __attribute__((aligned(8))) = { 0, 0 };

static __attribute__((noinline)) void jump_to_zero_word(void)
{
	void (*fn)(void) = (void (*)(void))(uintptr_t)zero_insn;
	fn();
	__asm__ volatile("" ::: "memory"); /* keep the call a call */
}

TEST_FATAL(trap_illegal_instruction, 2,
	   "fatal error: unexpected trap: " HAL_TRAPNAME_ILLEGAL "\n"
	   "lr 0x\n jump_to_zero_word+0x")
{
	(void)t;
	jump_to_zero_word();
}

static __attribute__((noipa)) uint64_t load_from(uintptr_t addr)
{
	return *(volatile uint64_t *)addr;
}

/* Address 8: no memory or device is there on any supported board.
 * (Read from a volatile so the compiler cannot see the address.) */
static volatile uintptr_t nowhere = 8;
static volatile uint64_t sink;  /* uses the result: the calls are not tail calls */

TEST_FATAL(trap_bad_load, 2,
	   "fatal error: unexpected trap: " HAL_TRAPNAME_BAD_LOAD " (address 0x8)\n"
	   " load_from+0x\n trap_bad_load+0x")
{
	(void)t;
	sink = load_from(nowhere);
}

static __attribute__((noinline)) void bad_load_elsewhere(void *arg)
{
	(void)arg;
	sink = load_from(nowhere);
}

/* On another cpu (the last one), with cpu 0 waiting: still reported. */
TEST_FATAL(trap_bad_load_other_hart, 2,
	   "fatal error: unexpected trap: " HAL_TRAPNAME_BAD_LOAD " (address 0x8)\n"
	   " bad_load_elsewhere+0x")
{
	(void)t;
	int cpu = hal_ncpu() - 1;
	if (cpu == 0)
		bad_load_elsewhere(NULL);
	hart_call(cpu, bad_load_elsewhere, NULL);
	hart_wait(cpu);
}

TEST_FATAL(throw_prints_fatal_error, 2,
	   "fatal error: runtime: deliberate throw from a test\n"
	   " throw_prints_fatal_error+0x")
{
	(void)t;
	throw("runtime: deliberate throw from a test");
}

TEST_FATAL(exit_status_reaches_host, 7, "exiting with status 7")
{
	(void)t;
	printf("exiting with status 7\n");
	gohart_exit(7);
}

TEST_FATAL(watchdog_names_hung_test, 2,
	   "panic: test timed out after 1s\nrunning tests:\n\twatchdog_names_hung_test (1s)")
{
	t_set_timeout(t, 1000000000);
	for (;;)
		hal_cpu_relax();
}
