/* SPDX-License-Identifier: MIT */
/* The smallest guest: a greeting and one line exercising the printf
 * conversions (tests/test_guest_macros.sh compares both lines), status 0. */
#include "rt.h"

int main(void);
int main(void)
{
	printf("hello from an apxvm guest (%d-bit long mode, %s)\n", 64, "CPL0");
	printf("printf: [%d] [%u] [%x] [%lx] [%llx] [%s] [%c] [%p] [%016lx] [%5d] [%-5d|] [%05x] [%i%%]\n",
	       -42, 42u, 0xbeefu, 0x123456789abcdefUL, 0xfedcba9876543210ULL, "str", 'c',
	       (void *)0x1000, 0xabcUL, 7, 7, 0x1fu, -2147483647 - 1);
	return 0;
}
