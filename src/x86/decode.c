/* SPDX-License-Identifier: MIT */
/*
 * x86-64 instruction decoder: prefixes, REX/REX2/VEX/EVEX, a walk through
 * the opcode tables (optab.h), ModRM/SIB/displacement, immediates, and the
 * operand list in XED's order.  Pure: bytes and mode in, x86_insn out.
 *
 * Every byte is fetched through fetch(), which enforces both the 15-byte
 * architectural limit and the caller's buffer end.
 */
#include <string.h>

#include "decode_evex.h"
#include "optab.h"

struct dctx {
	const uint8_t *buf;
	unsigned avail;
	unsigned pos;
	struct x86_insn *in;
	enum x86_status err;     /* first fetch error */
	bool have_modrm;
	uint8_t mod, reg, rm;
	bool p66_consumed;       /* 66 selected a row as mandatory prefix */
	bool ndnf_consumed;      /* SEL_NDNF used ND/NF as a form selector */
	bool sel_pfx;            /* some SEL_PFX/SEL_PFX_OSZ was walked */
	bool vsib_half;          /* F_VSIB_HALF: the VSIB index is half the vector length */
	uint8_t evex[3];         /* raw EVEX payload P0 P1 P2 */
	uint8_t ll;              /* raw VEX.L / EVEX.L'L */
	uint8_t seg_byte;        /* last segment prefix byte, 0 if none */
};

static const char *const status_names[X86_NR_STATUS] = {
	[X86_OK] = "ok",
	[X86_ERR_GENERAL] = "general_error",
	[X86_ERR_INVALID_FOR_CHIP] = "invalid_for_chip",
	[X86_ERR_BAD_REGISTER] = "bad_register",
	[X86_ERR_BAD_LOCK_PREFIX] = "bad_lock_prefix",
	[X86_ERR_BAD_LEGACY_PREFIX] = "bad_legacy_prefix",
	[X86_ERR_BAD_REX_PREFIX] = "bad_rex_prefix",
	[X86_ERR_BAD_MAP] = "bad_map",
	[X86_ERR_BAD_EVEX_Z_NO_MASKING] = "bad_evex_z_no_masking",
	[X86_ERR_BAD_EVEX_LL] = "bad_evex_ll",
	[X86_ERR_BAD_REG_MATCH] = "bad_reg_match",
	[X86_ERR_TOO_LONG] = "instr_too_long",
	[X86_ERR_TRUNCATED] = "buffer_too_short",
};

const char *x86_status_name(enum x86_status st)
{
	return (unsigned)st < X86_NR_STATUS ? status_names[st] : "?";
}

/* Next byte, or 0 with d->err set: past 15 bytes or past the buffer. */
static uint8_t fetch(struct dctx *d)
{
	if (d->pos >= X86_MAX_INSN_LEN) {
		if (!d->err)
			d->err = X86_ERR_TOO_LONG;
		return 0;
	}
	if (d->pos >= d->avail) {
		if (!d->err)
			d->err = X86_ERR_TRUNCATED;
		return 0;
	}
	return d->buf[d->pos++];
}

static uint64_t fetch_le(struct dctx *d, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)fetch(d) << (8 * i);
	return v;
}

static void fetch_modrm(struct dctx *d)
{
	uint8_t m;

	if (d->have_modrm)
		return;
	m = fetch(d);
	d->have_modrm = true;
	d->in->has_modrm = true;
	d->in->modrm = m;
	d->mod = m >> 6;
	d->reg = (m >> 3) & 7;
	d->rm = m & 7;
}

static bool method_uses_modrm(unsigned m)
{
	switch (m) {
	case M_E: case M_G: case M_R: case M_M: case M_RA: case M_AGEN:
	case M_S: case M_C: case M_D: case M_STI: case M_P: case M_Q:
	case M_N: case M_V: case M_W: case M_U: case M_VSIB: case M_KG:
	case M_KE: case M_KR: case M_BNDG: case M_BNDE: case M_TG: case M_TR:
		return true;
	}
	return false;
}

static bool method_uses_vvvv(unsigned m)
{
	return m == M_B || m == M_H || m == M_KH || m == M_TH;
}

/* Legacy mandatory-prefix index: [0] none, [1] 66, [2] F3, [3] F2. */
static unsigned pfx_index(const struct dctx *d)
{
	const struct x86_insn *in = d->in;

	if (in->encoding == X86_ENC_VEX || in->encoding == X86_ENC_EVEX)
		return in->pp; /* 1 = 66, 2 = F3, 3 = F2: the same order */
	if (in->rep == 0xF3)
		return 2;
	if (in->rep == 0xF2)
		return 3;
	return in->p66 ? 1 : 0;
}

