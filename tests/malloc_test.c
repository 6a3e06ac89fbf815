/*
 * malloc_test.c - the garbage-collected heap's allocator: every object is
 * zeroed, aligned, inside its span and overlaps no other; span_of finds it
 * from any interior pointer; every cpu allocates at once without taking a
 * lock on the fast path; statistics add up; running out is fatal.
 */
#include <stdlib.h>
#include <string.h>

#include "gohart.h"
#include "hal/hal.h"
#include "mm/mheap.h"
#include "runtime/hart.h"
#include "runtime/proc.h"
#include "sync/spinlock.h"
#include "testing.h"

struct obj {
	unsigned char *p;
	uint32_t size;
	uint32_t id;
};

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Mostly small sizes, some up to 32 KiB, a few large: about 2 KiB per
 * object on average.  Nothing is freed (there is no collector yet), so
 * the tests keep their total well inside a 256 MiB machine.
 */
static uint32_t random_size(uint64_t *s)
{
	uint64_t r = rng_next(s), k = r % 64;
	r /= 64;
	if (k < 8)
		return (uint32_t)(1 + r % 15);                  /* tiny range */
	if (k < 12)
		return (uint32_t)(1 + r % 32768);
	if (k == 12)
		return (uint32_t)(32769 + r % 100000);          /* large */
	return (uint32_t)(1 + r % 512);
}

static void fill(const struct obj *o)
{
	for (uint32_t i = 0; i < o->size; i++)
		o->p[i] = (unsigned char)(o->id * 31 + i);
}

static bool intact(const struct obj *o)
{
	for (uint32_t i = 0; i < o->size; i++)
		if (o->p[i] != (unsigned char)(o->id * 31 + i))
			return false;
	return true;
}

/* Check one fresh object; returns an error string or NULL. */
static const char *check_fresh(const struct obj *o, bool noscan)
{
	for (uint32_t i = 0; i < o->size; i++)
		if (o->p[i] != 0)
			return "not zeroed";
	uintptr_t a = (uintptr_t)o->p;
	struct mspan *s = span_of(a);
	if (s == NULL || span_of(a + o->size - 1) != s)
		return "span_of does not find it";
	if (spanclass_noscan(s->spanclass) != (noscan || false) && !(noscan && o->size < TINY_SIZE))
		return "wrong span class (scan/noscan)";
	if (noscan && o->size < TINY_SIZE)
		return NULL;            /* tiny: inside a shared 16-byte block */
	if ((a - s->startaddr) % s->elemsize != 0)
		return "not at an object boundary";
	if (s->elemsize < o->size)
		return "object smaller than asked";
	if (a % 8 != 0 || (s->elemsize % 16 == 0 && a % 16 != 0))
		return "misaligned";
	uintptr_t idx = span_object_index(s, a + o->size - 1);
	if (s->startaddr + idx * s->elemsize != a)
		return "interior pointer maps to another object";
	return NULL;
}

/*
 * How many random objects fit: about 2 KiB each on average, and nothing
 * is freed, so use at most a quarter of the free heap across all cpus.
 */
static int budget(int want, int cpus)
{
	struct gohart_mem_stats m;
	gohart_mem_stats(&m);
	uint64_t fit = m.heap_idle / 4 / 2300 / (uint64_t)cpus;
	return fit < (uint64_t)want ? (int)fit : want;
}

struct run {
	T *t;
	uint64_t seed;
	int n;
	atomic_int bad;
	uint64_t locks[CONFIG_MAXCPU], refills[CONFIG_MAXCPU], larges[CONFIG_MAXCPU];
};

