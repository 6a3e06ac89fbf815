/*
 * stack.c - goroutine stacks: whole pages from mheap, cached per cpu.
 *
 * What it is.  Every goroutine needs a stack; goroutines come and go by
 * the hundred thousand, so getting and returning a stack must be cheap
 * and, in the common case, take no lock.  Go's answer (runtime/stack.go)
 * is a global pool of free stacks per size (stackpool, behind a lock) in
 * front of the heap, and in front of that a small per-P cache
 * (stackcache) that is refilled and drained in batches.  Same here.
 *
 * Data structures.
 *   - Pooled sizes: order k is 8 KiB << k, k = 0..3 (8 to 64 KiB).  Larger
 *     stacks come from mheap and go straight back to it.
 *   - stack_pool[k]: free stacks of order k, a list threaded through the
 *     stacks themselves (the first word of a free stack is the next one).
 *     pool_lock protects all four lists.
 *   - stack_caches[cpu][k]: the same kind of list, owned by one cpu, with
 *     its byte count.  No lock: only that cpu touches it.
 *
 * Algorithm.
 *   stack_alloc(order k): pop this cpu's cache; if empty, refill it with
 *     STACK_CACHE_BYTES/2 worth from the pool (one lock), the pool getting
 *     more pages from mheap if it has none.
 *   stack_free: push onto this cpu's cache; if it holds STACK_CACHE_BYTES
 *     or more, move half to the pool (one lock), and what the pool holds
 *     beyond STACK_POOL_BYTES back to mheap.
 *   So a cpu that creates and destroys goroutines at a steady rate takes
 *   the lock once per STACK_CACHE_BYTES/2 of churn, and never otherwise.
 *
 * The canary.  gohart stacks cannot grow: C frames hold raw pointers into
 * their stack, so a stack cannot be moved the way Go copies its own.  A
 * goroutine that runs off the low end would silently overwrite whatever
 * lies below.  So the lowest STACK_CANARY_WORDS words of every stack
 * hold a known pattern; the scheduler checks it at every switch and on a
 * timer tick, and a broken canary is a fatal "stack overflow".  (Guard
 * pages, with the MMU, will catch it at the faulting instruction.)
 *
 * Invariants.
 *   1. A stack is on at most one list, and on none while in use.
 *   2. Every stack handed out has an intact canary (written on the way
 *      out); every stack taken back must still have it (checked).
 * Locking: pool_lock, a leaf; mheap.lock is never held while taking it.
 *
 * Differences from Go.  Go's stacks start at 2 KiB (8 KiB since 1.19's
 * average-size heuristic starts) and grow by copying; ours are fixed,
 * 16 KiB by default (CONFIG_STACK_SIZE).  Go carves pooled stacks out of
 * 32 KiB spans; we take whole pages per stack, since our smallest stack
 * is a page.
 *
 * Go: runtime/stack.go (stackpool, stackcache, stackalloc, stackfree,
 * stackcacherefill, stackcacherelease).
 */
#include "stack.h"

#include <string.h>

#include "hal/hal.h"
#include "mm/mheap.h"
#include "runtime/panic.h"
#include "sync/spinlock.h"

#define STACK_CACHE_BYTES (256 * 1024)  /* per cpu per order, before draining */
#define STACK_POOL_BYTES (1024 * 1024)  /* per order; the rest back to mheap */
#define POISON_FREED_STACK 0xdd

struct stack_list {
	void *head;
	size_t bytes;
};

static struct spinlock pool_lock = SPINLOCK_INIT_RANK("stackpool", LOCK_RANK_STACKPOOL);
static struct stack_list stack_pool[STACK_NORDERS];
static struct stack_list stack_caches[CONFIG_MAXCPU][STACK_NORDERS];

static void list_push(struct stack_list *l, void *p, size_t size)
{
	*(void **)p = l->head;
	l->head = p;
	l->bytes += size;
}

static void *list_pop(struct stack_list *l, size_t size)
{
	void *p = l->head;
	if (p != NULL) {
		l->head = *(void **)p;
		l->bytes -= size;
	}
	return p;
}

