/*
 * dt_test.c - hal/dt.c on well-formed blobs: real ones QEMU dumped
 * (`-machine virt,dumpdtb=FILE`, made by the Makefile) and hand-built ones
 * for what QEMU never emits (aliases, /memreserve/, odd cells), plus
 * dt_isa_has.
 *
 *     dt_test [-v] build/host/dtb/virt-4-1G.dtb ...
 *
 * A blob's file name says how QEMU was run: MACHINE-SMP-MEM[-noargs].dtb.
 * Without -noargs QEMU was given
 *     -append "gohart.smp=SMP mem=MEM test.run=^dt_ x=a=b flag"
 * (the Makefile's dtb rule), which must arrive in /chosen/bootargs.
 *
 * MACHINE is virt or sifive_u for qemu-system-riscv64, and
 * aarch64_virt[_gicv3][_el2][_secure] for qemu-system-aarch64 -cpu
 * cortex-a72 -machine virt[,gic-version=3][,virtualization=on][,secure=on].
 * The ARM blobs get their own checks (the "ARM virt" section): what
 * hal/aarch64/ reads out of them - the PL011, the GIC's version and
 * register frames, the timer's interrupts, the PSCI conduit, the cpus'
 * MPIDRs.  The addresses are QEMU's (hw/arm/virt.c, base_memmap).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dt.h"
#include "fdt_build.h"
#include "runtime/bootargs.h"

struct blob_case {
	char name[64];          /* file name without ".dtb" */
	char machine[32];       /* virt, sifive_u, aarch64_virt_gicv3, ... */
	int smp;
	char memstr[16];        /* as given to -m: "256M" */
	uint64_t mem;
	bool noargs;
	uint8_t *file;          /* the file as QEMU wrote it (padded) */
	size_t file_len;
	uint8_t *blob;          /* exactly totalsize bytes */
	size_t len;
};

#define MAXBLOBS 48
static struct blob_case blobs[MAXBLOBS];

/* ---- Loading ----------------------------------------------------------- */

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = n > 0 ? malloc((size_t)n) : NULL;
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = buf ? (size_t)n : 0;
	return buf;
}

/* "virt-4-1G" -> machine virt, 4 cpus, 1 GiB, bootargs given. */
static bool parse_blob_name(struct blob_case *bc, const char *path)
{
	const char *base = strrchr(path, '/');
	snprintf(bc->name, sizeof bc->name, "%s", base ? base + 1 : path);
	char *dot = strstr(bc->name, ".dtb");
	if (dot == NULL)
		return false;
	*dot = 0;
	unsigned long long m;
	char unit;
	int n = 0;
	if (sscanf(bc->name, "%31[^-]-%d-%llu%c%n", bc->machine, &bc->smp, &m,
		   &unit, &n) != 4 || (unit != 'M' && unit != 'G'))
		return false;
	bc->noargs = strcmp(bc->name + n, "-noargs") == 0;
	if (bc->name[n] != 0 && !bc->noargs)
		return false;
	snprintf(bc->memstr, sizeof bc->memstr, "%llu%c", m, unit);
	bc->mem = (uint64_t)m << (unit == 'M' ? 20 : 30);
	return true;
}

static bool load_blob(struct blob_case *bc, const char *path)
{
	if (!parse_blob_name(bc, path))
		return false;
	bc->file = read_file(path, &bc->file_len);
	if (bc->file == NULL || bc->file_len < FDT_H_SIZE)
		return false;
	bc->len = dt_total_size(bc->file);
	if (bc->len < FDT_H_SIZE || bc->len > bc->file_len)
		return false;
	bc->blob = malloc(bc->len);
	memcpy(bc->blob, bc->file, bc->len);
	return true;
}

static void expected_bootargs(const struct blob_case *bc, char *buf, size_t n)
{
	if (bc->noargs)
		snprintf(buf, n, "%s", "");
	else
		snprintf(buf, n, "gohart.smp=%d mem=%s test.run=^dt_ x=a=b flag",
			 bc->smp, bc->memstr);
}

static bool parse_ok(const void *blob, size_t len, struct dt_info *di)
{
	const char *err = "(not set)";
	int rc = dt_parse(blob, len, di, &err);
	EXPECTF(rc == 0 && err == NULL, "dt_parse = %d, err = %s", rc,
		err ? err : "NULL");
	return rc == 0;
}

