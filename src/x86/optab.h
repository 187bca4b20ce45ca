/* SPDX-License-Identifier: MIT */
/*
 * Opcode tables: one row per opcode, in the style of KVM's emulate.c.
 *
 * Each map is an array of 256 rows indexed by the opcode byte.  A row is
 * either a leaf (an instruction: XED iclass name, flags, operand specs) or a
 * selector that picks one of its children by some field of the encoding:
 *
 *   SEL_REG      8 children by ModRM.reg
 *   SEL_MOD      2 children: [0] memory (mod != 3), [1] register (mod == 3)
 *   SEL_RM       8 children by ModRM.rm
 *   SEL_PFX      4 children by mandatory prefix: [0] none, [1] 66, [2] F3, [3] F2.
 *                Legacy: the last of F2/F3 wins over 66; a 66 that selects
 *                child [1] is consumed (no operand-size effect).  VEX/EVEX: pp.
 *   SEL_PFX_OSZ  as SEL_PFX, but a 66 (or pp=1) keeps its operand-size meaning
 *   SEL_W        2 children by REX.W / REX2.W / VEX.W / EVEX.W
 *   SEL_L        4 children by VEX.L (0/1) or EVEX.L'L (0..3)
 *   SEL_NDNF     4 children by EVEX ND*2 + NF (map 4: CFCMOV, PUSH2/POP2)
 *   SEL_REX2     2 children: [0] without REX2, [1] with REX2
 *   SEL_OPREG0   2 children: [0] opcode register {B4,B3,opc[2:0]} == 0, [1] otherwise
 *   SEL_ASZ      2 children: [0] 64-bit address size, [1] 32-bit (67)
 *   SEL_OSZ      3 children by effective operand size: [0] 16, [1] 32, [2] 64
 *
 * Leaves list the operands XED shows (EXPLICIT and IMPLICIT, not SUPPRESSED),
 * in XED's order, each as an operand spec built with OP()/OPF().
 */
#ifndef APXVM_X86_OPTAB_H
#define APXVM_X86_OPTAB_H

#include <stdint.h>

#include "insn.h"

enum x86_sel {
	SEL_INVALID = 0, /* no instruction: .err says which XED error (0 = general) */
	SEL_LEAF,
	SEL_REG,
	SEL_MOD,
	SEL_RM,
	SEL_PFX,
	SEL_PFX_OSZ,
	SEL_W,
	SEL_L,
	SEL_NDNF,
	SEL_REX2,
	SEL_OPREG0,
	SEL_ASZ,
	SEL_OSZ,
};

/* Addressing methods of an operand spec (after the SDM's Appendix A letters). */
enum x86_method {
	M_NONE = 0,
	/* general-purpose and system registers, memory */
	M_E,     /* ModRM.rm: GPR or memory */
	M_G,     /* ModRM.reg: GPR */
	M_R,     /* ModRM.rm: GPR; mod != 3 is invalid */
	M_M,     /* ModRM.rm: memory; mod == 3 is invalid */
	M_RA,    /* ModRM.rm: GPR whatever mod says (MOV CR/DR ignore mod) */
	M_AGEN,  /* ModRM.rm: address only (LEA); mod == 3 is invalid */
	M_Z,     /* opcode bits 2:0 extended by B3/B4: GPR */
	M_B,     /* VEX/EVEX vvvv extended by V4: GPR (NDD destination, BMI source) */
	M_GPR,   /* a fixed GPR, number in the spec's reg field (AL, rAX, CL, DX) */
	M_SEG,   /* a fixed segment register, number in the reg field (push fs) */
	M_S,     /* ModRM.reg: segment register; 6 and 7 are bad_register */
	M_C,     /* ModRM.reg (+R): control register */
	M_D,     /* ModRM.reg (+R): debug register */
	/* immediates and branch targets */
	M_I,     /* immediate, zero-extended */
	M_IS,    /* immediate, sign-extended */
	M_ONE,   /* the constant 1 (shift by one): shown as an immediate, no bytes */
	M_J,     /* relative branch displacement, sign-extended */
	M_O,     /* moffs: absolute address, 8 bytes (4 with 67) */
	M_ABS,   /* 64-bit absolute branch target (JMPABS), shown as imm */
	/* x87, MMX, vector, mask, bound, tile registers */
	M_ST0,   /* st(0) */
	M_STI,   /* st(ModRM.rm) */
	M_P,     /* ModRM.reg: MMX */
	M_Q,     /* ModRM.rm: MMX or memory */
	M_N,     /* ModRM.rm: MMX; mod != 3 invalid */
	M_V,     /* ModRM.reg: XMM/YMM/ZMM (size code picks the class) */
	M_W,     /* ModRM.rm: vector register or memory */
	M_U,     /* ModRM.rm: vector register; mod != 3 invalid */
	M_H,     /* vvvv (+V'): vector register */
	M_L,     /* imm8[7:4]: vector register (VEX is4); counts as the imm byte */
	M_VSIB,  /* ModRM.rm: memory with a vector index (VSIB); mod == 3 invalid */
	M_KG,    /* ModRM.reg: mask register */
	M_KE,    /* ModRM.rm: mask register or memory */
	M_KR,    /* ModRM.rm: mask register; mod != 3 invalid */
	M_KH,    /* vvvv: mask register */
	M_KMASK, /* EVEX.aaa: the write mask (listed even when k0) */
	M_BNDG,  /* ModRM.reg: bnd0..3 */
	M_BNDE,  /* ModRM.rm: bnd register or memory */
	M_TG,    /* ModRM.reg: AMX tile */
	M_TR,    /* ModRM.rm: AMX tile */
	M_TH,    /* vvvv: AMX tile */
	M_NR_METHODS
};