/* Operand size before leaf flags (for SEL_OSZ) and with them (for the leaf). */
static unsigned operand_size(const struct dctx *d, uint32_t flags)
{
	const struct x86_insn *in = d->in;
	bool o16;

	if (flags & F_F64)
		return 64;
	if (in->w)
		return 64;
	if (in->encoding == X86_ENC_EVEX || in->encoding == X86_ENC_VEX)
		o16 = in->pp == 1 && !d->p66_consumed;
	else
		o16 = in->p66 && !d->p66_consumed;
	if (o16)
		return 16;
	return (flags & F_D64) ? 64 : 32;
}

/* Walk selectors from `row` to a leaf.  NULL with in->len = 0 on error. */
static const struct x86_opcode_row *walk(struct dctx *d, const struct x86_opcode_row *row,
					 enum x86_status *st)
{
	struct x86_insn *in = d->in;
	unsigned idx;

	for (unsigned depth = 0; depth < 16; depth++) {
		switch (row->sel) {
		case SEL_LEAF:
			return row;
		case SEL_INVALID:
			*st = row->err ? (enum x86_status)row->err : X86_ERR_GENERAL;
			if (*st == X86_ERR_INVALID_FOR_CHIP && in->lock)
				*st = X86_ERR_BAD_LOCK_PREFIX;
			return NULL;
		case SEL_REG:
			fetch_modrm(d);
			idx = d->reg;
			break;
		case SEL_MOD:
			fetch_modrm(d);
			idx = d->mod == 3;
			break;
		case SEL_RM:
			fetch_modrm(d);
			idx = d->rm;
			break;
		case SEL_PFX:
		case SEL_PFX_OSZ:
			idx = pfx_index(d);
			d->sel_pfx = true;
			in->mandatory = idx == 1 ? 0x66 : idx == 2 ? 0xF3 : idx == 3 ? 0xF2 : 0;
			if (idx == 1 && row->sel == SEL_PFX)
				d->p66_consumed = true;
			break;
		case SEL_W:
			idx = in->w;
			break;
		case SEL_L:
			idx = d->ll & 3;
			break;
		case SEL_NDNF:
			idx = (unsigned)in->nd * 2 + in->nf;
			d->ndnf_consumed = true;
			break;
		case SEL_REX2:
			idx = in->encoding == X86_ENC_REX2;
			break;
		case SEL_OPREG0:
			idx = (in->b4 || in->b3 || (in->opcode & 7)) ? 1 : 0;
			break;
		case SEL_ASZ:
			idx = in->p67;
			break;
		case SEL_OSZ: {
			unsigned os = operand_size(d, 0);
			idx = os == 16 ? 0 : os == 32 ? 1 : 2;
			break;
		}
		default:
			*st = X86_ERR_GENERAL;
			return NULL;
		}
		if (d->err) {
			*st = d->err;
			return NULL;
		}
		row = &row->sub[idx];
	}
	*st = X86_ERR_GENERAL; /* a table cycle: a bug in the tables */
	return NULL;
}

static unsigned width_bits(unsigned z, const struct x86_insn *in)
{
	switch (z) {
	case Z_B: return 8;
	case Z_W: return 16;
	case Z_D: return 32;
	case Z_Q: return 64;
	case Z_T: return 80;
	case Z_O: return 128;
	case Z_QQ: return 256;
	case Z_ZZ: return 512;
	case Z_V: return in->osize;
	case Z_Z: return in->osize == 16 ? 16 : 32;
	case Z_Y: return in->osize == 64 ? 64 : 32;
	case Z_A: return in->asize;
	case Z_P: return 16 + in->osize;
	case Z_X: return in->vl;
	case Z_XH: return in->vl / 2;
	case Z_XQ: return in->vl / 4;
	case Z_XE: return in->vl / 8;
	case Z_ENV: return in->osize == 16 ? 112 : 224;
	case Z_FSAVE: return in->osize == 16 ? 752 : 864;
	case Z_FX: return 4096;
	case Z_XS: return 4608;
	case Z_24: return 24;
	case Z_48: return 48;
	case Z_384: return 384;
	}
	return 0;
}

/* A GPR of `bits` width; 8-bit numbers 4..7 are AH..BH without REX-class prefixes. */
static struct x86_reg gpr(const struct x86_insn *in, unsigned num, unsigned bits)
{
	struct x86_reg r = { X86_RC_GPR64, (uint8_t)num };

	switch (bits) {
	case 8:
		r.cls = X86_RC_GPR8;
		if (num >= 4 && num < 8 && !in->rex && in->encoding == X86_ENC_LEGACY)
			r.cls = X86_RC_GPR8H;
		break;
	case 16: r.cls = X86_RC_GPR16; break;
	case 32: r.cls = X86_RC_GPR32; break;
	}
	return r;
}

static uint8_t vec_class(unsigned bits)
{
	return bits > 256 ? X86_RC_ZMM : bits > 128 ? X86_RC_YMM : X86_RC_XMM;
}

