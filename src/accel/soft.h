/* SPDX-License-Identifier: MIT */
/*
 * The software backend: runs the interpreter (x86/interp.h) and delivers
 * exceptions through the guest's IDT, so that only events the VMM must see
 * leave soft_run(): I/O that asked to stop, HLT, triple fault, the end of
 * the instruction budget, and internal errors.
 */
#ifndef APXVM_ACCEL_SOFT_H
#define APXVM_ACCEL_SOFT_H

#include <stdio.h>

#include "x86/interp.h"

/*
 * Run up to `budget` instructions.  Returns X86_EXIT_IO, X86_EXIT_HLT,
 * X86_EXIT_SHUTDOWN, X86_EXIT_LIMIT or X86_EXIT_INTERNAL (never
 * X86_EXIT_EXCEPTION or X86_EXIT_NONE).  With `trace` non-NULL every
 * exception is logged there before it is delivered.  *used gets the budget
 * consumed: retired instructions plus delivered exceptions (<= budget).
 */
enum x86_exit soft_run(struct x86_cpu *c, uint64_t budget, FILE *trace, uint64_t *used);

#endif
