/* SPDX-License-Identifier: MIT */
/*
 * EVEX maps 1, 2, 3, 5 and 6: AVX-512, AVX512-FP16/BF16, AVX10.2, plus the
 * APX EVEX forms of VEX/legacy general-purpose instructions that live in
 * maps 1-3 (KMOV, BMI1/BMI2, CMPccXADD, RORX, AMX tile load/store).
 * Maps 4 and 7 are in tab_map4.c / tab_map7.c.
 *
 * Instruction set: XED's FUTURE chip (Diamond Rapids and later: AVX10.2,
 * AMX, APX, no Xeon Phi AVX512ER/PF/4FMAPS/4VNNIW, no AVX10.2 "aux" FP4/FP6).
 *
 * Conventions of these tables:
 *  - Selectors: SEL_PFX (pp), then SEL_W where W picks the instruction or
 *    both W values exist; F_W0/F_W1 where only one W is valid; no W flag for
 *    W-ignored (WIG) rows.  SEL_MOD where memory and register forms differ,
 *    SEL_REG for the shift groups, SEL_L for the 256/512-only rows.  F_L0:
 *    128-bit only (VL128 in XED).  Scalar rows ignore L'L (LIG).
 *  - vflags: V_MASK write mask allowed; V_ZERO zeroing allowed (never into
 *    memory: decode_evex.c checks that); V_BCST embedded broadcast (element
 *    row->elsz bytes, or 4/8 by W); V_ER / V_SAE rounding or SAE with b=1 on
 *    register forms; V_MASK_REQ gathers/scatters.
 *  - tuple/elsz: the disp8*N class (SDM Vol. 2 2.7.5); T_NONE (N=1) for the
 *    APX general-purpose rows.
 *  - Operands in XED order: destination, write mask (always listed), vvvv
 *    source, ModRM.rm source, immediate.  Sizes: x = vector length, xh/xq/xe
 *    = a half/quarter/eighth of it, o = 128 bits.
 */
#include "optab.h"

/* ---- row builders ------------------------------------------------------ */

#define X(nm, fl, vf, tup, es, ...) { .sel = SEL_LEAF, .flags = (fl), .vflags = (vf), \
	.tuple = (tup), .elsz = (es), .name = (nm), .ops = { __VA_ARGS__ } }

#define NP(a)            PFX(a, N, N, N)
#define BYW(...)         G(SEL_W, ROWS(2, __VA_ARGS__))
#define BYMOD(...)       G(SEL_MOD, ROWS(2, __VA_ARGS__))
#define BYREG(...)       G(SEL_REG, ROWS(8, __VA_ARGS__))
#define L256(a)          G(SEL_L, ROWS(4, N, a, a, N))   /* 256/512 only */
#define L512(a)          G(SEL_L, ROWS(4, N, N, a, N))   /* 512 only */

/* ---- vflags -------------------------------------------------------------- */

#define MZ    (V_MASK | V_ZERO)
#define MZB   (MZ | V_BCST)
#define MZBE  (MZB | V_ER)
#define MZBS  (MZB | V_SAE)
#define MZE   (MZ | V_ER)
#define MZS   (MZ | V_SAE)
#define MB    (V_MASK | V_BCST)          /* compares into a mask: no zeroing */
#define MBS   (MB | V_SAE)
#define B16   V_BCST16

/* ---- operands ------------------------------------------------------------ */

#define KM      OP(M_KMASK, Z_NONE, R)   /* the write mask, k0 included */
#define KMrw    OP(M_KMASK, Z_NONE, RW)  /* gathers/scatters clear it */
#define Vx(a)   OP(M_V, Z_X, a)
#define Vxh(a)  OP(M_V, Z_XH, a)
#define Vxq(a)  OP(M_V, Z_XQ, a)
#define Hx      OP(M_H, Z_X, R)
#define Hxw     OP(M_H, Z_X, W)          /* shift-by-immediate groups write vvvv */
#define Ho      OP(M_H, Z_O, R)
#define Wx      OP(M_W, Z_X, R)
#define Wqq     OP(M_W, Z_QQ, R)
#define Wxs(a)  OP(M_W, Z_X, a)          /* store destinations */
#define Wxhs(a) OP(M_W, Z_XH, a)
#define Wxqs(a) OP(M_W, Z_XQ, a)
#define Wxes(a) OP(M_W, Z_XE, a)
#define Wos(a)  OP(M_W, Z_O, a)
#define Wqqs(a) OP(M_W, Z_QQ, a)
#define Wqs(a)  OP(M_W, Z_Q, a)
#define Wds(a)  OP(M_W, Z_D, a)
#define Wws(a)  OP(M_W, Z_W, a)
#define Ux      OP(M_U, Z_X, R)
#define Uos(a)  OP(M_U, Z_O, a)
#define Mx      OP(M_M, Z_X, R)
#define Mxs(a)  OP(M_M, Z_X, a)
#define Mo      OP(M_M, Z_O, R)
#define Mqq     OP(M_M, Z_QQ, R)
#define Mq      OP(M_M, Z_Q, R)
#define Mqs(a)  OP(M_M, Z_Q, a)
#define Kg(a)   OP(M_KG, Z_NONE, a)
#define KR      OP(M_KR, Z_NONE, R)
#define Vsib(z) OP(M_VSIB, z, R)
#define Vsibw(z) OP(M_VSIB, z, W)
#define Ey(a)   OP(M_E, Z_Y, a)
#define Ed(a)   OP(M_E, Z_D, a)
#define Eq(a)   OP(M_E, Z_Q, a)
#define Ew(a)   OP(M_E, Z_W, a)
#define Eb(a)   OP(M_E, Z_B, a)
#define Gy(a)   OP(M_G, Z_Y, a)
#define Gd(a)   OP(M_G, Z_D, a)
#define Gq(a)   OP(M_G, Z_Q, a)

/* ---- common shapes ----------------------------------------------------- */

/* Vx{k}{z}, Hx, Wx and Vx{k}{z}, Wx (packed). */
#define P3(nm, fl, vf, tup, es)   X(nm, fl, vf, tup, es, Vx(W), KM, Hx, Wx)
#define P3RW(nm, fl, vf, tup, es) X(nm, fl, vf, tup, es, Vx(RW), KM, Hx, Wx)
#define P3I(nm, fl, vf, tup, es)  X(nm, fl, vf, tup, es, Vx(W), KM, Hx, Wx, Ib)
#define P2(nm, fl, vf, tup, es)   X(nm, fl, vf, tup, es, Vx(W), KM, Wx)
#define P2I(nm, fl, vf, tup, es)  X(nm, fl, vf, tup, es, Vx(W), KM, Wx, Ib)
/* Compares and tests into a mask register. */
#define PK(nm, fl, vf, tup, es)   X(nm, fl, vf, tup, es, Kg(W), KM, Hx, Wx)
#define PKI(nm, fl, vf, tup, es)  X(nm, fl, vf, tup, es, Kg(W), KM, Hx, Wx, Ib)
/* Scalar: Vo{k}{z}, Ho, W<elem>. */
#define S3(nm, fl, vf, es, wm)    X(nm, fl, vf, T_T1S, es, Vo(W), KM, Ho, wm)
#define S3RW(nm, fl, vf, es, wm)  X(nm, fl, vf, T_T1S, es, Vo(RW), KM, Ho, wm)
#define S3I(nm, fl, vf, es, wm)   X(nm, fl, vf, T_T1S, es, Vo(W), KM, Ho, wm, Ib)

/* ps (W0) / pd (W1) pairs, e.g. vaddps/vaddpd are 58 NP/66; FMA rows are W0/W1. */
#define PSPD3(ps, pd, vf)   P3(ps, F_W0, vf, T_FV, 0), P3(pd, F_W1, vf, T_FV, 0)
#define SSSD3(ss, sd, vf)   S3(ss, F_W0, vf, 4, Wd), S3(sd, F_W1, vf, 8, Wq)
/* The usual 66-only integer row: dword W0 / qword W1 with broadcast. */
#define DQ3(d, q)    P66(BYW(P3(d, F_W0, MZB, T_FV, 0), P3(q, F_W1, MZB, T_FV, 0)))
#define DQ3RW(d, q)  P66(BYW(P3RW(d, F_W0, MZB, T_FV, 0), P3RW(q, F_W1, MZB, T_FV, 0)))
#define DQ2(d, q)    P66(BYW(P2(d, F_W0, MZB, T_FV, 0), P2(q, F_W1, MZB, T_FV, 0)))
/* Byte/word rows: W ignored, no broadcast. */
#define BW3(nm)      P66(P3(nm, 0, MZ, T_FVM, 0))
#define BW2(nm)      P66(P2(nm, 0, MZ, T_FVM, 0))
/* byte W0 / word W1 (AVX512_VBMI, BITALG, ...). */
#define BW3W(b, w)   P66(BYW(P3(b, F_W0, MZ, T_FVM, 0), P3(w, F_W1, MZ, T_FVM, 0)))
#define BW3WRW(b, w) P66(BYW(P3RW(b, F_W0, MZ, T_FVM, 0), P3RW(w, F_W1, MZ, T_FVM, 0)))
/* FMA: packed ps/pd (66, W0/W1) and scalar ss/sd. */
#define FMAP(ps, pd) P66(BYW(P3RW(ps, F_W0, MZBE, T_FV, 0), P3RW(pd, F_W1, MZBE, T_FV, 0)))
#define FMAS(ss, sd) P66(BYW(S3RW(ss, F_W0, MZE, 4, Wd), S3RW(sd, F_W1, MZE, 8, Wq)))
/* FP16 FMA (map 6, 66 W0) with the BF16 form at NP W0. */
#define FMAPH(ph, bf) PFX(P3RW(bf, F_W0, MZB | B16, T_FV, 2), \
			  P3RW(ph, F_W0, MZBE | B16, T_FV, 2), N, N)
#define FMASH(sh)     P66(S3RW(sh, F_W0, MZE, 2, Ww))

/* Down-converting moves (F3 0F38 10-15, 20-25, 30-35): rm = narrow destination. */
#define PMOVDN(nm, tup, dst) X(nm, F_W0, MZ, tup, 0, dst(W), KM, Vx(R))
/* Sign/zero extension loads (66 0F38 20-25, 30-35). */
#define PMOVX(nm, fl, tup, src) X(nm, fl, MZ, tup, 0, Vx(W), KM, src)

/* ---- APX general-purpose rows ------------------------------------------- */

#define By(a)   OP(M_B, Z_Y, a)
#define GPR3(nm, fl, ...)  X(nm, F_L0 | (fl), 0, T_NONE, 0, __VA_ARGS__)
#define CMPXADD(cc)  P66(GPR3("cmp" cc "xadd", 0, My(RW), Gy(RW), By(R)))

/* KMOVB/W/D/Q (map 1 90-93). */
#define KMOV(nm, fl, ...)  X(nm, F_L0 | (fl), 0, T_NONE, 0, __VA_ARGS__)
#define KE(z)   OP(M_KE, z, R)
#define KMs(z)  OP(M_M, z, W)

