/* SPDX-License-Identifier: MIT */
/*
 * Exception and software-interrupt delivery through the 64-bit IDT.
 *
 * One attempt (deliver_once) does every read and check first (IDT gate,
 * handler CS descriptor, TSS stack pointer, canonical checks), then writes
 * the whole frame with one access (which checks every byte before writing
 * any), then the descriptor's accessed bit, then the registers.  A fault in
 * an attempt therefore leaves nothing behind, and x86_deliver picks the
 * next event as SDM Vol. 3 Table 6-5 says: #DF for contributory-after-
 * contributory and for #PF/contributory-after-#PF, shutdown for a fault
 * while delivering #DF, otherwise the new fault is delivered serially.
 *
 * Saved RFLAGS has RF set for faults (what hardware pushes), not for traps
 * and software interrupts.  CR2 is written when a #PF is recognized (also a
 * #PF met during delivery that becomes #DF).  Not modelled: task gates (no
 * 64-bit form), NMI blocking, interrupt shadows (no external interrupts yet).
 */
#include <stdio.h>

#include "x86/desc.h"
#include "x86/interp_internal.h"

enum exc_class { BENIGN, CONTRIBUTORY, PAGE_FAULT };

static enum exc_class exc_class(const struct x86_exception *e)
{
	if (e->soft)
		return BENIGN;
	switch (e->vector) {
	case X86_EXC_DE: case X86_EXC_TS: case X86_EXC_NP: case X86_EXC_SS: case X86_EXC_GP:
		return CONTRIBUTORY;
	case X86_EXC_PF:
		return PAGE_FAULT;
	default:
		return BENIGN;
	}
}

static bool canonical(uint64_t la)
{
	return (uint64_t)((int64_t)(la << 16) >> 16) == la;
}

/* INT1 (F1) is soft in c->exc but is neither a software interrupt for the
 * gate's DPL check nor for the EXT bit; INT 1 (CD 01) is both. */
static bool is_icebp(struct x86_cpu *c, const struct x86_exception *e)
{
	uint8_t b = 0;

	if (!e->soft || e->vector != X86_EXC_DB)
		return false;
	if (x86_mem_cpl(c, c->v->cpl, false, e->insn_rip, &b, NULL, 1, X86_ACC_READ, false))
		return false;
	return b == 0xf1;
}

/* The 64-bit TSS field at `off` (RSPn or ISTn): #TS(TR + ext) outside the TSS. */
static enum x86_exit tss_read(struct x86_cpu *c, unsigned off, bool ext, uint64_t *val)
{
	const struct vcpu_segment *tr = &c->v->seg[VCPU_SEG_TR];

	if (tr->unusable || !tr->present || (uint64_t)off + 7 > tr->limit)
		return x86_raise_err(c, X86_EXC_TS, x86_sel_err(tr->selector, ext));
	return x86_mem_read_sys(c, tr->base + off, val, 8);
}

static enum x86_exit deliver_once(struct x86_cpu *c, const struct x86_exception *e)
{
	struct vcpu *v = c->v;
	bool icebp = is_icebp(c, e);
	bool ext = !e->soft || icebp;
	unsigned vec = e->vector, cpl = v->cpl, new_cpl, ist, n;
	uint32_t idt_err = vec * 8u + 2u + (ext ? 1u : 0u);
	uint64_t gate[2], rip, rsp, old_rsp = x86_gpr(c, VCPU_REGS_RSP), frame[6], flags;
	uint16_t sel;
	struct x86_desc cs;
	enum x86_exit ex;

	/* The gate. */
	if ((uint64_t)vec * 16 + 15 > v->idt.limit)
		return x86_raise_err(c, X86_EXC_GP, idt_err);
	ex = x86_mem_read_sys(c, v->idt.base + vec * 16u, gate, 16);
	if (ex)
		return ex;
	if (((gate[0] >> 40) & 0xe) != 0xe || (gate[0] >> 44) & 1) /* 64-bit interrupt/trap gate */
		return x86_raise_err(c, X86_EXC_GP, idt_err);
	if (e->soft && !icebp && ((gate[0] >> 45) & 3) < cpl)
		return x86_raise_err(c, X86_EXC_GP, idt_err);
	if (!((gate[0] >> 47) & 1))
		return x86_raise_err(c, X86_EXC_NP, idt_err);
	sel = (uint16_t)(gate[0] >> 16);
	rip = (gate[0] & 0xffff) | ((gate[0] >> 32) & 0xffff0000u) | (gate[1] << 32);
	ist = (unsigned)(gate[0] >> 32) & 7;

	/* The handler's code segment: present 64-bit code, DPL <= CPL. */
	if (!(sel & 0xfffc))
		return x86_raise_err(c, X86_EXC_GP, ext ? 1u : 0u);
	ex = x86_desc_read(c, sel, ext, &cs);
	if (ex)
		return ex;
	if (!x86_desc_is_code(&cs) || cs.dpl > cpl)
		return x86_raise_err(c, X86_EXC_GP, x86_sel_err(sel, ext));
	if (!cs.p)
		return x86_raise_err(c, X86_EXC_NP, x86_sel_err(sel, ext));
	if (!cs.l || cs.db)
		return x86_raise_err(c, X86_EXC_GP, x86_sel_err(sel, ext));
	new_cpl = (cs.type & X86_DESC_CONFORMING) ? cpl : cs.dpl;

