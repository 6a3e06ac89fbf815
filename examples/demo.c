/*
 * demo.c - what `make qemu` runs: every cpu reports in.
 *
 * The demo grows with the runtime: goroutines, channels, the allocator
 * and the garbage collector each add a part as they land.
 */
#include <stdio.h>

#include "gohart.h"

static void report(void *arg)
{
	(void)arg;
	printf("cpu %d reporting in at %llu us\n", gohart_cpu(),
	       (unsigned long long)(gohart_nanotime() / 1000));
}

int main(void)
{
	printf("hello from main on cpu %d of %d\n", gohart_cpu(), gohart_ncpu());
	gohart_on_each_cpu(report, NULL);
	printf("all %d cpus reported; bye\n", gohart_ncpu());
	return 0;
}
