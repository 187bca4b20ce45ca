/* SPDX-License-Identifier: MIT */
/*
 * Map 1: the two-byte 0F opcode map in legacy, REX and REX2 (M0=1)
 * encodings, 64-bit mode, as Intel XED decodes it for an Intel "future"
 * chip (AMD-only encodings are invalid_for_chip, MPX is gone).
 *
 * Conventions used below (see optab.h):
 *   - SEL_PFX children are [none, 66, F3, F2]; a 66 that picks child [1] is
 *     consumed.  SEL_PFX_OSZ is used where 66 keeps its operand-size meaning
 *     (POPCNT/TZCNT/LZCNT/BSF/BSR, RDRAND, the CLDEMOTE/NOP split, ...).
 *   - XED's "no_refining_prefix" (no 66/F2/F3) is written as a SEL_PFX with
 *     only child [0] filled in.
 *   - 0F 38 and 0F 3A are escapes handled by the engine; with REX2 they are
 *     #UD, so their rows here are N.
 */
#include "optab.h"

/* Vector / MMX operand shorthands (size code, access). */
#define Vx(z, a) OP(M_V, z, a)
#define Wx(z, a) OP(M_W, z, a)
#define Ux(z, a) OP(M_U, z, a)
#define Qx(z, a) OP(M_Q, z, a)
#define Nq(a)    OP(M_N, Z_Q, a)
#define Mx(z, a) OP(M_M, z, a)
#define Rx(z, a) OP(M_R, z, a)
#define RAq(a)   OP(M_RA, Z_Q, a)
#define RAv(a)   OP(M_RA, Z_V, a)
#define CHIP     NE(X86_ERR_INVALID_FOR_CHIP)

/* Only without a refining prefix (XED no_refining_prefix). */
#define NP(row)  { row, N, N, N }

/* ------------------------------------------------------------------ */
/* 0F 00: Grp6 */

static const struct x86_opcode_row g6_sldt[2] = {
	I("sldt", 0, Ew(W)),
	I("sldt", 0, Ev(W)),
};
static const struct x86_opcode_row g6_str[2] = {
	I("str", 0, Ew(W)),
	I("str", 0, Ev(W)),
};
static const struct x86_opcode_row g6_lkgs[4] = {
	N, N, N, I("lkgs", 0, Ew(R)),
};
static const struct x86_opcode_row grp6[8] = {
	G(SEL_MOD, g6_sldt),
	G(SEL_MOD, g6_str),
	I("lldt", 0, Ew(R)),
	I("ltr", 0, Ew(R)),
	I("verr", 0, Ew(R)),
	I("verw", 0, Ew(R)),
	G(SEL_PFX, g6_lkgs),
	N,
};

/* ------------------------------------------------------------------ */
/* 0F 01: Grp7 */

static const struct x86_opcode_row g7m_rstorssp[4] = {
	N, N, I("rstorssp", 0, Mx(Z_Q, RW)), N,
};
static const struct x86_opcode_row g7_mem[8] = {
	I("sgdt", 0, Mx(Z_T, W)),
	I("sidt", 0, Mx(Z_T, W)),
	I("lgdt", 0, Mx(Z_T, R)),
	I("lidt", 0, Mx(Z_T, R)),
	I("smsw", 0, Ew(W)),
	G(SEL_PFX, g7m_rstorssp),
	I("lmsw", 0, Ew(R)),
	I("invlpg", 0, Mx(Z_B, R)),
};

static const struct x86_opcode_row g7_enclv[4] = NP(I0("enclv", 0));
static const struct x86_opcode_row g7_vmcall[4] = NP(I0("vmcall", 0));
static const struct x86_opcode_row g7_vmlaunch[4] = NP(I0("vmlaunch", 0));
static const struct x86_opcode_row g7_vmresume[4] = NP(I0("vmresume", 0));
static const struct x86_opcode_row g7_vmxoff[4] = NP(I0("vmxoff", 0));
static const struct x86_opcode_row g7_pconfig[4] = NP(I0("pconfig", 0));
static const struct x86_opcode_row g7_c6[4] = {
	I0("wrmsrns", 0), N, I0("wrmsrlist", 0), I0("rdmsrlist", 0),
};
static const struct x86_opcode_row g7_pbndkb[4] = NP(I0("pbndkb", 0));
static const struct x86_opcode_row g7_r0[8] = {
	G(SEL_PFX, g7_enclv), G(SEL_PFX, g7_vmcall), G(SEL_PFX, g7_vmlaunch),
	G(SEL_PFX, g7_vmresume), G(SEL_PFX, g7_vmxoff), G(SEL_PFX, g7_pconfig),
	G(SEL_PFX, g7_c6), G(SEL_PFX, g7_pbndkb),
};

static const struct x86_opcode_row g7_monitor[4] = NP(I0("monitor", 0));
static const struct x86_opcode_row g7_mwait[4] = NP(I0("mwait", 0));
static const struct x86_opcode_row g7_ca[4] = {
	I0("clac", 0), N, I0("eretu", 0), I0("erets", 0),
};
static const struct x86_opcode_row g7_stac[4] = NP(I0("stac", 0));
static const struct x86_opcode_row g7_encls[4] = NP(I0("encls", 0));
static const struct x86_opcode_row g7_r1[8] = {
	G(SEL_PFX, g7_monitor), G(SEL_PFX, g7_mwait), G(SEL_PFX, g7_ca),
	G(SEL_PFX, g7_stac), N, N, N, G(SEL_PFX, g7_encls),
};

static const struct x86_opcode_row g7_xgetbv[4] = NP(I0("xgetbv", 0));
static const struct x86_opcode_row g7_xsetbv[4] = NP(I0("xsetbv", 0));
static const struct x86_opcode_row g7_vmfunc[4] = NP(I0("vmfunc", 0));
static const struct x86_opcode_row g7_xend[4] = NP(I0("xend", 0));
static const struct x86_opcode_row g7_xtest[4] = NP(I0("xtest", 0));
static const struct x86_opcode_row g7_enclu[4] = NP(I0("enclu", 0));
static const struct x86_opcode_row g7_r2[8] = {
	G(SEL_PFX, g7_xgetbv), G(SEL_PFX, g7_xsetbv), N, N,
	G(SEL_PFX, g7_vmfunc), G(SEL_PFX, g7_xend), G(SEL_PFX, g7_xtest),
	G(SEL_PFX, g7_enclu),
};

static const struct x86_opcode_row g7_e8[4] = {
	I0("serialize", 0), N, I0("setssbsy", 0), I0("xsusldtrk", 0),
};
static const struct x86_opcode_row g7_e9[4] = { N, N, N, I0("xresldtrk", 0) };
static const struct x86_opcode_row g7_ea[4] = { N, N, I0("saveprevssp", 0), N };
static const struct x86_opcode_row g7_ec[4] = { N, N, I0("uiret", 0), N };
static const struct x86_opcode_row g7_ed[4] = { N, N, I0("testui", 0), N };
static const struct x86_opcode_row g7_ee[4] = { I0("rdpkru", 0), N, I0("clui", 0), N };
static const struct x86_opcode_row g7_ef[4] = { I0("wrpkru", 0), N, I0("stui", 0), N };
static const struct x86_opcode_row g7_r5[8] = {
	G(SEL_PFX, g7_e8), G(SEL_PFX, g7_e9), G(SEL_PFX, g7_ea), N,
	G(SEL_PFX, g7_ec), G(SEL_PFX, g7_ed), G(SEL_PFX, g7_ee), G(SEL_PFX, g7_ef),
};

