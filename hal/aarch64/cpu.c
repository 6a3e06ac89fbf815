/*
 * cpu.c (aarch64) - bringing up the cpus and the rest of hal/hal.h.
 *
 * Boot, step by step (docs/boot.md tells the RISC-V story; this is the
 * same one in ARM words):
 *
 *   1. entry.S: the boot cpu drops to EL1 if it came in at EL2, turns on
 *      FP/SIMD, maps the image and the device tree, turns the MMU and
 *      caches on, clears .bss, points x18 and TPIDR_EL1 at hal_cpus[0]
 *      and calls aarch64_boot_main(dtb).
 *   2. aarch64_boot_main -> kmain(dtb) (boot/main.c, generic), which calls
 *      hal_init(dtb) first:
 *        a. the real vector table; early console = semihosting
 *        b. parse the device tree; give up loudly if it is broken
 *        c. number the cpus: the boot cpu is cpu 0, the others follow in
 *           device-tree order (MPIDR affinities need not be dense)
 *        d. map all RAM and the devices (mmu.c)
 *        e. console UART (the DT's stdout-path: a PL011, or a 16550 such
 *           as the Pi's mini UART), the interrupt controller the DT has (a
 *           GIC, or the Raspberry Pi's BCM2836/BCM2835 pair), generic
 *           timer, UART receive irq
 *        f. whether the cpu has FEAT_RNG (random.c)
 *   3. kmain calls hal_start_cpus(entry): for each other cpu, by its DT
 *      enable-method: PSCI CPU_ON(mpidr, secondary_entry, &hal_cpus[i])
 *      through the conduit the device tree's /psci names (hvc or smc),
 *      or for "spin-table" secondary_entry written to its release
 *      address (spintable.c); the cpu runs entry.S secondary_entry ->
 *      aarch64_secondary_main, sets itself up the same way, says
 *      "online" and calls entry(cpu).
 *
 * Exit: semihosting SYS_EXIT_EXTENDED carries the status to QEMU
 * (-semihosting); without a semihosting host, PSCI SYSTEM_OFF.
 */
#include <string.h>

#include "cpu.h"
#include "sysreg.h"
#include "runtime/panic.h"
#include "runtime/print.h"

struct hal_cpu hal_cpus[CONFIG_MAXCPU];
struct dt_info hal_dt;
const struct intc_ops *intc;
const struct uart_driver *console;
uint32_t console_irq = IRQ_NONE;

static const struct uart_driver pl011_driver = {
	pl011_init, pl011_putc, pl011_intr, pl011_getc,
};
static const struct uart_driver ns16550_driver = {
	ns16550_init, ns16550_putc, ns16550_intr, ns16550_getc,
};
char boot_stacks[CONFIG_MAXCPU][CONFIG_BOOT_STACK_SIZE] __attribute__((aligned(16)));

extern char _start[], _end[];
extern void secondary_entry(void);
extern _Noreturn void kmain(uintptr_t boot_arg);

static int ncpu = 1;
static uint64_t failed_mask;
static int start_error[CONFIG_MAXCPU];   /* PSCI error, or 1: never called in */
static uintptr_t dtb_addr;
static void (*secondary_fn)(int cpu);
static void (*early_putc)(int c) = semihost_putc;
static char isa[64];

/*
 * The PMU cycle counter behind hal_insn_count, on this cpu.  Every
 * ARMv8-A Cortex core has PMUv3; on a cpu without one
 * (ID_AA64DFR0_EL1.PMUVer 0 or 0xf) hal_insn_count is an undefined
 * instruction, which only the benchmarks would notice.
 */
static void pmu_init_cpu(void)
{
	unsigned pmuver = (sysreg_read(id_aa64dfr0_el1) >> 8) & 0xf;
	if (pmuver == 0 || pmuver == 0xf)
		return;
	sysreg_write(pmccfiltr_el0, 0);         /* count at EL1 too */
	sysreg_write(pmcntenset_el0, PMCNTEN_CYCLES);
	sysreg_write(pmcr_el0, sysreg_read(pmcr_el0) | PMCR_E);
	isb();
}

