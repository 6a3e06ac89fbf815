/*
 * cpu.c (riscv64) - bringing up the harts and the rest of hal/hal.h.
 *
 * Boot, step by step (docs/boot.md tells the whole story):
 *
 *   1. entry.S: the firmware's chosen hart gets cpu 0's boot stack, clears
 *      .bss, points tp at hal_cpus[0] and calls riscv_boot_main(hartid, dtb).
 *   2. riscv_boot_main -> kmain(dtb) (boot/main.c, generic), which calls
 *      hal_init(dtb) first:
 *        a. trap vector, FP on; early console = SBI putchar
 *        b. parse the device tree; give up loudly if it is broken
 *        c. number the cpus: the boot hart is cpu 0, the others follow in
 *           device-tree order (hart ids may be sparse, any hart may boot)
 *        d. console UART, timer (Sstc or SBI), PLIC, UART receive irq,
 *           the Zkr entropy source if the ISA string lists it (random.c)
 *   3. kmain calls hal_start_cpus(entry): for each other cpu, SBI HSM
 *      hart_start(hartid, secondary_entry, &hal_cpus[i]); the hart runs
 *      entry.S secondary_entry -> riscv_secondary_main, sets itself up the
 *      same way, says "online" and calls entry(cpu).
 */
#include <string.h>

#include "cpu.h"
#include "csr.h"
#include "runtime/panic.h"

struct hal_cpu hal_cpus[CONFIG_MAXCPU];
struct dt_info hal_dt;
char boot_stacks[CONFIG_MAXCPU][CONFIG_BOOT_STACK_SIZE] __attribute__((aligned(16)));

extern char _start[], _end[];
extern void secondary_entry(void);
extern _Noreturn void kmain(uintptr_t boot_arg);

static int ncpu = 1;
static uint64_t failed_mask;
static int start_error[CONFIG_MAXCPU];   /* SBI error, or 1: never called in */
static uintptr_t dtb_addr;
static void (*secondary_fn)(int cpu);
static void (*early_putc)(int c) = sbi_console_putchar;

_Noreturn void riscv_boot_main(unsigned long hartid, uintptr_t dtb)
{
	struct hal_cpu *c = &hal_cpus[0];
	c->head.id = 0;
	c->hartid = hartid;
	c->stack_top = (uint64_t)(uintptr_t)(boot_stacks[0] + CONFIG_BOOT_STACK_SIZE);
	dtb_addr = dtb;
	kmain(dtb);
}

static void early_puts(const char *s)
{
	while (*s)
		early_putc(*s++);
}

static _Noreturn void boot_fail(const char *what, const char *detail)
{
	early_puts("gohart: boot failed: ");
	early_puts(what);
	if (detail) {
		early_puts(": ");
		early_puts(detail);
	}
	early_puts("\n");
	hal_exit(2);
}

/* Number the cpus: the boot hart first, then DT order. */
static void number_cpus(void)
{
	unsigned long boot = hal_cpus[0].hartid;
	bool found = false;
	ncpu = 1;
	for (int i = 0; i < hal_dt.ncpu; i++) {
		const struct dt_cpu *d = &hal_dt.cpu[i];
		if (d->hwid == boot) {
			found = true;
			hal_cpus[0].intc_phandle = d->intc_phandle;
			continue;
		}
		if (!d->okay || ncpu >= CONFIG_MAXCPU)
			continue;
		struct hal_cpu *c = &hal_cpus[ncpu];
		c->head.id = ncpu;
		c->hartid = (unsigned long)d->hwid;
		c->intc_phandle = d->intc_phandle;
		c->stack_top = (uint64_t)(uintptr_t)(boot_stacks[ncpu] + CONFIG_BOOT_STACK_SIZE);
		ncpu++;
	}
	if (!found)
		boot_fail("device tree", "boot hart not listed under /cpus");
}

static void console_putc(int c)
{
	ns16550_putc(c);
}

void hal_init(uintptr_t boot_arg)
{
	const char *err;

	trap_init_cpu();
	sbi_init();
	if (boot_arg == 0 || (boot_arg & 7) != 0)
		boot_fail("device tree", "no blob passed by the firmware (a1)");
	uint32_t size = dt_total_size((const void *)boot_arg);
	if (size == 0)
		boot_fail("device tree", "bad magic (not a device tree)");
	if (size > (4u << 20))
		boot_fail("device tree", "totalsize over 4 MiB");
	if (dt_parse((const void *)boot_arg, size, &hal_dt, &err) < 0)
		boot_fail("device tree", err);
	if (hal_dt.nmem == 0)
		boot_fail("device tree", "no /memory");
	number_cpus();

	if (hal_dt.uart.kind == DT_UART_NS16550) {
		ns16550_init(&hal_dt);
		early_putc = console_putc;
	}
	timer_init(hal_dt.timebase, dt_isa_has(hal_dt.isa, "sstc"));
	timer_init_cpu();
	plic_init();
	plic_init_cpu(&hal_cpus[0]);
	if (hal_dt.uart.irq)
		plic_enable((int)hal_dt.uart.irq, &hal_cpus[0]);
	random_init(dt_isa_has(hal_dt.isa, "zkr"));
	atomic_store(&hal_cpus[0].online, 1);
}

