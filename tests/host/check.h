/*
 * check.h - the host tests' harness: Go-test lines, one child per test.
 *
 * The host tests build pure runtime modules (hal/dt.c, runtime/bootargs.c,
 * tests/match.c, mm/physmem.c) with the host compiler under
 * AddressSanitizer and UBSan.  Each test case runs in a forked child, so a
 * sanitizer report or a crash fails that one case and the rest still run;
 * a child that runs longer than T_TIMEOUT seconds is killed.  Output
 * follows `go test`: a `--- PASS: name (0.00s)` line per passing case, and
 * for a failing one the result line and then what the case printed:
 *
 *     --- FAIL: match/17 (0.00s)
 *         match_test.c:88: match_regexp("a.c", "ac") = true, want false
 *
 * With -v (as `go test -v`) each case starts with `=== RUN   name` and
 * its output is always shown, before the result line.  The program ends
 * with one line `N passed, N failed` (the Makefile sums those lines); its
 * exit status is 1 when any case failed.
 *
 * Checks: EXPECT(cond), EXPECTF(cond, fmt, ...), EXPECT_EQ(got, want) on
 * integers (printed in hex and decimal), EXPECT_STREQ(got, want).  A
 * failed check records the failure and goes on, like Go's t.Errorf.
 */
#ifndef GOHART_HOST_CHECK_H
#define GOHART_HOST_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#ifndef T_TIMEOUT
#define T_TIMEOUT 30    /* seconds one test case may run */
#endif

/* Record a failure (with file:line) unless ok; returns ok. */
bool t_expect(bool ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool t_expect_eq(uint64_t got, uint64_t want, const char *file, int line,
		 const char *what);
bool t_expect_streq(const char *got, const char *want, const char *file,
		    int line, const char *what);
/* An indented informational line in the current case's output. */
void t_logf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define EXPECT(cond) t_expect(!!(cond), __FILE__, __LINE__, "%s", #cond)
#define EXPECTF(cond, ...) t_expect(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define EXPECT_EQ(got, want)                                               \
	t_expect_eq((uint64_t)(got), (uint64_t)(want), __FILE__, __LINE__, \
		    #got)
#define EXPECT_STREQ(got, want) \
	t_expect_streq((got), (want), __FILE__, __LINE__, #got)

/* Take -v out of argv (updating *argc).  First thing in main. */
void t_init(int *argc, char **argv);

/* Run one test case in a child process and print its result line. */
void t_run(const char *name, void (*fn)(void));
/* The same for a table row: fn(arg). */
void t_run_arg(const char *name, void (*fn)(const void *), const void *arg);

/* Print the totals; returns the exit status for main. */
int t_finish(const char *prog);

#endif