/* AMX tile load/store (map 2 49/4A/4B): tmm0-7 in ModRM.reg, SIB required. */
#define TG(a)    OP(M_TG, Z_NONE, a)
#define TMEM(a)  OP(M_M, Z_NONE, a)
#define AMX(nm, ...) X(nm, F_L0 | F_W0, 0, T_NONE, 0, __VA_ARGS__)

/* ========================================================================== */
/* Map 1 (0F)                                                                 */
/* ========================================================================== */

const struct x86_opcode_row x86_evex_map1[256] = {
	[0x10] = PFX(P2("vmovups", F_W0, MZ, T_FVM, 0), P2("vmovupd", F_W1, MZ, T_FVM, 0),
		     BYMOD(X("vmovss", F_W0, MZ, T_T1S, 4, Vo(W), KM, Wd),
			   X("vmovss", F_W0, MZ, T_T1S, 4, Vo(W), KM, Ho, Uo)),
		     BYMOD(X("vmovsd", F_W1, MZ, T_T1S, 8, Vo(W), KM, Wq),
			   X("vmovsd", F_W1, MZ, T_T1S, 8, Vo(W), KM, Ho, Uo))),
	[0x11] = PFX(X("vmovups", F_W0, MZ, T_FVM, 0, Wxs(W), KM, Vx(R)),
		     X("vmovupd", F_W1, MZ, T_FVM, 0, Wxs(W), KM, Vx(R)),
		     BYMOD(X("vmovss", F_W0, MZ, T_T1S, 4, Wds(W), KM, Vo(R)),
			   X("vmovss", F_W0, MZ, T_T1S, 4, Uos(W), KM, Ho, Vo(R))),
		     BYMOD(X("vmovsd", F_W1, MZ, T_T1S, 8, Wqs(W), KM, Vo(R)),
			   X("vmovsd", F_W1, MZ, T_T1S, 8, Uos(W), KM, Ho, Vo(R)))),
	[0x12] = PFX(BYMOD(X("vmovlps", F_W0 | F_L0, 0, T_T2, 4, Vo(W), Ho, Mq),
			   X("vmovhlps", F_W0 | F_L0, 0, T_NONE, 0, Vo(W), Ho, Uo)),
		     X("vmovlpd", F_W1 | F_L0, 0, T_T1S, 8, Vo(W), Ho, Mq),
		     P2("vmovsldup", F_W0, MZ, T_FVM, 0),
		     P2("vmovddup", F_W1, MZ, T_DUP, 0)),
	[0x13] = PFX(X("vmovlps", F_W0 | F_L0, 0, T_T2, 4, Mqs(W), Vo(R)),
		     X("vmovlpd", F_W1 | F_L0, 0, T_T1S, 8, Mqs(W), Vo(R)), N, N),
	[0x14] = PFX(P3("vunpcklps", F_W0, MZB, T_FV, 0), P3("vunpcklpd", F_W1, MZB, T_FV, 0), N, N),
	[0x15] = PFX(P3("vunpckhps", F_W0, MZB, T_FV, 0), P3("vunpckhpd", F_W1, MZB, T_FV, 0), N, N),
	[0x16] = PFX(BYMOD(X("vmovhps", F_W0 | F_L0, 0, T_T2, 4, Vo(W), Ho, Mq),
			   X("vmovlhps", F_W0 | F_L0, 0, T_NONE, 0, Vo(W), Ho, Uo)),
		     X("vmovhpd", F_W1 | F_L0, 0, T_T1S, 8, Vo(W), Ho, Mq),
		     P2("vmovshdup", F_W0, MZ, T_FVM, 0), N),
	[0x17] = PFX(X("vmovhps", F_W0 | F_L0, 0, T_T2, 4, Mqs(W), Vo(R)),
		     X("vmovhpd", F_W1 | F_L0, 0, T_T1S, 8, Mqs(W), Vo(R)), N, N),
	[0x28] = PFX(P2("vmovaps", F_W0, MZ, T_FVM, 0), P2("vmovapd", F_W1, MZ, T_FVM, 0), N, N),
	[0x29] = PFX(X("vmovaps", F_W0, MZ, T_FVM, 0, Wxs(W), KM, Vx(R)),
		     X("vmovapd", F_W1, MZ, T_FVM, 0, Wxs(W), KM, Vx(R)), N, N),
	[0x2a] = PFX(N, N,
		     BYW(X("vcvtsi2ss", 0, V_ER, T_T1S, 4, Vo(W), Ho, Ed(R)),
			 X("vcvtsi2ss", 0, V_ER, T_T1S, 8, Vo(W), Ho, Eq(R))),
		     BYW(X("vcvtsi2sd", 0, 0, T_T1S, 4, Vo(W), Ho, Ed(R)),
			 X("vcvtsi2sd", 0, V_ER, T_T1S, 8, Vo(W), Ho, Eq(R)))),
	[0x2b] = PFX(X("vmovntps", F_W0, 0, T_FVM, 0, Mxs(W), Vx(R)),
		     X("vmovntpd", F_W1, 0, T_FVM, 0, Mxs(W), Vx(R)), N, N),
	[0x2c] = PFX(N, N, X("vcvttss2si", 0, V_SAE, T_T1F, 4, Gy(W), Wd),
		     X("vcvttsd2si", 0, V_SAE, T_T1F, 8, Gy(W), Wq)),
	[0x2d] = PFX(N, N, X("vcvtss2si", 0, V_ER, T_T1F, 4, Gy(W), Wd),
		     X("vcvtsd2si", 0, V_ER, T_T1F, 8, Gy(W), Wq)),
	[0x2e] = PFX(X("vucomiss", F_W0, V_SAE, T_T1S, 4, Vo(R), Wd),
		     X("vucomisd", F_W1, V_SAE, T_T1S, 8, Vo(R), Wq),
		     X("vucomxss", F_W0, V_SAE, T_T1S, 4, Vo(R), Wd),
		     X("vucomxsd", F_W1, V_SAE, T_T1S, 8, Vo(R), Wq)),
	[0x2f] = PFX(X("vcomiss", F_W0, V_SAE, T_T1S, 4, Vo(R), Wd),
		     X("vcomisd", F_W1, V_SAE, T_T1S, 8, Vo(R), Wq),
		     X("vcomxss", F_W0, V_SAE, T_T1S, 4, Vo(R), Wd),
		     X("vcomxsd", F_W1, V_SAE, T_T1S, 8, Vo(R), Wq)),
	[0x51] = PFX(P2("vsqrtps", F_W0, MZBE, T_FV, 0), P2("vsqrtpd", F_W1, MZBE, T_FV, 0),
		     S3("vsqrtss", F_W0, MZE, 4, Wd), S3("vsqrtsd", F_W1, MZE, 8, Wq)),
	[0x54] = PFX(P3("vandps", F_W0, MZB, T_FV, 0), P3("vandpd", F_W1, MZB, T_FV, 0), N, N),
	[0x55] = PFX(P3("vandnps", F_W0, MZB, T_FV, 0), P3("vandnpd", F_W1, MZB, T_FV, 0), N, N),
	[0x56] = PFX(P3("vorps", F_W0, MZB, T_FV, 0), P3("vorpd", F_W1, MZB, T_FV, 0), N, N),
	[0x57] = PFX(P3("vxorps", F_W0, MZB, T_FV, 0), P3("vxorpd", F_W1, MZB, T_FV, 0), N, N),
	[0x58] = PFX(PSPD3("vaddps", "vaddpd", MZBE), SSSD3("vaddss", "vaddsd", MZE)),
	[0x59] = PFX(PSPD3("vmulps", "vmulpd", MZBE), SSSD3("vmulss", "vmulsd", MZE)),
	[0x5a] = PFX(X("vcvtps2pd", F_W0, MZBS, T_HV, 4, Vx(W), KM, Wxh),
		     X("vcvtpd2ps", F_W1, MZBE, T_FV, 0, Vxh(W), KM, Wx),
		     S3("vcvtss2sd", F_W0, MZS, 4, Wd), S3("vcvtsd2ss", F_W1, MZE, 8, Wq)),
	[0x5b] = PFX(BYW(P2("vcvtdq2ps", 0, MZBE, T_FV, 0),
			 X("vcvtqq2ps", 0, MZBE, T_FV, 0, Vxh(W), KM, Wx)),
		     P2("vcvtps2dq", F_W0, MZBE, T_FV, 0),
		     P2("vcvttps2dq", F_W0, MZBS, T_FV, 0), N),
	[0x5c] = PFX(PSPD3("vsubps", "vsubpd", MZBE), SSSD3("vsubss", "vsubsd", MZE)),
	[0x5d] = PFX(PSPD3("vminps", "vminpd", MZBS), SSSD3("vminss", "vminsd", MZS)),
	[0x5e] = PFX(PSPD3("vdivps", "vdivpd", MZBE), SSSD3("vdivss", "vdivsd", MZE)),
	[0x5f] = PFX(PSPD3("vmaxps", "vmaxpd", MZBS), SSSD3("vmaxss", "vmaxsd", MZS)),
	[0x60] = BW3("vpunpcklbw"),
	[0x61] = BW3("vpunpcklwd"),
	[0x62] = P66(P3("vpunpckldq", F_W0, MZB, T_FV, 0)),
	[0x63] = BW3("vpacksswb"),
	[0x64] = P66(PK("vpcmpgtb", 0, V_MASK, T_FVM, 0)),
	[0x65] = P66(PK("vpcmpgtw", 0, V_MASK, T_FVM, 0)),
	[0x66] = P66(PK("vpcmpgtd", F_W0, MB, T_FV, 0)),
	[0x67] = BW3("vpackuswb"),
	[0x68] = BW3("vpunpckhbw"),
	[0x69] = BW3("vpunpckhwd"),
	[0x6a] = P66(P3("vpunpckhdq", F_W0, MZB, T_FV, 0)),
	[0x6b] = P66(P3("vpackssdw", F_W0, MZB, T_FV, 4)),
	[0x6c] = P66(P3("vpunpcklqdq", F_W1, MZB, T_FV, 0)),
	[0x6d] = P66(P3("vpunpckhqdq", F_W1, MZB, T_FV, 0)),
	[0x6e] = P66(BYW(X("vmovd", F_L0, 0, T_T1S, 4, Vo(W), Ed(R)),
			 X("vmovq", F_L0, 0, T_T1S, 8, Vo(W), Eq(R)))),
	[0x6f] = PFX(N, BYW(P2("vmovdqa32", 0, MZ, T_FVM, 0), P2("vmovdqa64", 0, MZ, T_FVM, 0)),
		     BYW(P2("vmovdqu32", 0, MZ, T_FVM, 0), P2("vmovdqu64", 0, MZ, T_FVM, 0)),
		     BYW(P2("vmovdqu8", 0, MZ, T_FVM, 0), P2("vmovdqu16", 0, MZ, T_FVM, 0))),
	[0x70] = PFX(N, P2I("vpshufd", F_W0, MZB, T_FV, 0),
		     P2I("vpshufhw", 0, MZ, T_FVM, 0), P2I("vpshuflw", 0, MZ, T_FVM, 0)),
	[0x71] = P66(BYREG(N, N,
			   X("vpsrlw", 0, MZ, T_FVM, 0, Hxw, KM, Wx, Ib), N,
			   X("vpsraw", 0, MZ, T_FVM, 0, Hxw, KM, Wx, Ib), N,
			   X("vpsllw", 0, MZ, T_FVM, 0, Hxw, KM, Wx, Ib), N)),
	[0x72] = P66(BYREG(BYW(X("vprord", 0, MZB, T_FV, 0, Hxw, KM, Wx, Ib),
			       X("vprorq", 0, MZB, T_FV, 0, Hxw, KM, Wx, Ib)),
			   BYW(X("vprold", 0, MZB, T_FV, 0, Hxw, KM, Wx, Ib),
			       X("vprolq", 0, MZB, T_FV, 0, Hxw, KM, Wx, Ib)),
			   X("vpsrld", F_W0, MZB, T_FV, 0, Hxw, KM, Wx, Ib), N,
			   BYW(X("vpsrad", 0, MZB, T_FV, 0, Hxw, KM, Wx, Ib),
			       X("vpsraq", 0, MZB, T_FV, 0, Hxw, KM, Wx, Ib)), N,
			   X("vpslld", F_W0, MZB, T_FV, 0, Hxw, KM, Wx, Ib), N)),
	[0x73] = P66(BYREG(N, N,
			   X("vpsrlq", F_W1, MZB, T_FV, 0, Hxw, KM, Wx, Ib),
			   X("vpsrldq", 0, 0, T_FVM, 0, Hxw, Wx, Ib), N, N,
			   X("vpsllq", F_W1, MZB, T_FV, 0, Hxw, KM, Wx, Ib),
			   X("vpslldq", 0, 0, T_FVM, 0, Hxw, Wx, Ib))),
	[0x74] = P66(PK("vpcmpeqb", 0, V_MASK, T_FVM, 0)),
	[0x75] = P66(PK("vpcmpeqw", 0, V_MASK, T_FVM, 0)),
	[0x76] = P66(PK("vpcmpeqd", F_W0, MB, T_FV, 0)),
	[0x78] = PFX(BYW(P2("vcvttps2udq", 0, MZBS, T_FV, 0),
			 X("vcvttpd2udq", 0, MZBS, T_FV, 0, Vxh(W), KM, Wx)),
		     BYW(X("vcvttps2uqq", 0, MZBS, T_HV, 4, Vx(W), KM, Wxh),
			 P2("vcvttpd2uqq", 0, MZBS, T_FV, 0)),
		     X("vcvttss2usi", 0, V_SAE, T_T1F, 4, Gy(W), Wd),
		     X("vcvttsd2usi", 0, V_SAE, T_T1F, 8, Gy(W), Wq)),
	[0x79] = PFX(BYW(P2("vcvtps2udq", 0, MZBE, T_FV, 0),
			 X("vcvtpd2udq", 0, MZBE, T_FV, 0, Vxh(W), KM, Wx)),
		     BYW(X("vcvtps2uqq", 0, MZBE, T_HV, 4, Vx(W), KM, Wxh),
			 P2("vcvtpd2uqq", 0, MZBE, T_FV, 0)),
		     X("vcvtss2usi", 0, V_ER, T_T1F, 4, Gy(W), Wd),
		     X("vcvtsd2usi", 0, V_ER, T_T1F, 8, Gy(W), Wq)),
	[0x7a] = PFX(N,
		     BYW(X("vcvttps2qq", 0, MZBS, T_HV, 4, Vx(W), KM, Wxh),
			 P2("vcvttpd2qq", 0, MZBS, T_FV, 0)),
		     BYW(X("vcvtudq2pd", 0, MZB, T_HV, 4, Vx(W), KM, Wxh),
			 P2("vcvtuqq2pd", 0, MZBE, T_FV, 0)),
		     BYW(P2("vcvtudq2ps", 0, MZBE, T_FV, 0),
			 X("vcvtuqq2ps", 0, MZBE, T_FV, 0, Vxh(W), KM, Wx))),
	[0x7b] = PFX(N,
		     BYW(X("vcvtps2qq", 0, MZBE, T_HV, 4, Vx(W), KM, Wxh),
			 P2("vcvtpd2qq", 0, MZBE, T_FV, 0)),
		     BYW(X("vcvtusi2ss", 0, V_ER, T_T1S, 4, Vo(W), Ho, Ed(R)),
			 X("vcvtusi2ss", 0, V_ER, T_T1S, 8, Vo(W), Ho, Eq(R))),
		     BYW(X("vcvtusi2sd", 0, 0, T_T1S, 4, Vo(W), Ho, Ed(R)),
			 X("vcvtusi2sd", 0, V_ER, T_T1S, 8, Vo(W), Ho, Eq(R)))),
	[0x7e] = PFX(N,
		     BYW(X("vmovd", F_L0, 0, T_T1S, 4, Ed(W), Vo(R)),
			 X("vmovq", F_L0, 0, T_T1S, 8, Eq(W), Vo(R))),
		     BYW(X("vmovd", F_L0, 0, T_T1S, 4, Vo(W), Wd),
			 X("vmovq", F_L0, 0, T_T1S, 8, Vo(W), Wq)), N),
	[0x7f] = PFX(N,
		     BYW(X("vmovdqa32", 0, MZ, T_FVM, 0, Wxs(W), KM, Vx(R)),
			 X("vmovdqa64", 0, MZ, T_FVM, 0, Wxs(W), KM, Vx(R))),
		     BYW(X("vmovdqu32", 0, MZ, T_FVM, 0, Wxs(W), KM, Vx(R)),
			 X("vmovdqu64", 0, MZ, T_FVM, 0, Wxs(W), KM, Vx(R))),
		     BYW(X("vmovdqu8", 0, MZ, T_FVM, 0, Wxs(W), KM, Vx(R)),
			 X("vmovdqu16", 0, MZ, T_FVM, 0, Wxs(W), KM, Vx(R)))),
	/* KMOV: 90 k <- k/m, 91 m <- k, 92 k <- r32/r64, 93 r32/r64 <- k. */
	[0x90] = PFX(BYW(KMOV("kmovw", 0, Kg(W), KE(Z_W)), KMOV("kmovq", 0, Kg(W), KE(Z_Q))),
		     BYW(KMOV("kmovb", 0, Kg(W), KE(Z_B)), KMOV("kmovd", 0, Kg(W), KE(Z_D))),
		     N, N),
	[0x91] = PFX(BYW(KMOV("kmovw", 0, KMs(Z_W), Kg(R)), KMOV("kmovq", 0, KMs(Z_Q), Kg(R))),
		     BYW(KMOV("kmovb", 0, KMs(Z_B), Kg(R)), KMOV("kmovd", 0, KMs(Z_D), Kg(R))),
		     N, N),
	[0x92] = PFX(KMOV("kmovw", F_W0, Kg(W), Rd(R)), KMOV("kmovb", F_W0, Kg(W), Rd(R)), N,
		     BYW(KMOV("kmovd", 0, Kg(W), Rd(R)), KMOV("kmovq", 0, Kg(W), Rq(R)))),
	[0x93] = PFX(KMOV("kmovw", F_W0, Gd(W), KR), KMOV("kmovb", F_W0, Gd(W), KR), N,
		     BYW(KMOV("kmovd", 0, Gd(W), KR), KMOV("kmovq", 0, Gq(W), KR))),
	[0xc2] = PFX(PKI("vcmpps", F_W0, MBS, T_FV, 0), PKI("vcmppd", F_W1, MBS, T_FV, 0),
		     X("vcmpss", F_W0, V_MASK | V_SAE, T_T1S, 4, Kg(W), KM, Ho, Wd, Ib),
		     X("vcmpsd", F_W1, V_MASK | V_SAE, T_T1S, 8, Kg(W), KM, Ho, Wq, Ib)),
	[0xc4] = P66(BYMOD(X("vpinsrw", F_L0, 0, T_T1S, 2, Vo(W), Ho, Ew(R), Ib),
			   X("vpinsrw", F_L0, 0, T_T1S, 2, Vo(W), Ho, Rd(R), Ib))),
	[0xc5] = P66(X("vpextrw_c5", F_L0, 0, T_NONE, 0, Gd(W), Uo, Ib)),
	[0xc6] = PFX(P3I("vshufps", F_W0, MZB, T_FV, 0), P3I("vshufpd", F_W1, MZB, T_FV, 0), N, N),
	[0xd1] = P66(X("vpsrlw", 0, MZ, T_M128, 0, Vx(W), KM, Hx, Wo)),
	[0xd2] = P66(X("vpsrld", F_W0, MZ, T_M128, 0, Vx(W), KM, Hx, Wo)),
	[0xd3] = P66(X("vpsrlq", F_W1, MZ, T_M128, 0, Vx(W), KM, Hx, Wo)),
	[0xd4] = P66(P3("vpaddq", F_W1, MZB, T_FV, 0)),
	[0xd5] = BW3("vpmullw"),
	[0xd6] = P66(BYW(X("vmovd", F_L0, 0, T_T1S, 4, Wds(W), Vo(R)),
			 X("vmovq", F_L0, 0, T_T1S, 8, Wqs(W), Vo(R)))),
	[0xd8] = BW3("vpsubusb"),
	[0xd9] = BW3("vpsubusw"),
	[0xda] = BW3("vpminub"),
	[0xdb] = DQ3("vpandd", "vpandq"),
	[0xdc] = BW3("vpaddusb"),
	[0xdd] = BW3("vpaddusw"),
	[0xde] = BW3("vpmaxub"),
	[0xdf] = DQ3("vpandnd", "vpandnq"),
	[0xe0] = BW3("vpavgb"),
	[0xe1] = P66(X("vpsraw", 0, MZ, T_M128, 0, Vx(W), KM, Hx, Wo)),
	[0xe2] = P66(BYW(X("vpsrad", 0, MZ, T_M128, 0, Vx(W), KM, Hx, Wo),
			 X("vpsraq", 0, MZ, T_M128, 0, Vx(W), KM, Hx, Wo))),
	[0xe3] = BW3("vpavgw"),
	[0xe4] = BW3("vpmulhuw"),
	[0xe5] = BW3("vpmulhw"),
	[0xe6] = PFX(N, X("vcvttpd2dq", F_W1, MZBS, T_FV, 0, Vxh(W), KM, Wx),
		     BYW(X("vcvtdq2pd", 0, MZB, T_HV, 4, Vx(W), KM, Wxh),
			 P2("vcvtqq2pd", 0, MZBE, T_FV, 0)),
		     X("vcvtpd2dq", F_W1, MZBE, T_FV, 0, Vxh(W), KM, Wx)),
	[0xe7] = P66(X("vmovntdq", F_W0, 0, T_FVM, 0, Mxs(W), Vx(R))),
	[0xe8] = BW3("vpsubsb"),
	[0xe9] = BW3("vpsubsw"),
	[0xea] = BW3("vpminsw"),
	[0xeb] = DQ3("vpord", "vporq"),
	[0xec] = BW3("vpaddsb"),
	[0xed] = BW3("vpaddsw"),
	[0xee] = BW3("vpmaxsw"),
	[0xef] = DQ3("vpxord", "vpxorq"),
	[0xf1] = P66(X("vpsllw", 0, MZ, T_M128, 0, Vx(W), KM, Hx, Wo)),
	[0xf2] = P66(X("vpslld", F_W0, MZ, T_M128, 0, Vx(W), KM, Hx, Wo)),
	[0xf3] = P66(X("vpsllq", F_W1, MZ, T_M128, 0, Vx(W), KM, Hx, Wo)),
	[0xf4] = P66(P3("vpmuludq", F_W1, MZB, T_FV, 0)),
	[0xf5] = BW3("vpmaddwd"),
	[0xf6] = P66(X("vpsadbw", 0, 0, T_FVM, 0, Vx(W), Hx, Wx)),
	[0xf8] = BW3("vpsubb"),
	[0xf9] = BW3("vpsubw"),
	[0xfa] = P66(P3("vpsubd", F_W0, MZB, T_FV, 0)),
	[0xfb] = P66(P3("vpsubq", F_W1, MZB, T_FV, 0)),
	[0xfc] = BW3("vpaddb"),
	[0xfd] = BW3("vpaddw"),
	[0xfe] = P66(P3("vpaddd", F_W0, MZB, T_FV, 0)),
};