/* Decode the memory form of ModRM (SIB, displacement) into op. */
static void decode_mem(struct dctx *d, struct x86_operand *op, bool vsib)
{
	struct x86_insn *in = d->in;
	unsigned abits = in->asize;
	uint8_t base = d->rm, mod = d->mod;
	bool has_base = true;

	op->kind = X86_OPK_MEM;
	op->mem.seg = in->seg;
	op->mem.index.cls = X86_RC_NONE;
	op->mem.base.cls = X86_RC_NONE;
	op->mem.scale = 0;

	if (d->rm == 4) {
		uint8_t sib = in->sib, idx, ss;

		ss = sib >> 6;
		idx = (sib >> 3) & 7;
		base = sib & 7;
		if (vsib) {
			unsigned n = idx | in->x3 << 3 | (in->encoding == X86_ENC_EVEX && in->v4) << 4;
			op->mem.index.cls = vec_class(d->vsib_half ? in->vl / 2u : in->vl);
			op->mem.index.num = (uint8_t)n;
			op->mem.scale = (uint8_t)(1u << ss);
		} else if (idx != 4 || in->x3 || in->x4) {
			unsigned n = idx | in->x3 << 3 | in->x4 << 4;
			op->mem.index = gpr(in, n, abits);
			op->mem.scale = (uint8_t)(1u << ss);
		}
		if (base == 5 && mod == 0)
			has_base = false;
	} else if (mod == 0 && d->rm == 5) {
		op->mem.base.cls = X86_RC_RIP;
		op->mem.base.num = 0;
		has_base = false;
	}
	if (has_base)
		op->mem.base = gpr(in, base | in->b3 << 3 | in->b4 << 4, abits);

	op->mem.disp_bytes = in->disp_bytes;
}

/*
 * Parse SIB and displacement right after ModRM (they precede immediates).
 * The raw displacement is kept in `raw_disp` and scaled once the leaf is known.
 */
static void parse_sib_disp(struct dctx *d, int64_t *raw_disp)
{
	struct x86_insn *in = d->in;

	*raw_disp = 0;
	if (!d->have_modrm || d->mod == 3)
		return;
	if (d->rm == 4) {
		in->sib = fetch(d);
		in->has_sib = true;
	}
	if (d->mod == 1) {
		in->disp_bytes = 1;
		*raw_disp = (int8_t)fetch(d);
	} else if (d->mod == 2 || (d->mod == 0 && d->rm == 5) ||
		   (d->mod == 0 && d->rm == 4 && (in->sib & 7) == 5)) {
		in->disp_bytes = 4;
		*raw_disp = (int32_t)fetch_le(d, 4);
	}
}

static uint64_t sign_extend(uint64_t v, unsigned bytes)
{
	unsigned sh = 64 - 8 * bytes;

	return bytes >= 8 ? v : (uint64_t)((int64_t)(v << sh) >> sh);
}

static unsigned imm_bytes(unsigned z, const struct x86_insn *in)
{
	switch (z) {
	case Z_B: return 1;
	case Z_W: return 2;
	case Z_D: return 4;
	case Z_Q: return 8;
	case Z_Z: return in->osize == 16 ? 2 : 4;
	case Z_V: return in->osize / 8;
	}
	return 0;
}