static bool is_virt(const struct blob_case *bc)
{
	return strcmp(bc->machine, "virt") == 0;
}

/* ---- Real blobs -------------------------------------------------------- */

static void test_real_parse(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di, whole;
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	EXPECT_EQ(di.totalsize, bc->len);
	EXPECT_EQ(dt_total_size(bc->blob), bc->len);
	EXPECT_STREQ(di.model, is_virt(bc) ? "riscv-virtio,qemu"
					   : "SiFive HiFive Unleashed A00");
	/* The padded file, with maxlen past totalsize, parses the same. */
	if (parse_ok(bc->file, bc->file_len, &whole))
		EXPECT(memcmp(&di, &whole, sizeof di) == 0);
	EXPECT(di.rng_seed_len <= DT_RNGMAX);
	t_logf("totalsize %zu, isa %s, rng-seed %zu bytes", bc->len, di.isa,
	       di.rng_seed_len);
}

static void test_real_cpus(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di;
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	int want = bc->smp < CONFIG_MAXCPU ? bc->smp : CONFIG_MAXCPU;
	EXPECT_EQ(di.ncpu, want);
	EXPECT_EQ(di.ncpu_ignored, bc->smp - want);
	for (int i = 0; i < di.ncpu && i < CONFIG_MAXCPU; i++) {
		EXPECTF(di.cpu[i].hwid == (uint64_t)i, "cpu[%d].hwid = %llu", i,
			(unsigned long long)di.cpu[i].hwid);
		EXPECTF(di.cpu[i].okay, "cpu[%d] not okay", i);
		EXPECTF(di.cpu[i].intc_phandle != 0, "cpu[%d] has no intc", i);
		for (int j = 0; j < i; j++)
			EXPECTF(di.cpu[i].intc_phandle != di.cpu[j].intc_phandle,
				"cpu[%d] and cpu[%d] share intc phandle %u", i, j,
				di.cpu[i].intc_phandle);
	}
	EXPECT_EQ(di.timebase, is_virt(bc) ? 10000000 : 1000000);
}

static void test_real_memory(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di;
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	EXPECT_EQ(di.nmem, 1);
	EXPECT_EQ(di.mem[0].base, 0x80000000);
	EXPECT_EQ(di.mem[0].size, bc->mem);
	EXPECT_EQ(di.nresv, 0);
}

static void test_real_devices(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di;
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	if (!is_virt(bc)) {
		/* sifive,uart0 is not a UART dt.c knows; no test device. */
		EXPECT_EQ(di.uart.kind, DT_UART_NONE);
		EXPECT(!di.finisher.present);
		return;
	}
	EXPECT_EQ(di.uart.kind, DT_UART_NS16550);
	EXPECT_EQ(di.uart.base, 0x10000000);
	EXPECT_EQ(di.uart.irq, 10);
	EXPECT_EQ(di.uart.reg_shift, 0);
	EXPECT_EQ(di.uart.reg_io_width, 1);
	EXPECT_EQ(di.uart.clock, 3686400);
	EXPECT(di.finisher.present);
	EXPECT_EQ(di.finisher.base, 0x100000);
}

/*
 * PLIC contexts in interrupts-extended order.  virt: each hart has an
 * M-mode (irq 11) and an S-mode (irq 9) context.  sifive_u: hart 0 (the
 * E51 monitor core) has only M-mode, the others both.
 */
static void test_real_plic(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di;
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	EXPECT(di.plic.present);
	EXPECT_EQ(di.plic.base, 0xc000000);
	EXPECT_EQ(di.plic.ndev, is_virt(bc) ? 96 : 53);
	int k = 0;
	for (int i = 0; i < bc->smp && k < DT_MAXPLICCTX; i++) {
		uint32_t ph = i < di.ncpu ? di.cpu[i].intc_phandle : 0;
		int n = !is_virt(bc) && i == 0 ? 1 : 2;
		for (int j = 0; j < n && k < di.plic.nctx; j++, k++) {
			EXPECTF(di.plic.ctx_irq[k] == (j == 0 ? 11u : 9u),
				"ctx %d irq %u", k, di.plic.ctx_irq[k]);
			if (ph != 0)
				EXPECTF(di.plic.ctx_phandle[k] == ph,
					"ctx %d phandle %u, cpu %d intc %u", k,
					di.plic.ctx_phandle[k], i, ph);
		}
	}
	int want = is_virt(bc) ? 2 * bc->smp : 2 * bc->smp - 1;
	EXPECT_EQ(di.plic.nctx, want < DT_MAXPLICCTX ? want : DT_MAXPLICCTX);
}