/* ========================================================================== */
/* Map 2 (0F 38)                                                              */
/* ========================================================================== */

/* Gathers (66 90-93) and scatters (66 A0-A3): mask required, no zeroing. */
#define GATHER(nm, fl, dst, idx, es) \
	X(nm, fl, V_MASK | V_MASK_REQ, T_T1S, es, dst(RW), KMrw, Vsib(idx))
#define SCATTER(nm, fl, src, idx, es) \
	X(nm, fl, V_MASK | V_MASK_REQ, T_T1S, es, Vsibw(idx), KMrw, src(R))

const struct x86_opcode_row x86_evex_map2[256] = {
	[0x00] = BW3("vpshufb"),
	[0x04] = BW3("vpmaddubsw"),
	[0x0b] = BW3("vpmulhrsw"),
	[0x0c] = P66(P3("vpermilps", F_W0, MZB, T_FV, 0)),
	[0x0d] = P66(P3("vpermilpd", F_W1, MZB, T_FV, 0)),
	[0x10] = PFX(N, P3("vpsrlvw", F_W1, MZ, T_FVM, 0), PMOVDN("vpmovuswb", T_HVM, Wxhs), N),
	[0x11] = PFX(N, P3("vpsravw", F_W1, MZ, T_FVM, 0), PMOVDN("vpmovusdb", T_QVM, Wxqs), N),
	[0x12] = PFX(N, P3("vpsllvw", F_W1, MZ, T_FVM, 0), PMOVDN("vpmovusqb", T_OVM, Wxes), N),
	[0x13] = PFX(N, X("vcvtph2ps", F_W0, MZS, T_HVM, 0, Vx(W), KM, Wxh),
		     PMOVDN("vpmovusdw", T_HVM, Wxhs), N),
	[0x14] = PFX(N, BYW(P3("vprorvd", 0, MZB, T_FV, 0), P3("vprorvq", 0, MZB, T_FV, 0)),
		     PMOVDN("vpmovusqw", T_QVM, Wxqs), N),
	[0x15] = PFX(N, BYW(P3("vprolvd", 0, MZB, T_FV, 0), P3("vprolvq", 0, MZB, T_FV, 0)),
		     PMOVDN("vpmovusqd", T_HVM, Wxhs), N),
	[0x16] = P66(L256(BYW(P3("vpermps", 0, MZB, T_FV, 0), P3("vpermpd", 0, MZB, T_FV, 0)))),
	[0x18] = P66(X("vbroadcastss", F_W0, MZ, T_T1S, 4, Vx(W), KM, Wd)),
	[0x19] = P66(L256(BYW(X("vbroadcastf32x2", 0, MZ, T_T2, 4, Vx(W), KM, Wq),
			      X("vbroadcastsd", 0, MZ, T_T1S, 8, Vx(W), KM, Wq)))),
	[0x1a] = P66(L256(BYW(X("vbroadcastf32x4", 0, MZ, T_T4, 4, Vx(W), KM, Mo),
			      X("vbroadcastf64x2", 0, MZ, T_T2, 8, Vx(W), KM, Mo)))),
	[0x1b] = P66(L512(BYW(X("vbroadcastf32x8", 0, MZ, T_T8, 4, Vx(W), KM, Mqq),
			      X("vbroadcastf64x4", 0, MZ, T_T4, 8, Vx(W), KM, Mqq)))),
	[0x1c] = BW2("vpabsb"),
	[0x1d] = BW2("vpabsw"),
	[0x1e] = P66(P2("vpabsd", F_W0, MZB, T_FV, 0)),
	[0x1f] = P66(P2("vpabsq", F_W1, MZB, T_FV, 0)),
	[0x20] = PFX(N, PMOVX("vpmovsxbw", 0, T_HVM, Wxh), PMOVDN("vpmovswb", T_HVM, Wxhs), N),
	[0x21] = PFX(N, PMOVX("vpmovsxbd", 0, T_QVM, Wxq), PMOVDN("vpmovsdb", T_QVM, Wxqs), N),
	[0x22] = PFX(N, PMOVX("vpmovsxbq", 0, T_OVM, Wxe), PMOVDN("vpmovsqb", T_OVM, Wxes), N),
	[0x23] = PFX(N, PMOVX("vpmovsxwd", 0, T_HVM, Wxh), PMOVDN("vpmovsdw", T_HVM, Wxhs), N),
	[0x24] = PFX(N, PMOVX("vpmovsxwq", 0, T_QVM, Wxq), PMOVDN("vpmovsqw", T_QVM, Wxqs), N),
	[0x25] = PFX(N, PMOVX("vpmovsxdq", F_W0, T_HVM, Wxh), PMOVDN("vpmovsqd", T_HVM, Wxhs), N),
	[0x26] = PFX(N, BYW(PK("vptestmb", 0, V_MASK, T_FVM, 0), PK("vptestmw", 0, V_MASK, T_FVM, 0)),
		     BYW(PK("vptestnmb", 0, V_MASK, T_FVM, 0), PK("vptestnmw", 0, V_MASK, T_FVM, 0)),
		     N),
	[0x27] = PFX(N, BYW(PK("vptestmd", 0, MB, T_FV, 0), PK("vptestmq", 0, MB, T_FV, 0)),
		     BYW(PK("vptestnmd", 0, MB, T_FV, 0), PK("vptestnmq", 0, MB, T_FV, 0)), N),
	[0x28] = PFX(N, P3("vpmuldq", F_W1, MZB, T_FV, 0),
		     BYW(X("vpmovm2b", 0, 0, T_NONE, 0, Vx(W), KR),
			 X("vpmovm2w", 0, 0, T_NONE, 0, Vx(W), KR)), N),
	[0x29] = PFX(N, PK("vpcmpeqq", F_W1, MB, T_FV, 0),
		     BYW(X("vpmovb2m", 0, 0, T_NONE, 0, Kg(W), Ux),
			 X("vpmovw2m", 0, 0, T_NONE, 0, Kg(W), Ux)), N),
	[0x2a] = PFX(N, X("vmovntdqa", F_W0, 0, T_FVM, 0, Vx(W), Mx),
		     X("vpbroadcastmb2q", F_W1, 0, T_NONE, 0, Vx(W), KR), N),
	[0x2b] = P66(P3("vpackusdw", F_W0, MZB, T_FV, 4)),
	[0x2c] = P66(BYW(P3("vscalefps", 0, MZBE, T_FV, 0), P3("vscalefpd", 0, MZBE, T_FV, 0))),
	[0x2d] = P66(BYW(S3("vscalefss", 0, MZE, 4, Wd), S3("vscalefsd", 0, MZE, 8, Wq))),
	[0x30] = PFX(N, PMOVX("vpmovzxbw", 0, T_HVM, Wxh), PMOVDN("vpmovwb", T_HVM, Wxhs), N),
	[0x31] = PFX(N, PMOVX("vpmovzxbd", 0, T_QVM, Wxq), PMOVDN("vpmovdb", T_QVM, Wxqs), N),
	[0x32] = PFX(N, PMOVX("vpmovzxbq", 0, T_OVM, Wxe), PMOVDN("vpmovqb", T_OVM, Wxes), N),
	[0x33] = PFX(N, PMOVX("vpmovzxwd", 0, T_HVM, Wxh), PMOVDN("vpmovdw", T_HVM, Wxhs), N),
	[0x34] = PFX(N, PMOVX("vpmovzxwq", 0, T_QVM, Wxq), PMOVDN("vpmovqw", T_QVM, Wxqs), N),
	[0x35] = PFX(N, PMOVX("vpmovzxdq", F_W0, T_HVM, Wxh), PMOVDN("vpmovqd", T_HVM, Wxhs), N),
	[0x36] = P66(L256(BYW(P3("vpermd", 0, MZB, T_FV, 0), P3("vpermq", 0, MZB, T_FV, 0)))),
	[0x37] = P66(PK("vpcmpgtq", F_W1, MB, T_FV, 0)),
	[0x38] = PFX(N, P3("vpminsb", 0, MZ, T_FVM, 0),
		     BYW(X("vpmovm2d", 0, 0, T_NONE, 0, Vx(W), KR),
			 X("vpmovm2q", 0, 0, T_NONE, 0, Vx(W), KR)), N),
	[0x39] = PFX(N, BYW(P3("vpminsd", 0, MZB, T_FV, 0), P3("vpminsq", 0, MZB, T_FV, 0)),
		     BYW(X("vpmovd2m", 0, 0, T_NONE, 0, Kg(W), Ux),
			 X("vpmovq2m", 0, 0, T_NONE, 0, Kg(W), Ux)), N),
	[0x3a] = PFX(N, P3("vpminuw", 0, MZ, T_FVM, 0),
		     X("vpbroadcastmw2d", F_W0, 0, T_NONE, 0, Vx(W), KR), N),
	[0x3b] = DQ3("vpminud", "vpminuq"),
	[0x3c] = BW3("vpmaxsb"),
	[0x3d] = DQ3("vpmaxsd", "vpmaxsq"),
	[0x3e] = BW3("vpmaxuw"),
	[0x3f] = DQ3("vpmaxud", "vpmaxuq"),
	[0x40] = DQ3("vpmulld", "vpmullq"),
	[0x42] = P66(BYW(P2("vgetexpps", 0, MZBS, T_FV, 0), P2("vgetexppd", 0, MZBS, T_FV, 0))),
	[0x43] = P66(BYW(S3("vgetexpss", 0, MZS, 4, Wd), S3("vgetexpsd", 0, MZS, 8, Wq))),
	[0x44] = DQ2("vplzcntd", "vplzcntq"),
	[0x45] = DQ3("vpsrlvd", "vpsrlvq"),
	[0x46] = DQ3("vpsravd", "vpsravq"),
	[0x47] = DQ3("vpsllvd", "vpsllvq"),
	/* AMX (APX EVEX forms). */
	[0x49] = PFX(BYREG(AMX("ldtilecfg", OP(M_M, Z_ZZ, R)), N, N, N, N, N, N, N),
		     BYREG(AMX("sttilecfg", OP(M_M, Z_ZZ, W)), N, N, N, N, N, N, N), N, N),
	[0x4a] = PFX(N, AMX("tileloaddrst1", TG(W), TMEM(R)), N,
		     AMX("tileloaddrs", TG(W), TMEM(R))),
	[0x4b] = PFX(N, AMX("tileloaddt1", TG(W), TMEM(R)), AMX("tilestored", TMEM(W), TG(R)),
		     AMX("tileloadd", TG(W), TMEM(R))),
	[0x4c] = P66(BYW(P2("vrcp14ps", 0, MZB, T_FV, 0), P2("vrcp14pd", 0, MZB, T_FV, 0))),
	[0x4d] = P66(BYW(S3("vrcp14ss", 0, MZ, 4, Wd), S3("vrcp14sd", 0, MZ, 8, Wq))),
	[0x4e] = P66(BYW(P2("vrsqrt14ps", 0, MZB, T_FV, 0), P2("vrsqrt14pd", 0, MZB, T_FV, 0))),
	[0x4f] = P66(BYW(S3("vrsqrt14ss", 0, MZ, 4, Wd), S3("vrsqrt14sd", 0, MZ, 8, Wq))),
	[0x50] = PFX(P3RW("vpdpbuud", F_W0, MZB, T_FV, 4), P3RW("vpdpbusd", F_W0, MZB, T_FV, 4),
		     P3RW("vpdpbsud", F_W0, MZB, T_FV, 4), P3RW("vpdpbssd", F_W0, MZB, T_FV, 4)),
	[0x51] = PFX(P3RW("vpdpbuuds", F_W0, MZB, T_FV, 4), P3RW("vpdpbusds", F_W0, MZB, T_FV, 4),
		     P3RW("vpdpbsuds", F_W0, MZB, T_FV, 4), P3RW("vpdpbssds", F_W0, MZB, T_FV, 4)),
	[0x52] = PFX(P3RW("vdpphps", F_W0, MZB, T_FV, 4), P3RW("vpdpwssd", F_W0, MZB, T_FV, 4),
		     P3RW("vdpbf16ps", F_W0, MZB, T_FV, 4), N),
	[0x53] = P66(P3RW("vpdpwssds", F_W0, MZB, T_FV, 4)),
	[0x54] = P66(BYW(P2("vpopcntb", 0, MZ, T_FVM, 0), P2("vpopcntw", 0, MZ, T_FVM, 0))),
	[0x55] = DQ2("vpopcntd", "vpopcntq"),
	[0x58] = P66(X("vpbroadcastd", F_W0, MZ, T_T1S, 4, Vx(W), KM, Wd)),
	[0x59] = P66(BYW(X("vbroadcasti32x2", 0, MZ, T_T2, 4, Vx(W), KM, Wq),
			 X("vpbroadcastq", 0, MZ, T_T1S, 8, Vx(W), KM, Wq))),
	[0x5a] = P66(L256(BYW(X("vbroadcasti32x4", 0, MZ, T_T4, 4, Vx(W), KM, Mo),
			      X("vbroadcasti64x2", 0, MZ, T_T2, 8, Vx(W), KM, Mo)))),
	[0x5b] = P66(L512(BYW(X("vbroadcasti32x8", 0, MZ, T_T8, 4, Vx(W), KM, Mqq),
			      X("vbroadcasti64x4", 0, MZ, T_T4, 8, Vx(W), KM, Mqq)))),
	[0x62] = P66(BYW(P2("vpexpandb", 0, MZ, T_T1S, 1), P2("vpexpandw", 0, MZ, T_T1S, 2))),
	[0x63] = P66(BYW(X("vpcompressb", 0, MZ, T_T1S, 1, Wxs(W), KM, Vx(R)),
			 X("vpcompressw", 0, MZ, T_T1S, 2, Wxs(W), KM, Vx(R)))),
	[0x64] = DQ3("vpblendmd", "vpblendmq"),
	[0x65] = P66(BYW(P3("vblendmps", 0, MZB, T_FV, 0), P3("vblendmpd", 0, MZB, T_FV, 0))),
	[0x66] = BW3W("vpblendmb", "vpblendmw"),
	[0x67] = P66(P3("vcvt2ps2phx", F_W0, MZBE, T_FV, 4)),
	[0x68] = PF2(BYW(X("vp2intersectd", 0, V_BCST, T_FV, 0, Kg(W), Hx, Wx),
			 X("vp2intersectq", 0, V_BCST, T_FV, 0, Kg(W), Hx, Wx))),
	[0x70] = P66(P3RW("vpshldvw", F_W1, MZ, T_FVM, 0)),
	[0x71] = DQ3RW("vpshldvd", "vpshldvq"),
	[0x72] = PFX(N, P3RW("vpshrdvw", F_W1, MZ, T_FVM, 0),
		     X("vcvtneps2bf16", F_W0, MZB, T_FV, 4, Vxh(W), KM, Wx),
		     P3("vcvtne2ps2bf16", F_W0, MZB, T_FV, 4)),
	[0x73] = DQ3RW("vpshrdvd", "vpshrdvq"),
	[0x74] = PFX(X("vcvtbiasph2bf8", F_W0, MZB | B16, T_FV, 2, Vxh(W), KM, Hx, Wx), N,
		     X("vcvtph2bf8", F_W0, MZB | B16, T_FV, 2, Vxh(W), KM, Wx),
		     P3("vcvt2ph2bf8", F_W0, MZB | B16, T_FV, 2)),
	[0x75] = BW3WRW("vpermi2b", "vpermi2w"),
	[0x76] = DQ3RW("vpermi2d", "vpermi2q"),
	[0x77] = P66(BYW(P3RW("vpermi2ps", 0, MZB, T_FV, 0), P3RW("vpermi2pd", 0, MZB, T_FV, 0))),
	[0x78] = P66(X("vpbroadcastb", F_W0, MZ, T_T1S, 1, Vx(W), KM, Wb)),
	[0x79] = P66(X("vpbroadcastw", F_W0, MZ, T_T1S, 2, Vx(W), KM, Ww)),
	[0x7a] = P66(X("vpbroadcastb", F_W0, MZ, T_NONE, 0, Vx(W), KM, Rd(R))),
	[0x7b] = P66(X("vpbroadcastw", F_W0, MZ, T_NONE, 0, Vx(W), KM, Rd(R))),
	[0x7c] = P66(BYW(X("vpbroadcastd", 0, MZ, T_NONE, 0, Vx(W), KM, Rd(R)),
			 X("vpbroadcastq", 0, MZ, T_NONE, 0, Vx(W), KM, Rq(R)))),
	[0x7d] = BW3WRW("vpermt2b", "vpermt2w"),
	[0x7e] = DQ3RW("vpermt2d", "vpermt2q"),
	[0x7f] = P66(BYW(P3RW("vpermt2ps", 0, MZB, T_FV, 0), P3RW("vpermt2pd", 0, MZB, T_FV, 0))),
	[0x83] = P66(P3("vpmultishiftqb", F_W1, MZB, T_FV, 0)),
	[0x88] = P66(BYW(P2("vexpandps", 0, MZ, T_T1S, 0), P2("vexpandpd", 0, MZ, T_T1S, 0))),
	[0x89] = P66(BYW(P2("vpexpandd", 0, MZ, T_T1S, 0), P2("vpexpandq", 0, MZ, T_T1S, 0))),
	[0x8a] = P66(BYW(X("vcompressps", 0, MZ, T_T1S, 0, Wxs(W), KM, Vx(R)),
			 X("vcompresspd", 0, MZ, T_T1S, 0, Wxs(W), KM, Vx(R)))),
	[0x8b] = P66(BYW(X("vpcompressd", 0, MZ, T_T1S, 0, Wxs(W), KM, Vx(R)),
			 X("vpcompressq", 0, MZ, T_T1S, 0, Wxs(W), KM, Vx(R)))),
	[0x8d] = BW3W("vpermb", "vpermw"),
	[0x8f] = P66(PK("vpshufbitqmb", F_W0, V_MASK, T_FVM, 0)),
	[0x90] = P66(BYW(GATHER("vpgatherdd", 0, Vx, Z_X, 4), GATHER("vpgatherdq", 0, Vx, Z_XH, 8))),
	[0x91] = P66(BYW(GATHER("vpgatherqd", 0, Vxh, Z_X, 4), GATHER("vpgatherqq", 0, Vx, Z_X, 8))),
	[0x92] = P66(BYW(GATHER("vgatherdps", 0, Vx, Z_X, 4), GATHER("vgatherdpd", 0, Vx, Z_XH, 8))),
	[0x93] = P66(BYW(GATHER("vgatherqps", 0, Vxh, Z_X, 4), GATHER("vgatherqpd", 0, Vx, Z_X, 8))),
	[0x96] = FMAP("vfmaddsub132ps", "vfmaddsub132pd"),
	[0x97] = FMAP("vfmsubadd132ps", "vfmsubadd132pd"),
	[0x98] = FMAP("vfmadd132ps", "vfmadd132pd"),
	[0x99] = FMAS("vfmadd132ss", "vfmadd132sd"),
	[0x9a] = FMAP("vfmsub132ps", "vfmsub132pd"),
	[0x9b] = FMAS("vfmsub132ss", "vfmsub132sd"),
	[0x9c] = FMAP("vfnmadd132ps", "vfnmadd132pd"),
	[0x9d] = FMAS("vfnmadd132ss", "vfnmadd132sd"),
	[0x9e] = FMAP("vfnmsub132ps", "vfnmsub132pd"),
	[0x9f] = FMAS("vfnmsub132ss", "vfnmsub132sd"),
	[0xa0] = P66(BYW(SCATTER("vpscatterdd", 0, Vx, Z_X, 4), SCATTER("vpscatterdq", 0, Vx, Z_XH, 8))),
	[0xa1] = P66(BYW(SCATTER("vpscatterqd", 0, Vxh, Z_X, 4), SCATTER("vpscatterqq", 0, Vx, Z_X, 8))),
	[0xa2] = P66(BYW(SCATTER("vscatterdps", 0, Vx, Z_X, 4), SCATTER("vscatterdpd", 0, Vx, Z_XH, 8))),
	[0xa3] = P66(BYW(SCATTER("vscatterqps", 0, Vxh, Z_X, 4), SCATTER("vscatterqpd", 0, Vx, Z_X, 8))),
	[0xa6] = FMAP("vfmaddsub213ps", "vfmaddsub213pd"),
	[0xa7] = FMAP("vfmsubadd213ps", "vfmsubadd213pd"),
	[0xa8] = FMAP("vfmadd213ps", "vfmadd213pd"),
	[0xa9] = FMAS("vfmadd213ss", "vfmadd213sd"),
	[0xaa] = FMAP("vfmsub213ps", "vfmsub213pd"),
	[0xab] = FMAS("vfmsub213ss", "vfmsub213sd"),
	[0xac] = FMAP("vfnmadd213ps", "vfnmadd213pd"),
	[0xad] = FMAS("vfnmadd213ss", "vfnmadd213sd"),
	[0xae] = FMAP("vfnmsub213ps", "vfnmsub213pd"),
	[0xaf] = FMAS("vfnmsub213ss", "vfnmsub213sd"),
	[0xb4] = P66(P3RW("vpmadd52luq", F_W1, MZB, T_FV, 0)),
	[0xb5] = P66(P3RW("vpmadd52huq", F_W1, MZB, T_FV, 0)),
	[0xb6] = FMAP("vfmaddsub231ps", "vfmaddsub231pd"),
	[0xb7] = FMAP("vfmsubadd231ps", "vfmsubadd231pd"),
	[0xb8] = FMAP("vfmadd231ps", "vfmadd231pd"),
	[0xb9] = FMAS("vfmadd231ss", "vfmadd231sd"),
	[0xba] = FMAP("vfmsub231ps", "vfmsub231pd"),
	[0xbb] = FMAS("vfmsub231ss", "vfmsub231sd"),
	[0xbc] = FMAP("vfnmadd231ps", "vfnmadd231pd"),
	[0xbd] = FMAS("vfnmadd231ss", "vfnmadd231sd"),
	[0xbe] = FMAP("vfnmsub231ps", "vfnmsub231pd"),
	[0xbf] = FMAS("vfnmsub231ss", "vfnmsub231sd"),
	[0xc4] = DQ2("vpconflictd", "vpconflictq"),
	[0xcf] = P66(P3("vgf2p8mulb", F_W0, MZ, T_FVM, 0)),
	[0xd2] = PFX(P3RW("vpdpwuud", F_W0, MZB, T_FV, 4), P3RW("vpdpwusd", F_W0, MZB, T_FV, 4),
		     P3RW("vpdpwsud", F_W0, MZB, T_FV, 4), N),
	[0xd3] = PFX(P3RW("vpdpwuuds", F_W0, MZB, T_FV, 4), P3RW("vpdpwusds", F_W0, MZB, T_FV, 4),
		     P3RW("vpdpwsuds", F_W0, MZB, T_FV, 4), N),
	[0xdc] = P66(X("vaesenc", 0, 0, T_FVM, 0, Vx(W), Hx, Wx)),
	[0xdd] = P66(X("vaesenclast", 0, 0, T_FVM, 0, Vx(W), Hx, Wx)),
	[0xde] = P66(X("vaesdec", 0, 0, T_FVM, 0, Vx(W), Hx, Wx)),
	[0xdf] = P66(X("vaesdeclast", 0, 0, T_FVM, 0, Vx(W), Hx, Wx)),
	/* CMPccXADD m, r, r (66, memory only). */
	[0xe0] = CMPXADD("o"),  [0xe1] = CMPXADD("no"),
	[0xe2] = CMPXADD("b"),  [0xe3] = CMPXADD("nb"),
	[0xe4] = CMPXADD("z"),  [0xe5] = CMPXADD("nz"),
	[0xe6] = CMPXADD("be"), [0xe7] = CMPXADD("nbe"),
	[0xe8] = CMPXADD("s"),  [0xe9] = CMPXADD("ns"),
	[0xea] = CMPXADD("p"),  [0xeb] = CMPXADD("np"),
	[0xec] = CMPXADD("l"),  [0xed] = CMPXADD("nl"),
	[0xee] = CMPXADD("le"), [0xef] = CMPXADD("nle"),
	/* BMI1/BMI2: vvvv is a source (BLS*: the destination); NF where APX has it. */
	[0xf2] = NP(GPR3("andn", F_NF, Gy(W), By(R), Ey(R))),
	[0xf3] = NP(BYREG(N, GPR3("blsr", F_NF, By(W), Ey(R)), GPR3("blsmsk", F_NF, By(W), Ey(R)),
			  GPR3("blsi", F_NF, By(W), Ey(R)), N, N, N, N)),
	[0xf5] = PFX(GPR3("bzhi", F_NF, Gy(W), Ey(R), By(R)), N,
		     GPR3("pext", 0, Gy(W), By(R), Ey(R)), GPR3("pdep", 0, Gy(W), By(R), Ey(R))),
	[0xf6] = PF2(GPR3("mulx", 0, Gy(W), By(W), Ey(R))),
	[0xf7] = PFX(GPR3("bextr", F_NF, Gy(W), Ey(R), By(R)), GPR3("shlx", 0, Gy(W), Ey(R), By(R)),
		     GPR3("sarx", 0, Gy(W), Ey(R), By(R)), GPR3("shrx", 0, Gy(W), Ey(R), By(R))),
};

