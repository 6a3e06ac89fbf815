/*
 * slice.c - Go's slices: make, growth on append, copy, slicing, and the
 * panics of a failed bounds check.
 *
 * A slice is three words, {array, len, cap} (include/gohart_slice.h): a
 * window onto an array on the GC heap.  Copying a slice copies the
 * header, not the elements, so two slices may share one array; append
 * writes in place while len < cap and otherwise moves the elements to a
 * bigger array, leaving the old one to whoever else still points at it.
 * That is why a slice is not safe for concurrent appends: two appenders
 * may both write slot len of the same array.
 *
 * Growth (growslice), step by step, as Go 1.19 does it:
 *   1. The caller wants room for `cap` elements (old.len + appended).
 *   2. newcap = old.cap * 2, unless cap is more than that: then newcap =
 *      cap (a big append gets exactly what it asked for, before step 4).
 *   3. From old.cap >= 256 on, instead of doubling, add
 *      (newcap + 3*256) / 4 until newcap >= cap: a smooth change from 2x
 *      (for small slices) to 1.25x (for big ones).
 *   4. Round newcap * elemsize up to the size the allocator really hands
 *      out (roundupsize: the size class, or whole pages), and make the
 *      slack capacity too: newcap = roundupsize(newcap * elemsize) /
 *      elemsize.  This is why caps like 848 and 5461 appear.
 *   5. Allocate, copy the old elements, return {new array, old.len, newcap}.
 * Before Go 1.18 the rule was "double below 1024 elements, then grow by
 * a quarter", which the study notes describe; docs/slices.md has both
 * sequences side by side.
 *
 * Bounds checks are done in the compiler's order, so the message names
 * the same bound Go's would: for s[lo:hi], hi against cap first, then lo
 * against hi; for s[lo:hi:max], max against cap, hi against max, then lo
 * against hi.  A negative bound fails the same unsigned comparison as an
 * overlarge one.  Messages are checked against tests/oracle/panics.out.
 *
 * Slicing to an empty capacity keeps the old array pointer instead of
 * pointing one past the end: a pointer past an object's end could point
 * into the next object and keep it alive (Go's compiler does the same).
 *
 * Differences from Go: element types are sizes (C has no type
 * descriptors at run time), so an append to a nil slice cannot know
 * whether its elements hold pointers: it allocates scanned memory unless
 * the slice came from slice_make_noscan, which growth preserves by
 * asking the allocator what kind of array the old one was.
 *
 * Go: runtime/slice.go (makeslice, growslice, slicecopy), runtime/panic.go
 * (goPanicIndex, goPanicSlice*), runtime/error.go (boundsError).
 */
#include <string.h>

#include "gohart.h"
#include "mm/sizeclasses.h"
#include "runtime/panic.h"
#include "runtime/print.h"
#include "runtime/slice.h"

/*
 * Where every zero-size allocation points (Go: runtime.zerobase).  A
 * noscan one points at its twin, so that growth knows to stay noscan.
 */
uintptr_t zerobase, zerobase_noscan;

/* elemsize * n, or false if it overflows. */
static bool mul_size(size_t elemsize, uintptr_t n, uintptr_t *out)
{
	return !__builtin_mul_overflow(elemsize, n, out);
}

static void *alloc_array(uintptr_t bytes, bool noscan)
{
	if (bytes == 0)
		return noscan ? &zerobase_noscan : &zerobase;
	return noscan ? gc_alloc_noscan(bytes) : gc_alloc(bytes);
}

/* Go: runtime/slice.go makeslice (with panicmakeslicelen/cap). */
slice_t slice_make_(size_t elemsize, intptr_t len, intptr_t cap, bool noscan)
{
	uintptr_t mem;
	if (!mul_size(elemsize, (uintptr_t)cap, &mem) || mem > MAX_ALLOC ||
	    len < 0 || len > cap) {
		/* Say len if len alone is bad, else cap (Go's rule). */
		if (!mul_size(elemsize, (uintptr_t)len, &mem) ||
		    mem > MAX_ALLOC || len < 0)
			gohart_panic("runtime error: makeslice: len out of range");
		gohart_panic("runtime error: makeslice: cap out of range");
	}
	return (slice_t){ alloc_array(mem, noscan), len, cap };
}