static void test_real_isa(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di;
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	EXPECTF(strncmp(di.isa, "rv64i", 5) == 0, "isa %s", di.isa);
	EXPECTF(dt_isa_has(di.isa, "sstc") == is_virt(bc), "isa %s", di.isa);
	EXPECTF(dt_isa_has(di.isa, "zicsr"), "isa %s", di.isa);
	EXPECTF(!dt_isa_has(di.isa, "zzz"), "isa %s", di.isa);
}

/* /chosen/bootargs arrives intact and splits as the runtime expects. */
static void test_real_bootargs(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di;
	char want[CONFIG_DT_STRMAX];
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	expected_bootargs(bc, want, sizeof want);
	EXPECT_STREQ(di.bootargs, want);
	if (bc->noargs)
		return;
	bootargs_init(di.bootargs);
	EXPECT_EQ(bootarg_int("gohart.smp", -1), bc->smp);
	EXPECT_EQ(bootarg_int("mem", -1), bc->mem);
	EXPECT_STREQ(bootarg("test.run"), "^dt_");
	EXPECT_STREQ(bootarg("x"), "a=b");
	EXPECT_STREQ(bootarg("flag"), "");
}

/* ---- Real blobs: ARM virt --------------------------------------------- */

static bool is_arm(const struct blob_case *bc)
{
	return strncmp(bc->machine, "aarch64_", 8) == 0;
}

/* Was QEMU given variant v ("gicv3", "el2", "secure")? */
static bool has_variant(const struct blob_case *bc, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = strchr(bc->machine, '_'); p; p = strchr(p, '_')) {
		p++;
		if (strncmp(p, v, n) == 0 && (p[n] == 0 || p[n] == '_'))
			return true;
	}
	return false;
}

/*
 * The MPIDR affinity QEMU gives cpu i (virt_cpu_mp_affinity): clusters of
 * 16 cpus on GICv3 (its SGI target list is 16 bits), of 8 on GICv2 (which
 * has 8 target bits, and virt allows no more than 8 cpus with it); Aff0 =
 * the cpu within its cluster, Aff1 = the cluster.  The DT cpu node's reg
 * is that affinity.
 */
static uint64_t arm_mpidr(const struct blob_case *bc, int i)
{
	int per_cluster = has_variant(bc, "gicv3") ? 16 : 8;
	return (uint64_t)(i / per_cluster) << 8 | (uint64_t)(i % per_cluster);
}

static void test_arm_parse(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di, whole;
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	EXPECT_EQ(di.totalsize, bc->len);
	EXPECT_EQ(dt_total_size(bc->blob), bc->len);
	EXPECT_STREQ(di.model, "linux,dummy-virt");
	if (parse_ok(bc->file, bc->file_len, &whole))
		EXPECT(memcmp(&di, &whole, sizeof di) == 0);
	EXPECT(di.rng_seed_len <= DT_RNGMAX);
	/* No riscv,isa and no timebase-frequency: the ARM timer's
	 * frequency is CNTFRQ_EL0 (hal/aarch64/timer.c). */
	EXPECT_STREQ(di.isa, "");
	EXPECT_EQ(di.timebase, 0);
	/* Nothing RISC-V. */
	EXPECT(!di.plic.present);
	EXPECT(!di.finisher.present);
	t_logf("totalsize %zu, rng-seed %zu bytes", bc->len, di.rng_seed_len);
}

static void test_arm_cpus(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di;
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	int want = bc->smp < CONFIG_MAXCPU ? bc->smp : CONFIG_MAXCPU;
	EXPECT_EQ(di.ncpu, want);
	EXPECT_EQ(di.ncpu_ignored, bc->smp - want);
	for (int i = 0; i < di.ncpu && i < CONFIG_MAXCPU; i++) {
		EXPECTF(di.cpu[i].hwid == arm_mpidr(bc, i),
			"cpu[%d].hwid = %#llx, want MPIDR %#llx", i,
			(unsigned long long)di.cpu[i].hwid,
			(unsigned long long)arm_mpidr(bc, i));
		EXPECTF(di.cpu[i].okay, "cpu[%d] not okay", i);
		/* ARM cpu nodes have no interrupt-controller child. */
		EXPECTF(di.cpu[i].intc_phandle == 0, "cpu[%d] intc %u", i,
			di.cpu[i].intc_phandle);
	}
	if (di.ncpu > 0)
		t_logf("last cpu listed: MPIDR %#llx",
		       (unsigned long long)di.cpu[di.ncpu - 1].hwid);
}

