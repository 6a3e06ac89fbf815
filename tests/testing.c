/*
 * testing.c - the harness behind testing.h.
 *
 * Tests and benchmarks are gathered by the linker into two arrays
 * (sections "gotests" and "gobench", linker.ld), so registering one is
 * just defining it; no list to keep in sync.
 *
 * The watchdog is cpu 0's ALARM_WATCHDOG: armed before each test, it
 * fires in interrupt context if the test is still running at the deadline
 * and ends the run the way `go test -timeout` does.
 */
#include "testing.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

#include "hal/hal.h"
#include "gohart.h"
#include "runtime/bootargs.h"
#include "runtime/hart.h"
#include "runtime/panic.h"
#include "runtime/print.h"

extern const struct test_desc __tests_start[], __tests_end[];
extern const struct bench_desc __benchmarks_start[], __benchmarks_end[];

static const char *current;             /* the running test, for the watchdog */
static uint64_t current_timeout;

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* "    file.c:42: message" as one piece of output. */
static void vreport(const char *file, int line, const char *fmt, va_list ap)
{
	print_lock();
	print_fmt("    %s:%d: ", base_name(file), line);
	print_vfmt(fmt, ap);
	print_fmt("\n");
	print_unlock();
}

void t_log(T *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(file, line, fmt, ap);
	va_end(ap);
	(void)t;
}

void t_report(T *t, const char *file, int line, bool fatal, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(file, line, fmt, ap);
	va_end(ap);
	atomic_store(&t->failed, 1);
	if (fatal) {
		ASSERT(hal_cpu_id() == 0, "t_fatalf: called off the test's cpu");
		longjmp(*(jmp_buf *)t->jmp, 1);
	}
}

long test_mem_mib(void)
{
	return bootarg_int("test.mem", 0) >> 20;
}

_Noreturn void t_skip(T *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(file, line, fmt, ap);
	va_end(ap);
	ASSERT(hal_cpu_id() == 0, "t_skipf: called off the test's cpu");
	t->skipped = true;
	longjmp(*(jmp_buf *)t->jmp, 1);
}

static void watchdog_fire(struct hal_trapframe *tf, void *arg)
{
	(void)arg;
	print_flush();
	print_lock();
	print_fmt("panic: test timed out after %lus\nrunning tests:\n\t%s (%lus)\n\n",
		  (unsigned long)(current_timeout / 1000000000),
		  current ? current : "?",
		  (unsigned long)(current_timeout / 1000000000));
	print_fmt("cpu 0 was at:\n");
	traceback_trap(tf);
	runtime_exit(2);
}

void t_set_timeout(T *t, uint64_t ns)
{
	(void)t;
	current_timeout = ns;
	alarm_set(ALARM_WATCHDOG, hal_nanotime() + ns, watchdog_fire, NULL);
}

enum result { PASSED, FAILED, SKIPPED };

static enum result run_one(const struct test_desc *d, uint64_t timeout)
{
	T t = { .name = d->name };
	jmp_buf jb;
	t.jmp = &jb;
	print_fmt("=== RUN   %s\n", d->name);
	current = d->name;
	uint64_t start = hal_nanotime();
	t_set_timeout(&t, timeout);
	if (setjmp(jb) == 0)
		d->fn(&t);
	alarm_cancel(ALARM_WATCHDOG);
	current = NULL;
	uint64_t ms = (hal_nanotime() - start) / 1000000;
	enum result r = atomic_load(&t.failed) ? FAILED : t.skipped ? SKIPPED : PASSED;
	static const char *const words[] = { "PASS", "FAIL", "SKIP" };
	print_fmt("--- %s: %s (%lu.%02lus)\n", words[r], d->name,
		  (unsigned long)(ms / 1000), (unsigned long)(ms % 1000 / 10));
	if (bootarg("test.memstats") != NULL) {
		/* How much each test leaves on the heap (nothing is freed yet). */
		struct gohart_mem_stats m;
		gohart_mem_stats(&m);
		print_fmt("    heap in use %lu KiB\n", (unsigned long)(m.heap_inuse >> 10));
	}
	return r;
}

static void list_tests(void)
{
	for (const struct test_desc *d = __tests_start; d < __tests_end; d++) {
		if (d->fatal_msg) {
			/* One line per message line, so the runner can read it. */
			print_fmt("test.list fatal %s %d", d->name, d->fatal_status);
			const char *m = d->fatal_msg;
			while (*m) {
				const char *nl = strchr(m, '\n');
				size_t n = nl ? (size_t)(nl - m) : strlen(m);
				print_fmt(" |");
				print_write(m, n);
				m += n + (nl != NULL);
			}
			print_fmt("\n");
		} else {
			print_fmt("test.list test %s\n", d->name);
		}
	}
	for (const struct bench_desc *d = __benchmarks_start; d < __benchmarks_end; d++)
		print_fmt("test.list bench %s %d\n", d->name, d->min_cpus);
}

