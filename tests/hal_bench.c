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

/* IPI round trip: cpu 0 interrupts cpu 1, which interrupts cpu 0 back. */
static atomic_long pongs_wanted;

static void ipi_ponger(void *arg)
{
	(void)arg;
	unsigned long seen = atomic_load(&harts[1].nipi);
	while (atomic_load(&pongs_wanted) > 0) {
		for (;;) {              /* sleep until the next IPI */
			uintptr_t s = hal_irq_save();
			bool got = atomic_load(&harts[1].nipi) != seen;
			if (!got)
				hal_wait_for_interrupt();
			hal_irq_restore(s);
			if (got)
				break;
		}
		seen = atomic_load(&harts[1].nipi);
		atomic_fetch_sub(&pongs_wanted, 1);
		hal_ipi_send(0);
	}
}

BENCH_CPUS(bench_ipi_round_trip, 2)
{
	atomic_store(&pongs_wanted, b->n);
	hart_call(1, ipi_ponger, NULL);
	unsigned long seen = atomic_load(&harts[0].nipi);
	for (long i = 0; i < b->n; i++) {
		hal_ipi_send(1);
		while (atomic_load(&harts[0].nipi) == seen)
			hal_cpu_relax();
		seen = atomic_load(&harts[0].nipi);
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