	/* The stack: IST whenever the gate names one, else RSPn on a privilege change. */
	rsp = old_rsp;
	if (ist)
		ex = tss_read(c, 0x24 + 8 * (ist - 1), ext, &rsp);
	else if (new_cpl < cpl)
		ex = tss_read(c, 4 + 8 * new_cpl, ext, &rsp);
	if (ex)
		return ex;
	rsp &= ~UINT64_C(15);
	n = e->has_error ? 6 : 5;
	if (!canonical(rsp - 8 * n) || !canonical(rsp - 1))
		return x86_raise_err(c, X86_EXC_SS, 0);
	if (!canonical(rip))
		return x86_raise_err(c, X86_EXC_GP, 0);

	/* The frame, lowest address first: [error], RIP, CS, RFLAGS, RSP, SS. */
	flags = v->regs.rflags;
	if (!e->soft && vec != X86_EXC_DB)
		flags |= X86_FLAGS_RF;
	{
		uint64_t *f = frame;

		if (e->has_error)
			*f++ = e->error;
		*f++ = v->regs.rip;
		*f++ = v->seg[VCPU_SEG_CS].selector;
		*f++ = flags;
		*f++ = old_rsp;
		*f++ = v->seg[VCPU_SEG_SS].selector;
	}
	ex = x86_desc_probe_accessed(c, &cs);
	if (ex)
		return ex;
	ex = x86_mem_cpl(c, new_cpl, false, rsp - 8 * n, NULL, frame, 8 * n, X86_ACC_WRITE, true);
	if (ex)
		return ex;
	ex = x86_desc_set_accessed(c, &cs);
	if (ex)
		return ex;

	/* Commit (CR2 was written when the #PF was recognized, x86_deliver). */
	if (new_cpl != cpl)
		x86_seg_null(&v->seg[VCPU_SEG_SS], (uint16_t)new_cpl, new_cpl);
	x86_desc_to_seg(&cs, (uint16_t)((sel & 0xfffc) | new_cpl), &v->seg[VCPU_SEG_CS]);
	v->cpl = (uint8_t)new_cpl;
	x86_set_gpr(c, VCPU_REGS_RSP, rsp - 8 * n);
	v->regs.rip = rip;
	flags = v->regs.rflags & ~(uint64_t)(X86_FLAGS_TF | X86_FLAGS_NT | X86_FLAGS_RF |
					      X86_FLAGS_VM);
	if (!((gate[0] >> 40) & 1))
		flags &= ~(uint64_t)X86_FLAGS_IF; /* interrupt gate */
	v->regs.rflags = flags;
	return X86_EXIT_NONE;
}

/* Each round delivers one event; a chain ends in a handler, #DF or shutdown
 * within four rounds (benign -> contributory -> #PF -> #DF -> shutdown). */
#define MAX_ROUNDS 8

enum x86_exit x86_deliver(struct x86_cpu *c)
{
	struct x86_exception e = c->exc, nested;
	enum x86_exit ex;

	/* A fault of the software interrupt's own delivery points at the instruction. */
	uint64_t fault_rip = e.soft ? e.insn_rip : c->v->regs.rip;

	/* CR2 is loaded when a #PF is recognized, whether or not its delivery succeeds. */
	if (e.vector == X86_EXC_PF && !e.soft)
		c->v->cr2 = e.cr2;
	for (unsigned round = 0; round < MAX_ROUNDS; round++) {
		enum exc_class first, second;

		ex = deliver_once(c, &e);
		if (ex != X86_EXIT_EXCEPTION)
			return ex;
		nested = c->exc;
		nested.soft = false;
		if (nested.vector == X86_EXC_PF)
			c->v->cr2 = nested.cr2;
		if (e.vector == X86_EXC_DF && !e.soft) {
			snprintf(c->tlb.why, sizeof(c->tlb.why),
				 "triple fault: vector %u (error 0x%x) while delivering #DF at RIP 0x%llx",
				 nested.vector, nested.error,
				 (unsigned long long)c->v->regs.rip);
			c->why = c->tlb.why;
			return X86_EXIT_SHUTDOWN;
		}
		c->v->regs.rip = fault_rip;
		first = exc_class(&e);
		second = exc_class(&nested);
		if ((first == CONTRIBUTORY && second == CONTRIBUTORY) ||
		    (first == PAGE_FAULT && second != BENIGN)) {
			e = (struct x86_exception){ .vector = X86_EXC_DF, .has_error = true };
		} else {
			e = nested;
		}
		c->exc = e;
	}
	c->why = "event delivery did not converge";
	return X86_EXIT_INTERNAL;
}