_Noreturn void riscv_secondary_main(struct hal_cpu *c)
{
	trap_init_cpu();
	timer_init_cpu();
	plic_init_cpu(c);
	atomic_store_explicit(&c->online, 1, memory_order_release);
	secondary_fn((int)c->head.id);
	boot_fail("cpu entry returned", NULL);
}

void hal_start_cpus(void (*entry)(int cpu))
{
	secondary_fn = entry;
	for (int i = 1; i < ncpu; i++) {
		struct hal_cpu *c = &hal_cpus[i];
		int err = sbi_hart_start(c->hartid, (uintptr_t)secondary_entry,
					 (uintptr_t)c);
		if (err != 0) {
			failed_mask |= 1ull << i;
			start_error[i] = err;
			continue;
		}
		/*
		 * Wait for it, so cpus come up in order.  Real harts answer in
		 * microseconds; under QEMU on a busy host a vCPU thread can
		 * wait for a host core for tens of milliseconds or more, so
		 * the limit is generous.  We sleep between looks (a 100 us
		 * timer wakes us) rather than spin: under QEMU -icount the
		 * vCPUs take turns, and a spinning cpu 0 would starve the
		 * hart it waits for.
		 */
		uint64_t give_up = hal_nanotime() + 10000000000ull;
		while (!atomic_load_explicit(&c->online, memory_order_acquire)) {
			if (hal_nanotime() > give_up) {
				failed_mask |= 1ull << i;
				start_error[i] = 1;
				break;
			}
			hal_timer_arm(hal_nanotime() + 100000);
			hal_wait_for_interrupt();
		}
		hal_timer_disarm();
	}
}

int hal_ncpu(void) { return ncpu; }
unsigned long hal_cpu_hwid(int cpu) { return hal_cpus[cpu].hartid; }
uint64_t hal_cpus_failed(void) { return failed_mask; }
int hal_cpu_start_error(int cpu) { return start_error[cpu]; }

void hal_console_write(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n')
			early_putc('\r');
		early_putc(buf[i]);
	}
}

int hal_console_getc(void)
{
	return hal_dt.uart.kind == DT_UART_NS16550 ? ns16550_getc() : -1;
}

_Noreturn void hal_exit(int status)
{
	hal_irq_save();
	if (hal_dt.finisher.present)
		sifive_test_exit(hal_dt.finisher.base, status);
	sbi_system_reset(status);
	for (;;)
		__asm__ volatile("wfi");
}

int hal_mem_ranges(struct hal_mem_range *out, int max)
{
	int n = 0;
	for (int i = 0; i < hal_dt.nmem && n < max; i++, n++) {
		out[n].base = (uintptr_t)hal_dt.mem[i].base;
		out[n].size = (uintptr_t)hal_dt.mem[i].size;
	}
	return n;
}

/*
 * Reserved: what the DT reserves, the DT blob, and the kernel image with
 * everything below it in its RAM bank (the firmware lives there: the boot
 * protocol puts the image text_offset bytes above the start of RAM).
 */
int hal_mem_reserved(struct hal_mem_range *out, int max)
{
	int n = 0;
	for (int i = 0; i < hal_dt.nresv && n < max; i++, n++) {
		out[n].base = (uintptr_t)hal_dt.resv[i].base;
		out[n].size = (uintptr_t)hal_dt.resv[i].size;
	}
	if (n < max) {
		out[n].base = dtb_addr;
		out[n].size = hal_dt.totalsize;
		n++;
	}
	for (int i = 0; i < hal_dt.nmem && n < max; i++) {
		uintptr_t b = (uintptr_t)hal_dt.mem[i].base;
		uintptr_t e = b + (uintptr_t)hal_dt.mem[i].size;
		if ((uintptr_t)_start >= b && (uintptr_t)_start < e) {
			out[n].base = b;
			out[n].size = (uintptr_t)_end - b;
			n++;
		}
	}
	return n;
}

const char *hal_bootargs(void) { return hal_dt.bootargs; }
const char *hal_isa_string(void) { return hal_dt.isa; }

const char *hal_board_name(void)
{
	return hal_dt.model[0] ? hal_dt.model : "unknown riscv64 board";
}

size_t hal_rng_seed(void *buf, size_t n)
{
	if (n > hal_dt.rng_seed_len)
		n = hal_dt.rng_seed_len;
	memcpy(buf, hal_dt.rng_seed, n);
	return n;
}

extern void hal_context_start(void);

void hal_context_init(struct hal_context *ctx, void *stack_lo, void *stack_hi,
		      void (*fn)(void *), void *arg)
{
	(void)stack_lo;
	/* Only what hal_context_start reads; the rest is never loaded as
	 * meaningful (no FP state: fpvalid 0). */
	ctx->ra = (uint64_t)(uintptr_t)hal_context_start;
	ctx->sp = (uint64_t)(uintptr_t)stack_hi & ~15ull;
	ctx->s[0] = 0;                          /* fp: ends backtraces */
	ctx->s[1] = (uint64_t)(uintptr_t)fn;
	ctx->s[2] = (uint64_t)(uintptr_t)arg;
	ctx->fpvalid = 0;
}

_Noreturn void hal_context_returned(void (*fn)(void *))
{
	(void)fn;
	throw("hal_context_start: context function returned");
}