static const struct x86_opcode_row g7_r7[8] = {
	I0("swapgs", 0),
	I0("rdtscp", 0),
	CHIP,   /* monitorx (F3: mcommit) */
	CHIP,   /* mwaitx */
	CHIP,   /* clzero */
	CHIP,   /* rdpru (F3: rmpquery) */
	CHIP,   /* invlpgb (F2: rmpupdate, F3: rmpadjust) */
	CHIP,   /* tlbsync (F2: pvalidate, F3: psmash) */
};

static const struct x86_opcode_row g7_reg[8] = {
	G(SEL_RM, g7_r0),
	G(SEL_RM, g7_r1),
	G(SEL_RM, g7_r2),
	CHIP,               /* SVM: vmrun vmmcall vmload vmsave stgi clgi skinit invlpga */
	I("smsw", 0, Ev(W)),
	G(SEL_RM, g7_r5),
	I("lmsw", 0, Ew(R)),
	G(SEL_RM, g7_r7),
};
static const struct x86_opcode_row grp7[2] = {
	G(SEL_REG, g7_mem),
	G(SEL_REG, g7_reg),
};

/* ------------------------------------------------------------------ */
/* 0F 02 / 0F 03: LAR, LSL */

static const struct x86_opcode_row lar_mod[2] = {
	I("lar", 0, Gv(W), Ew(R)),
	I("lar", 0, Gv(W), Ev(R)),
};
static const struct x86_opcode_row lsl_mod[2] = {
	I("lsl", 0, Gv(RW), Ew(R)),
	I("lsl", 0, Gv(RW), OP(M_E, Z_Z, R)),
};

static const struct x86_opcode_row wbinvd_pfx[4] = {
	I0("wbinvd", 0), I0("wbinvd", 0), I0("wbnoinvd", 0), I0("wbinvd", 0),
};

/* 0F 0D: PREFETCH group (3DNow! prefetches kept by XED), NOP for mod=3. */
static const struct x86_opcode_row prefetch_mem[8] = {
	I("prefetch_exclusive", 0, Mx(Z_ZZ, R)),
	I("prefetchw", 0, Mx(Z_ZZ, R)),
	CHIP,                                   /* prefetchwt1 */
	I("prefetchw", 0, Mx(Z_ZZ, R)),
	I("prefetch_reserved", 0, Mx(Z_ZZ, R)),
	I("prefetch_reserved", 0, Mx(Z_ZZ, R)),
	I("prefetch_reserved", 0, Mx(Z_ZZ, R)),
	I("prefetch_reserved", 0, Mx(Z_ZZ, R)),
};
static const struct x86_opcode_row prefetch_0d[2] = {
	G(SEL_REG, prefetch_mem),
	I("nop", 0, Ev(R), Gv(R)),
};

/*
 * 0F 0F: 3DNow! (the real opcode is the imm8 after ModRM/displacement).  An
 * AMD-only encoding without REX2; XED has no map-1 opcode 0F under REX2.
 * (An undefined 3DNow! suffix byte would be general_error in XED; the
 * suffix is not looked at here.)
 */
static const struct x86_opcode_row amd3dnow[2] = { CHIP, N };

/* ------------------------------------------------------------------ */
/* 0F 10 - 0F 17 */

static const struct x86_opcode_row sse_10[4] = {
	I("movups", 0, Vx(Z_O, W), Wx(Z_O, R)),
	I("movupd", 0, Vx(Z_O, W), Wx(Z_O, R)),
	I("movss", 0, Vx(Z_O, W), Wx(Z_D, R)),
	I("movsd_xmm", 0, Vx(Z_O, W), Wx(Z_Q, R)),
};
static const struct x86_opcode_row sse_11[4] = {
	I("movups", 0, Wx(Z_O, W), Vx(Z_O, R)),
	I("movupd", 0, Wx(Z_O, W), Vx(Z_O, R)),
	I("movss", 0, Wx(Z_D, W), Vx(Z_O, R)),
	I("movsd_xmm", 0, Wx(Z_Q, W), Vx(Z_O, R)),
};
static const struct x86_opcode_row sse_12_np[2] = {
	I("movlps", 0, Vx(Z_O, RW), Mx(Z_Q, R)),
	I("movhlps", 0, Vx(Z_O, RW), Ux(Z_O, R)),
};
static const struct x86_opcode_row sse_12[4] = {
	G(SEL_MOD, sse_12_np),
	I("movlpd", 0, Vx(Z_O, RW), Mx(Z_Q, R)),
	I("movsldup", 0, Vx(Z_O, W), Wx(Z_O, R)),
	I("movddup", 0, Vx(Z_O, W), Wx(Z_Q, R)),
};
static const struct x86_opcode_row sse_13[4] = {
	I("movlps", 0, Mx(Z_Q, W), Vx(Z_O, R)),
	I("movlpd", 0, Mx(Z_Q, W), Vx(Z_O, R)),
	N, N,
};
static const struct x86_opcode_row sse_14[4] = {
	I("unpcklps", 0, Vx(Z_O, RW), Wx(Z_O, R)),
	I("unpcklpd", 0, Vx(Z_O, RW), Wx(Z_O, R)),
	N, N,
};
static const struct x86_opcode_row sse_15[4] = {
	I("unpckhps", 0, Vx(Z_O, RW), Wx(Z_O, R)),
	I("unpckhpd", 0, Vx(Z_O, RW), Wx(Z_O, R)),
	N, N,
};
static const struct x86_opcode_row sse_16_np[2] = {
	I("movhps", 0, Vx(Z_O, RW), Mx(Z_Q, R)),
	I("movlhps", 0, Vx(Z_O, RW), Ux(Z_O, R)),
};
static const struct x86_opcode_row sse_16[4] = {
	G(SEL_MOD, sse_16_np),
	I("movhpd", 0, Vx(Z_O, RW), Mx(Z_Q, R)),
	I("movshdup", 0, Vx(Z_O, W), Wx(Z_O, R)),
	N,
};
static const struct x86_opcode_row sse_17[4] = {
	I("movhps", 0, Mx(Z_Q, W), Vx(Z_O, R)),
	I("movhpd", 0, Mx(Z_Q, W), Vx(Z_O, R)),
	N, N,
};

/* ------------------------------------------------------------------ */
/* 0F 18 - 0F 1F: prefetch hints and hint NOPs */

static const struct x86_opcode_row hint_18_mem[8] = {
	I("prefetchnta", 0, Mx(Z_ZZ, R)),
	I("prefetcht0", 0, Mx(Z_ZZ, R)),
	I("prefetcht1", 0, Mx(Z_ZZ, R)),
	I("prefetcht2", 0, Mx(Z_ZZ, R)),
	I("prefetchrst2", 0, Mx(Z_ZZ, R)),
	I("nop", 0, Ev(R)),
	I("prefetchit1", 0, Mx(Z_ZZ, R)),
	I("prefetchit0", 0, Mx(Z_ZZ, R)),
};
static const struct x86_opcode_row hint_18[2] = {
	G(SEL_REG, hint_18_mem),
	I("nop", 0, Ev(R)),
};

/*
 * 0F 1A / 0F 1B: the old MPX opcodes.  XED's NOP form for memory shows the
 * ModRM.rm register (B-extended, as if mod were 3) before the memory operand.
 */
static const struct x86_opcode_row hint_1a[2] = {
	I("nop", 0, RAv(R), Ev(R)),
	I("nop", 0, Ev(R), Gv(R)),
};

