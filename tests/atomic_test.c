/*
 * atomic_test.c - include/gohart_atomic.h: Go's sync/atomic typed values.
 * The return conventions (add gives the new value, swap the old, cas a
 * bool), wrap-around, zero values, and counters hammered from every hart
 * at once that must come out exact.
 *
 * The codegen_* functions are out-of-line copies of each operation, kept
 * so the machine code can be read in the image's disassembly
 * (build/<arch>-<board>/test.asm, or objdump -d test.elf): amoadd.w.aqrl,
 * lr.w.aqrl / sc.w.rl on RISC-V, ldaxr / stlxr on ARMv8.0.
 */
#include <stdatomic.h>
#include <stdint.h>

#include "gohart.h"
#include "testing.h"

/* ---- Out-of-line copies, for reading the generated code ---- */

#define NOINLINE __attribute__((noinline, used))
NOINLINE int32_t codegen_int32_load(struct atomic_int32 *a) { return atomic_int32_load(a); }
NOINLINE void codegen_int32_store(struct atomic_int32 *a, int32_t v) { atomic_int32_store(a, v); }
NOINLINE int32_t codegen_int32_add(struct atomic_int32 *a, int32_t d) { return atomic_int32_add(a, d); }
NOINLINE int32_t codegen_int32_swap(struct atomic_int32 *a, int32_t v) { return atomic_int32_swap(a, v); }
NOINLINE bool codegen_int32_cas(struct atomic_int32 *a, int32_t o, int32_t n) { return atomic_int32_cas(a, o, n); }
NOINLINE uint64_t codegen_uint64_add(struct atomic_uint64 *a, uint64_t d) { return atomic_uint64_add(a, d); }
NOINLINE bool codegen_uint64_cas(struct atomic_uint64 *a, uint64_t o, uint64_t n) { return atomic_uint64_cas(a, o, n); }
NOINLINE void *codegen_ptr_swap(struct atomic_ptr *a, void *p) { return atomic_ptr_swap(a, p); }

/* ---- Values and return conventions ---- */

TEST(atomic_int32_returns_like_go)
{
	static struct atomic_int32 zero;        /* the zero value is ready */
	EXPECT_EQ(t, atomic_int32_load(&zero), 0);

	struct atomic_int32 a = { 5 };
	EXPECT_EQ(t, atomic_int32_add(&a, 3), 8);        /* the new value */
	EXPECT_EQ(t, atomic_int32_add(&a, -10), -2);
	EXPECT_EQ(t, atomic_int32_swap(&a, 42), -2);     /* the old value */
	EXPECT_EQ(t, atomic_int32_load(&a), 42);
	EXPECT(t, !atomic_int32_cas(&a, 41, 7));         /* not 41: no change */
	EXPECT_EQ(t, atomic_int32_load(&a), 42);
	EXPECT(t, atomic_int32_cas(&a, 42, 7));
	EXPECT_EQ(t, atomic_int32_load(&a), 7);
	atomic_int32_store(&a, INT32_MAX);
	EXPECT_EQ(t, atomic_int32_add(&a, 1), INT32_MIN);        /* wraps, as Go */
	/* Through the out-of-line copies too. */
	codegen_int32_store(&a, 1);
	EXPECT_EQ(t, codegen_int32_add(&a, 2), 3);
	EXPECT_EQ(t, codegen_int32_swap(&a, 9), 3);
	EXPECT(t, codegen_int32_cas(&a, 9, 10) && !codegen_int32_cas(&a, 9, 11));
	EXPECT_EQ(t, codegen_int32_load(&a), 10);
}

TEST(atomic_uint32_wraps_and_subtracts)
{
	struct atomic_uint32 u = { 0 };
	EXPECT_EQ(t, atomic_uint32_add(&u, (uint32_t)-1), UINT32_MAX);  /* Go's ^uint32(0) */
	EXPECT_EQ(t, atomic_uint32_add(&u, 2), 1);
	EXPECT_EQ(t, atomic_uint32_swap(&u, 0x80000000u), 1);
	EXPECT(t, atomic_uint32_cas(&u, 0x80000000u, 3));
	EXPECT_EQ(t, atomic_uint32_load(&u), 3);
	atomic_uint32_store(&u, 77);
	EXPECT_EQ(t, atomic_uint32_load(&u), 77);
}

