/*
 * semihost.c (aarch64) - Arm semihosting: asking the debugger or emulator
 * for a service, here console output and exit with a status.
 *
 * A semihosting call is `hlt #0xf000` with w0 = operation and x1 = a
 * pointer to its parameter block (Arm IHI 0096, "Semihosting for AArch32
 * and AArch64").  QEMU answers it when started with -semihosting; the
 * runner uses that to read the kernel's exit status (SYS_EXIT_EXTENDED
 * with ADP_Stopped_ApplicationExit makes QEMU exit with the given code).
 *
 * Without a semihosting host the hlt is an undefined instruction.  It
 * traps to the real vector table, where semihost_skip() recognizes the
 * one hlt in this file, steps over it and remembers that there is no
 * host; from then on the calls do nothing.  So every call is safe, but
 * only after trap_init_cpu (entry.S's early vectors cannot skip it).
 */
#include "cpu.h"

#define SYS_WRITEC 0x03
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static bool no_host;

/* long semihost_call(long op, void *param): the hlt, at semihost_hlt. */
long semihost_call(long op, void *param);
extern char semihost_hlt[];
__asm__(".section .text\n"
	".globl semihost_call\n"
	".balign 4\n"
	"semihost_call:\n"
	".globl semihost_hlt\n"
	"semihost_hlt:\n"
	"	hlt	#0xf000\n"
	"	ret\n");

/* From hal_trap: was this the hlt above, with nobody to answer it? */
bool semihost_skip(struct hal_trapframe *tf)
{
	if (tf->pc != (uintptr_t)semihost_hlt)
		return false;
	no_host = true;
	tf->pc += 4;
	tf->x[0] = (uint64_t)-1;
	return true;
}

void semihost_putc(int c)
{
	char ch = (char)c;
	if (!no_host)
		semihost_call(SYS_WRITEC, &ch);
}

/* Returns only if there is no semihosting host. */
void semihost_exit(int status)
{
	uint64_t block[2] = { ADP_STOPPED_APPLICATION_EXIT, (uint64_t)status };
	if (!no_host)
		semihost_call(SYS_EXIT_EXTENDED, block);
}
