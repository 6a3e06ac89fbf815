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
#include <stdlib.h>
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

/* ---- Maps and slices: a word count, one map per goroutine, merged ---- */

struct word_freq {
	gostring_t w;
	int64_t n;
};
static chan_t counts_chan;

MAP_DECLARE(wordcount, gostring_t, int64_t, MAP_KEY_STR)

static const char *const verses[] = {
	"the quick brown fox jumps over the lazy dog and the dog sleeps",
	"a map is a hash table of buckets and a bucket holds eight keys",
	"the slice grows by doubling and then by a quarter as go does",
	"share memory by communicating and do not communicate by sharing memory",
};
#define NVERSES (int)(sizeof verses / sizeof verses[0])

/* Count one verse's words into a map of its own, and send the map. */
static void count_words(void *arg)
{
	const char *text = verses[(intptr_t)arg % NVERSES];
	map_t m = wordcount_make(0);
	for (const char *p = text; *p != '\0';) {
		const char *w = p;
		while (*p != '\0' && *p != ' ')
			p++;
		gostring_t word = { w, p - w };
		wordcount_put(m, word, wordcount_get(m, word) + 1);
		while (*p == ' ')
			p++;
	}
	chan_send(counts_chan, &m);
}

static int by_count_then_word(const void *a, const void *b)
{
	const struct word_freq *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	intptr_t n = x->w.len < y->w.len ? x->w.len : y->w.len;
	int c = memcmp(x->w.str, y->w.str, (size_t)n);
	return c != 0 ? c : (int)(x->w.len - y->w.len);
}

static void word_count(void)
{
	counts_chan = chan_make(map_t, 0);
	for (intptr_t i = 1; i <= 4 * NVERSES; i++)
		go(count_words, (void *)i);
	map_t total = wordcount_make(0);
	for (int i = 0; i < 4 * NVERSES; i++) {
		map_t m;
		chan_recv(counts_chan, &m);
		struct map_iter it;
		MAP_RANGE(wordcount, m, it) {
			gostring_t w = map_iter_key(gostring_t, it);
			wordcount_put(total, w, wordcount_get(total, w) +
					  map_iter_elem(int64_t, it));
		}
	}
	/* Sort the words into a slice, appended one by one. */
	slice_t freq = { 0 };
	struct map_iter it;
	MAP_RANGE(wordcount, total, it) {
		struct word_freq f = { map_iter_key(gostring_t, it),
				       map_iter_elem(int64_t, it) };
		freq = slice_append(struct word_freq, freq, f);
	}
	qsort(freq.array, (size_t)freq.len, sizeof(struct word_freq), by_count_then_word);
	struct map_stats st;
	wordcount_stats(total, &st);
	printf("word count: %d goroutines, %ld distinct words in a map with 2^%u buckets; "
	       "slice len %ld cap %ld\n", 4 * NVERSES, (long)map_len(total), st.B,
	       (long)freq.len, (long)freq.cap);
	for (int i = 0; i < 5 && i < freq.len; i++) {
		struct word_freq f = slice_at(struct word_freq, freq, i);
		printf("  %-6.*s %ld\n", (int)f.w.len, f.w.str, (long)f.n);
	}
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
	word_count();
	printf("all %d cpus reported; %d goroutines left; bye\n", gohart_ncpu(),
	       gohart_num_goroutine());
	return 0;
}
