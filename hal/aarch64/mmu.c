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
 *   page 0   never mapped, even where it is RAM (the Raspberry Pi's RAM
 *            starts at 0): the first 2 MiB go through boot_pte, a level-3
 *            table of 4 KiB pages (entry.S) whose entry 0 is invalid, so
 *            NULL dereferences fault on every board.  The one thing the
 *            HAL must write there, the Pi's spin table, it reaches
 *            through an alias (mmu_alias).
 *   aliases  the last GiB of the address space (MMU_ALIAS_BASE), where
 *            nothing else is mapped: MMU_ALIAS_BASE + (pa mod 1 GiB) ->
 *            pa, a 2 MiB block of normal memory, for mmu_alias.
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
 * Locking: called on cpu 0 only, the tables' one writer; before the other
 * cpus start, except mmu_alias, which hal_start_cpus calls between
 * starting one cpu and the next.  That is safe by the invariant: the
 * running cpus never use the new entry, and their walkers see the old
 * (invalid) or the new entry whole (one 64-bit store).
 *
 * Linux: arch/arm64/mm/mmu.c (create_pgd_mapping), head.S (the boot map).
 */
#include "cpu.h"
#include "sysreg.h"

#define ENTRIES 512
#define POOL 8
#define SZ_1G (1ull << L1_SHIFT)

extern uint64_t boot_pgd[ENTRIES];
extern uint64_t boot_pte[ENTRIES];      /* the first 2 MiB, less page 0 */
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
		if (a >= MMU_ALIAS_BASE)
			return;         /* beyond the identity map: hal_mem_ranges clips */
		if (gig && a != 0 && (a & (SZ_1G - 1)) == 0 && end - a >= SZ_1G &&
		    boot_pgd[i1] == 0) {
			boot_pgd[i1] = a | attr;
			a += SZ_1G;
			continue;
		}
		uint64_t *pmd = level2(i1);
		unsigned i2 = (unsigned)(a >> L2_SHIFT) & (ENTRIES - 1);
		if (pmd != NULL && pmd[i2] == 0) {
			if (a == 0 && attr == PTE_NORMAL)
				pmd[i2] = (uint64_t)(uintptr_t)boot_pte | PTE_TABLE;
			else
				pmd[i2] = a | attr;
		}
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

/* Does the map translate address va? */
static bool mapped(uint64_t va)
{
	uint64_t e = boot_pgd[(va >> L1_SHIFT) & (ENTRIES - 1)];
	for (unsigned shift = L2_SHIFT; (e & 3) == PTE_TABLE; shift -= 9) {
		const uint64_t *t = (const uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK);
		e = t[(va >> shift) & (ENTRIES - 1)];
		if (shift == L2_SHIFT - 9)
			return (e & 3) == 3;    /* a level-3 page */
	}
	return (e & 1) != 0;
}

/*
 * mmu_alias: a pointer through which physical address pa can be read and
 * written as normal memory: pa itself if the identity map covers it, else
 * MMU_ALIAS_BASE + (pa mod 1 GiB), mapping the 2 MiB block around pa
 * there first.  For the few words the HAL must write outside the
 * identity map (the spin table in page 0).  Two aliases 1 GiB apart
 * cannot both exist: the second is a boot failure.  Context: cpu 0, while
 * it starts the others (see Locking).
 */
void *mmu_alias(uint64_t pa)
{
	if (pa < MMU_ALIAS_BASE && mapped(pa))
		return (void *)(uintptr_t)pa;
	uint64_t va = MMU_ALIAS_BASE + (pa & (SZ_1G - 1));
	uint64_t block = pa & ~(uint64_t)(SZ_2M - 1);
	uint64_t *pmd = level2((unsigned)(va >> L1_SHIFT));
	unsigned i2 = (unsigned)(va >> L2_SHIFT) & (ENTRIES - 1);
	if (pmd == NULL || (pmd[i2] != 0 && (pmd[i2] & PTE_ADDR_MASK) != block))
		boot_fail("mmu", "alias address already mapped elsewhere");
	if (pmd[i2] == 0)
		pmd[i2] = block | PTE_NORMAL;
	publish();
	return (void *)(uintptr_t)va;
}