static const struct x86_opcode_row cldemote_pfx[4] = {
	I("cldemote", 0, Mx(Z_B, R)),
	I("nop", 0, Ev(R), Gv(R)),
	I("nop", 0, Ev(R), Gv(R)),
	I("nop", 0, Ev(R), Gv(R)),
};
static const struct x86_opcode_row hint_1c_mem[8] = {
	G(SEL_PFX_OSZ, cldemote_pfx),
	I("nop", 0, Ev(R), Gv(R)), I("nop", 0, Ev(R), Gv(R)), I("nop", 0, Ev(R), Gv(R)),
	I("nop", 0, Ev(R), Gv(R)), I("nop", 0, Ev(R), Gv(R)), I("nop", 0, Ev(R), Gv(R)),
	I("nop", 0, Ev(R), Gv(R)),
};
static const struct x86_opcode_row hint_1c[2] = {
	G(SEL_REG, hint_1c_mem),
	I("nop", 0, Ev(R), Gv(R)),
};

/* F3 0F 1E: RDSSPD/Q (/1, mod=3), ENDBR64 (FA), ENDBR32 (FB); NOP otherwise. */
static const struct x86_opcode_row f3_1e_r7[8] = {
	I("nop", 0, Ev(R), Gv(R)),
	I("nop", 0, Ev(R), Gv(R)),
	I0("endbr64", 0),
	I0("endbr32", 0),
	I("nop", 0, Ev(R), Gv(R)),
	I("nop", 0, Ev(R), Gv(R)),
	I("nop", 0, Ev(R), Gv(R)),
	I("nop", 0, Ev(R), Gv(R)),
};
static const struct x86_opcode_row f3_1e_reg[8] = {
	I("nop", 0, Ev(R), Gv(R)),
	I("rdsspd|rdsspd|rdsspq", 0, Rx(Z_Y, W)),
	I("nop", 0, Ev(R), Gv(R)),
	I("nop", 0, Ev(R), Gv(R)),
	I("nop", 0, Ev(R), Gv(R)),
	I("nop", 0, Ev(R), Gv(R)),
	I("nop", 0, Ev(R), Gv(R)),
	G(SEL_RM, f3_1e_r7),
};
static const struct x86_opcode_row f3_1e[2] = {
	I("nop", 0, Ev(R), Gv(R)),
	G(SEL_REG, f3_1e_reg),
};
static const struct x86_opcode_row hint_1e[4] = {
	I("nop", 0, Ev(R), Gv(R)),
	I("nop", 0, Ev(R), Gv(R)),
	G(SEL_MOD, f3_1e),
	I("nop", 0, Ev(R), Gv(R)),
};

/* ------------------------------------------------------------------ */
/* 0F 28 - 0F 2F */

static const struct x86_opcode_row sse_28[4] = {
	I("movaps", 0, Vx(Z_O, W), Wx(Z_O, R)),
	I("movapd", 0, Vx(Z_O, W), Wx(Z_O, R)),
	N, N,
};
static const struct x86_opcode_row sse_29[4] = {
	I("movaps", 0, Wx(Z_O, W), Vx(Z_O, R)),
	I("movapd", 0, Wx(Z_O, W), Vx(Z_O, R)),
	N, N,
};
static const struct x86_opcode_row sse_2a[4] = {
	I("cvtpi2ps", 0, Vx(Z_O, RW), Qx(Z_Q, R)),
	I("cvtpi2pd", 0, Vx(Z_O, W), Qx(Z_Q, R)),
	I("cvtsi2ss", 0, Vx(Z_O, RW), Ey(R)),
	I("cvtsi2sd", 0, Vx(Z_O, RW), Ey(R)),
};
static const struct x86_opcode_row amd_movnt[2] = { CHIP, N };
static const struct x86_opcode_row sse_2b[4] = {
	I("movntps", 0, Mx(Z_O, W), Vx(Z_O, R)),
	I("movntpd", 0, Mx(Z_O, W), Vx(Z_O, R)),
	G(SEL_MOD, amd_movnt),   /* movntss (SSE4a) */
	G(SEL_MOD, amd_movnt),   /* movntsd (SSE4a) */
};
static const struct x86_opcode_row sse_2c[4] = {
	I("cvttps2pi", 0, Pq(W), Wx(Z_Q, R)),
	I("cvttpd2pi", 0, Pq(W), Wx(Z_O, R)),
	I("cvttss2si", 0, Gy(W), Wx(Z_D, R)),
	I("cvttsd2si", 0, Gy(W), Wx(Z_Q, R)),
};
static const struct x86_opcode_row sse_2d[4] = {
	I("cvtps2pi", 0, Pq(W), Wx(Z_Q, R)),
	I("cvtpd2pi", 0, Pq(W), Wx(Z_O, R)),
	I("cvtss2si", 0, Gy(W), Wx(Z_D, R)),
	I("cvtsd2si", 0, Gy(W), Wx(Z_Q, R)),
};
static const struct x86_opcode_row sse_2e[4] = {
	I("ucomiss", 0, Vx(Z_O, R), Wx(Z_D, R)),
	I("ucomisd", 0, Vx(Z_O, R), Wx(Z_Q, R)),
	N, N,
};
static const struct x86_opcode_row sse_2f[4] = {
	I("comiss", 0, Vx(Z_O, R), Wx(Z_D, R)),
	I("comisd", 0, Vx(Z_O, R), Wx(Z_Q, R)),
	N, N,
};

static const struct x86_opcode_row getsec_pfx[4] = NP(I0("getsec", F_NOREX2));

/* ------------------------------------------------------------------ */
/* 0F 50 - 0F 7F */

static const struct x86_opcode_row sse_50[4] = {
	I("movmskps", 0, Gd(W), Ux(Z_O, R)),
	I("movmskpd", 0, Gd(W), Ux(Z_O, R)),
	N, N,
};

/* packed-single / packed-double / scalar-single / scalar-double arithmetic */
#define SSE_ARITH(tab, ps, pd, ss, sd)                                  \
	static const struct x86_opcode_row tab[4] = {                   \
		I(ps, 0, Vx(Z_O, RW), Wx(Z_O, R)),                      \
		I(pd, 0, Vx(Z_O, RW), Wx(Z_O, R)),                      \
		I(ss, 0, Vx(Z_O, RW), Wx(Z_D, R)),                      \
		I(sd, 0, Vx(Z_O, RW), Wx(Z_Q, R)),                      \
	}
/* packed only (no scalar forms) */
#define SSE_PACKED(tab, ps, pd)                                         \
	static const struct x86_opcode_row tab[4] = {                   \
		I(ps, 0, Vx(Z_O, RW), Wx(Z_O, R)),                      \
		I(pd, 0, Vx(Z_O, RW), Wx(Z_O, R)),                      \
		N, N,                                                   \
	}

