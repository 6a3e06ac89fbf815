/*
 * sifive_test.c - the "sifive,test0" finisher QEMU's RISC-V virt machine
 * provides (hw/misc/sifive_test.c).  Writing 0x5555 exits QEMU with
 * status 0; writing (code << 16) | 0x3333 exits with `code`.  This is how
 * `make test` gets the kernel's exit status.
 */
#include <stdint.h>

#include "dev.h"

#define FINISHER_FAIL 0x3333
#define FINISHER_PASS 0x5555

void sifive_test_exit(uint64_t base, int status)
{
	volatile uint32_t *reg = (volatile uint32_t *)(uintptr_t)base;
	*reg = status == 0 ? FINISHER_PASS
			   : ((uint32_t)(status & 0xffff) << 16) | FINISHER_FAIL;
}
