/*
 * gohart_slice.h - Go's slices in C (runtime/slice.c, docs/slices.md).
 *
 * A slice is Go's three-word header, passed and returned by value:
 *
 *     slice_t s = slice_make(int64_t, 0, 4);     // make([]int64, 0, 4)
 *     s = slice_append(int64_t, s, 42);          // s = append(s, 42)
 *     slice_at(int64_t, s, 0) += 1;              // s[0] += 1
 *     slice_t t = slice_slice(int64_t, s, 0, 1); // t := s[0:1]
 *     intptr_t n = slice_copy(int64_t, t, s);    // n := copy(t, s)
 *
 * C has no element types at run time, so every macro names the element
 * type T (Go's compiler passes the same thing, the type descriptor, to
 * growslice).  Use the same T for a slice throughout.  The zero slice_t
 * ({0}) is the nil slice: length and capacity 0, and append works on it.
 *
 * Backing arrays live on the garbage-collected heap and are never freed
 * by hand.  slice_make and appends to a nil slice give memory the
 * collector scans for pointers; slice_make_noscan gives an array that
 * holds no pointers (numbers, bytes), which growth keeps noscan.
 *
 * Growth is exactly Go 1.19's growslice (checked against the Go
 * toolchain): below 256 elements of capacity it doubles; from 256 it
 * grows by (cap + 3*256)/4 per step, a smooth change from 2x to 1.25x;
 * then the byte size is rounded up to the allocator's size class, and
 * the extra room becomes capacity.
 *
 * Misuse panics with Go's messages and exit status 2, e.g.
 *     panic: runtime error: index out of range [5] with length 3
 *     panic: runtime error: slice bounds out of range [:6] with capacity 5
 *     panic: runtime error: makeslice: len out of range
 *
 * All calls: may block: no.  ISR-safe: no (they allocate); indexing and
 * slicing an existing slice allocate nothing and are ISR-safe.  A slice
 * is not safe for concurrent appends (neither is Go's): share it over a
 * channel, or guard it with a mutex.
 */
#ifndef GOHART_SLICE_H
#define GOHART_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct slice {
	void *array;    /* first element; NULL for the nil slice */
	intptr_t len;   /* elements in use: s[0] .. s[len-1] */
	intptr_t cap;   /* elements the array has room for, from array */
} slice_t;

/* ---- The typed interface: T is the element type ---- */

/* make([]T, len, cap).  Panics if len < 0, cap < len, or too big. */
#define slice_make(T, len, cap) slice_make_(sizeof(T), (len), (cap), false)
#define slice_make_noscan(T, len, cap) \
	slice_make_(sizeof(T), (len), (cap), true)

/* s[i] as an lvalue, bounds-checked: index out of range panics. */
#define slice_at(T, s, i) (*(T *)slice_index_((s), (i), sizeof(T)))

/* append(s, v): the new slice, which may share s's array. */
#define slice_append(T, s, v)                                          \
	__extension__({                                                 \
		T slice_v_ = (v);                                       \
		slice_append_((s), sizeof(T), &slice_v_, 1);            \
	})
/* append(s, p[0], ..., p[n-1]) for n elements at p (may point into s). */
#define slice_append_n(T, s, p, n) slice_append_((s), sizeof(T), (p), (n))
/* append(s, t...) */
#define slice_append_slice(T, s, t) \
	slice_append_((s), sizeof(T), (t).array, (t).len)

/* s[lo:hi] and s[lo:hi:max], bounds-checked as Go does. */
#define slice_slice(T, s, lo, hi) slice_slice_((s), sizeof(T), (lo), (hi))
#define slice_slice3(T, s, lo, hi, max) \
	slice_slice3_((s), sizeof(T), (lo), (hi), (max))

/* copy(dst, src): copies min(len) elements (overlap is fine); returns it. */
#define slice_copy(T, dst, src) slice_copy_((dst), (src), sizeof(T))

/* len(s), cap(s) */
static inline intptr_t slice_len(slice_t s) { return s.len; }
static inline intptr_t slice_cap(slice_t s) { return s.cap; }

/* ---- Below the macros (Go: runtime/slice.go, runtime/panic.go) ---- */

slice_t slice_make_(size_t elemsize, intptr_t len, intptr_t cap, bool noscan);
/*
 * growslice: a copy of old with room for at least cap elements: the
 * same length, a new array holding old's elements, the capacity Go picks.
 * Panics "growslice: cap out of range" if cap < old.cap or too big.
 */
slice_t growslice(size_t elemsize, slice_t old, intptr_t cap);
slice_t slice_slice_(slice_t s, size_t elemsize, intptr_t lo, intptr_t hi);
slice_t slice_slice3_(slice_t s, size_t elemsize, intptr_t lo, intptr_t hi,
		      intptr_t max);
intptr_t slice_copy_(slice_t dst, slice_t src, size_t elemsize);

/* The panics of a failed bounds check (Go: runtime/panic.go panicIndex). */
_Noreturn void panic_index(intptr_t i, intptr_t len);

static inline void *slice_index_(slice_t s, intptr_t i, size_t elemsize)
{
	/* One unsigned compare catches i < 0 too, as Go's code does. */
	if ((uintptr_t)i >= (uintptr_t)s.len)
		panic_index(i, s.len);
	return (char *)s.array + (uintptr_t)i * elemsize;
}

static inline slice_t slice_append_(slice_t s, size_t elemsize,
				    const void *elems, intptr_t n)
{
	intptr_t newlen = (intptr_t)((uintptr_t)s.len + (uintptr_t)n);
	/*
	 * Too small for newlen, or n < 0 (a caller bug: growslice panics
	 * "cap out of range").  elems may point into s's old array: it
	 * stays valid, since nothing is freed by hand.
	 */
	if ((uintptr_t)newlen > (uintptr_t)s.cap || n < 0)
		s = growslice(elemsize, s, newlen);
	if (n > 0)
		memmove((char *)s.array + (uintptr_t)s.len * elemsize, elems,
			(uintptr_t)n * elemsize);
	s.len = newlen;
	return s;
}

#endif
