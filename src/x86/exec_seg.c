/* SPDX-License-Identifier: MIT */
/*
 * Control transfers and segment loads of 64-bit code: MOV/POP to a data
 * segment register, LSS/LFS/LGS, far CALL/JMP (m16:16/32/64 to a code
 * segment at the same privilege), far RET and IRET (same level and to an
 * outer level), SYSCALL and SYSRET.
 *
 * Every handler reads the stack/memory and checks every descriptor first,
 * then probes the writes (stack pushes, accessed bits), then writes memory,
 * then registers: a fault changes nothing.
 *
 * Limits: the target of a far transfer must be a 64-bit code segment
 * (compatibility mode and call gates end the run with X86_EXIT_INTERNAL);
 * 32-bit SYSRET likewise.  MOV SS does not model its one-instruction
 * interrupt shadow (no external interrupts exist yet).  A return to an
 * outer level makes ES/DS/FS/GS null when their cached DPL is below the
 * new CPL (data or non-conforming code), keeping the FS/GS base registers.
 */
#include <stddef.h>

#include "x86/desc.h"
#include "x86/interp_internal.h"

#define TRY(expr)							\
	do {								\
		enum x86_exit ex_ = (expr);				\
		if (ex_ != X86_EXIT_NONE)				\
			return ex_;					\
	} while (0)

static bool canonical(uint64_t la)
{
	return (uint64_t)((int64_t)(la << 16) >> 16) == la;
}

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

static enum x86_exit unsupported(struct x86_cpu *c, const char *why)
{
	c->why = why;
	return X86_EXIT_INTERNAL;
}

/* ---- data segment registers ---- */

/* The checks of loading `sel` into ES/SS/DS/FS/GS in 64-bit mode (d unused for null). */
static enum x86_exit check_sreg(struct x86_cpu *c, unsigned sreg, uint16_t sel,
				struct x86_desc *d)
{
	unsigned cpl = c->v->cpl, rpl = sel & 3;
	bool data;

	if (!(sel & 0xfffc)) {
		/* Null: fine for DS/ES/FS/GS; SS only below CPL 3 with RPL = CPL. */
		if (sreg == VCPU_SEG_SS && (cpl == 3 || rpl != cpl))
			return x86_raise_err(c, X86_EXC_GP, 0);
		return X86_EXIT_NONE;
	}
	TRY(x86_desc_read(c, sel, false, d));
	data = x86_desc_is_data(d);
	if (sreg == VCPU_SEG_SS) {
		if (rpl != cpl || !data || !(d->type & X86_DESC_WRITABLE) || d->dpl != cpl)
			return x86_raise_err(c, X86_EXC_GP, x86_sel_err(sel, false));
		if (!d->p)
			return x86_raise_err(c, X86_EXC_SS, x86_sel_err(sel, false));
	} else {
		if (!data && !(x86_desc_is_code(d) && (d->type & X86_DESC_WRITABLE)))
			return x86_raise_err(c, X86_EXC_GP, x86_sel_err(sel, false));
		if ((data || !(d->type & X86_DESC_CONFORMING)) && (rpl > d->dpl || cpl > d->dpl))
			return x86_raise_err(c, X86_EXC_GP, x86_sel_err(sel, false));
		if (!d->p)
			return x86_raise_err(c, X86_EXC_NP, x86_sel_err(sel, false));
	}
	return x86_desc_probe_accessed(c, d);
}

/* After check_sreg: set the accessed bit, load the register (FS/GS: the 32-bit base). */
static enum x86_exit commit_sreg(struct x86_cpu *c, unsigned sreg, uint16_t sel,
				 struct x86_desc *d)
{
	struct vcpu *v = c->v;
	struct vcpu_segment *s = &v->seg[sreg];

	if (!(sel & 0xfffc)) {
		x86_seg_null(s, sel, sreg == VCPU_SEG_SS ? v->cpl : 0);
	} else {
		TRY(x86_desc_set_accessed(c, d));
		x86_desc_to_seg(d, sel, s);
	}
	/* A selector load replaces the whole base (Intel: a null one clears it). */
	if (sreg == VCPU_SEG_FS)
		v->fs_base = s->base;
	else if (sreg == VCPU_SEG_GS)
		v->gs_base = s->base;
	return X86_EXIT_NONE;
}

