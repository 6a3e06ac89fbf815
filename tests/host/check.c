/*
 * check.c - the host tests' harness (check.h): fork per case, Go-test lines.
 *
 * The parent forks and waits.  The child sends its stdout and stderr to
 * a temporary file, sets an alarm, runs the case, and exits 0 (passed) or
 * T_EXIT_FAILED (a check failed).  Any other ending - a sanitizer report
 * (exit status 1), a signal, the alarm - is a crash, reported as a
 * failure of that case.  The parent then prints the result line and,
 * for a failure (or always, with -v), what the child wrote: as `go test`
 * does, a passing case shows only its `--- PASS` line.  The child's
 * stdout is line-buffered so nothing printed before a crash is lost.
 */
#include "check.h"

#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define T_EXIT_FAILED 3

static bool case_failed;        /* in the child: a check failed */
static bool verbose;            /* -v: === RUN lines, every case's output */
static int npassed, nfailed;

static void vreport(const char *file, int line, const char *fmt, va_list ap)
{
	const char *base = strrchr(file, '/');
	printf("    %s:%d: ", base ? base + 1 : file, line);
	vprintf(fmt, ap);
	printf("\n");
}

bool t_expect(bool ok, const char *file, int line, const char *fmt, ...)
{
	if (ok)
		return true;
	va_list ap;
	va_start(ap, fmt);
	vreport(file, line, fmt, ap);
	va_end(ap);
	case_failed = true;
	return false;
}

bool t_expect_eq(uint64_t got, uint64_t want, const char *file, int line,
		 const char *what)
{
	return t_expect(got == want, file, line,
			"%s = %#" PRIx64 " (%" PRId64 "), want %#" PRIx64
			" (%" PRId64 ")", what, got, (int64_t)got, want,
			(int64_t)want);
}

bool t_expect_streq(const char *got, const char *want, const char *file,
		    int line, const char *what)
{
	bool ok = got != NULL && want != NULL ? strcmp(got, want) == 0
					      : got == want;
	return t_expect(ok, file, line, "%s = %s%s%s, want %s%s%s", what,
			got ? "\"" : "", got ? got : "NULL", got ? "\"" : "",
			want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
}

void t_logf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("    ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* How a case ended. */
enum outcome { PASSED, FAILED, CRASHED };

/* Child side: run the case with stdout and stderr going to `cap`. */
static _Noreturn void child(FILE *cap, void (*fn0)(void),
			    void (*fn)(const void *), const void *arg)
{
	dup2(fileno(cap), 1);
	dup2(fileno(cap), 2);
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(T_TIMEOUT);
	case_failed = false;
	if (fn0)
		fn0();
	else
		fn(arg);
	fflush(stdout);
	exit(case_failed ? T_EXIT_FAILED : 0);
}

/* Parent side: how did the child end?  Explains a crash into cap. */
static enum outcome reap(pid_t pid, FILE *cap)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return PASSED;
	if (WIFEXITED(st) && WEXITSTATUS(st) == T_EXIT_FAILED)
		return FAILED;
	fseek(cap, 0, SEEK_END);
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
		fprintf(cap, "    timed out after %d s\n", T_TIMEOUT);
	else if (WIFSIGNALED(st))
		fprintf(cap, "    crashed: killed by signal %d (%s)\n",
			WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		fprintf(cap, "    crashed: exit status %d (sanitizer report "
			"above?)\n", WEXITSTATUS(st));
	return CRASHED;
}

static void copy_out(FILE *cap)
{
	char buf[4096];
	size_t n;
	fflush(cap);
	rewind(cap);
	while ((n = fread(buf, 1, sizeof buf, cap)) > 0)
		fwrite(buf, 1, n, stdout);
}

static void run_case(const char *name, void (*fn0)(void),
		     void (*fn)(const void *), const void *arg)
{
	if (verbose)
		printf("=== RUN   %s\n", name);
	fflush(stdout);
	fflush(stderr);
	FILE *cap = tmpfile();
	if (cap == NULL) {
		perror("tmpfile");
		exit(2);
	}
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0)
		child(cap, fn0, fn, arg);
	enum outcome o = reap(pid, cap);
	double dt = now() - t0;
	if (verbose)
		copy_out(cap);
	if (o == PASSED) {
		npassed++;
		printf("--- PASS: %s (%.2fs)\n", name, dt);
	} else {
		nfailed++;
		printf("--- FAIL: %s (%.2fs)\n", name, dt);
		if (!verbose)
			copy_out(cap);
	}
	fclose(cap);
	fflush(stdout);
}

void t_run(const char *name, void (*fn)(void))
{
	run_case(name, fn, NULL, NULL);
}

void t_run_arg(const char *name, void (*fn)(const void *), const void *arg)
{
	run_case(name, NULL, fn, arg);
}

void t_init(int *argc, char **argv)
{
	int j = 1;
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = true;
		else
			argv[j++] = argv[i];
	}
	*argc = j;
	argv[j] = NULL;
}

int t_finish(const char *prog)
{
	printf("%s\t%s\t%d passed, %d failed\n",
	       nfailed ? "FAIL" : "ok  ", prog, npassed, nfailed);
	printf("%d passed, %d failed\n", npassed, nfailed);
	fflush(stdout);
	return nfailed ? 1 : 0;
}
