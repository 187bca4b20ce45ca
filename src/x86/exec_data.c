/* SPDX-License-Identifier: MIT */
/*
 * Instruction handlers: data movement and the stack.  MOV (all forms, Sreg
 * reads), MOVZX/MOVSX/MOVSXD, XCHG, BSWAP, LEA, CMOVcc, SETcc, PUSH/POP,
 * PUSHF/POPF, ENTER/LEAVE, CBW/CWDE/CDQE and CWD/CDQ/CQO, XADD, CMPXCHG,
 * CMPXCHG8B/16B, MOVBE, MOVNTI, MOVDIRI and XLAT.  Legacy, REX2 (EGPRs) and
 * the APX map-4 forms that exist for them (CMOVcc NDD, SETcc and SETcc.ZU,
 * MOVBE, MOVDIRI) share the handlers.
 *
 * Order inside a handler (precise exceptions): read every operand, check,
 * write memory (probed first when there is more than one write or when a
 * register would otherwise change first), then registers, then RFLAGS.
 *
 * Behaviour where the SDM leaves a choice, as the reference Intel host does
 * it (tests/test_exec_data.c runs the real instructions and compares):
 *   - MOV r, Sreg: the selector zero-extended to the operand size (16-bit:
 *     merged).  MOV Sreg, r/m and POP FS/GS load through x86_load_sreg
 *     (exec_seg.c: descriptor checks, FS/GS base from the descriptor).
 *   - PUSH FS/GS: the selector zero-extended to the operand size (the host
 *     writes all 8 bytes of the slot, not a 16-bit move).
 *   - BSWAP r16: the low 16 bits become 0 (bits 63:16 kept), as the host.
 *   - CMPXCHG, failure: the accumulator is loaded (32-bit: RAX zero-
 *     extended); a memory destination is written back with its own value
 *     (a write access that may fault), a register destination is not
 *     written (32-bit: bits 63:32 kept); success: the accumulator is not
 *     written.  CMPXCHG8B/16B likewise for EDX:EAX / RDX:RAX.
 *   - CMOVcc 32-bit: the destination is zero-extended even when the
 *     condition is false; a memory source is always read.
 *   - POP [RSP+d]: the address is computed with RSP already incremented.
 *   - PUSHF: RF and VM read as 0 in the image.  POPF (32/64-bit): CF PF AF
 *     ZF SF TF DF OF NT AC ID change; IF only if CPL <= IOPL; IOPL only at
 *     CPL 0; VM VIP VIF and the reserved bits are kept; RF is cleared; bit 1
 *     stays 1.  16-bit POPF changes bits 15:0 under the same rules.
 *   - ENTER: a nesting level L = imm8 mod 32; L > 1 copies L-1 frame
 *     pointers from [RBP-size], [RBP-2*size]... (read and pushed in turn);
 *     16-bit operand size pushes words and writes BP only.  Before
 *     anything changes every access is probed, including a write check of
 *     the final stack top (RSP after the allocation), which nothing writes:
 *     the host faults there (a unit test shows it).
 *   - Not modelled: the single-step trap after POPF sets TF, #AC.
 */
#include <stddef.h>
#include <stdint.h>

#include "x86/flags.h"
#include "x86/interp.h"
#include "x86/interp_internal.h"

#define TRY(expr)							\
	do {								\
		enum x86_exit ex_ = (expr);				\
		if (ex_ != X86_EXIT_NONE)				\
			return ex_;					\
	} while (0)

static inline uint64_t rflags(const struct x86_cpu *c)
{
	return c->v->regs.rflags;
}

static inline uint64_t get_rsp(struct x86_cpu *c)
{
	return x86_gpr(c, VCPU_REGS_RSP);
}

static inline void set_rsp(struct x86_cpu *c, uint64_t v)
{
	x86_set_gpr(c, VCPU_REGS_RSP, v);
}