enum x86_exit x86_load_sreg(struct x86_cpu *c, unsigned sreg, uint16_t sel)
{
	struct x86_desc d = { 0 };

	if (sreg == VCPU_SEG_CS || sreg >= VCPU_SEG_TR)
		return x86_raise(c, X86_EXC_UD);
	TRY(check_sreg(c, sreg, sel, &d));
	return commit_sreg(c, sreg, sel, &d);
}

/* LSS/LFS/LGS r, m16:16/32/64: offset then selector; the register is written last. */
static enum x86_exit seg_lxs(struct x86_cpu *c, const struct x86_insn *in)
{
	const struct x86_operand *m = &in->ops[1];
	unsigned n = in->osize / 8, sreg;
	uint8_t buf[10];

	switch (in->opcode) {
	case 0xb2: sreg = VCPU_SEG_SS; break;
	case 0xb4: sreg = VCPU_SEG_FS; break;
	default: sreg = VCPU_SEG_GS; break;
	}
	TRY(x86_mem_read(c, x86_ea(c, in, m), buf, n + 2, x86_op_is_ss(m)));
	TRY(x86_load_sreg(c, sreg, (uint16_t)le(buf + n, 2)));
	return x86_op_write(c, in, 0, le(buf, n));
}

/* ---- far transfers ---- */

/* The end of every far-transfer CS check: present, 64-bit (L = 1, D = 0). */
static enum x86_exit check_cs64(struct x86_cpu *c, uint16_t sel, const struct x86_desc *d)
{
	if (!d->p)
		return x86_raise_err(c, X86_EXC_NP, x86_sel_err(sel, false));
	if (!d->l)
		return unsupported(c, "far transfer to compatibility mode is not supported");
	if (d->db)
		return x86_raise_err(c, X86_EXC_GP, x86_sel_err(sel, false));
	return X86_EXIT_NONE;
}

/*
 * The code segment of a far RET/IRET to selector `sel` (CPL becomes its
 * RPL, which may not be below the CPL): present 64-bit code whose DPL is
 * the RPL (conforming: at most the RPL).
 */
static enum x86_exit check_ret_cs(struct x86_cpu *c, uint16_t sel, struct x86_desc *d)
{
	unsigned rpl = sel & 3;

	if (!(sel & 0xfffc))
		return x86_raise_err(c, X86_EXC_GP, 0);
	if (rpl < c->v->cpl)
		return x86_raise_err(c, X86_EXC_GP, x86_sel_err(sel, false));
	TRY(x86_desc_read(c, sel, false, d));
	if (!x86_desc_is_code(d) ||
	    ((d->type & X86_DESC_CONFORMING) ? d->dpl > rpl : d->dpl != rpl))
		return x86_raise_err(c, X86_EXC_GP, x86_sel_err(sel, false));
	return check_cs64(c, sel, d);
}

/* The stack segment popped by IRET / an outer-level RET for new CPL `cpl`. */
static enum x86_exit check_ret_ss(struct x86_cpu *c, uint16_t sel, unsigned cpl,
				  struct x86_desc *d)
{
	if (!(sel & 0xfffc))
		return cpl == 3 ? x86_raise_err(c, X86_EXC_GP, 0) : X86_EXIT_NONE;
	if ((sel & 3) != cpl)
		return x86_raise_err(c, X86_EXC_GP, x86_sel_err(sel, false));
	TRY(x86_desc_read(c, sel, false, d));
	if (!x86_desc_is_data(d) || !(d->type & X86_DESC_WRITABLE) || d->dpl != cpl)
		return x86_raise_err(c, X86_EXC_GP, x86_sel_err(sel, false));
	if (!d->p)
		return x86_raise_err(c, X86_EXC_SS, x86_sel_err(sel, false));
	return X86_EXIT_NONE;
}

