/*
 * slice.h - the runtime's side of slices: bounds checks as data.
 *
 * A failed bounds check is described as Go describes it, by a code and
 * two numbers (Go: runtime/error.go boundsError); slice.c turns that into
 * the panic message.  The checks are pure functions so that a test can
 * compare the messages they produce with what the Go toolchain prints
 * (tests/oracle/panics.go) without dying.
 */
#ifndef GOHART_RUNTIME_SLICE_H
#define GOHART_RUNTIME_SLICE_H

#include <stddef.h>
#include <stdint.h>

#include "gohart_slice.h"

/* Go: runtime/error.go boundsErrorCode (the codes slices use). */
enum bounds_code {
	BOUNDS_OK = -1,
	BOUNDS_INDEX,           /* s[x]: 0 <= x < len failed (y = len) */
	BOUNDS_SLICE_ALEN,      /* s[:x]: x <= len failed (strings, arrays) */
	BOUNDS_SLICE_ACAP,      /* s[:x]: x <= cap failed (y = cap) */
	BOUNDS_SLICE_B,         /* s[x:y]: 0 <= x <= y failed */
	BOUNDS_SLICE3_ALEN,     /* s[::x]: x <= len failed */
	BOUNDS_SLICE3_ACAP,     /* s[::x]: x <= cap failed (y = cap) */
	BOUNDS_SLICE3_B,        /* s[:x:y]: x <= y failed */
	BOUNDS_SLICE3_C,        /* s[x:y:]: 0 <= x <= y failed */
};

struct bounds_error {
	enum bounds_code code;
	int64_t x, y;
};

/*
 * The capacity growslice picks for a slice of capacity oldcap that must
 * hold cap elements of elemsize > 0 bytes (*capmem: its bytes), or -1 if
 * too big.  Pure: the tests print Go's growth sequences with it.
 */
intptr_t growslice_cap(size_t elemsize, intptr_t oldcap, intptr_t cap,
		       uintptr_t *capmem);

/* The check s[lo:hi] makes, in the compiler's order; BOUNDS_OK if fine. */
struct bounds_error slice_check2(intptr_t cap, intptr_t lo, intptr_t hi);
/* The check s[lo:hi:max] makes. */
struct bounds_error slice_check3(intptr_t cap, intptr_t lo, intptr_t hi,
				 intptr_t max);
/* Go's text for e, "runtime error: " included, into buf (NUL-terminated). */
void bounds_error_string(char *buf, size_t n, struct bounds_error e);
_Noreturn void panic_bounds(struct bounds_error e);

#endif
