/* SPDX-License-Identifier: MIT */
/*
 * VEX (C4/C5) opcode tables: maps 1 (0F), 2 (0F38), 3 (0F3A), and the two
 * newer VEX maps XED knows, 5 (AMX-FP8) and 7 (USER_MSR, MSR_IMM).
 *
 * Every row starts with SEL_PFX (VEX.pp), so a pp=1 never acts as an
 * operand-size prefix.  XED's conventions, which these rows follow:
 *  - AVX/AVX2 vector instructions ignore VEX.W unless the SDM gives W0/W1
 *    (F_W0/F_W1 here); scalar ones ignore VEX.L (no F_L0).
 *  - 128-bit-only forms have F_L0; 256-bit-only forms select L with SEL_L.
 *  - vvvv must be 1111 when no operand uses it (the engine checks that).
 *  - GPR operands are 32-bit, or 64-bit with VEX.W=1 (Z_Y), except where
 *    XED uses a fixed width (VGPR32 for vmovmskps, vpextrb, ...).
 */
#include "optab.h"

/* Selector shorthands built from compound literals (static storage). */
#define LSEL(...)           G(SEL_L, ROWS(4, __VA_ARGS__, N, N))
#define L1(...)             G(SEL_L, ROWS(4, N, __VA_ARGS__, N, N))
#define MEM(...)            G(SEL_MOD, ROWS(2, __VA_ARGS__, N))
#define REG8(...)           G(SEL_REG, ROWS(8, __VA_ARGS__))
#define RM8(...)            G(SEL_RM, ROWS(8, __VA_ARGS__))
#define SIBONLY(...)        G(SEL_RM, ROWS(8, N, N, N, N, __VA_ARGS__, N, N, N))
#define REG0(...)           G(SEL_REG, ROWS(8, __VA_ARGS__, N, N, N, N, N, N, N))

/* Vector operands.  Z_X follows VEX.L; Z_O is always an XMM register. */
#define Vx(a)   OP(M_V, Z_X, a)
#define Vxh(a)  OP(M_V, Z_XH, a)
#define Hx      OP(M_H, Z_X, R)
#define Ho      OP(M_H, Z_O, R)
#define Hxw     OP(M_H, Z_X, W)
#define Wx      OP(M_W, Z_X, R)
#define WxW     OP(M_W, Z_X, W)
#define Ux      OP(M_U, Z_X, R)
#define Uo_w    OP(M_U, Z_O, W)
#define Lx      OP(M_L, Z_X, R)
#define Mx(a)   OP(M_M, Z_X, a)
#define Mo(a)   OP(M_M, Z_O, a)
#define Mq(a)   OP(M_M, Z_Q, a)
#define Md(a)   OP(M_M, Z_D, a)
#define Mzz(a)  OP(M_M, Z_ZZ, a)
#define Mtile(a) OP(M_M, Z_NONE, a)  /* XED gives sibmem operands width 0 */
#define Id      OP(M_I, Z_D, R)
#define VSIBd   OP(M_VSIB, Z_D, R)   /* gathers: the width is one element */
#define VSIBq   OP(M_VSIB, Z_Q, R)

/* Mask and tile registers. */
#define KGw     OP(M_KG, Z_NONE, W)
#define KGr     OP(M_KG, Z_NONE, R)
#define KHr     OP(M_KH, Z_NONE, R)
#define KRr     OP(M_KR, Z_NONE, R)
#define KE(z)   OP(M_KE, z, R)
#define KEw(z)  OP(M_KE, z, W)
#define TG(a)   OP(M_TG, Z_NONE, a)
#define TRr     OP(M_TR, Z_NONE, R)
#define THr     OP(M_TH, Z_NONE, R)

/* Common row shapes. */
#define V3(nm)     I(nm, 0, Vx(W), Hx, Wx)          /* packed, both lengths */
#define V3RW(nm)   I(nm, 0, Vx(RW), Hx, Wx)         /* accumulating (FMA, VNNI) */
#define V3I(nm)    I(nm, 0, Vx(W), Hx, Wx, Ib)
#define V2(nm)     I(nm, 0, Vx(W), Wx)
#define V2I(nm)    I(nm, 0, Vx(W), Wx, Ib)
#define VST(nm)    I(nm, 0, WxW, Vx(R))             /* store form */
#define VSS(nm)    I(nm, 0, Vo(W), Ho, Wd)          /* scalar single, LIG */
#define VSD(nm)    I(nm, 0, Vo(W), Ho, Wq)          /* scalar double, LIG */
#define VCNT(nm)   I(nm, 0, Vx(W), Hx, Wo)          /* shift by xmm count */
#define VSHI(nm)   I(nm, 0, Hxw, Ux, Ib)            /* shift by imm8: vvvv dest */
#define V3W0(nm)   I(nm, F_W0, Vx(W), Hx, Wx)
#define V3RWW0(nm) I(nm, F_W0, Vx(RW), Hx, Wx)

/* FMA: W0 = single, W1 = double; packed rows keep L, scalar rows ignore it. */
#define FMAP(ps, pd) P66(WSEL(V3RW(ps), V3RW(pd)))
#define FMAS(ss, sd) P66(WSEL(I(ss, 0, Vo(RW), Ho, Wd), I(sd, 0, Vo(RW), Ho, Wq)))

/* AMD FMA4 / VPERMIL2: valid only on AMD chips. */
#define AMD66 P66(NE(X86_ERR_INVALID_FOR_CHIP))

