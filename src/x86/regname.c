/* SPDX-License-Identifier: MIT */
/*
 * Register names as Intel XED prints them (lowercase): the names used by the
 * `operands` and `intel` columns of the reference vectors.
 */
#include "x86/insn.h"

static const char *const gpr8[32] = {
	"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
	"r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b",
	"r16b", "r17b", "r18b", "r19b", "r20b", "r21b", "r22b", "r23b",
	"r24b", "r25b", "r26b", "r27b", "r28b", "r29b", "r30b", "r31b",
};

static const char *const gpr8h[4] = { "ah", "ch", "dh", "bh" };

static const char *const gpr16[32] = {
	"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
	"r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w",
	"r16w", "r17w", "r18w", "r19w", "r20w", "r21w", "r22w", "r23w",
	"r24w", "r25w", "r26w", "r27w", "r28w", "r29w", "r30w", "r31w",
};

static const char *const gpr32[32] = {
	"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
	"r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d",
	"r16d", "r17d", "r18d", "r19d", "r20d", "r21d", "r22d", "r23d",
	"r24d", "r25d", "r26d", "r27d", "r28d", "r29d", "r30d", "r31d",
};

static const char *const gpr64[32] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	"r16", "r17", "r18", "r19", "r20", "r21", "r22", "r23",
	"r24", "r25", "r26", "r27", "r28", "r29", "r30", "r31",
};

static const char *const seg[6] = { "es", "cs", "ss", "ds", "fs", "gs" };

static const char *const cr[16] = {
	"cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7",
	"cr8", "cr9", "cr10", "cr11", "cr12", "cr13", "cr14", "cr15",
};

static const char *const dr[16] = {
	"dr0", "dr1", "dr2", "dr3", "dr4", "dr5", "dr6", "dr7",
	"dr8", "dr9", "dr10", "dr11", "dr12", "dr13", "dr14", "dr15",
};

static const char *const st[8] = {
	"st(0)", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)",
};

static const char *const mmx[8] = {
	"mm0", "mm1", "mm2", "mm3", "mm4", "mm5", "mm6", "mm7",
};

static const char *const xmm[32] = {
	"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
	"xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15",
	"xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23",
	"xmm24", "xmm25", "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31",
};

static const char *const ymm[32] = {
	"ymm0", "ymm1", "ymm2", "ymm3", "ymm4", "ymm5", "ymm6", "ymm7",
	"ymm8", "ymm9", "ymm10", "ymm11", "ymm12", "ymm13", "ymm14", "ymm15",
	"ymm16", "ymm17", "ymm18", "ymm19", "ymm20", "ymm21", "ymm22", "ymm23",
	"ymm24", "ymm25", "ymm26", "ymm27", "ymm28", "ymm29", "ymm30", "ymm31",
};

static const char *const zmm[32] = {
	"zmm0", "zmm1", "zmm2", "zmm3", "zmm4", "zmm5", "zmm6", "zmm7",
	"zmm8", "zmm9", "zmm10", "zmm11", "zmm12", "zmm13", "zmm14", "zmm15",
	"zmm16", "zmm17", "zmm18", "zmm19", "zmm20", "zmm21", "zmm22", "zmm23",
	"zmm24", "zmm25", "zmm26", "zmm27", "zmm28", "zmm29", "zmm30", "zmm31",
};

static const char *const kreg[8] = { "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7" };

static const char *const bnd[4] = { "bnd0", "bnd1", "bnd2", "bnd3" };

static const char *const tmm[8] = {
	"tmm0", "tmm1", "tmm2", "tmm3", "tmm4", "tmm5", "tmm6", "tmm7",
};

#define PICK(tab, n) ((n) < sizeof(tab) / sizeof((tab)[0]) ? (tab)[n] : "?")

/*
 * X86_RC_RIP: the struct carries no width, so the number tells which name:
 * 0 (or 64) is rip, anything else (1 or 32) is eip.  The formatter picks the
 * name by the address size instead and does not depend on this.
 */
const char *x86_reg_name(struct x86_reg reg)
{
	unsigned n = reg.num;

	switch (reg.cls) {
	case X86_RC_GPR8:  return PICK(gpr8, n);
	case X86_RC_GPR8H: return gpr8h[n & 3];
	case X86_RC_GPR16: return PICK(gpr16, n);
	case X86_RC_GPR32: return PICK(gpr32, n);
	case X86_RC_GPR64: return PICK(gpr64, n);
	case X86_RC_RIP:   return (n == 0 || n == 64) ? "rip" : "eip";
	case X86_RC_SEG:   return PICK(seg, n);
	case X86_RC_CR:    return PICK(cr, n);
	case X86_RC_DR:    return PICK(dr, n);
	case X86_RC_ST:    return PICK(st, n);
	case X86_RC_MMX:   return PICK(mmx, n);
	case X86_RC_XMM:   return PICK(xmm, n);
	case X86_RC_YMM:   return PICK(ymm, n);
	case X86_RC_ZMM:   return PICK(zmm, n);
	case X86_RC_K:     return PICK(kreg, n);
	case X86_RC_BND:   return PICK(bnd, n);
	case X86_RC_TMM:   return PICK(tmm, n);
	default:           return "?";
	}
}