/* ========================================================================== */
/* Map 3 (0F 3A): every row has an imm8                                       */
/* ========================================================================== */

const struct x86_opcode_row x86_evex_map3[256] = {
	[0x00] = P66(L256(P2I("vpermq", F_W1, MZB, T_FV, 0))),
	[0x01] = P66(L256(P2I("vpermpd", F_W1, MZB, T_FV, 0))),
	[0x03] = P66(BYW(P3I("valignd", 0, MZB, T_FV, 0), P3I("valignq", 0, MZB, T_FV, 0))),
	[0x04] = P66(P2I("vpermilps", F_W0, MZB, T_FV, 0)),
	[0x05] = P66(P2I("vpermilpd", F_W1, MZB, T_FV, 0)),
	[0x08] = PFX(P2I("vrndscaleph", F_W0, MZBS | B16, T_FV, 2),
		     P2I("vrndscaleps", F_W0, MZBS, T_FV, 0), N,
		     P2I("vrndscalebf16", F_W0, MZB | B16, T_FV, 2)),
	[0x09] = P66(P2I("vrndscalepd", F_W1, MZBS, T_FV, 0)),
	[0x0a] = PFX(S3I("vrndscalesh", F_W0, MZS, 2, Ww), S3I("vrndscaless", F_W0, MZS, 4, Wd), N, N),
	[0x0b] = P66(S3I("vrndscalesd", F_W1, MZS, 8, Wq)),
	[0x0f] = P66(P3I("vpalignr", 0, MZ, T_FVM, 0)),
	[0x14] = P66(BYMOD(X("vpextrb", F_L0, 0, T_T1S, 1, Eb(W), Vo(R), Ib),
			   X("vpextrb", F_L0, 0, T_T1S, 1, Rd(W), Vo(R), Ib))),
	[0x15] = P66(BYMOD(X("vpextrw", F_L0, 0, T_T1S, 2, Ew(W), Vo(R), Ib),
			   X("vpextrw", F_L0, 0, T_T1S, 2, Rd(W), Vo(R), Ib))),
	[0x16] = P66(BYW(X("vpextrd", F_L0, 0, T_T1S, 4, Ed(W), Vo(R), Ib),
			 X("vpextrq", F_L0, 0, T_T1S, 8, Eq(W), Vo(R), Ib))),
	[0x17] = P66(X("vextractps", F_L0, 0, T_T1S, 4, Ed(W), Vo(R), Ib)),
	[0x18] = P66(L256(BYW(X("vinsertf32x4", 0, MZ, T_T4, 4, Vx(W), KM, Hx, Wo, Ib),
			      X("vinsertf64x2", 0, MZ, T_T2, 8, Vx(W), KM, Hx, Wo, Ib)))),
	[0x19] = P66(L256(BYW(X("vextractf32x4", 0, MZ, T_T4, 4, Wos(W), KM, Vx(R), Ib),
			      X("vextractf64x2", 0, MZ, T_T2, 8, Wos(W), KM, Vx(R), Ib)))),
	[0x1a] = P66(L512(BYW(X("vinsertf32x8", 0, MZ, T_T8, 4, Vx(W), KM, Hx, Wqq, Ib),
			      X("vinsertf64x4", 0, MZ, T_T4, 8, Vx(W), KM, Hx, Wqq, Ib)))),
	[0x1b] = P66(L512(BYW(X("vextractf32x8", 0, MZ, T_T8, 4, Wqqs(W), KM, Vx(R), Ib),
			      X("vextractf64x4", 0, MZ, T_T4, 8, Wqqs(W), KM, Vx(R), Ib)))),
	[0x1d] = P66(X("vcvtps2ph", F_W0, MZS, T_HVM, 0, Wxhs(W), KM, Vx(R), Ib)),
	[0x1e] = P66(BYW(PKI("vpcmpud", 0, MB, T_FV, 0), PKI("vpcmpuq", 0, MB, T_FV, 0))),
	[0x1f] = P66(BYW(PKI("vpcmpd", 0, MB, T_FV, 0), PKI("vpcmpq", 0, MB, T_FV, 0))),
	[0x20] = P66(BYMOD(X("vpinsrb", F_L0, 0, T_T1S, 1, Vo(W), Ho, Eb(R), Ib),
			   X("vpinsrb", F_L0, 0, T_T1S, 1, Vo(W), Ho, Rd(R), Ib))),
	[0x21] = P66(X("vinsertps", F_W0 | F_L0, 0, T_T1S, 4, Vo(W), Ho, Wd, Ib)),
	[0x22] = P66(BYW(X("vpinsrd", F_L0, 0, T_T1S, 4, Vo(W), Ho, Ed(R), Ib),
			 X("vpinsrq", F_L0, 0, T_T1S, 8, Vo(W), Ho, Eq(R), Ib))),
	[0x23] = P66(L256(BYW(P3I("vshuff32x4", 0, MZB, T_FV, 0), P3I("vshuff64x2", 0, MZB, T_FV, 0)))),
	[0x25] = P66(BYW(X("vpternlogd", 0, MZB, T_FV, 0, Vx(RW), KM, Hx, Wx, Ib),
			 X("vpternlogq", 0, MZB, T_FV, 0, Vx(RW), KM, Hx, Wx, Ib))),
	[0x26] = PFX(P2I("vgetmantph", F_W0, MZBS | B16, T_FV, 2),
		     BYW(P2I("vgetmantps", 0, MZBS, T_FV, 0), P2I("vgetmantpd", 0, MZBS, T_FV, 0)), N,
		     P2I("vgetmantbf16", F_W0, MZB | B16, T_FV, 2)),
	[0x27] = PFX(S3I("vgetmantsh", F_W0, MZS, 2, Ww),
		     BYW(S3I("vgetmantss", 0, MZS, 4, Wd), S3I("vgetmantsd", 0, MZS, 8, Wq)), N, N),
	[0x38] = P66(L256(BYW(X("vinserti32x4", 0, MZ, T_T4, 4, Vx(W), KM, Hx, Wo, Ib),
			      X("vinserti64x2", 0, MZ, T_T2, 8, Vx(W), KM, Hx, Wo, Ib)))),
	[0x39] = P66(L256(BYW(X("vextracti32x4", 0, MZ, T_T4, 4, Wos(W), KM, Vx(R), Ib),
			      X("vextracti64x2", 0, MZ, T_T2, 8, Wos(W), KM, Vx(R), Ib)))),
	[0x3a] = P66(L512(BYW(X("vinserti32x8", 0, MZ, T_T8, 4, Vx(W), KM, Hx, Wqq, Ib),
			      X("vinserti64x4", 0, MZ, T_T4, 8, Vx(W), KM, Hx, Wqq, Ib)))),
	[0x3b] = P66(L512(BYW(X("vextracti32x8", 0, MZ, T_T8, 4, Wqqs(W), KM, Vx(R), Ib),
			      X("vextracti64x4", 0, MZ, T_T4, 8, Wqqs(W), KM, Vx(R), Ib)))),
	[0x3e] = P66(BYW(PKI("vpcmpub", 0, V_MASK, T_FVM, 0), PKI("vpcmpuw", 0, V_MASK, T_FVM, 0))),
	[0x3f] = P66(BYW(PKI("vpcmpb", 0, V_MASK, T_FVM, 0), PKI("vpcmpw", 0, V_MASK, T_FVM, 0))),
	[0x42] = PFX(N, P3I("vdbpsadbw", F_W0, MZ, T_FVM, 0), P3I("vmpsadbw", F_W0, MZ, T_FVM, 0), N),
	[0x43] = P66(L256(BYW(P3I("vshufi32x4", 0, MZB, T_FV, 0), P3I("vshufi64x2", 0, MZB, T_FV, 0)))),
	[0x44] = P66(X("vpclmulqdq", 0, 0, T_FVM, 0, Vx(W), Hx, Wx, Ib)),
	[0x50] = P66(BYW(P3I("vrangeps", 0, MZBS, T_FV, 0), P3I("vrangepd", 0, MZBS, T_FV, 0))),
	[0x51] = P66(BYW(S3I("vrangess", 0, MZS, 4, Wd), S3I("vrangesd", 0, MZS, 8, Wq))),
	[0x52] = PFX(P3I("vminmaxph", F_W0, MZBS | B16, T_FV, 2),
		     BYW(P3I("vminmaxps", 0, MZBS, T_FV, 0), P3I("vminmaxpd", 0, MZBS, T_FV, 0)), N,
		     P3I("vminmaxbf16", F_W0, MZB | B16, T_FV, 2)),
	[0x53] = PFX(S3I("vminmaxsh", F_W0, MZS, 2, Ww),
		     BYW(S3I("vminmaxss", 0, MZS, 4, Wd), S3I("vminmaxsd", 0, MZS, 8, Wq)), N, N),
	[0x54] = P66(BYW(X("vfixupimmps", 0, MZBS, T_FV, 0, Vx(RW), KM, Hx, Wx, Ib),
			 X("vfixupimmpd", 0, MZBS, T_FV, 0, Vx(RW), KM, Hx, Wx, Ib))),
	[0x55] = P66(BYW(X("vfixupimmss", 0, MZS, T_T1S, 4, Vo(RW), KM, Ho, Wd, Ib),
			 X("vfixupimmsd", 0, MZS, T_T1S, 8, Vo(RW), KM, Ho, Wq, Ib))),
	[0x56] = PFX(P2I("vreduceph", F_W0, MZBS | B16, T_FV, 2),
		     BYW(P2I("vreduceps", 0, MZBS, T_FV, 0), P2I("vreducepd", 0, MZBS, T_FV, 0)), N,
		     P2I("vreducebf16", F_W0, MZB | B16, T_FV, 2)),
	[0x57] = PFX(S3I("vreducesh", F_W0, MZS, 2, Ww),
		     BYW(S3I("vreducess", 0, MZS, 4, Wd), S3I("vreducesd", 0, MZS, 8, Wq)), N, N),
	[0x66] = PFX(X("vfpclassph", F_W0, MB | B16, T_FV, 2, Kg(W), KM, Wx, Ib),
		     BYW(X("vfpclassps", 0, MB, T_FV, 0, Kg(W), KM, Wx, Ib),
			 X("vfpclasspd", 0, MB, T_FV, 0, Kg(W), KM, Wx, Ib)), N,
		     X("vfpclassbf16", F_W0, MB | B16, T_FV, 2, Kg(W), KM, Wx, Ib)),
	[0x67] = PFX(X("vfpclasssh", F_W0, V_MASK, T_T1S, 2, Kg(W), KM, Ww, Ib),
		     BYW(X("vfpclassss", 0, V_MASK, T_T1S, 4, Kg(W), KM, Wd, Ib),
			 X("vfpclasssd", 0, V_MASK, T_T1S, 8, Kg(W), KM, Wq, Ib)), N, N),
	[0x70] = P66(P3I("vpshldw", F_W1, MZ, T_FVM, 0)),
	[0x71] = P66(BYW(P3I("vpshldd", 0, MZB, T_FV, 0), P3I("vpshldq", 0, MZB, T_FV, 0))),
	[0x72] = P66(P3I("vpshrdw", F_W1, MZ, T_FVM, 0)),
	[0x73] = P66(BYW(P3I("vpshrdd", 0, MZB, T_FV, 0), P3I("vpshrdq", 0, MZB, T_FV, 0))),
	[0xc2] = PFX(PKI("vcmpph", F_W0, MBS | B16, T_FV, 2), N,
		     X("vcmpsh", F_W0, V_MASK | V_SAE, T_T1S, 2, Kg(W), KM, Ho, Ww, Ib),
		     PKI("vcmpbf16", F_W0, MB | B16, T_FV, 2)),
	[0xce] = P66(P3I("vgf2p8affineqb", F_W1, MZB, T_FV, 0)),
	[0xcf] = P66(P3I("vgf2p8affineinvqb", F_W1, MZB, T_FV, 0)),
	[0xf0] = PF2(GPR3("rorx", 0, Gy(W), Ey(R), IbS)),
};

