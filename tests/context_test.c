/*
 * context_test.c - hal_context_init/hal_context_switch keep every
 * callee-saved register (integer and FP) across switches; the trap path
 * keeps the FP registers of interrupted code even when the handler uses
 * FP itself.
 */
#include <stdlib.h>
#include <string.h>

#include "hal/hal.h"
#include "runtime/hart.h"
#include "testing.h"

static struct hal_context main_ctx, co_ctx;
static volatile long co_count;

static __attribute__((noipa)) double churn(double x, long i)
{
	return x * 1.0000001 + (double)(i & 7);
}

static void coroutine(void *arg)
{
	long *limit = arg;
	double acc = 1.0;
	long iacc = 7;
	for (long i = 0; i < *limit; i++) {
		acc = churn(acc, i);
		iacc = iacc * 31 + i;
		co_count++;
		hal_context_switch(&co_ctx, &main_ctx);
	}
	/* publish what the values must be, computed without switches */
	double want = 1.0;
	long iwant = 7;
	for (long i = 0; i < *limit; i++) {
		want = churn(want, i);
		iwant = iwant * 31 + i;
	}
	co_count = (acc == want && iacc == iwant) ? -1 : -2;
	hal_context_switch(&co_ctx, &main_ctx);
	for (;;)
		;
}

TEST(context_switch_keeps_registers)
{
	static long limit = 1000;
	size_t size = 16384;
	char *stack = malloc(size);
	REQUIRE(t, stack != NULL);
	hal_context_init(&co_ctx, stack, stack + size, coroutine, &limit);
	co_count = 0;
	double acc = 3.0;
	long iacc = 5;
	for (long i = 0; i < limit; i++) {
		hal_context_switch(&main_ctx, &co_ctx);
		acc = churn(acc, i);
		iacc = iacc * 17 + i;
		if (co_count != i + 1)
			t_fatalf(t, "switch %ld: coroutine count %ld", i, co_count);
	}
	hal_context_switch(&main_ctx, &co_ctx);
	EXPECT_EQ(t, co_count, -1);
	double want = 3.0;
	long iwant = 5;
	for (long i = 0; i < limit; i++) {
		want = churn(want, i);
		iwant = iwant * 17 + i;
	}
	EXPECT(t, acc == want);
	EXPECT_EQ(t, iacc, iwant);
	free(stack);
}

/* A timer handler that does FP arithmetic, clobbering FP registers. */
static volatile double handler_sink;
static atomic_int fp_ticks;

static void fp_alarm(struct hal_trapframe *tf, void *arg)
{
	(void)tf;
	(void)arg;
	volatile double a = 1.5, b = 2.25, c = 0;
	for (int i = 0; i < 20; i++)
		c += a * b + (double)i / 3.0;
	handler_sink = c;
	atomic_fetch_add(&fp_ticks, 1);
	alarm_set(ALARM_USER, hal_nanotime() + 20000, fp_alarm, NULL);
}

static __attribute__((noipa)) double fp_series(long n)
{
	/* A bounded recurrence (each row's weights sum below 1), so every
	 * value stays finite and the result is one exact bit pattern. */
	double x = 0.5, y = 1.25, z = -3.0, w = 0.0;
	for (long i = 0; i < n; i++) {
		x = x * 0.6 + y * 0.3 + (double)(i & 15) / 7.0;
		y = y * 0.5 - z * 0.4;
		z = z * 0.7 + x / 13.0;
		w += x * y - z / 3.0;
	}
	return w + x + y + z;
}

static atomic_int fp_bad;

static void fp_under_interrupts(void *arg)
{
	long n = *(long *)arg;
	uintptr_t s = hal_irq_save();
	double quiet = fp_series(n);    /* no interrupts at all */
	hal_irq_restore(s);
	alarm_set(ALARM_USER, hal_nanotime() + 20000, fp_alarm, NULL);
	double noisy = 0;
	for (int k = 0; k < 4; k++)
		noisy = fp_series(n);   /* interrupted many times */
	alarm_cancel(ALARM_USER);
	if (memcmp(&quiet, &noisy, sizeof quiet) != 0 || quiet != quiet)
		atomic_fetch_add(&fp_bad, 1);
}

TEST(fp_registers_survive_interrupts)
{
	static long n = 200000;
	atomic_store(&fp_bad, 0);
	atomic_store(&fp_ticks, 0);
	hart_call_all(fp_under_interrupts, &n);
	EXPECT_EQ(t, atomic_load(&fp_bad), 0);
	if (atomic_load(&fp_ticks) < hal_ncpu())
		t_errorf(t, "only %d timer interrupts arrived during the FP loops",
			 atomic_load(&fp_ticks));
}
