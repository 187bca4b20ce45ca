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
extern const struct x86_handler_entry x86_handlers_xsave[]; /* exec_xsave.c: FXSAVE/FXRSTOR, XSAVE family, XRSTOR */
extern const struct x86_handler_entry x86_handlers_seg[];  /* exec_seg.c: far transfers, IRET, SYSCALL/SYSRET, segment loads */

/* A row name registered by two families (a bug: lookup would pick either), or NULL. */
const char *x86_handler_table_duplicate(void);

enum x86_exit x86_fetch(struct x86_cpu *c, uint64_t rip, uint8_t *buf, unsigned *n);
enum x86_exit x86_fetch_fault(struct x86_cpu *c, uint64_t la);

/* mem.c: an access at privilege level `cpl`; sys = implicit supervisor access
 * (descriptor tables, TSS).  dst: read, src: write, neither: probe `kind`. */
enum x86_exit x86_mem_cpl(struct x86_cpu *c, unsigned cpl, bool sys, uint64_t la, void *dst,
			  const void *src, unsigned size, enum x86_access_kind kind, bool ss);
enum x86_exit x86_mem_read_sys(struct x86_cpu *c, uint64_t la, void *dst, unsigned size);
/* exec_seg.c: load ES/SS/DS/FS/GS (enum vcpu_seg) with a selector, 64-bit-mode checks. */
enum x86_exit x86_load_sreg(struct x86_cpu *c, unsigned sreg, uint16_t sel);

/* XSAVE's XINUSE bitmap for the components enabled in XCR0 (exec_xsave.c). */
uint64_t x86_xinuse(struct vcpu *v);

#endif
