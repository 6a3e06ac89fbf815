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

#endif