/* Build one operand from its spec.  Returns an error status or X86_OK. */
static enum x86_status build_operand(struct dctx *d, uint32_t spec, struct x86_operand *op,
				     int64_t disp)
{
	struct x86_insn *in = d->in;
	unsigned m = OP_METHOD(spec), z = OP_SIZE(spec);
	unsigned bits = width_bits(z, in);
	bool evex = in->encoding == X86_ENC_EVEX;
	unsigned n;

	memset(op, 0, sizeof(*op));
	op->access = (uint8_t)OP_ACCESS(spec);
	op->width = (uint16_t)bits;
	op->kind = X86_OPK_REG;

	switch (m) {
	case M_E: case M_M: case M_AGEN: case M_W: case M_Q: case M_KE:
	case M_BNDE: case M_VSIB:
		if (d->mod != 3) {
			decode_mem(d, op, m == M_VSIB);
			op->mem.has_disp = in->disp_bytes != 0;
			op->mem.disp = disp;
			if (m == M_AGEN) {
				op->kind = X86_OPK_AGEN;
				op->width = in->asize;
				op->mem.seg = X86_SEG_NONE; /* XED: no segment on AGEN */
			}
			return X86_OK;
		}
		if (m == M_M || m == M_AGEN || m == M_VSIB)
			return X86_ERR_GENERAL;
		if (m == M_E) {
			op->reg = gpr(in, d->rm | in->b3 << 3 | in->b4 << 4, bits);
		} else if (m == M_W) {
			n = d->rm | in->b3 << 3 | (evex ? in->x3 << 4 : 0);
			op->reg = (struct x86_reg){ vec_class(bits), (uint8_t)n };
		} else if (m == M_Q) {
			op->reg = (struct x86_reg){ X86_RC_MMX, d->rm };
		} else if (m == M_KE) {
			op->reg = (struct x86_reg){ X86_RC_K, d->rm };
		} else {
			op->reg = (struct x86_reg){ X86_RC_BND, (uint8_t)(d->rm | in->b3 << 3) };
			if (op->reg.num > 3)
				return X86_ERR_BAD_REGISTER;
		}
		return X86_OK;
	case M_R: case M_N: case M_U: case M_KR: case M_TR:
		if (d->mod != 3)
			return X86_ERR_GENERAL;
		/* fall through */
	case M_RA:
		if (m == M_R || m == M_RA)
			op->reg = gpr(in, d->rm | in->b3 << 3 | in->b4 << 4, bits);
		else if (m == M_N)
			op->reg = (struct x86_reg){ X86_RC_MMX, d->rm };
		else if (m == M_U)
			op->reg = (struct x86_reg){ vec_class(bits),
				(uint8_t)(d->rm | in->b3 << 3 | (evex ? in->x3 << 4 : 0)) };
		else if (m == M_KR)
			op->reg = (struct x86_reg){ X86_RC_K, d->rm };
		else if (in->b3 || in->b4)
			return X86_ERR_GENERAL; /* M_TR: tmm0..7 only */
		else
			op->reg = (struct x86_reg){ X86_RC_TMM, d->rm };
		return X86_OK;
	case M_G:
		op->reg = gpr(in, d->reg | in->r3 << 3 | in->r4 << 4, bits);
		return X86_OK;
	case M_Z:
		op->reg = gpr(in, (in->opcode & 7) | in->b3 << 3 | in->b4 << 4, bits);
		return X86_OK;
	case M_B:
		op->reg = gpr(in, in->vvvv | in->v4 << 4, bits);
		return X86_OK;
	case M_GPR:
		op->reg = gpr(in, OP_FIXREG(spec), bits);
		if (bits == 8 && OP_FIXREG(spec) >= 4)
			op->reg.cls = X86_RC_GPR8H;
		return X86_OK;
	case M_SEG:
		op->reg = (struct x86_reg){ X86_RC_SEG, (uint8_t)OP_FIXREG(spec) };
		return X86_OK;
	case M_S:
		if (d->reg > 5)
			return X86_ERR_BAD_REGISTER;
		op->reg = (struct x86_reg){ X86_RC_SEG, d->reg };
		return X86_OK;
	case M_C:
		n = d->reg | in->r3 << 3;
		if (in->r4 || !(n == 0 || n == 2 || n == 3 || n == 4 || n == 8))
			return X86_ERR_BAD_REGISTER;
		op->reg = (struct x86_reg){ X86_RC_CR, (uint8_t)n };
		return X86_OK;
	case M_D:
		if (in->r4 || in->r3)
			return X86_ERR_BAD_REGISTER;
		op->reg = (struct x86_reg){ X86_RC_DR, d->reg };
		return X86_OK;
	case M_I: case M_IS: {
		unsigned nb = imm_bytes(z, in);
		uint64_t v = fetch_le(d, nb);

		op->kind = X86_OPK_IMM;
		op->imm = m == M_IS ? sign_extend(v, nb) : v;
		op->width = (uint16_t)(nb * 8);
		in->imm_bytes += (uint8_t)nb;
		return X86_OK;
	}
	case M_ONE:
		op->kind = X86_OPK_IMM;
		op->imm = 1;
		op->width = 8;
		return X86_OK;
	case M_J: {
		unsigned nb = z == Z_B ? 1 : (in->osize == 16 ? 2 : 4);

		op->kind = X86_OPK_REL;
		op->rel = (int64_t)sign_extend(fetch_le(d, nb), nb);
		in->imm_bytes += (uint8_t)nb;
		return X86_OK;
	}
	case M_O: {
		unsigned nb = in->p67 ? 4 : 8;

		op->kind = X86_OPK_MEM;
		op->mem.base.cls = X86_RC_NONE;
		op->mem.index.cls = X86_RC_NONE;
		op->mem.seg = in->seg;
		op->mem.has_disp = true;
		op->mem.disp_bytes = (uint8_t)nb;
		op->mem.disp = (int64_t)sign_extend(fetch_le(d, nb), nb);
		in->imm_bytes += (uint8_t)nb;
		return X86_OK;
	}
	case M_ABS:
		op->kind = X86_OPK_IMM;
		op->imm = fetch_le(d, 8);
		op->width = 64;
		in->imm_bytes += 8;
		return X86_OK;
	case M_ST0:
		op->reg = (struct x86_reg){ X86_RC_ST, 0 };
		return X86_OK;
	case M_STI:
		op->reg = (struct x86_reg){ X86_RC_ST, d->rm };
		return X86_OK;
	case M_P:
		op->reg = (struct x86_reg){ X86_RC_MMX, d->reg };
		return X86_OK;
	case M_V:
		op->reg = (struct x86_reg){ vec_class(bits),
			(uint8_t)(d->reg | in->r3 << 3 | (evex ? in->r4 << 4 : 0)) };
		return X86_OK;
	case M_H:
		op->reg = (struct x86_reg){ vec_class(bits), (uint8_t)(in->vvvv | in->v4 << 4) };
		return X86_OK;
	case M_L: {
		uint8_t ib = fetch(d);

		in->imm_bytes += 1;
		op->reg = (struct x86_reg){ vec_class(bits), (uint8_t)(ib >> 4) };
		return X86_OK;
	}
	case M_KG: /* XED MASK_R: R (and EVEX R') must be 0 */
		if (in->r3 || in->r4)
			return X86_ERR_GENERAL;
		op->reg = (struct x86_reg){ X86_RC_K, d->reg };
		return X86_OK;
	case M_KH: /* XED MASK_N64: vvvv must be 0..7 */
		if (in->vvvv > 7)
			return X86_ERR_GENERAL;
		op->reg = (struct x86_reg){ X86_RC_K, (uint8_t)(in->vvvv & 7) };
		return X86_OK;
	case M_KMASK:
		op->reg = (struct x86_reg){ X86_RC_K, in->aaa };
		return X86_OK;
	case M_BNDG:
		op->reg = (struct x86_reg){ X86_RC_BND, (uint8_t)(d->reg | in->r3 << 3) };
		return op->reg.num > 3 ? X86_ERR_BAD_REGISTER : X86_OK;
	case M_TG: /* XED TMM_R/TMM_N/TMM_B: tmm0..7 only */
		if (in->r3 || in->r4)
			return X86_ERR_GENERAL;
		op->reg = (struct x86_reg){ X86_RC_TMM, d->reg };
		return X86_OK;
	case M_TH:
		if (in->vvvv > 7 || in->v4)
			return X86_ERR_GENERAL;
		op->reg = (struct x86_reg){ X86_RC_TMM, (uint8_t)(in->vvvv & 7) };
		return X86_OK;
	}
	return X86_ERR_GENERAL;
}