static const struct x86_opcode_row sse_51[4] = {
	I("sqrtps", 0, Vx(Z_O, W), Wx(Z_O, R)),
	I("sqrtpd", 0, Vx(Z_O, W), Wx(Z_O, R)),
	I("sqrtss", 0, Vx(Z_O, RW), Wx(Z_D, R)),
	I("sqrtsd", 0, Vx(Z_O, RW), Wx(Z_Q, R)),
};
static const struct x86_opcode_row sse_52[4] = {
	I("rsqrtps", 0, Vx(Z_O, W), Wx(Z_O, R)),
	N,
	I("rsqrtss", 0, Vx(Z_O, RW), Wx(Z_D, R)),
	N,
};
static const struct x86_opcode_row sse_53[4] = {
	I("rcpps", 0, Vx(Z_O, W), Wx(Z_O, R)),
	N,
	I("rcpss", 0, Vx(Z_O, RW), Wx(Z_D, R)),
	N,
};
SSE_PACKED(sse_54, "andps", "andpd");
SSE_PACKED(sse_55, "andnps", "andnpd");
SSE_PACKED(sse_56, "orps", "orpd");
SSE_PACKED(sse_57, "xorps", "xorpd");
SSE_ARITH(sse_58, "addps", "addpd", "addss", "addsd");
SSE_ARITH(sse_59, "mulps", "mulpd", "mulss", "mulsd");
static const struct x86_opcode_row sse_5a[4] = {
	I("cvtps2pd", 0, Vx(Z_O, W), Wx(Z_Q, R)),
	I("cvtpd2ps", 0, Vx(Z_O, W), Wx(Z_O, R)),
	I("cvtss2sd", 0, Vx(Z_O, RW), Wx(Z_D, R)),
	I("cvtsd2ss", 0, Vx(Z_O, RW), Wx(Z_Q, R)),
};
static const struct x86_opcode_row sse_5b[4] = {
	I("cvtdq2ps", 0, Vx(Z_O, W), Wx(Z_O, R)),
	I("cvtps2dq", 0, Vx(Z_O, W), Wx(Z_O, R)),
	I("cvttps2dq", 0, Vx(Z_O, W), Wx(Z_O, R)),
	N,
};
SSE_ARITH(sse_5c, "subps", "subpd", "subss", "subsd");
SSE_ARITH(sse_5d, "minps", "minpd", "minss", "minsd");
SSE_ARITH(sse_5e, "divps", "divpd", "divss", "divsd");
SSE_ARITH(sse_5f, "maxps", "maxpd", "maxss", "maxsd");

/* MMX (no prefix) / SSE2 (66) integer operations */
#define MMX_SSE(tab, nm, mmxmem)                                        \
	static const struct x86_opcode_row tab[4] = {                   \
		I(nm, 0, Pq(RW), Qx(mmxmem, R)),                        \
		I(nm, 0, Vx(Z_O, RW), Wx(Z_O, R)),                      \
		N, N,                                                   \
	}
/* SSE2 only (66) */
#define SSE2_ONLY(tab, nm)                                              \
	static const struct x86_opcode_row tab[4] = {                   \
		N,                                                      \
		I(nm, 0, Vx(Z_O, RW), Wx(Z_O, R)),                      \
		N, N,                                                   \
	}

MMX_SSE(mx_60, "punpcklbw", Z_D);
MMX_SSE(mx_61, "punpcklwd", Z_D);
MMX_SSE(mx_62, "punpckldq", Z_D);
MMX_SSE(mx_63, "packsswb", Z_Q);
MMX_SSE(mx_64, "pcmpgtb", Z_Q);
MMX_SSE(mx_65, "pcmpgtw", Z_Q);
MMX_SSE(mx_66, "pcmpgtd", Z_Q);
MMX_SSE(mx_67, "packuswb", Z_Q);
MMX_SSE(mx_68, "punpckhbw", Z_Q);
MMX_SSE(mx_69, "punpckhwd", Z_Q);
MMX_SSE(mx_6a, "punpckhdq", Z_Q);
MMX_SSE(mx_6b, "packssdw", Z_Q);
SSE2_ONLY(mx_6c, "punpcklqdq");
SSE2_ONLY(mx_6d, "punpckhqdq");
static const struct x86_opcode_row mx_6e[4] = {
	I("movd|movd|movq", 0, Pq(W), Ey(R)),
	I("movd|movd|movq", 0, Vx(Z_O, W), Ey(R)),
	N, N,
};
static const struct x86_opcode_row mx_6f[4] = {
	I("movq", 0, Pq(W), Qx(Z_Q, R)),
	I("movdqa", 0, Vx(Z_O, W), Wx(Z_O, R)),
	I("movdqu", 0, Vx(Z_O, W), Wx(Z_O, R)),
	N,
};
static const struct x86_opcode_row mx_70[4] = {
	I("pshufw", 0, Pq(W), Qx(Z_Q, R), Ib),
	I("pshufd", 0, Vx(Z_O, W), Wx(Z_O, R), Ib),
	I("pshufhw", 0, Vx(Z_O, W), Wx(Z_O, R), Ib),
	I("pshuflw", 0, Vx(Z_O, W), Wx(Z_O, R), Ib),
};

/* 0F 71-73: shift by immediate (mod=3 only) */
#define SHIFT_IMM(tab, nm, mmx)                                         \
	static const struct x86_opcode_row tab[4] = {                   \
		mmx,                                                    \
		I(nm, 0, Ux(Z_O, RW), Ib),                              \
		N, N,                                                   \
	}
#define MMX_SHIFT(nm) I(nm, 0, Nq(RW), Ib)
SHIFT_IMM(sh_psrlw, "psrlw", MMX_SHIFT("psrlw"));
SHIFT_IMM(sh_psraw, "psraw", MMX_SHIFT("psraw"));
SHIFT_IMM(sh_psllw, "psllw", MMX_SHIFT("psllw"));
SHIFT_IMM(sh_psrld, "psrld", MMX_SHIFT("psrld"));
SHIFT_IMM(sh_psrad, "psrad", MMX_SHIFT("psrad"));
SHIFT_IMM(sh_pslld, "pslld", MMX_SHIFT("pslld"));
SHIFT_IMM(sh_psrlq, "psrlq", MMX_SHIFT("psrlq"));
SHIFT_IMM(sh_psrldq, "psrldq", N);
SHIFT_IMM(sh_psllq, "psllq", MMX_SHIFT("psllq"));
SHIFT_IMM(sh_pslldq, "pslldq", N);

static const struct x86_opcode_row grp12_reg[8] = {
	N, N, G(SEL_PFX, sh_psrlw), N, G(SEL_PFX, sh_psraw), N, G(SEL_PFX, sh_psllw), N,
};
static const struct x86_opcode_row grp13_reg[8] = {
	N, N, G(SEL_PFX, sh_psrld), N, G(SEL_PFX, sh_psrad), N, G(SEL_PFX, sh_pslld), N,
};
static const struct x86_opcode_row grp14_reg[8] = {
	N, N, G(SEL_PFX, sh_psrlq), G(SEL_PFX, sh_psrldq),
	N, N, G(SEL_PFX, sh_psllq), G(SEL_PFX, sh_pslldq),
};
static const struct x86_opcode_row grp12[2] = { N, G(SEL_REG, grp12_reg) };
static const struct x86_opcode_row grp13[2] = { N, G(SEL_REG, grp13_reg) };
static const struct x86_opcode_row grp14[2] = { N, G(SEL_REG, grp14_reg) };

MMX_SSE(mx_74, "pcmpeqb", Z_Q);
MMX_SSE(mx_75, "pcmpeqw", Z_Q);
MMX_SSE(mx_76, "pcmpeqd", Z_Q);
static const struct x86_opcode_row emms_pfx[4] = NP(I0("emms", 0));

