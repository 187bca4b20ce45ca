/* SPDX-License-Identifier: MIT */
/*
 * Builds and runs examples/api_example.c (the README's example of the
 * library API) so that it cannot rot: its main() becomes example_main().
 */
#include "tap.h"

#define main example_main
int example_main(void);
#include "../examples/api_example.c"
#undef main

int main(void)
{
	ok(example_main() == 0, "examples/api_example.c runs: rax = 3 * 14 = 42, then HLT");
	return done_testing();
}
