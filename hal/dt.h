/*
 * dt.h - what gohart needs to know from a flattened device tree.
 *
 * dt_parse() reads a DTB (the blob the firmware hands the kernel) once, at
 * boot, and fills a struct dt_info with plain numbers: no pointers into the
 * blob survive the call.  It is pure code (no hardware access), so the
 * host tests run it under AddressSanitizer against real and corrupted
 * blobs.  See hal/dt.c for the format and the validation rules.
 */
#ifndef GOHART_DT_H
#define GOHART_DT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define DT_MAXMEM 16
#define DT_MAXRESV 32
#define DT_MAXPLICCTX (4 * CONFIG_MAXCPU)
#define DT_RNGMAX 64
#define DT_MAXINTR 12           /* interrupt cells kept per device */
#define DT_MAXGICREG 4

struct dt_range {
	uint64_t base;
	uint64_t size;
};

/* How an ARM cpu is started (its enable-method): PSCI CPU_ON, or a
 * spin table (the firmware parks it polling cpu-release-addr). */
enum dt_enable_method { DT_ENABLE_NONE, DT_ENABLE_PSCI, DT_ENABLE_SPIN_TABLE };

struct dt_cpu {
	uint64_t hwid;          /* reg: RISC-V hartid / ARM MPIDR affinity */
	uint32_t intc_phandle;  /* phandle of its interrupt-controller child */
	bool okay;              /* status absent or "okay" */
	enum dt_enable_method enable_method;
	uint64_t release_addr;  /* cpu-release-addr (spin-table), 0: none */
};

enum dt_uart_kind { DT_UART_NONE, DT_UART_NS16550, DT_UART_PL011 };

/* How PSCI firmware is called (/psci method): hvc or smc. */
enum dt_psci_method { DT_PSCI_NONE, DT_PSCI_HVC, DT_PSCI_SMC };

struct dt_info {
	uint32_t totalsize;             /* bytes of the blob itself */
	char model[64];

	int ncpu;                       /* cpus listed under /cpus */
	struct dt_cpu cpu[CONFIG_MAXCPU];
	int ncpu_ignored;               /* listed beyond CONFIG_MAXCPU */
	char isa[CONFIG_DT_STRMAX];     /* riscv,isa of the first cpu */
	uint64_t timebase;              /* timebase-frequency, Hz */

	int nmem;
	struct dt_range mem[DT_MAXMEM];
	int nresv;                      /* /memreserve/ + /reserved-memory */
	struct dt_range resv[DT_MAXRESV];

	char bootargs[CONFIG_DT_STRMAX];
	uint8_t rng_seed[DT_RNGMAX];
	size_t rng_seed_len;

	struct {
		enum dt_uart_kind kind;
		uint64_t base;
		uint32_t reg_shift;     /* register stride = 1 << reg_shift */
		uint32_t reg_io_width;  /* 1 or 4 bytes per access */
		uint32_t irq;           /* first interrupts cell, 0: none */
		uint64_t clock;
		/* The whole interrupts property, for controllers whose
		 * specifier has several cells (the GIC's: type, number,
		 * flags); the arch decodes it. */
		uint32_t intr[DT_MAXINTR];
		uint32_t nintr;
		uint32_t intr_parent;   /* phandle of its interrupt parent, 0: none */
	} uart;

	struct {
		bool present;
		uint64_t base;
		uint32_t ndev;
		int nctx;               /* one per interrupts-extended pair */
		uint32_t ctx_phandle[DT_MAXPLICCTX];
		uint32_t ctx_irq[DT_MAXPLICCTX]; /* 9 = S-mode external, 11 = M */
	} plic;

	struct {
		bool present;
		uint64_t base;
	} finisher;                     /* sifive,test0: exit with a code */

	/* ARM: the Generic Interrupt Controller, v2 (arm,cortex-a15-gic,
	 * arm,gic-400) or v3 (arm,gic-v3).  reg: v2 distributor, cpu
	 * interface, ...; v3 distributor, redistributor region(s), ... */
	struct {
		int version;            /* 0: none */
		int nreg;
		struct dt_range reg[DT_MAXGICREG];
	} gic;

	/* ARM: the generic timer (arm,armv7-timer / arm,armv8-timer); intr
	 * holds its interrupts: secure phys, phys, virtual, hyp. */
	struct {
		bool present;
		uint32_t intr[DT_MAXINTR];
		uint32_t nintr;
		uint32_t intr_parent;   /* phandle of its interrupt parent */
	} armtimer;

	/* ARM: the Raspberry Pi 2/3 interrupt controllers, in place of a GIC:
	 * the BCM2836 per-core one (brcm,bcm2836-l1-intc: timers, mailboxes)
	 * and the BCM2835 VideoCore one behind it (brcm,bcm2835-armctrl-ic,
	 * brcm,bcm2836-armctrl-ic: the peripherals).  Addresses are cpu
	 * physical addresses (bus ranges applied). */
	struct {
		bool present;           /* both found */
		struct dt_range local, armctrl;
		uint32_t local_phandle, armctrl_phandle;
	} bcm_intc;

	/* ARM: PSCI firmware (arm,psci*), its conduit from `method`. */
	struct {
		enum dt_psci_method method;
	} psci;
};

/*
 * dt_parse: parse the blob at `blob`, of which at most `maxlen` bytes may be
 * read.  Returns 0 and fills *out, or -1 with *err naming the first problem
 * found (bad magic, truncated, offsets out of range, bad nesting, ...).
 * Never reads outside [blob, blob + min(maxlen, totalsize)).
 */
int dt_parse(const void *blob, size_t maxlen, struct dt_info *out,
	     const char **err);

/* dt_total_size: the header's totalsize, or 0 when the magic is wrong. */
uint32_t dt_total_size(const void *blob);

/* dt_isa_has: does the RISC-V ISA string list extension `ext` (e.g. "sstc")? */
bool dt_isa_has(const char *isa, const char *ext);

#endif