/* 0F 78/79: VMREAD/VMWRITE; 66/F2 are AMD SSE4a EXTRQ/INSERTQ. */
static const struct x86_opcode_row extrq_imm_reg[8] = { CHIP, N, N, N, N, N, N, N };
static const struct x86_opcode_row extrq_imm[2] = { N, G(SEL_REG, extrq_imm_reg) };
static const struct x86_opcode_row amd_regonly[2] = { N, CHIP };
static const struct x86_opcode_row vmx_78[4] = {
	I("vmread", F_F64, Eq(W), Gq(R)),
	G(SEL_MOD, extrq_imm),     /* extrq xmm, imm8, imm8 */
	N,
	G(SEL_MOD, amd_regonly),   /* insertq xmm, xmm, imm8, imm8 */
};
static const struct x86_opcode_row vmx_79[4] = {
	I("vmwrite", F_F64, Gq(R), Eq(R)),
	G(SEL_MOD, amd_regonly),   /* extrq xmm, xmm */
	N,
	G(SEL_MOD, amd_regonly),   /* insertq xmm, xmm */
};
static const struct x86_opcode_row sse3_7c[4] = {
	N,
	I("haddpd", 0, Vx(Z_O, RW), Wx(Z_O, R)),
	N,
	I("haddps", 0, Vx(Z_O, RW), Wx(Z_O, R)),
};
static const struct x86_opcode_row sse3_7d[4] = {
	N,
	I("hsubpd", 0, Vx(Z_O, RW), Wx(Z_O, R)),
	N,
	I("hsubps", 0, Vx(Z_O, RW), Wx(Z_O, R)),
};
static const struct x86_opcode_row mx_7e[4] = {
	I("movd|movd|movq", 0, Ey(W), Pq(R)),
	I("movd|movd|movq", 0, Ey(W), Vx(Z_O, R)),
	I("movq", 0, Vx(Z_O, W), Wx(Z_Q, R)),
	N,
};
static const struct x86_opcode_row mx_7f[4] = {
	I("movq", 0, Qx(Z_Q, W), Pq(R)),
	I("movdqa", 0, Wx(Z_O, W), Vx(Z_O, R)),
	I("movdqu", 0, Wx(Z_O, W), Vx(Z_O, R)),
	N,
};

/* ------------------------------------------------------------------ */
/* 0F A0 - 0F AF */

/* 0F AE: Grp15 */
static const struct x86_opcode_row g15_fxsave[4] = NP(I("fxsave|fxsave|fxsave64", 0, Mx(Z_FX, W)));
static const struct x86_opcode_row g15_fxrstor[4] = NP(I("fxrstor|fxrstor|fxrstor64", 0, Mx(Z_FX, R)));
static const struct x86_opcode_row g15_ldmxcsr[4] = NP(I("ldmxcsr", 0, Mx(Z_D, R)));
static const struct x86_opcode_row g15_stmxcsr[4] = NP(I("stmxcsr", 0, Mx(Z_D, W)));
/* PTWRITE: F3 without 66 (XED no66_prefix); only 66+F3+REX.W slips through */
static const struct x86_opcode_row ptwrite_osz[3] = {
	N,
	I("ptwrite", 0, Ey(R)),
	I("ptwrite", 0, Ey(R)),
};
static const struct x86_opcode_row g15_xsave[4] = {
	I("xsave|xsave|xsave64", F_NOREX2, Mx(Z_XS, RW)),
	N,
	G(SEL_OSZ, ptwrite_osz),
	N,
};
static const struct x86_opcode_row g15_xrstor[4] = NP(I("xrstor|xrstor|xrstor64", F_NOREX2, Mx(Z_XS, R)));
static const struct x86_opcode_row g15_xsaveopt[4] = {
	I("xsaveopt|xsaveopt|xsaveopt64", F_NOREX2, Mx(Z_XS, RW)),
	I("clwb", 0, Mx(Z_ZZ, R)),
	I("clrssbsy", 0, Mx(Z_Q, RW)),
	N,
};
static const struct x86_opcode_row g15_clflush[4] = {
	I("clflush", 0, Mx(Z_ZZ, R)),
	I("clflushopt", 0, Mx(Z_ZZ, R)),
	N, N,
};
static const struct x86_opcode_row g15_mem[8] = {
	G(SEL_PFX, g15_fxsave), G(SEL_PFX, g15_fxrstor),
	G(SEL_PFX, g15_ldmxcsr), G(SEL_PFX, g15_stmxcsr),
	G(SEL_PFX, g15_xsave), G(SEL_PFX, g15_xrstor),
	G(SEL_PFX, g15_xsaveopt), G(SEL_PFX, g15_clflush),
};

static const struct x86_opcode_row g15_rdfsbase[4] = { N, N, I("rdfsbase", 0, Rx(Z_Y, W)), N };
static const struct x86_opcode_row g15_rdgsbase[4] = { N, N, I("rdgsbase", 0, Rx(Z_Y, W)), N };
static const struct x86_opcode_row g15_wrfsbase[4] = { N, N, I("wrfsbase", 0, Rx(Z_Y, R)), N };
static const struct x86_opcode_row g15_wrgsbase[4] = { N, N, I("wrgsbase", 0, Rx(Z_Y, R)), N };
static const struct x86_opcode_row g15_ptwrite_r[4] = { N, N, G(SEL_OSZ, ptwrite_osz), N };
static const struct x86_opcode_row g15_r5[4] = {
	I0("lfence", 0),
	N,
	I("incsspd|incsspd|incsspq", 0, Rx(Z_Y, R)),
	N,
};
static const struct x86_opcode_row g15_r6[4] = {
	I0("mfence", 0),
	I("tpause", 0, Rx(Z_Y, R)),
	I("umonitor", 0, Rx(Z_A, R)),
	I("umwait", 0, Rx(Z_Y, R)),
};
static const struct x86_opcode_row g15_r7[4] = NP(I0("sfence", 0));
static const struct x86_opcode_row g15_reg[8] = {
	G(SEL_PFX, g15_rdfsbase), G(SEL_PFX, g15_rdgsbase),
	G(SEL_PFX, g15_wrfsbase), G(SEL_PFX, g15_wrgsbase),
	G(SEL_PFX, g15_ptwrite_r), G(SEL_PFX, g15_r5),
	G(SEL_PFX, g15_r6), G(SEL_PFX, g15_r7),
};
static const struct x86_opcode_row grp15[2] = {
	G(SEL_REG, g15_mem),
	G(SEL_REG, g15_reg),
};

/* ------------------------------------------------------------------ */
/* 0F B0 - 0F BF */

static const struct x86_opcode_row popcnt_pfx[4] = {
	N, N, I("popcnt", 0, Gv(W), Ev(R)), N,
};
static const struct x86_opcode_row grp8[8] = {
	N, N, N, N,
	I("bt", 0, Ev(R), Ib),
	I("bts", F_LOCK, Ev(RW), Ib),
	I("btr", F_LOCK, Ev(RW), Ib),
	I("btc", F_LOCK, Ev(RW), Ib),
};
static const struct x86_opcode_row bsf_pfx[4] = {
	I("bsf", 0, Gv(W), Ev(R)),
	I("bsf", 0, Gv(W), Ev(R)),
	I("tzcnt", 0, Gv(W), Ev(R)),
	I("bsf", 0, Gv(W), Ev(R)),
};
static const struct x86_opcode_row bsr_pfx[4] = {
	I("bsr", 0, Gv(W), Ev(R)),
	I("bsr", 0, Gv(W), Ev(R)),
	I("lzcnt", 0, Gv(W), Ev(R)),
	I("bsr", 0, Gv(W), Ev(R)),
};

/* ------------------------------------------------------------------ */
/* 0F C0 - 0F CF */