/* Write the low `w` bits of `v` into GPR n with the legacy rules (8/16 merge, 32 zero-extends). */
static void gpr_write_w(struct x86_cpu *c, unsigned n, unsigned w, uint64_t v)
{
	struct vcpu_regfile *rf = &c->v->regs;

	switch (w) {
	case 8: vcpu_gpr_write8(rf, n, (uint8_t)v); break;
	case 16: vcpu_gpr_write16(rf, n, (uint16_t)v); break;
	case 32: vcpu_gpr_write32(rf, n, (uint32_t)v); break;
	default: x86_set_gpr(c, n, v); break;
	}
}

static bool is_sreg(const struct x86_operand *op)
{
	return op->kind == X86_OPK_REG && op->reg.cls == X86_RC_SEG;
}

static bool is_mem(const struct x86_operand *op)
{
	return op->kind == X86_OPK_MEM;
}

/* Bytes moved by a push/pop of this instruction (66 = 16 bits, else 64). */
static unsigned stack_bytes(const struct x86_insn *in)
{
	return in->osize == 16 ? 2 : 8;
}

static uint64_t bswap_w(uint64_t v, unsigned w)
{
	uint64_t r = 0;

	for (unsigned i = 0; i < w / 8; i++)
		r = (r << 8) | ((v >> (8 * i)) & 0xff);
	return r;
}

/* ---- MOV family ---- */

/*
 * MOV r/m, r | r, r/m | r/m, imm | r, imm | rAX, moffs | moffs, rAX |
 * r/m, Sreg; also LEA (an AGEN source), MOVZX (the source is zero-extended
 * by reading it), MOVNTI and MOVDIRI (plain stores here).
 */
static enum x86_exit data_mov(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t v = 0;

	if (is_sreg(&in->ops[1]))
		v = c->v->seg[in->ops[1].reg.num].selector;
	else
		TRY(x86_op_read(c, in, 1, &v));
	if (is_sreg(&in->ops[0])) /* MOV Sreg, r/m: exec_seg.c */
		return x86_load_sreg(c, in->ops[0].reg.num, (uint16_t)v);
	return x86_op_write(c, in, 0, v);
}

/* MOVSX, MOVSXD: sign-extend the source from its width. */
static enum x86_exit data_movsx(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t v;

	TRY(x86_op_read(c, in, 1, &v));
	return x86_op_write(c, in, 0, (uint64_t)x86_fl_sext(v, in->ops[1].width));
}

/* MOVBE (0F38 F0/F1; map 4 60/61 with register forms): byte-reversed copy. */
static enum x86_exit data_movbe(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t v;

	TRY(x86_op_read(c, in, 1, &v));
	return x86_op_write(c, in, 0, bswap_w(v, in->ops[0].width));
}

/* XCHG r/m, r and XCHG r, rAX: read both, write the memory operand first. */
static enum x86_exit data_xchg(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t a, b;

	TRY(x86_op_read(c, in, 0, &a));
	TRY(x86_op_read(c, in, 1, &b));
	if (is_mem(&in->ops[1])) {
		TRY(x86_op_write(c, in, 1, a));
		return x86_op_write(c, in, 0, b);
	}
	TRY(x86_op_write(c, in, 0, b));
	return x86_op_write(c, in, 1, a);
}

/* BSWAP r32/r64; r16 (undefined in the SDM) clears bits 15:0 as the Intel host does. */
static enum x86_exit data_bswap(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = in->ops[0].width;
	uint64_t v;

	TRY(x86_op_read(c, in, 0, &v));
	return x86_op_write(c, in, 0, w == 16 ? 0 : bswap_w(v, w));
}

/* CBW / CWDE / CDQE: sign-extend the low half of rAX into rAX. */
static enum x86_exit data_cbw(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = in->osize;
	uint64_t a = x86_gpr(c, VCPU_REGS_RAX);

	gpr_write_w(c, VCPU_REGS_RAX, w, (uint64_t)x86_fl_sext(a, w / 2));
	return X86_EXIT_NONE;
}

