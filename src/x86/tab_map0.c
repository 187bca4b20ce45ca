/* SPDX-License-Identifier: MIT */
/*
 * Map 0: the one-byte opcode map in 64-bit mode, with XED's iclass names
 * and the operands XED shows (EXPLICIT and IMPLICIT), in XED's order.
 *
 * Notes on XED's conventions that the rows below follow:
 *  - Immediates: XED marks some as signed (shown sign-extended to 64 bits)
 *    and some as unsigned.  All imm32 (Iz) forms are signed, and so are
 *    most imm8 forms; the unsigned imm8 forms are OR/XOR AL,Ib (0C, 34),
 *    AND/XOR Eb,Ib (80 /4, 80 /6), MOV r8,Ib (B0+), MOV Eb,Ib (C6), the
 *    shift counts, INT, IN/OUT ports, XABORT, and ENTER/RET's Iw.
 *  - FADD with a memory source shows only the memory operand (XED marks
 *    its st(0) as suppressed); every other x87 arithmetic form shows st(0).
 *  - Rows 40-4F, 70-7F, A0-AF (except JMPABS), E0-EF are #UD with REX2.
 *  - C4/C5 (VEX), 62 (EVEX), D5 (REX2), 0F (escape) and the prefix bytes
 *    are handled by the engine before the table; their rows are invalid.
 */
#include "optab.h"

/* Operand shorthands local to this map. */
#define Sw(a)    OP(M_S, Z_W, a)
#define eAX(a)   OPF(M_GPR, Z_Z, a, GPR_AX)   /* IN/OUT: ax or eax, never rax */
#define AX(a)    OPF(M_GPR, Z_W, a, GPR_AX)
#define Ez(a)    OP(M_E, Z_Z, a)              /* MOVSXD source */
#define Mp       OP(M_M, Z_P, R)              /* far pointer m16:16/32/64 */
#define Ob(a)    OP(M_O, Z_B, a)
#define Ov(a)    OP(M_O, Z_V, a)
#define AGEN     OP(M_AGEN, Z_A, R)
#define Aq       OP(M_ABS, Z_Q, R)
#define Zq_(a)   OP(M_Z, Z_Q, a)

/* x87 operands. */
#define ST0(a)   OP(M_ST0, Z_T, a)
#define STI(a)   OP(M_STI, Z_T, a)
#define Md(a)    OP(M_M, Z_D, a)
#define Mq(a)    OP(M_M, Z_Q, a)
#define Mt(a)    OP(M_M, Z_T, a)
#define Menv(a)  OP(M_M, Z_ENV, a)
#define Mfsave(a) OP(M_M, Z_FSAVE, a)

/*
 * Repeat a row.  optab.h's X2/X4/X8 take one macro argument, which breaks
 * on a row builder whose expansion contains commas; these are variadic.
 */
#define REP2(...) __VA_ARGS__, __VA_ARGS__
#define REP4(...) REP2(__VA_ARGS__), REP2(__VA_ARGS__)
#define REP8(...) REP4(__VA_ARGS__), REP4(__VA_ARGS__)
#define REP16(...) REP8(__VA_ARGS__), REP8(__VA_ARGS__)

/* Branches: REX2 is #UD, operand size forced to 64 (66 does not shorten rel32). */
#define BR (F_NOREX2 | F_F64)

/*
 * ALU block 00-05 (and 08-0D, ...): Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev / AL,Ib / rAX,Iz.
 * `lk` is F_LOCK for the read-modify-write forms (0 for CMP), `a` the
 * destination access, `ib` the AL,Ib immediate (XED: signed for most).
 */
#define ALU(nm, lk, a, ib)				\
	I(nm, lk, Eb(a), Gb(R)),			\
	I(nm, lk, Ev(a), Gv(R)),			\
	I(nm, 0, Gb(a), Eb(R)),				\
	I(nm, 0, Gv(a), Ev(R)),				\
	I(nm, 0, AL(a), ib),				\
	I(nm, 0, rAX(a), IzS)

/* ---- Group 1: 80, 81, 83 ---- */
static const struct x86_opcode_row grp1_80[8] = {
	I("add", F_LOCK, Eb(RW), IbS),
	I("or",  F_LOCK, Eb(RW), IbS),
	I("adc", F_LOCK, Eb(RW), IbS),
	I("sbb", F_LOCK, Eb(RW), IbS),
	I("and", F_LOCK, Eb(RW), Ib),
	I("sub", F_LOCK, Eb(RW), IbS),
	I("xor", F_LOCK, Eb(RW), Ib),
	I("cmp", 0,      Eb(R),  IbS),
};