/* VEX k-mask instructions: pp/W pick the width (NP: w/q, 66: b/d). */
#define K3(w, q, b, d) \
	PFX(L1(WSEL(I(w, 0, KGw, KHr, KRr), I(q, 0, KGw, KHr, KRr))), \
	    L1(WSEL(I(b, 0, KGw, KHr, KRr), I(d, 0, KGw, KHr, KRr))), N, N)
#define KTEST(w, q, b, d) \
	PFX(LSEL(WSEL(I(w, 0, KGr, KRr), I(q, 0, KGr, KRr)), N), \
	    LSEL(WSEL(I(b, 0, KGr, KRr), I(d, 0, KGr, KRr)), N), N, N)

/* CMPccXADD: m32/m64 (rw), GPR (rw), vvvv GPR (r). */
#define CMPXADD(nm) P66(LSEL(MEM(I(nm, 0, My(RW), Gy(RW), By(R))), N))

/* AMX dot products: tmm (rw), tmm (rm), tmm (vvvv); register forms only. */
#define TDP(nm) I(nm, F_L0 | F_W0, TG(RW), TRr, THr)

const struct x86_opcode_row x86_vex_map1[256] = {
	[0x10] = PFX(V2("vmovups"), V2("vmovupd"),
		     MOD(I("vmovss", 0, Vo(W), Md(R)), I("vmovss", 0, Vo(W), Ho, Wd)),
		     MOD(I("vmovsd", 0, Vo(W), Mq(R)), I("vmovsd", 0, Vo(W), Ho, Wq))),
	[0x11] = PFX(VST("vmovups"), VST("vmovupd"),
		     MOD(I("vmovss", 0, Md(W), Vo(R)), I("vmovss", 0, Uo_w, Ho, Vo(R))),
		     MOD(I("vmovsd", 0, Mq(W), Vo(R)), I("vmovsd", 0, Uo_w, Ho, Vo(R)))),
	[0x12] = PFX(MOD(I("vmovlps", F_L0, Vo(W), Ho, Mq(R)), I("vmovhlps", F_L0, Vo(W), Ho, Uo)),
		     MEM(I("vmovlpd", F_L0, Vo(W), Ho, Mq(R))),
		     V2("vmovsldup"),
		     LSEL(I("vmovddup", 0, Vo(W), Wq), V2("vmovddup"))),
	[0x13] = PFX(MEM(I("vmovlps", F_L0, Mq(W), Vo(R))),
		     MEM(I("vmovlpd", F_L0, Mq(W), Vo(R))), N, N),
	[0x14] = PFX(V3("vunpcklps"), V3("vunpcklpd"), N, N),
	[0x15] = PFX(V3("vunpckhps"), V3("vunpckhpd"), N, N),
	[0x16] = PFX(MOD(I("vmovhps", F_L0, Vo(W), Ho, Mq(R)), I("vmovlhps", F_L0, Vo(W), Ho, Uo)),
		     MEM(I("vmovhpd", F_L0, Vo(W), Ho, Mq(R))),
		     V2("vmovshdup"), N),
	[0x17] = PFX(MEM(I("vmovhps", F_L0, Mq(W), Vo(R))),
		     MEM(I("vmovhpd", F_L0, Mq(W), Vo(R))), N, N),
	[0x28] = PFX(V2("vmovaps"), V2("vmovapd"), N, N),
	[0x29] = PFX(VST("vmovaps"), VST("vmovapd"), N, N),
	[0x2A] = PFX(N, N, I("vcvtsi2ss", 0, Vo(W), Ho, Ey(R)), I("vcvtsi2sd", 0, Vo(W), Ho, Ey(R))),
	[0x2B] = PFX(MEM(I("vmovntps", 0, Mx(W), Vx(R))), MEM(I("vmovntpd", 0, Mx(W), Vx(R))), N, N),
	[0x2C] = PFX(N, N, I("vcvttss2si", 0, Gy(W), Wd), I("vcvttsd2si", 0, Gy(W), Wq)),
	[0x2D] = PFX(N, N, I("vcvtss2si", 0, Gy(W), Wd), I("vcvtsd2si", 0, Gy(W), Wq)),
	[0x2E] = PFX(I("vucomiss", 0, Vo(R), Wd), I("vucomisd", 0, Vo(R), Wq), N, N),
	[0x2F] = PFX(I("vcomiss", 0, Vo(R), Wd), I("vcomisd", 0, Vo(R), Wq), N, N),
	[0x41] = K3("kandw", "kandq", "kandb", "kandd"),
	[0x42] = K3("kandnw", "kandnq", "kandnb", "kandnd"),
	[0x44] = PFX(LSEL(WSEL(I("knotw", 0, KGw, KRr), I("knotq", 0, KGw, KRr)), N),
		     LSEL(WSEL(I("knotb", 0, KGw, KRr), I("knotd", 0, KGw, KRr)), N), N, N),
	[0x45] = K3("korw", "korq", "korb", "kord"),
	[0x46] = K3("kxnorw", "kxnorq", "kxnorb", "kxnord"),
	[0x47] = K3("kxorw", "kxorq", "kxorb", "kxord"),
	[0x4A] = K3("kaddw", "kaddq", "kaddb", "kaddd"),
	[0x4B] = PFX(L1(WSEL(I("kunpckwd", 0, KGw, KHr, KRr), I("kunpckdq", 0, KGw, KHr, KRr))),
		     L1(WSEL(I("kunpckbw", 0, KGw, KHr, KRr), N)), N, N),
	[0x50] = PFX(I("vmovmskps", 0, Gd(W), Ux), I("vmovmskpd", 0, Gd(W), Ux), N, N),
	[0x51] = PFX(V2("vsqrtps"), V2("vsqrtpd"), VSS("vsqrtss"), VSD("vsqrtsd")),
	[0x52] = PFX(V2("vrsqrtps"), N, VSS("vrsqrtss"), N),
	[0x53] = PFX(V2("vrcpps"), N, VSS("vrcpss"), N),
	[0x54] = PFX(V3("vandps"), V3("vandpd"), N, N),
	[0x55] = PFX(V3("vandnps"), V3("vandnpd"), N, N),
	[0x56] = PFX(V3("vorps"), V3("vorpd"), N, N),
	[0x57] = PFX(V3("vxorps"), V3("vxorpd"), N, N),
	[0x58] = PFX(V3("vaddps"), V3("vaddpd"), VSS("vaddss"), VSD("vaddsd")),
	[0x59] = PFX(V3("vmulps"), V3("vmulpd"), VSS("vmulss"), VSD("vmulsd")),
	[0x5A] = PFX(I("vcvtps2pd", 0, Vx(W), Wxh), I("vcvtpd2ps", 0, Vo(W), Wx),
		     I("vcvtss2sd", 0, Vo(W), Ho, Wd), I("vcvtsd2ss", 0, Vo(W), Ho, Wq)),
	[0x5B] = PFX(V2("vcvtdq2ps"), V2("vcvtps2dq"), V2("vcvttps2dq"), N),
	[0x5C] = PFX(V3("vsubps"), V3("vsubpd"), VSS("vsubss"), VSD("vsubsd")),
	[0x5D] = PFX(V3("vminps"), V3("vminpd"), VSS("vminss"), VSD("vminsd")),
	[0x5E] = PFX(V3("vdivps"), V3("vdivpd"), VSS("vdivss"), VSD("vdivsd")),
	[0x5F] = PFX(V3("vmaxps"), V3("vmaxpd"), VSS("vmaxss"), VSD("vmaxsd")),
	[0x60] = P66(V3("vpunpcklbw")),
	[0x61] = P66(V3("vpunpcklwd")),
	[0x62] = P66(V3("vpunpckldq")),
	[0x63] = P66(V3("vpacksswb")),
	[0x64] = P66(V3("vpcmpgtb")),
	[0x65] = P66(V3("vpcmpgtw")),
	[0x66] = P66(V3("vpcmpgtd")),
	[0x67] = P66(V3("vpackuswb")),
	[0x68] = P66(V3("vpunpckhbw")),
	[0x69] = P66(V3("vpunpckhwd")),
	[0x6A] = P66(V3("vpunpckhdq")),
	[0x6B] = P66(V3("vpackssdw")),
	[0x6C] = P66(V3("vpunpcklqdq")),
	[0x6D] = P66(V3("vpunpckhqdq")),
	[0x6E] = P66(I("vmovd|vmovd|vmovq", F_L0, Vo(W), Ey(R))),
	[0x6F] = PFX(N, V2("vmovdqa"), V2("vmovdqu"), N),
	[0x70] = PFX(N, V2I("vpshufd"), V2I("vpshufhw"), V2I("vpshuflw")),
	[0x71] = P66(REGM(REG8(N, N, VSHI("vpsrlw"), N, VSHI("vpsraw"), N, VSHI("vpsllw"), N))),
	[0x72] = P66(REGM(REG8(N, N, VSHI("vpsrld"), N, VSHI("vpsrad"), N, VSHI("vpslld"), N))),
	[0x73] = P66(REGM(REG8(N, N, VSHI("vpsrlq"), VSHI("vpsrldq"), N, N,
			       VSHI("vpsllq"), VSHI("vpslldq")))),
	[0x74] = P66(V3("vpcmpeqb")),
	[0x75] = P66(V3("vpcmpeqw")),
	[0x76] = P66(V3("vpcmpeqd")),
	[0x77] = PNP(LSEL(I0("vzeroupper", 0), I0("vzeroall", 0))),
	[0x7C] = PFX(N, V3("vhaddpd"), N, V3("vhaddps")),
	[0x7D] = PFX(N, V3("vhsubpd"), N, V3("vhsubps")),
	[0x7E] = PFX(N, I("vmovd|vmovd|vmovq", F_L0, Ey(W), Vo(R)),
		     I("vmovq", F_L0, Vo(W), Wq), N),
	[0x7F] = PFX(N, VST("vmovdqa"), VST("vmovdqu"), N),
	[0x90] = PFX(LSEL(WSEL(I("kmovw", 0, KGw, KE(Z_W)), I("kmovq", 0, KGw, KE(Z_Q))), N),
		     LSEL(WSEL(I("kmovb", 0, KGw, KE(Z_B)), I("kmovd", 0, KGw, KE(Z_D))), N), N, N),
	[0x91] = PFX(LSEL(MEM(WSEL(I("kmovw", 0, KEw(Z_W), KGr), I("kmovq", 0, KEw(Z_Q), KGr))), N),
		     LSEL(MEM(WSEL(I("kmovb", 0, KEw(Z_B), KGr), I("kmovd", 0, KEw(Z_D), KGr))), N),
		     N, N),
	[0x92] = PFX(LSEL(WSEL(I("kmovw", 0, KGw, Rd(R)), N), N),
		     LSEL(WSEL(I("kmovb", 0, KGw, Rd(R)), N), N), N,
		     LSEL(WSEL(I("kmovd", 0, KGw, Rd(R)), I("kmovq", 0, KGw, Rq(R))), N)),
	[0x93] = PFX(LSEL(WSEL(I("kmovw", 0, Gd(W), KRr), N), N),
		     LSEL(WSEL(I("kmovb", 0, Gd(W), KRr), N), N), N,
		     LSEL(WSEL(I("kmovd", 0, Gd(W), KRr), I("kmovq", 0, Gq(W), KRr)), N)),
	[0x98] = KTEST("kortestw", "kortestq", "kortestb", "kortestd"),
	[0x99] = KTEST("ktestw", "ktestq", "ktestb", "ktestd"),
	[0xAE] = PNP(LSEL(MEM(REG8(N, N, I("vldmxcsr", 0, Md(R)), I("vstmxcsr", 0, Md(W)),
				   N, N, N, N)), N)),
	[0xC2] = PFX(V3I("vcmpps"), V3I("vcmppd"), I("vcmpss", 0, Vo(W), Ho, Wd, Ib),
		     I("vcmpsd", 0, Vo(W), Ho, Wq, Ib)),
	[0xC4] = P66(MOD(I("vpinsrw", F_L0, Vo(W), Ho, Mw(R), Ib), I("vpinsrw", F_L0, Vo(W), Ho, Rd(R), Ib))),
	[0xC5] = P66(I("vpextrw", F_L0, Gd(W), Uo, Ib)),
	[0xC6] = PFX(V3I("vshufps"), V3I("vshufpd"), N, N),
	[0xD0] = PFX(N, V3("vaddsubpd"), N, V3("vaddsubps")),
	[0xD1] = P66(VCNT("vpsrlw")),
	[0xD2] = P66(VCNT("vpsrld")),
	[0xD3] = P66(VCNT("vpsrlq")),
	[0xD4] = P66(V3("vpaddq")),
	[0xD5] = P66(V3("vpmullw")),
	[0xD6] = P66(I("vmovq", F_L0, OP(M_W, Z_Q, W), Vo(R))),
	[0xD7] = P66(I("vpmovmskb", 0, Gd(W), Ux)),
	[0xD8] = P66(V3("vpsubusb")),
	[0xD9] = P66(V3("vpsubusw")),
	[0xDA] = P66(V3("vpminub")),
	[0xDB] = P66(V3("vpand")),
	[0xDC] = P66(V3("vpaddusb")),
	[0xDD] = P66(V3("vpaddusw")),
	[0xDE] = P66(V3("vpmaxub")),
	[0xDF] = P66(V3("vpandn")),
	[0xE0] = P66(V3("vpavgb")),
	[0xE1] = P66(VCNT("vpsraw")),
	[0xE2] = P66(VCNT("vpsrad")),
	[0xE3] = P66(V3("vpavgw")),
	[0xE4] = P66(V3("vpmulhuw")),
	[0xE5] = P66(V3("vpmulhw")),
	[0xE6] = PFX(N, I("vcvttpd2dq", 0, Vo(W), Wx), I("vcvtdq2pd", 0, Vx(W), Wxh),
		     I("vcvtpd2dq", 0, Vo(W), Wx)),
	[0xE7] = P66(MEM(I("vmovntdq", 0, Mx(W), Vx(R)))),
	[0xE8] = P66(V3("vpsubsb")),
	[0xE9] = P66(V3("vpsubsw")),
	[0xEA] = P66(V3("vpminsw")),
	[0xEB] = P66(V3("vpor")),
	[0xEC] = P66(V3("vpaddsb")),
	[0xED] = P66(V3("vpaddsw")),
	[0xEE] = P66(V3("vpmaxsw")),
	[0xEF] = P66(V3("vpxor")),
	[0xF0] = PF2(MEM(I("vlddqu", 0, Vx(W), Mx(R)))),
	[0xF1] = P66(VCNT("vpsllw")),
	[0xF2] = P66(VCNT("vpslld")),
	[0xF3] = P66(VCNT("vpsllq")),
	[0xF4] = P66(V3("vpmuludq")),
	[0xF5] = P66(V3("vpmaddwd")),
	[0xF6] = P66(V3("vpsadbw")),
	[0xF7] = P66(I("vmaskmovdqu", F_L0, Vo(R), Uo)),
	[0xF8] = P66(V3("vpsubb")),
	[0xF9] = P66(V3("vpsubw")),
	[0xFA] = P66(V3("vpsubd")),
	[0xFB] = P66(V3("vpsubq")),
	[0xFC] = P66(V3("vpaddb")),
	[0xFD] = P66(V3("vpaddw")),
	[0xFE] = P66(V3("vpaddd")),
};

