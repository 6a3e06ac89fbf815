/*
 * dt_corrupt_test.c - hal/dt.c on broken blobs, under AddressSanitizer.
 *
 *     dt_corrupt_test [-v] build/host/dtb/virt-4-1G.dtb [more.dtb ...]
 *
 * dt_parse promises never to read outside [blob, blob + min(maxlen,
 * totalsize)) and to reject what it cannot trust with an error message.
 * Every blob below sits in an exact-size malloc'd buffer, so a read one
 * byte too far is an ASan report, which fails the case.
 *
 *  1. Truncation: every maxlen below totalsize must be rejected.
 *  2. Cut blocks: the blob is laid out again with the structure (or the
 *     strings) block last and cut to every length k, with the header
 *     saying k.  A cut structure block has lost its END token and must be
 *     rejected; a cut strings block must be rejected or, if no property
 *     name was cut, parse exactly as before.
 *  3. Mutation: 20000 random 1-4 byte edits (fixed seed), totalsize left
 *     intact: no crash, and any success is sane (counts within their
 *     arrays, strings NUL-terminated).  QEMU's ARM blobs say totalsize
 *     1 MiB for some 8 KiB of tree; load() trims such a blob to its
 *     blocks first, so the edits land in the tree, not in the padding.
 *  4. Random trees: well-formed blobs of random nodes and properties
 *     with the names dt.c interprets, once with the RISC-V board's words
 *     and once with the ARM one's (PL011, GIC, timer, PSCI): no crash,
 *     sane results.
 *  5. Hand-built malformed blobs, one per rule in dt.c's check_header and
 *     walk_struct: each must fail with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "dt.h"
#include "fdt_build.h"

/* Mutations per run; -DMUTATIONS=1000000 for a long fuzzing run. */
#ifndef MUTATIONS
#define MUTATIONS 20000
#endif
#define MUTATIONS_MORE (MUTATIONS / 4)  /* for each further blob */

static uint8_t *blob;           /* the first blob, exactly totalsize bytes */
static size_t blob_len;

/*
 * The end of the last block a blob's header points at (the reservation
 * map runs to the structure block in every blob we load), or 0 when the
 * header does not hold together.
 */
static size_t used_size(const uint8_t *hdr, size_t total)
{
	uint32_t st = fdt_get32(hdr, FDT_H_OFF_STRUCT),
		 nst = fdt_get32(hdr, FDT_H_SIZE_STRUCT),
		 str = fdt_get32(hdr, FDT_H_OFF_STRINGS),
		 nstr = fdt_get32(hdr, FDT_H_SIZE_STRINGS),
		 rsv = fdt_get32(hdr, FDT_H_OFF_RSVMAP);
	uint64_t end = (uint64_t)st + nst;
	if ((uint64_t)str + nstr > end)
		end = (uint64_t)str + nstr;
	if (rsv >= st || end > total || end < FDT_H_SIZE)
		return 0;
	return (size_t)end;
}

/* Read a blob, exactly totalsize bytes, trimmed to its blocks (the
 * header's totalsize says the trimmed size). */
static uint8_t *load(const char *path, size_t *len)
{
	uint8_t hdr[FDT_H_SIZE];
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	uint8_t *b = NULL;
	if (fread(hdr, 1, sizeof hdr, f) == sizeof hdr) {
		*len = dt_total_size(hdr);
		b = *len >= FDT_H_SIZE ? malloc(*len) : NULL;
		rewind(f);
		if (b && fread(b, 1, *len, f) != *len) {
			free(b);
			b = NULL;
		}
	}
	fclose(f);
	size_t used = b ? used_size(b, *len) : 0;
	if (used != 0 && used < *len) {
		uint8_t *t = malloc(used);
		memcpy(t, b, used);
		fdt_set32(t, FDT_H_TOTALSIZE, (uint32_t)used);
		free(b);
		b = t;
		*len = used;
	}
	return b;
}