static const struct x86_opcode_row grp1_81[8] = {
	I("add", F_LOCK, Ev(RW), IzS),
	I("or",  F_LOCK, Ev(RW), IzS),
	I("adc", F_LOCK, Ev(RW), IzS),
	I("sbb", F_LOCK, Ev(RW), IzS),
	I("and", F_LOCK, Ev(RW), IzS),
	I("sub", F_LOCK, Ev(RW), IzS),
	I("xor", F_LOCK, Ev(RW), IzS),
	I("cmp", 0,      Ev(R),  IzS),
};

static const struct x86_opcode_row grp1_83[8] = {
	I("add", F_LOCK, Ev(RW), IbS),
	I("or",  F_LOCK, Ev(RW), IbS),
	I("adc", F_LOCK, Ev(RW), IbS),
	I("sbb", F_LOCK, Ev(RW), IbS),
	I("and", F_LOCK, Ev(RW), IbS),
	I("sub", F_LOCK, Ev(RW), IbS),
	I("xor", F_LOCK, Ev(RW), IbS),
	I("cmp", 0,      Ev(R),  IbS),
};

/* ---- Group 2: shifts (/6 is the SAL alias, iclass shl) ---- */
#define GRP2(dst, src)					\
	I("rol", 0, dst, src), I("ror", 0, dst, src),	\
	I("rcl", 0, dst, src), I("rcr", 0, dst, src),	\
	I("shl", 0, dst, src), I("shr", 0, dst, src),	\
	I("shl", 0, dst, src), I("sar", 0, dst, src)

static const struct x86_opcode_row grp2_c0[8] = { GRP2(Eb(RW), Ib) };
static const struct x86_opcode_row grp2_c1[8] = { GRP2(Ev(RW), Ib) };
static const struct x86_opcode_row grp2_d0[8] = { GRP2(Eb(RW), ONE) };
static const struct x86_opcode_row grp2_d1[8] = { GRP2(Ev(RW), ONE) };
static const struct x86_opcode_row grp2_d2[8] = { GRP2(Eb(RW), CL(R)) };
static const struct x86_opcode_row grp2_d3[8] = { GRP2(Ev(RW), CL(R)) };

/* ---- Group 3: F6, F7 (/1 is an alias of TEST) ---- */
static const struct x86_opcode_row grp3_f6[8] = {
	I("test", 0,      Eb(R), IbS),
	I("test", 0,      Eb(R), IbS),
	I("not",  F_LOCK, Eb(RW)),
	I("neg",  F_LOCK, Eb(RW)),
	I("mul",  0,      Eb(R)),
	I("imul", 0,      Eb(R)),
	I("div",  0,      Eb(R)),
	I("idiv", 0,      Eb(R)),
};

static const struct x86_opcode_row grp3_f7[8] = {
	I("test", 0,      Ev(R), IzS),
	I("test", 0,      Ev(R), IzS),
	I("not",  F_LOCK, Ev(RW)),
	I("neg",  F_LOCK, Ev(RW)),
	I("mul",  0,      Ev(R)),
	I("imul", 0,      Ev(R)),
	I("div",  0,      Ev(R)),
	I("idiv", 0,      Ev(R)),
};

/* ---- Group 4 / 5: FE, FF ---- */
static const struct x86_opcode_row grp4_fe[8] = {
	I("inc", F_LOCK, Eb(RW)),
	I("dec", F_LOCK, Eb(RW)),
	N, N, N, N, N, N,
};

/*
 * Encodings that XED rejects while matching the pattern (mod=3 for a
 * memory-only form, a bad segment register) are rejected at walk time, so
 * that a LOCK prefix does not turn them into bad_lock_prefix.
 */
static const struct x86_opcode_row call_far_mod[2] = { I("call_far", 0, Mp), N };
static const struct x86_opcode_row jmp_far_mod[2] = { I("jmp_far", 0, Mp), N };

static const struct x86_opcode_row grp5_ff[8] = {
	I("inc",       F_LOCK,        Ev(RW)),
	I("dec",       F_LOCK,        Ev(RW)),
	I("call_near", F_F64 | F_BND, Ev(R)),
	G(SEL_MOD, call_far_mod),
	I("jmp",       F_F64 | F_BND, Ev(R)),
	G(SEL_MOD, jmp_far_mod),
	I("push",      F_D64,         Ev(R)),
	N,
};

