/*
 * dt.c - a small, paranoid flattened-device-tree parser.
 *
 * The firmware (OpenSBI, U-Boot, QEMU) describes the board in a DTB: a
 * header, a memory-reservation map, a structure block of tokens and a
 * strings block of property names.  Everything board-specific in gohart -
 * RAM, reserved RAM, the cpus, the timer frequency, the UART, the interrupt
 * controller (PLIC, GIC), the exit device, PSCI, the command line - comes
 * from here.
 *
 * Format (Devicetree Specification v0.4, chapter 5):
 *
 *   header      magic 0xd00dfeed, totalsize, off_dt_struct, off_dt_strings,
 *               off_mem_rsvmap, version, last_comp_version, boot_cpuid,
 *               size_dt_strings, size_dt_struct (all big-endian u32)
 *   rsvmap      (address, size) u64 pairs ending with (0, 0)
 *   structure   BEGIN_NODE name\0 pad | PROP len nameoff value pad |
 *               END_NODE | NOP | END, every token 4-byte aligned
 *   strings     NUL-terminated property names
 *
 * Algorithm: one pass over the structure block with a stack of open nodes.
 * A node's properties come before its children, but the ones we need can
 * come in any order, so each open node keeps the properties we care about
 * (pointers into the blob) and is interpreted when its END_NODE arrives,
 * with its parent's #address-cells/#size-cells.  The UART named by
 * /chosen/stdout-path is resolved after the walk (it may be an alias).
 *
 * Addresses: a reg is in its parent bus's address space; each ancestor's
 * `ranges` (child address, parent address, size) maps it one level up,
 * so every address we report is a cpu physical address.  The Raspberry
 * Pi's peripherals, say, sit at bus address 0x7e000000, which the /soc
 * node's ranges puts at 0x3f000000.  A bus without ranges, or with an
 * empty one, maps addresses unchanged.  A device's interrupts are
 * decoded by its interrupt parent (interrupt-parent, inherited from the
 * nearest ancestor that has one), whose phandle we record beside them.
 *
 * Invariants (each enforced where it could break):
 *   1. Every read is inside [blob, blob + limit) where limit =
 *      min(maxlen, totalsize): the header is checked before anything else,
 *      and every token, name and value length is checked before use.
 *   2. Nesting is bounded (DT_MAXDEPTH) and balanced: END without all nodes
 *      closed, or END_NODE with none open, is an error.
 *   3. No pointer into the blob survives dt_parse: strings are copied,
 *      bounded and NUL-terminated.
 *
 * Linux: drivers/of/fdt.c does the same job with libfdt; we need far less.
 */
#include "dt.h"

#include <string.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

#define DT_MAXDEPTH 16
#define DT_MAXUARTS 8
#define DT_PATHMAX 128

struct prop {
	const uint8_t *v;
	uint32_t len;
};

/* The properties of one open node that we may need. */
struct node {
	const char *name;
	uint32_t addr_cells, size_cells;        /* for its children */
	struct prop reg, compatible, status, device_type, phandle, interrupts,
		ndev, ints_ext, isa, timebase, reg_shift, reg_io_width, clock,
		method, ranges, enable_method, release_addr;
	uint32_t intr_parent;                   /* own or inherited, 0: none */
	int cpu_index;                          /* for a cpu's intc child */
};

struct uart_cand {
	char path[DT_PATHMAX];
	enum dt_uart_kind kind;
	uint64_t base;
	uint32_t reg_shift, reg_io_width, irq;
	uint64_t clock;
	uint32_t intr[DT_MAXINTR];
	uint32_t nintr;
	uint32_t intr_parent;
};

struct parser {
	const uint8_t *blob;
	uint32_t limit;
	const uint8_t *strings;
	uint32_t strings_size;
	struct dt_info *out;
	const char *err;

	int depth;
	struct node stack[DT_MAXDEPTH];

