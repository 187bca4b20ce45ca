/* SPDX-License-Identifier: MIT */
/*
 * EVEX map 7: the immediate forms of MSR-IMM and USER-MSR (apx.md §3.4).
 * All need mod=11 and ModRM.reg=0; ModRM.rm (+B3/B4) is the 64-bit GPR and
 * a 32-bit MSR index follows as an immediate (shown zero-extended).
 *   F6 F3: WRMSRNS imm32, r64     F6 F2: RDMSR r64, imm32    (W ignored)
 *   F8 F3: UWRMSR  imm32, r64     F8 F2: URDMSR r64, imm32   (W0)
 */
#include "optab.h"

#define RMq(a)  OP(M_R, Z_Q, a)   /* ModRM.rm: 64-bit GPR, mod=11 only */
#define IMM32   OP(M_I, Z_D, R)    /* MSR index, zero-extended */

static const struct x86_opcode_row msr_f6_pfx[4] = {
	N, N, I("wrmsrns", 0, IMM32, RMq(R)), I("rdmsr", 0, RMq(W), IMM32),
};
static const struct x86_opcode_row msr_f8_pfx[4] = {
	N, N, I("uwrmsr", F_W0, IMM32, RMq(R)), I("urdmsr", F_W0, RMq(W), IMM32),
};
static const struct x86_opcode_row msr_f6_reg[8] = { G(SEL_PFX, msr_f6_pfx), N, N, N, N, N, N, N };
static const struct x86_opcode_row msr_f8_reg[8] = { G(SEL_PFX, msr_f8_pfx), N, N, N, N, N, N, N };
static const struct x86_opcode_row msr_f6[2] = { N, G(SEL_REG, msr_f6_reg) };
static const struct x86_opcode_row msr_f8[2] = { N, G(SEL_REG, msr_f8_reg) };

const struct x86_opcode_row x86_evex_map7[256] = {
	[0xf6] = G(SEL_MOD, msr_f6),
	[0xf8] = G(SEL_MOD, msr_f8),
};
