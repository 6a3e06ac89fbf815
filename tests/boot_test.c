/*
 * boot_test.c - every cpu the device tree lists comes up, once, with the
 * right identity, and the boot information is what QEMU was told.
 *
 * tests/run.py passes what it told QEMU: test.ncpu=N test.mem=BYTES and
 * test.probe=a=b (to check the command line arrives intact).
 */
#include <string.h>

#include "hal/hal.h"
#include "mm/mheap.h"
#include "mm/physmem.h"
#include "runtime/bootargs.h"
#include "runtime/hart.h"
#include "testing.h"

static atomic_int ran_on[CONFIG_MAXCPU];

static void mark_cpu(void *arg)
{
	(void)arg;
	atomic_fetch_add(&ran_on[hal_cpu_id()], 1);
}

TEST(boot_every_hart_online)
{
	long want = bootarg_int("test.ncpu", -1);
	if (want < 0)
		t_fatalf(t, "runner did not pass test.ncpu");
	EXPECT_EQ(t, hal_ncpu(), want);
	EXPECT_EQ(t, hal_cpus_failed(), 0);
	for (int i = 0; i < CONFIG_MAXCPU; i++)
		atomic_store(&ran_on[i], 0);
	hart_call_all(mark_cpu, NULL);
	for (int i = 0; i < hal_ncpu(); i++)
		if (atomic_load(&ran_on[i]) != 1)
			t_errorf(t, "cpu %d ran the call %d times, want 1", i,
				 atomic_load(&ran_on[i]));
}

TEST(boot_hart_ids_unique)
{
	for (int i = 0; i < hal_ncpu(); i++)
		for (int j = i + 1; j < hal_ncpu(); j++)
			if (hal_cpu_hwid(i) == hal_cpu_hwid(j))
				t_errorf(t, "cpus %d and %d share hart id %lu", i, j,
					 hal_cpu_hwid(i));
	EXPECT_EQ(t, hal_cpu_id(), 0);
}

static atomic_int id_ok;

static void check_id(void *arg)
{
	int *seen = arg;
	seen[hal_cpu_id()] = hal_cpu_id() + 1;
	if (hart_self() == &harts[hal_cpu_id()])
		atomic_fetch_add(&id_ok, 1);
}

TEST(boot_cpu_local_is_per_cpu)
{
	static int seen[CONFIG_MAXCPU];
	atomic_store(&id_ok, 0);
	hart_call_all(check_id, seen);
	for (int i = 0; i < hal_ncpu(); i++)
		EXPECT_EQ(t, seen[i], i + 1);
	EXPECT_EQ(t, atomic_load(&id_ok), hal_ncpu());
}

extern char _start[], _end[];

TEST(boot_memory_map)
{
	long want = bootarg_int("test.mem", -1);
	if (want > 0)
		EXPECT_EQ(t, physmem_total(), want);
	struct hal_mem_range r[PHYSMEM_MAXRANGES];
	int n = physmem_ranges(r, PHYSMEM_MAXRANGES);
	REQUIRE(t, n > 0);
	uintptr_t ks = (uintptr_t)_start, ke = (uintptr_t)_end;
	for (int i = 0; i < n; i++) {
		uintptr_t b = r[i].base, e = b + r[i].size;
		if (b < ke && e > ks)
			t_errorf(t, "free range %#lx-%#lx overlaps the kernel %#lx-%#lx",
				 (unsigned long)b, (unsigned long)e,
				 (unsigned long)ks, (unsigned long)ke);
		if (i > 0 && b < r[i - 1].base + r[i - 1].size)
			t_errorf(t, "free ranges %d and %d overlap", i - 1, i);
		if (b % PHYSMEM_ALIGN || e % PHYSMEM_ALIGN)
			t_errorf(t, "free range %d not page-aligned", i);
	}
	/* The heap took all of it: every free range lies inside its arena. */
	for (int i = 0; i < n; i++)
		if (r[i].base + PAGE_SIZE <= mheap.arena_base ||
		    r[i].base + r[i].size > mheap.arena_end + PAGE_SIZE)
			t_errorf(t, "free range %d outside the heap arena", i);
	EXPECT(t, mheap.sys_pages * PAGE_SIZE <= physmem_total());
}

TEST(boot_bootargs_arrive)
{
	const char *v = bootarg("test.probe");
	REQUIRE(t, v != NULL);
	EXPECT(t, strcmp(v, "a=b") == 0);
	EXPECT(t, bootarg("test.absent") == NULL);
	long x;
	EXPECT(t, parse_int("64M", &x) && x == 64l << 20);
	EXPECT(t, parse_int("0x10", &x) && x == 16);
	EXPECT(t, !parse_int("12q", &x));
	uint64_t ns;
	EXPECT(t, parse_duration("10ms", &ns) && ns == 10000000);
	EXPECT(t, !parse_duration("ms", &ns));
}

TEST(boot_test_selection_regexp)
{
	EXPECT(t, match_regexp("^boot_", "boot_memory_map"));
	EXPECT(t, !match_regexp("^memory", "boot_memory_map"));
	EXPECT(t, match_regexp("memory", "boot_memory_map"));
	EXPECT(t, match_regexp("map$", "boot_memory_map"));
	EXPECT(t, match_regexp("x|boot_m.*y_map", "boot_memory_map"));
	EXPECT(t, match_regexp("^b[a-o]+t_", "boot_x"));
	EXPECT(t, !match_regexp("^b[^o]", "boot_x"));
	EXPECT(t, match_regexp("colou?r", "color"));
}
