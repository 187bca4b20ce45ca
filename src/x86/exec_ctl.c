/* SPDX-License-Identifier: MIT */
/*
 * Control flow, string instructions and miscellaneous instructions:
 * JMP/Jcc/CALL/RET/LOOPcc/JrCXZ, INT3/INT n/INT1, UD0/UD1/UD2/UDB, HLT,
 * PAUSE/NOP/ENDBR/hints, CPUID, RDTSC/RDTSCP/RDPID, IN/OUT, CLI/STI,
 * MOVS/CMPS/STOS/LODS/SCAS/INS/OUTS (with REP/REPE/REPNE), fences, cache
 * line flushes and prefetches.  XLAT belongs to the data family.
 *
 * Behaviour that follows the host (an Intel Xeon) rather than the letter of
 * the SDM, each one checked on the host by tests/test_exec_ctl.c:
 *  - A 66 prefix on a near branch (JMP/Jcc/CALL/RET) is ignored in 64-bit
 *    mode: RET pops 8 bytes, targets are 64 bits.
 *  - With a 67 prefix the count/pointer registers are ECX/ESI/EDI and every
 *    update writes them as 32-bit registers (zero-extending into RCX/RSI/
 *    RDI).  REP with ECX = 0 still writes ECX (the upper half of RCX is
 *    cleared), and REP MOVS / REP STOS with ECX = 0 also zero-extend the
 *    pointers they use (RSI and RDI / RDI); LODS/CMPS/SCAS leave them.
 *    With a 64-bit address size REP with RCX = 0 changes nothing.
 *
 * REP strings are restartable: at most STR_CHUNK iterations run per
 * x86_step; if more remain, RIP stays at the instruction (c->next_rip is
 * set back to it) and the next step continues.  Every iteration commits its
 * memory write, RCX/RSI/RDI and (CMPS/SCAS) the flags, so a fault in
 * iteration k reports the state after k-1 iterations with RIP at the
 * instruction.
 *
 * Near branches to a non-canonical target raise #GP(0) on the branch itself
 * (RIP, RSP and RCX unchanged), as Intel CPUs do.
 */
#include <stddef.h>

#include "vcpu/msr.h"
#include "x86/interp_internal.h"

/* Iterations of a REP string instruction per x86_step. */
#define STR_CHUNK 65536u

#ifndef X86_CR4_TSD
#define X86_CR4_TSD (1u << 2)
#endif

static bool canonical(uint64_t la)
{
	return (uint64_t)((int64_t)(la << 16) >> 16) == la;
}

static unsigned iopl(struct x86_cpu *c)
{
	return (unsigned)((c->v->regs.rflags & X86_FLAGS_IOPL) >> 12);
}

/* CPL > IOPL: IN/OUT/INS/OUTS/CLI/STI raise #GP(0) (there is no TSS I/O bitmap). */
static bool io_denied(struct x86_cpu *c)
{
	return c->v->cpl > iopl(c);
}

/* ---- branches ---- */

/* The target of a branch whose operand 0 is rel, a register or memory. */
static enum x86_exit branch_target(struct x86_cpu *c, const struct x86_insn *in,
				   uint64_t *target)
{
	const struct x86_operand *op = &in->ops[0];

	if (op->kind == X86_OPK_REL) {
		*target = c->next_rip + (uint64_t)op->rel;
		return X86_EXIT_NONE;
	}
	return x86_op_read(c, in, 0, target);
}

static enum x86_exit go(struct x86_cpu *c, uint64_t target)
{
	if (!canonical(target))
		return x86_raise_err(c, X86_EXC_GP, 0);
	c->next_rip = target;
	return X86_EXIT_NONE;
}

static enum x86_exit ctl_jmp(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t target;
	enum x86_exit ex = branch_target(c, in, &target);

	if (ex)
		return ex;
	return go(c, target);
}

static enum x86_exit ctl_jcc(struct x86_cpu *c, const struct x86_insn *in)
{
	/* Map 0 70-7F and map 1 0F 80-8F: the low nibble of the opcode is cc. */
	unsigned cc = in->opcode & 0xf;

	if (!x86_cond(c->v->regs.rflags, cc))
		return X86_EXIT_NONE;
	return go(c, c->next_rip + (uint64_t)in->ops[0].rel);
}

