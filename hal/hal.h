/*
 * hal.h - the one contract between generic gohart code and the hardware.
 *
 * Everything under runtime/, mm/, gc/, sync/, tests/ and examples/ talks to
 * the machine only through this header.  Each architecture implements it
 * under hal/<arch>/ (same file names on every arch); the fast, tiny pieces
 * (reading the per-cpu pointer, masking interrupts, the instruction
 * counter) are static inline functions in hal/<arch>/hal_arch.h, which this
 * header includes.  Generic code never names a CSR or a system register;
 * the build checks that.
 *
 * Words used below:
 *
 *   cpu      one hardware thread (a RISC-V "hart", an ARM "core").  cpus are
 *            numbered densely 0..hal_ncpu()-1; cpu 0 is always the cpu the
 *            firmware booted on.  The firmware's own id (mhartid, MPIDR) is
 *            hal_cpu_hwid() and may be sparse and need not start at 0.
 *   any      may be called from any context: thread code, interrupt handler,
 *            with or without interrupts masked.
 *   thread   ordinary code with a valid stack (boot code, goroutines), not
 *            an interrupt handler.
 *   masked   interrupts are masked on this cpu (hal_irq_save() was called).
 *
 * Interrupt model.  Interrupts are taken on the stack of whatever was
 * running: the trap vector pushes a struct hal_trapframe (the full integer
 * register file, and the floating-point file: on RISC-V only when the
 * interrupted code had touched it (sstatus.FS), on ARM64 always, as it has
 * no such bit) onto the current stack and calls into generic code through the
 * intr_* hooks declared at the end of this file, with interrupts masked.
 * Handlers never nest.
 *
 * Go: the same split as Go's runtime/os_*.go + runtime/sys_*.s (the OS and
 * arch layer) versus everything else.
 */
#ifndef GOHART_HAL_H
#define GOHART_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

struct hal_trapframe;           /* arch-defined, see hal_arch.h */
struct hal_context;             /* arch-defined, see hal_arch.h */

/* ---- Boot and cpus --------------------------------------------------- */

/*
 * hal_init: called once, first thing, on cpu 0 with the firmware's boot
 * argument (the device-tree blob).  Parses the device tree, sets up this
 * cpu's trap vector, the console, the interrupt controller and the timer.
 * On a malformed device tree it reports the problem on whatever console it
 * can find and exits with status 2.  Context: thread, masked, cpu 0 only.
 */
void hal_init(uintptr_t boot_arg);

/*
 * hal_start_cpus: starts every other cpu listed (and enabled) in the device
 * tree.  Each one comes up with interrupts masked, its own boot stack and
 * trap vector, and calls entry(cpu) (never returns).  Returns once every
 * cpu that could be started has called in.  Context: thread, cpu 0.
 */
void hal_start_cpus(void (*entry)(int cpu));

/* Number of cpus that are running (after hal_start_cpus) or listed. */
int hal_ncpu(void);
/* Firmware id of cpu `cpu` (RISC-V hartid, ARM MPIDR affinity).  any. */
unsigned long hal_cpu_hwid(int cpu);
/* Which cpus did not come up, as a bit mask over the dense index. */
uint64_t hal_cpus_failed(void);
/* Why cpu did not come up: the firmware's error code, or 1 for "started
 * but never called in". */
int hal_cpu_start_error(int cpu);

/*
 * static inline int hal_cpu_id(void)        dense index of this cpu.  any.
 * static inline void *hal_cpu_local(void)   per-cpu pointer owned by generic
 * static inline void hal_set_cpu_local(void *) code (the scheduler's m). any.
 *                                             Costs one load.
 */

/* ---- Interrupts ------------------------------------------------------ */

/*
 * static inline uintptr_t hal_irq_save(void)   mask, return previous state
 * static inline void hal_irq_restore(uintptr_t) restore that state
 * static inline void hal_irq_enable(void)       unmask
 * static inline bool hal_irq_enabled(void)
 * static inline void hal_cpu_relax(void)        spin-wait hint (pause)
 * All: any context.
 */