/* RAM starts at 1 GiB on ARM virt (the flash and devices are below). */
static void test_arm_memory(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di;
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	EXPECT_EQ(di.nmem, 1);
	EXPECT_EQ(di.mem[0].base, 0x40000000);
	EXPECT_EQ(di.mem[0].size, bc->mem);
	EXPECT_EQ(di.nresv, 0);
}

/*
 * The console: the PL011 at 0x9000000, interrupts = <0 1 4>: an SPI (type
 * 0), number 1 (INTID 32 + 1 = 33), level-high (4), decoded by
 * gic_irq_from_dt in hal/aarch64/gic.c.  uart.irq is only the first cell,
 * here the type.  No clock-frequency (a clocks phandle instead), no
 * reg-shift: the defaults.  With secure=on QEMU adds a second PL011 at
 * 0x9040000 for the secure world, status "disabled" to us; it must not be
 * picked.
 */
static void test_arm_uart(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di;
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	EXPECT_EQ(di.uart.kind, DT_UART_PL011);
	EXPECT_EQ(di.uart.base, 0x9000000);
	EXPECT_EQ(di.uart.nintr, 3);
	EXPECT_EQ(di.uart.intr[0], 0);
	EXPECT_EQ(di.uart.intr[1], 1);
	EXPECT_EQ(di.uart.intr[2], 4);
	EXPECT_EQ(di.uart.irq, di.uart.intr[0]);
	EXPECT_EQ(di.uart.reg_shift, 0);
	EXPECT_EQ(di.uart.reg_io_width, 1);
	EXPECT_EQ(di.uart.clock, 0);
}

/*
 * The GIC's register frames, in reg order.  v2 (arm,cortex-a15-gic):
 * distributor, cpu interface, and with virtualization=on the hypervisor
 * control and virtual cpu interfaces.  v3 (arm,gic-v3): distributor,
 * redistributors (0x20000 bytes per cpu: room for 123), and past 123 cpus
 * a second redistributor region above 4 GiB (hal/aarch64/gic.c searches
 * only the first; CONFIG_MAXCPU is below 123).
 */
static void test_arm_gic(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di;
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	static const struct dt_range v2[] = {
		{ 0x8000000, 0x10000 }, { 0x8010000, 0x10000 },
		{ 0x8030000, 0x10000 }, { 0x8040000, 0x10000 },
	};
	static const struct dt_range v3[] = {
		{ 0x8000000, 0x10000 }, { 0x80a0000, 0xf60000 },
		{ 0x4000000000, 0x4000000 },
	};
	const struct dt_range *want;
	int nwant;
	if (has_variant(bc, "gicv3")) {
		EXPECT_EQ(di.gic.version, 3);
		want = v3;
		nwant = bc->smp > 123 ? 3 : 2;
	} else {
		EXPECT_EQ(di.gic.version, 2);
		want = v2;
		nwant = has_variant(bc, "el2") ? 4 : 2;
	}
	EXPECT_EQ(di.gic.nreg, nwant);
	for (int i = 0; i < di.gic.nreg && i < nwant; i++) {
		EXPECTF(di.gic.reg[i].base == want[i].base &&
			di.gic.reg[i].size == want[i].size,
			"gic reg[%d] = %#llx+%#llx, want %#llx+%#llx", i,
			(unsigned long long)di.gic.reg[i].base,
			(unsigned long long)di.gic.reg[i].size,
			(unsigned long long)want[i].base,
			(unsigned long long)want[i].size);
	}
}

/*
 * The generic timer's four PPIs, <type number flags> each (type 1 = PPI,
 * INTID 16 + number): secure physical 13, non-secure physical 14, virtual
 * 11 (INTID 27: the one hal/aarch64/timer.c uses), hypervisor 10.  Flags:
 * level-high (4); on GICv2 also a mask of the cpus the PPI is wired to,
 * bits 8-15.
 */