static enum x86_exit ctl_call(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t target, rsp = x86_gpr(c, VCPU_REGS_RSP), ret = c->next_rip;
	enum x86_exit ex = branch_target(c, in, &target);

	if (ex)
		return ex;
	/* The push is checked before the target: a stack fault wins over #GP (host). */
	ex = x86_mem_probe(c, rsp - 8, 8, X86_ACC_WRITE, true);
	if (ex)
		return ex;
	if (!canonical(target))
		return x86_raise_err(c, X86_EXC_GP, 0);
	ex = x86_mem_write(c, rsp - 8, &ret, 8, true);
	if (ex)
		return ex;
	x86_set_gpr(c, VCPU_REGS_RSP, rsp - 8);
	c->next_rip = target;
	return X86_EXIT_NONE;
}

static enum x86_exit ctl_ret(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t rsp = x86_gpr(c, VCPU_REGS_RSP), target = 0, extra = 0;
	enum x86_exit ex = x86_mem_read(c, rsp, &target, 8, true);

	if (ex)
		return ex;
	if (in->nops && in->ops[0].kind == X86_OPK_IMM)
		extra = in->ops[0].imm & 0xffff;
	if (!canonical(target))
		return x86_raise_err(c, X86_EXC_GP, 0);
	x86_set_gpr(c, VCPU_REGS_RSP, rsp + 8 + extra);
	c->next_rip = target;
	return X86_EXIT_NONE;
}

static uint64_t count_read(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t v = x86_gpr(c, VCPU_REGS_RCX);

	return in->asize == 32 ? (uint32_t)v : v;
}

/* A 32-bit write zero-extends, as on the host. */
static void count_write(struct x86_cpu *c, const struct x86_insn *in, uint64_t v)
{
	x86_set_gpr(c, VCPU_REGS_RCX, in->asize == 32 ? (uint32_t)v : v);
}

/* LOOP (kind 0), LOOPE (1), LOOPNE (2). */
static enum x86_exit loop_common(struct x86_cpu *c, const struct x86_insn *in, int kind)
{
	uint64_t count = count_read(c, in) - 1;
	bool zf = c->v->regs.rflags & X86_FLAGS_ZF;
	bool taken = in->asize == 32 ? (uint32_t)count != 0 : count != 0;
	uint64_t target = c->next_rip + (uint64_t)in->ops[0].rel;

	if (kind == 1)
		taken = taken && zf;
	else if (kind == 2)
		taken = taken && !zf;
	if (taken && !canonical(target))
		return x86_raise_err(c, X86_EXC_GP, 0);
	count_write(c, in, count);
	if (taken)
		c->next_rip = target;
	return X86_EXIT_NONE;
}

static enum x86_exit ctl_loop(struct x86_cpu *c, const struct x86_insn *in)
{
	return loop_common(c, in, 0);
}

static enum x86_exit ctl_loope(struct x86_cpu *c, const struct x86_insn *in)
{
	return loop_common(c, in, 1);
}

static enum x86_exit ctl_loopne(struct x86_cpu *c, const struct x86_insn *in)
{
	return loop_common(c, in, 2);
}

static enum x86_exit ctl_jrcxz(struct x86_cpu *c, const struct x86_insn *in)
{
	if (count_read(c, in) != 0)
		return X86_EXIT_NONE;
	return go(c, c->next_rip + (uint64_t)in->ops[0].rel);
}

/* ---- interrupts, #UD, HLT ---- */

static enum x86_exit soft_int(struct x86_cpu *c, unsigned vector)
{
	x86_raise(c, vector);
	c->exc.soft = true; /* a trap: the core puts RIP after the instruction */
	return X86_EXIT_EXCEPTION;
}

static enum x86_exit ctl_int3(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	return soft_int(c, X86_EXC_BP);
}

static enum x86_exit ctl_int(struct x86_cpu *c, const struct x86_insn *in)
{
	return soft_int(c, (unsigned)(in->ops[0].imm & 0xff));
}

/*
 * INT1 (ICEBP): a trap-class #DB, so RIP must end up after it; the only way
 * the core offers is `soft`.  (It is not a software interrupt for the IDT's
 * DPL check: delivery code must tell it from INT 1 (CD 01) some other way.)
 */
static enum x86_exit ctl_int1(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	return soft_int(c, X86_EXC_DB);
}

static enum x86_exit ctl_ud(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	return x86_raise(c, X86_EXC_UD);
}

static enum x86_exit ctl_hlt(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	if (c->v->cpl != 0)
		return x86_raise_err(c, X86_EXC_GP, 0);
	return X86_EXIT_HLT;
}

