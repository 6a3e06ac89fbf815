/*
 * gohart.h - the public API of the gohart runtime.
 *
 * A gohart program is a C program with `int main(void)`.  The runtime
 * boots the machine, starts every cpu, and calls main on cpu 0; main's
 * return value becomes the machine's exit status.  printf, malloc and the
 * rest of the C library (newlib) work on every cpu.
 *
 * This header grows with each subsystem (goroutines, channels, maps, ...).
 */
#ifndef GOHART_H
#define GOHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Monotonic nanoseconds since boot.  May block: no.  ISR-safe: yes. */
uint64_t gohart_nanotime(void);

/* Number of cpus running, and the calling cpu's index (0 = boot cpu). */
int gohart_ncpu(void);
int gohart_cpu(void);

/*
 * gohart_on_each_cpu: run fn(arg) on every cpu at once (this one too) and
 * return when all have finished.  The low-level way to put code on a cpu
 * before goroutines; fn runs with interrupts enabled and must not call
 * gohart_on_each_cpu itself.  May block: yes (waits).  ISR-safe: no.
 */
void gohart_on_each_cpu(void (*fn)(void *), void *arg);

/* gohart_exit: stop the machine now with `status` as the exit code. */
_Noreturn void gohart_exit(int status);

/* The kernel command line's value for key, or NULL (see docs/boot.md). */
const char *gohart_bootarg(const char *key);

/* ---- Garbage-collected memory (mm/malloc.c, docs/memory.md) ----
 *
 * Memory from these calls is zeroed and is never freed by hand: the
 * garbage collector frees what is no longer reachable (there is no
 * gc_free).  Memory from malloc() is the C heap instead: newlib's, freed
 * with free(), never collected, and never scanned for pointers into the
 * GC heap - do not keep the only pointer to a GC object there.
 *
 * All of them: may block: no (they never wait; running out of memory is
 * a fatal error, "fatal error: runtime: out of memory", exit status 2:
 * they never return NULL).  ISR-safe: no.
 */

/* size bytes that may hold pointers (scanned conservatively). */
void *gc_alloc(size_t size);
/* size bytes that never hold pointers: strings, numbers.  Never scanned. */
void *gc_alloc_noscan(size_t size);
/*
 * size bytes whose pointer words are known: bit i of ptrmask (ptrmask[i /
 * 64] >> i % 64) says whether word i (bytes 8i..8i+7) holds a pointer.
 * The collector will scan exactly those words.
 */
void *gc_alloc_typed(size_t size, const uint64_t *ptrmask);
/* Is p inside an object of the garbage-collected heap? */
bool gc_is_heap_pointer(const void *p);

/* new(T) as in Go: a zeroed T on the GC heap. */
#define gc_new(T) ((T *)gc_alloc(sizeof(T)))
#define gc_new_noscan(T) ((T *)gc_alloc_noscan(sizeof(T)))

/* Memory statistics, Go's runtime.MemStats subset. */
struct gohart_mem_stats {
	uint64_t heap_alloc;    /* bytes of allocated heap objects */
	uint64_t heap_sys;      /* bytes of RAM the heap manages */
	uint64_t heap_idle;     /* bytes in free pages */
	uint64_t heap_inuse;    /* bytes in spans of objects */
	uint64_t manual;        /* bytes taken by hand: C heap, metadata */
	uint64_t mallocs;       /* objects allocated */
	uint64_t frees;         /* objects freed */
	uint64_t large_allocs;  /* objects over 32 KiB */
	struct {
		uint32_t size;
		uint64_t mallocs;
	} by_size[68];          /* per size class (index 0 unused) */
};
void gohart_mem_stats(struct gohart_mem_stats *m);

#endif
