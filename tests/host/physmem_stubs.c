/*
 * physmem_stubs.c - the symbols mm/physmem.c needs from the rest of the
 * kernel, for the host build of physmem_test.
 *
 * hal_mem_ranges / hal_mem_reserved hand out whatever the test put in
 * stub_ram / stub_resv (nothing by default); print_fmt prints to stdout;
 * throw prints Go's "fatal error:" line and aborts (the harness reports
 * the signal).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "hal/hal.h"
#include "physmem_stubs.h"
#include "runtime/panic.h"
#include "runtime/print.h"

struct hal_mem_range stub_ram[STUB_MAXRANGES], stub_resv[STUB_MAXRANGES];
int stub_nram, stub_nresv;

static int copy_ranges(const struct hal_mem_range *from, int n,
		       struct hal_mem_range *out, int max)
{
	int i;
	for (i = 0; i < n && i < max; i++)
		out[i] = from[i];
	return i;
}

int hal_mem_ranges(struct hal_mem_range *out, int max)
{
	return copy_ranges(stub_ram, stub_nram, out, max);
}

int hal_mem_reserved(struct hal_mem_range *out, int max)
{
	return copy_ranges(stub_resv, stub_nresv, out, max);
}

void print_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

_Noreturn void throw(const char *msg)
{
	fflush(stdout);
	fprintf(stderr, "fatal error: %s\n", msg);
	abort();
}