_Noreturn void aarch64_boot_main(uintptr_t dtb)
{
	struct hal_cpu *c = &hal_cpus[0];
	c->head.id = 0;
	c->mpidr = sysreg_read(mpidr_el1) & MPIDR_AFF_MASK;
	c->stack_top = (uint64_t)(uintptr_t)(boot_stacks[0] + CONFIG_BOOT_STACK_SIZE);
	dtb_addr = dtb;
	kmain(dtb);
}

static void early_puts(const char *s)
{
	while (*s)
		early_putc(*s++);
}

_Noreturn void boot_fail(const char *what, const char *detail)
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

/* Number the cpus: the boot cpu first, then DT order. */
static void number_cpus(void)
{
	uint64_t boot = hal_cpus[0].mpidr;
	bool found = false;
	ncpu = 1;
	for (int i = 0; i < hal_dt.ncpu; i++) {
		const struct dt_cpu *d = &hal_dt.cpu[i];
		if ((d->hwid & MPIDR_AFF_MASK) == boot) {
			found = true;
			continue;
		}
		if (!d->okay || ncpu >= CONFIG_MAXCPU)
			continue;
		struct hal_cpu *c = &hal_cpus[ncpu];
		c->head.id = ncpu;
		c->mpidr = d->hwid & MPIDR_AFF_MASK;
		c->stack_top = (uint64_t)(uintptr_t)(boot_stacks[ncpu] + CONFIG_BOOT_STACK_SIZE);
		c->enable_method = d->enable_method;
		c->release_addr = d->release_addr;
		ncpu++;
	}
	if (!found)
		boot_fail("device tree", "boot cpu not listed under /cpus");
}

/* "armv8-a cortex-a72 r0p3", from MIDR_EL1. */
static void describe_cpu(void)
{
	static const struct {
		unsigned part;
		const char *name;
	} arm_parts[] = {
		{ 0xd03, "cortex-a53" }, { 0xd04, "cortex-a35" },
		{ 0xd05, "cortex-a55" }, { 0xd07, "cortex-a57" },
		{ 0xd08, "cortex-a72" }, { 0xd09, "cortex-a73" },
		{ 0xd0b, "cortex-a76" }, { 0xd0c, "neoverse-n1" },
		{ 0xd40, "neoverse-v1" }, { 0xd49, "neoverse-n2" },
	};
	uint64_t midr = sysreg_read(midr_el1);
	unsigned implementer = (midr >> 24) & 0xff, part = (midr >> 4) & 0xfff;
	const char *name = NULL;
	for (size_t i = 0; i < sizeof arm_parts / sizeof *arm_parts; i++)
		if (implementer == 0x41 && arm_parts[i].part == part)
			name = arm_parts[i].name;
	char buf[24];
	if (name == NULL) {
		fmt_buf(buf, sizeof buf, "cpu %#x:%#x", implementer, part);
		name = buf;
	}
	bool lse = ((sysreg_read(id_aa64isar0_el1) >> 20) & 0xf) >= 2;
	fmt_buf(isa, sizeof isa, "armv8-a %s r%up%u%s", name,
		(unsigned)(midr >> 20) & 0xf, (unsigned)midr & 0xf, lse ? " +lse" : "");
}

void hal_init(uintptr_t boot_arg)
{
	const char *err;

	trap_init_cpu();
	pmu_init_cpu();
	if (boot_arg == 0 || (boot_arg & 7) != 0)
		boot_fail("device tree", "no blob passed by the loader (x0)");
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
	describe_cpu();
	mmu_init();

	if (hal_dt.uart.kind == DT_UART_PL011)
		console = &pl011_driver;
	else if (hal_dt.uart.kind == DT_UART_NS16550)
		console = &ns16550_driver;
	if (console != NULL) {
		mmu_map_device(hal_dt.uart.base, 0x1000);
		console->init(&hal_dt);
		early_putc = console->putc;
	}
	if (hal_dt.gic.version != 0)
		intc = &gic_ops;
	else if (hal_dt.bcm_intc.present)
		intc = &bcm2836_intc_ops;
	else
		boot_fail("device tree", "no GICv2, GICv3 or BCM2836 interrupt controller");
	timer_init();
	intc->init();
	intc->init_cpu(&hal_cpus[0]);
	timer_init_cpu();
	if (console != NULL) {
		console_irq = intc->irq_from_dt(hal_dt.uart.intr_parent, hal_dt.uart.intr,
						hal_dt.uart.nintr, 0);
		if (console_irq != IRQ_NONE)
			intc->enable(console_irq, &hal_cpus[0]);
	}
	random_init();
	atomic_store(&hal_cpus[0].online, 1);
}

