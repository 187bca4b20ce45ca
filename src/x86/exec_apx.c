/* SPDX-License-Identifier: MIT */
/*
 * The APX-specific instructions: CCMPscc/CTESTscc, CFCMOVcc, PUSH2/POP2
 * (+PPX), PUSHP/POPP and JMPABS (apx.md §4.3-§4.8).
 *
 * Not here, although APX: NDD/NF/ZU forms of the promoted legacy
 * instructions (the generic write rule in x86_op_write and x86_flags_update
 * cover them in the ALU/data families), CMOVcc-NDD (its row is named
 * "cmovcc" like the legacy CMOV, so the data family's handler gets it),
 * SETcc.ZU ("setcc") and IMUL.ZU ("imul").
 *
 * Decisions on points the spec (apx.md) marks UNVERIFIED, with what was
 * found; every one is exercised by tests/test_exec_apx.c:
 *
 *  - CCMP/CTEST with the source condition false: OF/SF/ZF/CF come from DFV,
 *    PF is set to DFV.CF and AF is cleared.  Source: this is the APX
 *    specification's "flags := DFV" rule as applied by a public APX lifter's
 *    test-suite ("DFV.CF also supplies PF": DFV={cf} gives RFLAGS 0x07,
 *    DFV={} gives 0x02, i.e. AF=0); QEMU's APX flag design (P. Bonzini,
 *    "target/i386: tcg: use cout to commonize add/adc/sub/sbb cases") also
 *    computes a defined PF in the default-flags case; XED marks all six
 *    flags written (MUST [OF SF ZF AF PF CF]-MOD), none left unchanged.
 *  - CCMP/CTEST memory operand: read, and able to fault, whatever the
 *    condition.  XED gives CCMP/CTEST no MEMORY_FAULT_SUPPRESSION attribute
 *    (CFCMOV has it) and the same lifter test-suite loads unconditionally
 *    ("false_scc_memory_faults_precede_any_interpreter_flag_commit").
 *  - CTEST with the condition true: flags as TEST; TEST's "undefined" AF is
 *    0 on Intel hardware (checked on the host, see the unit test).
 *  - CFCMOV store form with a register destination (ND=0, NF=1, mod=11):
 *    false -> the destination register is zeroed, exactly like the load
 *    form.  Source: LLVM treats 62 54 fc 0c 46 f9 as the reverse encoding
 *    of the load form "cfcmovbe r9, r15"
 *    (llvm/test/MC/Disassembler/X86/apx/reverse-encoding.txt), and XED
 *    marks that register operand as always written ("w").
 *  - CFCMOV 16-bit operand size, ND=0 forms: the ordinary x86 write rule
 *    (16-bit writes merge into bits 15:0, 32-bit writes zero-extend), also
 *    for the zero written when the condition is false; apx.md §4.1: without
 *    NDD the legacy rule applies.  The ND=1 form zeroes [63:OSIZE] (NDD
 *    rule, done by x86_op_write).
 *  - PUSH2/POP2 with RSP not 16-byte aligned: #GP(0), checked before any
 *    access (LLVM PR #143076 / #145303: "general protection exception" when
 *    push2/pop2 data is not 16-byte aligned).  A non-canonical stack address
 *    is #SS(0) like every other stack access.  Precise: the 16 bytes are one
 *    access (probed as a whole), RSP and the registers change only after it.
 *  - JMPABS to a non-canonical target: #GP(0) reported on the JMPABS itself
 *    (RIP unchanged), as for every near JMP in 64-bit mode (SDM Vol. 2, JMP,
 *    "64-Bit Mode Exceptions": #GP(0) if the target offset is non-canonical;
 *    Intel reports it on the branch).  Nothing APX-specific was found (KVM
 *    dropped JMPABS emulation).
 */
#include <stddef.h>

#include "x86/flags.h"
#include "x86/interp_internal.h"

static bool canonical(uint64_t la)
{
	return (uint64_t)((int64_t)(la << 16) >> 16) == la;
}

/* DFV {OF,SF,ZF,CF} (bits 3..0) as RFLAGS: PF = DFV.CF, AF = 0 (see above). */
static uint64_t dfv_flags(unsigned dfv)
{
	uint64_t f = 0;

	if (dfv & 8)
		f |= X86_FLAGS_OF;
	if (dfv & 4)
		f |= X86_FLAGS_SF;
	if (dfv & 2)
		f |= X86_FLAGS_ZF;
	if (dfv & 1)
		f |= X86_FLAGS_CF | X86_FLAGS_PF;
	return f;
}

