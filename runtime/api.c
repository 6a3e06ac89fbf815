/*
 * api.c - include/gohart.h, implemented over the runtime's internals.
 */
#include "gohart.h"

#include "bootargs.h"
#include "hal/hal.h"
#include "hart.h"
#include "panic.h"

uint64_t gohart_nanotime(void) { return hal_nanotime(); }
int gohart_cpu(void) { return hal_cpu_id(); }
void gohart_on_each_cpu(void (*fn)(void *), void *arg) { hart_call_all(fn, arg); }
_Noreturn void gohart_exit(int status) { runtime_exit(status); }
const char *gohart_bootarg(const char *key) { return bootarg(key); }

int gohart_ncpu(void)
{
	int n = 0;
	for (int i = 0; i < hal_ncpu(); i++)
		n += hart_online(i);
	return n;
}
