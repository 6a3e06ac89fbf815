/*
 * pccount.c - a QEMU TCG plugin that counts every guest instruction
 * executed, by address: an inline add per instruction into a counter
 * found by the address in an open-addressed table.  At exit it writes
 * "address count" lines to out=FILE and the total to stderr.
 *
 *     qemu-riscv64 -plugin ./libpccount.so,out=counts.txt prog args
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-plugin-min.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;

#define NSLOT (1u << 22)                /* distinct addresses we can count */

static uint64_t addr[NSLOT], count[NSLOT];
static bool used[NSLOT];
static const char *outpath = "pccount.out";

/* The counter for address a (translation time: single-threaded). */
static uint64_t *counter(uint64_t a)
{
	uint64_t h = (a * 0x9E3779B97F4A7C15ull) >> 42;
	for (;;) {
		if (!used[h]) {
			used[h] = true;
			addr[h] = a;
			return &count[h];
		}
		if (addr[h] == a)
			return &count[h];
		h = (h + 1) & (NSLOT - 1);
	}
}

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	size_t n = qemu_plugin_tb_n_insns(tb);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
							   counter(qemu_plugin_insn_vaddr(insn)), 1);
	}
}

static void at_exit(qemu_plugin_id_t id, void *arg)
{
	(void)id;
	(void)arg;
	FILE *f = fopen(outpath, "w");
	uint64_t total = 0;
	for (size_t i = 0; i < NSLOT; i++) {
		if (used[i] && count[i]) {
			if (f)
				fprintf(f, "%llx %llu\n", (unsigned long long)addr[i],
					(unsigned long long)count[i]);
			total += count[i];
		}
	}
	if (f)
		fclose(f);
	fprintf(stderr, "PCCOUNT total %llu\n", (unsigned long long)total);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++)
		if (strncmp(argv[i], "out=", 4) == 0)
			outpath = strdup(argv[i] + 4);
	qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
