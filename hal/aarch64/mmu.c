/*
 * mmu.c (aarch64) - the identity map: all RAM and the devices we drive.
 *
 * gohart needs no virtual memory, but an AArch64 cpu with the MMU off
 * treats every data access as Device memory: no caches, no unaligned
 * accesses, and exclusives (ldxr/stxr, every atomic) that are not
 * architecturally guaranteed to work.  So each cpu runs with the MMU on,
 * through one identity map (virtual = physical) that every cpu shares:
 *
 *   RAM      Normal memory, write-back cacheable, inner shareable
 *            (MAIR attribute 1), executable.
 *   devices  Device-nGnRE (attribute 0), never executable: only the 2 MiB
 *            blocks holding the registers of devices the HAL drives (the
 *            UART, the GIC).
 *   the rest unmapped: a stray pointer (a NULL dereference, address 8 in
 *            tests/trap_test.c) takes a translation fault and is reported,
 *            instead of reading a flash chip or hanging on a bus.
 *
 * Tables (4 KiB granule, 39-bit addresses, sysreg.h): boot_pgd, the level-1
 * table (one entry per GiB: a 1 GiB block, or a level-2 table of 2 MiB
 * blocks), and level-2 tables.  entry.S built boot_pgd and up to two
 * level-2 tables with the MMU off, mapping just the image and the device
 * tree.  mmu_init then maps every /memory range, and mmu_map_device each
 * device, into the same tables, taking new level-2 tables from a static
 * pool.
 *
 * Invariant: entries only ever go from invalid to valid; nothing mapped is
 * changed or removed.  A TLB never holds an invalid entry, so no TLB
 * invalidation (and no break-before-make) is ever needed, only a dsb to
 * make the new entry visible to the table walkers of every cpu and an isb.
 * A device block that falls in a 2 MiB block already mapped as RAM keeps
 * the RAM mapping (no board we know of puts registers there).
 *
 * Granularity: RAM is mapped in whole 2 MiB blocks (1 GiB where a whole
 * aligned GiB is RAM), rounded outwards.  A RAM bank whose ends are not
 * 2 MiB aligned gets a little Normal memory past its ends; harmless on
 * the boards we run on, and a level-3 table away if one ever needs it.
 *
 * Locking: called on cpu 0 only, before the other cpus start.
 *
 * Linux: arch/arm64/mm/mmu.c (create_pgd_mapping), head.S (the boot map).
 */
#include "cpu.h"
#include "sysreg.h"

#define ENTRIES 512
#define POOL 8
#define SZ_1G (1ull << L1_SHIFT)

extern uint64_t boot_pgd[ENTRIES];
static uint64_t pmd_pool[POOL][ENTRIES] __attribute__((aligned(4096)));
static int pmd_used;

static uint64_t *level2(unsigned i1)
{
	uint64_t e = boot_pgd[i1];
	if ((e & 3) == PTE_TABLE)
		return (uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK);
	if (e != 0)
		return NULL;            /* a 1 GiB block covers it already */
	if (pmd_used == POOL)
		boot_fail("mmu", "out of level-2 page tables");
	uint64_t *pmd = pmd_pool[pmd_used++];
	dsb(ishst);             /* the (zero) table before the pointer to it */
	boot_pgd[i1] = (uint64_t)(uintptr_t)pmd | PTE_TABLE;
	return pmd;
}

/* Map [base, base + size) with block attributes attr, where unmapped. */
static void map_range(uint64_t base, uint64_t size, uint64_t attr, bool gig)
{
	uint64_t a = base & ~(uint64_t)(SZ_2M - 1);
	uint64_t end = base + size;
	while (a < end) {
		unsigned i1 = (unsigned)(a >> L1_SHIFT);
		if (i1 >= ENTRIES)
			return;         /* beyond the 39-bit map: hal_mem_ranges clips */
		if (gig && (a & (SZ_1G - 1)) == 0 && end - a >= SZ_1G &&
		    boot_pgd[i1] == 0) {
			boot_pgd[i1] = a | attr;
			a += SZ_1G;
			continue;
		}
		uint64_t *pmd = level2(i1);
		unsigned i2 = (unsigned)(a >> L2_SHIFT) & (ENTRIES - 1);
		if (pmd != NULL && pmd[i2] == 0)
			pmd[i2] = a | attr;
		a += SZ_2M;
	}
}

static void publish(void)
{
	dsb(ishst);
	isb();
}

void mmu_init(void)
{
	for (int i = 0; i < hal_dt.nmem; i++)
		map_range(hal_dt.mem[i].base, hal_dt.mem[i].size, PTE_NORMAL, true);
	publish();
}

void mmu_map_device(uint64_t base, uint64_t size)
{
	map_range(base, size ? size : 1, PTE_DEVICE, false);
	publish();
}
