/*
 * rt_stubs.h - what the host tests of slices and maps (slice_test,
 * map_test, map_fuzz) control in rt_stubs.c, the kernel functions
 * runtime/slice.c, map.c, mapiter.c and hash.c call.
 *
 *   GC heap     gc_alloc / gc_alloc_noscan are calloc, kept on a list
 *               (reachable, so LeakSanitizer is quiet) until
 *               stub_gc_free_all; gc_is_noscan finds the block a pointer
 *               points into (interior pointers too, as the kernel's
 *               does) through AddressSanitizer's heap description.
 *   panics      gohart_panic prints "panic: <msg>" and exits 2, throw
 *               "fatal error: <msg>" and exits 2 - unless a stub_catch is
 *               running, which gets the message instead (longjmp).
 *   randomness  map_fastrand is a seedable xorshift: runs repeat.
 *   console     print_fmt and friends print to stdout, or to the FILE
 *               given to stub_print_to.
 *   spinlocks   one cpu, never contended (contention would be a
 *               deadlock: it throws).
 */
#ifndef GOHART_HOST_RT_STUBS_H
#define GOHART_HOST_RT_STUBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* How a stub_catch call ended. */
enum stub_end {
	STUB_RETURNED,          /* fn returned */
	STUB_PANICKED,          /* gohart_panic */
	STUB_THREW,             /* throw */
};

/*
 * Run fn(arg); if it panics or throws, return how, with the message
 * (without the "panic: " / "fatal error: " prefix) in msg.  Calls nest.
 * A panic leaves whatever fn was doing half done, as a real one would:
 * only call this on something that panics before touching shared state,
 * or throw the state away afterwards.
 */
enum stub_end stub_catch(void (*fn)(void *), void *arg, char *msg, size_t n);

/* Restart map_fastrand's sequence. */
void stub_fastrand_seed(uint64_t seed);

/*
 * Free every gc_alloc block.  Nothing allocated before may be used
 * after: no map, slice or iterator, and no map whose values are over
 * 1 KiB was ever read (map.c keeps a zero value for those).
 */
void stub_gc_free_all(void);
/* Blocks and bytes allocated since the start (or stub_gc_free_all). */
size_t stub_gc_blocks(void);
size_t stub_gc_bytes(void);

/* print_fmt's output goes to f (NULL: stdout again). */
void stub_print_to(FILE *f);

#endif