static void test_arm_timer(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di;
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	uint32_t flags = 4;
	if (!has_variant(bc, "gicv3"))
		flags |= ((1u << bc->smp) - 1) << 8;
	const uint32_t want[12] = {
		1, 13, flags, 1, 14, flags, 1, 11, flags, 1, 10, flags,
	};
	EXPECT(di.armtimer.present);
	EXPECT_EQ(di.armtimer.nintr, 12);
	for (uint32_t i = 0; i < di.armtimer.nintr && i < 12; i++)
		EXPECTF(di.armtimer.intr[i] == want[i], "timer cell %u = %#x, "
			"want %#x", i, di.armtimer.intr[i], want[i]);
}

/*
 * PSCI: QEMU itself answers PSCI calls when it runs no firmware.  Plain
 * virt enters the kernel at EL1 and takes the calls as if from EL2: hvc.
 * With virtualization=on the kernel owns EL2, so they go "to EL3": smc.
 * With secure=on, /psci (hvc) is there only when QEMU is given a -kernel;
 * without one it expects firmware at EL3 to provide PSCI and writes no
 * /psci node (the -noargs dump).
 */
static void test_arm_psci(const void *arg)
{
	const struct blob_case *bc = arg;
	struct dt_info di;
	if (!parse_ok(bc->blob, bc->len, &di))
		return;
	enum dt_psci_method want = DT_PSCI_HVC;
	if (has_variant(bc, "secure"))
		want = bc->noargs ? DT_PSCI_NONE : DT_PSCI_HVC;
	else if (has_variant(bc, "el2"))
		want = DT_PSCI_SMC;
	EXPECT_EQ(di.psci.method, want);
}

static void run_blob(struct blob_case *bc)
{
	static const struct {
		const char *what;
		void (*fn)(const void *);
	} tests[] = {
		{ "parse", test_real_parse },     { "cpus", test_real_cpus },
		{ "memory", test_real_memory },   { "devices", test_real_devices },
		{ "plic", test_real_plic },       { "isa", test_real_isa },
		{ "bootargs", test_real_bootargs },
	};
	static const struct {
		const char *what;
		void (*fn)(const void *);
	} arm_tests[] = {
		{ "parse", test_arm_parse },
		{ "cpus", test_arm_cpus },
		{ "memory", test_arm_memory },
		{ "uart", test_arm_uart },
		{ "gic", test_arm_gic },
		{ "timer", test_arm_timer },
		{ "psci", test_arm_psci },
		{ "bootargs", test_real_bootargs },
	};
	char name[128];
	if (is_arm(bc)) {
		size_t n = sizeof arm_tests / sizeof arm_tests[0];
		for (size_t i = 0; i < n; i++) {
			snprintf(name, sizeof name, "qemu/%s/%s", bc->name,
				 arm_tests[i].what);
			t_run_arg(name, arm_tests[i].fn, bc);
		}
		return;
	}
	for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
		snprintf(name, sizeof name, "qemu/%s/%s", bc->name, tests[i].what);
		t_run_arg(name, tests[i].fn, bc);
	}
}

static void test_bad_blob_name(const void *arg)
{
	EXPECTF(false, "cannot load %s (want MACHINE-SMP-MEM[-noargs].dtb)",
		(const char *)arg);
}

/* ---- Hand-built blobs -------------------------------------------------- */

static void build_cpus(struct fdt_build *fb)
{
	fdt_build_begin(fb, "cpus");
	fdt_build_cells(fb, "#address-cells", 1, 1);
	fdt_build_cells(fb, "#size-cells", 1, 0);
	fdt_build_cells(fb, "timebase-frequency", 1, 4000000);
	fdt_build_begin(fb, "cpu@0");
	fdt_build_str(fb, "device_type", "cpu");
	fdt_build_cells(fb, "reg", 1, 0);
	fdt_build_str(fb, "riscv,isa", "rv64imac_zicsr_zifencei");
	fdt_build_begin(fb, "interrupt-controller");
	fdt_build_cells(fb, "phandle", 1, 7);
	fdt_build_end(fb);
	fdt_build_end(fb);
	fdt_build_begin(fb, "cpu@5");
	fdt_build_str(fb, "device_type", "cpu");
	fdt_build_cells(fb, "reg", 1, 5);
	fdt_build_str(fb, "status", "disabled");
	fdt_build_begin(fb, "interrupt-controller");
	fdt_build_cells(fb, "phandle", 1, 8);
	fdt_build_end(fb);
	fdt_build_end(fb);
	fdt_build_end(fb);
}

