/*
 * sbi.c (riscv64) - calls into the Supervisor Binary Interface firmware.
 *
 * An SBI call is an ecall from S-mode: a7 = extension id, a6 = function
 * id, a0-a5 = arguments; the firmware (OpenSBI) returns an error in a0
 * and a value in a1 (SBI spec v1.0, chapter 3).  We use:
 *
 *   HSM  0x48534D  hart_start: start a stopped hart at an address
 *   IPI  0x735049  send_ipi: raise a supervisor software interrupt
 *   TIME 0x54494D45 set_timer (when the cpu lacks Sstc)
 *   SRST 0x53525354 system_reset: power off with a reason
 *   legacy 0x01 console_putchar: the console before the UART is known
 */
#include "cpu.h"
#include "csr.h"

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_TIMER 0x00
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354

static bool have_time_ext;

struct sbiret sbi_call(long ext, long fid, long a0, long a1, long a2)
{
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r6 __asm__("a6") = fid;
	register long r7 __asm__("a7") = ext;
	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r6), "r"(r7)
			 : "memory");
	return (struct sbiret){ r0, r1 };
}

static bool sbi_probe(long ext)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, 3, ext, 0, 0);
	return r.error == 0 && r.value != 0;
}

void sbi_init(void)
{
	have_time_ext = sbi_probe(SBI_EXT_TIME);
}

void sbi_console_putchar(int c)
{
	sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, c, 0, 0);
}

int sbi_hart_start(unsigned long hartid, uintptr_t addr, uintptr_t opaque)
{
	return (int)sbi_call(SBI_EXT_HSM, 0, (long)hartid, (long)addr,
			     (long)opaque).error;
}

void sbi_send_ipi(unsigned long hartid)
{
	/* hart_mask = bit 0, hart_mask_base = hartid: just that hart. */
	sbi_call(SBI_EXT_IPI, 0, 1, (long)hartid, 0);
}

void sbi_set_timer(uint64_t ticks)
{
	if (have_time_ext)
		sbi_call(SBI_EXT_TIME, 0, (long)ticks, 0, 0);
	else
		sbi_call(SBI_EXT_LEGACY_TIMER, 0, (long)ticks, 0, 0);
}

void sbi_system_reset(int status)
{
	/* type 0 = shutdown; reason 0 = none, 1 = system failure. */
	sbi_call(SBI_EXT_SRST, 0, 0, status != 0, 0);
}