static enum x86_exit ctl_nop(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)c;
	(void)in;
	return X86_EXIT_NONE;
}

/* CLFLUSH/CLFLUSHOPT/CLWB: no effect on flat RAM, but they fault like a byte read. */
static enum x86_exit ctl_clflush(struct x86_cpu *c, const struct x86_insn *in)
{
	const struct x86_operand *op = &in->ops[0];

	return x86_mem_probe(c, x86_ea(c, in, op), 1, X86_ACC_READ, x86_op_is_ss(op));
}

static enum x86_exit ctl_cli(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	if (io_denied(c))
		return x86_raise_err(c, X86_EXC_GP, 0);
	c->v->regs.rflags &= ~(uint64_t)X86_FLAGS_IF;
	return X86_EXIT_NONE;
}

static enum x86_exit ctl_sti(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	if (io_denied(c))
		return x86_raise_err(c, X86_EXC_GP, 0);
	c->v->regs.rflags |= X86_FLAGS_IF;
	return X86_EXIT_NONE;
}

/* ---- CPUID, time stamp counter ---- */

static enum x86_exit ctl_cpuid(struct x86_cpu *c, const struct x86_insn *in)
{
	uint32_t out[4] = { 0, 0, 0, 0 };

	(void)in;
	if (c->cpuid)
		c->cpuid(c, (uint32_t)x86_gpr(c, VCPU_REGS_RAX),
			 (uint32_t)x86_gpr(c, VCPU_REGS_RCX), out);
	x86_set_gpr(c, VCPU_REGS_RAX, out[0]);
	x86_set_gpr(c, VCPU_REGS_RBX, out[1]);
	x86_set_gpr(c, VCPU_REGS_RCX, out[2]);
	x86_set_gpr(c, VCPU_REGS_RDX, out[3]);
	return X86_EXIT_NONE;
}

/* Guest TSC of the host counter (the hook, or the deterministic instruction
 * count): the same rule as RDMSR IA32_TSC (vcpu/msr.c). */
static uint64_t tsc(struct x86_cpu *c)
{
	return vcpu_tsc_read(c->v, c->rdtsc ? c->rdtsc(c) : c->icount);
}

static enum x86_exit ctl_rdtsc(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t t;

	(void)in;
	if ((c->v->cr4 & X86_CR4_TSD) && c->v->cpl != 0)
		return x86_raise_err(c, X86_EXC_GP, 0);
	t = tsc(c);
	x86_set_gpr(c, VCPU_REGS_RAX, (uint32_t)t);
	x86_set_gpr(c, VCPU_REGS_RDX, t >> 32);
	return X86_EXIT_NONE;
}

/* RCX = IA32_TSC_AUX[31:0]. */
static enum x86_exit ctl_rdtscp(struct x86_cpu *c, const struct x86_insn *in)
{
	enum x86_exit ex = ctl_rdtsc(c, in);

	if (ex)
		return ex;
	x86_set_gpr(c, VCPU_REGS_RCX, (uint32_t)c->v->msr.tsc_aux);
	return X86_EXIT_NONE;
}

static enum x86_exit ctl_rdpid(struct x86_cpu *c, const struct x86_insn *in)
{
	return x86_op_write(c, in, 0, (uint32_t)c->v->msr.tsc_aux);
}

/* ---- port I/O ---- */

static uint32_t port_in(struct x86_cpu *c, uint16_t port, unsigned bytes)
{
	uint32_t v = c->io_in ? c->io_in(c, port, bytes) : 0xffffffffu;

	return bytes == 4 ? v : v & ((1u << (8 * bytes)) - 1);
}

static void port_out(struct x86_cpu *c, uint16_t port, unsigned bytes, uint32_t v)
{
	if (bytes < 4)
		v &= (1u << (8 * bytes)) - 1;
	if (c->io_out)
		c->io_out(c, port, bytes, v);
}

/* IN AL/AX/EAX, imm8|DX: ops[0] = destination, ops[1] = port. */
static enum x86_exit ctl_in(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t port;
	unsigned bytes = in->ops[0].width / 8;
	enum x86_exit ex;

	if (io_denied(c))
		return x86_raise_err(c, X86_EXC_GP, 0);
	ex = x86_op_read(c, in, 1, &port);
	if (ex)
		return ex;
	return x86_op_write(c, in, 0, port_in(c, (uint16_t)port, bytes));
}