/* CWD / CDQ / CQO: rDX = the sign of rAX, replicated. */
static enum x86_exit data_cwd(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = in->osize;
	uint64_t a = x86_gpr(c, VCPU_REGS_RAX);

	gpr_write_w(c, VCPU_REGS_RDX, w, x86_fl_msb(a, w) ? ~UINT64_C(0) : 0);
	return X86_EXIT_NONE;
}

/* XLAT: AL = [seg:rBX + zero-extended AL] (the address size truncates). */
static enum x86_exit data_xlat(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t ea = x86_gpr(c, VCPU_REGS_RBX) + (x86_gpr(c, VCPU_REGS_RAX) & 0xff);
	uint8_t b;

	if (in->asize == 32)
		ea &= 0xffffffff;
	if (in->seg == X86_SEG_FS)
		ea += c->v->fs_base;
	else if (in->seg == X86_SEG_GS)
		ea += c->v->gs_base;
	TRY(x86_mem_read(c, ea, &b, 1, false));
	vcpu_gpr_write8(&c->v->regs, VCPU_REGS_RAX, b);
	return X86_EXIT_NONE;
}

/* ---- conditional moves and sets (cc = low 4 bits of the opcode in 0F 4x/9x and map 4 4x) ---- */

/*
 * CMOVcc r, r/m: the source is read (and may fault) whatever the condition;
 * a 32-bit destination is zero-extended even when the condition is false.
 * Map 4 ND=1 (CMOVcc NDD): ops[0] = vvvv <- cc ? r/m (ops[2]) : reg (ops[1]),
 * zero-extended from the operand size by the NDD write rule.
 */
static enum x86_exit data_cmov(struct x86_cpu *c, const struct x86_insn *in)
{
	bool cond = x86_cond(rflags(c), in->opcode & 15u);
	uint64_t src, v;

	if (in->nd) {
		TRY(x86_op_read(c, in, 2, &src));
		TRY(x86_op_read(c, in, 1, &v));
		return x86_op_write(c, in, 0, cond ? src : v);
	}
	TRY(x86_op_read(c, in, 1, &src));
	if (cond)
		return x86_op_write(c, in, 0, src);
	if (in->ops[0].width == 32) {
		TRY(x86_op_read(c, in, 0, &v));
		return x86_op_write(c, in, 0, v);
	}
	return X86_EXIT_NONE;
}

/* SETcc r/m8; SETcc.ZU (map 4 F2, ND=1): x86_op_write zeroes bits 63:8 of a register. */
static enum x86_exit data_setcc(struct x86_cpu *c, const struct x86_insn *in)
{
	return x86_op_write(c, in, 0, x86_cond(rflags(c), in->opcode & 15u) ? 1 : 0);
}

/* ---- XADD, CMPXCHG ---- */

/* XADD r/m, r: tmp = dst + src; src = dst; dst = tmp (the same register: the sum). */
static enum x86_exit data_xadd(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = in->ops[0].width;
	uint64_t m = x86_width_mask(w), d, s;

	TRY(x86_op_read(c, in, 0, &d));
	TRY(x86_op_read(c, in, 1, &s));
	d &= m;
	s &= m;
	if (is_mem(&in->ops[0])) {
		TRY(x86_op_write(c, in, 0, d + s));
		TRY(x86_op_write(c, in, 1, d));
	} else {
		TRY(x86_op_write(c, in, 1, d));
		TRY(x86_op_write(c, in, 0, d + s));
	}
	x86_flags_update(c, in, X86_FLAGS_ARITH, x86_fl_add(d, s, 0, w));
	return X86_EXIT_NONE;
}

/*
 * CMPXCHG r/m, r: compare rAX with the destination (flags of CMP rAX, dst).
 * Equal: dst = src.  Not equal: rAX = dst; a memory destination is written
 * with its own value (a write access: may fault, before rAX changes), a
 * register destination is not written at all (a 32-bit one keeps bits
 * 63:32, as the host shows).
 */