/*
 * hal_wait_for_interrupt: sleep until an interrupt is pending for this
 * cpu.  Call it with interrupts masked, after checking there is nothing to
 * do: a wake-up that arrives between the check and the sleep still ends
 * the sleep (the interrupt stays pending).  Returns with interrupts still
 * masked; unmask to let the handler run.  May return spuriously.
 * Context: thread, masked.
 */
void hal_wait_for_interrupt(void);

/*
 * hal_irq_offload: run fn(arg) in interrupt context on this cpu, through
 * the real trap path (a self-raised software interrupt), and return after
 * it ran.  For tests and for measuring trap cost (Zephyr's irq_offload).
 * Context: thread, interrupts enabled or masked (it unmasks briefly).
 */
void hal_irq_offload(void (*fn)(void *), void *arg);

/* ---- Time ------------------------------------------------------------ */

/* Monotonic nanoseconds since boot, same clock on every cpu.  any. */
uint64_t hal_nanotime(void);
/* Frequency of the platform timer (DT timebase-frequency), in Hz. */
uint64_t hal_timebase(void);
/*
 * static inline uint64_t hal_ticks(void): the platform timer's raw count
 * (hal_timebase per second), the clock under hal_nanotime without the
 * conversion: one instruction, for stamps read far more often than they
 * are turned into time (when a goroutine started waiting).  any.
 */
/*
 * hal_timer_arm: ask for a timer interrupt on this cpu at or after the
 * absolute time deadline_ns (hal_nanotime scale).  One-shot: replaces any
 * earlier deadline on this cpu; after it fires, nothing more fires until
 * armed again.  A deadline in the past fires at once.  Context: any.
 */
void hal_timer_arm(uint64_t deadline_ns);
/* hal_timer_disarm: cancel this cpu's deadline.  Context: any. */
void hal_timer_disarm(void);
/*
 * static inline uint64_t hal_insn_count(void): instructions retired on this
 * cpu.  Exact under QEMU -icount; used by benchmarks.  any.
 */

/* ---- Inter-processor interrupts -------------------------------------- */

/* hal_ipi_send: raise intr_ipi() on cpu `cpu` (may be self).  any. */
void hal_ipi_send(int cpu);

/* ---- Console --------------------------------------------------------- */

/*
 * hal_console_write: write bytes to the boot console, polled.  Not locked:
 * callers serialize whole lines (runtime/print.c does).  Context: any.
 */
void hal_console_write(const char *buf, size_t n);
/*
 * hal_console_getc: next byte received on the console (queued by the
 * receive interrupt), or -1 when none is waiting.  Context: any.
 */
int hal_console_getc(void);

/* ---- Exit ------------------------------------------------------------ */

/*
 * hal_exit: power the machine off with `status` as the exit code QEMU (or
 * the firmware) reports.  Other cpus stop too.  Context: any.
 */
_Noreturn void hal_exit(int status);

/* ---- Memory and boot information ------------------------------------- */

struct hal_mem_range {
	uintptr_t base;
	uintptr_t size;
};

/*
 * hal_mem_ranges / hal_mem_reserved: physical RAM (DT /memory) and the
 * regions of it that are not ours (firmware, /reserved-memory,
 * /memreserve/, the device-tree blob itself, the kernel image, boot
 * stacks).  Return the number written to out (at most max).
 * Context: thread, after hal_init.
 */
int hal_mem_ranges(struct hal_mem_range *out, int max);
int hal_mem_reserved(struct hal_mem_range *out, int max);

/* Kernel command line (DT /chosen/bootargs), "" when absent. */
const char *hal_bootargs(void);
/* Entropy from the platform (DT rng-seed), or 0 bytes. Returns bytes. */
size_t hal_rng_seed(void *buf, size_t n);
/*
 * hal_hw_random: 64 bits from the cpu's own entropy source, if it has
 * one: RISC-V Zkr (the `seed` CSR), ARM FEAT_RNG (RNDR).  Returns false,
 * leaving *out alone, when there is no such source or it fails (RISC-V:
 * DEAD state, or the firmware does not let S-mode read seed; ARM: RNDR
 * reports failure).  May spin briefly (Zkr WAIT).  False before hal_init.
 * Context: any, on any cpu.
 */