/* Size codes: how an operand's width (in bits) is found. */
enum x86_size {
	Z_NONE = 0,
	Z_B,     /* 8 */
	Z_W,     /* 16 */
	Z_D,     /* 32 */
	Z_Q,     /* 64 */
	Z_T,     /* 80 (x87 extended, far pointer m16:64, descriptor table) */
	Z_O,     /* 128 */
	Z_QQ,    /* 256 */
	Z_ZZ,    /* 512 (also: a cache line) */
	Z_V,     /* operand size: 16, 32 or 64 */
	Z_Z,     /* 16 with operand size 16, else 32 (imm32 of 64-bit ops) */
	Z_Y,     /* 64 with operand size 64, else 32 */
	Z_A,     /* address size: 32 or 64 */
	Z_P,     /* far pointer: 16 + operand size (32, 48, 80) */
	Z_X,     /* vector length: 128, 256 or 512 */
	Z_XH,    /* half the vector length */
	Z_XQ,    /* a quarter of the vector length */
	Z_XE,    /* an eighth of the vector length */
	Z_ENV,   /* x87 environment: 112 with operand size 16, else 224 */
	Z_FSAVE, /* x87 state: 752 with operand size 16, else 864 */
	Z_FX,    /* FXSAVE area: 4096 */
	Z_XS,    /* XSAVE area as XED sizes it: 4608 */
	Z_24,    /* 24 */
	Z_48,    /* 48 */
	Z_384,   /* 384 (keylocker handles, etc.) */
	Z_NR_SIZES
};

/* Operand spec: method | size << 8 | access << 16 | fixed register << 18. */
#define OP(m, z, a)     ((uint32_t)(m) | (uint32_t)(z) << 8 | (uint32_t)(a) << 16)
#define OPF(m, z, a, n) (OP(m, z, a) | (uint32_t)(n) << 18)
#define OP_METHOD(s)    ((s) & 0xff)
#define OP_SIZE(s)      (((s) >> 8) & 0xff)
#define OP_ACCESS(s)    (((s) >> 16) & 3)
#define OP_FIXREG(s)    (((s) >> 18) & 0x3f)

#define R  X86_ACC_R
#define W  X86_ACC_W
#define RW X86_ACC_RW

/* Shorthands for the common general-purpose operands (access as argument). */
#define Eb(a) OP(M_E, Z_B, a)
#define Ew(a) OP(M_E, Z_W, a)
#define Ed(a) OP(M_E, Z_D, a)
#define Eq(a) OP(M_E, Z_Q, a)
#define Ev(a) OP(M_E, Z_V, a)
#define Ey(a) OP(M_E, Z_Y, a)
#define Gb(a) OP(M_G, Z_B, a)
#define Gw(a) OP(M_G, Z_W, a)
#define Gd(a) OP(M_G, Z_D, a)
#define Gq(a) OP(M_G, Z_Q, a)
#define Gv(a) OP(M_G, Z_V, a)
#define Gy(a) OP(M_G, Z_Y, a)
#define Zb(a) OP(M_Z, Z_B, a)
#define Zv(a) OP(M_Z, Z_V, a)
#define Zq(a) OP(M_Z, Z_Q, a)
#define By(a) OP(M_B, Z_Y, a)
#define Bv(a) OP(M_B, Z_V, a)
#define Ib    OP(M_I, Z_B, R)
#define Iw    OP(M_I, Z_W, R)
#define Iz    OP(M_I, Z_Z, R)
#define Iv    OP(M_I, Z_V, R)
#define IbS   OP(M_IS, Z_B, R)
#define IzS   OP(M_IS, Z_Z, R)
#define Jb    OP(M_J, Z_B, R)
#define Jz    OP(M_J, Z_Z, R)
#define ONE   OP(M_ONE, Z_B, R)