/* Parse a copy of src[0:n) in an exact-size buffer; checks err vs rc. */
static int parse_copy(const uint8_t *src, size_t n, struct dt_info *di,
		      const char **err)
{
	uint8_t *buf = malloc(n ? n : 1);
	memcpy(buf, src, n);
	*err = "(not set)";
	int rc = dt_parse(buf, n, di, err);
	free(buf);
	EXPECTF(rc == 0 || rc == -1, "dt_parse returned %d", rc);
	EXPECTF((rc == 0) == (*err == NULL), "rc %d but err %s", rc,
		*err ? *err : "NULL");
	EXPECTF(rc == 0 || (*err && **err), "rc %d with an empty message", rc);
	return rc;
}

/* ---- 1. Truncation ----------------------------------------------------- */

static void test_truncate(void)
{
	struct dt_info di;
	const char *err;
	int bad = 0;
	for (size_t maxlen = 0; maxlen < blob_len; maxlen++) {
		if (parse_copy(blob, maxlen, &di, &err) == 0 && bad++ < 10)
			EXPECTF(false, "maxlen %zu < totalsize %zu accepted",
				maxlen, blob_len);
	}
	EXPECTF(parse_copy(blob, blob_len, &di, &err) == 0,
		"whole blob rejected: %s", err);
	t_logf("%zu truncations rejected", blob_len);
}

/* ---- 2. Cut blocks ----------------------------------------------------- */

static size_t rsvmap_len(const uint8_t *b)
{
	size_t off = fdt_get32(b, FDT_H_OFF_RSVMAP), n = 16;
	while (fdt_get32(b, off + n - 16) || fdt_get32(b, off + n - 12) ||
	       fdt_get32(b, off + n - 8) || fdt_get32(b, off + n - 4))
		n += 16;
	return n;
}

/*
 * header | rsvmap | strings | structure (struct_last) or
 * header | rsvmap | structure | strings, the last block cut to k bytes.
 */
static uint8_t *relayout(bool struct_last, uint32_t k, size_t *len)
{
	uint32_t off_st = fdt_get32(blob, FDT_H_OFF_STRUCT);
	uint32_t n_st = fdt_get32(blob, FDT_H_SIZE_STRUCT);
	uint32_t off_str = fdt_get32(blob, FDT_H_OFF_STRINGS);
	uint32_t n_str = fdt_get32(blob, FDT_H_SIZE_STRINGS);
	size_t nrsv = rsvmap_len(blob);
	size_t first = FDT_H_SIZE + nrsv;
	size_t first_len = struct_last ? n_str : n_st;
	size_t last = (first + first_len + 3) & ~(size_t)3;
	*len = last + k;
	uint8_t *b = calloc(1, *len);
	memcpy(b, blob, FDT_H_SIZE);
	memcpy(b + FDT_H_SIZE, blob + fdt_get32(blob, FDT_H_OFF_RSVMAP), nrsv);
	fdt_set32(b, FDT_H_TOTALSIZE, (uint32_t)*len);
	fdt_set32(b, FDT_H_OFF_RSVMAP, FDT_H_SIZE);
	memcpy(b + first, blob + (struct_last ? off_str : off_st), first_len);
	memcpy(b + last, blob + (struct_last ? off_st : off_str), k);
	fdt_set32(b, FDT_H_OFF_STRUCT, (uint32_t)(struct_last ? last : first));
	fdt_set32(b, FDT_H_SIZE_STRUCT, struct_last ? k : n_st);
	fdt_set32(b, FDT_H_OFF_STRINGS, (uint32_t)(struct_last ? first : last));
	fdt_set32(b, FDT_H_SIZE_STRINGS, struct_last ? n_str : k);
	return b;
}

static void test_cut_struct(void)
{
	struct dt_info want, di;
	const char *err;
	uint32_t n = fdt_get32(blob, FDT_H_SIZE_STRUCT);
	size_t len;
	uint8_t *b = relayout(true, n, &len);
	EXPECTF(parse_copy(b, len, &want, &err) == 0, "relaid out: %s", err);
	free(b);
	int bad = 0;
	for (uint32_t k = 0; k < n; k++) {
		b = relayout(true, k, &len);
		if (parse_copy(b, len, &di, &err) == 0 && bad++ < 10)
			EXPECTF(false, "structure block cut to %u of %u accepted",
				k, n);
		free(b);
	}
	t_logf("%u cuts of the structure block rejected", n);
}

