/* SPDX-License-Identifier: MIT */
/*
 * EVEX map 4: the APX promoted legacy instructions (spec apx.md §3.2-§4).
 *
 * Conventions of this map (checked against XED v2026.07.15):
 *  - pp is an operand-size prefix (pp=1 -> 16 bit) on the word/dword/qword
 *    opcodes (SEL_PFX_OSZ with children [0] and [1] alike) and an opcode
 *    extension elsewhere (SEL_PFX).  Byte opcodes take pp=0 only; W is
 *    ignored for them.  W=1 gives 64 bits and wins over pp=1.
 *  - F_ND: ND=1 gives the NDD form (the engine prepends the {V4,vvvv}
 *    destination and makes the old first operand a source).  F_ZU: ND=1 is
 *    the zero-upper form (SETcc, IMUL imm).  F_NF: NF=1 allowed.
 *  - F_SCC (CCMP/CTEST): P2[3:0] is the source condition; the engine appends
 *    its suffix (o no b nb z nz be nbe s ns t f l nl le nle) to "ccmp"/"ctest".
 *  - SEL_NDNF (CFCMOVcc, PUSH2/POP2): ND/NF pick the form, so those leaves
 *    list every operand themselves (the vvvv register as M_B).
 * Disp8 is never scaled here (tuple T_NONE).
 */
#include "optab.h"

/* Local operand shorthands (names chosen not to collide with optab.h). */
#define VVq(a)   OP(M_B, Z_Q, a)         /* {V4,vvvv}: 64-bit GPR (PUSH2/POP2) */
#define RMq(a)   OP(M_R, Z_Q, a)         /* ModRM.rm: 64-bit GPR, mod=11 only */
#define MEMb(a)  OP(M_M, Z_B, a)
#define MEMv(a)  OP(M_M, Z_V, a)
#define MEMy(a)  OP(M_M, Z_Y, a)
#define MEMd(a)  OP(M_M, Z_D, a)
#define MEMq(a)  OP(M_M, Z_Q, a)
#define MEM128   OP(M_M, Z_O, R)          /* INVEPT/INVVPID/INVPCID descriptor */
#define MEM512   OP(M_M, Z_ZZ, R)         /* 64-byte block (MOVDIR64B, ENQCMD) */
#define GA(a)    OP(M_G, Z_A, a)          /* address-size GPR (MOVDIR64B, ENQCMD) */

/* Children of SEL_PFX / SEL_PFX_OSZ: pp=0 only; pp=0 or 1 (F3/F2 invalid). */
#define NP_ONLY(x)   { x, N, N, N }
#define NP_OSZ(x)    { x, x, N, N }

/* The two-operand ALU forms 00-03 (08-0B, ...) and their 80/81/83 rows. */
#define ALU4(nm, fl)							\
static const struct x86_opcode_row nm##_EbGb[4] = NP_ONLY(I(#nm, fl, Eb(RW), Gb(R))); \
static const struct x86_opcode_row nm##_EvGv[4] = NP_OSZ(I(#nm, fl, Ev(RW), Gv(R))); \
static const struct x86_opcode_row nm##_GbEb[4] = NP_ONLY(I(#nm, fl, Gb(RW), Eb(R))); \
static const struct x86_opcode_row nm##_GvEv[4] = NP_OSZ(I(#nm, fl, Gv(RW), Ev(R)));

