/*
 * ipi_test.c - inter-processor interrupts reach every cpu, from every
 * cpu; hal_irq_offload runs code in real interrupt context.
 */
#include "hal/hal.h"
#include "runtime/hart.h"
#include "testing.h"

static unsigned long ipis(int cpu)
{
	return atomic_load(&harts[cpu].nipi);
}

/* Wait (bounded only by the test watchdog) until cpu saw more than n. */
static void wait_ipis(int cpu, unsigned long n)
{
	while (ipis(cpu) <= n)
		hal_cpu_relax();
}

/* Harts that did not start are boot_every_hart_online's failure; here
 * they are skipped, rather than waited for until the watchdog. */
TEST(ipi_reaches_every_hart)
{
	for (int round = 0; round < 20; round++)
		for (int cpu = 0; cpu < hal_ncpu(); cpu++) {
			if (!hart_online(cpu))
				continue;
			unsigned long before = ipis(cpu);
			hal_ipi_send(cpu);
			wait_ipis(cpu, before);
		}
}

static atomic_int all_to_all_done;

static void send_to_all(void *arg)
{
	(void)arg;
	int me = hal_cpu_id();
	for (int round = 0; round < 10; round++)
		for (int cpu = 0; cpu < hal_ncpu(); cpu++)
			if (cpu != me && hart_online(cpu)) {
				unsigned long before = ipis(cpu);
				hal_ipi_send(cpu);
				wait_ipis(cpu, before);
			}
	atomic_fetch_add(&all_to_all_done, 1);
}

TEST(ipi_all_to_all)
{
	atomic_store(&all_to_all_done, 0);
	hart_call_all(send_to_all, NULL);
	EXPECT_EQ(t, atomic_load(&all_to_all_done), hal_ncpu());
}

struct offload_seen {
	int cpu;
	bool irqs_on;
	int runs;
};

static void offloaded(void *arg)
{
	struct offload_seen *s = arg;
	s->cpu = hal_cpu_id();
	s->irqs_on = hal_irq_enabled();
	s->runs++;
}

TEST(irq_offload_runs_in_interrupt_context)
{
	struct offload_seen s = { -1, true, 0 };
	hal_irq_offload(offloaded, &s);
	EXPECT_EQ(t, s.runs, 1);
	EXPECT_EQ(t, s.cpu, hal_cpu_id());
	EXPECT(t, !s.irqs_on);          /* handlers run masked */
	EXPECT(t, hal_irq_enabled());   /* and we are back as we were */
	uintptr_t m = hal_irq_save();
	hal_irq_offload(offloaded, &s);
	EXPECT(t, !hal_irq_enabled());
	hal_irq_restore(m);
	EXPECT_EQ(t, s.runs, 2);
}
