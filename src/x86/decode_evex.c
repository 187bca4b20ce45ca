/* SPDX-License-Identifier: MIT */
/*
 * EVEX validation for the vector maps 1, 2, 3, 5, 6 and the disp8*N scale.
 *
 * The table walk finds the row by map, opcode, pp, W, L'L, mod and reg; what
 * XED checks on top of that is here, in the order XED's patterns would fail.
 * EVEX payload (APX reading, spec apx.md §3.1):
 *
 *   P0: R3' X3' B3' R4' B4 m2 m1 m0     (' = stored inverted)
 *   P1: W v3' v2' v1' v0' U(X4') p1 p0
 *   P2: z L' L b V4' a2 a1 a0
 *
 * Vector register numbers: ModRM.reg = {R4,R3,reg}, ModRM.rm with mod=3 =
 * {X3,B3,rm} (B4 ignored), vvvv = {V4,vvvv}, VSIB index = {V4,X3,index} (X4
 * ignored).  GPR numbers use R4/B4/X4/V4 as APX says.
 */
#include "decode_evex.h"
#include "optab.h"

enum x86_status x86_evex_ild_check(const struct x86_insn *insn, unsigned ll, bool has_modrm,
				   uint8_t modrm)
{
	/* XED sets the L'L error after the z/aaa one, so it wins. */
	if (has_modrm && ll == 3 && ((modrm >> 6) != 3 || !insn->evex_b))
		return X86_ERR_BAD_EVEX_LL;
	if (insn->evex_z && !insn->aaa)
		return X86_ERR_BAD_EVEX_Z_NO_MASKING;
	return X86_OK;
}

static bool method_is_vvvv(unsigned m)
{
	return m == M_H || m == M_B || m == M_KH || m == M_TH;
}

/* Methods that can name memory through ModRM.rm. */
static bool method_is_rm_mem(unsigned m)
{
	return m == M_E || m == M_M || m == M_W || m == M_KE || m == M_VSIB || m == M_Q;
}

static bool is_vec_class(uint8_t cls)
{
	return cls == X86_RC_XMM || cls == X86_RC_YMM || cls == X86_RC_ZMM;
}

static unsigned vl_fraction(unsigned z, unsigned vl)
{
	switch (z) {
	case Z_X:  return vl;
	case Z_XH: return vl / 2;
	case Z_XQ: return vl / 4;
	case Z_XE: return vl / 8;
	}
	return 0;
}

/* A packed row has some operand sized by the vector length; scalar rows do not. */
static bool row_is_packed(const struct x86_opcode_row *row)
{
	for (unsigned i = 0; i < X86_MAX_OPERANDS - 1 && row->ops[i]; i++)
		if (vl_fraction(OP_SIZE(row->ops[i]), 512))
			return true;
	return false;
}

enum x86_status x86_evex_check(const struct x86_insn *insn, const struct x86_opcode_row *row)
{
	bool mem = insn->has_modrm && (insn->modrm >> 6) != 3;
	bool uses_vvvv = (row->flags & F_VVVV) != 0, vsib = false, kreg = false, tile = false;
	bool mem_dest = false;
	uint32_t vf = row->vflags;

	for (unsigned i = 0; i < X86_MAX_OPERANDS - 1 && row->ops[i]; i++) {
		unsigned m = OP_METHOD(row->ops[i]);

		uses_vvvv |= method_is_vvvv(m);
		vsib |= m == M_VSIB;
		kreg |= m == M_KG;
		tile |= m == M_TG;
		if (i == 0 && mem && method_is_rm_mem(m))
			mem_dest = true;
	}

	/* Length-decoder error; the engine normally reports it before the walk. */
	if (insn->evex_z && !insn->aaa)
		return X86_ERR_BAD_EVEX_Z_NO_MASKING;

	/*
	 * EVEX.U (P1[2]) is X4 only for memory forms; register forms need it set,
	 * except scalar rounding/SAE forms where XED ignores it (its
	 * avx10-scalar-rc patterns: "UBIT is don't care").
	 */
	if (insn->has_modrm && !mem && insn->x4 &&
	    !(insn->evex_b && (vf & (V_ER | V_SAE)) && !row_is_packed(row)))
		return X86_ERR_GENERAL;

