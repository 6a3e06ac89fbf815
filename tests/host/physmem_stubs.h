/*
 * physmem_stubs.h - what physmem_test sets up for the HAL stubs
 * (physmem_stubs.c): the RAM and reserved ranges hal_mem_ranges and
 * hal_mem_reserved report to physmem_init.
 */
#ifndef GOHART_HOST_PHYSMEM_STUBS_H
#define GOHART_HOST_PHYSMEM_STUBS_H

#include "hal/hal.h"

#define STUB_MAXRANGES 64

extern struct hal_mem_range stub_ram[STUB_MAXRANGES], stub_resv[STUB_MAXRANGES];
extern int stub_nram, stub_nresv;

#endif