/* Gathers: dest (rw), VSIB memory (one element wide), mask in vvvv (rw). */
#define GATHER(nm, fl, vz, vsib, hz) \
	I(nm, fl, OP(M_V, vz, RW), vsib, OP(M_H, hz, RW))

const struct x86_opcode_row x86_vex_map2[256] = {
	[0x00] = P66(V3("vpshufb")),
	[0x01] = P66(V3("vphaddw")),
	[0x02] = P66(V3("vphaddd")),
	[0x03] = P66(V3("vphaddsw")),
	[0x04] = P66(V3("vpmaddubsw")),
	[0x05] = P66(V3("vphsubw")),
	[0x06] = P66(V3("vphsubd")),
	[0x07] = P66(V3("vphsubsw")),
	[0x08] = P66(V3("vpsignb")),
	[0x09] = P66(V3("vpsignw")),
	[0x0A] = P66(V3("vpsignd")),
	[0x0B] = P66(V3("vpmulhrsw")),
	[0x0C] = P66(V3W0("vpermilps")),
	[0x0D] = P66(V3W0("vpermilpd")),
	[0x0E] = P66(I("vtestps", F_W0, Vx(R), Wx)),
	[0x0F] = P66(I("vtestpd", F_W0, Vx(R), Wx)),
	[0x13] = P66(I("vcvtph2ps", F_W0, Vx(W), Wxh)),
	[0x16] = P66(L1(V3W0("vpermps"))),
	[0x17] = P66(I("vptest", 0, Vx(R), Wx)),
	[0x18] = P66(I("vbroadcastss", F_W0, Vx(W), Wd)),
	[0x19] = P66(L1(I("vbroadcastsd", F_W0, Vx(W), Wq))),
	[0x1A] = P66(L1(MEM(I("vbroadcastf128", F_W0, Vx(W), Mo(R))))),
	[0x1C] = P66(V2("vpabsb")),
	[0x1D] = P66(V2("vpabsw")),
	[0x1E] = P66(V2("vpabsd")),
	[0x20] = P66(I("vpmovsxbw", 0, Vx(W), Wxh)),
	[0x21] = P66(I("vpmovsxbd", 0, Vx(W), Wxq)),
	[0x22] = P66(I("vpmovsxbq", 0, Vx(W), Wxe)),
	[0x23] = P66(I("vpmovsxwd", 0, Vx(W), Wxh)),
	[0x24] = P66(I("vpmovsxwq", 0, Vx(W), Wxq)),
	[0x25] = P66(I("vpmovsxdq", 0, Vx(W), Wxh)),
	[0x28] = P66(V3("vpmuldq")),
	[0x29] = P66(V3("vpcmpeqq")),
	[0x2A] = P66(MEM(I("vmovntdqa", 0, Vx(W), Mx(R)))),
	[0x2B] = P66(V3("vpackusdw")),
	[0x2C] = P66(MEM(I("vmaskmovps", F_W0, Vx(W), Hx, Mx(R)))),
	[0x2D] = P66(MEM(I("vmaskmovpd", F_W0, Vx(W), Hx, Mx(R)))),
	[0x2E] = P66(MEM(I("vmaskmovps", F_W0, Mx(W), Hx, Vx(R)))),
	[0x2F] = P66(MEM(I("vmaskmovpd", F_W0, Mx(W), Hx, Vx(R)))),
	[0x30] = P66(I("vpmovzxbw", 0, Vx(W), Wxh)),
	[0x31] = P66(I("vpmovzxbd", 0, Vx(W), Wxq)),
	[0x32] = P66(I("vpmovzxbq", 0, Vx(W), Wxe)),
	[0x33] = P66(I("vpmovzxwd", 0, Vx(W), Wxh)),
	[0x34] = P66(I("vpmovzxwq", 0, Vx(W), Wxq)),
	[0x35] = P66(I("vpmovzxdq", 0, Vx(W), Wxh)),
	[0x36] = P66(L1(V3W0("vpermd"))),
	[0x37] = P66(V3("vpcmpgtq")),
	[0x38] = P66(V3("vpminsb")),
	[0x39] = P66(V3("vpminsd")),
	[0x3A] = P66(V3("vpminuw")),
	[0x3B] = P66(V3("vpminud")),
	[0x3C] = P66(V3("vpmaxsb")),
	[0x3D] = P66(V3("vpmaxsd")),
	[0x3E] = P66(V3("vpmaxuw")),
	[0x3F] = P66(V3("vpmaxud")),
	[0x40] = P66(V3("vpmulld")),
	[0x41] = P66(I("vphminposuw", F_L0, Vo(W), Wo)),
	[0x45] = P66(WSEL(V3("vpsrlvd"), V3("vpsrlvq"))),
	[0x46] = P66(V3W0("vpsravd")),
	[0x47] = P66(WSEL(V3("vpsllvd"), V3("vpsllvq"))),
	/* AMX tile configuration; F2 W1 is ACE BSRINIT (its bsr0 operand is not modelled). */
	[0x49] = PFX(LSEL(WSEL(MOD(REG0(I("ldtilecfg", 0, Mzz(R))),
				   REG0(RM8(I0("tilerelease", 0), N, N, N, N, N, N, N))), N), N),
		     LSEL(WSEL(MEM(REG0(I("sttilecfg", 0, Mzz(W)))), N), N),
		     N,
		     LSEL(WSEL(REGM(RM8(I("tilezero", 0, TG(W)), N, N, N, N, N, N, N)),
			       REGM(REG0(I0("bsrinit", 0)))), N)),
	[0x4A] = PFX(N, LSEL(WSEL(MEM(SIBONLY(I("tileloaddrst1", 0, TG(W), Mtile(R)))), N), N),
		     N, LSEL(WSEL(MEM(SIBONLY(I("tileloaddrs", 0, TG(W), Mtile(R)))), N), N)),
	[0x4B] = PFX(N, LSEL(WSEL(MEM(SIBONLY(I("tileloaddt1", 0, TG(W), Mtile(R)))), N), N),
		     LSEL(WSEL(MEM(SIBONLY(I("tilestored", 0, Mtile(W), TG(R)))), N), N),
		     LSEL(WSEL(MEM(SIBONLY(I("tileloadd", 0, TG(W), Mtile(R)))), N), N)),
	[0x50] = PFX(V3RWW0("vpdpbuud"), V3RWW0("vpdpbusd"), V3RWW0("vpdpbsud"), V3RWW0("vpdpbssd")),
	[0x51] = PFX(V3RWW0("vpdpbuuds"), V3RWW0("vpdpbusds"), V3RWW0("vpdpbsuds"),
		     V3RWW0("vpdpbssds")),
	[0x52] = P66(V3RWW0("vpdpwssd")),
	[0x53] = P66(V3RWW0("vpdpwssds")),
	[0x58] = P66(I("vpbroadcastd", F_W0, Vx(W), Wd)),
	[0x59] = P66(I("vpbroadcastq", F_W0, Vx(W), Wq)),
	[0x5A] = P66(L1(MEM(I("vbroadcasti128", F_W0, Vx(W), Mo(R))))),
	[0x5C] = PFX(N, N, REGM(TDP("tdpbf16ps")), REGM(TDP("tdpfp16ps"))),
	[0x5E] = PFX(REGM(TDP("tdpbuud")), REGM(TDP("tdpbusd")), REGM(TDP("tdpbsud")),
		     REGM(TDP("tdpbssd"))),
	[0x6C] = PFX(REGM(TDP("tcmmrlfp16ps")), REGM(TDP("tcmmimfp16ps")), N, N),
	[0x72] = PF3(I("vcvtneps2bf16", F_W0, Vo(W), Wx)),
	[0x78] = P66(I("vpbroadcastb", F_W0, Vx(W), Wb)),
	[0x79] = P66(I("vpbroadcastw", F_W0, Vx(W), Ww)),
	[0x8C] = P66(MEM(WSEL(I("vpmaskmovd", 0, Vx(W), Hx, Mx(R)), I("vpmaskmovq", 0, Vx(W), Hx, Mx(R))))),
	[0x8E] = P66(MEM(WSEL(I("vpmaskmovd", 0, Mx(W), Hx, Vx(R)), I("vpmaskmovq", 0, Mx(W), Hx, Vx(R))))),
	[0x90] = P66(MEM(SIBONLY(WSEL(GATHER("vpgatherdd", 0, Z_X, VSIBd, Z_X),
				      GATHER("vpgatherdq", F_VSIB_HALF, Z_X, VSIBq, Z_X))))),
	[0x91] = P66(MEM(SIBONLY(WSEL(GATHER("vpgatherqd", 0, Z_O, VSIBd, Z_O),
				      GATHER("vpgatherqq", 0, Z_X, VSIBq, Z_X))))),
	[0x92] = P66(MEM(SIBONLY(WSEL(GATHER("vgatherdps", 0, Z_X, VSIBd, Z_X),
				      GATHER("vgatherdpd", F_VSIB_HALF, Z_X, VSIBq, Z_X))))),
	[0x93] = P66(MEM(SIBONLY(WSEL(GATHER("vgatherqps", 0, Z_O, VSIBd, Z_O),
				      GATHER("vgatherqpd", 0, Z_X, VSIBq, Z_X))))),
	[0x96] = FMAP("vfmaddsub132ps", "vfmaddsub132pd"),
	[0x97] = FMAP("vfmsubadd132ps", "vfmsubadd132pd"),
	[0x98] = FMAP("vfmadd132ps", "vfmadd132pd"),
	[0x99] = FMAS("vfmadd132ss", "vfmadd132sd"),
	[0x9A] = FMAP("vfmsub132ps", "vfmsub132pd"),
	[0x9B] = FMAS("vfmsub132ss", "vfmsub132sd"),
	[0x9C] = FMAP("vfnmadd132ps", "vfnmadd132pd"),
	[0x9D] = FMAS("vfnmadd132ss", "vfnmadd132sd"),
	[0x9E] = FMAP("vfnmsub132ps", "vfnmsub132pd"),
	[0x9F] = FMAS("vfnmsub132ss", "vfnmsub132sd"),
	[0xA6] = FMAP("vfmaddsub213ps", "vfmaddsub213pd"),
	[0xA7] = FMAP("vfmsubadd213ps", "vfmsubadd213pd"),
	[0xA8] = FMAP("vfmadd213ps", "vfmadd213pd"),
	[0xA9] = FMAS("vfmadd213ss", "vfmadd213sd"),
	[0xAA] = FMAP("vfmsub213ps", "vfmsub213pd"),
	[0xAB] = FMAS("vfmsub213ss", "vfmsub213sd"),
	[0xAC] = FMAP("vfnmadd213ps", "vfnmadd213pd"),
	[0xAD] = FMAS("vfnmadd213ss", "vfnmadd213sd"),
	[0xAE] = FMAP("vfnmsub213ps", "vfnmsub213pd"),
	[0xAF] = FMAS("vfnmsub213ss", "vfnmsub213sd"),
	[0xB0] = PFX(MEM(I("vcvtneoph2ps", F_W0, Vx(W), Mx(R))),
		     MEM(I("vcvtneeph2ps", F_W0, Vx(W), Mx(R))),
		     MEM(I("vcvtneebf162ps", F_W0, Vx(W), Mx(R))),
		     MEM(I("vcvtneobf162ps", F_W0, Vx(W), Mx(R)))),
	[0xB1] = PFX(N, MEM(I("vbcstnesh2ps", F_W0, Vx(W), Mw(R))),
		     MEM(I("vbcstnebf162ps", F_W0, Vx(W), Mw(R))), N),
	[0xB4] = P66(WSEL(N, V3RW("vpmadd52luq"))),
	[0xB5] = P66(WSEL(N, V3RW("vpmadd52huq"))),
	[0xB6] = FMAP("vfmaddsub231ps", "vfmaddsub231pd"),
	[0xB7] = FMAP("vfmsubadd231ps", "vfmsubadd231pd"),
	[0xB8] = FMAP("vfmadd231ps", "vfmadd231pd"),
	[0xB9] = FMAS("vfmadd231ss", "vfmadd231sd"),
	[0xBA] = FMAP("vfmsub231ps", "vfmsub231pd"),
	[0xBB] = FMAS("vfmsub231ss", "vfmsub231sd"),
	[0xBC] = FMAP("vfnmadd231ps", "vfnmadd231pd"),
	[0xBD] = FMAS("vfnmadd231ss", "vfnmadd231sd"),
	[0xBE] = FMAP("vfnmsub231ps", "vfnmsub231pd"),
	[0xBF] = FMAS("vfnmsub231ss", "vfnmsub231sd"),
	[0xCB] = PF2(L1(I("vsha512rnds2", F_W0, Vx(RW), Hx, Uo))),
	[0xCC] = PF2(L1(I("vsha512msg1", F_W0, Vx(RW), Uo))),
	[0xCD] = PF2(L1(I("vsha512msg2", F_W0, Vx(RW), Ux))),
	[0xCF] = P66(V3W0("vgf2p8mulb")),
	[0xD2] = PFX(V3RWW0("vpdpwuud"), V3RWW0("vpdpwusd"), V3RWW0("vpdpwsud"), N),
	[0xD3] = PFX(V3RWW0("vpdpwuuds"), V3RWW0("vpdpwusds"), V3RWW0("vpdpwsuds"), N),
	[0xDA] = PFX(I("vsm3msg1", F_L0 | F_W0, Vo(RW), Ho, Wo),
		     I("vsm3msg2", F_L0 | F_W0, Vo(RW), Ho, Wo),
		     V3W0("vsm4key4"), V3W0("vsm4rnds4")),
	[0xDB] = P66(I("vaesimc", F_L0, Vo(W), Wo)),
	[0xDC] = P66(V3("vaesenc")),
	[0xDD] = P66(V3("vaesenclast")),
	[0xDE] = P66(V3("vaesdec")),
	[0xDF] = P66(V3("vaesdeclast")),
	[0xE0] = CMPXADD("cmpoxadd"),
	[0xE1] = CMPXADD("cmpnoxadd"),
	[0xE2] = CMPXADD("cmpbxadd"),
	[0xE3] = CMPXADD("cmpnbxadd"),
	[0xE4] = CMPXADD("cmpzxadd"),
	[0xE5] = CMPXADD("cmpnzxadd"),
	[0xE6] = CMPXADD("cmpbexadd"),
	[0xE7] = CMPXADD("cmpnbexadd"),
	[0xE8] = CMPXADD("cmpsxadd"),
	[0xE9] = CMPXADD("cmpnsxadd"),
	[0xEA] = CMPXADD("cmppxadd"),
	[0xEB] = CMPXADD("cmpnpxadd"),
	[0xEC] = CMPXADD("cmplxadd"),
	[0xED] = CMPXADD("cmpnlxadd"),
	[0xEE] = CMPXADD("cmplexadd"),
	[0xEF] = CMPXADD("cmpnlexadd"),
	/* BMI1/BMI2: 32-bit GPRs, 64-bit with VEX.W=1; VEX.L must be 0. */
	[0xF2] = PNP(LSEL(I("andn", 0, Gy(W), By(R), Ey(R)), N)),
	[0xF3] = PNP(LSEL(REG8(N, I("blsr", 0, By(W), Ey(R)), I("blsmsk", 0, By(W), Ey(R)),
			       I("blsi", 0, By(W), Ey(R)), N, N, N, N), N)),
	[0xF5] = PFX(LSEL(I("bzhi", 0, Gy(W), Ey(R), By(R)), N), N,
		     LSEL(I("pext", 0, Gy(W), By(R), Ey(R)), N),
		     LSEL(I("pdep", 0, Gy(W), By(R), Ey(R)), N)),
	[0xF6] = PF2(LSEL(I("mulx", 0, Gy(W), By(W), Ey(R)), N)),
	[0xF7] = PFX(LSEL(I("bextr", 0, Gy(W), Ey(R), By(R)), N),
		     LSEL(I("shlx", 0, Gy(W), Ey(R), By(R)), N),
		     LSEL(I("sarx", 0, Gy(W), Ey(R), By(R)), N),
		     LSEL(I("shrx", 0, Gy(W), Ey(R), By(R)), N)),
};