/* ---- Group 1A: 8F (/1../7 would be AMD XOP: general_error here) ---- */
static const struct x86_opcode_row grp1a_8f[8] = {
	I("pop", F_D64, Ev(W)),
	N, N, N, N, N, N, N,
};

/* ---- Group 11: C6, C7 (MOV; C6 F8 XABORT, C7 F8 XBEGIN) ---- */
static const struct x86_opcode_row xabort_rm[8] = {
	I("xabort", 0, Ib), N, N, N, N, N, N, N,
};
static const struct x86_opcode_row xabort_mod[2] = { N, G(SEL_RM, xabort_rm) };
static const struct x86_opcode_row grp11_c6[8] = {
	I("mov", 0, Eb(W), Ib),
	N, N, N, N, N, N,
	G(SEL_MOD, xabort_mod),
};

static const struct x86_opcode_row xbegin_rm[8] = {
	I("xbegin", 0, Jz), N, N, N, N, N, N, N,
};
static const struct x86_opcode_row xbegin_mod[2] = { N, G(SEL_RM, xbegin_rm) };
static const struct x86_opcode_row grp11_c7[8] = {
	I("mov", 0, Ev(W), IzS),
	N, N, N, N, N, N,
	G(SEL_MOD, xbegin_mod),
};

/* ---- PUSH/POP r (50-5F): REX2.W=1 makes them PUSHP/POPP ---- */
static const struct x86_opcode_row push_w[2] = {
	I("push",  F_D64, Zv(R)),
	I("pushp", F_D64, Zq_(R)),
};
static const struct x86_opcode_row push_rex2[2] = {
	I("push", F_D64, Zv(R)),
	G(SEL_W, push_w),
};
static const struct x86_opcode_row pop_w[2] = {
	I("pop",  F_D64, Zv(W)),
	I("popp", F_D64, Zq_(W)),
};
static const struct x86_opcode_row pop_rex2[2] = {
	I("pop", F_D64, Zv(W)),
	G(SEL_W, pop_w),
};

/* ---- 90: NOP / XCHG r,rAX (REX.B / REX2.B3/B4) / PAUSE (F3) ---- */
static const struct x86_opcode_row nop_xchg[2] = {
	I0("nop", 0),
	I("xchg", 0, Zv(RW), rAX(RW)),
};
static const struct x86_opcode_row op90[4] = {
	G(SEL_OPREG0, nop_xchg),
	G(SEL_OPREG0, nop_xchg),
	I0("pause", 0),
	G(SEL_OPREG0, nop_xchg),
};

/* ---- 8C / 8E: MOV Sreg ---- */
static const struct x86_opcode_row mov_8c_mod[2] = {
	I("mov", 0, Ew(W), Sw(R)),   /* memory: always 16 bits */
	I("mov", 0, Ev(W), Sw(R)),   /* register: operand size */
};
static const struct x86_opcode_row mov_8c[8] = {
	REP4(G(SEL_MOD, mov_8c_mod)),
	REP2(G(SEL_MOD, mov_8c_mod)),
	REP2(NE(X86_ERR_BAD_REGISTER)),  /* no segment registers 6, 7 */
};
static const struct x86_opcode_row mov_8e[8] = {
	I("mov", 0, Sw(W), Ew(R)),
	NE(X86_ERR_BAD_REGISTER),        /* MOV CS, r/m */
	REP4(I("mov", 0, Sw(W), Ew(R))),
	REP2(NE(X86_ERR_BAD_REGISTER)),
};
static const struct x86_opcode_row lea_mod[2] = {
	I("lea", 0, Gv(W), AGEN), N,
};

/* ---- A1: MOV rAX,moffs; with REX2 (W=0, no 66/67/F2/F3) JMPABS ---- */
static const struct x86_opcode_row jmpabs_pfx[4] = {
	I("jmpabs", 0, Aq), N, N, N,
};
static const struct x86_opcode_row jmpabs_asz[2] = {
	G(SEL_PFX_OSZ, jmpabs_pfx), N,
};
static const struct x86_opcode_row jmpabs_w[2] = {
	G(SEL_ASZ, jmpabs_asz), N,
};
static const struct x86_opcode_row op_a1[2] = {
	I("mov", 0, rAX(W), Ov(R)),
	G(SEL_W, jmpabs_w),
};

/* ======================= x87 (D8-DF) ======================= */

