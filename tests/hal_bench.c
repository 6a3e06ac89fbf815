/*
 * hal_bench.c - the cost of the HAL's basic operations, in instructions
 * (tests/run.py --bench runs these under QEMU -icount; see
 * docs/BENCHMARKS.md).
 */
#include "hal/hal.h"
#include "runtime/hart.h"
#include "runtime/print.h"
#include "testing.h"

static void nothing(void *arg)
{
	(void)arg;
}

/* Trap entry + exit: a self-raised software interrupt doing nothing. */
BENCH(bench_trap_round_trip)
{
	for (long i = 0; i < b->n; i++)
		hal_irq_offload(nothing, NULL);
}

static struct hal_context ping_ctx, pong_ctx;

static void ponger(void *arg)
{
	(void)arg;
	for (;;)
		hal_context_switch(&pong_ctx, &ping_ctx);
}

/* One hal_context_switch (half of a ping-pong round). */
BENCH(bench_context_switch)
{
	static char stack[8192] __attribute__((aligned(16)));
	hal_context_init(&pong_ctx, stack, stack + sizeof stack, ponger, NULL);
	hal_context_switch(&ping_ctx, &pong_ctx);      /* start it */
	b_reset_timer(b);
	for (long i = 0; i < b->n; i += 2)
		hal_context_switch(&ping_ctx, &pong_ctx);
}

/*
 * IPI round trip: cpu 0 interrupts cpu 1, which interrupts cpu 0 back.
 * Each side sleeps until the other's counter moves; the IPI only wakes
 * it (counting IPIs instead would lose a ping that arrives together with
 * the hart_call that starts the ponger).
 */
static atomic_long pings, pongs, rounds;

static bool pinged(void *arg)
{
	return atomic_load(&pings) > *(long *)arg;
}

static bool ponged(void *arg)
{
	return atomic_load(&pongs) > *(long *)arg;
}

static void ipi_ponger(void *arg)
{
	(void)arg;
	for (long i = 0; i < atomic_load(&rounds); i++) {
		hart_sleep_until(pinged, &i);
		atomic_store(&pongs, i + 1);
		hal_ipi_send(0);
	}
}

BENCH_CPUS(bench_ipi_round_trip, 2)
{
	atomic_store(&pings, 0);
	atomic_store(&pongs, 0);
	atomic_store(&rounds, b->n);
	hart_call(1, ipi_ponger, NULL);
	for (long i = 0; i < b->n; i++) {
		atomic_store(&pings, i + 1);
		hal_ipi_send(1);
		hart_sleep_until(ponged, &i);
	}
	hart_wait(1);
}

/* One 64-byte console line through the runtime's print path. */
BENCH(bench_console_line)
{
	for (long i = 0; i < b->n; i++)
		print_fmt("bench console line %8ld ......................................\n", i);
}

BENCH(bench_nanotime)
{
	uint64_t sink = 0;
	for (long i = 0; i < b->n; i++)
		sink += hal_nanotime();
	__asm__ volatile("" :: "r"(sink));
}
