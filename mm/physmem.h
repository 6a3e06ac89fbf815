/*
 * physmem.h - the physical memory map, before the heap exists.
 *
 * At boot the free RAM is "every /memory range minus everything reserved"
 * (firmware, the device tree, the kernel image, /reserved-memory).  This
 * module computes that list once, page-aligned, and hands out early
 * boot-time regions from it (the C heap today; mheap takes all the rest
 * when it arrives).  Nothing is ever given back.
 */
#ifndef GOHART_PHYSMEM_H
#define GOHART_PHYSMEM_H

#include <stddef.h>
#include <stdint.h>

#include "hal/hal.h"

#define PHYSMEM_MAXRANGES 64
#define PHYSMEM_ALIGN 4096

/*
 * physmem_subtract (pure): out = ram minus resv, each out range aligned
 * inward to `align`, sorted by address, empty ones dropped.  Returns the
 * number of ranges written (at most max).
 */
int physmem_subtract(const struct hal_mem_range *ram, int nram,
		     const struct hal_mem_range *resv, int nresv,
		     uintptr_t align, struct hal_mem_range *out, int max);

/* Build the free list from the HAL.  Boot, cpu 0, after hal_init. */
void physmem_init(void);
/* Free ranges still unclaimed. */
int physmem_ranges(struct hal_mem_range *out, int max);
/* Total RAM in /memory, and what is still free. */
uint64_t physmem_total(void);
uint64_t physmem_free(void);
/*
 * physmem_take: claim `size` bytes aligned to `align` (a power of two) from
 * the highest free range that fits.  Boot only.  Out of memory is fatal.
 */
void *physmem_take(size_t size, size_t align);
/*
 * physmem_claim_all: the heap (mm/mheap.c) has taken every free range;
 * physmem_take is a fatal error from now on.  The ranges stay readable
 * as the record of what was free at boot.
 */
void physmem_claim_all(void);

#endif
