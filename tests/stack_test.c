/*
 * stack_test.c - goroutine stacks: sizes, the canary, per-cpu caching
 * (a freed stack comes straight back, without a lock), draining to the
 * global pool, stacks on every cpu at once, and the overflow fatal.
 */
#include <string.h>

#include "hal/hal.h"
#include "mm/mheap.h"
#include "mm/stack.h"
#include "runtime/hart.h"
#include "runtime/proc.h"
#include "sync/spinlock.h"
#include "testing.h"

TEST(stack_sizes_and_canary)
{
	static const size_t asks[] = { 1, 8192, 8193, 16384, 40000, 65536, 65537, 200000 };
	static const size_t want[] = { 8192, 8192, 16384, 16384, 65536, 65536, 73728, 204800 };
	for (size_t i = 0; i < sizeof asks / sizeof *asks; i++) {
		struct stack s = stack_alloc(asks[i]);
		EXPECT_EQ(t, s.hi - s.lo, want[i]);
		EXPECT(t, s.lo % PAGE_SIZE == 0);
		EXPECT(t, stack_canary_ok(s));
		EXPECT(t, span_of(s.lo) == NULL);       /* not a heap object */
		memset((void *)(s.lo + 64), 0x11, s.hi - s.lo - 64);
		EXPECT(t, stack_canary_ok(s));
		stack_free(s);
	}
}

TEST(stack_cache_reuses_without_a_lock)
{
	struct stack a = stack_alloc(STACK_DEFAULT_SIZE);
	stack_free(a);
	/* No preemption in the loop: a switch would take scheduler locks. */
	struct m *mp = acquirem();
	int me = hal_cpu_id();
	uint64_t locks = spin_cpu[me].count;
	bool reused = true;
	for (int i = 0; i < 1000 && reused; i++) {
		struct stack b = stack_alloc(STACK_DEFAULT_SIZE);
		reused = b.lo == a.lo;
		stack_free(b);
	}
	uint64_t taken = spin_cpu[me].count - locks;
	releasem(mp);
	EXPECT(t, reused);
	EXPECT_EQ(t, taken, 0);
}

TEST(stack_cache_drains_to_the_pool)
{
	static struct stack held[64];
	for (int i = 0; i < 64; i++)            /* 64 x 16 KiB = 1 MiB */
		held[i] = stack_alloc(16384);
	size_t pool0 = stack_pool_bytes();
	for (int i = 0; i < 64; i++)
		stack_free(held[i]);
	EXPECT(t, stack_cache_bytes(hal_cpu_id()) < 4 * 256 * 1024);
	/* 1 MiB freed into a cache that holds 256 KiB: most went to the pool. */
	EXPECT(t, stack_pool_bytes() >= pool0 + 512 * 1024);
	for (int i = 0; i < 64; i++)            /* and they come back */
		held[i] = stack_alloc(16384);
	for (int i = 0; i < 64; i++)
		for (int j = i + 1; j < 64; j++)
			if (held[i].lo == held[j].lo)
				t_fatalf(t, "stack %#lx handed out twice", (unsigned long)held[i].lo);
	for (int i = 0; i < 64; i++)
		stack_free(held[i]);
}

static atomic_int stack_bad;

static void churn_stacks(void *arg)
{
	(void)arg;
	static struct stack mine[CONFIG_MAXCPU][40];
	struct stack *m = mine[hal_cpu_id()];
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 40; i++) {
			m[i] = stack_alloc((size_t)8192 << (i % 4));
			memset((void *)(m[i].lo + 32), hal_cpu_id() + 1, 256);
		}
		for (int i = 0; i < 40; i++) {
			const unsigned char *p = (const unsigned char *)(m[i].lo + 32);
			for (int k = 0; k < 256; k++)
				if (p[k] != hal_cpu_id() + 1) {
					atomic_fetch_add(&stack_bad, 1);
					break;
				}
			stack_free(m[i]);
		}
	}
}

TEST(stack_every_hart_at_once)
{
	atomic_store(&stack_bad, 0);
	hart_call_all(churn_stacks, NULL);
	EXPECT_EQ(t, atomic_load(&stack_bad), 0);
}

TEST_FATAL(stack_overflow_breaks_the_canary, 2,
	   "fatal error: stack_free: stack canary overwritten (stack overflow)")
{
	struct stack s = stack_alloc(STACK_DEFAULT_SIZE);
	memset((void *)s.lo, 0, 16);            /* what running off the end does */
	stack_free(s);
}

/* A goroutine's worth of stack churn: one alloc and one free. */
BENCH(bench_stack_alloc_free)
{
	for (long i = 0; i < b->n; i++)
		stack_free(stack_alloc(STACK_DEFAULT_SIZE));
}