/* OUT imm8|DX, AL/AX/EAX: ops[0] = port, ops[1] = source. */
static enum x86_exit ctl_out(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t port, val;
	unsigned bytes = in->ops[1].width / 8;
	enum x86_exit ex;

	if (io_denied(c))
		return x86_raise_err(c, X86_EXC_GP, 0);
	ex = x86_op_read(c, in, 0, &port);
	if (!ex)
		ex = x86_op_read(c, in, 1, &val);
	if (ex)
		return ex;
	port_out(c, (uint16_t)port, bytes, (uint32_t)val);
	return c->stop_request ? X86_EXIT_IO : X86_EXIT_NONE;
}

/* ---- string instructions ---- */

enum str_op { S_MOVS, S_CMPS, S_STOS, S_LODS, S_SCAS, S_INS, S_OUTS };

static bool parity_even(uint64_t v)
{
	return !__builtin_parity((unsigned)(v & 0xff));
}

/* The six arithmetic flags of CMP a, b (a - b) on `bytes` bytes. */
static uint64_t cmp_flags(uint64_t a, uint64_t b, unsigned bytes)
{
	unsigned width = bytes * 8;
	uint64_t m = x86_width_mask(width), sign = UINT64_C(1) << (width - 1), r, f = 0;

	a &= m;
	b &= m;
	r = (a - b) & m;
	if (r & sign)
		f |= X86_FLAGS_SF;
	if (!r)
		f |= X86_FLAGS_ZF;
	if (parity_even(r))
		f |= X86_FLAGS_PF;
	if (a < b)
		f |= X86_FLAGS_CF;
	if ((a ^ b) & (a ^ r) & sign)
		f |= X86_FLAGS_OF;
	if ((a ^ b ^ r) & 0x10)
		f |= X86_FLAGS_AF;
	return f;
}

/* Element size in bytes: byte rows, else the operand size (INS/OUTS: at most 4). */
static unsigned str_bytes(const struct x86_insn *in, bool byte, enum str_op op)
{
	unsigned b = byte ? 1 : in->osize / 8;

	if ((op == S_INS || op == S_OUTS) && b > 4)
		b = 4;
	return b;
}

/* Pointer register value as an offset (ESI/EDI with a 67 prefix). */
static uint64_t ptr_read(struct x86_cpu *c, const struct x86_insn *in, unsigned reg)
{
	uint64_t v = x86_gpr(c, reg);

	return in->asize == 32 ? (uint32_t)v : v;
}

static void ptr_write(struct x86_cpu *c, const struct x86_insn *in, unsigned reg, uint64_t v)
{
	x86_set_gpr(c, reg, in->asize == 32 ? (uint32_t)v : v);
}

/* The source segment (DS, or an FS/GS override) base; ES is always 0. */
static uint64_t src_base(struct x86_cpu *c, const struct x86_insn *in)
{
	if (in->seg == X86_SEG_FS)
		return c->v->fs_base;
	if (in->seg == X86_SEG_GS)
		return c->v->gs_base;
	return 0;
}

static uint64_t rax_read(struct x86_cpu *c, unsigned bytes)
{
	return x86_gpr(c, VCPU_REGS_RAX) & x86_width_mask(bytes * 8);
}

static void rax_write(struct x86_cpu *c, unsigned bytes, uint64_t v)
{
	struct vcpu_regfile *rf = &c->v->regs;

	switch (bytes) {
	case 1: vcpu_gpr_write8(rf, VCPU_REGS_RAX, (uint8_t)v); break;
	case 2: vcpu_gpr_write16(rf, VCPU_REGS_RAX, (uint16_t)v); break;
	case 4: vcpu_gpr_write32(rf, VCPU_REGS_RAX, (uint32_t)v); break;
	default: x86_set_gpr(c, VCPU_REGS_RAX, v); break;
	}
}

/*
 * One iteration: the memory/port accesses (reads first, the write last, so
 * a fault changes nothing), then RSI/RDI and the flags.
 */