/* D8: m32real / st(i) */
static const struct x86_opcode_row x87_d8_mem[8] = {
	I("fadd",  0, Md(R)),
	I("fmul",  0, ST0(RW), Md(R)),
	I("fcom",  0, ST0(R), Md(R)),
	I("fcomp", 0, ST0(R), Md(R)),
	I("fsub",  0, ST0(RW), Md(R)),
	I("fsubr", 0, ST0(RW), Md(R)),
	I("fdiv",  0, ST0(RW), Md(R)),
	I("fdivr", 0, ST0(RW), Md(R)),
};
static const struct x86_opcode_row x87_d8_reg[8] = {
	I("fadd",  0, ST0(RW), STI(R)),
	I("fmul",  0, ST0(RW), STI(R)),
	I("fcom",  0, ST0(R), STI(R)),
	I("fcomp", 0, ST0(R), STI(R)),
	I("fsub",  0, ST0(RW), STI(R)),
	I("fsubr", 0, ST0(RW), STI(R)),
	I("fdiv",  0, ST0(RW), STI(R)),
	I("fdivr", 0, ST0(RW), STI(R)),
};
static const struct x86_opcode_row x87_d8[2] = {
	G(SEL_REG, x87_d8_mem), G(SEL_REG, x87_d8_reg),
};

/* D9 */
static const struct x86_opcode_row x87_d9_mem[8] = {
	I("fld",     0, ST0(W), Md(R)),
	N,
	I("fst",     0, Md(W), ST0(R)),
	I("fstp",    0, Md(W), ST0(R)),
	I("fldenv",  0, Menv(R)),
	I("fldcw",   0, Mw(R)),
	I("fnstenv", 0, Menv(W)),
	I("fnstcw",  0, Mw(W)),
};
static const struct x86_opcode_row x87_d9_d0[8] = {
	I0("fnop", 0), N, N, N, N, N, N, N,
};
static const struct x86_opcode_row x87_d9_e0[8] = {
	I0("fchs", 0), I0("fabs", 0), N, N, I0("ftst", 0), I0("fxam", 0), N, N,
};
static const struct x86_opcode_row x87_d9_e8[8] = {
	I0("fld1", 0), I0("fldl2t", 0), I0("fldl2e", 0), I0("fldpi", 0),
	I0("fldlg2", 0), I0("fldln2", 0), I0("fldz", 0), N,
};
static const struct x86_opcode_row x87_d9_f0[8] = {
	I0("f2xm1", 0), I0("fyl2x", 0), I0("fptan", 0), I0("fpatan", 0),
	I0("fxtract", 0), I0("fprem1", 0), I0("fdecstp", 0), I0("fincstp", 0),
};
static const struct x86_opcode_row x87_d9_f8[8] = {
	I0("fprem", 0), I0("fyl2xp1", 0), I0("fsqrt", 0), I0("fsincos", 0),
	I0("frndint", 0), I0("fscale", 0), I0("fsin", 0), I0("fcos", 0),
};
static const struct x86_opcode_row x87_d9_reg[8] = {
	I("fld",     0, ST0(W), STI(R)),
	I("fxch",    0, ST0(RW), STI(RW)),
	G(SEL_RM, x87_d9_d0),
	I("fstpnce", 0, STI(W), ST0(R)),
	G(SEL_RM, x87_d9_e0),
	G(SEL_RM, x87_d9_e8),
	G(SEL_RM, x87_d9_f0),
	G(SEL_RM, x87_d9_f8),
};
static const struct x86_opcode_row x87_d9[2] = {
	G(SEL_REG, x87_d9_mem), G(SEL_REG, x87_d9_reg),
};

/* DA: m32int / FCMOVcc */
static const struct x86_opcode_row x87_da_mem[8] = {
	I("fiadd",  0, ST0(RW), Md(R)),
	I("fimul",  0, ST0(RW), Md(R)),
	I("ficom",  0, ST0(R), Md(R)),
	I("ficomp", 0, ST0(R), Md(R)),
	I("fisub",  0, ST0(RW), Md(R)),
	I("fisubr", 0, ST0(RW), Md(R)),
	I("fidiv",  0, ST0(RW), Md(R)),
	I("fidivr", 0, ST0(RW), Md(R)),
};
static const struct x86_opcode_row x87_da_e8[8] = {
	N, I0("fucompp", 0), N, N, N, N, N, N,
};
static const struct x86_opcode_row x87_da_reg[8] = {
	I("fcmovb",  0, ST0(W), STI(R)),
	I("fcmove",  0, ST0(W), STI(R)),
	I("fcmovbe", 0, ST0(W), STI(R)),
	I("fcmovu",  0, ST0(W), STI(R)),
	N,
	G(SEL_RM, x87_da_e8),
	N,
	N,
};
static const struct x86_opcode_row x87_da[2] = {
	G(SEL_REG, x87_da_mem), G(SEL_REG, x87_da_reg),
};