static const char scc_names[16][4] = {
	"o", "no", "b", "nb", "z", "nz", "be", "nbe",
	"s", "ns", "t", "f", "l", "nl", "le", "nle",
};

/* The iclass: pick the "a|b|c" alternative, then add lock/rep/scc decorations. */
static void make_iclass(struct x86_insn *in, const struct x86_opcode_row *row)
{
	const char *nm = row->name ? row->name : "?", *bar;
	unsigned pick, len;
	char *o = in->iclass, *end = in->iclass + sizeof(in->iclass) - 1;
	const char *pre = "";

	pick = (row->flags & F_NAME_ASZ) ? in->asize : in->osize;
	pick = pick == 16 ? 0 : pick == 32 ? 1 : 2;
	for (; pick && (bar = strchr(nm, '|')); pick--)
		nm = bar + 1;
	bar = strchr(nm, '|');
	len = bar ? (unsigned)(bar - nm) : (unsigned)strlen(nm);

	if ((row->flags & F_REP) && in->rep)
		pre = "rep_";
	else if ((row->flags & F_REPE) && in->rep)
		pre = in->rep == 0xF3 ? "repe_" : "repne_";
	while (*pre && o < end)
		*o++ = *pre++;
	for (unsigned i = 0; i < len && o < end; i++)
		*o++ = nm[i];
	if (row->flags & F_SCC) {
		for (const char *s = scc_names[in->scc & 15]; *s && o < end; s++)
			*o++ = *s;
	}
	if (in->lock && (row->flags & F_LOCK)) {
		for (const char *s = "_lock"; *s && o < end; s++)
			*o++ = *s;
	}
	*o = 0;
}

/* APX field rules for EVEX maps 4 and 7 (spec §3.2). */
static enum x86_status check_apx_evex(struct dctx *d, const struct x86_opcode_row *row,
				      bool uses_vvvv)
{
	struct x86_insn *in = d->in;
	uint8_t p2 = d->evex[2];

	if (in->evex_z || d->ll)
		return X86_ERR_GENERAL;
	if (d->mod == 3 && d->have_modrm && in->x4)
		return X86_ERR_GENERAL;
	if (row->flags & F_SCC) {
		if (in->nd)
			return X86_ERR_GENERAL;
		in->scc = (int8_t)(p2 & 15);
		in->dfv = (int8_t)((d->evex[1] >> 3) & 15);
		in->nf = false;
		return X86_OK;
	}
	if (in->aaa & 3)
		return X86_ERR_GENERAL;
	if (!d->ndnf_consumed) {
		if (in->nf && !(row->flags & F_NF))
			return X86_ERR_GENERAL;
		if (in->nd && !(row->flags & (F_ND | F_ZU)))
			return X86_ERR_GENERAL;
		if (in->nd && (row->flags & F_ZU))
			in->zu = true;
		if (in->nd && (row->flags & F_ND))
			uses_vvvv = true;
	} else {
		uses_vvvv = uses_vvvv || in->nd;
	}
	if (!uses_vvvv && (in->vvvv || in->v4))
		return X86_ERR_GENERAL;
	return X86_OK;
}