static void test_cut_strings(void)
{
	struct dt_info want, di;
	const char *err;
	uint32_t n = fdt_get32(blob, FDT_H_SIZE_STRINGS);
	size_t len;
	uint8_t *b = relayout(false, n, &len);
	EXPECTF(parse_copy(b, len, &want, &err) == 0, "relaid out: %s", err);
	free(b);
	int bad = 0, accepted = 0;
	for (uint32_t k = 0; k < n; k++) {
		b = relayout(false, k, &len);
		if (parse_copy(b, len, &di, &err) == 0) {
			accepted++;
			di.totalsize = want.totalsize;
			if (memcmp(&di, &want, sizeof di) != 0 && bad++ < 10)
				EXPECTF(false, "strings cut to %u of %u: "
					"accepted with a different result", k, n);
		}
		free(b);
	}
	EXPECTF(accepted < (int)n, "no cut of the strings block rejected");
	t_logf("%u cuts of the strings block: %d accepted unchanged", n,
	       accepted);
}

/* ---- 3. Mutation ------------------------------------------------------- */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64*: the same sequence on every host. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static void mutate(uint8_t *b, size_t len)
{
	static const uint32_t words[] = {
		0, 1, 2, 3, 4, 9, 0xffffffff, 0x7fffffff, 0x80000000, 16, 17,
		40, 0xfff, 0x1000,
	};
	size_t off;
	do
		off = rnd() % len;
	while (off >= FDT_H_TOTALSIZE && off < FDT_H_TOTALSIZE + 4);
	switch (rnd() % 5) {
	case 0:
		b[off] = (uint8_t)rnd();
		break;
	case 1:
		b[off] ^= (uint8_t)(1u << (rnd() % 8));
		break;
	case 2:
		b[off] = rnd() & 1 ? 0 : 0xff;
		break;
	case 3:         /* a token-like word at an aligned offset */
		off &= ~(size_t)3;
		if (off + 4 <= len && off != FDT_H_TOTALSIZE)
			fdt_set32(b, off, words[rnd() % (sizeof words / 4)]);
		break;
	default:        /* nudge an aligned word: lengths, offsets, cells */
		off &= ~(size_t)3;
		if (off + 4 <= len && off != FDT_H_TOTALSIZE)
			fdt_set32(b, off, fdt_get32(b, off) + rnd() % 17 - 8);
		break;
	}
}

static bool has_nul(const char *s, size_t n)
{
	return memchr(s, 0, n) != NULL;
}

static void check_sane(const struct dt_info *di, size_t len, int iter)
{
	bool ok = di->ncpu >= 0 && di->ncpu <= CONFIG_MAXCPU &&
		  di->ncpu_ignored >= 0 && di->nmem >= 0 &&
		  di->nmem <= DT_MAXMEM && di->nresv >= 0 &&
		  di->nresv <= DT_MAXRESV && di->plic.nctx >= 0 &&
		  di->plic.nctx <= DT_MAXPLICCTX &&
		  di->rng_seed_len <= DT_RNGMAX && di->totalsize == len;
	EXPECTF(ok, "mutation %d: counts out of range (ncpu %d nmem %d "
		"nresv %d nctx %d)", iter, di->ncpu, di->nmem, di->nresv,
		di->plic.nctx);
	bool arm_ok = di->gic.nreg >= 0 && di->gic.nreg <= DT_MAXGICREG &&
		      (di->gic.version == 0 || di->gic.version == 2 ||
		       di->gic.version == 3) &&
		      di->uart.nintr <= DT_MAXINTR &&
		      di->armtimer.nintr <= DT_MAXINTR &&
		      di->psci.method <= DT_PSCI_SMC;
	EXPECTF(arm_ok, "mutation %d: ARM fields out of range (gic v%d nreg "
		"%d, uart nintr %u, timer nintr %u, psci %d)", iter,
		di->gic.version, di->gic.nreg, di->uart.nintr,
		di->armtimer.nintr, (int)di->psci.method);
	EXPECTF(has_nul(di->model, sizeof di->model) &&
		has_nul(di->isa, sizeof di->isa) &&
		has_nul(di->bootargs, sizeof di->bootargs),
		"mutation %d: unterminated string", iter);
}

