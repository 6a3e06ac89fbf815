/* main.c (tests) - the test image's main: run the tests or benchmarks. */
#include "testing.h"

int main(void)
{
	return testing_main();
}
