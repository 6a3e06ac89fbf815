/*
 * print.h - the runtime's own console output.
 *
 * The runtime prints through here, never through newlib's printf: a fatal
 * error must be able to print while newlib's locks are held, from an
 * interrupt handler, or with the C heap broken.  Go has the same split:
 * runtime.print versus fmt.
 *
 * Output is collected per cpu until a newline and then written whole
 * under the console lock, so lines from different cpus never interleave
 * mid-line.  newlib's stdout comes through print_write() too.
 *
 * All functions: any context (thread or interrupt), any cpu.
 */
#ifndef GOHART_PRINT_H
#define GOHART_PRINT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * print_fmt: a small printf: %d %i %u %x %X %o %c %s %p %% with the l, ll
 * and z size prefixes, '#' '-' '0' flags and a field width.
 */
void print_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_vfmt(const char *fmt, va_list ap);
void print_write(const char *buf, size_t n);
/* Write out this cpu's partial line, if any. */
void print_flush(void);

/*
 * print_lock / print_unlock: keep several lines together (a goroutine
 * dump, a fatal report).  Recursive on one cpu.
 */
void print_lock(void);
void print_unlock(void);

/* snprintf-like formatting into a buffer; returns the length it wanted. */
int vfmt_buf(char *buf, size_t n, const char *fmt, va_list ap);
int fmt_buf(char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
