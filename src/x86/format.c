/* SPDX-License-Identifier: MIT */
/*
 * Intel-syntax text of a decoded instruction, in the style of Intel XED's
 * xed_format_context(XED_SYNTAX_INTEL) with no symbol callback: the `intel`
 * column of ../shared/vectors.
 *
 *   [bnd] [xacquire|xrelease] [lock] [rep|repne|hint-not-taken|hint-taken]
 *   [addr32] [data16] [{nf} ]mnemonic[ {dfv=..}] op, op{k}{z}, ...
 *
 * - addr32 / data16 only when the 67 / 66 prefix has nothing to show it
 *   (no memory operand / no operand at all; string memory operands count).
 * - memory: "<size> ptr seg:[base+index*scale+-disp]"; sizes byte, word,
 *   dword, qword, xmmword, ymmword, zmmword, anything else just "ptr"; the
 *   segment only for fs/gs (the others are ignored in 64-bit mode); LEA's
 *   address operand is "ptr [..]" without size or segment.
 * - immediates in hex without leading zeros; a sign-extended immediate is
 *   shown at the operand size, others at their own width.
 * - relative branches as the absolute target for runtime address `ip`.
 * - string instructions show their implicit memory operands; OUTS/XLAT/
 *   MASKMOV show an fs/gs override as a trailing "fs"/"gs".
 */
#include <stdio.h>
#include <string.h>

#include "x86/insn.h"
#include "x86/optab.h"

struct out {
	char *buf;
	unsigned size;
	unsigned len; /* what the whole text needs, like snprintf */
};

static void put_chr(struct out *o, char c)
{
	if (o->size && o->len < o->size - 1)
		o->buf[o->len] = c;
	o->len++;
}

static void put_str(struct out *o, const char *s)
{
	while (*s)
		put_chr(o, *s++);
}

static void put_hex(struct out *o, uint64_t v)
{
	char tmp[24];

	snprintf(tmp, sizeof(tmp), "0x%llx", (unsigned long long)v);
	put_str(o, tmp);
}

static void put_dec(struct out *o, unsigned v)
{
	char tmp[16];

	snprintf(tmp, sizeof(tmp), "%u", v);
	put_str(o, tmp);
}

static uint64_t mask_bits(uint64_t v, unsigned bits)
{
	return bits && bits < 64 ? v & ((UINT64_C(1) << bits) - 1) : v;
}

