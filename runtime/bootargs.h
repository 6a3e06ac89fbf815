/*
 * bootargs.h - run-time knobs from the kernel command line.
 *
 * The command line is the DT's /chosen/bootargs (QEMU: -append "...").
 * It is a list of space-separated words, each `key=value` or a bare
 * `key` (value ""), in the spirit of Go's GODEBUG:
 *
 *     test.run=^timer_ test.timeout=30s maxprocs=2
 *
 * Keys the runtime reads are listed in docs/boot.md.  Unknown keys are
 * kept (programs may read their own) and never an error.
 */
#ifndef GOHART_BOOTARGS_H
#define GOHART_BOOTARGS_H

#include <stdbool.h>
#include <stdint.h>

/* Parse `cmdline` (copied).  Boot, cpu 0, once. */
void bootargs_init(const char *cmdline);
/* Value of key, or NULL when absent.  Any context after boot. */
const char *bootarg(const char *key);
/* Integer value (decimal or 0x hex, optional k/M/G suffix), or def. */
long bootarg_int(const char *key, long def);
/* Duration: "10ms", "2s", "500us", "100ns" or plain ns; def if absent. */
uint64_t bootarg_duration(const char *key, uint64_t def);

/* Pure helpers, also used by the host tests. */
bool parse_int(const char *s, long *out);
bool parse_duration(const char *s, uint64_t *ns);

#endif
