/* SPDX-License-Identifier: MIT */
/*
 * Legacy three-byte map 0F 38: SSSE3 (MMX and SSE forms), SSE4.1/4.2, AES,
 * SHA, GFNI, Key Locker, and the general-purpose 0F 38 Fx rows (MOVBE,
 * CRC32, ADCX/ADOX, WRSS/WRUSS, MOVDIRI, MOVDIR64B, ENQCMD(S), USER_MSR,
 * RAO-INT), VMX INVEPT/INVVPID/INVPCID and MOVRS.
 *
 * SEL_PFX: [0] no prefix (the MMX form where one exists), [1] 66 (the SSE
 * form; the 66 is consumed), [2] F3, [3] F2.  Operand access follows XED
 * (SSE destinations that are also sources are rw; XMM0 of BLENDV and
 * SHA256RNDS2 is suppressed, so it is not listed).
 */
#include "optab.h"

#define PFXO(...)           G(SEL_PFX_OSZ, ROWS(4, __VA_ARGS__))
#define MEM(...)            G(SEL_MOD, ROWS(2, __VA_ARGS__, N))
#define REG8(...)           G(SEL_REG, ROWS(8, __VA_ARGS__))

#define Qq      OP(M_Q, Z_Q, R)
#define Mo(a)   OP(M_M, Z_O, a)
#define Mv(a)   OP(M_M, Z_V, a)
#define Mzz(a)  OP(M_M, Z_ZZ, a)
#define M384(a) OP(M_M, Z_384, a)
#define Ga(a)   OP(M_G, Z_A, a)   /* MOVDIR64B/ENQCMD: address-size GPR */

/* SSSE3: MMX form without prefix, SSE form with 66. */
#define SSSE3(nm)    PFX(I(nm, 0, Pq(RW), Qq), I(nm, 0, Vo(RW), Wo), N, N)
#define SSSE3W(nm)   PFX(I(nm, 0, Pq(W), Qq), I(nm, 0, Vo(W), Wo), N, N)
#define SSE(nm)      P66(I(nm, 0, Vo(RW), Wo))
#define SSEW(nm)     P66(I(nm, 0, Vo(W), Wo))
#define PMOVX(nm, w) P66(I(nm, 0, Vo(W), w))

