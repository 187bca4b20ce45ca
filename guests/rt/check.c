/* SPDX-License-Identifier: MIT */
/* PASS/FAIL lines for the test guests. */
#include "rt.h"

unsigned checks_passed, checks_failed;

void check_true(const char *name, int ok, const char *why)
{
	if (ok) {
		checks_passed++;
		printf("PASS %s\n", name);
	} else {
		checks_failed++;
		printf("FAIL %s (%s)\n", name, why);
	}
}

void check_u64(const char *name, uint64_t got, uint64_t want)
{
	if (got == want) {
		checks_passed++;
		printf("PASS %s\n", name);
	} else {
		checks_failed++;
		printf("FAIL %s (got 0x%lx, expected 0x%lx)\n", name, got, want);
	}
}
