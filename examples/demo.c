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

/* ---- The concurrent prime sieve: a goroutine per prime, chained ---- */

struct filter {
	chan_t in, out;
	int prime;
};

static void sieve_generate(void *arg)
{
	chan_t ch = arg;
	for (int i = 2; i < 2000; i++)
		chan_send(ch, &i);
	chan_close(ch);                 /* winds the chain down */
}

static void sieve_filter(void *arg)
{
	struct filter *f = arg;
	int i;
	while (chan_recv_ok(f->in, &i))
		if (i % f->prime != 0)
			chan_send(f->out, &i);
	chan_close(f->out);
}

static void prime_sieve(void)
{
	/*
	 * The line is built in a buffer and printed once: main may move
	 * between harts, and the C library buffers stdout per hart.
	 */
	char line[200];
	int len = snprintf(line, sizeof line, "prime sieve: the first 25 primes, one goroutine each:\n ");
	chan_t ch = chan_make(int, 0);
	go(sieve_generate, ch);
	for (int n = 0; n < 25; n++) {
		int prime = chan_recv_val(ch, int);
		len += snprintf(line + len, sizeof line - (size_t)len, " %d", prime);
		struct filter *f = gc_new(struct filter);
		*f = (struct filter){ ch, chan_make(int, 0), prime };
		go(sieve_filter, f);
		ch = f->out;
	}
	printf("%s\n", line);
	while (chan_recv_ok(ch, NULL))  /* drain: every filter ends */
		;
}

/* ---- A producer/consumer pipeline over buffered channels ---- */

#define STAGE_WORKERS 4
static atomic_int squarers_left;
static atomic_int squared_on_cpu[MAXCPU];

struct stage {
	chan_t in, out;
};

static void produce(void *arg)
{
	chan_t out = arg;
	for (long i = 1; i <= 10000; i++)
		chan_send(out, &i);
	chan_close(out);
}

static void square(void *arg)
{
	struct stage *s = arg;
	long v;
	while (chan_recv_ok(s->in, &v)) {
		v *= v;
		chan_send(s->out, &v);
		atomic_fetch_add(&squared_on_cpu[gohart_cpu() % MAXCPU], 1);
	}
	if (atomic_fetch_sub(&squarers_left, 1) == 1)
		chan_close(s->out);     /* the last one closes the results */
}

static void pipeline(void)
{
	chan_t numbers = chan_make(long, 64), squares = chan_make(long, 64);
	static struct stage st;
	st = (struct stage){ numbers, squares };
	atomic_store(&squarers_left, STAGE_WORKERS);
	go(produce, numbers);
	for (int i = 0; i < STAGE_WORKERS; i++)
		go(square, &st);
	long sum = 0, v;
	int count = 0;
	/* The consumer: results, with a ticker reporting progress. */
	struct gohart_ticker *tick = gohart_ticker_new(20 * 1000 * 1000);
	bool ok = true;
	int64_t when;
	while (ok) {
		struct select_case cs[] = { SELECT_RECV(squares, &v, &ok),
					    SELECT_RECV(gohart_ticker_chan(tick), &when, NULL) };
		if (chan_select(cs, 2, true) == 0 && ok) {
			sum += v;
			count++;
		} else if (ok) {
			printf("  pipeline: %d squares so far\n", count);
		}
	}
	gohart_ticker_stop(tick);
	printf("pipeline: %d workers squared 1..10000, sum %ld\n", STAGE_WORKERS, sum);
	for (int c = 0; c < gohart_ncpu() && c < MAXCPU; c++)
		printf("  cpu %d squared %d\n", c, atomic_load(&squared_on_cpu[c]));
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
	prime_sieve();
	pipeline();
	printf("all %d cpus reported; %d goroutines left; bye\n", gohart_ncpu(),
	       gohart_num_goroutine());
	return 0;
}