static bool starts_with(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static bool ends_with(const char *s, const char *p)
{
	size_t n = strlen(s), m = strlen(p);

	return n >= m && !strcmp(s + n - m, p);
}

/* ---------------------------------------------------------------- names */

/* XED iclasses whose Intel mnemonic is not the lowercase iclass. */
static const struct { const char *iclass, *text; } name_map[] = {
	{ "call_near", "call" },
	{ "call_far", "call far" },
	{ "jmp_far", "jmp far" },
	{ "ret_near", "ret" },
	{ "ret_far", "ret far" },
	{ "sysret64", "sysret" },
	{ "mov_cr", "mov" },
	{ "mov_dr", "mov" },
	{ "movsd_xmm", "movsd" },
	{ "cmpsd_xmm", "cmpsd" },
	{ "prefetch_exclusive", "prefetch" },
	{ "pextrw_sse4", "pextrw" },
	{ "vpextrw_c5", "vpextrw" },
};

static const char *const jcc_names[] = {
	"jo", "jno", "jb", "jnb", "jz", "jnz", "jbe", "jnbe",
	"js", "jns", "jp", "jnp", "jl", "jnl", "jle", "jnle",
};

static bool is_jcc(const char *name)
{
	for (unsigned i = 0; i < sizeof(jcc_names) / sizeof(jcc_names[0]); i++)
		if (!strcmp(name, jcc_names[i]))
			return true;
	return false;
}

/* Kind of string instruction (XED category STRINGOP): its memory operands show. */
enum strop { STR_NONE, STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS };

static enum strop string_op(const char *base, unsigned *bits)
{
	static const struct { const char *stem; enum strop k; } stems[] = {
		{ "movs", STR_MOVS }, { "cmps", STR_CMPS }, { "stos", STR_STOS },
		{ "lods", STR_LODS }, { "scas", STR_SCAS },
	};

	if (strlen(base) != 5)
		return STR_NONE;
	for (unsigned i = 0; i < sizeof(stems) / sizeof(stems[0]); i++) {
		if (strncmp(base, stems[i].stem, 4))
			continue;
		switch (base[4]) {
		case 'b': *bits = 8; return stems[i].k;
		case 'w': *bits = 16; return stems[i].k;
		case 'd': *bits = 32; return stems[i].k;
		case 'q': *bits = 64; return stems[i].k;
		default: return STR_NONE;
		}
	}
	return STR_NONE;
}

/* Instructions whose only memory operand is suppressed but DS-based: XED shows an fs/gs override. */
static bool shows_suppressed_seg(const char *base)
{
	return !strcmp(base, "xlat") || !strcmp(base, "outsb") || !strcmp(base, "outsw") ||
	       !strcmp(base, "outsd") || !strcmp(base, "maskmovq") ||
	       !strcmp(base, "maskmovdqu") || !strcmp(base, "vmaskmovdqu");
}

/* 512-bit memory operands that are cache lines, not vectors: plain "ptr". */
static bool cache_line_op(const char *base)
{
	return starts_with(base, "prefetch") || starts_with(base, "clflush") ||
	       !strcmp(base, "clwb") || !strcmp(base, "cldemote") || !strcmp(base, "clzero");
}

static const char *ptr_name(unsigned bits)
{
	switch (bits) {
	case 8:   return "byte ";
	case 16:  return "word ";
	case 32:  return "dword ";
	case 64:  return "qword ";
	case 128: return "xmmword ";
	case 256: return "ymmword ";
	case 512: return "zmmword ";
	default:  return "";
	}
}

static const char *seg_name(unsigned seg)
{
	/* 64-bit mode: only fs and gs overrides mean anything, XED shows no other. */
	return seg == X86_SEG_FS ? "fs" : seg == X86_SEG_GS ? "gs" : NULL;
}

/* ------------------------------------------------------- table helpers */

/* The method of insn operand i in the matched row (M_NONE if unknown). */
static unsigned row_method(const struct x86_insn *insn, unsigned i)
{
	const struct x86_opcode_row *row = insn->row;

	if (!row || row->sel != SEL_LEAF)
		return M_NONE;
	if (insn->nd && (row->flags & F_ND)) {
		if (i == 0)
			return M_B;
		i--;
	}
	return i < X86_MAX_OPERANDS - 1 ? OP_METHOD(row->ops[i]) : M_NONE;
}

/* Operand 1 is the EVEX write mask ({k1}{z} decorating operand 0). */
static bool is_writemask(const struct x86_insn *insn, unsigned i)
{
	const struct x86_operand *op = &insn->ops[i];
	unsigned m;

	if (i != 1 || op->kind != X86_OPK_REG || op->reg.cls != X86_RC_K)
		return false;
	m = row_method(insn, i);
	if (m != M_NONE)
		return m == M_KMASK;
	return insn->encoding == X86_ENC_EVEX && insn->iclass[0] != 'k';
}

/* An x87 st(0) that XED lists as an implicit operand prints as "st". */
static bool st_implicit(const struct x86_insn *insn, unsigned i)
{
	unsigned m = row_method(insn, i), nst = 0, first = 0;

	if (m != M_NONE)
		return m == M_ST0;
	/* No row (hand-built instruction): judge by the x87 opcode. */
	for (unsigned j = 0; j < insn->nops; j++) {
		if (insn->ops[j].kind == X86_OPK_REG && insn->ops[j].reg.cls == X86_RC_ST) {
			if (!nst)
				first = j;
			nst++;
		}
	}
	if (insn->ops[i].reg.num != 0)
		return false;
	if (nst == 1)
		return insn->nops > 1;
	for (unsigned j = 0; j < insn->nops; j++)
		if (j != i && insn->ops[j].kind == X86_OPK_REG &&
		    insn->ops[j].reg.cls == X86_RC_ST && insn->ops[j].reg.num != 0)
			return true;
	/* st(0), st(0): "op st(i), st" forms have the implicit st(0) second */
	{
		unsigned reg = (insn->modrm >> 3) & 7;
		bool second = ((insn->opcode == 0xDC || insn->opcode == 0xDE) && reg != 2 && reg != 3) ||
			      ((insn->opcode == 0xDD || insn->opcode == 0xDF) && (reg == 2 || reg == 3)) ||
			      (insn->opcode == 0xD9 && reg == 3);

		return second ? i != first : i == first;
	}
}

/* ------------------------------------------------------------ operands */

static void put_reg(struct out *o, const struct x86_insn *insn, unsigned i)
{
	const struct x86_operand *op = &insn->ops[i];

	if (op->reg.cls == X86_RC_ST && st_implicit(insn, i))
		put_str(o, "st");
	else
		put_str(o, x86_reg_name(op->reg));
}

static void put_mem_reg(struct out *o, const struct x86_insn *insn, struct x86_reg r)
{
	if (r.cls == X86_RC_RIP)
		put_str(o, insn->asize == 32 ? "eip" : "rip");
	else
		put_str(o, x86_reg_name(r));
}

static void put_mem(struct out *o, const struct x86_insn *insn, const struct x86_operand *op,
		    const char *base_name)
{
	bool agen = op->kind == X86_OPK_AGEN;
	bool started = false, no_base_index;
	const char *seg = seg_name(op->mem.seg);

	if (!agen && !(op->width == 512 && cache_line_op(base_name)))
		put_str(o, ptr_name(op->width));
	put_str(o, "ptr ");
	if (!agen && seg) {
		put_str(o, seg);
		put_chr(o, ':');
	}
	put_chr(o, '[');
	if (op->mem.base.cls != X86_RC_NONE) {
		put_mem_reg(o, insn, op->mem.base);
		started = true;
	}
	if (op->mem.index.cls != X86_RC_NONE) {
		if (started)
			put_chr(o, '+');
		put_mem_reg(o, insn, op->mem.index);
		put_chr(o, '*');
		put_dec(o, op->mem.scale ? op->mem.scale : 1);
		started = true;
	}
	no_base_index = !started;
	if (op->mem.has_disp && (op->mem.disp || no_base_index)) {
		int64_t d = op->mem.disp;

		if (started) {
			if (d < 0) {
				put_chr(o, '-');
				put_hex(o, (uint64_t)0 - (uint64_t)d);
			} else {
				put_chr(o, '+');
				put_hex(o, (uint64_t)d);
			}
		} else if (d < 0) {
			/* an absolute address: two's complement at the address size */
			put_hex(o, mask_bits((uint64_t)d, insn->asize == 64 ? 64 : 32));
		} else {
			put_hex(o, (uint64_t)d);
		}
	}
	put_chr(o, ']');
}

static bool has_vector_reg(const struct x86_insn *insn)
{
	for (unsigned i = 0; i < insn->nops; i++) {
		const struct x86_operand *op = &insn->ops[i];

		if (op->kind == X86_OPK_REG && (op->reg.cls == X86_RC_XMM ||
		    op->reg.cls == X86_RC_YMM || op->reg.cls == X86_RC_ZMM))
			return true;
	}
	return false;
}

/* Broadcast {1toN}: the memory operand's width is the element then. */
static void put_bcst(struct out *o, const struct x86_insn *insn, const struct x86_operand *op)
{
	if (insn->encoding != X86_ENC_EVEX || !insn->evex_b || !op->width || !insn->vl)
		return;
	if (insn->row && insn->row->sel == SEL_LEAF && !(insn->row->vflags & V_BCST))
		return;
	if (op->width >= insn->vl || !has_vector_reg(insn))
		return;
	put_str(o, "{1to");
	put_dec(o, insn->vl / op->width);
	put_chr(o, '}');
}

/*
 * XED's operand width: 8 for byte instructions (the first operand that is not
 * an immediate is an 8-bit register or memory operand), else the operand size.
 */
static unsigned op_width(const struct x86_insn *insn)
{
	for (unsigned i = 0; i < insn->nops; i++) {
		const struct x86_operand *op = &insn->ops[i];

		if (op->kind == X86_OPK_REG) {
			if (op->reg.cls == X86_RC_GPR8 || op->reg.cls == X86_RC_GPR8H)
				return 8;
			break;
		}
		if (op->kind == X86_OPK_MEM) {
			if (op->width == 8)
				return 8;
			break;
		}
	}
	return insn->osize ? insn->osize : 32;
}

static void put_imm(struct out *o, const struct x86_insn *insn, const struct x86_operand *op)
{
	uint64_t v = op->imm;
	unsigned w = op->width;

	if (w && w < 64 && (v >> w) != 0) {
		/*
		 * Sign-extended (XED's signed immediate, negative): XED shows it
		 * sign-extended to the operand size, through a 32-bit int.
		 */
		unsigned eff = op_width(insn);

		v = (uint64_t)(int64_t)(int32_t)(uint32_t)v;
		v = mask_bits(v, eff);
	} else {
		v = mask_bits(v, w);
	}
	put_hex(o, v);
}

static void put_dfv(struct out *o, int dfv)
{
	static const struct { int bit; const char *name; } flags[] = {
		{ 8, "of" }, { 4, "sf" }, { 2, "zf" }, { 1, "cf" },
	};
	bool first = true;

	put_str(o, "{dfv=");
	for (unsigned i = 0; i < 4; i++) {
		if (!(dfv & flags[i].bit))
			continue;
		if (!first)
			put_chr(o, ',');
		put_str(o, flags[i].name);
		first = false;
	}
	put_chr(o, '}');
}

static void put_str_mem(struct out *o, const struct x86_insn *insn, unsigned bits, bool rsi)
{
	const char *seg = rsi ? seg_name(insn->seg) : NULL;

	put_str(o, ptr_name(bits));
	put_str(o, "ptr ");
	if (seg) {
		put_str(o, seg);
		put_chr(o, ':');
	}
	put_chr(o, '[');
	if (insn->asize == 32)
		put_str(o, rsi ? "esi" : "edi");
	else
		put_str(o, rsi ? "rsi" : "rdi");
	put_chr(o, ']');
}

/* ---------------------------------------------------------------- main */

int x86_format_intel(const struct x86_insn *insn, uint64_t ip, char *out, unsigned size)
{
	struct out o = { .buf = out, .size = size, .len = 0 };
	char base[32], mnem[40];
	const char *iclass = insn->iclass, *text;
	bool rep_form = false, lock_form, has_mem = false, explicit_mem, explicit_op;
	bool atomic, acq_able, rel_able, mov_store, sep = false, skip = false;
	unsigned str_bits = 0;
	enum strop sop;
	size_t n;

	if (size)
		out[0] = 0;

	/* iclass -> base mnemonic */
	if (starts_with(iclass, "rep_")) {
		iclass += 4;
		rep_form = true;
	} else if (starts_with(iclass, "repe_")) {
		iclass += 5;
		rep_form = true;
	} else if (starts_with(iclass, "repne_")) {
		iclass += 6;
		rep_form = true;
	}
	snprintf(base, sizeof(base), "%s", iclass);
	lock_form = ends_with(base, "_lock");
	if (lock_form)
		base[strlen(base) - 5] = 0;
	text = base;
	for (unsigned i = 0; i < sizeof(name_map) / sizeof(name_map[0]); i++)
		if (!strcmp(base, name_map[i].iclass))
			text = name_map[i].text;
	if (insn->zu && starts_with(base, "set"))
		snprintf(mnem, sizeof(mnem), "setzu%s", base + 3);
	else if (insn->zu && !strcmp(base, "imul"))
		snprintf(mnem, sizeof(mnem), "imulzu");
	else
		snprintf(mnem, sizeof(mnem), "%s", text);

	sop = insn->nops ? STR_NONE : string_op(base, &str_bits);
	for (unsigned i = 0; i < insn->nops; i++)
		if (insn->ops[i].kind == X86_OPK_MEM)
			has_mem = true;
	explicit_mem = sop != STR_NONE;
	for (unsigned i = 0; i < insn->nops; i++)
		if (insn->ops[i].kind == X86_OPK_MEM || insn->ops[i].kind == X86_OPK_AGEN)
			explicit_mem = true;
	explicit_op = insn->nops > 0 || sop != STR_NONE;
	/* XED drops a 66 that 64-bit mode ignores on these (IGNORE66): no data16. */
	if (!strcmp(base, "ret_near") || !strcmp(base, "syscall"))
		explicit_op = true;

	/* Prefixes, in XED's order. */
	atomic = insn->lock || (!strcmp(base, "xchg") && has_mem);
	acq_able = (lock_form && strcmp(base, "cmpxchg16b")) || (!strcmp(base, "xchg") && has_mem);
	mov_store = !strcmp(base, "mov") && insn->map == X86_MAP0 &&
		    insn->encoding != X86_ENC_EVEX && insn->nops &&
		    insn->ops[0].kind == X86_OPK_MEM &&
		    (insn->opcode == 0x88 || insn->opcode == 0x89 ||
		     insn->opcode == 0xC6 || insn->opcode == 0xC7);
	rel_able = acq_able || mov_store;

	if (insn->rep == 0xF2 && insn->encoding != X86_ENC_VEX && insn->encoding != X86_ENC_EVEX &&
	    (!strcmp(base, "call_near") || !strcmp(base, "ret_near") || is_jcc(base) ||
	     (!strcmp(base, "jmp") && !(insn->map == X86_MAP0 && insn->opcode == 0xEB)))) {
		put_str(&o, "bnd ");
	}
	if (acq_able && insn->rep == 0xF2 && atomic)
		put_str(&o, "xacquire ");
	if (rel_able && insn->rep == 0xF3 && (atomic || mov_store))
		put_str(&o, "xrelease ");
	if (insn->lock)
		put_str(&o, "lock ");
	if (rep_form && insn->rep) {
		put_str(&o, insn->rep == 0xF3 ? "rep " : "repne ");
	} else if (is_jcc(base) && insn->hint == 0x2E) {
		put_str(&o, "hint-not-taken ");
	} else if (is_jcc(base) && insn->hint == 0x3E) {
		put_str(&o, "hint-taken ");
	}
	if (insn->p67 && !explicit_mem)
		put_str(&o, "addr32 ");
	if (insn->p66 && !explicit_op)
		put_str(&o, "data16 ");
	if (insn->nf && !starts_with(base, "cfcmov"))
		put_str(&o, "{nf} ");

	put_str(&o, mnem);
	if (insn->dfv >= 0 && (starts_with(base, "ccmp") || starts_with(base, "ctest"))) {
		put_chr(&o, ' ');
		put_dfv(&o, insn->dfv);
	}

	/* String instructions: the implicit memory operands. */
	switch (sop) {
	case STR_MOVS:
		put_chr(&o, ' ');
		put_str_mem(&o, insn, str_bits, false);
		put_str(&o, ", ");
		put_str_mem(&o, insn, str_bits, true);
		break;
	case STR_CMPS:
		put_chr(&o, ' ');
		put_str_mem(&o, insn, str_bits, true);
		put_str(&o, ", ");
		put_str_mem(&o, insn, str_bits, false);
		break;
	case STR_STOS:
	case STR_SCAS:
		put_chr(&o, ' ');
		put_str_mem(&o, insn, str_bits, false);
		break;
	case STR_LODS:
		put_chr(&o, ' ');
		put_str_mem(&o, insn, str_bits, true);
		break;
	case STR_NONE:
		break;
	}

	for (unsigned i = 0; i < insn->nops; i++) {
		const struct x86_operand *op = &insn->ops[i];

		if (skip) {
			skip = false;
			continue;
		}
		put_str(&o, sep ? ", " : " ");
		sep = true;
		switch (op->kind) {
		case X86_OPK_REG:
			put_reg(&o, insn, i);
			break;
		case X86_OPK_MEM:
		case X86_OPK_AGEN:
			put_mem(&o, insn, op, base);
			break;
		case X86_OPK_IMM:
			put_imm(&o, insn, op);
			break;
		case X86_OPK_REL:
			put_hex(&o, ip + insn->len + (uint64_t)op->rel);
			break;
		default:
			put_chr(&o, '?');
			break;
		}
		if (i == 0 && insn->nops > 1 && is_writemask(insn, 1)) {
			const struct x86_operand *k = &insn->ops[1];

			if (k->reg.num) {
				put_chr(&o, '{');
				put_str(&o, x86_reg_name(k->reg));
				put_chr(&o, '}');
				if (insn->evex_z)
					put_str(&o, "{z}");
			}
			skip = true;
		}
		if (op->kind == X86_OPK_MEM)
			put_bcst(&o, insn, op);
	}

	/* A suppressed DS memory operand with an fs/gs override shows the segment. */
	if (shows_suppressed_seg(base) && seg_name(insn->seg)) {
		put_str(&o, sep ? ", " : " ");
		put_str(&o, seg_name(insn->seg));
	}

	if (size) {
		n = o.len < size ? o.len : size - 1;
		out[n] = 0;
	}
	return (int)o.len;
}