#define ALU_ROWS(nm) \
	G(SEL_PFX, nm##_EbGb), G(SEL_PFX_OSZ, nm##_EvGv), \
	G(SEL_PFX, nm##_GbEb), G(SEL_PFX_OSZ, nm##_GvEv)

ALU4(add, F_ND | F_NF)
ALU4(or,  F_ND | F_NF)
ALU4(adc, F_ND)
ALU4(sbb, F_ND)
ALU4(and, F_ND | F_NF)
ALU4(sub, F_ND | F_NF)
ALU4(xor, F_ND | F_NF)

/* CCMPscc 38-3B: always the SCC form, operands only read. */
static const struct x86_opcode_row ccmp_EbGb[4] = NP_ONLY(I("ccmp", F_SCC, Eb(R), Gb(R)));
static const struct x86_opcode_row ccmp_EvGv[4] = NP_OSZ(I("ccmp", F_SCC, Ev(R), Gv(R)));
static const struct x86_opcode_row ccmp_GbEb[4] = NP_ONLY(I("ccmp", F_SCC, Gb(R), Eb(R)));
static const struct x86_opcode_row ccmp_GvEv[4] = NP_OSZ(I("ccmp", F_SCC, Gv(R), Ev(R)));

/* SHLD/SHRD: 24/2C with imm8, A5/AD with CL. */
static const struct x86_opcode_row shld_ib[4] = NP_OSZ(I("shld", F_ND | F_NF, Ev(RW), Gv(R), Ib));
static const struct x86_opcode_row shrd_ib[4] = NP_OSZ(I("shrd", F_ND | F_NF, Ev(RW), Gv(R), Ib));
static const struct x86_opcode_row shld_cl[4] = NP_OSZ(I("shld", F_ND | F_NF, Ev(RW), Gv(R), CL(R)));
static const struct x86_opcode_row shrd_cl[4] = NP_OSZ(I("shrd", F_ND | F_NF, Ev(RW), Gv(R), CL(R)));

/*
 * 40+cc.  NP/66: CFCMOVcc, selected by ND/NF (apx.md §4.4):
 *   ND=0 NF=0  cfcmovcc reg, r/m        ND=0 NF=1  cfcmovcc r/m, reg
 *   ND=1 NF=0  cmovcc vvvv, reg, r/m    ND=1 NF=1  cfcmovcc vvvv, reg, r/m
 * F2: SETcc r/m8, ND=1 = SETcc.ZU (same iclass, "zu" attribute).
 */
#define CC_ROWS(cc)							\
static const struct x86_opcode_row cfcmov_##cc[4] = {			\
	I("cfcmov" #cc, 0, Gv(W), Ev(R)),				\
	I("cfcmov" #cc, 0, Ev(W), Gv(R)),				\
	I("cmov" #cc, 0, Bv(W), Gv(R), Ev(R)),				\
	I("cfcmov" #cc, 0, Bv(W), Gv(R), Ev(R)),			\
};									\
static const struct x86_opcode_row cc_##cc[4] = {			\
	G(SEL_NDNF, cfcmov_##cc), G(SEL_NDNF, cfcmov_##cc), N,		\
	I("set" #cc, F_ZU, Eb(W)),					\
};

CC_ROWS(o)
CC_ROWS(no)
CC_ROWS(b)
CC_ROWS(nb)
CC_ROWS(z)
CC_ROWS(nz)
CC_ROWS(be)
CC_ROWS(nbe)
CC_ROWS(s)
CC_ROWS(ns)
CC_ROWS(p)
CC_ROWS(np)
CC_ROWS(l)
CC_ROWS(nl)
CC_ROWS(le)
CC_ROWS(nle)

/* MOVBE (register forms are valid in map 4). */
static const struct x86_opcode_row movbe_GvEv[4] = NP_OSZ(I("movbe", 0, Gv(W), Ev(R)));
static const struct x86_opcode_row movbe_EvGv[4] = NP_OSZ(I("movbe", 0, Ev(W), Gv(R)));

/* 65: WRUSS (66); 66: WRSS (NP), ADCX (66), ADOX (F3). */
static const struct x86_opcode_row wruss_w[2] = {
	I("wrussd", 0, MEMd(W), Gd(R)),
	I("wrussq", 0, MEMq(W), Gq(R)),
};
static const struct x86_opcode_row wrss_w[2] = {
	I("wrssd", 0, MEMd(W), Gd(R)),
	I("wrssq", 0, MEMq(W), Gq(R)),
};
static const struct x86_opcode_row op65[4] = { N, G(SEL_W, wruss_w), N, N };
static const struct x86_opcode_row op66[4] = {
	G(SEL_W, wrss_w),
	I("adcx", F_ND, Gy(RW), Ey(R)),
	I("adox", F_ND, Gy(RW), Ey(R)),
	N,
};

/* IMUL: 69/6B with an immediate (ND=1 is IMUL.ZU), AF two-operand (NDD). */
static const struct x86_opcode_row imul_iz[4] = NP_OSZ(I("imul", F_ZU | F_NF, Gv(W), Ev(R), IzS));
static const struct x86_opcode_row imul_ib[4] = NP_OSZ(I("imul", F_ZU | F_NF, Gv(W), Ev(R), IbS));
static const struct x86_opcode_row imul_GvEv[4] = NP_OSZ(I("imul", F_ND | F_NF, Gv(RW), Ev(R)));

/* 80/81/83: the ALU group with an immediate; /7 is CCMPscc. */
#define GRP1(nm, e, i)							\
static const struct x86_opcode_row nm[8] = {				\
	I("add", F_ND | F_NF, e(RW), i), I("or", F_ND | F_NF, e(RW), i),	\
	I("adc", F_ND, e(RW), i),        I("sbb", F_ND, e(RW), i),		\
	I("and", F_ND | F_NF, e(RW), i), I("sub", F_ND | F_NF, e(RW), i),	\
	I("xor", F_ND | F_NF, e(RW), i), I("ccmp", F_SCC, e(R), i),	\
};
GRP1(grp80, Eb, IbS)
GRP1(grp81, Ev, IzS)
GRP1(grp83, Ev, IbS)
static const struct x86_opcode_row op80[4] = NP_ONLY(G(SEL_REG, grp80));
static const struct x86_opcode_row op81[4] = NP_OSZ(G(SEL_REG, grp81));
static const struct x86_opcode_row op83[4] = NP_OSZ(G(SEL_REG, grp83));

/* CTESTscc 84/85. */
static const struct x86_opcode_row ctest_EbGb[4] = NP_ONLY(I("ctest", F_SCC, Eb(R), Gb(R)));
static const struct x86_opcode_row ctest_EvGv[4] = NP_OSZ(I("ctest", F_SCC, Ev(R), Gv(R)));

/* 88 POPCNT, 8A/8B MOVRS (memory only; the byte form requires W=0). */
static const struct x86_opcode_row popcnt[4] = NP_OSZ(I("popcnt", F_NF, Gv(W), Ev(R)));
static const struct x86_opcode_row movrs_b[4] = NP_ONLY(I("movrs", F_W0, Gb(W), MEMb(R)));
static const struct x86_opcode_row movrs_v[4] = NP_OSZ(I("movrs", 0, Gv(W), MEMv(R)));

/*
 * 8F /0 POP2 and FF /6 PUSH2: NP, mod=11, ND=1 and NF=0 only; W=1 is the
 * PPX form.  Operand 1 is {V4,vvvv}, operand 2 ModRM.rm; RSP is invalid,
 * and POP2 needs two different registers.
 */
static const struct x86_opcode_row pop2_w[2] = {
	I("pop2", F_NO_RSP | F_NO_REGMATCH, VVq(W), RMq(W)),
	I("pop2p", F_NO_RSP | F_NO_REGMATCH, VVq(W), RMq(W)),
};
static const struct x86_opcode_row push2_w[2] = {
	I("push2", F_NO_RSP, VVq(R), RMq(R)),
	I("push2p", F_NO_RSP, VVq(R), RMq(R)),
};
static const struct x86_opcode_row pop2_ndnf[4] = { N, N, G(SEL_W, pop2_w), N };
static const struct x86_opcode_row push2_ndnf[4] = { N, N, G(SEL_W, push2_w), N };
static const struct x86_opcode_row pop2_mod[2] = { N, G(SEL_NDNF, pop2_ndnf) };
static const struct x86_opcode_row push2_mod[2] = { N, G(SEL_NDNF, push2_ndnf) };
static const struct x86_opcode_row grp8f[8] = { G(SEL_MOD, pop2_mod), N, N, N, N, N, N, N };
static const struct x86_opcode_row op8f[4] = NP_ONLY(G(SEL_REG, grp8f));

/* C0/C1/D0-D3: rotates and shifts (/6 is SHL as XED names it); RCL/RCR have no NF. */
#define GRP2(nm, e, cnt)						\
static const struct x86_opcode_row nm[8] = {				\
	I("rol", F_ND | F_NF, e(RW), cnt), I("ror", F_ND | F_NF, e(RW), cnt),	\
	I("rcl", F_ND, e(RW), cnt),        I("rcr", F_ND, e(RW), cnt),		\
	I("shl", F_ND | F_NF, e(RW), cnt), I("shr", F_ND | F_NF, e(RW), cnt),	\
	I("shl", F_ND | F_NF, e(RW), cnt), I("sar", F_ND | F_NF, e(RW), cnt),	\
};
GRP2(grpc0, Eb, Ib)
GRP2(grpc1, Ev, Ib)
GRP2(grpd0, Eb, ONE)
GRP2(grpd1, Ev, ONE)
GRP2(grpd2, Eb, CL(R))
GRP2(grpd3, Ev, CL(R))
static const struct x86_opcode_row opc0[4] = NP_ONLY(G(SEL_REG, grpc0));
static const struct x86_opcode_row opc1[4] = NP_OSZ(G(SEL_REG, grpc1));
static const struct x86_opcode_row opd0[4] = NP_ONLY(G(SEL_REG, grpd0));
static const struct x86_opcode_row opd1[4] = NP_OSZ(G(SEL_REG, grpd1));
static const struct x86_opcode_row opd2[4] = NP_ONLY(G(SEL_REG, grpd2));
static const struct x86_opcode_row opd3[4] = NP_OSZ(G(SEL_REG, grpd3));

/* F0-F2: CRC32 (NP/66), INVEPT/INVVPID/INVPCID (F3). */
static const struct x86_opcode_row opf0[4] = {
	I("crc32", 0, Gy(RW), Eb(R)), N, I("invept", 0, Gq(R), MEM128), N,
};
static const struct x86_opcode_row opf1[4] = {
	I("crc32", 0, Gy(RW), Ev(R)), I("crc32", 0, Gy(RW), Ev(R)),
	I("invvpid", 0, Gq(R), MEM128), N,
};
static const struct x86_opcode_row opf2[4] = { N, N, I("invpcid", 0, Gq(R), MEM128), N };

/* F4/F5: TZCNT/LZCNT (no F3 needed in map 4). */
static const struct x86_opcode_row tzcnt[4] = NP_OSZ(I("tzcnt", F_NF, Gv(W), Ev(R)));
static const struct x86_opcode_row lzcnt[4] = NP_OSZ(I("lzcnt", F_NF, Gv(W), Ev(R)));

/* F6/F7: /0,/1 CTESTscc with an immediate, NOT, NEG, MUL, IMUL, DIV, IDIV. */
#define GRP3(nm, e, i)							\
static const struct x86_opcode_row nm[8] = {				\
	I("ctest", F_SCC, e(R), i), I("ctest", F_SCC, e(R), i),		\
	I("not", F_ND, e(RW)),      I("neg", F_ND | F_NF, e(RW)),	\
	I("mul", F_NF, e(R)),       I("imul", F_NF, e(R)),		\
	I("div", F_NF, e(R)),       I("idiv", F_NF, e(R)),		\
};
GRP3(grpf6, Eb, IbS)
GRP3(grpf7, Ev, IzS)
static const struct x86_opcode_row opf6[4] = NP_ONLY(G(SEL_REG, grpf6));
static const struct x86_opcode_row opf7[4] = NP_OSZ(G(SEL_REG, grpf7));

/*
 * F8: MOVDIR64B (66), ENQCMDS (F3), ENQCMD (F2) with a memory operand;
 * UWRMSR (F3) / URDMSR (F2) with mod=11 (USER-MSR, W0).
 */
static const struct x86_opcode_row f8_f3[2] = {
	I("enqcmds", 0, GA(R), MEM512),
	I("uwrmsr", F_W0, Gq(R), RMq(R)),
};
static const struct x86_opcode_row f8_f2[2] = {
	I("enqcmd", 0, GA(R), MEM512),
	I("urdmsr", F_W0, RMq(W), Gq(R)),
};
static const struct x86_opcode_row opf8[4] = {
	N, I("movdir64b", 0, GA(R), MEM512), G(SEL_MOD, f8_f3), G(SEL_MOD, f8_f2),
};

/* F9 MOVDIRI; FC AADD/AAND/AXOR/AOR (RAO-INT), memory destinations. */
static const struct x86_opcode_row opf9[4] = NP_ONLY(I("movdiri", 0, MEMy(W), Gy(R)));
static const struct x86_opcode_row opfc[4] = {
	I("aadd", 0, MEMy(RW), Gy(R)), I("aand", 0, MEMy(RW), Gy(R)),
	I("axor", 0, MEMy(RW), Gy(R)), I("aor", 0, MEMy(RW), Gy(R)),
};

/* FE/FF: INC, DEC; FF /6 PUSH2. */
static const struct x86_opcode_row grpfe[8] = {
	I("inc", F_ND | F_NF, Eb(RW)), I("dec", F_ND | F_NF, Eb(RW)), N, N, N, N, N, N,
};
static const struct x86_opcode_row ff_inc[4] = NP_OSZ(I("inc", F_ND | F_NF, Ev(RW)));
static const struct x86_opcode_row ff_dec[4] = NP_OSZ(I("dec", F_ND | F_NF, Ev(RW)));
static const struct x86_opcode_row ff_push2[4] = NP_ONLY(G(SEL_MOD, push2_mod));
static const struct x86_opcode_row grpff[8] = {
	G(SEL_PFX_OSZ, ff_inc), G(SEL_PFX_OSZ, ff_dec), N, N, N, N,
	G(SEL_PFX, ff_push2), N,
};
static const struct x86_opcode_row opfe[4] = NP_ONLY(G(SEL_REG, grpfe));

const struct x86_opcode_row x86_evex_map4[256] = {
	/* 00 */ ALU_ROWS(add), N, N, N, N,
	/* 08 */ ALU_ROWS(or), N, N, N, N,
	/* 10 */ ALU_ROWS(adc), N, N, N, N,
	/* 18 */ ALU_ROWS(sbb), N, N, N, N,
	/* 20 */ ALU_ROWS(and), G(SEL_PFX_OSZ, shld_ib), N, N, N,
	/* 28 */ ALU_ROWS(sub), G(SEL_PFX_OSZ, shrd_ib), N, N, N,
	/* 30 */ ALU_ROWS(xor), N, N, N, N,
	/* 38 */ G(SEL_PFX, ccmp_EbGb), G(SEL_PFX_OSZ, ccmp_EvGv),
		 G(SEL_PFX, ccmp_GbEb), G(SEL_PFX_OSZ, ccmp_GvEv), N, N, N, N,
	/* 40 */ G(SEL_PFX_OSZ, cc_o), G(SEL_PFX_OSZ, cc_no),
		 G(SEL_PFX_OSZ, cc_b), G(SEL_PFX_OSZ, cc_nb),
		 G(SEL_PFX_OSZ, cc_z), G(SEL_PFX_OSZ, cc_nz),
		 G(SEL_PFX_OSZ, cc_be), G(SEL_PFX_OSZ, cc_nbe),
	/* 48 */ G(SEL_PFX_OSZ, cc_s), G(SEL_PFX_OSZ, cc_ns),
		 G(SEL_PFX_OSZ, cc_p), G(SEL_PFX_OSZ, cc_np),
		 G(SEL_PFX_OSZ, cc_l), G(SEL_PFX_OSZ, cc_nl),
		 G(SEL_PFX_OSZ, cc_le), G(SEL_PFX_OSZ, cc_nle),
	/* 50 */ X16(N),
	/* 60 */ G(SEL_PFX_OSZ, movbe_GvEv), G(SEL_PFX_OSZ, movbe_EvGv), N, N,
		 N, G(SEL_PFX, op65), G(SEL_PFX, op66), N,
	/* 68 */ N, G(SEL_PFX_OSZ, imul_iz), N, G(SEL_PFX_OSZ, imul_ib), N, N, N, N,
	/* 70 */ X16(N),
	/* 80 */ G(SEL_PFX, op80), G(SEL_PFX_OSZ, op81), N, G(SEL_PFX_OSZ, op83),
		 G(SEL_PFX, ctest_EbGb), G(SEL_PFX_OSZ, ctest_EvGv), N, N,
	/* 88 */ G(SEL_PFX_OSZ, popcnt), N, G(SEL_PFX, movrs_b), G(SEL_PFX_OSZ, movrs_v),
		 N, N, N, G(SEL_PFX, op8f),
	/* 90 */ X16(N),
	/* a0 */ N, N, N, N, N, G(SEL_PFX_OSZ, shld_cl), N, N,
	/* a8 */ N, N, N, N, N, G(SEL_PFX_OSZ, shrd_cl), N, G(SEL_PFX_OSZ, imul_GvEv),
	/* b0 */ X16(N),
	/* c0 */ G(SEL_PFX, opc0), G(SEL_PFX_OSZ, opc1), N, N, N, N, N, N,
	/* c8 */ X8(N),
	/* d0 */ G(SEL_PFX, opd0), G(SEL_PFX_OSZ, opd1), G(SEL_PFX, opd2), G(SEL_PFX_OSZ, opd3),
		 N, N, N, N,
	/* d8 */ X8(N),
	/* e0 */ X16(N),
	/* f0 */ G(SEL_PFX, opf0), G(SEL_PFX_OSZ, opf1), G(SEL_PFX, opf2), N,
		 G(SEL_PFX_OSZ, tzcnt), G(SEL_PFX_OSZ, lzcnt), G(SEL_PFX, opf6), G(SEL_PFX_OSZ, opf7),
	/* f8 */ G(SEL_PFX, opf8), G(SEL_PFX, opf9), N, N, G(SEL_PFX, opfc), N,
		 G(SEL_PFX, opfe), G(SEL_REG, grpff),
};