static enum x86_status decode_leaf(struct dctx *d, const struct x86_opcode_row *row)
{
	struct x86_insn *in = d->in;
	uint32_t specs[X86_MAX_OPERANDS];
	unsigned nspec = 0, disp8_n = 1;
	bool uses_vvvv = false, needs_modrm = (row->flags & F_MODRM) != 0;
	bool evex = in->encoding == X86_ENC_EVEX, vex = in->encoding == X86_ENC_VEX;
	int64_t disp;
	enum x86_status st;

	if ((row->flags & F_I64) && in->mode == X86_MODE_64)
		return X86_ERR_GENERAL;
	if ((row->flags & F_NOREX2) && in->encoding == X86_ENC_REX2)
		return X86_ERR_GENERAL;
	if ((row->flags & F_NOREP) && in->rep)
		return X86_ERR_GENERAL;
	d->vsib_half = (row->flags & F_VSIB_HALF) != 0;

	for (unsigned i = 0; i < X86_MAX_OPERANDS - 1 && row->ops[i]; i++) {
		specs[nspec++] = row->ops[i];
		needs_modrm |= method_uses_modrm(OP_METHOD(row->ops[i]));
		uses_vvvv |= method_uses_vvvv(OP_METHOD(row->ops[i]));
	}
	if (needs_modrm)
		fetch_modrm(d);
	{
		/* MOV CR/DR (M_RA without a memory operand) ignore mod: no SIB/disp */
		bool memop = false, ra = false;

		for (unsigned i = 0; i < nspec; i++) {
			unsigned mm = OP_METHOD(specs[i]);
			memop |= mm == M_E || mm == M_M || mm == M_AGEN || mm == M_W || mm == M_Q ||
				 mm == M_KE || mm == M_BNDE || mm == M_VSIB;
			ra |= mm == M_RA;
		}
		if (!ra || memop)
			parse_sib_disp(d, &disp);
		else
			disp = 0;
	}
	if (d->err)
		return d->err;

	in->osize = (uint8_t)operand_size(d, row->flags);

	if (vex || evex) {
		if ((row->flags & F_L0) && d->ll)
			return X86_ERR_GENERAL;
		if ((row->flags & F_W0) && in->w)
			return X86_ERR_GENERAL;
		if ((row->flags & F_W1) && !in->w)
			return X86_ERR_GENERAL;
		uses_vvvv |= (row->flags & F_VVVV) != 0;
	}
	if (evex && (in->map == X86_MAP4 || in->map == X86_MAP7)) {
		st = check_apx_evex(d, row, uses_vvvv);
		if (st)
			return st;
		/* NDD: the vvvv register becomes the destination. */
		if (in->nd && !d->ndnf_consumed && (row->flags & F_ND) && nspec) {
			memmove(&specs[1], &specs[0], nspec * sizeof(specs[0]));
			specs[0] = OP(M_B, OP_SIZE(specs[1]), W);
			specs[1] = (specs[1] & ~(3u << 16)) | (uint32_t)R << 16;
			nspec++;
		}
		in->nf = in->nf && (row->flags & F_NF) && !d->ndnf_consumed;
	} else if (evex) {
		st = x86_evex_check(in, row);
		if (st)
			return st;
		disp8_n = x86_evex_disp8_scale(in, row);
		in->nf = (row->flags & F_NF) && (in->aaa & 4);
		in->nd = false;
	} else if (vex) {
		if (!uses_vvvv && in->vvvv)
			return X86_ERR_GENERAL;
	}
	if (in->disp_bytes == 1)
		disp *= (int64_t)disp8_n;

	for (unsigned i = 0; i < nspec; i++) {
		st = build_operand(d, specs[i], &in->ops[i], disp);
		if (st)
			return st;
		if (d->err)
			return d->err;
	}
	in->nops = (uint8_t)nspec;
	if (evex && in->map != X86_MAP4 && in->map != X86_MAP7)
		x86_evex_fixup_operands(in, row);
	if (in->lock && (!(row->flags & (F_LOCK | F_LOCK_SAME)) || !nspec ||
			 d->mod == 3 || !method_uses_modrm(OP_METHOD(specs[0]))))
		return X86_ERR_BAD_LOCK_PREFIX;
	if (row->flags & F_AMD)
		return X86_ERR_INVALID_FOR_CHIP;

	if (row->flags & F_NO_RSP) {
		for (unsigned i = 0; i < nspec; i++)
			if (in->ops[i].kind == X86_OPK_REG && in->ops[i].reg.cls == X86_RC_GPR64 &&
			    in->ops[i].reg.num == 4)
				return X86_ERR_BAD_REGISTER;
	}
	if ((row->flags & F_NO_REGMATCH) && nspec >= 2 &&
	    in->ops[0].reg.num == in->ops[1].reg.num)
		return X86_ERR_BAD_REG_MATCH;

	in->row = row;
	make_iclass(in, row);
	return X86_OK;
}