static enum x86_exit str_once(struct x86_cpu *c, const struct x86_insn *in, enum str_op op,
			      unsigned bytes)
{
	bool uses_si = op == S_MOVS || op == S_CMPS || op == S_LODS || op == S_OUTS;
	bool uses_di = op != S_LODS && op != S_OUTS;
	uint64_t si = ptr_read(c, in, VCPU_REGS_RSI), di = ptr_read(c, in, VCPU_REGS_RDI);
	uint64_t src_la = src_base(c, in) + si, dst_la = di;
	uint64_t a = 0, b = 0, step;
	uint16_t port = (uint16_t)x86_gpr(c, VCPU_REGS_RDX);
	enum x86_exit ex = X86_EXIT_NONE;

	switch (op) {
	case S_MOVS:
		ex = x86_mem_read(c, src_la, &a, bytes, false);
		if (!ex)
			ex = x86_mem_write(c, dst_la, &a, bytes, false);
		break;
	case S_CMPS:
		ex = x86_mem_read(c, src_la, &a, bytes, false);
		if (!ex)
			ex = x86_mem_read(c, dst_la, &b, bytes, false);
		break;
	case S_STOS:
		a = rax_read(c, bytes);
		ex = x86_mem_write(c, dst_la, &a, bytes, false);
		break;
	case S_LODS:
		ex = x86_mem_read(c, src_la, &a, bytes, false);
		break;
	case S_SCAS:
		a = rax_read(c, bytes);
		ex = x86_mem_read(c, dst_la, &b, bytes, false);
		break;
	case S_INS:
		/* Probe first: the port read has side effects. */
		ex = x86_mem_probe(c, dst_la, bytes, X86_ACC_WRITE, false);
		if (ex)
			break;
		a = port_in(c, port, bytes);
		ex = x86_mem_write(c, dst_la, &a, bytes, false);
		break;
	case S_OUTS:
		ex = x86_mem_read(c, src_la, &a, bytes, false);
		if (!ex)
			port_out(c, port, bytes, (uint32_t)a);
		break;
	}
	if (ex)
		return ex;

	step = (c->v->regs.rflags & X86_FLAGS_DF) ? (uint64_t)0 - bytes : bytes;
	if (uses_si)
		ptr_write(c, in, VCPU_REGS_RSI, si + step);
	if (uses_di)
		ptr_write(c, in, VCPU_REGS_RDI, di + step);
	if (op == S_LODS)
		rax_write(c, bytes, a);
	if (op == S_CMPS || op == S_SCAS)
		x86_flags_update(c, in, X86_FLAGS_ARITH, cmp_flags(a, b, bytes));
	return X86_EXIT_NONE;
}

static enum x86_exit str_exec(struct x86_cpu *c, const struct x86_insn *in, enum str_op op,
			      bool byte)
{
	unsigned bytes = str_bytes(in, byte, op);
	bool cond = op == S_CMPS || op == S_SCAS; /* REPE/REPNE forms */
	uint64_t count, entry_flags = c->v->regs.rflags;
	enum x86_exit ex;

	if ((op == S_INS || op == S_OUTS) && io_denied(c))
		return x86_raise_err(c, X86_EXC_GP, 0);
	if (!in->rep)
		return str_once(c, in, op, bytes);

	count = count_read(c, in);
	if (in->asize == 32) {
		/* The host writes ECX, and MOVS/STOS their pointers, before the first
		 * iteration: even with ECX = 0 or a fault, the upper halves clear. */
		count_write(c, in, count);
		if (op == S_MOVS)
			ptr_write(c, in, VCPU_REGS_RSI, ptr_read(c, in, VCPU_REGS_RSI));
		if (op == S_MOVS || op == S_STOS)
			ptr_write(c, in, VCPU_REGS_RDI, ptr_read(c, in, VCPU_REGS_RDI));
	}
	if (count == 0)
		return X86_EXIT_NONE;
	for (unsigned n = 0; n < STR_CHUNK; n++) {
		ex = str_once(c, in, op, bytes);
		if (ex) {
			/* The iterations before this one stay done, but a faulting
			 * REPE/REPNE CMPS/SCAS leaves RFLAGS as it found them (host). */
			if (cond)
				c->v->regs.rflags = entry_flags;
			return ex;
		}
		count_write(c, in, --count);
		if (in->asize == 32)
			count = (uint32_t)count;
		if (count == 0)
			return X86_EXIT_NONE;
		if (cond) {
			bool zf = c->v->regs.rflags & X86_FLAGS_ZF;

			if (in->rep == 0xF3 ? !zf : zf)
				return X86_EXIT_NONE;
		}
	}
	c->next_rip = c->v->regs.rip; /* more to do: run the instruction again */
	return X86_EXIT_NONE;
}

#define STR_HANDLER(fn, op, byte)						\
static enum x86_exit fn(struct x86_cpu *c, const struct x86_insn *in)	\
{										\
	return str_exec(c, in, op, byte);					\
}