static void mutate_blob(const uint8_t *src, size_t len, int n, uint64_t seed)
{
	uint8_t *buf = malloc(len);
	struct dt_info di;
	const char *err;
	int accepted = 0;
	rng_state = seed;
	for (int i = 0; i < n; i++) {
		memcpy(buf, src, len);
		int edits = 1 + (int)(rnd() % 4);
		for (int j = 0; j < edits; j++)
			mutate(buf, len);
		err = "(not set)";
		int rc = dt_parse(buf, len, &di, &err);
		EXPECTF((rc == 0) == (err == NULL), "mutation %d: rc %d err %s",
			i, rc, err ? err : "NULL");
		if (rc == 0) {
			accepted++;
			check_sane(&di, len, i);
		}
	}
	free(buf);
	t_logf("%d mutations: %d accepted, %d rejected", n, accepted,
	       n - accepted);
}

struct mut_case {
	char name[64];          /* mutate/<file name> */
	const uint8_t *blob;
	size_t len;
	int n;
	uint64_t seed;
};

static void test_mutate(const void *arg)
{
	const struct mut_case *mc = arg;
	mutate_blob(mc->blob, mc->len, mc->n, mc->seed);
}

/* ---- 4. Random trees ---------------------------------------------------- */

/*
 * Well-formed blobs of random nodes and properties, with the names dt.c
 * looks for and values of every size, to reach its interpretation code
 * (cpus, UARTs, aliases, cells) with what no real board has.  Two
 * vocabularies: a RISC-V board's and an ARM one's.
 */
struct vocab {
	const char *const *nodes, *const *props, *const *strs;
	const uint32_t *cells;
	size_t nnodes, nprops, nstrs, ncells;
	uint32_t maxcells;      /* cells in a cells value: 0 .. maxcells-1 */
};

static const char *const node_names[] = {
	"cpus", "cpu@0", "cpu@1", "cpu", "chosen", "aliases", "soc", "memory",
	"memory@80000000", "interrupt-controller", "reserved-memory", "uart@0",
	"serial@10000000", "plic@c000000", "test@100000", "cpu-map", "x",
};
static const char *const prop_names[] = {
	"#address-cells", "#size-cells", "reg", "compatible", "status",
	"device_type", "phandle", "interrupts", "riscv,ndev",
	"interrupts-extended", "riscv,isa", "timebase-frequency", "reg-shift",
	"reg-io-width", "clock-frequency", "bootargs", "stdout-path", "rng-seed",
	"model", "serial0", "linux,phandle",
};
static const char *const str_values[] = {
	"ns16550a", "snps,dw-apb-uart", "riscv,plic0", "sifive,test0", "cpu",
	"memory", "okay", "disabled", "serial0", "serial0:115200", "/soc",
	"/soc/uart@0", "/uart@0", "", "rv64imac_sstc",
};
static const uint32_t cell_values[] = { 0, 1, 2, 3, 4, 5, 0x1000, 0x80000000 };

/*
 * ARM: the nodes and compatibles dt.c knows there, and up to 14 cells, past
 * DT_MAXINTR, so a long interrupts property is cut, not overrun.
 */