static bool is_gpr(uint8_t cls)
{
	return cls >= X86_RC_GPR8 && cls <= X86_RC_GPR64;
}

static void compute_egpr(struct x86_insn *in)
{
	for (unsigned i = 0; i < in->nops; i++) {
		const struct x86_operand *op = &in->ops[i];

		if (op->kind == X86_OPK_REG && is_gpr(op->reg.cls) && op->reg.num >= 16)
			in->egpr = true;
		if ((op->kind == X86_OPK_MEM || op->kind == X86_OPK_AGEN) &&
		    ((is_gpr(op->mem.base.cls) && op->mem.base.num >= 16) ||
		     (is_gpr(op->mem.index.cls) && op->mem.index.num >= 16)))
			in->egpr = true;
	}
}

/* VEX: C5 RvvvvLpp / C4 RXBmmmmm WvvvvLpp (R, X, B, vvvv inverted). */
static enum x86_status parse_vex(struct dctx *d, uint8_t c, const struct x86_opcode_row **tab)
{
	struct x86_insn *in = d->in;
	uint8_t b1 = fetch(d), b2, mmmmm = 1;

	in->encoding = X86_ENC_VEX;
	if (c == 0xC5) {
		b2 = b1;
		in->r3 = !(b1 & 0x80);
	} else {
		in->r3 = !(b1 & 0x80);
		in->x3 = !(b1 & 0x40);
		in->b3 = !(b1 & 0x20);
		mmmmm = b1 & 0x1f;
		b2 = fetch(d);
		in->w = b2 >> 7;
	}
	if (d->err)
		return d->err;
	in->vvvv = (uint8_t)(~b2 >> 3) & 15;
	d->ll = (b2 >> 2) & 1;
	in->vl = d->ll ? 256 : 128;
	in->pp = b2 & 3;
	switch (mmmmm) {
	case 1: *tab = x86_vex_map1; in->map = X86_MAP1; break;
	case 2: *tab = x86_vex_map2; in->map = X86_MAP2; break;
	case 3: *tab = x86_vex_map3; in->map = X86_MAP3; break;
	case 5: *tab = x86_vex_map5; in->map = X86_MAP5; break;
	case 7: *tab = x86_vex_map7; in->map = X86_MAP7; break;
	default: return X86_ERR_BAD_MAP;
	}
	return X86_OK;
}

/* EVEX: 62 P0 P1 P2 with the APX reinterpretation (spec §3.1). */
static enum x86_status parse_evex(struct dctx *d, const struct x86_opcode_row **tab)
{
	static const struct x86_opcode_row *const maps[8] = {
		NULL, x86_evex_map1, x86_evex_map2, x86_evex_map3,
		x86_evex_map4, x86_evex_map5, x86_evex_map6, x86_evex_map7,
	};
	struct x86_insn *in = d->in;
	uint8_t p0 = fetch(d), p1 = fetch(d), p2 = fetch(d);

	if (d->err)
		return d->err;
	d->evex[0] = p0;
	d->evex[1] = p1;
	d->evex[2] = p2;
	in->encoding = X86_ENC_EVEX;
	in->r3 = !(p0 & 0x80);
	in->x3 = !(p0 & 0x40);
	in->b3 = !(p0 & 0x20);
	in->r4 = !(p0 & 0x10);
	in->b4 = (p0 & 0x08) != 0;
	in->w = p1 >> 7;
	in->vvvv = (uint8_t)(~p1 >> 3) & 15;
	in->x4 = !(p1 & 0x04);
	in->pp = p1 & 3;
	in->evex_z = p2 >> 7;
	d->ll = (p2 >> 5) & 3;
	in->vl = d->ll == 0 ? 128 : d->ll == 1 ? 256 : 512;
	in->evex_b = (p2 >> 4) & 1;
	in->nd = in->evex_b;
	in->v4 = !(p2 & 0x08);
	in->aaa = p2 & 7;
	in->nf = (p2 & 4) != 0;
	in->map = p0 & 7;
	if (!maps[in->map])
		return X86_ERR_BAD_MAP;
	*tab = maps[in->map];
	return X86_OK;
}

enum x86_status x86_decode(const uint8_t *buf, unsigned avail, enum x86_mode mode,
			   struct x86_insn *in)
{
	struct dctx d = { .buf = buf, .avail = avail, .in = in };
	const struct x86_opcode_row *tab = x86_map0, *row;
	enum x86_status st = X86_OK, prefix_err = X86_OK;
	uint8_t b, rex = 0;

	memset(in, 0, sizeof(*in));
	in->mode = (uint8_t)mode;
	in->seg = X86_SEG_NONE;
	in->scc = -1;
	in->dfv = -1;