static int run_fatal(const char *name, uint64_t timeout)
{
	for (const struct test_desc *d = __tests_start; d < __tests_end; d++)
		if (d->fatal_msg && strcmp(d->name, name) == 0) {
			run_one(d, timeout);
			print_fmt("test.fatal: %s returned instead of dying\n", name);
			return 1;
		}
	print_fmt("test.fatal: no expected-fatal test named %s\n", name);
	return 1;
}

/* ---- Benchmarks ---- */

void b_start_timer(B *b)
{
	if (!b->timing) {
		b->start_insn = hal_insn_count();
		b->start_ns = hal_nanotime();
		b->timing = true;
	}
}

void b_stop_timer(B *b)
{
	if (b->timing) {
		b->insn += hal_insn_count() - b->start_insn;
		b->ns += hal_nanotime() - b->start_ns;
		b->timing = false;
	}
}

void b_reset_timer(B *b)
{
	b->insn = b->ns = 0;
	if (b->timing) {
		b->start_insn = hal_insn_count();
		b->start_ns = hal_nanotime();
	}
}

static void bench_run_n(const struct bench_desc *d, B *b, long n)
{
	b->n = n;
	b->insn = b->ns = 0;
	b->timing = false;
	b_start_timer(b);
	d->fn(b);
	b_stop_timer(b);
}

/*
 * Like Go's testing.B.launch: start with n = 1, then predict the n that
 * reaches the target from the last run, grow by at most 100x, stop at
 * the target or at a billion ops.
 */
static void bench_one(const struct bench_desc *d, uint64_t target_insn)
{
	B b = { .name = d->name };
	long n = 1;
	bench_run_n(d, &b, n);
	while (b.insn < target_insn && n < 1000000000) {
		uint64_t per = b.insn / (uint64_t)n + 1;
		long next = (long)(target_insn / per) * 6 / 5;
		if (next > n * 100)
			next = n * 100;
		if (next <= n)
			next = n + 1;
		n = next;
		bench_run_n(d, &b, n);
	}
	/* Two decimals from integers: x100 then split. */
	uint64_t ipo = b.insn * 100 / (uint64_t)n, npo = b.ns * 100 / (uint64_t)n;
	print_fmt("%-36s %10ld %8lu.%02lu insn/op %8lu.%02lu ns/op\n", d->name, n,
		  (unsigned long)(ipo / 100), (unsigned long)(ipo % 100),
		  (unsigned long)(npo / 100), (unsigned long)(npo % 100));
}

static int run_benchmarks(const char *re)
{
	uint64_t target = (uint64_t)bootarg_int("bench.insns", 20000000);
	bool multi = bootarg("bench.multi") != NULL;   /* only multi-cpu ones */
	print_fmt("goos: gohart\ngoarch: %s\n", hal_isa_string());
	for (const struct bench_desc *d = __benchmarks_start; d < __benchmarks_end; d++) {
		if (!match_regexp(re, d->name) || multi != (d->min_cpus > 1))
			continue;
		if (hal_ncpu() < d->min_cpus) {
			print_fmt("%-36s skipped: needs %d cpus\n", d->name, d->min_cpus);
			continue;
		}
		bench_one(d, target);
	}
	print_fmt("bench: done\n");
	return 0;
}

int testing_main(void)
{
	const char *run = bootarg("test.run");
	const char *fatal = bootarg("test.fatal");
	const char *bench = bootarg("bench");
	uint64_t timeout = bootarg_duration("test.timeout", 120ull * 1000000000);

	if (bootarg("test.list"))
		return list_tests(), 0;
	if (bench)
		return run_benchmarks(bench);
	if (fatal)
		return run_fatal(fatal, timeout);

	int count[3] = { 0, 0, 0 };
	for (const struct test_desc *d = __tests_start; d < __tests_end; d++) {
		if (d->fatal_msg || (run && !match_regexp(run, d->name)))
			continue;
		count[run_one(d, timeout)]++;
	}
	int failed = count[FAILED];
	print_fmt("%s\n%d passed, %d failed", failed ? "FAIL" : "PASS", count[PASSED], failed);
	if (count[SKIPPED])
		print_fmt(", %d skipped", count[SKIPPED]);
	print_fmt("\n");
	return failed > 125 ? 125 : failed;
}
