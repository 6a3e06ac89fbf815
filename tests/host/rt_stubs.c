/*
 * rt_stubs.c - the kernel functions slices and maps need, for the host
 * tests (rt_stubs.h says what a test controls).
 *
 * runtime/slice.c, map.c, mapiter.c and hash.c are pure but for a few
 * calls into the rest of the kernel: the GC heap (gc_alloc,
 * gc_alloc_noscan, gc_is_noscan), dying (gohart_panic, throw), the
 * console (print_fmt, fmt_buf), map_fastrand, and a spinlock (map.c's
 * big zero value).  Here they are, on the host C library:
 *
 *   1. Each GC block is its own calloc of exactly the size asked, so
 *      AddressSanitizer catches a runtime writing one byte past an array
 *      or bucket.  Blocks are never freed behind the runtime's back: a
 *      list holds them (LeakSanitizer then sees them reachable) until a
 *      test calls stub_gc_free_all.
 *   2. gc_is_noscan must answer for interior pointers too (a slice
 *      s[2:] of a noscan array is noscan), as the kernel's span lookup
 *      does.  ASan knows the block around any heap address
 *      (__asan_locate_address); a hash set of noscan block starts says
 *      which kind it is.  So these tests need -fsanitize=address.
 *   3. gohart_panic and throw print Go's first line and exit 2, or, when
 *      a stub_catch is running, longjmp back to it with the message.
 *
 * Spinlocks: hal_cpu_id() is always 0 (tests/host/hal_arch.h), so one
 * spin_cpu entry is enough; a contended lock on one thread could only
 * be a deadlock, and throws.
 */
#include <sanitizer/asan_interface.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gohart.h"
#include "rt_stubs.h"
#include "runtime/map.h"
#include "runtime/panic.h"
#include "runtime/print.h"
#include "sync/spinlock.h"

/* ---- The GC heap ---- */

static void **blocks;           /* every live block */
static size_t nblocks, cap_blocks, nbytes;
static uintptr_t *noscan_set;   /* open addressing; 0 = empty slot */
static size_t noscan_n, noscan_cap;

static _Noreturn void oom(void)
{
	fprintf(stderr, "rt_stubs: out of memory\n");
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (p == NULL)
		oom();
	return p;
}

static size_t ptr_slot(uintptr_t p, size_t cap)
{
	return (size_t)((p >> 4) * 0x9e3779b97f4a7c15ull >> 32) & (cap - 1);
}

static void noscan_insert(uintptr_t p)
{
	if (2 * (noscan_n + 1) > noscan_cap) {
		uintptr_t *old = noscan_set;
		size_t oldcap = noscan_cap;
		noscan_cap = oldcap ? 2 * oldcap : 1024;
		noscan_set = calloc(noscan_cap, sizeof *noscan_set);
		if (noscan_set == NULL)
			oom();
		noscan_n = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i] != 0)
				noscan_insert(old[i]);
		free(old);
	}
	size_t i = ptr_slot(p, noscan_cap);
	while (noscan_set[i] != 0)
		i = (i + 1) & (noscan_cap - 1);
	noscan_set[i] = p;
	noscan_n++;
}

static bool noscan_has(uintptr_t p)
{
	if (noscan_cap == 0)
		return false;
	for (size_t i = ptr_slot(p, noscan_cap); noscan_set[i] != 0;
	     i = (i + 1) & (noscan_cap - 1))
		if (noscan_set[i] == p)
			return true;
	return false;
}

static void *alloc_block(size_t size, bool noscan)
{
	/* calloc(0) may return NULL or a shared pointer: ask for 1 byte. */
	void *p = calloc(1, size ? size : 1);
	if (p == NULL)
		oom();
	if (nblocks == cap_blocks) {
		cap_blocks = cap_blocks ? 2 * cap_blocks : 4096;
		blocks = xrealloc(blocks, cap_blocks * sizeof *blocks);
	}
	blocks[nblocks++] = p;
	nbytes += size;
	if (noscan)
		noscan_insert((uintptr_t)p);
	return p;
}

void *gc_alloc(size_t size)
{
	return alloc_block(size, false);
}