/* Fixed general-purpose registers, by encoding number. */
#define GPR_AX 0
#define GPR_CX 1
#define GPR_DX 2
#define GPR_BX 3
#define AL(a)  OPF(M_GPR, Z_B, a, GPR_AX)
#define CL(a)  OPF(M_GPR, Z_B, a, GPR_CX)
#define DX(a)  OPF(M_GPR, Z_W, a, GPR_DX)
#define rAX(a) OPF(M_GPR, Z_V, a, GPR_AX)

/* Leaf flags. */
enum x86_row_flag {
	F_MODRM      = 1u << 0,  /* has a ModRM byte even though no operand names it */
	F_LOCK       = 1u << 1,  /* LOCK allowed (memory destination); iclass gets "_lock" */
	F_LOCK_SAME  = 1u << 2,  /* LOCK allowed, iclass unchanged (XCHG) */
	F_D64        = 1u << 3,  /* default operand size 64 (66 gives 16) */
	F_F64        = 1u << 4,  /* operand size forced to 64 (66 ignored) */
	F_I64        = 1u << 5,  /* invalid in 64-bit mode */
	F_O64        = 1u << 6,  /* valid only in 64-bit mode */
	F_NOREX2     = 1u << 7,  /* #UD with a REX2 prefix */
	F_REP        = 1u << 8,  /* F2/F3 make the iclass "rep_" (MOVS, STOS, LODS, INS, OUTS) */
	F_REPE       = 1u << 9,  /* F3 "repe_", F2 "repne_" (CMPS, SCAS) */
	F_NAME_ASZ   = 1u << 10, /* "a|b|c" names are picked by address size 16|32|64 */
	F_ND         = 1u << 11, /* map 4: ND=1 allowed, NDD form (vvvv destination) */
	F_NF         = 1u << 12, /* map 4 / EVEX: NF=1 allowed ({nf}) */
	F_ZU         = 1u << 13, /* map 4: ND=1 allowed and means ZU (zero upper) */
	F_SCC        = 1u << 14, /* map 4: CCMP/CTEST: P2[3:0] = SCC, vvvv = DFV */
	F_NO_REGMATCH = 1u << 15,/* the two register operands must differ (POP2) */
	F_NO_RSP     = 1u << 16, /* RSP is a bad register for any GPR operand (PUSH2/POP2) */
	F_VVVV       = 1u << 17, /* VEX/EVEX: vvvv is used (otherwise it must be 1111) */
	F_L0         = 1u << 18, /* VEX/EVEX: L (L'L) must be 0 */
	F_W0         = 1u << 19, /* VEX/EVEX: W must be 0 */
	F_W1         = 1u << 20, /* VEX/EVEX: W must be 1 */
	F_AMD        = 1u << 21, /* exists only on AMD: invalid_for_chip */
	F_BND        = 1u << 22, /* F2 shows as "bnd" (branches) */
	F_NOREP      = 1u << 23, /* F2/F3 make it invalid */
	F_VSIB_HALF  = 1u << 24, /* VSIB index register is half the vector length (gather dpd/dq) */
};

/* EVEX vector attributes (vflags). */
enum x86_evex_flag {
	V_MASK      = 1u << 0,  /* write mask allowed */
	V_MASK_REQ  = 1u << 1,  /* aaa != 0 required (gathers/scatters) */
	V_ZERO      = 1u << 2,  /* zeroing (z=1) allowed */
	V_BCST      = 1u << 3,  /* b=1 with memory: embedded broadcast */
	V_ER        = 1u << 4,  /* b=1 with registers: embedded rounding */
	V_SAE       = 1u << 5,  /* b=1 with registers: suppress all exceptions */
	V_BCST16    = 1u << 6,  /* broadcast element is 16 bits (FP16/BF16) */
};

/* EVEX disp8*N tuple types (SDM Vol. 2 2.7.5). */
enum x86_tuple {
	T_NONE = 0, /* N = 1 (APX promoted instructions) */
	T_FV, T_HV, T_FVM, T_T1S, T_T1F, T_T2, T_T4, T_T8, T_HVM, T_QVM, T_OVM,
	T_M128, T_DUP,
};

