/*
 * golden.c - the output buffer of the oracle twins (see golden.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "golden.h"
#include "sync/spinlock.h"

static char out[64 * 1024];
static size_t outlen;
static struct spinlock outlock = SPINLOCK_INIT("golden.out");

void golden_reset(void)
{
	outlen = 0;
}

void golden_printf(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof line)
		n = (int)sizeof line - 1;
	spin_lock(&outlock);
	if (n > 0 && outlen + (size_t)n < sizeof out) {
		memcpy(out + outlen, line, (size_t)n);
		outlen += (size_t)n;
	}
	spin_unlock(&outlock);
}

void golden_check(T *t, const char *want, const char *want_end)
{
	size_t wantlen = (size_t)(want_end - want);
	if (outlen == wantlen && memcmp(out, want, wantlen) == 0)
		return;
	/* Report the first line that differs. */
	size_t i = 0, line = 1, start = 0;
	while (i < outlen && i < wantlen && out[i] == want[i]) {
		if (out[i] == '\n') {
			line++;
			start = i + 1;
		}
		i++;
	}
	size_t ge = start, we = start;
	while (ge < outlen && out[ge] != '\n')
		ge++;
	while (we < wantlen && want[we] != '\n')
		we++;
	char msg[400];
	snprintf(msg, sizeof msg, "output differs from Go's at line %lu: got \"%.*s\", "
		 "want \"%.*s\" (%lu bytes, want %lu)", (unsigned long)line,
		 (int)(ge - start > 150 ? 150 : ge - start), out + start,
		 (int)(we - start > 150 ? 150 : we - start), want + start,
		 (unsigned long)outlen, (unsigned long)wantlen);
	t_errorf(t, "%s", msg);
}
