/* main.c (tests) - the test image's main: run the tests or benchmarks. */
#include "gohart.h"
#include "testing.h"

/*
 * Tests run on cpu 0 (they say so in testing.h), so main stays there:
 * pinned by an initializer, as a Go program calls LockOSThread in init.
 */
__attribute__((constructor)) static void main_stays_on_cpu0(void)
{
	gohart_lock_hart();
}

int main(void)
{
	return testing_main();
}
