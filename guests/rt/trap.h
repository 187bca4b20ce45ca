/* SPDX-License-Identifier: MIT */
/* Catching exceptions: trap_install() loads an IDT (vectors 0-31) whose
 * handlers record vector, error code, CR2 and the saved RIP in trap_last.
 * If trap_resume is non-zero the handler clears it, replaces the saved RIP
 * with it and returns with IRETQ (registers as at the fault); otherwise the
 * exception is fatal: a message and exit(TRAP_FATAL_STATUS). */
#ifndef GUESTS_TRAP_H
#define GUESTS_TRAP_H

#include <stdint.h>

#define TRAP_FATAL_STATUS 100
#define TRAP_NONE ((uint64_t)-1)

struct trap_info {
	uint64_t vector, error, cr2, rip;
	uint64_t count;		/* exceptions taken so far */
};

extern volatile struct trap_info trap_last;
extern volatile uint64_t trap_resume;

void trap_install(void);
/* forget the last exception (vector = TRAP_NONE) */
void trap_clear(void);

#endif