STR_HANDLER(ctl_movsb, S_MOVS, true)
STR_HANDLER(ctl_movs, S_MOVS, false)
STR_HANDLER(ctl_cmpsb, S_CMPS, true)
STR_HANDLER(ctl_cmps, S_CMPS, false)
STR_HANDLER(ctl_stosb, S_STOS, true)
STR_HANDLER(ctl_stos, S_STOS, false)
STR_HANDLER(ctl_lodsb, S_LODS, true)
STR_HANDLER(ctl_lods, S_LODS, false)
STR_HANDLER(ctl_scasb, S_SCAS, true)
STR_HANDLER(ctl_scas, S_SCAS, false)
STR_HANDLER(ctl_insb, S_INS, true)
STR_HANDLER(ctl_ins, S_INS, false)
STR_HANDLER(ctl_outsb, S_OUTS, true)
STR_HANDLER(ctl_outs, S_OUTS, false)

const struct x86_handler_entry x86_handlers_ctl[] = {
	/* branches */
	{ "jmp", ctl_jmp },
	{ "call_near", ctl_call },
	{ "ret_near", ctl_ret },
	{ "jo", ctl_jcc }, { "jno", ctl_jcc }, { "jb", ctl_jcc }, { "jnb", ctl_jcc },
	{ "jz", ctl_jcc }, { "jnz", ctl_jcc }, { "jbe", ctl_jcc }, { "jnbe", ctl_jcc },
	{ "js", ctl_jcc }, { "jns", ctl_jcc }, { "jp", ctl_jcc }, { "jnp", ctl_jcc },
	{ "jl", ctl_jcc }, { "jnl", ctl_jcc }, { "jle", ctl_jcc }, { "jnle", ctl_jcc },
	{ "loop", ctl_loop },
	{ "loope", ctl_loope },
	{ "loopne", ctl_loopne },
	{ "jcxz|jecxz|jrcxz", ctl_jrcxz },
	/* interrupts, #UD, HLT */
	{ "int3", ctl_int3 },
	{ "int", ctl_int },
	{ "int1", ctl_int1 },
	{ "ud0", ctl_ud },
	{ "ud1", ctl_ud },
	{ "ud2", ctl_ud },
	{ "udb", ctl_ud },
	{ "hlt", ctl_hlt },
	{ "cli", ctl_cli },
	{ "sti", ctl_sti },
	/* no-ops: NOP forms, hints, fences, prefetches, CET with CET off */
	{ "nop", ctl_nop },
	{ "pause", ctl_nop },
	{ "endbr64", ctl_nop },
	{ "endbr32", ctl_nop },
	{ "rdsspd|rdsspd|rdsspq", ctl_nop },
	{ "lfence", ctl_nop },
	{ "sfence", ctl_nop },
	{ "mfence", ctl_nop },
	{ "serialize", ctl_nop },
	{ "cldemote", ctl_nop },
	{ "prefetchnta", ctl_nop },
	{ "prefetcht0", ctl_nop },
	{ "prefetcht1", ctl_nop },
	{ "prefetcht2", ctl_nop },
	{ "prefetchw", ctl_nop },
	{ "prefetch_exclusive", ctl_nop },
	{ "prefetch_reserved", ctl_nop },
	{ "prefetchrst2", ctl_nop },
	{ "prefetchit0", ctl_nop },
	{ "prefetchit1", ctl_nop },
	{ "clflush", ctl_clflush },
	{ "clflushopt", ctl_clflush },
	{ "clwb", ctl_clflush },
	/* CPUID, TSC */
	{ "cpuid", ctl_cpuid },
	{ "rdtsc", ctl_rdtsc },
	{ "rdtscp", ctl_rdtscp },
	{ "rdpid", ctl_rdpid },
	/* port I/O */
	{ "in", ctl_in },
	{ "out", ctl_out },
	/* strings */
	{ "movsb", ctl_movsb },
	{ "movsw|movsd|movsq", ctl_movs },
	{ "cmpsb", ctl_cmpsb },
	{ "cmpsw|cmpsd|cmpsq", ctl_cmps },
	{ "stosb", ctl_stosb },
	{ "stosw|stosd|stosq", ctl_stos },
	{ "lodsb", ctl_lodsb },
	{ "lodsw|lodsd|lodsq", ctl_lods },
	{ "scasb", ctl_scasb },
	{ "scasw|scasd|scasq", ctl_scas },
	{ "insb", ctl_insb },
	{ "insw|insd|insd", ctl_ins },
	{ "outsb", ctl_outsb },
	{ "outsw|outsd|outsd", ctl_outs },
	{ NULL, NULL }
};
