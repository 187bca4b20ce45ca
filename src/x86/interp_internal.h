/* SPDX-License-Identifier: MIT */
/* Interpreter internals shared by the core and the handler families. */
#ifndef APXVM_X86_INTERP_INTERNAL_H
#define APXVM_X86_INTERP_INTERNAL_H

#include "x86/interp.h"

/* One row name -> handler.  Each family file ends its table with { NULL, NULL }. */
struct x86_handler_entry {
	const char *name; /* the opcode row's name exactly ("add", "cbw|cwde|cdqe", "ccmp") */
	x86_handler fn;
};

extern const struct x86_handler_entry x86_handlers_alu[];  /* exec_alu.c: ALU, shifts, mul/div, bits, BMI, flag ops */
extern const struct x86_handler_entry x86_handlers_data[]; /* exec_data.c: moves, stack, xchg/cmpxchg/xadd, cmov/setcc */
extern const struct x86_handler_entry x86_handlers_ctl[];  /* exec_ctl.c: branches, strings, int/ud/hlt, cpuid, rdtsc, in/out */
extern const struct x86_handler_entry x86_handlers_apx[];  /* exec_apx.c: ccmp/ctest, cfcmov, push2/pop2, pushp/popp, jmpabs */
extern const struct x86_handler_entry x86_handlers_sys[];  /* exec_sys.c: privileged system instructions */

/* A row name registered by two families (a bug: lookup would pick either), or NULL. */
const char *x86_handler_table_duplicate(void);

enum x86_exit x86_fetch(struct x86_cpu *c, uint64_t rip, uint8_t *buf, unsigned *n);
enum x86_exit x86_fetch_fault(struct x86_cpu *c, uint64_t la);

#endif