	/* No vvvv operand: vvvv = 1111 and V' = 1 (V' is the VSIB index bit 4). */
	if (!uses_vvvv && (insn->vvvv || (insn->v4 && !vsib)))
		return X86_ERR_GENERAL;

	/* Mask and tile registers in ModRM.reg have only 3 bits: R and R' must be 0. */
	if ((kreg || tile) && (insn->r3 || insn->r4))
		return X86_ERR_GENERAL;

	/* VSIB and AMX tile memory need a SIB byte. */
	if ((vsib || (tile && mem)) && (insn->modrm & 7) != 4)
		return X86_ERR_GENERAL;

	/* Masking: aaa must be 0 where no write mask exists (aaa = 100 is {nf}). */
	if (insn->aaa) {
		if (!(vf & V_MASK) && !((row->flags & F_NF) && insn->aaa == 4))
			return X86_ERR_GENERAL;
	} else if (vf & V_MASK_REQ) {
		return X86_ERR_GENERAL;
	}
	/* Zeroing: only where allowed, and never into memory. */
	if (insn->evex_z && (!(vf & V_ZERO) || mem_dest))
		return X86_ERR_GENERAL;

	/* EVEX.b: broadcast with memory, rounding / SAE with registers. */
	if (insn->evex_b && !(vf & (mem ? V_BCST : (V_ER | V_SAE))))
		return X86_ERR_GENERAL;

	return X86_OK;
}

unsigned x86_evex_disp8_scale(const struct x86_insn *insn, const struct x86_opcode_row *row)
{
	unsigned vlb = insn->vl / 8;
	unsigned es = row->elsz ? row->elsz : insn->w ? 8 : 4;
	bool bcst = insn->evex_b && (row->vflags & V_BCST);

	if (row->vflags & V_BCST16)
		es = 2;
	switch (row->tuple) {
	case T_FV:  return bcst ? es : vlb;
	case T_HV:  return bcst ? es : vlb / 2;
	case T_FVM: return vlb;
	case T_HVM: return bcst ? es : vlb / 2;
	case T_QVM: return bcst ? es : vlb / 4;
	case T_OVM: return vlb / 8;
	case T_T1S:
	case T_T1F: return es;
	case T_T2:  return 2 * es;
	case T_T4:  return 4 * es;
	case T_T8:  return 8 * es;
	case T_M128: return 16;
	case T_DUP: return insn->vl == 128 ? 8 : vlb;
	}
	return 1;
}

void x86_evex_fixup_operands(struct x86_insn *insn, const struct x86_opcode_row *row)
{
	bool mem = insn->has_modrm && (insn->modrm >> 6) != 3;
	unsigned n = insn->nops < X86_MAX_OPERANDS - 1 ? insn->nops : X86_MAX_OPERANDS - 1;

	if (insn->evex_b && mem && (row->vflags & V_BCST)) {
		unsigned es = row->elsz ? row->elsz : insn->w ? 8 : 4;

		if (row->vflags & V_BCST16)
			es = 2;
		for (unsigned i = 0; i < insn->nops; i++)
			if (insn->ops[i].kind == X86_OPK_MEM)
				insn->ops[i].width = (uint16_t)(es * 8);
	}

	if (insn->evex_b && !mem && (row->vflags & (V_ER | V_SAE))) {
		if (row_is_packed(row)) {
			insn->vl = 512;
			for (unsigned i = 0; i < n; i++) {
				struct x86_operand *op = &insn->ops[i];
				unsigned bits = vl_fraction(OP_SIZE(row->ops[i]), 512);

				if (!bits || op->kind != X86_OPK_REG || !is_vec_class(op->reg.cls))
					continue;
				op->width = (uint16_t)bits;
				op->reg.cls = bits > 256 ? X86_RC_ZMM : bits > 128 ? X86_RC_YMM
								   : X86_RC_XMM;
			}
		}
	}

	if (insn->aaa && !insn->evex_z && (row->vflags & V_MASK) && insn->nops &&
	    insn->ops[0].kind == X86_OPK_REG && is_vec_class(insn->ops[0].reg.cls) &&
	    insn->ops[0].access == X86_ACC_W)
		insn->ops[0].access = X86_ACC_RW;
}