/* DB */
static const struct x86_opcode_row x87_db_mem[8] = {
	I("fild",   0, ST0(W), Md(R)),
	I("fisttp", 0, Md(W), ST0(R)),
	I("fist",   0, Md(W), ST0(R)),
	I("fistp",  0, Md(W), ST0(R)),
	N,
	I("fld",    0, ST0(W), Mt(R)),
	N,
	I("fstp",   0, Mt(W), ST0(R)),
};
static const struct x86_opcode_row x87_db_e0[8] = {
	I0("feni8087_nop", 0), I0("fdisi8087_nop", 0), I0("fnclex", 0),
	I0("fninit", 0), I0("fsetpm287_nop", 0), N, N, N,
};
static const struct x86_opcode_row x87_db_reg[8] = {
	I("fcmovnb",  0, ST0(W), STI(R)),
	I("fcmovne",  0, ST0(W), STI(R)),
	I("fcmovnbe", 0, ST0(W), STI(R)),
	I("fcmovnu",  0, ST0(W), STI(R)),
	G(SEL_RM, x87_db_e0),
	I("fucomi",   0, ST0(R), STI(R)),
	I("fcomi",    0, ST0(R), STI(R)),
	N,
};
static const struct x86_opcode_row x87_db[2] = {
	G(SEL_REG, x87_db_mem), G(SEL_REG, x87_db_reg),
};

/* DC: m64real / st(i),st(0) */
static const struct x86_opcode_row x87_dc_mem[8] = {
	I("fadd",  0, Mq(R)),
	I("fmul",  0, ST0(RW), Mq(R)),
	I("fcom",  0, ST0(R), Mq(R)),
	I("fcomp", 0, ST0(R), Mq(R)),
	I("fsub",  0, ST0(RW), Mq(R)),
	I("fsubr", 0, ST0(RW), Mq(R)),
	I("fdiv",  0, ST0(RW), Mq(R)),
	I("fdivr", 0, ST0(RW), Mq(R)),
};
static const struct x86_opcode_row x87_dc_reg[8] = {
	I("fadd",  0, STI(RW), ST0(R)),
	I("fmul",  0, STI(RW), ST0(R)),
	I("fcom",  0, ST0(R), STI(R)),
	I("fcomp", 0, ST0(R), STI(R)),
	I("fsubr", 0, STI(RW), ST0(R)),
	I("fsub",  0, STI(RW), ST0(R)),
	I("fdivr", 0, STI(RW), ST0(R)),
	I("fdiv",  0, STI(RW), ST0(R)),
};
static const struct x86_opcode_row x87_dc[2] = {
	G(SEL_REG, x87_dc_mem), G(SEL_REG, x87_dc_reg),
};

/* DD */
static const struct x86_opcode_row x87_dd_mem[8] = {
	I("fld",    0, ST0(W), Mq(R)),
	I("fisttp", 0, Mq(W), ST0(R)),
	I("fst",    0, Mq(W), ST0(R)),
	I("fstp",   0, Mq(W), ST0(R)),
	I("frstor", 0, Mfsave(R)),
	N,
	I("fnsave", 0, Mfsave(W)),
	I("fnstsw", 0, Mw(W)),
};
static const struct x86_opcode_row x87_dd_reg[8] = {
	I("ffree",  0, STI(R)),
	I("fxch",   0, ST0(RW), STI(RW)),
	I("fst",    0, STI(W), ST0(R)),
	I("fstp",   0, STI(W), ST0(R)),
	I("fucom",  0, ST0(R), STI(R)),
	I("fucomp", 0, ST0(R), STI(R)),
	N,
	N,
};
static const struct x86_opcode_row x87_dd[2] = {
	G(SEL_REG, x87_dd_mem), G(SEL_REG, x87_dd_reg),
};