static void alloc_and_check(void *arg)
{
	struct run *r = arg;
	int me = hal_cpu_id();
	uint64_t s = r->seed + (uint64_t)me * 7919;
	/* On the GC heap, scanned: the only pointers to the objects live here. */
	struct obj *objs = gc_alloc(sizeof *objs * (size_t)r->n);
	/* No preemption in the loop: a switch would take scheduler locks. */
	struct m *mp = acquirem();
	uint64_t locks0 = spin_cpu[me].count, refill0 = hart_self()->mcache->nrefill;
	uint64_t large0 = hart_self()->mcache->nlarge;
	for (int i = 0; i < r->n; i++) {
		struct obj *o = &objs[i];
		bool noscan = rng_next(&s) & 1;
		o->size = random_size(&s);
		o->id = (uint32_t)(i + me * 1000003);
		o->p = noscan ? gc_alloc_noscan(o->size) : gc_alloc(o->size);
		const char *err = check_fresh(o, noscan);
		if (err) {
			t_errorf(r->t, "cpu %d object %d (%u bytes at %p): %s", me, i,
				 o->size, o->p, err);
			atomic_fetch_add(&r->bad, 1);
			break;
		}
		fill(o);
	}
	r->locks[me] = spin_cpu[me].count - locks0;
	r->refills[me] = hart_self()->mcache->nrefill - refill0;
	r->larges[me] = hart_self()->mcache->nlarge - large0;
	releasem(mp);
	for (int i = 0; i < r->n; i++)
		if (!intact(&objs[i])) {
			t_errorf(r->t, "cpu %d object %d (%u bytes at %p) was overwritten",
				 me, i, objs[i].size, objs[i].p);
			atomic_fetch_add(&r->bad, 1);
			break;
		}
}

TEST(malloc_objects_fresh_aligned_disjoint)
{
	static struct run r;
	r.t = t;
	r.seed = 0x9e3779b97f4a7c15ull;
	r.n = budget(20000, 1);
	atomic_store(&r.bad, 0);
	alloc_and_check(&r);
	EXPECT_EQ(t, atomic_load(&r.bad), 0);
}

TEST(malloc_every_hart_at_once_fast_path_takes_no_lock)
{
	static struct run r;
	r.t = t;
	r.seed = 12345;
	r.n = budget(2500, hal_ncpu());
	atomic_store(&r.bad, 0);
	struct gohart_mem_stats before, after;
	gohart_mem_stats(&before);
	hart_call_all(alloc_and_check, &r);
	gohart_mem_stats(&after);
	EXPECT_EQ(t, atomic_load(&r.bad), 0);
	/* Each refill takes at most 4 locks (mcentral twice, maybe mheap and
	 * mcentral again); a large object takes one.  Nothing else may. */
	for (int i = 0; i < hal_ncpu(); i++)
		if (r.locks[i] > 4 * r.refills[i] + r.larges[i])
			t_errorf(t, "cpu %d took %lu locks for %lu refills and %lu large objects",
				 i, (unsigned long)r.locks[i], (unsigned long)r.refills[i],
				 (unsigned long)r.larges[i]);
	/* r.n objects per cpu, and each cpu's array of them. */
	uint64_t n = after.mallocs - before.mallocs;
	if (n != (uint64_t)(r.n + 1) * (uint64_t)hal_ncpu())
		t_errorf(t, "mallocs grew by %lu, want %d", (unsigned long)n,
			 (r.n + 1) * hal_ncpu());
	EXPECT_EQ(t, after.heap_sys, after.heap_inuse + after.heap_idle + after.manual);
}

TEST(malloc_tiny_objects_share_a_block)
{
	hart_self()->mcache->tinyoffset = TINY_SIZE;  /* no room: a fresh block */
	char *a = gc_alloc_noscan(5);
	char *b = gc_alloc_noscan(3);
	uint32_t *c = gc_alloc_noscan(4);
	EXPECT(t, b == a + 5);
	EXPECT(t, (uintptr_t)c % 4 == 0 && (char *)c - a < 16 && (char *)c - a >= 8);
	char *d = gc_alloc(5);          /* may hold pointers: never tiny */
	EXPECT(t, span_of((uintptr_t)d) != span_of((uintptr_t)a));
}

/*
 * A span the way the sweeper will leave it: some objects live (alloc bit
 * set), freeindex somewhere inside.  The window must hand out exactly the
 * free objects from freeindex on, in address order, across 64-object
 * groups, none past nelems; and closing the window part-way (the span
 * going back to mcentral) must leave alloc_count exact and freeindex
 * between the last object taken and the next free one.
 * Classes with 1024, 170 (not a multiple of 64) and 8 objects per span.
 */
