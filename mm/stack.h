/*
 * stack.h - goroutine stacks (see stack.c).
 */
#ifndef GOHART_STACK_H
#define GOHART_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* Pooled stack sizes: 8, 16, 32 and 64 KiB (orders 0..3 of 8 KiB). */
#define STACK_MIN_SIZE (8 * 1024)
#define STACK_NORDERS 4
#define STACK_DEFAULT_SIZE CONFIG_STACK_SIZE

/* The word repeated at the low end of every stack. */
#define STACK_CANARY 0x57a7c0ca57a7c0caull
#define STACK_CANARY_WORDS 4

struct stack {
	uintptr_t lo, hi;               /* [lo, hi): hi is the initial sp */
};

/*
 * stack_alloc: a stack of at least `size` bytes (rounded up to a pooled
 * size, or to whole pages above 64 KiB), with the canary written at its
 * low end.  Out of memory is fatal.  Context: thread.
 */
struct stack stack_alloc(size_t size);
/* stack_free: give it back (its canary must still be intact). */
void stack_free(struct stack s);
/* Is the canary at the low end of s still intact? */
bool stack_canary_ok(struct stack s);

/* Per-cpu cache occupancy and global pool size, for tests. */
size_t stack_cache_bytes(int cpu);
size_t stack_pool_bytes(void);

#endif