/* Steps 2 and 3 of the essay: the capacity before size-class rounding. */
static intptr_t next_cap(intptr_t oldcap, intptr_t cap)
{
	const intptr_t threshold = 256;
	intptr_t doublecap = oldcap + oldcap;
	if (cap > doublecap)
		return cap;
	if (oldcap < threshold)
		return doublecap;
	intptr_t newcap = oldcap;
	/* 0 < newcap: stop if it overflowed rather than loop forever */
	while (0 < newcap && newcap < cap)
		newcap += (newcap + 3 * threshold) / 4;
	return newcap <= 0 ? cap : newcap;
}

/*
 * Steps 2 to 4: the capacity growslice gives a slice of capacity oldcap
 * that must hold cap elements of elemsize > 0 bytes; *capmem gets its
 * bytes.  -1 if that is more than the machine can address.
 */
intptr_t growslice_cap(size_t elemsize, intptr_t oldcap, intptr_t cap,
		       uintptr_t *capmem)
{
	intptr_t newcap = next_cap(oldcap, cap);
	uintptr_t mem;
	if (!mul_size(elemsize, (uintptr_t)newcap, &mem) || mem > MAX_ALLOC)
		return -1;
	*capmem = roundupsize(mem);
	return (intptr_t)(*capmem / elemsize);
}

/* Go: runtime/slice.go growslice (1.19). */
slice_t growslice(size_t elemsize, slice_t old, intptr_t cap)
{
	if (cap < old.cap)
		gohart_panic("runtime error: growslice: cap out of range");
	if (elemsize == 0)
		return (slice_t){ &zerobase, old.len, cap };

	uintptr_t capmem;
	intptr_t newcap = growslice_cap(elemsize, old.cap, cap, &capmem);
	if (newcap < 0)
		gohart_panic("runtime error: growslice: cap out of range");

	/* Keep a noscan array noscan; a nil slice's elements may be pointers. */
	bool noscan = old.array == &zerobase_noscan ||
		      (old.array != NULL && gc_is_noscan(old.array));
	void *p = alloc_array(capmem, noscan);
	if (old.len > 0)
		memmove(p, old.array, (uintptr_t)old.len * elemsize);
	return (slice_t){ p, old.len, newcap };
}

/* Go: runtime/slice.go slicecopy. */
intptr_t slice_copy_(slice_t dst, slice_t src, size_t elemsize)
{
	intptr_t n = dst.len < src.len ? dst.len : src.len;
	if (n > 0 && elemsize > 0)
		memmove(dst.array, src.array, (uintptr_t)n * elemsize);
	return n;
}

/* ---- Slicing and bounds ---- */

static struct bounds_error bounds(enum bounds_code code, intptr_t x,
				  intptr_t y)
{
	return (struct bounds_error){ code, x, y };
}

struct bounds_error slice_check2(intptr_t cap, intptr_t lo, intptr_t hi)
{
	if ((uintptr_t)hi > (uintptr_t)cap)
		return bounds(BOUNDS_SLICE_ACAP, hi, cap);
	if ((uintptr_t)lo > (uintptr_t)hi)
		return bounds(BOUNDS_SLICE_B, lo, hi);
	return bounds(BOUNDS_OK, 0, 0);
}