bool hal_hw_random(uint64_t *out);
/* Human-readable board and ISA description for the banner. */
const char *hal_board_name(void);
const char *hal_isa_string(void);

/* ---- Execution contexts (for goroutines) ----------------------------- */

/*
 * hal_context_init: prepare ctx so that switching to it runs fn(arg) on the
 * stack [stack_lo, stack_hi).  fn must not return.  Context: any.
 *
 * hal_context_switch: save the callee-saved state of the caller in `from`
 * and resume `to`.  Returns when something switches back to `from`.
 * Interrupt state is not part of a context.  Context: thread or interrupt.
 */
void hal_context_init(struct hal_context *ctx, void *stack_lo, void *stack_hi,
		      void (*fn)(void *), void *arg);
void hal_context_switch(struct hal_context *from, struct hal_context *to);

/* ---- Stacks and tracebacks ------------------------------------------- */

struct hal_frame {
	uintptr_t pc;           /* where this frame is executing */
	uintptr_t fp;           /* its frame pointer */
	uintptr_t lr;           /* link register at a trap, else 0 */
};

/*
 * hal_frame_caller: step from frame f to its caller.  Returns false at the
 * end of the chain or when the frame pointer leaves [lo, hi) or looks
 * corrupt; never faults on a bad chain inside [lo, hi).  If f->lr is
 * nonzero the caller is taken to be f->lr: the walker sets it for a
 * trapped pc whose function has no frame record of its own yet (a leaf, a
 * prologue); it is cleared after the step.  any.
 */
bool hal_frame_caller(struct hal_frame *f, uintptr_t lo, uintptr_t hi);
/* The current frame (of the caller of hal_frame_here).  any. */
void hal_frame_here(struct hal_frame *f);
/* The frame a saved context will resume in (pc is a return address). */
void hal_context_frame(const struct hal_context *ctx, struct hal_frame *f);
/* The interrupted frame recorded in a trap frame (lr = the link
 * register's value), and its stack pointer. */
void hal_trapframe_frame(const struct hal_trapframe *tf, struct hal_frame *f);
uintptr_t hal_trapframe_sp(const struct hal_trapframe *tf);
/* This cpu's boot stack, [lo, hi). */
void hal_boot_stack(int cpu, uintptr_t *lo, uintptr_t *hi);

/*
 * HAL_TRAPNAME_ILLEGAL, HAL_TRAPNAME_BAD_LOAD, HAL_TRAPNAME_BREAKPOINT
 * (hal_arch.h): the names intr_fatal is given for an illegal instruction,
 * a load from an address with no memory behind it, and a breakpoint.
 *
 * hal_trapframe_dump: print the trap cause by name and the register file
 * in the arch's own names through print_* (runtime/print.h).  Called on a
 * fatal trap.  Context: interrupt.
 */
void hal_trapframe_dump(const struct hal_trapframe *tf);

/* ---- Hooks: implemented by generic code, called by the HAL ----------- */

/*
 * All run in interrupt context, interrupts masked, on the interrupted
 * stack.  tf is the interrupted state.
 *
 * intr_timer: this cpu's deadline passed (the deadline is now disarmed).
 * intr_ipi: some cpu called hal_ipi_send(this cpu).
 * intr_fatal: an exception the runtime cannot handle (illegal
 *   instruction, access fault, misaligned access, ...).  `what` names it.
 *   Must not return.
 */
void intr_timer(struct hal_trapframe *tf);
void intr_ipi(struct hal_trapframe *tf);
_Noreturn void intr_fatal(struct hal_trapframe *tf, const char *what,
			  uintptr_t addr);

#include "hal_arch.h"

#endif