/* ========================================================================== */
/* Map 5 (AVX512-FP16, AVX10.2)                                               */
/* ========================================================================== */

/* FP16 arithmetic: ph (NP), sh (F3), bf16 (66, no rounding). */
#define PH_ARITH(ph, sh, bf, vfp, vfs) \
	PFX(P3(ph, F_W0, (vfp) | B16, T_FV, 2), P3(bf, F_W0, MZB | B16, T_FV, 2), \
	    S3(sh, F_W0, vfs, 2, Ww), N)

const struct x86_opcode_row x86_evex_map5[256] = {
	[0x10] = PF3(BYMOD(X("vmovsh", F_W0, MZ, T_T1S, 2, Vo(W), KM, Ww),
			   X("vmovsh", F_W0, MZ, T_T1S, 2, Vo(W), KM, Ho, Uo))),
	[0x11] = PF3(BYMOD(X("vmovsh", F_W0, MZ, T_T1S, 2, Wws(W), KM, Vo(R)),
			   X("vmovsh", F_W0, MZ, T_T1S, 2, Uos(W), KM, Ho, Vo(R)))),
	[0x18] = PFX(X("vcvtbiasph2hf8", F_W0, MZB | B16, T_FV, 2, Vxh(W), KM, Hx, Wx), N,
		     X("vcvtph2hf8", F_W0, MZB | B16, T_FV, 2, Vxh(W), KM, Wx),
		     P3("vcvt2ph2hf8", F_W0, MZB | B16, T_FV, 2)),
	[0x1b] = PFX(X("vcvtbiasph2hf8s", F_W0, MZB | B16, T_FV, 2, Vxh(W), KM, Hx, Wx), N,
		     X("vcvtph2hf8s", F_W0, MZB | B16, T_FV, 2, Vxh(W), KM, Wx),
		     P3("vcvt2ph2hf8s", F_W0, MZB | B16, T_FV, 2)),
	[0x1d] = PFX(S3("vcvtss2sh", F_W0, MZE, 4, Wd),
		     X("vcvtps2phx", F_W0, MZBE, T_FV, 4, Vxh(W), KM, Wx), N, N),
	[0x1e] = PF2(X("vcvthf82ph", F_W0, MZ, T_HVM, 0, Vx(W), KM, Wxh)),
	[0x2a] = PF3(BYW(X("vcvtsi2sh", 0, V_ER, T_T1S, 4, Vo(W), Ho, Ed(R)),
			 X("vcvtsi2sh", 0, V_ER, T_T1S, 8, Vo(W), Ho, Eq(R)))),
	[0x2c] = PF3(X("vcvttsh2si", 0, V_SAE, T_T1F, 2, Gy(W), Ww)),
	[0x2d] = PF3(X("vcvtsh2si", 0, V_ER, T_T1F, 2, Gy(W), Ww)),
	[0x2e] = PFX(X("vucomish", F_W0, V_SAE, T_T1S, 2, Vo(R), Ww), N,
		     X("vucomxsh", F_W0, V_SAE, T_T1S, 2, Vo(R), Ww), N),
	[0x2f] = PFX(X("vcomish", F_W0, V_SAE, T_T1S, 2, Vo(R), Ww),
		     X("vcomisbf16", F_W0, 0, T_T1S, 2, Vo(R), Ww),
		     X("vcomxsh", F_W0, V_SAE, T_T1S, 2, Vo(R), Ww), N),
	[0x51] = PFX(P2("vsqrtph", F_W0, MZBE | B16, T_FV, 2),
		     P2("vsqrtbf16", F_W0, MZB | B16, T_FV, 2),
		     S3("vsqrtsh", F_W0, MZE, 2, Ww), N),
	[0x58] = PH_ARITH("vaddph", "vaddsh", "vaddbf16", MZBE, MZE),
	[0x59] = PH_ARITH("vmulph", "vmulsh", "vmulbf16", MZBE, MZE),
	[0x5a] = PFX(X("vcvtph2pd", F_W0, MZBS | B16, T_QVM, 2, Vx(W), KM, Wxq),
		     X("vcvtpd2ph", F_W1, MZBE, T_FV, 0, Vxq(W), KM, Wx),
		     S3("vcvtsh2sd", F_W0, MZS, 2, Ww), S3("vcvtsd2sh", F_W1, MZE, 8, Wq)),
	[0x5b] = PFX(BYW(X("vcvtdq2ph", 0, MZBE, T_FV, 0, Vxh(W), KM, Wx),
			 X("vcvtqq2ph", 0, MZBE, T_FV, 0, Vxq(W), KM, Wx)),
		     X("vcvtph2dq", F_W0, MZBE | B16, T_HV, 2, Vx(W), KM, Wxh),
		     X("vcvttph2dq", F_W0, MZBS | B16, T_HV, 2, Vx(W), KM, Wxh), N),
	[0x5c] = PH_ARITH("vsubph", "vsubsh", "vsubbf16", MZBE, MZE),
	[0x5d] = PH_ARITH("vminph", "vminsh", "vminbf16", MZBS, MZS),
	[0x5e] = PH_ARITH("vdivph", "vdivsh", "vdivbf16", MZBE, MZE),
	[0x5f] = PH_ARITH("vmaxph", "vmaxsh", "vmaxbf16", MZBS, MZS),
	/* AVX10.2 saturating conversions to 8-bit integers (ph NP, ps 66, bf16 F2). */
	[0x68] = PFX(P2("vcvttph2ibs", F_W0, MZBS | B16, T_FV, 2), P2("vcvttps2ibs", F_W0, MZBS, T_FV, 0),
		     N, P2("vcvttbf162ibs", F_W0, MZB | B16, T_FV, 2)),
	[0x69] = PFX(P2("vcvtph2ibs", F_W0, MZBE | B16, T_FV, 2), P2("vcvtps2ibs", F_W0, MZBE, T_FV, 0),
		     N, P2("vcvtbf162ibs", F_W0, MZB | B16, T_FV, 2)),
	[0x6a] = PFX(P2("vcvttph2iubs", F_W0, MZBS | B16, T_FV, 2), P2("vcvttps2iubs", F_W0, MZBS, T_FV, 0),
		     N, P2("vcvttbf162iubs", F_W0, MZB | B16, T_FV, 2)),
	[0x6b] = PFX(P2("vcvtph2iubs", F_W0, MZBE | B16, T_FV, 2), P2("vcvtps2iubs", F_W0, MZBE, T_FV, 0),
		     N, P2("vcvtbf162iubs", F_W0, MZB | B16, T_FV, 2)),
	/* AVX10.2 saturating truncations. */
	[0x6c] = PFX(BYW(P2("vcvttps2udqs", 0, MZBS, T_FV, 0),
			 X("vcvttpd2udqs", 0, MZBS, T_FV, 0, Vxh(W), KM, Wx)),
		     BYW(X("vcvttps2uqqs", 0, MZBS, T_HV, 4, Vx(W), KM, Wxh),
			 P2("vcvttpd2uqqs", 0, MZBS, T_FV, 0)),
		     X("vcvttss2usis", 0, V_SAE, T_T1F, 4, Gy(W), Wd),
		     X("vcvttsd2usis", 0, V_SAE, T_T1F, 8, Gy(W), Wq)),
	[0x6d] = PFX(BYW(P2("vcvttps2dqs", 0, MZBS, T_FV, 0),
			 X("vcvttpd2dqs", 0, MZBS, T_FV, 0, Vxh(W), KM, Wx)),
		     BYW(X("vcvttps2qqs", 0, MZBS, T_HV, 4, Vx(W), KM, Wxh),
			 P2("vcvttpd2qqs", 0, MZBS, T_FV, 0)),
		     X("vcvttss2sis", 0, V_SAE, T_T1F, 4, Gy(W), Wd),
		     X("vcvttsd2sis", 0, V_SAE, T_T1F, 8, Gy(W), Wq)),
	[0x6e] = PFX(N, BYMOD(X("vmovw", F_L0, 0, T_T1S, 2, Vo(W), Ew(R)),
			      X("vmovw", F_L0, 0, T_T1S, 2, Vo(W), Rd(R))),
		     X("vmovw", F_W0 | F_L0, 0, T_T1S, 2, Vo(W), Ww), N),
	[0x74] = PFX(X("vcvtbiasph2bf8s", F_W0, MZB | B16, T_FV, 2, Vxh(W), KM, Hx, Wx), N,
		     X("vcvtph2bf8s", F_W0, MZB | B16, T_FV, 2, Vxh(W), KM, Wx),
		     P3("vcvt2ph2bf8s", F_W0, MZB | B16, T_FV, 2)),
	[0x78] = PFX(X("vcvttph2udq", F_W0, MZBS | B16, T_HV, 2, Vx(W), KM, Wxh),
		     X("vcvttph2uqq", F_W0, MZBS | B16, T_QVM, 2, Vx(W), KM, Wxq),
		     X("vcvttsh2usi", 0, V_SAE, T_T1F, 2, Gy(W), Ww), N),
	[0x79] = PFX(X("vcvtph2udq", F_W0, MZBE | B16, T_HV, 2, Vx(W), KM, Wxh),
		     X("vcvtph2uqq", F_W0, MZBE | B16, T_QVM, 2, Vx(W), KM, Wxq),
		     X("vcvtsh2usi", 0, V_ER, T_T1F, 2, Gy(W), Ww), N),
	[0x7a] = PFX(N, X("vcvttph2qq", F_W0, MZBS | B16, T_QVM, 2, Vx(W), KM, Wxq), N,
		     BYW(X("vcvtudq2ph", 0, MZBE, T_FV, 0, Vxh(W), KM, Wx),
			 X("vcvtuqq2ph", 0, MZBE, T_FV, 0, Vxq(W), KM, Wx))),
	[0x7b] = PFX(N, X("vcvtph2qq", F_W0, MZBE | B16, T_QVM, 2, Vx(W), KM, Wxq),
		     BYW(X("vcvtusi2sh", 0, V_ER, T_T1S, 4, Vo(W), Ho, Ed(R)),
			 X("vcvtusi2sh", 0, V_ER, T_T1S, 8, Vo(W), Ho, Eq(R))), N),
	[0x7c] = PFX(P2("vcvttph2uw", F_W0, MZBS | B16, T_FV, 2),
		     P2("vcvttph2w", F_W0, MZBS | B16, T_FV, 2), N, N),
	[0x7d] = PFX(P2("vcvtph2uw", F_W0, MZBE | B16, T_FV, 2), P2("vcvtph2w", F_W0, MZBE | B16, T_FV, 2),
		     P2("vcvtw2ph", F_W0, MZBE | B16, T_FV, 2), P2("vcvtuw2ph", F_W0, MZBE | B16, T_FV, 2)),
	[0x7e] = PFX(N, BYMOD(X("vmovw", F_L0, 0, T_T1S, 2, Ew(W), Vo(R)),
			      X("vmovw", F_L0, 0, T_T1S, 2, Rd(W), Vo(R))),
		     X("vmovw", F_W0 | F_L0, 0, T_T1S, 2, Wws(W), Vo(R)), N),
};