	/* Legacy prefixes; a REX counts only when nothing but the opcode follows. */
	for (;;) {
		b = fetch(&d);
		if (d.err)
			goto fail;
		switch (b) {
		case 0x26: case 0x2E: case 0x36: case 0x3E:
			d.seg_byte = b;
			/* ignored in 64-bit mode: an earlier FS/GS stays.  As branch
			 * hints, XED's order rule: 2E unless a 3E came first, 3E
			 * unless FS/GS came first. */
			if (b == 0x2E && in->hint != 0x3E)
				in->hint = 0x2E;
			if (b == 0x3E && in->seg == X86_SEG_NONE)
				in->hint = 0x3E;
			rex = 0;
			in->nprefixes++;
			continue;
		case 0x64: case 0x65:
			d.seg_byte = b;
			in->seg = b == 0x64 ? X86_SEG_FS : X86_SEG_GS;
			in->hint = 0;
			rex = 0;
			in->nprefixes++;
			continue;
		case 0x66: in->p66 = true; rex = 0; in->nprefixes++; continue;
		case 0x67: in->p67 = true; rex = 0; in->nprefixes++; continue;
		case 0xF0: in->lock = true; rex = 0; in->nprefixes++; continue;
		case 0xF2: case 0xF3: in->rep = b; rex = 0; in->nprefixes++; continue;
		}
		if (mode == X86_MODE_64 && (b & 0xF0) == 0x40) {
			rex = b;
			continue;
		}
		break;
	}
	in->asize = in->p67 ? 32 : 64;

	if (mode == X86_MODE_64 && b == 0xD5) {
		uint8_t p;

		if (rex)
			prefix_err = X86_ERR_BAD_REX_PREFIX;
		p = fetch(&d);
		in->encoding = X86_ENC_REX2;
		in->rex = 0;
		in->r4 = (p >> 6) & 1;
		in->x4 = (p >> 5) & 1;
		in->b4 = (p >> 4) & 1;
		in->w = (p >> 3) & 1;
		in->r3 = (p >> 2) & 1;
		in->x3 = (p >> 1) & 1;
		in->b3 = p & 1;
		in->map = p >> 7;
		tab = in->map ? x86_map1 : x86_map0;
		b = fetch(&d);
	} else if (mode == X86_MODE_64 && (b == 0xC4 || b == 0xC5 || b == 0x62)) {
		/* VEX/EVEX: LOCK is checked only once the instruction decodes (XED);
		 * no VEX/EVEX row allows it, so the leaf check rejects it. */
		if (in->p66 || in->rep)
			prefix_err = X86_ERR_BAD_LEGACY_PREFIX;
		if (rex)
			prefix_err = X86_ERR_BAD_REX_PREFIX;
		st = b == 0x62 ? parse_evex(&d, &tab) : parse_vex(&d, b, &tab);
		if (st)
			goto fail;
		b = fetch(&d);
		if (in->encoding == X86_ENC_EVEX && !d.err) {
			/*
			 * XED's length decoder (decode_evex.h): L'L = 3 beats a
			 * misplaced legacy/REX prefix, z without aaa loses to it;
			 * both beat everything later (walk, leaf checks, LOCK).
			 */
			enum x86_status ild;

			fetch_modrm(&d);
			ild = d.err ? X86_OK : x86_evex_ild_check(in, d.ll, true, in->modrm);
			if (ild == X86_ERR_BAD_EVEX_LL || (ild && !prefix_err)) {
				prefix_err = X86_OK;
				st = ild;
				goto fail;
			}
		}
	} else {
		if (rex) {
			in->rex = rex;
			in->w = (rex >> 3) & 1;
			in->r3 = (rex >> 2) & 1;
			in->x3 = (rex >> 1) & 1;
			in->b3 = rex & 1;
		}
		if (b == 0x0F) {
			b = fetch(&d);
			tab = x86_map1;
			in->map = X86_MAP1;
			if (b == 0x38 || b == 0x3A) {
				tab = b == 0x38 ? x86_map2 : x86_map3;
				in->map = b == 0x38 ? X86_MAP2 : X86_MAP3;
				b = fetch(&d);
			}
		}
	}
	if (d.err)
		goto fail_fetch;
	in->opcode = b;

	row = walk(&d, &tab[b], &st);
	if (!row)
		goto fail;
	st = decode_leaf(&d, row);
	if (st)
		goto fail;
	if (d.err)
		goto fail_fetch;
	if (prefix_err) {
		st = prefix_err;
		goto fail;
	}
	in->len = (uint8_t)d.pos;
	compute_egpr(in);
	return X86_OK;

fail_fetch:
	st = d.err;
fail:
	if (st == X86_OK)
		st = d.err ? d.err : X86_ERR_GENERAL;
	/*
	 * XED's length decoder records a misplaced prefix and carries on; only a
	 * later length error (too long, bad map, truncated) replaces it.
	 */
	if (prefix_err && st != X86_ERR_TOO_LONG &&
	    (st != X86_ERR_BAD_MAP || in->encoding == X86_ENC_EVEX) &&
	    st != X86_ERR_TRUNCATED)
		st = prefix_err;
	in->len = 0;
	return st;
}