/* On a return to an outer level: data segments the new CPL may not use become null. */
static void null_inaccessible(struct vcpu *v, unsigned cpl)
{
	static const unsigned regs[] = { VCPU_SEG_ES, VCPU_SEG_DS, VCPU_SEG_FS, VCPU_SEG_GS };

	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		struct vcpu_segment *s = &v->seg[regs[i]];
		bool conforming_code = s->s && (s->type & 0xc) == 0xc;

		if (!s->unusable && !conforming_code && s->dpl < cpl)
			x86_seg_null(s, 0, 0);
	}
}

/*
 * The common end of far RET and IRET: CS (and for an outer level, or any
 * IRET, SS:RSP) checked by the caller; set accessed bits, then registers.
 */
struct far_ret {
	uint16_t cs, ss;
	uint64_t rip, rsp;
	bool load_ss;
	struct x86_desc csd, ssd;
};

static enum x86_exit far_ret_commit(struct x86_cpu *c, struct far_ret *r)
{
	struct vcpu *v = c->v;
	unsigned cpl = r->cs & 3;

	TRY(x86_desc_probe_accessed(c, &r->csd));
	if (r->load_ss && (r->ss & 0xfffc))
		TRY(x86_desc_probe_accessed(c, &r->ssd));
	TRY(x86_desc_set_accessed(c, &r->csd));
	if (r->load_ss && (r->ss & 0xfffc))
		TRY(x86_desc_set_accessed(c, &r->ssd));
	if (cpl > v->cpl)
		null_inaccessible(v, cpl);
	x86_desc_to_seg(&r->csd, r->cs, &v->seg[VCPU_SEG_CS]);
	if (r->load_ss) {
		if (r->ss & 0xfffc)
			x86_desc_to_seg(&r->ssd, r->ss, &v->seg[VCPU_SEG_SS]);
		else
			x86_seg_null(&v->seg[VCPU_SEG_SS], r->ss, cpl);
	}
	v->cpl = (uint8_t)cpl;
	x86_set_gpr(c, VCPU_REGS_RSP, r->rsp);
	c->next_rip = r->rip;
	return X86_EXIT_NONE;
}

/*
 * RET far [imm16]: pop RIP and CS (operand size 32, REX.W 64, 66 16); to
 * an outer level also RSP and SS, above the imm16 bytes released.
 */
static enum x86_exit seg_retf(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned n = in->osize / 8;
	uint64_t rsp = x86_gpr(c, VCPU_REGS_RSP);
	uint64_t imm = (in->nops && in->ops[0].kind == X86_OPK_IMM) ? in->ops[0].imm & 0xffff : 0;
	struct far_ret r = { 0 };
	uint8_t buf[16];

	TRY(x86_mem_read(c, rsp, buf, 2 * n, true));
	r.rip = le(buf, n);
	r.cs = (uint16_t)le(buf + n, 2);
	TRY(check_ret_cs(c, r.cs, &r.csd));
	r.rsp = rsp + 2 * n + imm;
	if ((r.cs & 3) > c->v->cpl) {
		TRY(x86_mem_read(c, r.rsp, buf, 2 * n, true));
		r.rsp = le(buf, n) + imm;
		r.ss = (uint16_t)le(buf + n, 2);
		r.load_ss = true;
		TRY(check_ret_ss(c, r.ss, r.cs & 3, &r.ssd));
	}
	if (!canonical(r.rip))
		return x86_raise_err(c, X86_EXC_GP, 0);
	return far_ret_commit(c, &r);
}

/*
 * IRET/IRETD/IRETQ in 64-bit mode: pops RIP, CS, RFLAGS, RSP, SS (items of
 * the operand size) at the same or an outer level.  NT = 1 (a task return)
 * is #GP(0).  RFLAGS: IOPL only changes at CPL 0, IF only when CPL <= IOPL,
 * VM/VIF/VIP never; the rest of the 64-bit image (RF included) is loaded.
 */