static int stack_order(size_t size)
{
	for (int k = 0; k < STACK_NORDERS; k++)
		if (size <= (size_t)STACK_MIN_SIZE << k)
			return k;
	return -1;
}

/* Move half a cache's worth from the pool (and mheap) to this cache. */
static void cache_refill(struct stack_list *c, int k)
{
	size_t size = (size_t)STACK_MIN_SIZE << k;
	spin_lock(&pool_lock);
	while (c->bytes < STACK_CACHE_BYTES / 2) {
		void *p = list_pop(&stack_pool[k], size);
		if (p == NULL) {
			spin_unlock(&pool_lock);        /* mheap's lock comes after */
			p = mheap_alloc_manual(size / PAGE_SIZE);
			spin_lock(&pool_lock);
		}
		list_push(c, p, size);
	}
	spin_unlock(&pool_lock);
}

/*
 * Move half of a full cache back to the pool; what the pool holds beyond
 * STACK_POOL_BYTES goes back to mheap, so that stacks freed after a burst
 * of goroutines can become other memory (Go returns a pool span to the
 * heap once all its stacks are free).
 */
static void cache_release(struct stack_list *c, int k)
{
	size_t size = (size_t)STACK_MIN_SIZE << k;
	struct stack_list excess = { NULL, 0 };
	spin_lock(&pool_lock);
	while (c->bytes > STACK_CACHE_BYTES / 2) {
		void *p = list_pop(c, size);
		if (stack_pool[k].bytes < STACK_POOL_BYTES)
			list_push(&stack_pool[k], p, size);
		else
			list_push(&excess, p, size);
	}
	spin_unlock(&pool_lock);
	for (void *p; (p = list_pop(&excess, size)) != NULL;)   /* mheap's lock after */
		mheap_free_manual(p, size / PAGE_SIZE);
}

static void write_canary(struct stack s)
{
	uint64_t *w = (uint64_t *)s.lo;
	for (int i = 0; i < STACK_CANARY_WORDS; i++)
		w[i] = STACK_CANARY;
}

bool stack_canary_ok(struct stack s)
{
	const uint64_t *w = (const uint64_t *)s.lo;
	for (int i = 0; i < STACK_CANARY_WORDS; i++)
		if (w[i] != STACK_CANARY)
			return false;
	return true;
}

struct stack stack_alloc(size_t size)
{
	struct stack s;
	int k = stack_order(size);
	if (k >= 0) {
		size = (size_t)STACK_MIN_SIZE << k;
		struct stack_list *c = &stack_caches[hal_cpu_id()][k];
		if (c->head == NULL)
			cache_refill(c, k);
		s.lo = (uintptr_t)list_pop(c, size);
	} else {
		size = (size + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1);
		s.lo = (uintptr_t)mheap_alloc_manual(size / PAGE_SIZE);
	}
	s.hi = s.lo + size;
	write_canary(s);
	return s;
}

void stack_free(struct stack s)
{
	size_t size = s.hi - s.lo;
	if (!stack_canary_ok(s))
		throw("stack_free: stack canary overwritten (stack overflow)");
	if (CONFIG_POISON_STACKS)
		memset((void *)s.lo, POISON_FREED_STACK, size);
	int k = stack_order(size);
	if (k < 0 || size != (size_t)STACK_MIN_SIZE << k) {
		mheap_free_manual((void *)s.lo, size / PAGE_SIZE);
		return;
	}
	struct stack_list *c = &stack_caches[hal_cpu_id()][k];
	list_push(c, (void *)s.lo, size);
	if (c->bytes >= STACK_CACHE_BYTES)
		cache_release(c, k);
}

size_t stack_cache_bytes(int cpu)
{
	size_t n = 0;
	for (int k = 0; k < STACK_NORDERS; k++)
		n += stack_caches[cpu][k].bytes;
	return n;
}

size_t stack_pool_bytes(void)
{
	spin_lock(&pool_lock);
	size_t n = 0;
	for (int k = 0; k < STACK_NORDERS; k++)
		n += stack_pool[k].bytes;
	spin_unlock(&pool_lock);
	return n;
}