/* SCC: Jcc numbering except 10 = always true, 11 = always false. */
static bool scc_holds(const struct x86_insn *in, uint64_t rflags)
{
	unsigned scc = (unsigned)in->scc & 15;

	if (scc == 10)
		return true;
	if (scc == 11)
		return false;
	return x86_cond(rflags, scc);
}

/*
 * CCMPscc / CTESTscc: ops[0] and ops[1] are sources (CMP computes
 * ops[0] - ops[1] in every form: 38/39 r/m - reg, 3A/3B reg - r/m, 80/81/83
 * r/m - imm).  Both are read first, so a memory operand faults even when
 * the condition is false.  Nothing but RFLAGS is written.
 */
static enum x86_exit cond_flags_op(struct x86_cpu *c, const struct x86_insn *in, bool test)
{
	unsigned width = in->ops[0].width;
	uint64_t a, b, f;
	enum x86_exit ex;

	ex = x86_op_read(c, in, 0, &a);
	if (ex)
		return ex;
	ex = x86_op_read(c, in, 1, &b);
	if (ex)
		return ex;
	a &= x86_width_mask(width);
	b &= x86_width_mask(width); /* immediates come sign-extended to 64 bits */
	if (!scc_holds(in, c->v->regs.rflags))
		f = dfv_flags((unsigned)in->dfv & 15);
	else if (test)
		f = x86_fl_logic(a & b, width); /* OF = CF = 0, AF = 0 as Intel's TEST */
	else
		f = x86_fl_sub(a, b, 0, width);
	x86_flags_update(c, in, X86_FLAGS_ARITH, f);
	return X86_EXIT_NONE;
}

static enum x86_exit apx_ccmp(struct x86_cpu *c, const struct x86_insn *in)
{
	return cond_flags_op(c, in, false);
}

static enum x86_exit apx_ctest(struct x86_cpu *c, const struct x86_insn *in)
{
	return cond_flags_op(c, in, true);
}

/*
 * CFCMOVcc (map 4, 40+cc, NP/66).  The decoder consumed ND/NF to pick the
 * form (in->nf is false for all of them); the raw EVEX.NF bit is aaa[2].
 *   ND=0 NF=0  load:  ops[0]=reg(w) ops[1]=r/m(r):  reg <- cc ? r/m : 0
 *   ND=0 NF=1  store: ops[0]=r/m(w) ops[1]=reg(r):  cc ? r/m <- reg : no write
 *                     (a register r/m is zeroed, see the header comment)
 *   ND=1 NF=1  NDD:   ops[0]=vvvv(w) ops[1]=reg ops[2]=r/m: vvvv <- cc ? r/m : reg
 * When the condition is false the memory operand is not accessed at all, so
 * it cannot fault.  Flags are only read.
 */
static enum x86_exit apx_cfcmov(struct x86_cpu *c, const struct x86_insn *in)
{
	bool cond = x86_cond(c->v->regs.rflags, in->opcode & 15u);
	uint64_t v = 0;
	enum x86_exit ex;

	if (in->nd) {
		ex = x86_op_read(c, in, cond ? 2 : 1, &v);
		if (ex)
			return ex;
		return x86_op_write(c, in, 0, v);
	}
	if (in->aaa & 4) { /* store form */
		if (!cond) {
			if (in->ops[0].kind == X86_OPK_REG)
				return x86_op_write(c, in, 0, 0);
			return X86_EXIT_NONE;
		}
		ex = x86_op_read(c, in, 1, &v);
		if (ex)
			return ex;
		return x86_op_write(c, in, 0, v); /* the only write: may fault, nothing else changed */
	}
	if (cond) { /* load form */
		ex = x86_op_read(c, in, 1, &v);
		if (ex)
			return ex;
	}
	return x86_op_write(c, in, 0, v);
}

/* PUSH2/POP2 need RSP 16-byte aligned: #GP(0) otherwise (see the header). */
static enum x86_exit push2_pop2_check(struct x86_cpu *c, uint64_t rsp)
{
	if (rsp & 15)
		return x86_raise_err(c, X86_EXC_GP, 0);
	return X86_EXIT_NONE;
}

/*
 * PUSH2 op1, op2 (op1 = {V4,vvvv}, op2 = {B4,B3,rm}, 64-bit, never RSP):
 * push op1; push op2 -> [RSP-8] = op1, [RSP-16] = op2, RSP -= 16.
 * PUSH2P is the same with the PPX hint.
 */