static void build_uart(struct fdt_build *fb, const char *name,
		       const char *compat, uint32_t base, uint32_t irq,
		       bool disabled)
{
	fdt_build_begin(fb, name);
	fdt_build_str(fb, "compatible", compat);
	fdt_build_cells(fb, "reg", 2, base, 0x100);
	fdt_build_cells(fb, "interrupts", 1, irq);
	if (disabled)
		fdt_build_str(fb, "status", "disabled");
	if (strcmp(compat, "snps,dw-apb-uart") == 0) {
		fdt_build_cells(fb, "reg-shift", 1, 2);
		fdt_build_cells(fb, "reg-io-width", 1, 4);
		fdt_build_cells(fb, "clock-frequency", 1, 24000000);
	}
	fdt_build_end(fb);
}

/* /soc with 32-bit cells: three UARTs, a finisher, a PLIC. */
static void build_soc(struct fdt_build *fb)
{
	fdt_build_begin(fb, "soc");
	fdt_build_cells(fb, "#address-cells", 1, 1);
	fdt_build_cells(fb, "#size-cells", 1, 1);
	build_uart(fb, "uart@1000", "ns16550a", 0x1000, 3, false);
	build_uart(fb, "uart@2000", "snps,dw-apb-uart", 0x2000, 4, false);
	build_uart(fb, "uart@3000", "ns16550a", 0x3000, 5, true);
	fdt_build_begin(fb, "test@4000");
	fdt_build_prop(fb, "compatible", "sifive,test1\0sifive,test0", 26);
	fdt_build_cells(fb, "reg", 2, 0x4000, 0x1000);
	fdt_build_end(fb);
	fdt_build_begin(fb, "plic@c000000");
	fdt_build_str(fb, "compatible", "riscv,plic0");
	fdt_build_cells(fb, "reg", 2, 0xc000000, 0x4000000);
	fdt_build_cells(fb, "riscv,ndev", 1, 31);
	fdt_build_cells(fb, "interrupts-extended", 8, 7, 11, 7, 9, 8, 11, 8, 9);
	fdt_build_end(fb);
	fdt_build_end(fb);
}

/* A whole board; stdout (may be NULL) goes in /chosen/stdout-path. */
static uint8_t *build_board(const char *stdout_path, bool nops, size_t *len)
{
	static struct fdt_build fb;
	uint8_t seed[100];
	for (int i = 0; i < 100; i++)
		seed[i] = (uint8_t)(i * 7 + 1);
	fdt_build_init(&fb);
	fdt_build_reserve(&fb, 0x80000000, 0x20000);
	fdt_build_reserve(&fb, 0x87000000, 0x1000);
	fdt_build_begin(&fb, "");
	fdt_build_cells(&fb, "#address-cells", 1, 2);
	fdt_build_cells(&fb, "#size-cells", 1, 2);
	fdt_build_str(&fb, "model", "hand-built board");
	if (nops)
		fdt_build_u32(&fb, FDT_T_NOP);
	fdt_build_begin(&fb, "chosen");
	if (stdout_path)
		fdt_build_str(&fb, "stdout-path", stdout_path);
	fdt_build_str(&fb, "bootargs", "maxprocs=2 test.run=x");
	fdt_build_prop(&fb, "rng-seed", seed, sizeof seed);
	fdt_build_end(&fb);
	fdt_build_begin(&fb, "aliases");
	fdt_build_str(&fb, "serial0", "/soc/uart@1000");
	fdt_build_str(&fb, "serial1", "/soc/uart@2000");
	fdt_build_end(&fb);
	build_cpus(&fb);
	if (nops)
		fdt_build_u32(&fb, FDT_T_NOP);
	fdt_build_begin(&fb, "memory@80000000");
	fdt_build_str(&fb, "device_type", "memory");
	fdt_build_cells(&fb, "reg", 8, 0, 0x80000000, 0, 0x1000000, 0,
			0x90000000, 0, 0x2000000);
	fdt_build_end(&fb);
	fdt_build_begin(&fb, "reserved-memory");
	fdt_build_cells(&fb, "#address-cells", 1, 2);
	fdt_build_cells(&fb, "#size-cells", 1, 2);
	fdt_build_begin(&fb, "firmware@80000000");
	fdt_build_cells(&fb, "reg", 4, 0, 0x80000000, 0, 0x40000);
	fdt_build_end(&fb);
	fdt_build_end(&fb);
	build_soc(&fb);
	fdt_build_end(&fb);
	fdt_build_u32(&fb, FDT_T_END);
	return fdt_build_finish(&fb, len);
}