TEST(atomic_64bit_values_use_all_64_bits)
{
	struct atomic_int64 a = { 0 };
	int64_t big = (int64_t)1 << 40;
	EXPECT_EQ(t, atomic_int64_add(&a, big), big);
	EXPECT_EQ(t, atomic_int64_add(&a, -big - 1), -1);
	EXPECT_EQ(t, atomic_int64_swap(&a, INT64_MAX), -1);
	EXPECT_EQ(t, atomic_int64_add(&a, 1), INT64_MIN);
	EXPECT(t, !atomic_int64_cas(&a, 0, 1));
	EXPECT(t, atomic_int64_cas(&a, INT64_MIN, 12));
	atomic_int64_store(&a, -5);
	EXPECT_EQ(t, atomic_int64_load(&a), -5);

	struct atomic_uint64 u = { UINT64_MAX };
	EXPECT(t, atomic_uint64_add(&u, 1) == 0);
	EXPECT(t, codegen_uint64_add(&u, (uint64_t)1 << 63) == (uint64_t)1 << 63);
	EXPECT(t, atomic_uint64_swap(&u, 0xdeadbeefcafef00dull) == (uint64_t)1 << 63);
	EXPECT(t, codegen_uint64_cas(&u, 0xdeadbeefcafef00dull, 1));
	EXPECT(t, !atomic_uint64_cas(&u, 0xdeadbeefcafef00dull, 2));
	atomic_uint64_store(&u, 0x0123456789abcdefull);
	EXPECT(t, atomic_uint64_load(&u) == 0x0123456789abcdefull);
}

TEST(atomic_ptr_swaps_and_compares)
{
	static int x, y;
	struct atomic_ptr p = { NULL };
	EXPECT(t, atomic_ptr_load(&p) == NULL);
	EXPECT(t, atomic_ptr_swap(&p, &x) == NULL);
	EXPECT(t, codegen_ptr_swap(&p, &y) == &x);
	EXPECT(t, !atomic_ptr_cas(&p, &x, NULL));
	EXPECT(t, atomic_ptr_load(&p) == &y);
	EXPECT(t, atomic_ptr_cas(&p, &y, &x));
	atomic_ptr_store(&p, NULL);
	EXPECT(t, atomic_ptr_load(&p) == NULL);
}

/* ---- Every hart at once: the totals must be exact ---- */

#define ROUNDS 20000

static struct atomic_int32 count32;
static struct atomic_uint64 count64;
static struct atomic_int64 count_cas;
static struct atomic_uint32 cpus_seen;  /* bit per cpu that did some work */
static struct atomic_ptr last_writer;

/* Each round: one add on each counter, and one increment by CAS. */
static void hammer(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		atomic_int32_add(&count32, 1);
		atomic_uint64_add(&count64, 3);
		int64_t v;
		do
			v = atomic_int64_load(&count_cas);
		while (!atomic_int64_cas(&count_cas, v, v + 1));
		atomic_ptr_swap(&last_writer, arg);
	}
	for (;;) {                              /* cpus_seen |= our bit, by CAS */
		uint32_t seen = atomic_uint32_load(&cpus_seen);
		if (atomic_uint32_cas(&cpus_seen, seen, seen | 1u << (gohart_cpu() & 31)))
			break;
	}
}

static void reset_counters(void)
{
	atomic_int32_store(&count32, 0);
	atomic_uint64_store(&count64, 0);
	atomic_int64_store(&count_cas, 0);
	atomic_uint32_store(&cpus_seen, 0);
	atomic_ptr_store(&last_writer, NULL);
}

static void check_counters(T *t, int workers)
{
	EXPECT_EQ(t, atomic_int32_load(&count32), workers * ROUNDS);
	EXPECT(t, atomic_uint64_load(&count64) == 3ull * (uint64_t)workers * ROUNDS);
	EXPECT_EQ(t, atomic_int64_load(&count_cas), (int64_t)workers * ROUNDS);
	EXPECT(t, atomic_ptr_load(&last_writer) != NULL);
}

struct worker_arg {
	chan_t done;
};

static void hammer_goroutine(void *arg)
{
	struct worker_arg *w = arg;
	hammer(w);
	chan_send_val(w->done, int, 1);
}

TEST(atomic_counters_exact_from_goroutines)
{
	int workers = gohart_ncpu() + 1;
	static struct worker_arg w;
	w.done = chan_make(int, 0);
	reset_counters();
	for (int i = 0; i < workers; i++)
		go(hammer_goroutine, &w);
	for (int i = 0; i < workers; i++)
		chan_recv(w.done, NULL);
	check_counters(t, workers);
	t_logf(t, "%d goroutines ran on cpus %#x", workers, atomic_uint32_load(&cpus_seen));
}

static void hammer_on_cpu(void *arg)
{
	hammer(arg);
}

TEST(atomic_counters_exact_on_every_cpu_at_once)
{
	static int token;
	reset_counters();
	gohart_on_each_cpu(hammer_on_cpu, &token);      /* every cpu, together */
	check_counters(t, gohart_ncpu());
	uint32_t all = gohart_ncpu() >= 32 ? UINT32_MAX : (1u << gohart_ncpu()) - 1;
	EXPECT(t, atomic_uint32_load(&cpus_seen) == all);
	EXPECT(t, atomic_ptr_load(&last_writer) == &token);
}