static enum x86_exit data_cmpxchg(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = in->ops[0].width;
	uint64_t m = x86_width_mask(w), d, s, a = x86_gpr(c, VCPU_REGS_RAX) & m;

	TRY(x86_op_read(c, in, 0, &d));
	TRY(x86_op_read(c, in, 1, &s));
	d &= m;
	if (a == d) {
		TRY(x86_op_write(c, in, 0, s));
	} else {
		if (is_mem(&in->ops[0]))
			TRY(x86_op_write(c, in, 0, d));
		gpr_write_w(c, VCPU_REGS_RAX, w, d);
	}
	x86_flags_update(c, in, X86_FLAGS_ARITH, x86_fl_sub(a, d, 0, w));
	return X86_EXIT_NONE;
}

/*
 * CMPXCHG8B m64 / CMPXCHG16B m128: compare EDX:EAX (RDX:RAX) with the
 * memory operand; equal: store ECX:EBX (RCX:RBX), ZF = 1; else load it into
 * EDX:EAX (RDX:RAX), store it back unchanged, ZF = 0.  Only ZF changes.
 * CMPXCHG16B needs a 16-byte aligned operand: #GP(0) first.
 */
static enum x86_exit data_cmpxchg8b(struct x86_cpu *c, const struct x86_insn *in)
{
	const struct x86_operand *op = &in->ops[0];
	bool wide = op->width == 128;
	unsigned half = wide ? 8 : 4, w = half * 8;
	uint64_t m = x86_width_mask(w);
	uint64_t la = x86_ea(c, in, op), mem[2] = { 0, 0 }, nv[2];
	bool ss = x86_op_is_ss(op), eq;
	uint8_t buf[16];

	if (wide && (la & 15))
		return x86_raise_err(c, X86_EXC_GP, 0);
	TRY(x86_mem_read(c, la, buf, 2 * half, ss));
	for (unsigned i = 0; i < 2 * half; i++)
		mem[i / half] |= (uint64_t)buf[i] << (8 * (i % half));
	eq = mem[0] == (x86_gpr(c, VCPU_REGS_RAX) & m) &&
	     mem[1] == (x86_gpr(c, VCPU_REGS_RDX) & m);
	if (eq) {
		nv[0] = x86_gpr(c, VCPU_REGS_RBX) & m;
		nv[1] = x86_gpr(c, VCPU_REGS_RCX) & m;
	} else {
		nv[0] = mem[0];
		nv[1] = mem[1];
	}
	for (unsigned i = 0; i < 2 * half; i++)
		buf[i] = (uint8_t)(nv[i / half] >> (8 * (i % half)));
	TRY(x86_mem_write(c, la, buf, 2 * half, ss));
	if (!eq) {
		gpr_write_w(c, VCPU_REGS_RAX, w, mem[0]);
		gpr_write_w(c, VCPU_REGS_RDX, w, mem[1]);
	}
	x86_flags_update(c, in, X86_FLAGS_ZF, eq ? X86_FLAGS_ZF : 0);
	return X86_EXIT_NONE;
}

/* ---- the stack ---- */

/*
 * PUSH r/m | r | imm | FS/GS: the source is read first (a memory source
 * RSP-based uses the old RSP; PUSH RSP pushes the old value), then written
 * at RSP - size, then RSP moves.  66 = 2 bytes.  A segment register is
 * pushed zero-extended to the full slot (what the host does).
 */
static enum x86_exit data_push(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned n = stack_bytes(in);
	uint64_t rsp = get_rsp(c), v = 0;

	if (is_sreg(&in->ops[0]))
		v = c->v->seg[in->ops[0].reg.num].selector;
	else
		TRY(x86_op_read(c, in, 0, &v));
	TRY(x86_mem_write(c, rsp - n, &v, n, true));
	set_rsp(c, rsp - n);
	return X86_EXIT_NONE;
}

/*
 * POP r/m | r: read [RSP]; a memory destination's address is computed with
 * RSP already incremented (Intel) and written before RSP changes; a
 * register is written after RSP moves (POP RSP loads the popped value, POP
 * SP merges it into the incremented RSP).  POP FS/GS: x86_load_sreg.
 */