struct bounds_error slice_check3(intptr_t cap, intptr_t lo, intptr_t hi,
				 intptr_t max)
{
	if ((uintptr_t)max > (uintptr_t)cap)
		return bounds(BOUNDS_SLICE3_ACAP, max, cap);
	if ((uintptr_t)hi > (uintptr_t)max)
		return bounds(BOUNDS_SLICE3_B, hi, max);
	if ((uintptr_t)lo > (uintptr_t)hi)
		return bounds(BOUNDS_SLICE3_C, lo, hi);
	return bounds(BOUNDS_OK, 0, 0);
}

/* {array + lo, hi - lo, max - lo}; an empty cap keeps array (essay). */
static slice_t reslice(slice_t s, size_t elemsize, intptr_t lo, intptr_t hi,
		       intptr_t max)
{
	char *p = s.array;
	if (max - lo > 0)
		p += (uintptr_t)lo * elemsize;
	return (slice_t){ p, hi - lo, max - lo };
}

slice_t slice_slice_(slice_t s, size_t elemsize, intptr_t lo, intptr_t hi)
{
	struct bounds_error e = slice_check2(s.cap, lo, hi);
	if (e.code != BOUNDS_OK)
		panic_bounds(e);
	return reslice(s, elemsize, lo, hi, s.cap);
}

slice_t slice_slice3_(slice_t s, size_t elemsize, intptr_t lo, intptr_t hi,
		      intptr_t max)
{
	struct bounds_error e = slice_check3(s.cap, lo, hi, max);
	if (e.code != BOUNDS_OK)
		panic_bounds(e);
	return reslice(s, elemsize, lo, hi, max);
}

/*
 * Go's formats, %x and %y standing for the two numbers; a negative x
 * needs no y (the second table).  Go: runtime/error.go boundsErrorFmt.
 */
static const char *const bounds_fmt[][2] = {
	[BOUNDS_INDEX] = { "index out of range [%x] with length %y",
			   "index out of range [%x]" },
	[BOUNDS_SLICE_ALEN] = { "slice bounds out of range [:%x] with length %y",
				"slice bounds out of range [:%x]" },
	[BOUNDS_SLICE_ACAP] = { "slice bounds out of range [:%x] with capacity %y",
				"slice bounds out of range [:%x]" },
	[BOUNDS_SLICE_B] = { "slice bounds out of range [%x:%y]",
			     "slice bounds out of range [%x:]" },
	[BOUNDS_SLICE3_ALEN] = { "slice bounds out of range [::%x] with length %y",
				 "slice bounds out of range [::%x]" },
	[BOUNDS_SLICE3_ACAP] = { "slice bounds out of range [::%x] with capacity %y",
				 "slice bounds out of range [::%x]" },
	[BOUNDS_SLICE3_B] = { "slice bounds out of range [:%x:%y]",
			      "slice bounds out of range [:%x:]" },
	[BOUNDS_SLICE3_C] = { "slice bounds out of range [%x:%y:]",
			      "slice bounds out of range [%x::]" },
};

void bounds_error_string(char *buf, size_t n, struct bounds_error e)
{
	if (n == 0)
		return;
	const char *f = bounds_fmt[e.code][e.x < 0];
	size_t o = (size_t)fmt_buf(buf, n, "runtime error: ");
	if (o >= n)
		o = n - 1;
	for (; *f != '\0' && o + 1 < n; f++) {
		if (f[0] == '%' && (f[1] == 'x' || f[1] == 'y')) {
			int64_t v = *++f == 'x' ? e.x : e.y;
			o += (size_t)fmt_buf(buf + o, n - o, "%lld", (long long)v);
			if (o >= n)
				break;
		} else {
			buf[o++] = *f;
		}
	}
	buf[o < n ? o : n - 1] = '\0';
}

_Noreturn void panic_bounds(struct bounds_error e)
{
	char msg[128];
	bounds_error_string(msg, sizeof msg, e);
	gohart_panic("%s", msg);
}

/* Go: runtime/panic.go goPanicIndex. */
_Noreturn void panic_index(intptr_t i, intptr_t len)
{
	panic_bounds(bounds(BOUNDS_INDEX, i, len));
}