static const struct x86_opcode_row sse_c2[4] = {
	I("cmpps", 0, Vx(Z_O, RW), Wx(Z_O, R), Ib),
	I("cmppd", 0, Vx(Z_O, RW), Wx(Z_O, R), Ib),
	I("cmpss", 0, Vx(Z_O, RW), Wx(Z_D, R), Ib),
	I("cmpsd_xmm", 0, Vx(Z_O, RW), Wx(Z_Q, R), Ib),
};
static const struct x86_opcode_row movnti_pfx[4] = NP(I("movnti", 0, Mx(Z_Y, W), Gy(R)));
static const struct x86_opcode_row pinsrw_np[2] = {
	I("pinsrw", 0, Pq(RW), Mx(Z_W, R), Ib),
	I("pinsrw", 0, Pq(RW), Rx(Z_D, R), Ib),
};
static const struct x86_opcode_row pinsrw_66[2] = {
	I("pinsrw", 0, Vx(Z_O, RW), Mx(Z_W, R), Ib),
	I("pinsrw", 0, Vx(Z_O, RW), Rx(Z_D, R), Ib),
};
static const struct x86_opcode_row sse_c4[4] = {
	G(SEL_MOD, pinsrw_np), G(SEL_MOD, pinsrw_66), N, N,
};
static const struct x86_opcode_row sse_c5[4] = {
	I("pextrw", 0, Gd(W), Nq(R), Ib),
	I("pextrw", 0, Gd(W), Ux(Z_O, R), Ib),
	N, N,
};
static const struct x86_opcode_row sse_c6[4] = {
	I("shufps", 0, Vx(Z_O, RW), Wx(Z_O, R), Ib),
	I("shufpd", 0, Vx(Z_O, RW), Wx(Z_O, R), Ib),
	N, N,
};

/* 0F C7: Grp9 */
static const struct x86_opcode_row g9_cx8[2] = {
	I("cmpxchg8b", F_LOCK, Mx(Z_Q, RW)),
	I("cmpxchg16b", F_LOCK, Mx(Z_O, RW)),
};
static const struct x86_opcode_row g9_xrstors[4] = NP(I("xrstors|xrstors|xrstors64", F_NOREX2, Mx(Z_XS, R)));
static const struct x86_opcode_row g9_xsavec[4] = NP(I("xsavec|xsavec|xsavec64", F_NOREX2, Mx(Z_XS, W)));
static const struct x86_opcode_row g9_xsaves[4] = NP(I("xsaves|xsaves|xsaves64", F_NOREX2, Mx(Z_XS, W)));
static const struct x86_opcode_row g9_m6[4] = {
	I("vmptrld", 0, Mx(Z_Q, R)),
	I("vmclear", 0, Mx(Z_Q, R)),
	I("vmxon", 0, Mx(Z_Q, R)),
	N,
};
static const struct x86_opcode_row g9_vmptrst[4] = NP(I("vmptrst", 0, Mx(Z_Q, W)));
static const struct x86_opcode_row g9_mem[8] = {
	N,
	G(SEL_W, g9_cx8),
	N,
	G(SEL_PFX, g9_xrstors),
	G(SEL_PFX, g9_xsavec),
	G(SEL_PFX, g9_xsaves),
	G(SEL_PFX, g9_m6),
	G(SEL_PFX, g9_vmptrst),
};
static const struct x86_opcode_row g9_r6[4] = {
	I("rdrand", 0, Rx(Z_V, W)),
	I("rdrand", 0, Rx(Z_V, W)),
	I("senduipi", 0, Rx(Z_Q, R)),
	N,
};
static const struct x86_opcode_row g9_r7[4] = {
	I("rdseed", 0, Rx(Z_V, W)),
	I("rdseed", 0, Rx(Z_V, W)),
	I("rdpid", 0, Rx(Z_Q, W)),
	N,
};
static const struct x86_opcode_row g9_reg[8] = {
	N, N, N, N, N, N,
	G(SEL_PFX_OSZ, g9_r6),
	G(SEL_PFX_OSZ, g9_r7),
};
static const struct x86_opcode_row grp9[2] = {
	G(SEL_REG, g9_mem),
	G(SEL_REG, g9_reg),
};

/* ------------------------------------------------------------------ */
/* 0F D0 - 0F FF */

static const struct x86_opcode_row sse3_d0[4] = {
	N,
	I("addsubpd", 0, Vx(Z_O, RW), Wx(Z_O, R)),
	N,
	I("addsubps", 0, Vx(Z_O, RW), Wx(Z_O, R)),
};
MMX_SSE(mx_d1, "psrlw", Z_Q);
MMX_SSE(mx_d2, "psrld", Z_Q);
MMX_SSE(mx_d3, "psrlq", Z_Q);
MMX_SSE(mx_d4, "paddq", Z_Q);
MMX_SSE(mx_d5, "pmullw", Z_Q);
static const struct x86_opcode_row mx_d6[4] = {
	N,
	I("movq", 0, Wx(Z_Q, W), Vx(Z_O, R)),
	I("movq2dq", 0, Vx(Z_O, W), Nq(R)),
	I("movdq2q", 0, Pq(W), Ux(Z_O, R)),
};
static const struct x86_opcode_row mx_d7[4] = {
	I("pmovmskb", 0, Gd(W), Nq(R)),
	I("pmovmskb", 0, Gd(W), Ux(Z_O, R)),
	N, N,
};
MMX_SSE(mx_d8, "psubusb", Z_Q);
MMX_SSE(mx_d9, "psubusw", Z_Q);
MMX_SSE(mx_da, "pminub", Z_Q);
MMX_SSE(mx_db, "pand", Z_Q);
MMX_SSE(mx_dc, "paddusb", Z_Q);
MMX_SSE(mx_dd, "paddusw", Z_Q);
MMX_SSE(mx_de, "pmaxub", Z_Q);
MMX_SSE(mx_df, "pandn", Z_Q);
MMX_SSE(mx_e0, "pavgb", Z_Q);
MMX_SSE(mx_e1, "psraw", Z_Q);
MMX_SSE(mx_e2, "psrad", Z_Q);
MMX_SSE(mx_e3, "pavgw", Z_Q);
MMX_SSE(mx_e4, "pmulhuw", Z_Q);
MMX_SSE(mx_e5, "pmulhw", Z_Q);
static const struct x86_opcode_row sse_e6[4] = {
	N,
	I("cvttpd2dq", 0, Vx(Z_O, W), Wx(Z_O, R)),
	I("cvtdq2pd", 0, Vx(Z_O, W), Wx(Z_Q, R)),
	I("cvtpd2dq", 0, Vx(Z_O, W), Wx(Z_O, R)),
};
static const struct x86_opcode_row mx_e7[4] = {
	I("movntq", 0, Mx(Z_Q, W), Pq(R)),
	I("movntdq", 0, Mx(Z_O, W), Vx(Z_O, R)),
	N, N,
};
MMX_SSE(mx_e8, "psubsb", Z_Q);
MMX_SSE(mx_e9, "psubsw", Z_Q);
MMX_SSE(mx_ea, "pminsw", Z_Q);
MMX_SSE(mx_eb, "por", Z_Q);
MMX_SSE(mx_ec, "paddsb", Z_Q);
MMX_SSE(mx_ed, "paddsw", Z_Q);
MMX_SSE(mx_ee, "pmaxsw", Z_Q);
MMX_SSE(mx_ef, "pxor", Z_Q);
static const struct x86_opcode_row sse3_f0[4] = {
	N, N, N, I("lddqu", 0, Vx(Z_O, W), Mx(Z_O, R)),
};
MMX_SSE(mx_f1, "psllw", Z_Q);
MMX_SSE(mx_f2, "pslld", Z_Q);
MMX_SSE(mx_f3, "psllq", Z_Q);
MMX_SSE(mx_f4, "pmuludq", Z_Q);
MMX_SSE(mx_f5, "pmaddwd", Z_Q);
MMX_SSE(mx_f6, "psadbw", Z_Q);
static const struct x86_opcode_row mx_f7[4] = {
	I("maskmovq", 0, Pq(R), Nq(R)),
	I("maskmovdqu", 0, Vx(Z_O, R), Ux(Z_O, R)),
	N, N,
};
MMX_SSE(mx_f8, "psubb", Z_Q);
MMX_SSE(mx_f9, "psubw", Z_Q);
MMX_SSE(mx_fa, "psubd", Z_Q);
MMX_SSE(mx_fb, "psubq", Z_Q);
MMX_SSE(mx_fc, "paddb", Z_Q);
MMX_SSE(mx_fd, "paddw", Z_Q);
MMX_SSE(mx_fe, "paddd", Z_Q);