struct x86_opcode_row {
	uint8_t sel;       /* enum x86_sel */
	uint8_t err;       /* SEL_INVALID: enum x86_status (0 means X86_ERR_GENERAL) */
	uint8_t tuple;     /* EVEX: enum x86_tuple */
	uint8_t elsz;      /* EVEX: element size in bytes for broadcast / T1S (0 = W picks 4/8) */
	uint32_t flags;    /* enum x86_row_flag */
	uint32_t vflags;   /* enum x86_evex_flag */
	const char *name;  /* XED iclass; "a|b|c" = by operand size 16|32|64 */
	const struct x86_opcode_row *sub; /* selector children */
	uint32_t ops[X86_MAX_OPERANDS - 1];
};

/* Row builders (KVM style).  I0 has no operands. */
#define I(nm, fl, ...) { .sel = SEL_LEAF, .flags = (fl), .name = (nm), .ops = { __VA_ARGS__ } }
#define I0(nm, fl)     { .sel = SEL_LEAF, .flags = (fl), .name = (nm) }
#define IV(nm, fl, vfl, tup, ...) { .sel = SEL_LEAF, .flags = (fl), .vflags = (vfl), \
				    .tuple = (tup), .name = (nm), .ops = { __VA_ARGS__ } }
#define N              { .sel = SEL_INVALID }
#define NE(e)          { .sel = SEL_INVALID, .err = (e) }
#define G(s, tab)      { .sel = (s), .sub = (tab) }
#define X2(...) __VA_ARGS__, __VA_ARGS__
#define X4(...) X2(__VA_ARGS__), X2(__VA_ARGS__)
#define X8(...) X4(__VA_ARGS__), X4(__VA_ARGS__)
#define X16(...) X8(__VA_ARGS__), X8(__VA_ARGS__)
/* Shorthands shared by the table files: sub-table literals and selectors. */
#define ROWS(n, ...)  ((const struct x86_opcode_row[n]){ __VA_ARGS__ })
#define PFX(...)      G(SEL_PFX, ROWS(4, __VA_ARGS__))          /* none, 66, F3, F2 */
#define PNP(...)      G(SEL_PFX, ROWS(4, __VA_ARGS__, N, N, N))
#define P66(...)      G(SEL_PFX, ROWS(4, N, __VA_ARGS__, N, N))
#define PF3(...)      G(SEL_PFX, ROWS(4, N, N, __VA_ARGS__, N))
#define PF2(...)      G(SEL_PFX, ROWS(4, N, N, N, __VA_ARGS__))
#define MOD(...)      G(SEL_MOD, ROWS(2, __VA_ARGS__))          /* memory, register */
#define REGM(...)     G(SEL_MOD, ROWS(2, N, __VA_ARGS__))       /* register form only */
#define WSEL(...)     G(SEL_W, ROWS(2, __VA_ARGS__))            /* W0, W1 */

/* Vector, MMX and memory-only operand shorthands (read unless an access is given). */
#define Vo(a)   OP(M_V, Z_O, a)
#define Wb      OP(M_W, Z_B, R)
#define Ww      OP(M_W, Z_W, R)
#define Wd      OP(M_W, Z_D, R)
#define Wq      OP(M_W, Z_Q, R)
#define Wo      OP(M_W, Z_O, R)
#define Wxh     OP(M_W, Z_XH, R)
#define Wxq     OP(M_W, Z_XQ, R)
#define Wxe     OP(M_W, Z_XE, R)
#define Uo      OP(M_U, Z_O, R)
#define Pq(a)   OP(M_P, Z_Q, a)
#define Rd(a)   OP(M_R, Z_D, a)
#define Rq(a)   OP(M_R, Z_Q, a)
#define Mb(a)   OP(M_M, Z_B, a)
#define Mw(a)   OP(M_M, Z_W, a)
#define My(a)   OP(M_M, Z_Y, a)


/* Table roots: one per map and encoding. */
extern const struct x86_opcode_row x86_map0[256];
extern const struct x86_opcode_row x86_map1[256];
extern const struct x86_opcode_row x86_map2[256];   /* 0F 38 */
extern const struct x86_opcode_row x86_map3[256];   /* 0F 3A */
extern const struct x86_opcode_row x86_vex_map1[256];
extern const struct x86_opcode_row x86_vex_map2[256];
extern const struct x86_opcode_row x86_vex_map3[256];
extern const struct x86_opcode_row x86_vex_map5[256];   /* AMX-FP8 */
extern const struct x86_opcode_row x86_vex_map7[256];   /* USER_MSR, MSR_IMM */
extern const struct x86_opcode_row x86_evex_map1[256];
extern const struct x86_opcode_row x86_evex_map2[256];
extern const struct x86_opcode_row x86_evex_map3[256];
extern const struct x86_opcode_row x86_evex_map4[256];
extern const struct x86_opcode_row x86_evex_map5[256];
extern const struct x86_opcode_row x86_evex_map6[256];
extern const struct x86_opcode_row x86_evex_map7[256];

#endif
