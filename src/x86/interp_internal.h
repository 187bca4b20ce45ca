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

/* tlb.last (paging.h): the fast path of fetches (interp.c) and accesses (mem.c). */
/* The guest-physical address of `la` from the last-page entry of `kind`, if valid. */
static inline bool x86_tlb_last_hit(struct x86_cpu *c, enum x86_access_kind kind, uint64_t la,
				    uint64_t *pa)
{
	const struct x86_tlb_last *l = &c->tlb.last[kind];
	const struct vcpu *v = c->v;

	if (!l->valid || l->vpn != la >> 12 || l->gen != c->tlb.gen || l->cr3 != v->cr3 ||
	    l->cpl != v->cpl || l->cr0 != v->cr0 || l->cr4 != v->cr4 || l->efer != v->efer ||
	    l->ac != ((v->regs.rflags & X86_FLAGS_AC) != 0))
		return false;
	c->tlb.hits++;
	*pa = l->pa | (la & 0xfff);
	return true;
}

/* Remember that `la` translated to `pa` (inside RAM) for `kind` under the current state. */
static inline void x86_tlb_last_fill(struct x86_cpu *c, enum x86_access_kind kind, uint64_t la,
				     uint64_t pa)
{
	const struct vcpu *v = c->v;

	c->tlb.last[kind] = (struct x86_tlb_last){
		.vpn = la >> 12, .pa = pa & ~UINT64_C(0xfff), .gen = c->tlb.gen,
		.cr0 = v->cr0, .cr3 = v->cr3, .cr4 = v->cr4, .efer = v->efer, .cpl = v->cpl,
		.ac = (v->regs.rflags & X86_FLAGS_AC) != 0, .valid = true,
	};
}

#endif
