/*
 * panic.c - fatal errors, tracebacks and the trap hooks of last resort.
 *
 * A fatal error freezes nothing and unwinds nothing: it prints what it
 * knows while holding the print lock (so the report is one piece), and
 * powers the machine off with status 2.  Other cpus may go on running for
 * the microseconds that takes; their output waits behind the lock.
 *
 * Tracebacks walk frame pointers (every file is built with
 * -fno-omit-frame-pointer) through hal_frame_caller, bounded by the
 * stack the walk started on, and name each pc through the symbol table
 * the build embeds in the image (tools/mksymtab.py).
 *
 * Go: runtime/panic.go (throw, fatalthrow), traceback.go (printing
 * "fn+0xoff"), symtab.go (findfunc).
 */
#include "panic.h"

#include <stdatomic.h>

#include <stdarg.h>

#include "gohart.h"
#include "hal/hal.h"
#include "print.h"
#include "proc.h"

#define MAXFRAMES 64

static atomic_int dying = -1;          /* the cpu reporting a fatal error */

/* Symbol table, emitted by tools/mksymtab.py into the image. */
extern const uint64_t symtab_count;
extern const uint64_t symtab_addr[];
extern const uint32_t symtab_name[];
extern const char symtab_str[];

int symtab_lookup(uintptr_t pc, const char **name, uintptr_t *off)
{
	extern char _etext[];
	uint64_t lo = 0, hi = symtab_count;
	if (hi == 0 || pc < symtab_addr[0] || pc >= (uintptr_t)_etext)
		return 0;
	while (hi - lo > 1) {           /* largest addr <= pc */
		uint64_t mid = lo + (hi - lo) / 2;
		if (symtab_addr[mid] <= pc)
			lo = mid;
		else
			hi = mid;
	}
	*name = symtab_str + symtab_name[lo];
	*off = pc - symtab_addr[lo];
	return 1;
}

/*
 * "name+0xoff" for pc.  A return address points after its call, and when
 * the call was the last thing in a function (a call to a _Noreturn
 * function) it points at the next function.  So, as Go's traceback does,
 * name return addresses by pc - 1: the call instruction itself.
 */
static void print_sym(uintptr_t pc, bool is_return)
{
	const char *name;
	uintptr_t off;
	if (symtab_lookup(pc - is_return, &name, &off))
		print_fmt("%s+%#lx\n", name, (unsigned long)(off + is_return));
	else
		print_fmt("?\n");
}

/* One traceback line: "\t0x... name+0xoff". */
static void print_pc(uintptr_t pc, bool is_return)
{
	print_fmt("\t%#lx ", (unsigned long)pc);
	print_sym(pc, is_return);
}

/*
 * The stack a frame pointer lives on: the running goroutine's, or this
 * cpu's boot stack (g0).
 */
static void stack_bounds(uintptr_t fp, uintptr_t *lo, uintptr_t *hi)
{
	struct g *gp = sched.started ? getg() : NULL;
	if (gp != NULL && gp->stack.hi != 0 && fp >= gp->stack.lo && fp <= gp->stack.hi) {
		*lo = gp->stack.lo;
		*hi = gp->stack.hi;
		return;
	}
	hal_boot_stack(hal_cpu_id(), lo, hi);
	if (fp < *lo || fp > *hi) {     /* some other stack: trust 64 KiB */
		*lo = fp - 16;
		*hi = fp + 64 * 1024;
	}
}

/* first_is_return: f.pc is a return address (not a trapped pc). */
void traceback_frames(struct hal_frame f, bool first_is_return, uintptr_t lo,
		      uintptr_t hi)
{
	print_pc(f.pc, first_is_return);
	for (int i = 1; i < MAXFRAMES; i++) {
		if (!hal_frame_caller(&f, lo, hi))
			return;
		print_pc(f.pc, true);
	}
	print_fmt("\t...more frames...\n");
}

static void traceback_from(struct hal_frame f, bool first_is_return)
{
	uintptr_t lo, hi;
	stack_bounds(f.fp, &lo, &hi);
	traceback_frames(f, first_is_return, lo, hi);
}

void traceback_here(void)
{
	struct hal_frame f;
	hal_frame_here(&f);
	traceback_from(f, true);
}

/*
 * After a trap the link register is the way out of the trapped function
 * only if that function has no frame record of its own (a leaf: GCC
 * saves no return address there; or a prologue/epilogue).  Without unwind
 * tables we judge by where lr points: into another function than the
 * trapped pc, it is the caller; into the same function, it is a stale
 * return address from an earlier call and the frame record is right.
 */
void traceback_trap(const struct hal_trapframe *tf)
{
	struct hal_frame f;
	const char *pcname, *lrname;
	uintptr_t off;
	hal_trapframe_frame(tf, &f);
	if (!symtab_lookup(f.lr - 1, &lrname, &off) ||
	    (symtab_lookup(f.pc, &pcname, &off) && pcname == lrname))
		f.lr = 0;
	traceback_from(f, false);
}

/* Become the one cpu that reports; a second one waits to be powered off. */
static void begin_fatal(void)
{
	hal_irq_save();
	int me = hal_cpu_id(), none = -1;
	if (!atomic_compare_exchange_strong(&dying, &none, me) && none != me) {
		for (;;)
			hal_wait_for_interrupt();
	}
	print_flush();
	print_lock();
}

_Noreturn void runtime_exit(int status)
{
	print_flush();
	hal_exit(status);
}

/* After the failing goroutine's own trace: everyone else (Go does too). */
static _Noreturn void fatal_end(void)
{
	current_goroutine_footer();
	if (sched.started)
		dump_all_goroutines();
	runtime_exit(2);
}

_Noreturn void throw(const char *msg)
{
	begin_fatal();
	print_fmt("fatal error: %s\n\n", msg);
	current_goroutine_header();
	traceback_here();
	fatal_end();
}

/*
 * gohart_panic: Go's panic with a string and no recover: "panic: " and
 * the message, the goroutine's trace, everyone else's, exit status 2.
 */
_Noreturn void gohart_panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vfmt_buf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	begin_fatal();
	print_fmt("panic: %s\n\n", buf);
	current_goroutine_header();
	traceback_here();
	fatal_end();
}

_Noreturn void throw_name(const char *prefix, const char *name)
{
	char buf[160];
	fmt_buf(buf, sizeof buf, "%s%s", prefix, name ? name : "?");
	throw(buf);
}

/*
 * intr_fatal: an exception in gohart's own code.  Go prints, for a fault
 * in the runtime:
 *     unexpected fault address 0x0
 *     fatal error: fault
 *     [signal SIGSEGV: segmentation violation code=... addr=0x0 pc=...]
 * We print the trap's own name and registers instead of a signal.
 */
_Noreturn void intr_fatal(struct hal_trapframe *tf, const char *what,
			  uintptr_t addr)
{
	begin_fatal();
	print_fmt("fatal error: unexpected trap: %s (address %#lx)\n",
		  what, (unsigned long)addr);
	struct hal_frame f;
	hal_trapframe_frame(tf, &f);
	print_fmt("pc %#lx ", (unsigned long)f.pc);
	print_sym(f.pc, false);
	print_fmt("lr %#lx ", (unsigned long)f.lr);
	print_sym(f.lr, true);
	hal_trapframe_dump(tf);
	print_fmt("\n");
	current_goroutine_header();
	traceback_trap(tf);
	fatal_end();
}