static enum x86_exit data_pop(struct x86_cpu *c, const struct x86_insn *in)
{
	const struct x86_operand *op = &in->ops[0];
	unsigned n = stack_bytes(in);
	uint64_t rsp = get_rsp(c), v = 0;

	TRY(x86_mem_read(c, rsp, &v, n, true));
	if (is_sreg(op)) { /* POP FS/GS: exec_seg.c checks and loads */
		TRY(x86_load_sreg(c, op->reg.num, (uint16_t)v));
		set_rsp(c, rsp + n);
		return X86_EXIT_NONE;
	}
	if (is_mem(op)) {
		struct x86_operand dst = *op;

		/* The index cannot be RSP; a base RSP/ESP sees the incremented value. */
		if ((dst.mem.base.cls == X86_RC_GPR64 || dst.mem.base.cls == X86_RC_GPR32) &&
		    dst.mem.base.num == VCPU_REGS_RSP)
			dst.mem.disp += (int64_t)n;
		TRY(x86_mem_write(c, x86_ea(c, in, &dst), &v, n, x86_op_is_ss(op)));
		set_rsp(c, rsp + n);
		return X86_EXIT_NONE;
	}
	set_rsp(c, rsp + n);
	return x86_op_write(c, in, 0, v);
}

/* PUSHF/PUSHFQ: RFLAGS with RF and VM cleared in the image (16-bit: bits 15:0). */
static enum x86_exit data_pushf(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned n = stack_bytes(in);
	uint64_t rsp = get_rsp(c);
	uint64_t v = rflags(c) & ~(uint64_t)(X86_FLAGS_RF | X86_FLAGS_VM);

	TRY(x86_mem_write(c, rsp - n, &v, n, true));
	set_rsp(c, rsp - n);
	return X86_EXIT_NONE;
}

/* POPF/POPFQ in 64-bit mode (see the header for the rules). */
static enum x86_exit data_popf(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned n = stack_bytes(in);
	uint64_t rsp = get_rsp(c), v = 0, f = rflags(c), mask;
	unsigned iopl = (unsigned)(f >> 12) & 3, cpl = c->v->cpl;

	TRY(x86_mem_read(c, rsp, &v, n, true));
	mask = X86_FLAGS_ARITH | X86_FLAGS_TF | X86_FLAGS_DF | X86_FLAGS_NT |
	       X86_FLAGS_AC | X86_FLAGS_ID;
	if (cpl == 0)
		mask |= X86_FLAGS_IOPL;
	if (cpl <= iopl)
		mask |= X86_FLAGS_IF;
	if (n == 2) {
		mask &= 0xffff;
	} else {
		f &= ~(uint64_t)X86_FLAGS_RF;
	}
	f = (f & ~mask) | (v & mask) | X86_FLAGS_FIXED;
	set_rsp(c, rsp + n);
	c->v->regs.rflags = f;
	return X86_EXIT_NONE;
}

/*
 * ENTER imm16, imm8.  size = 8 (2 with 66), L = imm8 mod 32.
 *   push rBP; frame = RSP;
 *   L > 0: for i = 1 .. L-1: push [RBP - i*size]; then push frame;
 *   rBP = frame; RSP -= imm16.
 * The copies are read and pushed one after the other (a read may see an
 * earlier push when the frames overlap, as on the host).  Precise: every
 * access (the reads, the area written, and the final stack top) is probed
 * first, so the sequence below cannot fault half way.
 */