/* ========================================================================== */
/* Map 6 (AVX512-FP16, AVX10.2 BF16)                                          */
/* ========================================================================== */

const struct x86_opcode_row x86_evex_map6[256] = {
	[0x13] = PFX(S3("vcvtsh2ss", F_W0, MZS, 2, Ww),
		     X("vcvtph2psx", F_W0, MZBS | B16, T_HV, 2, Vx(W), KM, Wxh), N, N),
	[0x2c] = PFX(P3("vscalefbf16", F_W0, MZB | B16, T_FV, 2),
		     P3("vscalefph", F_W0, MZBE | B16, T_FV, 2), N, N),
	[0x2d] = P66(S3("vscalefsh", F_W0, MZE, 2, Ww)),
	[0x42] = PFX(P2("vgetexpbf16", F_W0, MZB | B16, T_FV, 2),
		     P2("vgetexpph", F_W0, MZBS | B16, T_FV, 2), N, N),
	[0x43] = P66(S3("vgetexpsh", F_W0, MZS, 2, Ww)),
	[0x4c] = PFX(P2("vrcpbf16", F_W0, MZB | B16, T_FV, 2), P2("vrcpph", F_W0, MZB | B16, T_FV, 2), N, N),
	[0x4d] = P66(S3("vrcpsh", F_W0, MZ, 2, Ww)),
	[0x4e] = PFX(P2("vrsqrtbf16", F_W0, MZB | B16, T_FV, 2), P2("vrsqrtph", F_W0, MZB | B16, T_FV, 2),
		     N, N),
	[0x4f] = P66(S3("vrsqrtsh", F_W0, MZ, 2, Ww)),
	[0x56] = PFX(N, N, P3RW("vfmaddcph", F_W0, MZBE, T_FV, 4), P3RW("vfcmaddcph", F_W0, MZBE, T_FV, 4)),
	[0x57] = PFX(N, N, S3RW("vfmaddcsh", F_W0, MZE, 4, Wd), S3RW("vfcmaddcsh", F_W0, MZE, 4, Wd)),
	[0x96] = P66(P3RW("vfmaddsub132ph", F_W0, MZBE | B16, T_FV, 2)),
	[0x97] = P66(P3RW("vfmsubadd132ph", F_W0, MZBE | B16, T_FV, 2)),
	[0x98] = FMAPH("vfmadd132ph", "vfmadd132bf16"),
	[0x99] = FMASH("vfmadd132sh"),
	[0x9a] = FMAPH("vfmsub132ph", "vfmsub132bf16"),
	[0x9b] = FMASH("vfmsub132sh"),
	[0x9c] = FMAPH("vfnmadd132ph", "vfnmadd132bf16"),
	[0x9d] = FMASH("vfnmadd132sh"),
	[0x9e] = FMAPH("vfnmsub132ph", "vfnmsub132bf16"),
	[0x9f] = FMASH("vfnmsub132sh"),
	[0xa6] = P66(P3RW("vfmaddsub213ph", F_W0, MZBE | B16, T_FV, 2)),
	[0xa7] = P66(P3RW("vfmsubadd213ph", F_W0, MZBE | B16, T_FV, 2)),
	[0xa8] = FMAPH("vfmadd213ph", "vfmadd213bf16"),
	[0xa9] = FMASH("vfmadd213sh"),
	[0xaa] = FMAPH("vfmsub213ph", "vfmsub213bf16"),
	[0xab] = FMASH("vfmsub213sh"),
	[0xac] = FMAPH("vfnmadd213ph", "vfnmadd213bf16"),
	[0xad] = FMASH("vfnmadd213sh"),
	[0xae] = FMAPH("vfnmsub213ph", "vfnmsub213bf16"),
	[0xaf] = FMASH("vfnmsub213sh"),
	[0xb6] = P66(P3RW("vfmaddsub231ph", F_W0, MZBE | B16, T_FV, 2)),
	[0xb7] = P66(P3RW("vfmsubadd231ph", F_W0, MZBE | B16, T_FV, 2)),
	[0xb8] = FMAPH("vfmadd231ph", "vfmadd231bf16"),
	[0xb9] = FMASH("vfmadd231sh"),
	[0xba] = FMAPH("vfmsub231ph", "vfmsub231bf16"),
	[0xbb] = FMASH("vfmsub231sh"),
	[0xbc] = FMAPH("vfnmadd231ph", "vfnmadd231bf16"),
	[0xbd] = FMASH("vfnmadd231sh"),
	[0xbe] = FMAPH("vfnmsub231ph", "vfnmsub231bf16"),
	[0xbf] = FMASH("vfnmsub231sh"),
	[0xd6] = PFX(N, N, P3("vfmulcph", F_W0, MZBE, T_FV, 4), P3("vfcmulcph", F_W0, MZBE, T_FV, 4)),
	[0xd7] = PFX(N, N, S3("vfmulcsh", F_W0, MZE, 4, Wd), S3("vfcmulcsh", F_W0, MZE, 4, Wd)),
};