	char stdout_path[DT_PATHMAX];
	int nuarts;
	struct uart_cand uarts[DT_MAXUARTS];
	/* /aliases entries, resolved against stdout-path after the walk. */
	char alias_name[8][32];
	char alias_path[8][DT_PATHMAX];
	int naliases;
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint64_t cells(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;
	for (uint32_t i = 0; i < n; i++)
		v = v << 32 | be32(p + 4 * i);
	return v;
}

uint32_t dt_total_size(const void *blob)
{
	const uint8_t *b = blob;
	if (be32(b) != FDT_MAGIC)
		return 0;
	return be32(b + 4);
}

/* Copy a property string, bounded, always NUL-terminated. */
static void copy_str(char *dst, size_t cap, struct prop p)
{
	size_t n = 0;
	while (n < p.len && n + 1 < cap && p.v[n] != 0) {
		dst[n] = (char)p.v[n];
		n++;
	}
	dst[n] = 0;
}

/* Is `want` one of the strings in the NUL-separated list p? */
static bool str_in_list(struct prop p, const char *want)
{
	size_t wl = strlen(want);
	uint32_t i = 0;
	while (i < p.len) {
		uint32_t j = i;
		while (j < p.len && p.v[j] != 0)
			j++;
		if (j - i == wl && memcmp(p.v + i, want, wl) == 0)
			return true;
		i = j + 1;
	}
	return false;
}

static bool prop_u32(struct prop p, uint32_t *v)
{
	if (p.v == NULL || p.len < 4)
		return false;
	*v = be32(p.v);
	return true;
}

/* Copy up to DT_MAXINTR cells of an interrupts property; returns how many. */
static uint32_t copy_cells(uint32_t *dst, struct prop p)
{
	uint32_t n = 0;
	for (; n < DT_MAXINTR && 4 * (n + 1) <= p.len; n++)
		dst[n] = be32(p.v + 4 * n);
	return n;
}

static bool status_okay(struct prop p)
{
	return p.v == NULL || str_in_list(p, "okay") || str_in_list(p, "ok");
}

static bool name_is(const char *name, const char *base)
{
	size_t n = strlen(base);
	return strncmp(name, base, n) == 0 && (name[n] == 0 || name[n] == '@');
}

static void fail(struct parser *ps, const char *why)
{
	if (ps->err == NULL)
		ps->err = why;
}

/* Build "/a/b/c" for the open node at depth d (root = depth 0). */
static void node_path(struct parser *ps, int d, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = 0;
	for (int i = 1; i <= d; i++) {
		const char *s = ps->stack[i].name;
		if (n + 1 < cap)
			buf[n++] = '/';
		while (*s && n + 1 < cap)
			buf[n++] = *s++;
	}
	if (n == 0 && cap > 1)
		buf[n++] = '/';
	buf[n] = 0;
}

/*
 * Map addr, in the address space of the children of the node at depth d,
 * up to the cpu's: through the ranges of that node and of each ancestor
 * below the root.  An address no entry covers is left as it is.
 */
static uint64_t translate(struct parser *ps, int d, uint64_t addr)
{
	for (; d >= 1; d--) {
		const struct node *bus = &ps->stack[d];
		uint32_t ca = bus->addr_cells, pa = ps->stack[d - 1].addr_cells;
		uint32_t sc = bus->size_cells, stride = 4 * (ca + pa + sc);
		if (bus->ranges.v == NULL || bus->ranges.len == 0)
			continue;               /* identity */
		if (ca > 2 || pa > 2 || sc > 2 || stride == 0) {
			fail(ps, "ranges with unsupported cell counts");
			return addr;
		}
		for (uint32_t off = 0; off + stride <= bus->ranges.len; off += stride) {
			const uint8_t *e = bus->ranges.v + off;
			uint64_t child = cells(e, ca), parent = cells(e + 4 * ca, pa),
				 size = cells(e + 4 * (ca + pa), sc);
			if (addr >= child && addr - child < size) {
				addr = parent + (addr - child);
				break;
			}
		}
	}
	return addr;
}

static void add_range(struct dt_range *arr, int *n, int max, uint64_t base,
		      uint64_t size)
{
	if (size == 0 || *n >= max)
		return;
	arr[*n].base = base;
	arr[*n].size = size;
	(*n)++;
}

/* Decode the reg property of the node being closed, with its parent's
 * cells, into cpu physical ranges. */
static void reg_ranges(struct parser *ps, const struct node *parent,
		       struct prop reg, struct dt_range *arr, int *n, int max)
{
	uint32_t ac = parent->addr_cells, sc = parent->size_cells;
	uint32_t stride = 4 * (ac + sc);
	if (reg.v == NULL || ac > 2 || sc > 2 || stride == 0) {
		if (reg.v != NULL)
			fail(ps, "reg with unsupported #address-cells/#size-cells");
		return;
	}
	for (uint32_t off = 0; off + stride <= reg.len; off += stride)
		add_range(arr, n, max,
			  translate(ps, ps->depth - 1, cells(reg.v + off, ac)),
			  cells(reg.v + off + 4 * ac, sc));
}

static uint64_t reg_base(struct parser *ps, const struct node *parent,
			 struct prop reg)
{
	struct dt_range r[1];
	int n = 0;
	if (reg.v != NULL && parent->size_cells == 0 && parent->addr_cells <= 2 &&
	    reg.len >= 4 * parent->addr_cells)
		return translate(ps, ps->depth - 1, cells(reg.v, parent->addr_cells));
	reg_ranges(ps, parent, reg, r, &n, 1);
	return n ? r[0].base : 0;
}

static void end_cpu(struct parser *ps, struct node *nd, struct node *parent)
{
	struct dt_info *o = ps->out;
	if (o->ncpu >= CONFIG_MAXCPU) {
		o->ncpu_ignored++;
		nd->cpu_index = -1;
		return;
	}
	struct dt_cpu *c = &o->cpu[o->ncpu];
	c->hwid = nd->reg.v && parent->addr_cells <= 2 &&
			  nd->reg.len >= 4 * parent->addr_cells
		  ? cells(nd->reg.v, parent->addr_cells) : 0;
	if (nd->reg.v == NULL)
		fail(ps, "cpu node without reg");
	c->okay = status_okay(nd->status);
	if (str_in_list(nd->enable_method, "spin-table"))
		c->enable_method = DT_ENABLE_SPIN_TABLE;
	else if (str_in_list(nd->enable_method, "psci"))
		c->enable_method = DT_ENABLE_PSCI;
	/* cpu-release-addr: 64 bits (two cells) by the binding; accept one. */
	if (nd->release_addr.len == 8)
		c->release_addr = cells(nd->release_addr.v, 2);
	else if (nd->release_addr.len == 4)
		c->release_addr = be32(nd->release_addr.v);
	if (nd->isa.v && o->isa[0] == 0)
		copy_str(o->isa, sizeof o->isa, nd->isa);
	uint32_t tb;
	if (prop_u32(nd->timebase, &tb) && o->timebase == 0)
		o->timebase = tb;
	o->ncpu++;
}

/* A UART; shift and width are its reg-shift and reg-io-width when the
 * node has none. */
static void end_uart(struct parser *ps, struct node *nd, struct node *parent,
		     enum dt_uart_kind kind, uint32_t shift, uint32_t width)
{
	if (ps->nuarts >= DT_MAXUARTS || !status_okay(nd->status))
		return;
	struct uart_cand *u = &ps->uarts[ps->nuarts++];
	node_path(ps, ps->depth, u->path, sizeof u->path);
	u->kind = kind;
	u->base = reg_base(ps, parent, nd->reg);
	u->reg_shift = shift;
	u->reg_io_width = width;
	u->irq = 0;
	u->clock = 0;
	prop_u32(nd->reg_shift, &u->reg_shift);
	prop_u32(nd->reg_io_width, &u->reg_io_width);
	prop_u32(nd->interrupts, &u->irq);
	u->nintr = copy_cells(u->intr, nd->interrupts);
	u->intr_parent = nd->intr_parent;
	uint32_t clk;
	if (prop_u32(nd->clock, &clk))
		u->clock = clk;
	if (u->reg_shift > 4 || (u->reg_io_width != 1 && u->reg_io_width != 4))
		ps->nuarts--;   /* a layout we cannot drive */
}

static void end_plic(struct parser *ps, struct node *nd, struct node *parent)
{
	struct dt_info *o = ps->out;
	o->plic.present = true;
	o->plic.base = reg_base(ps, parent, nd->reg);
	prop_u32(nd->ndev, &o->plic.ndev);
	/* interrupts-extended = <intc-phandle irq>... : context i = pair i. */
	for (uint32_t off = 0; off + 8 <= nd->ints_ext.len; off += 8) {
		if (o->plic.nctx >= DT_MAXPLICCTX)
			break;
		o->plic.ctx_phandle[o->plic.nctx] = be32(nd->ints_ext.v + off);
		o->plic.ctx_irq[o->plic.nctx] = be32(nd->ints_ext.v + off + 4);
		o->plic.nctx++;
	}
}

static void end_gic(struct parser *ps, struct node *nd, struct node *parent,
		    int version)
{
	struct dt_info *o = ps->out;
	if (o->gic.version != 0 || !status_okay(nd->status))
		return;                 /* the first one is the root controller */
	o->gic.version = version;
	reg_ranges(ps, parent, nd->reg, o->gic.reg, &o->gic.nreg, DT_MAXGICREG);
}

/* One of the Raspberry Pi's two interrupt controllers: its registers and
 * phandle (the first of each kind that is enabled). */
static void end_bcm_intc(struct parser *ps, struct node *nd, struct node *parent,
			 struct dt_range *reg, uint32_t *phandle)
{
	int n = 0;
	if (reg->size != 0 || !status_okay(nd->status))
		return;
	reg_ranges(ps, parent, nd->reg, reg, &n, 1);
	prop_u32(nd->phandle, phandle);
}

/* Interpret the node at the top of the stack, which is being closed. */
static void end_node(struct parser *ps)
{
	struct node *nd = &ps->stack[ps->depth];
	struct node *parent = &ps->stack[ps->depth > 0 ? ps->depth - 1 : 0];
	struct dt_info *o = ps->out;
	const char *pname = ps->depth >= 1 ? parent->name : "";

	if (ps->depth == 0) {
		/* root */
		return;
	}
	if (ps->depth == 1 && name_is(nd->name, "cpus")) {
		uint32_t tb;
		if (prop_u32(nd->timebase, &tb))
			o->timebase = tb;
		return;
	}
	if (ps->depth == 2 && name_is(pname, "cpus") &&
	    (str_in_list(nd->device_type, "cpu") || name_is(nd->name, "cpu"))) {
		end_cpu(ps, nd, parent);
		return;
	}
	if (ps->depth == 3 && parent->cpu_index >= 0 &&
	    name_is(nd->name, "interrupt-controller")) {
		uint32_t ph;
		if (prop_u32(nd->phandle, &ph) && parent->cpu_index < CONFIG_MAXCPU)
			o->cpu[parent->cpu_index].intc_phandle = ph;
		return;
	}
	if ((nd->device_type.v && str_in_list(nd->device_type, "memory")) ||
	    (ps->depth == 1 && name_is(nd->name, "memory"))) {
		if (status_okay(nd->status))
			reg_ranges(ps, parent, nd->reg, o->mem, &o->nmem, DT_MAXMEM);
		return;
	}
	if (ps->depth == 2 && name_is(pname, "reserved-memory")) {
		reg_ranges(ps, parent, nd->reg, o->resv, &o->nresv, DT_MAXRESV);
		return;
	}
	if (str_in_list(nd->compatible, "ns16550a") ||
	    str_in_list(nd->compatible, "ns16550") ||
	    str_in_list(nd->compatible, "snps,dw-apb-uart")) {
		end_uart(ps, nd, parent, DT_UART_NS16550, 0, 1);
		return;
	}
	/* The Raspberry Pi's mini UART: a 16550 subset, 32-bit registers
	 * 4 bytes apart (its binding has no reg-shift/reg-io-width). */
	if (str_in_list(nd->compatible, "brcm,bcm2835-aux-uart")) {
		end_uart(ps, nd, parent, DT_UART_NS16550, 2, 4);
		return;
	}
	if (str_in_list(nd->compatible, "arm,pl011")) {
		end_uart(ps, nd, parent, DT_UART_PL011, 0, 1);
		return;
	}
	if (str_in_list(nd->compatible, "arm,cortex-a15-gic") ||
	    str_in_list(nd->compatible, "arm,gic-400") ||
	    str_in_list(nd->compatible, "arm,cortex-a7-gic")) {
		end_gic(ps, nd, parent, 2);
		return;
	}
	if (str_in_list(nd->compatible, "arm,gic-v3")) {
		end_gic(ps, nd, parent, 3);
		return;
	}
	if (str_in_list(nd->compatible, "arm,armv8-timer") ||
	    str_in_list(nd->compatible, "arm,armv7-timer")) {
		o->armtimer.present = true;
		o->armtimer.nintr = copy_cells(o->armtimer.intr, nd->interrupts);
		o->armtimer.intr_parent = nd->intr_parent;
		return;
	}
	if (str_in_list(nd->compatible, "brcm,bcm2836-l1-intc")) {
		end_bcm_intc(ps, nd, parent, &o->bcm_intc.local,
			     &o->bcm_intc.local_phandle);
		return;
	}
	if (str_in_list(nd->compatible, "brcm,bcm2835-armctrl-ic") ||
	    str_in_list(nd->compatible, "brcm,bcm2836-armctrl-ic")) {
		end_bcm_intc(ps, nd, parent, &o->bcm_intc.armctrl,
			     &o->bcm_intc.armctrl_phandle);
		return;
	}
	if (str_in_list(nd->compatible, "arm,psci") ||
	    str_in_list(nd->compatible, "arm,psci-0.2") ||
	    str_in_list(nd->compatible, "arm,psci-1.0")) {
		if (str_in_list(nd->method, "hvc"))
			o->psci.method = DT_PSCI_HVC;
		else if (str_in_list(nd->method, "smc"))
			o->psci.method = DT_PSCI_SMC;
		return;
	}
	if (str_in_list(nd->compatible, "riscv,plic0") ||
	    str_in_list(nd->compatible, "sifive,plic-1.0.0")) {
		end_plic(ps, nd, parent);
		return;
	}
	if (str_in_list(nd->compatible, "sifive,test0") ||
	    str_in_list(nd->compatible, "sifive,test1")) {
		o->finisher.present = true;
		o->finisher.base = reg_base(ps, parent, nd->reg);
		return;
	}
}

/* Remember the properties we care about on the current node. */
static void on_prop(struct parser *ps, const char *name, struct prop p)
{
	struct node *nd = &ps->stack[ps->depth];
	struct dt_info *o = ps->out;
	uint32_t v;

	if (strcmp(name, "#address-cells") == 0 && prop_u32(p, &v))
		nd->addr_cells = v;
	else if (strcmp(name, "#size-cells") == 0 && prop_u32(p, &v))
		nd->size_cells = v;
	else if (strcmp(name, "reg") == 0)
		nd->reg = p;
	else if (strcmp(name, "compatible") == 0)
		nd->compatible = p;
	else if (strcmp(name, "status") == 0)
		nd->status = p;
	else if (strcmp(name, "device_type") == 0)
		nd->device_type = p;
	else if (strcmp(name, "phandle") == 0 || strcmp(name, "linux,phandle") == 0)
		nd->phandle = p;
	else if (strcmp(name, "interrupts") == 0)
		nd->interrupts = p;
	else if (strcmp(name, "riscv,ndev") == 0)
		nd->ndev = p;
	else if (strcmp(name, "interrupts-extended") == 0)
		nd->ints_ext = p;
	else if (strcmp(name, "riscv,isa") == 0)
		nd->isa = p;
	else if (strcmp(name, "timebase-frequency") == 0)
		nd->timebase = p;
	else if (strcmp(name, "reg-shift") == 0)
		nd->reg_shift = p;
	else if (strcmp(name, "reg-io-width") == 0)
		nd->reg_io_width = p;
	else if (strcmp(name, "clock-frequency") == 0)
		nd->clock = p;
	else if (strcmp(name, "method") == 0)
		nd->method = p;
	else if (strcmp(name, "ranges") == 0)
		nd->ranges = p;
	else if (strcmp(name, "enable-method") == 0)
		nd->enable_method = p;
	else if (strcmp(name, "cpu-release-addr") == 0)
		nd->release_addr = p;
	else if (strcmp(name, "interrupt-parent") == 0)
		prop_u32(p, &nd->intr_parent);

	if (ps->depth == 0 && strcmp(name, "model") == 0)
		copy_str(o->model, sizeof o->model, p);
	if (ps->depth == 1 && name_is(nd->name, "chosen")) {
		if (strcmp(name, "bootargs") == 0)
			copy_str(o->bootargs, sizeof o->bootargs, p);
		else if (strcmp(name, "stdout-path") == 0 ||
			 strcmp(name, "linux,stdout-path") == 0)
			copy_str(ps->stdout_path, sizeof ps->stdout_path, p);
		else if (strcmp(name, "rng-seed") == 0) {
			o->rng_seed_len = p.len < DT_RNGMAX ? p.len : DT_RNGMAX;
			memcpy(o->rng_seed, p.v, o->rng_seed_len);
		}
	}
	if (ps->depth == 1 && name_is(nd->name, "aliases") && ps->naliases < 8) {
		copy_str(ps->alias_name[ps->naliases], 32,
			 (struct prop){ (const uint8_t *)name, (uint32_t)strlen(name) + 1 });
		copy_str(ps->alias_path[ps->naliases], DT_PATHMAX, p);
		ps->naliases++;
	}
}

static int check_header(struct parser *ps, size_t maxlen)
{
	const uint8_t *b = ps->blob;
	if (maxlen < 40)
		return fail(ps, "blob smaller than a header"), -1;
	if (be32(b) != FDT_MAGIC)
		return fail(ps, "bad magic (not a device tree)"), -1;
	uint32_t total = be32(b + 4), off_struct = be32(b + 8),
		 off_strings = be32(b + 12), off_rsv = be32(b + 16),
		 version = be32(b + 20), size_strings = be32(b + 32),
		 size_struct = be32(b + 36);
	if (total > maxlen)
		return fail(ps, "totalsize larger than the blob"), -1;
	if (total < 40)
		return fail(ps, "totalsize smaller than a header"), -1;
	if (version < 16)
		return fail(ps, "unsupported version (< 16)"), -1;
	if (off_struct > total || size_struct > total - off_struct ||
	    (off_struct & 3) != 0)
		return fail(ps, "structure block out of range"), -1;
	if (off_strings > total || size_strings > total - off_strings)
		return fail(ps, "strings block out of range"), -1;
	if (off_rsv > total || (off_rsv & 7) != 0)
		return fail(ps, "reservation map out of range"), -1;
	ps->limit = total;
	ps->strings = b + off_strings;
	ps->strings_size = size_strings;
	return 0;
}

static int read_rsvmap(struct parser *ps)
{
	const uint8_t *b = ps->blob;
	uint32_t off = be32(b + 16);
	for (;;) {
		if (off + 16 > ps->limit || off + 16 < off)
			return fail(ps, "reservation map not terminated"), -1;
		uint64_t base = cells(b + off, 2), size = cells(b + off + 8, 2);
		off += 16;
		if (base == 0 && size == 0)
			return 0;
		add_range(ps->out->resv, &ps->out->nresv, DT_MAXRESV, base, size);
	}
}

/* Length of a NUL-terminated string starting at p, bounded by end; -1 if none. */
static long bounded_strlen(const uint8_t *p, const uint8_t *end)
{
	const uint8_t *q = p;
	while (q < end && *q != 0)
		q++;
	return q < end ? (long)(q - p) : -1;
}

static int walk_struct(struct parser *ps)
{
	const uint8_t *b = ps->blob;
	uint32_t off = be32(b + 8);
	const uint8_t *end = b + off + be32(b + 36);
	const uint8_t *p = b + off;
	bool seen_root = false;

	ps->depth = -1;
	for (;;) {
		if (p + 4 > end)
			return fail(ps, "structure block truncated"), -1;
		uint32_t tok = be32(p);
		p += 4;
		switch (tok) {
		case FDT_BEGIN_NODE: {
			long n = bounded_strlen(p, end);
			if (n < 0)
				return fail(ps, "node name not terminated"), -1;
			if (ps->depth + 1 >= DT_MAXDEPTH)
				return fail(ps, "nodes nested too deeply"), -1;
			if (ps->depth < 0 && seen_root)
				return fail(ps, "more than one root node"), -1;
			seen_root = true;
			struct node *parent = ps->depth >= 0 ? &ps->stack[ps->depth] : NULL;
			ps->depth++;
			struct node *nd = &ps->stack[ps->depth];
			memset(nd, 0, sizeof *nd);
			nd->name = (const char *)p;
			nd->addr_cells = 2;     /* spec defaults */
			nd->size_cells = 1;
			nd->cpu_index = -1;
			nd->intr_parent = parent ? parent->intr_parent : 0;
			if (parent && ps->depth == 2 && name_is(parent->name, "cpus"))
				nd->cpu_index = ps->out->ncpu;
			p += (n + 1 + 3) & ~3ul;
			break;
		}
		case FDT_END_NODE:
			if (ps->depth < 0)
				return fail(ps, "END_NODE without a node"), -1;
			end_node(ps);
			ps->depth--;
			break;
		case FDT_PROP: {
			if (p + 8 > end)
				return fail(ps, "property header truncated"), -1;
			uint32_t len = be32(p), nameoff = be32(p + 4);
			p += 8;
			if (ps->depth < 0)
				return fail(ps, "property outside any node"), -1;
			if (len > (uint32_t)(end - p))
				return fail(ps, "property value past the structure block"), -1;
			if (nameoff >= ps->strings_size)
				return fail(ps, "property name offset out of range"), -1;
			const uint8_t *nm = ps->strings + nameoff;
			if (bounded_strlen(nm, ps->strings + ps->strings_size) < 0)
				return fail(ps, "property name not terminated"), -1;
			on_prop(ps, (const char *)nm, (struct prop){ p, len });
			p += (len + 3) & ~3u;
			break;
		}
		case FDT_NOP:
			break;
		case FDT_END:
			if (ps->depth != -1 || !seen_root)
				return fail(ps, "END with nodes still open"), -1;
			return 0;
		default:
			return fail(ps, "unknown structure token"), -1;
		}
		if (p > end)
			return fail(ps, "structure block truncated"), -1;
	}
}

static void pick_uart(struct parser *ps)
{
	char want[DT_PATHMAX];
	struct dt_info *o = ps->out;
	copy_str(want, sizeof want,
		 (struct prop){ (const uint8_t *)ps->stdout_path,
				(uint32_t)strlen(ps->stdout_path) + 1 });
	char *colon = strchr(want, ':');        /* "serial0:115200n8" */
	if (colon)
		*colon = 0;
	if (want[0] != 0 && want[0] != '/') {
		for (int i = 0; i < ps->naliases; i++)
			if (strcmp(ps->alias_name[i], want) == 0) {
				copy_str(want, sizeof want,
					 (struct prop){ (const uint8_t *)ps->alias_path[i],
							DT_PATHMAX });
				break;
			}
	}
	const struct uart_cand *u = NULL;
	for (int i = 0; i < ps->nuarts; i++)
		if (strcmp(ps->uarts[i].path, want) == 0)
			u = &ps->uarts[i];
	if (u == NULL && ps->nuarts > 0)
		u = &ps->uarts[0];
	if (u == NULL)
		return;
	o->uart.kind = u->kind;
	o->uart.base = u->base;
	o->uart.reg_shift = u->reg_shift;
	o->uart.reg_io_width = u->reg_io_width;
	o->uart.irq = u->irq;
	o->uart.clock = u->clock;
	memcpy(o->uart.intr, u->intr, sizeof o->uart.intr);
	o->uart.nintr = u->nintr;
	o->uart.intr_parent = u->intr_parent;
}

int dt_parse(const void *blob, size_t maxlen, struct dt_info *out,
	     const char **err)
{
	static struct parser ps;        /* big; boot is single-threaded */
	memset(&ps, 0, sizeof ps);
	memset(out, 0, sizeof *out);
	ps.blob = blob;
	ps.out = out;
	*err = NULL;

	if (check_header(&ps, maxlen) < 0 || read_rsvmap(&ps) < 0 ||
	    walk_struct(&ps) < 0 || ps.err != NULL) {
		*err = ps.err;
		return -1;
	}
	out->totalsize = ps.limit;
	out->bcm_intc.present = out->bcm_intc.local.size != 0 &&
				out->bcm_intc.armctrl.size != 0;
	pick_uart(&ps);
	return 0;
}

bool dt_isa_has(const char *isa, const char *ext)
{
	/* "rv64imafdc_zicsr_sstc": multi-letter extensions follow '_'. */
	size_t n = strlen(ext);
	const char *p = isa;
	while ((p = strchr(p, '_')) != NULL) {
		p++;
		if (strncmp(p, ext, n) == 0 && (p[n] == 0 || p[n] == '_'))
			return true;
	}
	return false;
}