#define KSHIFT(a, b) P66(LSEL(WSEL(I(a, 0, KGw, KRr, Ib), I(b, 0, KGw, KRr, Ib)), N))

const struct x86_opcode_row x86_vex_map3[256] = {
	[0x00] = P66(L1(I("vpermq", F_W1, Vx(W), Wx, Ib))),
	[0x01] = P66(L1(I("vpermpd", F_W1, Vx(W), Wx, Ib))),
	[0x02] = P66(I("vpblendd", F_W0, Vx(W), Hx, Wx, Ib)),
	[0x04] = P66(I("vpermilps", F_W0, Vx(W), Wx, Ib)),
	[0x05] = P66(I("vpermilpd", F_W0, Vx(W), Wx, Ib)),
	[0x06] = P66(L1(I("vperm2f128", F_W0, Vx(W), Hx, Wx, Ib))),
	[0x08] = P66(V2I("vroundps")),
	[0x09] = P66(V2I("vroundpd")),
	[0x0A] = P66(I("vroundss", 0, Vo(W), Ho, Wd, Ib)),
	[0x0B] = P66(I("vroundsd", 0, Vo(W), Ho, Wq, Ib)),
	[0x0C] = P66(V3I("vblendps")),
	[0x0D] = P66(V3I("vblendpd")),
	[0x0E] = P66(V3I("vpblendw")),
	[0x0F] = P66(V3I("vpalignr")),
	[0x14] = P66(MOD(I("vpextrb", F_L0, Mb(W), Vo(R), Ib), I("vpextrb", F_L0, Rd(W), Vo(R), Ib))),
	[0x15] = P66(MOD(I("vpextrw", F_L0, Mw(W), Vo(R), Ib), I("vpextrw", F_L0, Rd(W), Vo(R), Ib))),
	[0x16] = P66(WSEL(I("vpextrd", F_L0, Ed(W), Vo(R), Ib), I("vpextrq", F_L0, Eq(W), Vo(R), Ib))),
	[0x17] = P66(I("vextractps", F_L0, Ed(W), Vo(R), Ib)),
	[0x18] = P66(L1(I("vinsertf128", F_W0, Vx(W), Hx, Wo, Ib))),
	[0x19] = P66(L1(I("vextractf128", F_W0, OP(M_W, Z_O, W), Vx(R), Ib))),
	[0x1D] = P66(I("vcvtps2ph", F_W0, OP(M_W, Z_XH, W), Vx(R), Ib)),
	[0x20] = P66(MOD(I("vpinsrb", F_L0, Vo(W), Ho, Mb(R), Ib), I("vpinsrb", F_L0, Vo(W), Ho, Rd(R), Ib))),
	[0x21] = P66(I("vinsertps", F_L0, Vo(W), Ho, Wd, Ib)),
	[0x22] = P66(WSEL(I("vpinsrd", F_L0, Vo(W), Ho, Ed(R), Ib), I("vpinsrq", F_L0, Vo(W), Ho, Eq(R), Ib))),
	[0x30] = KSHIFT("kshiftrb", "kshiftrw"),
	[0x31] = KSHIFT("kshiftrd", "kshiftrq"),
	[0x32] = KSHIFT("kshiftlb", "kshiftlw"),
	[0x33] = KSHIFT("kshiftld", "kshiftlq"),
	[0x38] = P66(L1(I("vinserti128", F_W0, Vx(W), Hx, Wo, Ib))),
	[0x39] = P66(L1(I("vextracti128", F_W0, OP(M_W, Z_O, W), Vx(R), Ib))),
	[0x40] = P66(V3I("vdpps")),
	[0x41] = P66(I("vdppd", F_L0, Vo(W), Ho, Wo, Ib)),
	[0x42] = P66(V3I("vmpsadbw")),
	[0x44] = P66(V3I("vpclmulqdq")),
	[0x46] = P66(L1(I("vperm2i128", F_W0, Vx(W), Hx, Wx, Ib))),
	[0x48] = AMD66, /* vpermil2ps */
	[0x49] = AMD66, /* vpermil2pd */
	[0x4A] = P66(I("vblendvps", F_W0, Vx(W), Hx, Wx, Lx)),
	[0x4B] = P66(I("vblendvpd", F_W0, Vx(W), Hx, Wx, Lx)),
	[0x4C] = P66(I("vpblendvb", F_W0, Vx(W), Hx, Wx, Lx)),
	[0x5C] = AMD66, [0x5D] = AMD66, [0x5E] = AMD66, [0x5F] = AMD66, /* FMA4 */
	[0x60] = P66(LSEL(WSEL(I("vpcmpestrm", 0, Vo(R), Wo, Ib), I("vpcmpestrm64", 0, Vo(R), Wo, Ib)), N)),
	[0x61] = P66(LSEL(WSEL(I("vpcmpestri", 0, Vo(R), Wo, Ib), I("vpcmpestri64", 0, Vo(R), Wo, Ib)), N)),
	[0x62] = P66(I("vpcmpistrm", F_L0, Vo(R), Wo, Ib)),
	[0x63] = P66(LSEL(WSEL(I("vpcmpistri", 0, Vo(R), Wo, Ib), I("vpcmpistri64", 0, Vo(R), Wo, Ib)), N)),
	[0x68] = AMD66, [0x69] = AMD66, [0x6A] = AMD66, [0x6B] = AMD66,
	[0x6C] = AMD66, [0x6D] = AMD66, [0x6E] = AMD66, [0x6F] = AMD66,
	[0x78] = AMD66, [0x79] = AMD66, [0x7A] = AMD66, [0x7B] = AMD66,
	[0x7C] = AMD66, [0x7D] = AMD66, [0x7E] = AMD66, [0x7F] = AMD66,
	[0xCE] = P66(I("vgf2p8affineqb", F_W1, Vx(W), Hx, Wx, Ib)),
	[0xCF] = P66(I("vgf2p8affineinvqb", F_W1, Vx(W), Hx, Wx, Ib)),
	[0xDE] = P66(I("vsm3rnds2", F_L0 | F_W0, Vo(RW), Ho, Wo, Ib)),
	[0xDF] = P66(I("vaeskeygenassist", F_L0, Vo(W), Wo, Ib)),
	[0xF0] = PF2(LSEL(I("rorx", 0, Gy(W), Ey(R), Ib), N)),
};

/* VEX map 5: AMX-FP8 dot products. */
const struct x86_opcode_row x86_vex_map5[256] = {
	[0xFD] = PFX(REGM(TDP("tdpbf8ps")), REGM(TDP("tdphf8ps")), REGM(TDP("tdphbf8ps")),
		     REGM(TDP("tdpbhf8ps"))),
};

/* VEX map 7: USER_MSR (W0) and MSR_IMM (W ignored), register form, /0, imm32. */
const struct x86_opcode_row x86_vex_map7[256] = {
	[0xF6] = PFX(N, N, LSEL(REG0(I("wrmsrns", 0, Id, Rq(R))), N),
		     LSEL(REG0(I("rdmsr", 0, Rq(W), Id)), N)),
	[0xF8] = PFX(N, N, LSEL(WSEL(REG0(I("uwrmsr", 0, Id, Rq(R))), N), N),
		     LSEL(WSEL(REG0(I("urdmsr", 0, Rq(W), Id)), N), N)),
};
