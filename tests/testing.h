/*
 * testing.h - gohart's in-kernel test and benchmark harness.
 *
 * A test is a function registered with TEST(name); it runs on cpu 0 with
 * interrupts enabled and may put work on other cpus.  It reports through
 * t_errorf (fail, go on) and t_fatalf (fail, stop the test), and prints
 * Go-test lines:
 *
 *     === RUN   timer_fires_every_hart
 *         timer_test.c:42: cpu 3: fired 100 ns early
 *     --- FAIL: timer_fires_every_hart (0.01s)
 *
 * and at the end one line `N passed, N failed`; the exit status is the
 * number of failures.  Boot arguments:
 *
 *     test.run=REGEXP     run only tests whose name matches (Go's -run)
 *     test.timeout=30s    per-test watchdog (default 120s): a test still
 *                         running then is reported by name and the
 *                         machine exits with status 2 (as go test does)
 *     test.list           print the registered tests, run nothing
 *     test.fatal=NAME     run the expected-fatal test NAME alone
 *     bench=REGEXP        run benchmarks instead of tests (Go's -bench)
 *     bench.multi         only the benchmarks that need several cpus
 *     bench.insns=N       how long each benchmark runs (default 20M insns)
 *
 * An expected-fatal test, TEST_FATAL(name, status, "message"), is a test
 * that must kill the machine: it runs in its own boot (tests/run.py does
 * that), and passes when the output contains every line of "message" and
 * the exit status is `status`.
 *
 * A benchmark, BENCH(name), loops b->n times; the harness picks n (as Go's
 * testing.B does) until the run is long enough, then prints instructions
 * per op (exact under QEMU -icount) and virtual nanoseconds per op.
 */
#ifndef GOHART_TESTING_H
#define GOHART_TESTING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct testing_t {
	const char *name;
	atomic_int failed;
	bool skipped;
	void *jmp;              /* t_fatalf's way out, on cpu 0 */
} T;

typedef struct testing_b {
	const char *name;
	long n;
	uint64_t start_insn, start_ns;  /* where timing started */
	uint64_t insn, ns;              /* accumulated while timing */
	bool timing;
} B;

struct test_desc {
	const char *name;
	void (*fn)(T *t);
	const char *fatal_msg;  /* NULL for ordinary tests */
	int fatal_status;
	const char *file;
};

struct bench_desc {
	const char *name;
	void (*fn)(B *b);
	int min_cpus;           /* skipped on fewer cpus */
};

#define TEST(name)                                                        \
	static void name(T *t);                                           \
	static const struct test_desc test_desc_##name                    \
		__attribute__((section("gotests"), used, aligned(8))) =   \
		{ #name, name, 0, 0, __FILE__ };                          \
	static void name(T *t __attribute__((unused)))

#define TEST_FATAL(name, status, msg)                                     \
	static void name(T *t);                                           \
	static const struct test_desc test_desc_##name                    \
		__attribute__((section("gotests"), used, aligned(8))) =   \
		{ #name, name, msg, status, __FILE__ };                   \
	static void name(T *t __attribute__((unused)))

#define BENCH_CPUS(name, ncpu)                                            \
	static void name(B *b);                                           \
	static const struct bench_desc bench_desc_##name                  \
		__attribute__((section("gobench"), used, aligned(8))) =   \
		{ #name, name, ncpu };                                    \
	static void name(B *b)
#define BENCH(name) BENCH_CPUS(name, 1)

/* Report a failure and go on.  Any cpu. */
#define t_errorf(t, ...) t_report(t, __FILE__, __LINE__, false, __VA_ARGS__)
/* Report a failure and end the test now.  Only on the test's own cpu. */
#define t_fatalf(t, ...) t_report(t, __FILE__, __LINE__, true, __VA_ARGS__)
/* End the test now as skipped (neither passed nor failed), saying why. */
#define t_skipf(t, ...) t_skip(t, __FILE__, __LINE__, __VA_ARGS__)
/*
 * Skip unless the machine has at least mib MiB of RAM (test.mem): for
 * tests that allocate tens of MiB, which nothing frees until the
 * collector lands, so that small-memory boots run everything else.
 */
#define t_needmem(t, mib)                                                 \
	do {                                                              \
		if (test_mem_mib() < (mib))                               \
			t_skipf(t, "needs %d MiB of RAM, this boot has %ld", \
				(int)(mib), test_mem_mib());              \
	} while (0)
long test_mem_mib(void);
/* Print a line that belongs to the test's output. */
#define t_logf(t, ...) t_log(t, __FILE__, __LINE__, __VA_ARGS__)

#define EXPECT(t, cond)                                                   \
	do {                                                              \
		if (!(cond))                                              \
			t_errorf(t, "EXPECT(%s) failed", #cond);          \
	} while (0)
#define REQUIRE(t, cond)                                                  \
	do {                                                              \
		if (!(cond))                                              \
			t_fatalf(t, "REQUIRE(%s) failed", #cond);         \
	} while (0)
#define EXPECT_EQ(t, a, b)                                                \
	do {                                                              \
		long long _a = (long long)(a), _b = (long long)(b);       \
		if (_a != _b)                                             \
			t_errorf(t, "%s == %s: got %lld, want %lld", #a,  \
				 #b, _a, _b);                             \
	} while (0)

void t_report(T *t, const char *file, int line, bool fatal, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void t_log(T *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
_Noreturn void t_skip(T *t, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Shorten (or lengthen) this test's watchdog to `ns` from now. */
void t_set_timeout(T *t, uint64_t ns);

/* Benchmark timer control, as Go's b.StopTimer/StartTimer/ResetTimer. */
void b_stop_timer(B *b);
void b_start_timer(B *b);
void b_reset_timer(B *b);

/* Go-style regular expression match (unanchored search): . * + ? ^ $ [] | */
bool match_regexp(const char *re, const char *s);

/* The test image's main. */
int testing_main(void);

#endif