const struct x86_opcode_row x86_map2[256] = {
	[0x00] = SSSE3("pshufb"),
	[0x01] = SSSE3("phaddw"),
	[0x02] = SSSE3("phaddd"),
	[0x03] = SSSE3("phaddsw"),
	[0x04] = SSSE3("pmaddubsw"),
	[0x05] = SSSE3("phsubw"),
	[0x06] = SSSE3("phsubd"),
	[0x07] = SSSE3("phsubsw"),
	[0x08] = SSSE3("psignb"),
	[0x09] = SSSE3("psignw"),
	[0x0A] = SSSE3("psignd"),
	[0x0B] = SSSE3("pmulhrsw"),
	[0x10] = SSE("pblendvb"),
	[0x14] = SSE("blendvps"),
	[0x15] = SSE("blendvpd"),
	[0x17] = P66(I("ptest", 0, Vo(R), Wo)),
	[0x1C] = SSSE3W("pabsb"),
	[0x1D] = SSSE3W("pabsw"),
	[0x1E] = SSSE3W("pabsd"),
	[0x20] = PMOVX("pmovsxbw", Wq),
	[0x21] = PMOVX("pmovsxbd", Wd),
	[0x22] = PMOVX("pmovsxbq", Ww),
	[0x23] = PMOVX("pmovsxwd", Wq),
	[0x24] = PMOVX("pmovsxwq", Wd),
	[0x25] = PMOVX("pmovsxdq", Wq),
	[0x28] = SSE("pmuldq"),
	[0x29] = SSE("pcmpeqq"),
	[0x2A] = P66(MEM(I("movntdqa", 0, Vo(W), Mo(R)))),
	[0x2B] = SSE("packusdw"),
	[0x30] = PMOVX("pmovzxbw", Wq),
	[0x31] = PMOVX("pmovzxbd", Wd),
	[0x32] = PMOVX("pmovzxbq", Ww),
	[0x33] = PMOVX("pmovzxwd", Wq),
	[0x34] = PMOVX("pmovzxwq", Wd),
	[0x35] = PMOVX("pmovzxdq", Wq),
	[0x37] = SSE("pcmpgtq"),
	[0x38] = SSE("pminsb"),
	[0x39] = SSE("pminsd"),
	[0x3A] = SSE("pminuw"),
	[0x3B] = SSE("pminud"),
	[0x3C] = SSE("pmaxsb"),
	[0x3D] = SSE("pmaxsd"),
	[0x3E] = SSE("pmaxuw"),
	[0x3F] = SSE("pmaxud"),
	[0x40] = SSE("pmulld"),
	[0x41] = SSEW("phminposuw"),
	/* VMX / INVPCID: the register is 64-bit in 64-bit mode whatever REX.W says. */
	[0x80] = P66(MEM(I("invept", 0, Gq(R), Mo(R)))),
	[0x81] = P66(MEM(I("invvpid", 0, Gq(R), Mo(R)))),
	[0x82] = P66(MEM(I("invpcid", 0, Gq(R), Mo(R)))),
	/* MOVRS: no F2/F3; a 66 is an operand-size prefix. */
	[0x8A] = MEM(I("movrs", F_NOREP, Gb(W), Mb(R))),
	[0x8B] = MEM(I("movrs", F_NOREP, Gv(W), Mv(R))),
	[0xC8] = PNP(I("sha1nexte", 0, Vo(RW), Wo)),
	[0xC9] = PNP(I("sha1msg1", 0, Vo(RW), Wo)),
	[0xCA] = PNP(I("sha1msg2", 0, Vo(RW), Wo)),
	[0xCB] = PNP(I("sha256rnds2", 0, Vo(RW), Wo)),
	[0xCC] = PNP(I("sha256msg1", 0, Vo(RW), Wo)),
	[0xCD] = PNP(I("sha256msg2", 0, Vo(RW), Wo)),
	[0xCF] = SSE("gf2p8mulb"),
	/* Key Locker (F3) next to AES (66). */
	[0xD8] = PF3(MEM(REG8(I("aesencwide128kl", 0, M384(R)), I("aesdecwide128kl", 0, M384(R)),
			      I("aesencwide256kl", 0, Mzz(R)), I("aesdecwide256kl", 0, Mzz(R)),
			      N, N, N, N))),
	[0xDB] = SSEW("aesimc"),
	[0xDC] = PFX(N, I("aesenc", 0, Vo(RW), Wo),
		     MOD(I("aesenc128kl", 0, Vo(RW), M384(R)), I("loadiwkey", 0, Vo(R), Uo)), N),
	[0xDD] = PFX(N, I("aesenclast", 0, Vo(RW), Wo), MEM(I("aesdec128kl", 0, Vo(RW), M384(R))), N),
	[0xDE] = PFX(N, I("aesdec", 0, Vo(RW), Wo), MEM(I("aesenc256kl", 0, Vo(RW), Mzz(R))), N),
	[0xDF] = PFX(N, I("aesdeclast", 0, Vo(RW), Wo), MEM(I("aesdec256kl", 0, Vo(RW), Mzz(R))), N),
	/*
	 * MOVBE (no F2/F3, 66 = 16-bit) and CRC32 (F2; a 66 makes F1 read 16 bits,
	 * the destination stays 32/64).  SEL_PFX_OSZ keeps 66 as operand size.
	 */
	[0xF0] = PFXO(MEM(I("movbe", 0, Gv(W), Mv(R))), MEM(I("movbe", 0, Gv(W), Mv(R))), N,
		      I("crc32", 0, Gy(RW), Eb(R))),
	[0xF1] = PFXO(MEM(I("movbe", 0, Mv(W), Gv(R))), MEM(I("movbe", 0, Mv(W), Gv(R))), N,
		      I("crc32", 0, Gy(RW), Ev(R))),
	[0xF5] = P66(MEM(I("wrussd|wrussd|wrussq", 0, My(W), Gy(R)))),
	[0xF6] = PFX(MEM(I("wrssd|wrssd|wrssq", 0, My(W), Gy(R))),
		     I("adcx", 0, Gy(RW), Ey(R)), I("adox", 0, Gy(RW), Ey(R)), N),
	[0xF8] = PFX(N, MEM(I("movdir64b", 0, Ga(R), Mzz(R))),
		     MOD(I("enqcmds", 0, Ga(R), Mzz(R)), I("uwrmsr", 0, Gq(R), Rq(R))),
		     MOD(I("enqcmd", 0, Ga(R), Mzz(R)), I("urdmsr", 0, Rq(W), Gq(R)))),
	[0xF9] = PNP(MEM(I("movdiri", 0, My(W), Gy(R)))),
	[0xFA] = PF3(REGM(I("encodekey128", 0, Gd(W), Rd(R)))),
	[0xFB] = PF3(REGM(I("encodekey256", 0, Gd(W), Rd(R)))),
	/* RAO-INT: NP aadd, 66 aand, F3 axor, F2 aor. */
	[0xFC] = PFX(MEM(I("aadd", 0, My(RW), Gy(R))), MEM(I("aand", 0, My(RW), Gy(R))),
		     MEM(I("axor", 0, My(RW), Gy(R))), MEM(I("aor", 0, My(RW), Gy(R)))),
};
