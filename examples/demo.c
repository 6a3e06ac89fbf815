/*
 * demo.c - what `make qemu` runs: every cpu reports in, every cpu
 * allocates from the garbage-collected heap at once and the memory
 * statistics are printed, then a pool of goroutines shares out a job
 * (counting primes) and reports which harts did the work.
 *
 * The demo grows with the runtime: goroutines, channels and the garbage
 * collector each add a part as they land.
 */
#include <stdatomic.h>
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

/* ---- A worker pool: goroutines take jobs until none are left ---- */

#define NJOBS 400
#define JOBSIZE 2000
#define MAXCPU 32

static atomic_int next_job, jobs_done, workers_done;
static atomic_int jobs_on_cpu[MAXCPU];
static atomic_long primes;

static int is_prime(int n)
{
	if (n < 2)
		return 0;
	for (int d = 2; d * d <= n; d++)
		if (n % d == 0)
			return 0;
	return 1;
}

static void worker(void *arg)
{
	(void)arg;
	for (;;) {
		int job = atomic_fetch_add(&next_job, 1);
		if (job >= NJOBS)
			break;
		long found = 0;
		for (int n = job * JOBSIZE; n < (job + 1) * JOBSIZE; n++)
			found += is_prime(n);
		atomic_fetch_add(&primes, found);
		atomic_fetch_add(&jobs_on_cpu[gohart_cpu() % MAXCPU], 1);
		atomic_fetch_add(&jobs_done, 1);
		gohart_gosched();       /* let the other workers have a turn */
	}
	atomic_fetch_add(&workers_done, 1);
}

static void worker_pool(void)
{
	int nworkers = 4 * gohart_gomaxprocs(0);
	printf("worker pool: %d goroutines, %d jobs, GOMAXPROCS %d\n", nworkers, NJOBS,
	       gohart_gomaxprocs(0));
	for (int i = 0; i < nworkers; i++)
		go(worker, NULL);
	while (atomic_load(&workers_done) < nworkers)
		gohart_sleep(1000 * 1000);
	printf("  %ld primes below %d\n", (long)atomic_load(&primes), NJOBS * JOBSIZE);
	for (int c = 0; c < gohart_ncpu() && c < MAXCPU; c++)
		printf("  cpu %d ran %d jobs\n", c, atomic_load(&jobs_on_cpu[c]));
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
	worker_pool();
	printf("all %d cpus reported; %d goroutines left; bye\n", gohart_ncpu(),
	       gohart_num_goroutine());
	return 0;
}