/* DE: m16int / ...P */
static const struct x86_opcode_row x87_de_mem[8] = {
	I("fiadd",  0, ST0(RW), Mw(R)),
	I("fimul",  0, ST0(RW), Mw(R)),
	I("ficom",  0, ST0(R), Mw(R)),
	I("ficomp", 0, ST0(R), Mw(R)),
	I("fisub",  0, ST0(RW), Mw(R)),
	I("fisubr", 0, ST0(RW), Mw(R)),
	I("fidiv",  0, ST0(RW), Mw(R)),
	I("fidivr", 0, ST0(RW), Mw(R)),
};
static const struct x86_opcode_row x87_de_d8[8] = {
	N, I0("fcompp", 0), N, N, N, N, N, N,
};
static const struct x86_opcode_row x87_de_reg[8] = {
	I("faddp",  0, STI(RW), ST0(R)),
	I("fmulp",  0, STI(RW), ST0(R)),
	I("fcomp",  0, ST0(R), STI(R)),
	G(SEL_RM, x87_de_d8),
	I("fsubrp", 0, STI(RW), ST0(R)),
	I("fsubp",  0, STI(RW), ST0(R)),
	I("fdivrp", 0, STI(RW), ST0(R)),
	I("fdivp",  0, STI(RW), ST0(R)),
};
static const struct x86_opcode_row x87_de[2] = {
	G(SEL_REG, x87_de_mem), G(SEL_REG, x87_de_reg),
};

/* DF */
static const struct x86_opcode_row x87_df_mem[8] = {
	I("fild",   0, ST0(W), Mw(R)),
	I("fisttp", 0, Mw(W), ST0(R)),
	I("fist",   0, Mw(W), ST0(R)),
	I("fistp",  0, Mw(W), ST0(R)),
	I("fbld",   0, ST0(W), Mt(R)),
	I("fild",   0, ST0(W), Mq(R)),
	I("fbstp",  0, Mt(W), ST0(R)),
	I("fistp",  0, Mq(W), ST0(R)),
};
static const struct x86_opcode_row x87_df_e0[8] = {
	I("fnstsw", 0, AX(W)), N, N, N, N, N, N, N,
};
static const struct x86_opcode_row x87_df_reg[8] = {
	I("ffreep",  0, STI(R)),
	I("fxch",    0, ST0(RW), STI(RW)),
	I("fstp",    0, STI(W), ST0(R)),
	I("fstp",    0, STI(W), ST0(R)),
	G(SEL_RM, x87_df_e0),
	I("fucomip", 0, ST0(R), STI(R)),
	I("fcomip",  0, ST0(R), STI(R)),
	N,
};
static const struct x86_opcode_row x87_df[2] = {
	G(SEL_REG, x87_df_mem), G(SEL_REG, x87_df_reg),
};

/* ======================= the map ======================= */