static void test_board(const void *arg)
{
	bool nops = arg != NULL;
	size_t len;
	uint8_t *b = build_board("serial1:115200n8", nops, &len);
	struct dt_info di;
	if (parse_ok(b, len, &di)) {
		EXPECT_STREQ(di.model, "hand-built board");
		EXPECT_EQ(di.ncpu, 2);
		EXPECT_EQ(di.cpu[0].hwid, 0);
		EXPECT(di.cpu[0].okay);
		EXPECT_EQ(di.cpu[0].intc_phandle, 7);
		EXPECT_EQ(di.cpu[1].hwid, 5);
		EXPECT(!di.cpu[1].okay);
		EXPECT_EQ(di.cpu[1].intc_phandle, 8);
		EXPECT_STREQ(di.isa, "rv64imac_zicsr_zifencei");
		EXPECT_EQ(di.timebase, 4000000);
		EXPECT_EQ(di.nmem, 2);
		EXPECT_EQ(di.mem[0].base, 0x80000000);
		EXPECT_EQ(di.mem[0].size, 0x1000000);
		EXPECT_EQ(di.mem[1].base, 0x90000000);
		EXPECT_EQ(di.mem[1].size, 0x2000000);
		EXPECT_STREQ(di.bootargs, "maxprocs=2 test.run=x");
		EXPECT_EQ(di.rng_seed_len, DT_RNGMAX);
		EXPECT(di.rng_seed[0] == 1 && di.rng_seed[DT_RNGMAX - 1] ==
		       (uint8_t)((DT_RNGMAX - 1) * 7 + 1));
	}
	free(b);
}

/* /memreserve/ entries come first, then /reserved-memory children. */
static void test_board_reserved(void)
{
	size_t len;
	uint8_t *b = build_board(NULL, false, &len);
	struct dt_info di;
	if (parse_ok(b, len, &di)) {
		EXPECT_EQ(di.nresv, 3);
		EXPECT_EQ(di.resv[0].base, 0x80000000);
		EXPECT_EQ(di.resv[0].size, 0x20000);
		EXPECT_EQ(di.resv[1].base, 0x87000000);
		EXPECT_EQ(di.resv[1].size, 0x1000);
		EXPECT_EQ(di.resv[2].base, 0x80000000);
		EXPECT_EQ(di.resv[2].size, 0x40000);
	}
	free(b);
}

static void test_board_devices(void)
{
	size_t len;
	uint8_t *b = build_board("serial1:115200n8", false, &len);
	struct dt_info di;
	if (parse_ok(b, len, &di)) {
		EXPECT(di.finisher.present);
		EXPECT_EQ(di.finisher.base, 0x4000);
		EXPECT(di.plic.present);
		EXPECT_EQ(di.plic.base, 0xc000000);
		EXPECT_EQ(di.plic.ndev, 31);
		EXPECT_EQ(di.plic.nctx, 4);
		EXPECT(di.plic.ctx_phandle[2] == 8 && di.plic.ctx_irq[2] == 11);
		EXPECT(di.plic.ctx_phandle[3] == 8 && di.plic.ctx_irq[3] == 9);
	}
	free(b);
}

struct uart_case {
	const char *stdout_path;        /* NULL: no stdout-path */
	uint64_t base;
	uint32_t irq, reg_shift, io_width;
};

static const struct uart_case uart_cases[] = {
	{ "serial1:115200n8", 0x2000, 4, 2, 4 },        /* alias, options */
	{ "serial0", 0x1000, 3, 0, 1 },                  /* alias */
	{ "/soc/uart@2000", 0x2000, 4, 2, 4 },          /* full path */
	{ "/soc/uart@1000:9600", 0x1000, 3, 0, 1 },
	{ NULL, 0x1000, 3, 0, 1 },                       /* first enabled */
	{ "serial9", 0x1000, 3, 0, 1 },                  /* unknown alias */
	{ "/soc/uart@3000", 0x1000, 3, 0, 1 },          /* disabled one */
};