/* ------------------------------------------------------------------ */

#define JCC(nm)   I(nm, F_F64 | F_NOREX2 | F_BND, Jz)
#define SETCC(nm) I(nm, 0, Eb(W))
#define CMOV(nm)  I(nm, 0, Gv(W), Ev(R))
#define BSWAP     I("bswap", 0, Zv(RW))

const struct x86_opcode_row x86_map1[256] = {
	/* 00 */ G(SEL_REG, grp6),
	/* 01 */ G(SEL_MOD, grp7),
	/* 02 */ G(SEL_MOD, lar_mod),
	/* 03 */ G(SEL_MOD, lsl_mod),
	/* 04 */ N,
	/* 05 */ I0("syscall", 0),
	/* 06 */ I0("clts", 0),
	/* 07 */ I0("sysret|sysret|sysret64", 0),
	/* 08 */ I0("invd", 0),
	/* 09 */ G(SEL_PFX, wbinvd_pfx),
	/* 0a */ N,
	/* 0b */ I0("ud2", 0),
	/* 0c */ N,
	/* 0d */ G(SEL_MOD, prefetch_0d),
	/* 0e */ CHIP,                       /* femms */
	/* 0f */ G(SEL_REX2, amd3dnow),
	/* 10 */ G(SEL_PFX, sse_10),
	/* 11 */ G(SEL_PFX, sse_11),
	/* 12 */ G(SEL_PFX, sse_12),
	/* 13 */ G(SEL_PFX, sse_13),
	/* 14 */ G(SEL_PFX, sse_14),
	/* 15 */ G(SEL_PFX, sse_15),
	/* 16 */ G(SEL_PFX, sse_16),
	/* 17 */ G(SEL_PFX, sse_17),
	/* 18 */ G(SEL_MOD, hint_18),
	/* 19 */ I("nop", 0, Ev(R), Gv(R)),
	/* 1a */ G(SEL_MOD, hint_1a),
	/* 1b */ G(SEL_MOD, hint_1a),
	/* 1c */ G(SEL_MOD, hint_1c),
	/* 1d */ I("nop", 0, Ev(R), Gv(R)),
	/* 1e */ G(SEL_PFX_OSZ, hint_1e),
	/* 1f */ I("nop", 0, Ev(R)),
	/* 20 */ I("mov_cr", 0, RAq(W), OP(M_C, Z_Q, R)),
	/* 21 */ I("mov_dr", 0, RAq(W), OP(M_D, Z_Q, R)),
	/* 22 */ I("mov_cr", 0, OP(M_C, Z_Q, W), RAq(R)),
	/* 23 */ I("mov_dr", 0, OP(M_D, Z_Q, W), RAq(R)),
	/* 24 */ N, N, N, N,
	/* 28 */ G(SEL_PFX, sse_28),
	/* 29 */ G(SEL_PFX, sse_29),
	/* 2a */ G(SEL_PFX, sse_2a),
	/* 2b */ G(SEL_PFX, sse_2b),
	/* 2c */ G(SEL_PFX, sse_2c),
	/* 2d */ G(SEL_PFX, sse_2d),
	/* 2e */ G(SEL_PFX, sse_2e),
	/* 2f */ G(SEL_PFX, sse_2f),
	/* 30 */ I0("wrmsr", F_NOREX2),
	/* 31 */ I0("rdtsc", F_NOREX2),
	/* 32 */ I0("rdmsr", F_NOREX2),
	/* 33 */ I0("rdpmc", F_NOREX2),
	/* 34 */ I0("sysenter", F_NOREX2),
	/* 35 */ I0("sysexit", F_NOREX2),
	/* 36 */ N,
	/* 37 */ G(SEL_PFX, getsec_pfx),
	/* 38 */ N,                          /* 3-byte escape (engine); #UD with REX2 */
	/* 39 */ N,
	/* 3a */ N,                          /* 3-byte escape (engine); #UD with REX2 */
	/* 3b */ N, N, N, N, N,
	/* 40 */ CMOV("cmovo"), CMOV("cmovno"), CMOV("cmovb"), CMOV("cmovnb"),
	/* 44 */ CMOV("cmovz"), CMOV("cmovnz"), CMOV("cmovbe"), CMOV("cmovnbe"),
	/* 48 */ CMOV("cmovs"), CMOV("cmovns"), CMOV("cmovp"), CMOV("cmovnp"),
	/* 4c */ CMOV("cmovl"), CMOV("cmovnl"), CMOV("cmovle"), CMOV("cmovnle"),
	/* 50 */ G(SEL_PFX, sse_50),
	/* 51 */ G(SEL_PFX, sse_51),
	/* 52 */ G(SEL_PFX, sse_52),
	/* 53 */ G(SEL_PFX, sse_53),
	/* 54 */ G(SEL_PFX, sse_54),
	/* 55 */ G(SEL_PFX, sse_55),
	/* 56 */ G(SEL_PFX, sse_56),
	/* 57 */ G(SEL_PFX, sse_57),
	/* 58 */ G(SEL_PFX, sse_58),
	/* 59 */ G(SEL_PFX, sse_59),
	/* 5a */ G(SEL_PFX, sse_5a),
	/* 5b */ G(SEL_PFX, sse_5b),
	/* 5c */ G(SEL_PFX, sse_5c),
	/* 5d */ G(SEL_PFX, sse_5d),
	/* 5e */ G(SEL_PFX, sse_5e),
	/* 5f */ G(SEL_PFX, sse_5f),
	/* 60 */ G(SEL_PFX, mx_60),
	/* 61 */ G(SEL_PFX, mx_61),
	/* 62 */ G(SEL_PFX, mx_62),
	/* 63 */ G(SEL_PFX, mx_63),
	/* 64 */ G(SEL_PFX, mx_64),
	/* 65 */ G(SEL_PFX, mx_65),
	/* 66 */ G(SEL_PFX, mx_66),
	/* 67 */ G(SEL_PFX, mx_67),
	/* 68 */ G(SEL_PFX, mx_68),
	/* 69 */ G(SEL_PFX, mx_69),
	/* 6a */ G(SEL_PFX, mx_6a),
	/* 6b */ G(SEL_PFX, mx_6b),
	/* 6c */ G(SEL_PFX, mx_6c),
	/* 6d */ G(SEL_PFX, mx_6d),
	/* 6e */ G(SEL_PFX, mx_6e),
	/* 6f */ G(SEL_PFX, mx_6f),
	/* 70 */ G(SEL_PFX, mx_70),
	/* 71 */ G(SEL_MOD, grp12),
	/* 72 */ G(SEL_MOD, grp13),
	/* 73 */ G(SEL_MOD, grp14),
	/* 74 */ G(SEL_PFX, mx_74),
	/* 75 */ G(SEL_PFX, mx_75),
	/* 76 */ G(SEL_PFX, mx_76),
	/* 77 */ G(SEL_PFX, emms_pfx),
	/* 78 */ G(SEL_PFX, vmx_78),
	/* 79 */ G(SEL_PFX, vmx_79),
	/* 7a */ N,
	/* 7b */ N,
	/* 7c */ G(SEL_PFX, sse3_7c),
	/* 7d */ G(SEL_PFX, sse3_7d),
	/* 7e */ G(SEL_PFX, mx_7e),
	/* 7f */ G(SEL_PFX, mx_7f),
	/* 80 */ JCC("jo"), JCC("jno"), JCC("jb"), JCC("jnb"),
	/* 84 */ JCC("jz"), JCC("jnz"), JCC("jbe"), JCC("jnbe"),
	/* 88 */ JCC("js"), JCC("jns"), JCC("jp"), JCC("jnp"),
	/* 8c */ JCC("jl"), JCC("jnl"), JCC("jle"), JCC("jnle"),
	/* 90 */ SETCC("seto"), SETCC("setno"), SETCC("setb"), SETCC("setnb"),
	/* 94 */ SETCC("setz"), SETCC("setnz"), SETCC("setbe"), SETCC("setnbe"),
	/* 98 */ SETCC("sets"), SETCC("setns"), SETCC("setp"), SETCC("setnp"),
	/* 9c */ SETCC("setl"), SETCC("setnl"), SETCC("setle"), SETCC("setnle"),
	/* a0 */ I("push", F_D64, OPF(M_SEG, Z_W, R, X86_SEG_FS)),
	/* a1 */ I("pop", F_D64, OPF(M_SEG, Z_W, W, X86_SEG_FS)),
	/* a2 */ I0("cpuid", 0),
	/* a3 */ I("bt", 0, Ev(R), Gv(R)),
	/* a4 */ I("shld", 0, Ev(RW), Gv(R), Ib),
	/* a5 */ I("shld", 0, Ev(RW), Gv(R), CL(R)),
	/* a6 */ N,
	/* a7 */ N,
	/* a8 */ I("push", F_D64, OPF(M_SEG, Z_W, R, X86_SEG_GS)),
	/* a9 */ I("pop", F_D64, OPF(M_SEG, Z_W, W, X86_SEG_GS)),
	/* aa */ I0("rsm", 0),
	/* ab */ I("bts", F_LOCK, Ev(RW), Gv(R)),
	/* ac */ I("shrd", 0, Ev(RW), Gv(R), Ib),
	/* ad */ I("shrd", 0, Ev(RW), Gv(R), CL(R)),
	/* ae */ G(SEL_MOD, grp15),
	/* af */ I("imul", 0, Gv(RW), Ev(R)),
	/* b0 */ I("cmpxchg", F_LOCK, Eb(RW), Gb(R)),
	/* b1 */ I("cmpxchg", F_LOCK, Ev(RW), Gv(R)),
	/* b2 */ I("lss", 0, Gv(W), Mx(Z_P, R)),
	/* b3 */ I("btr", F_LOCK, Ev(RW), Gv(R)),
	/* b4 */ I("lfs", 0, Gv(W), Mx(Z_P, R)),
	/* b5 */ I("lgs", 0, Gv(W), Mx(Z_P, R)),
	/* b6 */ I("movzx", 0, Gv(W), Eb(R)),
	/* b7 */ I("movzx", 0, Gv(W), Ew(R)),
	/* b8 */ G(SEL_PFX_OSZ, popcnt_pfx),
	/* b9 */ I("ud1", 0, Gd(R), Ed(R)),
	/* ba */ G(SEL_REG, grp8),
	/* bb */ I("btc", F_LOCK, Ev(RW), Gv(R)),
	/* bc */ G(SEL_PFX_OSZ, bsf_pfx),
	/* bd */ G(SEL_PFX_OSZ, bsr_pfx),
	/* be */ I("movsx", 0, Gv(W), Eb(R)),
	/* bf */ I("movsx", 0, Gv(W), Ew(R)),
	/* c0 */ I("xadd", F_LOCK, Eb(RW), Gb(RW)),
	/* c1 */ I("xadd", F_LOCK, Ev(RW), Gv(RW)),
	/* c2 */ G(SEL_PFX, sse_c2),
	/* c3 */ G(SEL_PFX, movnti_pfx),
	/* c4 */ G(SEL_PFX, sse_c4),
	/* c5 */ G(SEL_PFX, sse_c5),
	/* c6 */ G(SEL_PFX, sse_c6),
	/* c7 */ G(SEL_MOD, grp9),
	/* c8 */ BSWAP, BSWAP, BSWAP, BSWAP, BSWAP, BSWAP, BSWAP, BSWAP,
	/* d0 */ G(SEL_PFX, sse3_d0),
	/* d1 */ G(SEL_PFX, mx_d1),
	/* d2 */ G(SEL_PFX, mx_d2),
	/* d3 */ G(SEL_PFX, mx_d3),
	/* d4 */ G(SEL_PFX, mx_d4),
	/* d5 */ G(SEL_PFX, mx_d5),
	/* d6 */ G(SEL_PFX, mx_d6),
	/* d7 */ G(SEL_PFX, mx_d7),
	/* d8 */ G(SEL_PFX, mx_d8),
	/* d9 */ G(SEL_PFX, mx_d9),
	/* da */ G(SEL_PFX, mx_da),
	/* db */ G(SEL_PFX, mx_db),
	/* dc */ G(SEL_PFX, mx_dc),
	/* dd */ G(SEL_PFX, mx_dd),
	/* de */ G(SEL_PFX, mx_de),
	/* df */ G(SEL_PFX, mx_df),
	/* e0 */ G(SEL_PFX, mx_e0),
	/* e1 */ G(SEL_PFX, mx_e1),
	/* e2 */ G(SEL_PFX, mx_e2),
	/* e3 */ G(SEL_PFX, mx_e3),
	/* e4 */ G(SEL_PFX, mx_e4),
	/* e5 */ G(SEL_PFX, mx_e5),
	/* e6 */ G(SEL_PFX, sse_e6),
	/* e7 */ G(SEL_PFX, mx_e7),
	/* e8 */ G(SEL_PFX, mx_e8),
	/* e9 */ G(SEL_PFX, mx_e9),
	/* ea */ G(SEL_PFX, mx_ea),
	/* eb */ G(SEL_PFX, mx_eb),
	/* ec */ G(SEL_PFX, mx_ec),
	/* ed */ G(SEL_PFX, mx_ed),
	/* ee */ G(SEL_PFX, mx_ee),
	/* ef */ G(SEL_PFX, mx_ef),
	/* f0 */ G(SEL_PFX, sse3_f0),
	/* f1 */ G(SEL_PFX, mx_f1),
	/* f2 */ G(SEL_PFX, mx_f2),
	/* f3 */ G(SEL_PFX, mx_f3),
	/* f4 */ G(SEL_PFX, mx_f4),
	/* f5 */ G(SEL_PFX, mx_f5),
	/* f6 */ G(SEL_PFX, mx_f6),
	/* f7 */ G(SEL_PFX, mx_f7),
	/* f8 */ G(SEL_PFX, mx_f8),
	/* f9 */ G(SEL_PFX, mx_f9),
	/* fa */ G(SEL_PFX, mx_fa),
	/* fb */ G(SEL_PFX, mx_fb),
	/* fc */ G(SEL_PFX, mx_fc),
	/* fd */ G(SEL_PFX, mx_fd),
	/* fe */ G(SEL_PFX, mx_fe),
	/* ff */ I0("ud0", 0),           /* 2-byte UD0, no ModRM on this chip */
};