_Noreturn void aarch64_secondary_main(struct hal_cpu *c)
{
	trap_init_cpu();
	pmu_init_cpu();
	intc->init_cpu(c);
	timer_init_cpu();
	atomic_store_explicit(&c->online, 1, memory_order_release);
	secondary_fn((int)c->head.id);
	boot_fail("cpu entry returned", NULL);
}

void hal_start_cpus(void (*entry)(int cpu))
{
	secondary_fn = entry;
	for (int i = 1; i < ncpu; i++) {
		struct hal_cpu *c = &hal_cpus[i];
		int err;
		if (c->enable_method == DT_ENABLE_SPIN_TABLE)
			err = spin_table_cpu_on(c->release_addr, (uintptr_t)secondary_entry);
		else
			err = psci_cpu_on(c->mpidr, (uintptr_t)secondary_entry,
					  (uintptr_t)c);
		if (err != 0) {
			failed_mask |= 1ull << i;
			start_error[i] = err;
			continue;
		}
		/*
		 * Wait for it, so cpus come up in order.  Real cpus answer in
		 * microseconds; under QEMU on a busy host a vCPU thread can
		 * wait for a host core for tens of milliseconds or more, so
		 * the limit is generous.  We sleep between looks (a 100 us
		 * timer wakes us) rather than spin: under QEMU -icount the
		 * vCPUs take turns, and a spinning cpu 0 would starve the
		 * cpu it waits for.
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
unsigned long hal_cpu_hwid(int cpu) { return hal_cpus[cpu].mpidr; }
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
	return console != NULL ? console->getc() : -1;
}

_Noreturn void hal_exit(int status)
{
	hal_irq_save();
	semihost_exit(status);
	psci_system_off();
	for (;;)
		__asm__ volatile("wfi");
}

/* RAM beyond what the identity map covers (mmu.c: up to the aliases)
 * is not offered. */
int hal_mem_ranges(struct hal_mem_range *out, int max)
{
	const uint64_t limit = MMU_ALIAS_BASE;
	int n = 0;
	for (int i = 0; i < hal_dt.nmem && n < max; i++) {
		uint64_t b = hal_dt.mem[i].base, e = b + hal_dt.mem[i].size;
		if (b >= limit)
			continue;
		out[n].base = (uintptr_t)b;
		out[n].size = (uintptr_t)((e > limit ? limit : e) - b);
		n++;
	}
	return n;
}

/*
 * Reserved: what the DT reserves, the DT blob, and the kernel image with
 * everything below it in its RAM bank (the boot protocol puts the image
 * text_offset bytes above the start of RAM; QEMU puts the blob there).
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
const char *hal_isa_string(void) { return isa; }

const char *hal_board_name(void)
{
	return hal_dt.model[0] ? hal_dt.model : "unknown aarch64 board";
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
	/* Only what hal_context_start reads; the other registers are
	 * loaded but mean nothing to the new context. */
	ctx->lr = (uint64_t)(uintptr_t)hal_context_start;
	ctx->sp = (uint64_t)(uintptr_t)stack_hi & ~15ull;
	ctx->fp = 0;                            /* ends backtraces */
	ctx->x19_28[0] = (uint64_t)(uintptr_t)fn;       /* x19 */
	ctx->x19_28[1] = (uint64_t)(uintptr_t)arg;      /* x20 */
}

_Noreturn void hal_context_returned(void (*fn)(void *))
{
	(void)fn;
	throw("hal_context_start: context function returned");
}