static enum x86_exit apx_push2(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t rsp = x86_gpr(c, VCPU_REGS_RSP);
	uint64_t buf[2];
	enum x86_exit ex;

	ex = push2_pop2_check(c, rsp);
	if (ex)
		return ex;
	ex = x86_op_read(c, in, 1, &buf[0]); /* lower address: pushed second */
	if (ex)
		return ex;
	ex = x86_op_read(c, in, 0, &buf[1]);
	if (ex)
		return ex;
	/* One 16-byte access: it either happens whole or faults with nothing written. */
	ex = x86_mem_write(c, rsp - 16, buf, sizeof(buf), true);
	if (ex)
		return ex;
	x86_set_gpr(c, VCPU_REGS_RSP, rsp - 16);
	return X86_EXIT_NONE;
}

/*
 * POP2 op1, op2: pop op1; pop op2 -> op1 = [RSP], op2 = [RSP+8], RSP += 16.
 * The decoder rejects RSP operands and op1 == op2 (#UD).  POP2P likewise.
 */
static enum x86_exit apx_pop2(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t rsp = x86_gpr(c, VCPU_REGS_RSP);
	uint64_t buf[2];
	enum x86_exit ex;

	ex = push2_pop2_check(c, rsp);
	if (ex)
		return ex;
	ex = x86_mem_read(c, rsp, buf, sizeof(buf), true);
	if (ex)
		return ex;
	x86_set_gpr(c, VCPU_REGS_RSP, rsp + 16);
	ex = x86_op_write(c, in, 0, buf[0]);
	if (ex)
		return ex;
	return x86_op_write(c, in, 1, buf[1]);
}

/* PUSHP r64 (REX2.W=1 50+r): PUSH r64 with the PPX hint. */
static enum x86_exit apx_pushp(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t rsp = x86_gpr(c, VCPU_REGS_RSP);
	uint64_t v;
	enum x86_exit ex;

	ex = x86_op_read(c, in, 0, &v); /* PUSHP RSP pushes the old RSP */
	if (ex)
		return ex;
	ex = x86_mem_write(c, rsp - 8, &v, 8, true);
	if (ex)
		return ex;
	x86_set_gpr(c, VCPU_REGS_RSP, rsp - 8);
	return X86_EXIT_NONE;
}

/* POPP r64 (REX2.W=1 58+r): POP r64 with the PPX hint; POPP RSP loads RSP. */
static enum x86_exit apx_popp(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t rsp = x86_gpr(c, VCPU_REGS_RSP);
	uint64_t v;
	enum x86_exit ex;

	ex = x86_mem_read(c, rsp, &v, 8, true);
	if (ex)
		return ex;
	x86_set_gpr(c, VCPU_REGS_RSP, rsp + 8);
	return x86_op_write(c, in, 0, v);
}

/* JMPABS imm64: RIP <- imm64; a non-canonical target is #GP(0) here. */
static enum x86_exit apx_jmpabs(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t target = in->ops[0].imm;

	if (!canonical(target))
		return x86_raise_err(c, X86_EXC_GP, 0);
	c->next_rip = target;
	return X86_EXIT_NONE;
}

const struct x86_handler_entry x86_handlers_apx[] = {
	{ "ccmp", apx_ccmp },
	{ "ctest", apx_ctest },
	{ "cfcmovo", apx_cfcmov },
	{ "cfcmovno", apx_cfcmov },
	{ "cfcmovb", apx_cfcmov },
	{ "cfcmovnb", apx_cfcmov },
	{ "cfcmovz", apx_cfcmov },
	{ "cfcmovnz", apx_cfcmov },
	{ "cfcmovbe", apx_cfcmov },
	{ "cfcmovnbe", apx_cfcmov },
	{ "cfcmovs", apx_cfcmov },
	{ "cfcmovns", apx_cfcmov },
	{ "cfcmovp", apx_cfcmov },
	{ "cfcmovnp", apx_cfcmov },
	{ "cfcmovl", apx_cfcmov },
	{ "cfcmovnl", apx_cfcmov },
	{ "cfcmovle", apx_cfcmov },
	{ "cfcmovnle", apx_cfcmov },
	{ "push2", apx_push2 },
	{ "push2p", apx_push2 },
	{ "pop2", apx_pop2 },
	{ "pop2p", apx_pop2 },
	{ "pushp", apx_pushp },
	{ "popp", apx_popp },
	{ "jmpabs", apx_jmpabs },
	{ NULL, NULL },
};