static const char *const arm_node_names[] = {
	"cpus", "cpu@0", "cpu@100", "chosen", "aliases", "memory@40000000",
	"intc@8000000", "pl011@9000000", "psci", "timer", "reserved-memory",
	"its@8080000", "x",
};
static const char *const arm_prop_names[] = {
	"#address-cells", "#size-cells", "reg", "compatible", "status",
	"device_type", "phandle", "interrupts", "method", "enable-method",
	"#interrupt-cells", "interrupt-parent", "bootargs", "stdout-path",
	"rng-seed", "model", "serial0", "secure-status",
};
static const char *const arm_str_values[] = {
	"arm,pl011", "arm,cortex-a15-gic", "arm,gic-400", "arm,cortex-a7-gic",
	"arm,gic-v3", "arm,armv8-timer", "arm,armv7-timer", "arm,psci",
	"arm,psci-0.2", "arm,psci-1.0", "hvc", "smc", "psci", "cpu", "memory",
	"okay", "disabled", "serial0", "/pl011@9000000", "",
};
static const uint32_t arm_cell_values[] = {
	0, 1, 2, 3, 4, 0xf04, 0x8000000, 0x40000000,
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct vocab riscv_vocab = {
	node_names, prop_names, str_values, cell_values, NELEM(node_names),
	NELEM(prop_names), NELEM(str_values), NELEM(cell_values), 7,
};
static const struct vocab arm_vocab = {
	arm_node_names, arm_prop_names, arm_str_values, arm_cell_values,
	NELEM(arm_node_names), NELEM(arm_prop_names), NELEM(arm_str_values),
	NELEM(arm_cell_values), 15,
};

static void random_prop(struct fdt_build *fb, const struct vocab *vo)
{
	const char *name = vo->props[rnd() % vo->nprops];
	uint8_t v[64];
	uint32_t len;
	switch (rnd() % 3) {
	case 0: {
		const char *str = vo->strs[rnd() % vo->nstrs];
		len = (uint32_t)strlen(str) + 1;
		memcpy(v, str, len);
		break;
	}
	case 1:
		len = 4 * (rnd() % vo->maxcells);
		for (uint32_t i = 0; i < len; i += 4)
			fdt_set32(v, i, vo->cells[rnd() % vo->ncells]);
		break;
	default:
		len = rnd() % 10;
		for (uint32_t i = 0; i < len; i++)
			v[i] = (uint8_t)rnd();
		break;
	}
	fdt_build_prop(fb, name, v, len);
}

/* One node and its subtree, using at most *budget nodes. */
static void random_node(struct fdt_build *fb, const struct vocab *vo,
			const char *name, int depth, int *budget)
{
	fdt_build_begin(fb, name);
	int nprops = (int)(rnd() % 6);
	for (int i = 0; i < nprops; i++)
		random_prop(fb, vo);
	int nkids = depth < 5 ? (int)(rnd() % 4) : 0;
	for (int i = 0; i < nkids && *budget > 0; i++) {
		(*budget)--;
		random_node(fb, vo, vo->nodes[rnd() % vo->nnodes], depth + 1,
			    budget);
	}
	fdt_build_end(fb);
}

/* arg: the vocabulary; the RISC-V one with seed 4242, the ARM one 4243. */
static void test_random_trees(const void *arg)
{
	const struct vocab *vo = arg;
	static struct fdt_build fb;
	struct dt_info di;
	const char *err;
	int accepted = 0, n = 3000;
	rng_state = vo == &riscv_vocab ? 4242 : 4243;
	for (int i = 0; i < n; i++) {
		fdt_build_init(&fb);
		for (uint32_t r = rnd() % 3; r > 0; r--)
			fdt_build_reserve(&fb, vo->cells[rnd() % vo->ncells], rnd() % 3);
		int budget = 40;
		random_node(&fb, vo, "", 0, &budget);
		fdt_build_u32(&fb, FDT_T_END);
		size_t len;
		uint8_t *b = fdt_build_finish(&fb, &len);
		if (parse_copy(b, len, &di, &err) == 0) {
			accepted++;
			check_sane(&di, len, i);
		}
		free(b);
	}
	t_logf("%d random trees: %d accepted, %d rejected", n, accepted,
	       n - accepted);
}

/* ---- 5. Hand-built malformed blobs ------------------------------------- */

static void tree_root(struct fdt_build *fb)
{
	fdt_build_begin(fb, "");
	fdt_build_cells(fb, "#address-cells", 1, 2);
	fdt_build_cells(fb, "#size-cells", 1, 2);
	fdt_build_begin(fb, "memory@80000000");
	fdt_build_str(fb, "device_type", "memory");
	fdt_build_cells(fb, "reg", 4, 0, 0x80000000, 0, 0x1000000);
	fdt_build_end(fb);
}

static void tree_minimal(struct fdt_build *fb)
{
	tree_root(fb);
	fdt_build_end(fb);
	fdt_build_u32(fb, FDT_T_END);
}

static void nest(struct fdt_build *fb, int depth)
{
	tree_root(fb);
	for (int i = 1; i < depth; i++)
		fdt_build_begin(fb, "n");
	for (int i = 0; i < depth; i++)
		fdt_build_end(fb);
	fdt_build_u32(fb, FDT_T_END);
}

static void tree_deep16(struct fdt_build *fb) { nest(fb, 16); }
static void tree_deep17(struct fdt_build *fb) { nest(fb, 17); }

static void tree_end_node_first(struct fdt_build *fb)
{
	fdt_build_end(fb);
	tree_minimal(fb);
}

static void tree_extra_end_node(struct fdt_build *fb)
{
	tree_root(fb);
	fdt_build_end(fb);
	fdt_build_end(fb);
	fdt_build_u32(fb, FDT_T_END);
}

static void tree_no_end(struct fdt_build *fb)
{
	tree_root(fb);
	fdt_build_end(fb);
}

static void tree_end_open(struct fdt_build *fb)
{
	tree_root(fb);
	fdt_build_u32(fb, FDT_T_END);
}

static void tree_no_root(struct fdt_build *fb)
{
	fdt_build_u32(fb, FDT_T_END);
}

static void tree_two_roots(struct fdt_build *fb)
{
	tree_root(fb);
	fdt_build_end(fb);
	tree_minimal(fb);
}

static void tree_prop_outside(struct fdt_build *fb)
{
	fdt_build_cells(fb, "x", 1, 1);
	tree_minimal(fb);
}

static void prop_raw(struct fdt_build *fb, uint32_t len, uint32_t nameoff)
{
	tree_root(fb);
	fdt_build_u32(fb, FDT_T_PROP);
	fdt_build_u32(fb, len);
	fdt_build_u32(fb, nameoff);
	fdt_build_end(fb);
	fdt_build_u32(fb, FDT_T_END);
}

static void tree_prop_len_past(struct fdt_build *fb) { prop_raw(fb, 0x100, 0); }
static void tree_prop_len_huge(struct fdt_build *fb) { prop_raw(fb, ~0u, 0); }
static void tree_nameoff_huge(struct fdt_build *fb) { prop_raw(fb, 0, ~0u); }

/* nameoff == size of the strings block: one past the last name. */
static void tree_nameoff_range(struct fdt_build *fb)
{
	tree_root(fb);
	fdt_build_u32(fb, FDT_T_PROP);
	fdt_build_u32(fb, 0);
	fdt_build_u32(fb, (uint32_t)fb->nstrs);
	fdt_build_end(fb);
	fdt_build_u32(fb, FDT_T_END);
}

static void tree_prop_header_cut(struct fdt_build *fb)
{
	tree_root(fb);
	fdt_build_end(fb);
	fdt_build_u32(fb, FDT_T_PROP);
	fdt_build_u32(fb, 4);
}

static void tree_unknown_token(struct fdt_build *fb)
{
	tree_root(fb);
	fdt_build_u32(fb, 5);
	fdt_build_end(fb);
	fdt_build_u32(fb, FDT_T_END);
}

static void tree_name_unterminated(struct fdt_build *fb)
{
	tree_root(fb);
	fdt_build_end(fb);
	fdt_build_u32(fb, FDT_T_BEGIN_NODE);
	fdt_build_u32(fb, 0x41414141);  /* "AAAA" to the end, no NUL */
}

/* The last string in the block loses its NUL (with SIZE_STRINGS - 1). */
static void tree_string_unterminated(struct fdt_build *fb)
{
	tree_root(fb);
	fdt_build_cells(fb, "last-name", 1, 1);
	fdt_build_end(fb);
	fdt_build_u32(fb, FDT_T_END);
}

static void tree_cpu_no_reg(struct fdt_build *fb)
{
	tree_root(fb);
	fdt_build_begin(fb, "cpus");
	fdt_build_begin(fb, "cpu@0");
	fdt_build_str(fb, "device_type", "cpu");
	fdt_build_end(fb);
	fdt_build_end(fb);
	fdt_build_end(fb);
	fdt_build_u32(fb, FDT_T_END);
}

static void tree_three_cells(struct fdt_build *fb)
{
	fdt_build_begin(fb, "");
	fdt_build_cells(fb, "#address-cells", 1, 3);
	fdt_build_begin(fb, "memory@0");
	fdt_build_str(fb, "device_type", "memory");
	fdt_build_cells(fb, "reg", 4, 0, 0, 0x80000000, 0x1000000);
	fdt_build_end(fb);
	fdt_build_end(fb);
	fdt_build_u32(fb, FDT_T_END);
}

/* How a case breaks the header: field = v, field += v, field = totalsize
 * + v (rounded down to 8 for the rsvmap), or maxlen = v. */
enum patch_op { P_NONE, P_SET, P_ADD, P_TOTAL_PLUS, P_RSV_AT, P_MAXLEN };

struct bad_case {
	const char *name;
	void (*tree)(struct fdt_build *fb);
	enum patch_op op;
	uint32_t field;         /* header offset */
	int64_t v;
	bool want_ok;           /* the controls that must parse */
};

static const struct bad_case bad_cases[] = {
	{ "valid_minimal", tree_minimal, P_NONE, 0, 0, true },
	{ "nesting_16_deep", tree_deep16, P_NONE, 0, 0, true },
	{ "short_header", tree_minimal, P_MAXLEN, 0, 39, false },
	{ "bad_magic", tree_minimal, P_SET, FDT_H_MAGIC, 0xd00dfeee, false },
	{ "version_15", tree_minimal, P_SET, FDT_H_VERSION, 15, false },
	{ "totalsize_past_maxlen", tree_minimal, P_ADD, FDT_H_TOTALSIZE, 4, false },
	{ "totalsize_tiny", tree_minimal, P_SET, FDT_H_TOTALSIZE, 20, false },
	{ "struct_offset_past_total", tree_minimal, P_TOTAL_PLUS,
	  FDT_H_OFF_STRUCT, 4, false },
	{ "struct_size_past_total", tree_minimal, P_TOTAL_PLUS,
	  FDT_H_SIZE_STRUCT, 0, false },
	{ "struct_offset_misaligned", tree_minimal, P_ADD, FDT_H_OFF_STRUCT, 2,
	  false },
	{ "strings_offset_past_total", tree_minimal, P_TOTAL_PLUS,
	  FDT_H_OFF_STRINGS, 1, false },
	{ "strings_size_past_total", tree_minimal, P_ADD, FDT_H_SIZE_STRINGS, 1,
	  false },
	{ "rsvmap_offset_past_total", tree_minimal, P_RSV_AT, FDT_H_OFF_RSVMAP,
	  8, false },
	{ "rsvmap_unterminated", tree_minimal, P_RSV_AT, FDT_H_OFF_RSVMAP, -8,
	  false },
	{ "nameoff_out_of_range", tree_nameoff_range, P_NONE, 0, 0, false },
	{ "nameoff_huge", tree_nameoff_huge, P_NONE, 0, 0, false },
	{ "name_unterminated", tree_string_unterminated, P_ADD,
	  FDT_H_SIZE_STRINGS, -1, false },
	{ "nesting_17_deep", tree_deep17, P_NONE, 0, 0, false },
	{ "end_node_without_begin", tree_end_node_first, P_NONE, 0, 0, false },
	{ "end_node_after_root", tree_extra_end_node, P_NONE, 0, 0, false },
	{ "missing_end", tree_no_end, P_NONE, 0, 0, false },
	{ "end_with_open_node", tree_end_open, P_NONE, 0, 0, false },
	{ "no_root", tree_no_root, P_NONE, 0, 0, false },
	{ "two_roots", tree_two_roots, P_NONE, 0, 0, false },
	{ "empty_structure", tree_minimal, P_SET, FDT_H_SIZE_STRUCT, 0, false },
	{ "prop_outside_node", tree_prop_outside, P_NONE, 0, 0, false },
	{ "prop_len_past_block", tree_prop_len_past, P_NONE, 0, 0, false },
	{ "prop_len_huge", tree_prop_len_huge, P_NONE, 0, 0, false },
	{ "prop_header_cut", tree_prop_header_cut, P_NONE, 0, 0, false },
	{ "unknown_token", tree_unknown_token, P_NONE, 0, 0, false },
	{ "node_name_unterminated", tree_name_unterminated, P_NONE, 0, 0, false },
	{ "cpu_without_reg", tree_cpu_no_reg, P_NONE, 0, 0, false },
	{ "reg_with_3_address_cells", tree_three_cells, P_NONE, 0, 0, false },
};

static void test_bad(const void *arg)
{
	const struct bad_case *bc = arg;
	static struct fdt_build fb;
	fdt_build_init(&fb);
	bc->tree(&fb);
	size_t len, maxlen;
	uint8_t *b = fdt_build_finish(&fb, &len);
	maxlen = len;
	uint32_t old = bc->op == P_MAXLEN ? 0 : fdt_get32(b, bc->field);
	switch (bc->op) {
	case P_NONE: break;
	case P_SET: fdt_set32(b, bc->field, (uint32_t)bc->v); break;
	case P_ADD: fdt_set32(b, bc->field, (uint32_t)(old + bc->v)); break;
	case P_TOTAL_PLUS: fdt_set32(b, bc->field, (uint32_t)(len + bc->v)); break;
	case P_RSV_AT:
		fdt_set32(b, bc->field, (uint32_t)(len + bc->v) & ~7u);
		break;
	case P_MAXLEN: maxlen = (size_t)bc->v; break;
	}
	struct dt_info di;
	const char *err;
	int rc = parse_copy(b, maxlen, &di, &err);
	if (bc->want_ok)
		EXPECTF(rc == 0, "rejected: %s", err ? err : "NULL");
	else if (EXPECTF(rc == -1, "accepted"))
		t_logf("err: %s", err ? err : "NULL");
	free(b);
}

int main(int argc, char **argv)
{
	static struct mut_case muts[8];
	int nmuts = 0;
	t_init(&argc, argv);
	for (int i = 1; i < argc && nmuts < 8; i++) {
		size_t len;
		uint8_t *b = load(argv[i], &len);
		if (b == NULL) {
			fprintf(stderr, "dt_corrupt_test: cannot load %s\n", argv[i]);
			return 2;
		}
		struct mut_case *mc = &muts[nmuts];
		const char *base = strrchr(argv[i], '/');
		snprintf(mc->name, sizeof mc->name, "mutate/%s",
			 base ? base + 1 : argv[i]);
		mc->blob = b;
		mc->len = len;
		mc->n = i == 1 ? MUTATIONS : MUTATIONS_MORE;
		mc->seed = 20000 + (uint64_t)i;
		if (i == 1) {
			blob = b;
			blob_len = len;
		}
		nmuts++;
	}
	if (blob == NULL) {
		fprintf(stderr, "usage: dt_corrupt_test BLOB.dtb [BLOB.dtb ...]\n");
		return 2;
	}
	t_run("truncate", test_truncate);
	t_run("cut_structure_block", test_cut_struct);
	t_run("cut_strings_block", test_cut_strings);
	for (int i = 0; i < nmuts; i++)
		t_run_arg(muts[i].name, test_mutate, &muts[i]);
	t_run_arg("random_trees", test_random_trees, &riscv_vocab);
	t_run_arg("random_trees_arm", test_random_trees, &arm_vocab);
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		char name[64];
		snprintf(name, sizeof name, "malformed/%s", bad_cases[i].name);
		t_run_arg(name, test_bad, &bad_cases[i]);
	}
	for (int i = 0; i < nmuts; i++)
		free((void *)muts[i].blob);
	return t_finish("dt_corrupt_test");
}