static void check_window(T *t, unsigned sc, unsigned pattern, uint64_t *rng)
{
	struct mspan *s = mheap_alloc(class_to_allocnpages[sc], spanclass_make(sc, true));
	REQUIRE(t, s != NULL);
	unsigned n = s->nelems, first = (unsigned)(rng_next(rng) % (n + 1));
	static bool live[MAX_SPAN_OBJECTS];
	unsigned nlive = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t r = rng_next(rng);
		switch (pattern) {
		case 0: live[i] = r % 2; break;                 /* half */
		case 1: live[i] = r % 16 != 0; break;           /* nearly full */
		case 2: live[i] = i % 64 != 63; break;          /* last of each group */
		default: live[i] = i < n - 1; break;            /* only the last */
		}
		if (live[i])
			s->alloc_bits[i / 8] |= (uint8_t)(1u << (i % 8));
		if (live[i] || i < first)
			nlive++;
	}
	s->freeindex = (uint16_t)first;
	s->alloc_count = (uint16_t)nlive;
	unsigned stop = (unsigned)(rng_next(rng) % (n - nlive + 1));
	bool open = mspan_load_window(s);
	EXPECT_EQ(t, open, nlive < n);
	unsigned taken = 0, next = first;      /* just past the last taken */
	for (unsigned i = first; i < n; i++) {
		if (live[i])
			continue;
		if (taken == stop) {    /* back to mcentral and out again */
			mspan_close_window(s);
			/* Below freeindex all allocated; the next free still above. */
			EXPECT(t, s->freeindex >= next && s->freeindex <= i);
			EXPECT_EQ(t, s->alloc_count, nlive + taken);
			REQUIRE(t, mspan_load_window(s));
		}
		uintptr_t want = s->startaddr + i * s->elemsize;
		uintptr_t got = (uintptr_t)mspan_next_free(s);
		if (got != want) {
			t_errorf(t, "class %u pattern %u freeindex %u: object %u at %#lx, "
				 "got %#lx", sc, pattern, first, i, want, got);
			return;
		}
		taken++;
		next = i + 1;
	}
	EXPECT(t, mspan_next_free(s) == NULL);
	mspan_close_window(s);
	EXPECT_EQ(t, s->freeindex, n);
	EXPECT_EQ(t, s->alloc_count, n);
}

TEST(malloc_window_hands_out_exactly_the_free_objects)
{
	static const unsigned sizes[] = { 8, 48, 1024 };
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	for (unsigned k = 0; k < 3; k++)
		for (unsigned pattern = 0; pattern < 4; pattern++)
			for (int round = 0; round < 8; round++)
				check_window(t, size_to_class(sizes[k]), pattern, &rng);
}

TEST(malloc_large_objects_have_their_own_span)
{
	static const size_t sizes[] = { 32769, 65536, 100000, 1 << 20, 5 << 20 };
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		unsigned char *p = gc_alloc(sizes[i]);
		struct mspan *s = span_of((uintptr_t)p);
		REQUIRE(t, s != NULL);
		EXPECT(t, s->startaddr == (uintptr_t)p);
		EXPECT(t, spanclass_sizeclass(s->spanclass) == 0);
		EXPECT(t, span_of((uintptr_t)p + sizes[i] - 1) == s);
		EXPECT(t, s->npages * PAGE_SIZE >= sizes[i]);
		EXPECT(t, p[0] == 0 && p[sizes[i] - 1] == 0);
		memset(p, 0xab, sizes[i]);
	}
	int x;
	EXPECT(t, !gc_is_heap_pointer(&x));     /* a stack address */
	EXPECT(t, !gc_is_heap_pointer(NULL));
}

TEST(malloc_typed_records_pointer_words)
{
	/* A 5-word object whose words 1 and 3 hold pointers. */
	uint64_t mask[1] = { (1u << 1) | (1u << 3) };
	void **p = gc_alloc_typed(5 * sizeof(void *), mask);
	struct mspan *s = span_of((uintptr_t)p);
	REQUIRE(t, s != NULL);
	uintptr_t idx = span_object_index(s, (uintptr_t)p);
	EXPECT(t, s->typed_bits[idx / 8] >> (idx % 8) & 1);
	uintptr_t word = ((uintptr_t)p - mheap.arena_base) / 8;
	for (int w = 0; w < 5; w++) {
		bool bit = mheap.ptrbits[(word + w) / 8] >> ((word + w) % 8) & 1;
		EXPECT_EQ(t, bit, w == 1 || w == 3);
	}
	void **q = gc_alloc(5 * sizeof(void *));
	struct mspan *s2 = span_of((uintptr_t)q);
	uintptr_t idx2 = span_object_index(s2, (uintptr_t)q);
	EXPECT(t, !(s2->typed_bits[idx2 / 8] >> (idx2 % 8) & 1));
}

