/* SPDX-License-Identifier: MIT */
/*
 * Legacy three-byte map 0F 3A: SSSE3 PALIGNR (MMX and SSE forms), SSE4.1/4.2,
 * PCLMULQDQ, AES, SHA, GFNI and HRESET.  Same prefix convention as 0F 38
 * (SEL_PFX: [0] none, [1] 66 consumed, [2] F3, [3] F2).
 */
#include "optab.h"

#define REG0(...)           G(SEL_REG, ROWS(8, __VA_ARGS__, N, N, N, N, N, N, N))
#define RM0(...)            G(SEL_RM, ROWS(8, __VA_ARGS__, N, N, N, N, N, N, N))

#define Qq      OP(M_Q, Z_Q, R)

#define SSEI(nm)   P66(I(nm, 0, Vo(RW), Wo, Ib))
#define SSEIW(nm)  P66(I(nm, 0, Vo(W), Wo, Ib))
#define STTNI(nm)  P66(I(nm, 0, Vo(R), Wo, Ib))

const struct x86_opcode_row x86_map3[256] = {
	[0x08] = SSEIW("roundps"),
	[0x09] = SSEIW("roundpd"),
	[0x0A] = P66(I("roundss", 0, Vo(RW), Wd, Ib)),
	[0x0B] = P66(I("roundsd", 0, Vo(RW), Wq, Ib)),
	[0x0C] = SSEI("blendps"),
	[0x0D] = SSEI("blendpd"),
	[0x0E] = SSEI("pblendw"),
	[0x0F] = PFX(I("palignr", 0, Pq(RW), Qq, Ib), I("palignr", 0, Vo(RW), Wo, Ib), N, N),
	/* Extracts to a GPR always name the 32-bit register (XED GPR32_B). */
	[0x14] = P66(MOD(I("pextrb", 0, Mb(W), Vo(R), Ib), I("pextrb", 0, Rd(W), Vo(R), Ib))),
	[0x15] = P66(MOD(I("pextrw_sse4", 0, Mw(W), Vo(R), Ib), I("pextrw_sse4", 0, Rd(W), Vo(R), Ib))),
	[0x16] = P66(WSEL(I("pextrd", 0, Ed(W), Vo(R), Ib), I("pextrq", 0, Eq(W), Vo(R), Ib))),
	[0x17] = P66(I("extractps", 0, Ed(W), Vo(R), Ib)),
	[0x20] = P66(MOD(I("pinsrb", 0, Vo(RW), Mb(R), Ib), I("pinsrb", 0, Vo(RW), Rd(R), Ib))),
	[0x21] = P66(I("insertps", 0, Vo(RW), Wd, Ib)),
	[0x22] = P66(WSEL(I("pinsrd", 0, Vo(RW), Ed(R), Ib), I("pinsrq", 0, Vo(RW), Eq(R), Ib))),
	[0x40] = SSEI("dpps"),
	[0x41] = SSEI("dppd"),
	[0x42] = SSEI("mpsadbw"),
	[0x44] = SSEI("pclmulqdq"),
	/* SSE4.2 string compares; REX.W selects XED's ...64 iclass for the explicit-length ones. */
	[0x60] = P66(WSEL(I("pcmpestrm", 0, Vo(R), Wo, Ib), I("pcmpestrm64", 0, Vo(R), Wo, Ib))),
	[0x61] = P66(WSEL(I("pcmpestri", 0, Vo(R), Wo, Ib), I("pcmpestri64", 0, Vo(R), Wo, Ib))),
	[0x62] = STTNI("pcmpistrm"),
	[0x63] = P66(WSEL(I("pcmpistri", 0, Vo(R), Wo, Ib), I("pcmpistri64", 0, Vo(R), Wo, Ib))),
	[0xCC] = PNP(I("sha1rnds4", 0, Vo(RW), Wo, Ib)),
	[0xCE] = SSEI("gf2p8affineqb"),
	[0xCF] = SSEI("gf2p8affineinvqb"),
	[0xDF] = SSEIW("aeskeygenassist"),
	/* HRESET: F3 0F 3A F0 C0 ib (EAX is suppressed). */
	[0xF0] = PF3(REGM(REG0(RM0(I("hreset", 0, Ib))))),
};