static enum x86_exit seg_iret(struct x86_cpu *c, const struct x86_insn *in)
{
	struct vcpu *v = c->v;
	unsigned n = in->osize / 8, cpl = v->cpl, iopl = (unsigned)(v->regs.rflags >> 12) & 3;
	uint64_t rsp = x86_gpr(c, VCPU_REGS_RSP), fl, mask;
	struct far_ret r = { 0 };
	uint8_t buf[40];

	if (v->regs.rflags & X86_FLAGS_NT)
		return x86_raise_err(c, X86_EXC_GP, 0);
	TRY(x86_mem_read(c, rsp, buf, 5 * n, true));
	r.rip = le(buf, n);
	r.cs = (uint16_t)le(buf + n, 2);
	fl = le(buf + 2 * n, n);
	r.rsp = le(buf + 3 * n, n);
	r.ss = (uint16_t)le(buf + 4 * n, 2);
	r.load_ss = true;
	TRY(check_ret_cs(c, r.cs, &r.csd));
	TRY(check_ret_ss(c, r.ss, r.cs & 3, &r.ssd));
	if (!canonical(r.rip))
		return x86_raise_err(c, X86_EXC_GP, 0);
	mask = X86_FLAGS_ARITH | X86_FLAGS_TF | X86_FLAGS_DF | X86_FLAGS_NT | X86_FLAGS_RF |
	       X86_FLAGS_AC | X86_FLAGS_ID;
	if (cpl == 0)
		mask |= X86_FLAGS_IOPL;
	if (cpl <= iopl)
		mask |= X86_FLAGS_IF;
	mask &= x86_width_mask(8 * n);
	TRY(far_ret_commit(c, &r));
	v->regs.rflags = (v->regs.rflags & ~mask) | (fl & mask) | X86_FLAGS_FIXED;
	return X86_EXIT_NONE;
}

/*
 * CALL/JMP far m16:16/32/64 to a code segment at the current privilege
 * (non-conforming: DPL = CPL and RPL <= CPL; conforming: DPL <= CPL); CS's
 * RPL becomes the CPL.  CALL pushes CS and the return RIP (operand size each).
 * Gates (call, task) are not supported.
 */
static enum x86_exit far_jump(struct x86_cpu *c, const struct x86_insn *in, bool call)
{
	struct vcpu *v = c->v;
	const struct x86_operand *m = &in->ops[0];
	unsigned n = in->osize / 8, cpl = v->cpl;
	uint64_t rsp = x86_gpr(c, VCPU_REGS_RSP), rip;
	struct x86_desc d;
	uint16_t sel;
	uint8_t buf[10];

	TRY(x86_mem_read(c, x86_ea(c, in, m), buf, n + 2, x86_op_is_ss(m)));
	rip = le(buf, n);
	sel = (uint16_t)le(buf + n, 2);
	if (!(sel & 0xfffc))
		return x86_raise_err(c, X86_EXC_GP, 0);
	TRY(x86_desc_read(c, sel, false, &d));
	if (!d.s)
		return unsupported(c, "far CALL/JMP through a gate is not supported");
	if (!x86_desc_is_code(&d) ||
	    ((d.type & X86_DESC_CONFORMING) ? d.dpl > cpl : (d.dpl != cpl || (sel & 3) > cpl)))
		return x86_raise_err(c, X86_EXC_GP, x86_sel_err(sel, false));
	TRY(check_cs64(c, sel, &d));
	if (!canonical(rip))
		return x86_raise_err(c, X86_EXC_GP, 0);
	TRY(x86_desc_probe_accessed(c, &d));
	if (call) {
		uint8_t frame[16];
		uint64_t ret = c->next_rip, cs = v->seg[VCPU_SEG_CS].selector;

		for (unsigned i = 0; i < n; i++) {
			frame[i] = (uint8_t)(ret >> (8 * i));
			frame[n + i] = (uint8_t)(cs >> (8 * i));
		}
		TRY(x86_mem_write(c, rsp - 2 * n, frame, 2 * n, true));
		x86_set_gpr(c, VCPU_REGS_RSP, rsp - 2 * n);
	}
	TRY(x86_desc_set_accessed(c, &d));
	x86_desc_to_seg(&d, (uint16_t)((sel & 0xfffc) | cpl), &v->seg[VCPU_SEG_CS]);
	c->next_rip = rip;
	return X86_EXIT_NONE;
}