const struct x86_opcode_row x86_map0[256] = {
	[0x00] = ALU("add", F_LOCK, RW, IbS),
	[0x06] = N, N,                                  /* push/pop es: i64 */
	[0x08] = ALU("or",  F_LOCK, RW, Ib),
	[0x0e] = N,                                     /* push cs: i64 */
	[0x0f] = N,                                     /* escape: engine */
	[0x10] = ALU("adc", F_LOCK, RW, IbS),
	[0x16] = N, N,                                  /* push/pop ss */
	[0x18] = ALU("sbb", F_LOCK, RW, IbS),
	[0x1e] = N, N,                                  /* push/pop ds */
	[0x20] = ALU("and", F_LOCK, RW, IbS),
	[0x26] = N,                                     /* es: prefix */
	[0x27] = N,                                     /* daa */
	[0x28] = ALU("sub", F_LOCK, RW, IbS),
	[0x2e] = N,                                     /* cs: prefix */
	[0x2f] = N,                                     /* das */
	[0x30] = ALU("xor", F_LOCK, RW, Ib),
	[0x36] = N,                                     /* ss: prefix */
	[0x37] = N,                                     /* aaa */
	[0x38] = ALU("cmp", 0, R, IbS),
	[0x3e] = N,                                     /* ds: prefix */
	[0x3f] = N,                                     /* aas */

	[0x40] = REP16(N),                                /* REX (engine) */

	[0x50] = REP8(G(SEL_REX2, push_rex2)),
	[0x58] = REP8(G(SEL_REX2, pop_rex2)),

	[0x60] = N, N, N,                               /* pusha, popa, EVEX */
	[0x63] = I("movsxd", 0, Gv(W), Ez(R)),
	[0x64] = N, N, N, N,                            /* fs: gs: 66 67 */
	[0x68] = I("push", F_D64, IzS),
	[0x69] = I("imul", 0, Gv(W), Ev(R), IzS),
	[0x6a] = I("push", F_D64, IbS),
	[0x6b] = I("imul", 0, Gv(W), Ev(R), IbS),
	[0x6c] = I0("insb", F_REP),
	[0x6d] = I0("insw|insd|insd", F_REP),
	[0x6e] = I0("outsb", F_REP),
	[0x6f] = I0("outsw|outsd|outsd", F_REP),

	[0x70] = I("jo",   BR | F_BND, Jb),
	[0x71] = I("jno",  BR | F_BND, Jb),
	[0x72] = I("jb",   BR | F_BND, Jb),
	[0x73] = I("jnb",  BR | F_BND, Jb),
	[0x74] = I("jz",   BR | F_BND, Jb),
	[0x75] = I("jnz",  BR | F_BND, Jb),
	[0x76] = I("jbe",  BR | F_BND, Jb),
	[0x77] = I("jnbe", BR | F_BND, Jb),
	[0x78] = I("js",   BR | F_BND, Jb),
	[0x79] = I("jns",  BR | F_BND, Jb),
	[0x7a] = I("jp",   BR | F_BND, Jb),
	[0x7b] = I("jnp",  BR | F_BND, Jb),
	[0x7c] = I("jl",   BR | F_BND, Jb),
	[0x7d] = I("jnl",  BR | F_BND, Jb),
	[0x7e] = I("jle",  BR | F_BND, Jb),
	[0x7f] = I("jnle", BR | F_BND, Jb),

	[0x80] = G(SEL_REG, grp1_80),
	[0x81] = G(SEL_REG, grp1_81),
	[0x82] = N,                                     /* i64 */
	[0x83] = G(SEL_REG, grp1_83),
	[0x84] = I("test", 0, Eb(R), Gb(R)),
	[0x85] = I("test", 0, Ev(R), Gv(R)),
	[0x86] = I("xchg", F_LOCK_SAME, Eb(RW), Gb(RW)),
	[0x87] = I("xchg", F_LOCK_SAME, Ev(RW), Gv(RW)),
	[0x88] = I("mov", 0, Eb(W), Gb(R)),
	[0x89] = I("mov", 0, Ev(W), Gv(R)),
	[0x8a] = I("mov", 0, Gb(W), Eb(R)),
	[0x8b] = I("mov", 0, Gv(W), Ev(R)),
	[0x8c] = G(SEL_REG, mov_8c),
	[0x8d] = G(SEL_MOD, lea_mod),
	[0x8e] = G(SEL_REG, mov_8e),
	[0x8f] = G(SEL_REG, grp1a_8f),

	[0x90] = G(SEL_PFX_OSZ, op90),
	[0x91] = REP4(I("xchg", 0, Zv(RW), rAX(RW))),
	[0x95] = REP2(I("xchg", 0, Zv(RW), rAX(RW))),
	[0x97] = I("xchg", 0, Zv(RW), rAX(RW)),
	[0x98] = I0("cbw|cwde|cdqe", 0),
	[0x99] = I0("cwd|cdq|cqo", 0),
	[0x9a] = N,                                     /* call far ptr: i64 */
	[0x9b] = I0("fwait", 0),
	[0x9c] = I0("pushf|pushfq|pushfq", F_D64),
	[0x9d] = I0("popf|popfq|popfq", F_D64),
	[0x9e] = I0("sahf", 0),
	[0x9f] = I0("lahf", 0),

	[0xa0] = I("mov", F_NOREX2, AL(W), Ob(R)),
	[0xa1] = G(SEL_REX2, op_a1),
	[0xa2] = I("mov", F_NOREX2, Ob(W), AL(R)),
	[0xa3] = I("mov", F_NOREX2, Ov(W), rAX(R)),
	[0xa4] = I0("movsb", F_NOREX2 | F_REP),
	[0xa5] = I0("movsw|movsd|movsq", F_NOREX2 | F_REP),
	[0xa6] = I0("cmpsb", F_NOREX2 | F_REPE),
	[0xa7] = I0("cmpsw|cmpsd|cmpsq", F_NOREX2 | F_REPE),
	[0xa8] = I("test", F_NOREX2, AL(R), IbS),
	[0xa9] = I("test", F_NOREX2, rAX(R), IzS),
	[0xaa] = I0("stosb", F_NOREX2 | F_REP),
	[0xab] = I0("stosw|stosd|stosq", F_NOREX2 | F_REP),
	[0xac] = I0("lodsb", F_NOREX2 | F_REP),
	[0xad] = I0("lodsw|lodsd|lodsq", F_NOREX2 | F_REP),
	[0xae] = I0("scasb", F_NOREX2 | F_REPE),
	[0xaf] = I0("scasw|scasd|scasq", F_NOREX2 | F_REPE),

	[0xb0] = REP8(I("mov", 0, Zb(W), Ib)),
	[0xb8] = REP8(I("mov", 0, Zv(W), Iv)),

	[0xc0] = G(SEL_REG, grp2_c0),
	[0xc1] = G(SEL_REG, grp2_c1),
	[0xc2] = I("ret_near", F_D64 | F_BND, Iw),
	[0xc3] = I0("ret_near", F_D64 | F_BND),
	[0xc4] = N, N,                                  /* VEX: engine */
	[0xc6] = G(SEL_REG, grp11_c6),
	[0xc7] = G(SEL_REG, grp11_c7),
	[0xc8] = I("enter", F_D64, Iw, Ib),
	[0xc9] = I0("leave", F_D64),
	[0xca] = I("ret_far", 0, Iw),
	[0xcb] = I0("ret_far", 0),
	[0xcc] = I0("int3", 0),
	[0xcd] = I("int", 0, Ib),
	[0xce] = N,                                     /* into: i64 */
	[0xcf] = I0("iret|iretd|iretq", 0),

	[0xd0] = G(SEL_REG, grp2_d0),
	[0xd1] = G(SEL_REG, grp2_d1),
	[0xd2] = G(SEL_REG, grp2_d2),
	[0xd3] = G(SEL_REG, grp2_d3),
	[0xd4] = N,                                     /* aam: i64 */
	[0xd5] = N,                                     /* aad: i64 (REX2: engine) */
	[0xd6] = I0("udb", 0),
	[0xd7] = I0("xlat", 0),
	[0xd8] = G(SEL_MOD, x87_d8),
	[0xd9] = G(SEL_MOD, x87_d9),
	[0xda] = G(SEL_MOD, x87_da),
	[0xdb] = G(SEL_MOD, x87_db),
	[0xdc] = G(SEL_MOD, x87_dc),
	[0xdd] = G(SEL_MOD, x87_dd),
	[0xde] = G(SEL_MOD, x87_de),
	[0xdf] = G(SEL_MOD, x87_df),

	[0xe0] = I("loopne", BR, Jb),
	[0xe1] = I("loope", BR, Jb),
	[0xe2] = I("loop", BR, Jb),
	[0xe3] = I("jcxz|jecxz|jrcxz", BR | F_NAME_ASZ, Jb),
	[0xe4] = I("in", F_NOREX2, AL(W), Ib),
	[0xe5] = I("in", F_NOREX2, eAX(W), Ib),
	[0xe6] = I("out", F_NOREX2, Ib, AL(R)),
	[0xe7] = I("out", F_NOREX2, Ib, eAX(R)),
	[0xe8] = I("call_near", BR | F_BND, Jz),
	[0xe9] = I("jmp", BR | F_BND, Jz),
	[0xea] = N,                                     /* jmp far ptr: i64 */
	[0xeb] = I("jmp", BR, Jb),
	[0xec] = I("in", F_NOREX2, AL(W), DX(R)),
	[0xed] = I("in", F_NOREX2, eAX(W), DX(R)),
	[0xee] = I("out", F_NOREX2, DX(R), AL(R)),
	[0xef] = I("out", F_NOREX2, DX(R), eAX(R)),

	[0xf0] = N,                                     /* lock: engine */
	[0xf1] = I0("int1", 0),
	[0xf2] = N, N,                                  /* rep prefixes: engine */
	[0xf4] = I0("hlt", 0),
	[0xf5] = I0("cmc", 0),
	[0xf6] = G(SEL_REG, grp3_f6),
	[0xf7] = G(SEL_REG, grp3_f7),
	[0xf8] = I0("clc", 0),
	[0xf9] = I0("stc", 0),
	[0xfa] = I0("cli", 0),
	[0xfb] = I0("sti", 0),
	[0xfc] = I0("cld", 0),
	[0xfd] = I0("std", 0),
	[0xfe] = G(SEL_REG, grp4_fe),
	[0xff] = G(SEL_REG, grp5_ff),
};