void *gc_alloc_noscan(size_t size)
{
	return alloc_block(size, true);
}

bool gc_is_noscan(const void *p)
{
	void *base;
	size_t size;
	char name[8];
	const char *kind = __asan_locate_address((void *)p, name, sizeof name,
						 &base, &size);
	return kind != NULL && strcmp(kind, "heap") == 0 &&
	       noscan_has((uintptr_t)base);
}

void stub_gc_free_all(void)
{
	for (size_t i = 0; i < nblocks; i++)
		free(blocks[i]);
	nblocks = nbytes = 0;
	if (noscan_cap != 0)
		memset(noscan_set, 0, noscan_cap * sizeof *noscan_set);
	noscan_n = 0;
}

size_t stub_gc_blocks(void)
{
	return nblocks;
}

size_t stub_gc_bytes(void)
{
	return nbytes;
}

/* ---- Dying ---- */

struct catcher {
	jmp_buf jb;
	enum stub_end end;
	char *msg;
	size_t n;
	struct catcher *outer;
};
static struct catcher *catching;

enum stub_end stub_catch(void (*fn)(void *), void *arg, char *msg, size_t n)
{
	struct catcher c = { .end = STUB_RETURNED, .msg = msg, .n = n,
			     .outer = catching };
	if (n > 0)
		msg[0] = '\0';
	catching = &c;
	if (setjmp(c.jb) == 0)
		fn(arg);
	catching = c.outer;
	return c.end;
}

static _Noreturn void die(enum stub_end end, const char *prefix,
			  const char *fmt, va_list ap)
{
	struct catcher *c = catching;
	if (c != NULL) {
		if (c->n > 0)
			vsnprintf(c->msg, c->n, fmt, ap);
		c->end = end;
		longjmp(c->jb, 1);
	}
	fflush(stdout);
	fprintf(stderr, "%s", prefix);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	exit(2);
}

_Noreturn void gohart_panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	die(STUB_PANICKED, "panic: ", fmt, ap);
}

static _Noreturn void die_fmt(enum stub_end end, const char *prefix,
			      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	die(end, prefix, fmt, ap);
}

_Noreturn void throw(const char *msg)
{
	die_fmt(STUB_THREW, "fatal error: ", "%s", msg);
}

/* ---- map_fastrand: xorshift64*, seedable ---- */

static uint64_t rand_state = 0x853c49e6748fea9bull;

void stub_fastrand_seed(uint64_t seed)
{
	rand_state = seed ? seed : 1;
}

uint32_t map_fastrand(void)
{
	rand_state ^= rand_state >> 12;
	rand_state ^= rand_state << 25;
	rand_state ^= rand_state >> 27;
	return (uint32_t)((rand_state * 0x2545f4914f6cdd1dull) >> 32);
}

/* ---- The console ---- */

static FILE *print_out;

void stub_print_to(FILE *f)
{
	print_out = f;
}

void print_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(print_out ? print_out : stdout, fmt, ap);
	va_end(ap);
}

void print_lock(void) { }
void print_unlock(void) { }

int vfmt_buf(char *buf, size_t n, const char *fmt, va_list ap)
{
	return vsnprintf(buf, n, fmt, ap);
}

int fmt_buf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfmt_buf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

/* ---- Spinlocks: one cpu ---- */

struct spin_cpu spin_cpu[1];

void spin_lock_slow(struct spinlock *l, int me)
{
	(void)me;
	die_fmt(STUB_THREW, "fatal error: ",
		"spin_lock_slow: %s already held (one host cpu: deadlock)",
		l->name);
}

void spin_unlock_fail(struct spinlock *l)
{
	die_fmt(STUB_THREW, "fatal error: ", "spin_unlock: %s not held",
		l->name);
}

/* Nested locks: only count them (no ranks on the host). */
void lockrank_acquire(struct spinlock *l, struct spin_cpu *c)
{
	(void)l;
	c->held++;
	c->nover++;
}

void lockrank_release(struct spinlock *l, struct spin_cpu *c)
{
	(void)l;
	c->held--;
	c->nover--;
}
