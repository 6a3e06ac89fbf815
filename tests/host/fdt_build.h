/*
 * fdt_build.h - write small device-tree blobs by hand, for the dt tests.
 *
 * The tests need blobs QEMU never makes: aliases, /memreserve/ entries,
 * odd cell sizes, and broken ones (bad tokens, bad nesting, bad offsets).
 * A struct fdt_build collects the structure block token by token and the
 * strings block; fdt_build_finish() lays them out in the usual order
 *
 *     header (40 bytes) | rsvmap | structure | strings
 *
 * in an exact-size malloc'd buffer, so AddressSanitizer reports any read
 * past its end.  Header fields can be patched afterwards with fdt_set32().
 * Nothing is validated: a test may write any token sequence it likes.
 */
#ifndef GOHART_HOST_FDT_BUILD_H
#define GOHART_HOST_FDT_BUILD_H

#include <stddef.h>
#include <stdint.h>

/* Header field offsets (Devicetree Specification v0.4, 5.2). */
#define FDT_H_MAGIC 0
#define FDT_H_TOTALSIZE 4
#define FDT_H_OFF_STRUCT 8
#define FDT_H_OFF_STRINGS 12
#define FDT_H_OFF_RSVMAP 16
#define FDT_H_VERSION 20
#define FDT_H_LAST_COMP 24
#define FDT_H_BOOT_CPUID 28
#define FDT_H_SIZE_STRINGS 32
#define FDT_H_SIZE_STRUCT 36
#define FDT_H_SIZE 40

#define FDT_T_BEGIN_NODE 1u
#define FDT_T_END_NODE 2u
#define FDT_T_PROP 3u
#define FDT_T_NOP 4u
#define FDT_T_END 9u

struct fdt_build {
	uint8_t st[16384];      /* structure block */
	size_t nst;
	char strs[2048];        /* strings block */
	size_t nstrs;
	uint64_t rsv[16][2];    /* /memreserve/ (address, size) */
	int nrsv;
};

void fdt_build_init(struct fdt_build *fb);
/* Raw big-endian word in the structure block (a token or anything). */
void fdt_build_u32(struct fdt_build *fb, uint32_t v);
void fdt_build_begin(struct fdt_build *fb, const char *name);
void fdt_build_end(struct fdt_build *fb);               /* END_NODE */
/* PROP with the name's offset in the strings block (added if new). */
void fdt_build_prop(struct fdt_build *fb, const char *name, const void *val,
		    uint32_t len);
/* PROP with a raw name offset, which need not be valid. */
void fdt_build_prop_off(struct fdt_build *fb, uint32_t nameoff,
			const void *val, uint32_t len);
void fdt_build_str(struct fdt_build *fb, const char *name, const char *s);
void fdt_build_cells(struct fdt_build *fb, const char *name, int n, ...);
void fdt_build_reserve(struct fdt_build *fb, uint64_t base, uint64_t size);
/* Lay the blob out (see above); *len = its size.  Caller frees it. */
uint8_t *fdt_build_finish(const struct fdt_build *fb, size_t *len);

uint32_t fdt_get32(const uint8_t *blob, size_t off);
void fdt_set32(uint8_t *blob, size_t off, uint32_t v);

#endif
