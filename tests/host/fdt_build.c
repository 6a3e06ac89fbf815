/*
 * fdt_build.c - hand-written device-tree blobs for the dt tests
 * (fdt_build.h).  Overflowing the fixed buffers is a bug in a test, so it
 * aborts.
 */
#include "fdt_build.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void need(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fdt_build: %s\n", what);
		abort();
	}
}

uint32_t fdt_get32(const uint8_t *blob, size_t off)
{
	const uint8_t *p = blob + off;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void fdt_set32(uint8_t *blob, size_t off, uint32_t v)
{
	blob[off] = (uint8_t)(v >> 24);
	blob[off + 1] = (uint8_t)(v >> 16);
	blob[off + 2] = (uint8_t)(v >> 8);
	blob[off + 3] = (uint8_t)v;
}

void fdt_build_init(struct fdt_build *fb)
{
	memset(fb, 0, sizeof *fb);
}

void fdt_build_u32(struct fdt_build *fb, uint32_t v)
{
	need(fb->nst + 4 <= sizeof fb->st, "structure block full");
	fdt_set32(fb->st, fb->nst, v);
	fb->nst += 4;
}

/* Append n bytes and zero padding up to a multiple of 4. */
static void put_padded(struct fdt_build *fb, const void *p, size_t n)
{
	size_t padded = (n + 3) & ~(size_t)3;
	need(fb->nst + padded <= sizeof fb->st, "structure block full");
	memcpy(fb->st + fb->nst, p, n);
	memset(fb->st + fb->nst + n, 0, padded - n);
	fb->nst += padded;
}

void fdt_build_begin(struct fdt_build *fb, const char *name)
{
	fdt_build_u32(fb, FDT_T_BEGIN_NODE);
	put_padded(fb, name, strlen(name) + 1);
}

void fdt_build_end(struct fdt_build *fb)
{
	fdt_build_u32(fb, FDT_T_END_NODE);
}

static uint32_t string_off(struct fdt_build *fb, const char *name)
{
	size_t off = 0;
	while (off < fb->nstrs) {
		if (strcmp(fb->strs + off, name) == 0)
			return (uint32_t)off;
		off += strlen(fb->strs + off) + 1;
	}
	size_t n = strlen(name) + 1;
	need(fb->nstrs + n <= sizeof fb->strs, "strings block full");
	memcpy(fb->strs + fb->nstrs, name, n);
	fb->nstrs += n;
	return (uint32_t)off;
}

void fdt_build_prop_off(struct fdt_build *fb, uint32_t nameoff,
			const void *val, uint32_t len)
{
	fdt_build_u32(fb, FDT_T_PROP);
	fdt_build_u32(fb, len);
	fdt_build_u32(fb, nameoff);
	put_padded(fb, val, len);
}

void fdt_build_prop(struct fdt_build *fb, const char *name, const void *val,
		    uint32_t len)
{
	fdt_build_prop_off(fb, string_off(fb, name), val, len);
}

void fdt_build_str(struct fdt_build *fb, const char *name, const char *s)
{
	fdt_build_prop(fb, name, s, (uint32_t)strlen(s) + 1);
}

void fdt_build_cells(struct fdt_build *fb, const char *name, int n, ...)
{
	uint8_t buf[64 * 4];
	va_list ap;
	need(n >= 0 && n <= 64, "too many cells");
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		fdt_set32(buf, 4 * (size_t)i, va_arg(ap, uint32_t));
	va_end(ap);
	fdt_build_prop(fb, name, buf, 4 * (uint32_t)n);
}

void fdt_build_reserve(struct fdt_build *fb, uint64_t base, uint64_t size)
{
	need(fb->nrsv < 16, "too many reservations");
	fb->rsv[fb->nrsv][0] = base;
	fb->rsv[fb->nrsv][1] = size;
	fb->nrsv++;
}

static void set64(uint8_t *p, uint64_t v)
{
	fdt_set32(p, 0, (uint32_t)(v >> 32));
	fdt_set32(p, 4, (uint32_t)v);
}

uint8_t *fdt_build_finish(const struct fdt_build *fb, size_t *len)
{
	size_t off_rsv = FDT_H_SIZE;
	size_t off_st = off_rsv + 16 * ((size_t)fb->nrsv + 1);
	size_t off_str = off_st + fb->nst;
	size_t total = off_str + fb->nstrs;
	uint8_t *b = calloc(1, total);
	need(b != NULL, "out of memory");
	fdt_set32(b, FDT_H_MAGIC, 0xd00dfeed);
	fdt_set32(b, FDT_H_TOTALSIZE, (uint32_t)total);
	fdt_set32(b, FDT_H_OFF_STRUCT, (uint32_t)off_st);
	fdt_set32(b, FDT_H_OFF_STRINGS, (uint32_t)off_str);
	fdt_set32(b, FDT_H_OFF_RSVMAP, (uint32_t)off_rsv);
	fdt_set32(b, FDT_H_VERSION, 17);
	fdt_set32(b, FDT_H_LAST_COMP, 16);
	fdt_set32(b, FDT_H_SIZE_STRINGS, (uint32_t)fb->nstrs);
	fdt_set32(b, FDT_H_SIZE_STRUCT, (uint32_t)fb->nst);
	for (int i = 0; i < fb->nrsv; i++) {
		set64(b + off_rsv + 16 * (size_t)i, fb->rsv[i][0]);
		set64(b + off_rsv + 16 * (size_t)i + 8, fb->rsv[i][1]);
	}
	memcpy(b + off_st, fb->st, fb->nst);
	memcpy(b + off_str, fb->strs, fb->nstrs);
	*len = total;
	return b;
}