static enum x86_exit seg_call_far(struct x86_cpu *c, const struct x86_insn *in)
{
	return far_jump(c, in, true);
}

static enum x86_exit seg_jmp_far(struct x86_cpu *c, const struct x86_insn *in)
{
	return far_jump(c, in, false);
}

/* ---- SYSCALL / SYSRET (64-bit forms) ---- */

/*
 * SYSCALL: RCX = next RIP, R11 = RFLAGS (RF clear), RFLAGS &= ~SFMASK,
 * CS/SS = STAR[47:32] / +8 with fixed flat attributes (no GDT read),
 * CPL 0, RIP = LSTAR.  #UD unless EFER.SCE.
 */
static enum x86_exit seg_syscall(struct x86_cpu *c, const struct x86_insn *in)
{
	struct vcpu *v = c->v;
	uint16_t sel = (uint16_t)(v->msr.star >> 32) & 0xfffc;
	uint64_t fl = v->regs.rflags & ~(uint64_t)X86_FLAGS_RF;

	(void)in;
	if (!(v->efer & X86_EFER_SCE))
		return x86_raise(c, X86_EXC_UD);
	x86_set_gpr(c, VCPU_REGS_RCX, c->next_rip);
	x86_set_gpr(c, 11, fl);
	x86_seg_flat(&v->seg[VCPU_SEG_CS], sel, true, 0);
	x86_seg_flat(&v->seg[VCPU_SEG_SS], (uint16_t)(sel + 8), false, 0);
	v->cpl = 0;
	v->regs.rflags = (fl & ~v->msr.sfmask) | X86_FLAGS_FIXED;
	c->next_rip = v->msr.lstar;
	return X86_EXIT_NONE;
}

/*
 * SYSRET (REX.W): #UD unless EFER.SCE, #GP(0) outside CPL 0 or for a
 * non-canonical RCX; CS = STAR[63:48]+16 | 3, SS = STAR[63:48]+8 | 3, RIP =
 * RCX, RFLAGS = (R11 & 0x3C7FD7) | 2, CPL 3.  The 32-bit form returns to
 * compatibility mode, which this vCPU does not model.
 */
static enum x86_exit seg_sysret(struct x86_cpu *c, const struct x86_insn *in)
{
	struct vcpu *v = c->v;
	uint16_t base = (uint16_t)(v->msr.star >> 48);
	uint64_t rcx = x86_gpr(c, VCPU_REGS_RCX);

	if (!(v->efer & X86_EFER_SCE))
		return x86_raise(c, X86_EXC_UD);
	if (v->cpl != 0)
		return x86_raise_err(c, X86_EXC_GP, 0);
	if (in->osize != 64)
		return unsupported(c, "32-bit SYSRET (to compatibility mode) is not supported");
	if (!canonical(rcx))
		return x86_raise_err(c, X86_EXC_GP, 0);
	x86_seg_flat(&v->seg[VCPU_SEG_CS], (uint16_t)((base + 16) | 3), true, 3);
	x86_seg_flat(&v->seg[VCPU_SEG_SS], (uint16_t)((base + 8) | 3), false, 3);
	v->cpl = 3;
	v->regs.rflags = (x86_gpr(c, 11) & UINT64_C(0x3c7fd7)) | X86_FLAGS_FIXED;
	c->next_rip = rcx;
	return X86_EXIT_NONE;
}

const struct x86_handler_entry x86_handlers_seg[] = {
	{ "call_far", seg_call_far },
	{ "jmp_far", seg_jmp_far },
	{ "ret_far", seg_retf },
	{ "iret|iretd|iretq", seg_iret },
	{ "syscall", seg_syscall },
	{ "sysret|sysret|sysret64", seg_sysret },
	{ "lss", seg_lxs },
	{ "lfs", seg_lxs },
	{ "lgs", seg_lxs },
	{ NULL, NULL },
};
