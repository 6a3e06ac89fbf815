/*
 * golden.h - comparing what a test prints with what real Go prints.
 *
 * A test that twins a Go program in tests/oracle/ prints into one buffer
 * with golden_printf (from any goroutine; lines are appended whole) and
 * then calls golden_check with the Go program's output, built into the
 * image by GOLDEN(name) from tests/oracle/NAME.out.  scripts/oracle-check.sh
 * (part of `make test`) checks that each .out is still what `go run`
 * prints.  One test at a time uses the buffer: golden_reset starts it.
 */
#ifndef GOHART_TESTS_GOLDEN_H
#define GOHART_TESTS_GOLDEN_H

#include <stddef.h>

#include "testing.h"

/* golden_NAME .. golden_NAME_end: tests/oracle/NAME.out's bytes. */
#define GOLDEN(name)                                                      \
	extern const char golden_##name[], golden_##name##_end[];         \
	__asm__(".section .rodata\n"                                      \
		".global golden_" #name "\n"                              \
		"golden_" #name ":\n"                                     \
		".incbin \"tests/oracle/" #name ".out\"\n"                \
		".global golden_" #name "_end\n"                          \
		"golden_" #name "_end:\n"                                 \
		".byte 0\n"                                               \
		".previous\n")

void golden_reset(void);
void golden_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Fail t (naming the first differing line) unless the buffer is want. */
void golden_check(T *t, const char *want, const char *want_end);

#endif
