/*
 * demo.c - what `make qemu` runs: every cpu reports in, then every cpu
 * allocates from the garbage-collected heap at once and the memory
 * statistics are printed.
 *
 * The demo grows with the runtime: goroutines, channels and the garbage
 * collector each add a part as they land.
 */
#include <stdio.h>
#include <string.h>

#include "gohart.h"

static void report(void *arg)
{
	(void)arg;
	printf("cpu %d reporting in at %llu us\n", gohart_cpu(),
	       (unsigned long long)(gohart_nanotime() / 1000));
}

/* A small linked list built on each cpu, from its own mcache. */
struct node {
	struct node *next;
	int cpu, value;
};

static void build_list(void *arg)
{
	(void)arg;
	struct node *head = NULL;
	for (int i = 0; i < 10000; i++) {
		struct node *n = gc_new(struct node);
		n->next = head;
		n->cpu = gohart_cpu();
		n->value = i;
		head = n;
	}
	long sum = 0;
	for (struct node *n = head; n; n = n->next)
		sum += n->value;
	char *name = gc_alloc_noscan(32);
	snprintf(name, 32, "cpu %d", gohart_cpu());
	printf("%s: built a 10000-node list on the GC heap, sum %ld\n", name, sum);
}

int main(void)
{
	printf("hello from main on cpu %d of %d\n", gohart_cpu(), gohart_ncpu());
	gohart_on_each_cpu(report, NULL);

	gohart_on_each_cpu(build_list, NULL);
	struct gohart_mem_stats m;
	gohart_mem_stats(&m);
	printf("heap: %llu objects, %llu KiB allocated, %llu KiB in spans, "
	       "%llu MiB idle of %llu MiB\n",
	       (unsigned long long)m.mallocs, (unsigned long long)(m.heap_alloc >> 10),
	       (unsigned long long)(m.heap_inuse >> 10),
	       (unsigned long long)(m.heap_idle >> 20),
	       (unsigned long long)(m.heap_sys >> 20));
	printf("all %d cpus reported; bye\n", gohart_ncpu());
	return 0;
}