static enum x86_exit data_enter(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned n = stack_bytes(in);
	uint64_t alloc = in->ops[0].imm & 0xffff;
	unsigned level = (unsigned)in->ops[1].imm & 31;
	uint64_t rsp = get_rsp(c), rbp = x86_gpr(c, VCPU_REGS_RBP);
	uint64_t frame = rsp - n, top, v;
	unsigned npush = level ? level + 1 : 1;

	/* Probe every access in the order the CPU makes them, so the first
	 * fault (and its CR2) is the host's: push rBP, then each outer frame
	 * pointer (read, push), then the frame pointer, then the new stack top. */
	top = rsp - (uint64_t)npush * n;
	TRY(x86_mem_probe(c, frame, n, X86_ACC_WRITE, true));
	for (unsigned i = 1; i < level; i++) {
		TRY(x86_mem_probe(c, rbp - (uint64_t)i * n, n, X86_ACC_READ, true));
		TRY(x86_mem_probe(c, frame - (uint64_t)i * n, n, X86_ACC_WRITE, true));
	}
	if (level > 0)
		TRY(x86_mem_probe(c, top, n, X86_ACC_WRITE, true));
	TRY(x86_mem_probe(c, top - alloc, n, X86_ACC_WRITE, true));

	TRY(x86_mem_write(c, frame, &rbp, n, true));
	for (unsigned i = 1; i < level; i++) {
		v = 0;
		TRY(x86_mem_read(c, rbp - (uint64_t)i * n, &v, n, true));
		TRY(x86_mem_write(c, frame - (uint64_t)i * n, &v, n, true));
	}
	if (level > 0)
		TRY(x86_mem_write(c, top, &frame, n, true));
	gpr_write_w(c, VCPU_REGS_RBP, n * 8, frame);
	set_rsp(c, top - alloc);
	return X86_EXIT_NONE;
}

/* LEAVE: RSP = RBP; rBP = pop (66: BP = a 16-bit pop, RSP += 2). */
static enum x86_exit data_leave(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned n = stack_bytes(in);
	uint64_t rbp = x86_gpr(c, VCPU_REGS_RBP), v = 0;

	TRY(x86_mem_read(c, rbp, &v, n, true));
	set_rsp(c, rbp + n);
	gpr_write_w(c, VCPU_REGS_RBP, n * 8, v);
	return X86_EXIT_NONE;
}

const struct x86_handler_entry x86_handlers_data[] = {
	{ "mov", data_mov },
	{ "lea", data_mov },
	{ "movzx", data_mov },
	{ "movnti", data_mov },
	{ "movdiri", data_mov },
	{ "movsx", data_movsx },
	{ "movsxd", data_movsx },
	{ "movbe", data_movbe },
	{ "xchg", data_xchg },
	{ "bswap", data_bswap },
	{ "cbw|cwde|cdqe", data_cbw },
	{ "cwd|cdq|cqo", data_cwd },
	{ "xlat", data_xlat },
	{ "cmovo", data_cmov },
	{ "cmovno", data_cmov },
	{ "cmovb", data_cmov },
	{ "cmovnb", data_cmov },
	{ "cmovz", data_cmov },
	{ "cmovnz", data_cmov },
	{ "cmovbe", data_cmov },
	{ "cmovnbe", data_cmov },
	{ "cmovs", data_cmov },
	{ "cmovns", data_cmov },
	{ "cmovp", data_cmov },
	{ "cmovnp", data_cmov },
	{ "cmovl", data_cmov },
	{ "cmovnl", data_cmov },
	{ "cmovle", data_cmov },
	{ "cmovnle", data_cmov },
	{ "seto", data_setcc },
	{ "setno", data_setcc },
	{ "setb", data_setcc },
	{ "setnb", data_setcc },
	{ "setz", data_setcc },
	{ "setnz", data_setcc },
	{ "setbe", data_setcc },
	{ "setnbe", data_setcc },
	{ "sets", data_setcc },
	{ "setns", data_setcc },
	{ "setp", data_setcc },
	{ "setnp", data_setcc },
	{ "setl", data_setcc },
	{ "setnl", data_setcc },
	{ "setle", data_setcc },
	{ "setnle", data_setcc },
	{ "xadd", data_xadd },
	{ "cmpxchg", data_cmpxchg },
	{ "cmpxchg8b", data_cmpxchg8b },
	{ "cmpxchg16b", data_cmpxchg8b },
	{ "push", data_push },
	{ "pop", data_pop },
	{ "pushf|pushfq|pushfq", data_pushf },
	{ "popf|popfq|popfq", data_popf },
	{ "enter", data_enter },
	{ "leave", data_leave },
	{ NULL, NULL },
};
