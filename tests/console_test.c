/*
 * console_test.c - console output from every cpu at once keeps lines
 * whole, through both the runtime's print and newlib's printf; the C
 * library (formatting, malloc) works on every cpu at once.
 *
 * tests/run.py checks the output of console_lines_stay_whole: every line
 * containing CONSOLE-LINE must be exactly one well-formed line, and every
 * (cpu, seq) pair must appear once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hal/hal.h"
#include "runtime/bootargs.h"
#include "runtime/hart.h"
#include "runtime/print.h"
#include "testing.h"

#define LINES_PER_CPU 100

static void print_lines(void *arg)
{
	(void)arg;
	int me = hal_cpu_id();
	for (int i = 0; i < LINES_PER_CPU; i++) {
		if (i % 2)
			printf("CONSOLE-LINE cpu=%d seq=%d abcdefghijklmnopqrstuvwxyz0123456789 end\n",
			       me, i);
		else
			print_fmt("CONSOLE-LINE cpu=%d seq=%d abcdefghijklmnopqrstuvwxyz0123456789 end\n",
				  me, i);
	}
	fflush(stdout);
}

TEST(console_lines_stay_whole)
{
	(void)t;
	hart_call_all(print_lines, NULL);
	print_fmt("CONSOLE-CHECK cpus=%d lines=%d\n", hal_ncpu(), LINES_PER_CPU);
}

struct libc_result {
	atomic_int bad;
};

static void libc_work(void *arg)
{
	struct libc_result *r = arg;
	int me = hal_cpu_id();
	char buf[96], want[96];
	for (int i = 0; i < 300; i++) {
		snprintf(buf, sizeof buf, "%d:%lld:%.3f:%s:%x", me, 1ll << 40, 2.5 * i,
			 "str", 0xbeef);
		fmt_buf(want, sizeof want, "%d:%lld:%d.%03d:%s:%x", me, 1ll << 40,
			(int)(2.5 * i), (int)((25 * i) % 10) * 100, "str", 0xbeef);
		if (strcmp(buf, want) != 0)
			atomic_fetch_add(&r->bad, 1);
		size_t n = 16 + (size_t)(i * 37 % 4000);
		unsigned char *p = malloc(n);
		if (p == NULL) {
			atomic_fetch_add(&r->bad, 1);
			continue;
		}
		memset(p, me + 1, n);
		unsigned char *q = malloc(64);
		for (size_t k = 0; k < n; k++)
			if (p[k] != me + 1) {
				atomic_fetch_add(&r->bad, 1);
				break;
			}
		free(q);
		free(p);
	}
}

TEST(libc_on_every_hart)
{
	static struct libc_result r;
	atomic_store(&r.bad, 0);
	hart_call_all(libc_work, &r);
	EXPECT_EQ(t, atomic_load(&r.bad), 0);
}

TEST(libc_malloc_fails_cleanly)
{
	void *p = malloc((size_t)1 << 40);      /* more than the C heap */
	EXPECT(t, p == NULL);
	free(p);
}

/*
 * Console input arrives through the UART receive interrupt into the ring
 * that stdin reads.  tests/run.py runs this in its own boot: it waits for
 * the "ready" line, then types the text it passed as test.input=.
 */
TEST(console_input_reaches_stdin)
{
	const char *want = bootarg("test.input");
	if (want == NULL)
		t_skipf(t, "no test.input= (tests/run.py types it in a boot of its own)");
	print_fmt("console-input: ready\n");
	char line[80];
	REQUIRE(t, fgets(line, sizeof line, stdin) != NULL);
	line[strcspn(line, "\r\n")] = 0;
	if (strcmp(line, want) != 0)
		t_errorf(t, "read %s, want %s", line, want);
}