TEST(malloc_stats_count_by_size_class)
{
	struct gohart_mem_stats a, b;
	gohart_mem_stats(&a);
	for (int i = 0; i < 100; i++)
		gc_alloc(48);
	gohart_mem_stats(&b);
	unsigned c = size_to_class(48);
	EXPECT_EQ(t, b.by_size[c].size, 48);
	EXPECT_EQ(t, b.by_size[c].mallocs - a.by_size[c].mallocs, 100);
	EXPECT_EQ(t, b.heap_alloc - a.heap_alloc, 100 * 48);
}

TEST_FATAL(malloc_out_of_memory_is_fatal, 2,
	   "runtime: out of memory: cannot allocate 67108864-byte block\n"
	   "fatal error: runtime: out of memory")
{
	for (;;)
		gc_alloc_noscan(64 << 20);
}

TEST_FATAL(malloc_absurd_size_is_fatal, 2,
	   "runtime: out of memory: cannot allocate 18446744073709551615-byte block\n"
	   "fatal error: runtime: out of memory")
{
	gc_alloc((size_t)-1);
}

/* ---- Benchmarks: instructions per allocation, steady state ---- */

#define BENCH_ALLOC(name, bytes)                           \
	BENCH(name)                                        \
	{                                                  \
		for (long i = 0; i < b->n; i++)            \
			gc_alloc(bytes);                   \
	}
BENCH_ALLOC(bench_alloc_8, 8)
BENCH_ALLOC(bench_alloc_16, 16)
BENCH_ALLOC(bench_alloc_64, 64)
BENCH_ALLOC(bench_alloc_256, 256)
BENCH_ALLOC(bench_alloc_1024, 1024)
BENCH_ALLOC(bench_alloc_32768, 32768)

BENCH(bench_alloc_tiny_8)
{
	for (long i = 0; i < b->n; i++)
		gc_alloc_noscan(8);
}

BENCH(bench_alloc_large_64k)
{
	for (long i = 0; i < b->n; i++)
		gc_alloc_noscan(65536);
}

/* One page from the page allocator (mheap lock, pagealloc, zeroing). */
BENCH(bench_mheap_alloc_page)
{
	for (long i = 0; i < b->n; i++)
		mheap_alloc_manual(1);
}

/*
 * A million small objects (1..64 bytes, scan and noscan, tiny included),
 * each filling its whole slot with a pattern made from its own address;
 * afterwards every slot must still hold its pattern, so no two objects
 * overlap anywhere.  The pointer array lives on the GC heap, scanned (it
 * holds the only pointers to the objects); the size array cannot hold
 * pointers.
 */
static unsigned char pattern_of(uintptr_t p, uintptr_t i)
{
	return (unsigned char)((p >> 3) * 0x9e3779b1u + i);
}

TEST(malloc_million_small_objects_never_overlap)
{
	struct gohart_mem_stats m;
	gohart_mem_stats(&m);
	long n = (long)(m.heap_idle / 4 / 72);  /* ~64 B slot + 8 B pointer */
	if (n > 1000000)
		n = 1000000;
	unsigned char **ptrs = gc_alloc((size_t)n * sizeof *ptrs);
	uint32_t *sizes = gc_alloc_noscan((size_t)n * sizeof *sizes);
	uint64_t seed = 42;
	for (long i = 0; i < n; i++) {
		uint32_t size = (uint32_t)(1 + rng_next(&seed) % 64);
		bool noscan = rng_next(&seed) & 1;
		unsigned char *p = noscan ? gc_alloc_noscan(size) : gc_alloc(size);
		ptrs[i] = p;
		sizes[i] = size;
		for (uint32_t k = 0; k < size; k++)
			p[k] = pattern_of((uintptr_t)p, k);
	}
	for (long i = 0; i < n; i++) {
		unsigned char *p = ptrs[i];
		for (uint32_t k = 0; k < sizes[i]; k++)
			if (p[k] != pattern_of((uintptr_t)p, k))
				t_fatalf(t, "object %ld (%u bytes at %p) overwritten at byte %u",
					 i, sizes[i], p, k);
	}
	t_logf(t, "%ld objects checked", n);
}
