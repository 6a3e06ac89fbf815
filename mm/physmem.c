/*
 * physmem.c - free RAM = /memory - reserved (physmem.h).
 *
 * physmem_subtract: merge overlapping RAM ranges, then for each one cut
 * out every reserved range that overlaps it, splitting it in two when a
 * hole falls in the middle.  O(nram * nresv * nout), with a few dozen
 * ranges at most.
 */
#include "physmem.h"

#include "runtime/panic.h"
#include "runtime/print.h"

static struct hal_mem_range freelist[PHYSMEM_MAXRANGES];
static int nfree;
static uint64_t total;

static void insert_sorted(struct hal_mem_range *out, int *n, int max,
			  uintptr_t b, uintptr_t e)
{
	if (e <= b || *n >= max)
		return;
	int i = *n;
	while (i > 0 && out[i - 1].base > b) {
		out[i] = out[i - 1];
		i--;
	}
	out[i].base = b;
	out[i].size = e - b;
	(*n)++;
}

int physmem_subtract(const struct hal_mem_range *ram, int nram,
		     const struct hal_mem_range *resv, int nresv,
		     uintptr_t align, struct hal_mem_range *out, int max)
{
	/*
	 * Work list of pieces still to cut; starts as the RAM ranges, sorted
	 * and with overlapping ones merged (a device tree may
	 * list RAM twice; it must not become free twice).
	 */
	struct hal_mem_range work[PHYSMEM_MAXRANGES * 2];
	int nwork = 0, n = 0;
	for (int i = 0; i < nram && nwork < PHYSMEM_MAXRANGES; i++)
		if (ram[i].size > 0 && ram[i].base + ram[i].size > ram[i].base)
			insert_sorted(work, &nwork, PHYSMEM_MAXRANGES, ram[i].base,
				      ram[i].base + ram[i].size);
	int merged = 0;
	for (int i = 0; i < nwork; i++) {
		uintptr_t e = work[i].base + work[i].size;
		if (merged > 0 && work[i].base < work[merged - 1].base + work[merged - 1].size) {
			struct hal_mem_range *m = &work[merged - 1];
			if (e > m->base + m->size)
				m->size = e - m->base;
		} else {
			work[merged++] = work[i];
		}
	}
	nwork = merged;

	while (nwork > 0) {
		struct hal_mem_range r = work[--nwork];
		uintptr_t b = r.base, e = r.base + r.size;
		bool cut = false;
		for (int k = 0; k < nresv && !cut; k++) {
			uintptr_t rb = resv[k].base, re = resv[k].base + resv[k].size;
			if (resv[k].size == 0)
				continue;       /* reserves nothing */
			if (re < rb)
				re = UINTPTR_MAX;       /* wraps: to the end */
			if (re <= b || rb >= e)
				continue;
			cut = true;
			if (rb > b && nwork < (int)(sizeof work / sizeof *work))
				work[nwork++] = (struct hal_mem_range){ b, rb - b };
			if (re < e && nwork < (int)(sizeof work / sizeof *work))
				work[nwork++] = (struct hal_mem_range){ re, e - re };
		}
		if (cut)
			continue;
		uintptr_t ab = (b + align - 1) & ~(align - 1);
		uintptr_t ae = e & ~(align - 1);
		if (ab < b)
			continue;               /* rounding wrapped */
		insert_sorted(out, &n, max, ab, ae);
	}
	return n;
}

void physmem_init(void)
{
	struct hal_mem_range ram[16], resv[48];
	int nram = hal_mem_ranges(ram, 16);
	int nresv = hal_mem_reserved(resv, 48);
	total = 0;
	for (int i = 0; i < nram; i++)
		total += ram[i].size;
	nfree = physmem_subtract(ram, nram, resv, nresv, PHYSMEM_ALIGN, freelist,
				 PHYSMEM_MAXRANGES);
}

int physmem_ranges(struct hal_mem_range *out, int max)
{
	int n = nfree < max ? nfree : max;
	for (int i = 0; i < n; i++)
		out[i] = freelist[i];
	return n;
}

uint64_t physmem_total(void)
{
	return total;
}

uint64_t physmem_free(void)
{
	uint64_t f = 0;
	for (int i = 0; i < nfree; i++)
		f += freelist[i].size;
	return f;
}

static bool claimed;

void physmem_claim_all(void)
{
	claimed = true;
}

void *physmem_take(size_t size, size_t align)
{
	if (claimed)
		throw("physmem_take: the heap owns all free memory already");
	/* Whole pages only, so the free ranges stay page-aligned. */
	size = (size + PHYSMEM_ALIGN - 1) & ~(size_t)(PHYSMEM_ALIGN - 1);
	if (align < PHYSMEM_ALIGN)
		align = PHYSMEM_ALIGN;
	for (int i = nfree - 1; i >= 0; i--) {
		struct hal_mem_range *r = &freelist[i];
		uintptr_t end = r->base + r->size;
		if (size > r->size)
			continue;
		uintptr_t b = (end - size) & ~(uintptr_t)(align - 1);
		if (b < r->base)
			continue;
		/* Take [b, end): the range shrinks from the top. */
		r->size = b - r->base;
		return (void *)b;
	}
	print_fmt("physmem_take: %zu bytes requested, %lu free\n", size,
		  (unsigned long)physmem_free());
	throw("runtime: out of memory");
}
