/*
 * layout.c - struct alignment, checked at compile time.  Only
 * _Static_asserts: a rule that stops holding breaks the build, not a
 * run.  docs/memory.md ("Struct alignment") has the pictures; gdb's
 * `ptype /o struct mspan` shows any struct's holes.
 *
 * Every C type has an alignment A: its address must be a multiple of A.
 * On rv64 (LP64): char 1, uint16_t 2, uint32_t 4, uint64_t and pointers
 * 8.  The compiler lays a struct out front to back by four rules:
 *
 *   1. Each field starts at the first offset after the previous field
 *      that is a multiple of its own alignment; the bytes skipped are
 *      padding (a "hole").
 *   2. The struct's alignment is the largest of its fields', and its
 *      size is rounded up to a multiple of that (tail padding), so that
 *      in an array every element's fields stay aligned.
 *   3. Layout accumulates: adding a field never moves the fields before
 *      it, never lowers the alignment, never shrinks the size.  A struct
 *      inside another keeps its tail padding; nothing is packed into it.
 *   4. So field order changes sizeof.  Largest alignment first, or small
 *      fields grouped to fill one 8-byte slot, leaves the fewest holes.
 *
 * Why the runtime cares: mspans are carved back to back from whole pages
 * (fixalloc, mheap.c), mcaches sit side by side in an array, trap frames
 * are pushed on stacks that must stay 16-byte aligned, and the allocation
 * fast path reads each mspan field with one naturally aligned load (a
 * misaligned one may trap, or be emulated by firmware at many times the
 * cost).
 *
 * Only arch-independent facts are asserted here; the exact offsets the
 * assembly uses are asserted beside their #defines in
 * hal/<arch>/hal_arch.h (STYLE.md rule 7).
 *
 * Go: the same rules (unsafe.Offsetof/Alignof; the compiler's
 * cmd/compile/internal/types/size.go calcStructOffset), and the runtime
 * leans on them too: runtime/mheap.go pads each mcentral to a cache line.
 */
#include <stddef.h>
#include <stdint.h>

#include "gohart.h"
#include "hal/hal.h"
#include "mm/mheap.h"

/* ---- Two orderings of the same three fields ---- */

struct bad_order {
	char a;
	int64_t b;
	char c;
};

struct good_order {
	int64_t b;
	char a;
	char c;
};

/* Rule 1: b waits for offset 8, leaving a 7-byte hole after a. */
_Static_assert(offsetof(struct bad_order, b) == 8, "rule 1: b at 8");
/* Rule 2: 17 bytes of fields and holes round up to a multiple of 8. */
_Static_assert(sizeof(struct bad_order) == 24, "rule 2: 24 bytes");
/* Rule 4: the same fields, largest first: 10 bytes round up to 16. */
_Static_assert(sizeof(struct good_order) == 16, "rule 4: 16 bytes");
/* Rule 2: a struct is as aligned as its most aligned field. */
_Static_assert(_Alignof(struct good_order) == _Alignof(int64_t),
	       "rule 2: alignment is the largest field's");
/* Rule 3: good_order's 6 tail bytes are its own; d cannot use them. */
_Static_assert(sizeof(struct { struct good_order g; char d; }) == 24,
	       "rule 3: tail padding is not reused");

/* ---- The allocator's structs ---- */

/* Rule 2: mspan holds pointers, so it is pointer-aligned. */
_Static_assert(_Alignof(struct mspan) == _Alignof(void *),
	       "mspan: pointer-aligned");
/* Rule 2 at work: fixalloc hands out mspans every sizeof bytes. */
_Static_assert(sizeof(struct mspan) % _Alignof(struct mspan) == 0,
	       "mspan: fixalloc keeps every mspan aligned");
/* Rule 1: the fast path reads alloc_cache with one 64-bit load. */
_Static_assert(offsetof(struct mspan, alloc_cache) % _Alignof(uint64_t) == 0,
	       "mspan: alloc_cache 8-aligned");
/* group_free_bits reads the bits 8 bytes at a time: whole words. */
_Static_assert(sizeof(((struct mspan *)0)->bits[0]) % sizeof(uint64_t) == 0 &&
	       sizeof(((struct mspan *)0)->bits[0]) * 8 >= MAX_SPAN_OBJECTS,
	       "mspan: each bitmap is whole 64-bit words, one bit per object");
/* ... and starts 8-aligned, so each of those words is an aligned load. */
_Static_assert(offsetof(struct mspan, bits) % _Alignof(uint64_t) == 0,
	       "mspan: bitmaps 8-aligned");
/* Small field types save space only if the values fit: 136 < 256. */
_Static_assert(NUM_SPAN_CLASSES <= UINT8_MAX + 1, "mspan: spanclass fits a uint8");
/* Rule 2 is what makes arrays work: mcaches[i + 1] stays aligned. */
_Static_assert(sizeof(struct mcache) % _Alignof(struct mcache) == 0,
	       "mcache: array elements stay aligned");
/* The summaries follow the uint64_t bitmap in one block (pagealloc_init). */
_Static_assert(_Alignof(struct pagealloc_sum) <= _Alignof(uint64_t) &&
	       sizeof(struct pagealloc_sum) == 3 * sizeof(uint32_t),
	       "pagealloc_sum: 4-aligned, 12 bytes, no padding");

/* ---- The public statistics struct (gohart.h) ---- */

/* Rule 1: a uint32_t then a uint64_t: 4 bytes of each 16 are a hole. */
_Static_assert(sizeof(((struct gohart_mem_stats *)0)->by_size[0]) ==
	       2 * sizeof(uint64_t), "by_size entry: 16 bytes");
/* gohart.h writes 68; it must be the allocator's class count. */
_Static_assert(sizeof(((struct gohart_mem_stats *)0)->by_size) /
	       sizeof(((struct gohart_mem_stats *)0)->by_size[0]) ==
	       NUM_SIZE_CLASSES, "by_size: one entry per size class");

/* ---- The HAL's register-save structs ---- */

/* The trap vector pushes a trap frame: sp must stay 16-byte aligned. */
_Static_assert(sizeof(struct hal_trapframe) % 16 == 0,
	       "hal_trapframe: keeps the stack 16-byte aligned");
/* A saved context is 64-bit register slots: 8-aligned, whole slots. */
_Static_assert(_Alignof(struct hal_context) == _Alignof(uint64_t) &&
	       sizeof(struct hal_context) % sizeof(uint64_t) == 0,
	       "hal_context: 8-byte register slots");
