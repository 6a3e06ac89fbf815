/*
 * panic.h - how the runtime dies.
 *
 * throw(msg): an internal invariant broke, or the program misused the
 * runtime in a way that cannot be recovered from.  Prints, as Go does,
 *
 *     fatal error: <msg>
 *
 * then the traceback of the calling cpu, and exits with status 2 (Go's
 * exit code for fatal errors).  Messages that are the runtime's own
 * internal checks start with "runtime: " or name the function that
 * checked, e.g. throw("chan_send: spurious wakeup").
 *
 * Any context, any cpu; never returns.  If a second cpu throws while the
 * first is still reporting, it waits for the first to exit the machine.
 */
#ifndef GOHART_PANIC_H
#define GOHART_PANIC_H

#include <stdint.h>

struct hal_trapframe;

_Noreturn void throw(const char *msg);
/* throw with "<prefix><name>", for messages naming an object. */
_Noreturn void throw_name(const char *prefix, const char *name);
/* Exit with status after flushing this cpu's console line. */
_Noreturn void runtime_exit(int status);

/* Traceback of the caller, or of a trapped context, to the console. */
void traceback_here(void);
void traceback_trap(const struct hal_trapframe *tf);

/* Walk and print frames from f on a stack [lo, hi). */
struct hal_frame;
void traceback_frames(struct hal_frame f, _Bool first_is_return, uintptr_t lo,
		      uintptr_t hi);
/* traceback.c: "goroutine N [status]:" (or the cpu, on g0) / "created by". */
void current_goroutine_header(void);
void current_goroutine_footer(void);

/*
 * FAST_ENTRY: a fast path that builds no frame record.  For entry points
 * whose common case calls nothing and whose slow path is a tail call (the
 * slow half makes its own frame).  A traceback taken inside one steps out
 * through the return address, as for any leaf function.
 */
#define FAST_ENTRY __attribute__((optimize("omit-frame-pointer")))

/* Symbolize pc into "name+0xoff"; returns 0 when unknown. */
int symtab_lookup(uintptr_t pc, const char **name, uintptr_t *off);

/*
 * Assertion with a name: cond must hold; otherwise throw(msg).  On by
 * default (CONFIG_DEBUG).  msg names the checking function, as in
 * ASSERT(n > 0, "mheap_alloc: zero pages").
 */
#define ASSERT(cond, msg)                                     \
	do {                                                  \
		if (CONFIG_DEBUG && !(cond))                  \
			throw(msg);                           \
	} while (0)

#endif
