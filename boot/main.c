/*
 * main.c - gohart's boot order, top to bottom (generic; the arch entry
 * boot/<arch>/entry.S calls kmain on cpu 0 with the firmware's argument).
 *
 *   1. hal_init         device tree, console, timer, interrupt controller
 *   1b. hart_init_boot  cpu 0's generic state (its mcache, ...)
 *   2. bootargs_init    the command line's knobs
 *   3. physmem_init     free RAM = /memory - reserved
 *   4. mheap_init       the heap takes all of it (mm/mheap.c)
 *   4b. libc_init       the C heap for newlib's malloc, from the heap
 *   6. banner
 *   7. hart_start_others  every other cpu comes up and waits in mstart
 *   8. schedinit        m's and p's: one m per hart, GOMAXPROCS p's
 *   9. newproc_main     the program's main() becomes the main goroutine;
 *      its return value is the machine's exit status (as a Go program's
 *      main returning exits 0; the other goroutines simply stop)
 *  10. mstart           cpu 0 enters the scheduler loop, like the others,
 *      and runs the main goroutine (interrupts are enabled per goroutine)
 */
#include "hal/hal.h"
#include "mm/mheap.h"
#include "mm/physmem.h"
#include "runtime/bootargs.h"
#include "runtime/hart.h"
#include "runtime/panic.h"
#include "runtime/print.h"
#include "runtime/proc.h"

extern int main(void);
void libc_init(void);

static void banner(void)
{
	struct hal_mem_range r[PHYSMEM_MAXRANGES];
	int n = physmem_ranges(r, PHYSMEM_MAXRANGES);
	print_fmt("gohart %s on %s\n", GOHART_VERSION, hal_board_name());
	print_fmt("  isa %s, timebase %lu Hz, %d cpus listed\n", hal_isa_string(),
		  (unsigned long)hal_timebase(), hal_ncpu());
	print_fmt("  memory %lu MiB, heap %lu MiB in %d ranges over %#lx-%#lx\n",
		  (unsigned long)(physmem_total() >> 20),
		  (unsigned long)(mheap.sys_pages * PAGE_SIZE >> 20), n,
		  (unsigned long)mheap.arena_base, (unsigned long)mheap.arena_end);
	print_fmt("  bootargs \"%s\"\n", hal_bootargs());
}

_Noreturn void kmain(uintptr_t boot_arg)
{
	hal_init(boot_arg);
	hart_init_boot();
	bootargs_init(hal_bootargs());
	physmem_init();
	mheap_init();
	libc_init();
	if (bootarg("quiet") == NULL)
		banner();
	hart_start_others();
	schedinit();
	newproc_main(main);
	mstart();               /* cpu 0 becomes a scheduler like the rest */
}
