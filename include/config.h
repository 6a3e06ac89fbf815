/*
 * config.h - gohart's compile-time knobs, in one place.
 *
 * Run-time knobs come from the kernel command line instead (see
 * runtime/bootargs.c and docs/boot.md): maxprocs=, test.run=, ...
 */
#ifndef GOHART_CONFIG_H
#define GOHART_CONFIG_H

#define GOHART_VERSION "0.1.0"

/* Most cpus the runtime will start; more in the device tree are ignored. */
#define CONFIG_MAXCPU 32

/* Size of each cpu's boot stack (the system stack it starts on). */
#define CONFIG_BOOT_STACK_SIZE (32 * 1024)

/*
 * Goroutine stack size when none is asked for.  gohart stacks do not grow
 * (C code cannot be moved the way Go copies its stacks), so this is the
 * most a goroutine may use; the canary at its low end catches overflow.
 */
#define CONFIG_STACK_SIZE (16 * 1024)

/* C heap (newlib malloc) size taken from free RAM at boot. */
#define CONFIG_C_HEAP_SIZE (8 * 1024 * 1024)

/* Debug checks (assertions with names, lock ranking, poisoning). */
#ifndef CONFIG_DEBUG
#define CONFIG_DEBUG 1
#endif

/*
 * Fill freed goroutine stacks with 0xdd, so a pointer into a dead
 * goroutine's frame reads garbage that stands out.  Off by default: it
 * costs a memset of the whole stack (about 4000 instructions for 16 KiB)
 * on every goroutine exit.
 */
#ifndef CONFIG_POISON_STACKS
#define CONFIG_POISON_STACKS 0
#endif

/* Longest device-tree string we keep (bootargs, isa, model). */
#define CONFIG_DT_STRMAX 256

#endif