static void test_board_uart(const void *arg)
{
	const struct uart_case *uc = arg;
	size_t len;
	uint8_t *b = build_board(uc->stdout_path, false, &len);
	struct dt_info di;
	if (parse_ok(b, len, &di)) {
		EXPECT_EQ(di.uart.kind, DT_UART_NS16550);
		EXPECT_EQ(di.uart.base, uc->base);
		EXPECT_EQ(di.uart.irq, uc->irq);
		EXPECT_EQ(di.uart.reg_shift, uc->reg_shift);
		EXPECT_EQ(di.uart.reg_io_width, uc->io_width);
		EXPECT_EQ(di.uart.clock, uc->base == 0x2000 ? 24000000 : 0);
	}
	free(b);
}

/* Strings longer than their dt_info arrays are cut, NUL-terminated. */
static void test_long_strings(void)
{
	static struct fdt_build fb;
	char s[400];
	memset(s, 'a', sizeof s - 1);
	s[sizeof s - 1] = 0;
	fdt_build_init(&fb);
	fdt_build_begin(&fb, "");
	fdt_build_str(&fb, "model", s);
	fdt_build_begin(&fb, "chosen");
	fdt_build_str(&fb, "bootargs", s);
	fdt_build_end(&fb);
	fdt_build_end(&fb);
	fdt_build_u32(&fb, FDT_T_END);
	size_t len;
	uint8_t *b = fdt_build_finish(&fb, &len);
	struct dt_info di;
	if (parse_ok(b, len, &di)) {
		EXPECT_EQ(strlen(di.model), sizeof di.model - 1);
		EXPECT_EQ(strlen(di.bootargs), sizeof di.bootargs - 1);
		EXPECT_EQ(di.ncpu, 0);
		EXPECT_EQ(di.uart.kind, DT_UART_NONE);
	}
	free(b);
}

/* ---- dt_isa_has -------------------------------------------------------- */

struct isa_case {
	const char *isa, *ext;
	bool want;
};

static const struct isa_case isa_cases[] = {
	{ "rv64imafdc_zicsr_sstc", "sstc", true },
	{ "rv64imafdc_sstcx", "sstc", false },
	{ "rv64imafdc_sstc_zicsr", "sstc", true },
	{ "rv64imafdc_xsstc", "sstc", false },
	{ "rv64imafdc_zicsr", "zics", false },
	{ "rv64imafdc_zicsr", "zicsr", true },
	{ "rv64imafdc", "sstc", false },
	{ "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc", "zbb",
	  true },
	{ "", "sstc", false },
	{ "rv64imafdc_", "sstc", false },
	{ "rv64imafdc__sstc", "sstc", true },
};

static void test_isa_table(void)
{
	for (size_t i = 0; i < sizeof isa_cases / sizeof isa_cases[0]; i++) {
		const struct isa_case *c = &isa_cases[i];
		bool got = dt_isa_has(c->isa, c->ext);
		EXPECTF(got == c->want, "dt_isa_has(\"%s\", \"%s\") = %d, want %d",
			c->isa, c->ext, got, c->want);
	}
}

int main(int argc, char **argv)
{
	int nblobs = 0;
	t_init(&argc, argv);
	for (int i = 1; i < argc; i++) {
		if (nblobs < MAXBLOBS && load_blob(&blobs[nblobs], argv[i]))
			run_blob(&blobs[nblobs++]);
		else
			t_run_arg("qemu/load", test_bad_blob_name, argv[i]);
	}
	if (nblobs == 0)
		t_run_arg("qemu/load", test_bad_blob_name, "(no blob given)");

	t_run_arg("board/parse", test_board, NULL);
	t_run_arg("board/nops", test_board, "nops");
	t_run("board/reserved", test_board_reserved);
	t_run("board/devices", test_board_devices);
	for (size_t i = 0; i < sizeof uart_cases / sizeof uart_cases[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "board/uart/%s",
			 uart_cases[i].stdout_path ? uart_cases[i].stdout_path
						   : "none");
		t_run_arg(name, test_board_uart, &uart_cases[i]);
	}
	t_run("board/long_strings", test_long_strings);
	t_run("isa_has", test_isa_table);

	for (int i = 0; i < nblobs; i++) {
		free(blobs[i].file);
		free(blobs[i].blob);
	}
	return t_finish("dt_test");
}
