/* SPDX-License-Identifier: MIT */
/*
 * Legacy instructions: templates from legacy.tsv, turned into test cases.
 *
 * A template is the byte string of an `ok` line of a general-purpose iclass
 * (iclass.h).  Each test takes a template of a chosen iclass and
 *   - sometimes re-rolls its ModRM/SIB/displacement (same iclass required:
 *     register and memory forms, other registers and addressing modes),
 *   - re-rolls immediates (edge values; shift counts 0/1/w-1/w/>w; branch
 *     displacements that never point into the instruction itself),
 *   - draws every GPR (edge values in the operand width, or random), RFLAGS,
 *   - points every memory access into the sandbox: the explicit memory
 *     operand is solved for a target address by choosing its base/index
 *     registers (or patching a RIP-relative/absolute displacement or moffs),
 *     implicit ones (stack, strings, XLAT, ENTER/LEAVE) get pointer values;
 *     a few percent of the operands instead point at the guard page, at a
 *     non-canonical address or at the kernel half (fault paths),
 *   - shapes values: divisions that do not overflow half the time, CMPXCHG
 *     comparands that match, equal string prefixes for REPE/REPNE, bit
 *     offsets of BT* that stay inside the window, branch targets inside the
 *     0xCC filler, ...
 * Then it checks that every access the instruction can make is inside the
 * window, the guard, a non-canonical address or the kernel half (never host
 * memory), and retries otherwise.
 */
#ifndef APXVM_TESTS_DIFF_LEGACY_H
#define APXVM_TESTS_DIFF_LEGACY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "iclass.h"

struct tmpl {
	uint8_t b[15];
	uint8_t len;
};

struct gp_iclass {
	char name[24];
	const struct iinfo *info;
	struct tmpl *t;
	unsigned nt, cap;
	unsigned lines;      /* ok lines in legacy.tsv */
	bool extra;          /* compared, but not part of the coverage rule (cpl3_faulting[]) */
};

#define MAX_GP 256
static struct gp_iclass gp[MAX_GP];
static unsigned ngp;
static unsigned gp_templates_rejected;

static struct gp_iclass *gp_get(const char *name)
{
	for (unsigned i = 0; i < ngp; i++)
		if (!strcmp(gp[i].name, name))
			return &gp[i];
	if (ngp == MAX_GP)
		abort();
	snprintf(gp[ngp].name, sizeof(gp[ngp].name), "%s", name);
	gp[ngp].info = iinfo_find(name);
	return &gp[ngp++];
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A form the sandbox cannot run: segment/control/debug register operands. */
static bool form_excluded(const struct x86_insn *in)
{
	if (!strcmp(in->iclass, "mov_cr") || !strcmp(in->iclass, "mov_dr"))
		return false; /* #GP at CPL 3 before anything happens */
	for (unsigned i = 0; i < in->nops; i++) {
		const struct x86_operand *op = &in->ops[i];

		if (op->kind == X86_OPK_REG && (op->reg.cls == X86_RC_SEG || op->reg.cls == X86_RC_CR ||
						op->reg.cls == X86_RC_DR))
			return true;
		if (op->kind == X86_OPK_REG && op->reg.cls > X86_RC_GPR64)
			return true;
	}
	return false;
}

/* Load legacy.tsv.  Returns the number of templates, -1 if the file is missing. */
static int load_templates(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *fld[10];
		int k = 0;
		char *p = line;
		struct tmpl t;
		struct x86_insn in;
		struct gp_iclass *g;
		size_t hl;

		if (line[0] == '#')
			continue;
		for (k = 0; k < 10 && p; k++) {
			fld[k] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = 0;
		}
		if (k < 10 || strcmp(fld[1], "ok") || !gp_isa_set(fld[4]))
			continue;
		if (!gp_iclass(fld[3]) && !in_list(cpl3_faulting, fld[3]))
			continue;
		g = gp_get(fld[3]);
		g->extra = !gp_iclass(fld[3]);
		g->lines++;
		hl = strlen(fld[0]);
		if (hl > 30 || hl % 2)
			continue;
		t.len = (uint8_t)(hl / 2);
		for (unsigned i = 0; i < t.len; i++)
			t.b[i] = (uint8_t)(hexval(fld[0][2 * i]) << 4 | hexval(fld[0][2 * i + 1]));
		if (x86_decode(t.b, t.len, X86_MODE_64, &in) != X86_OK || in.len != t.len ||
		    strcmp(in.iclass, fld[3]) || form_excluded(&in) || !g->info) {
			gp_templates_rejected++;
			continue;
		}
		if (g->nt == g->cap) {
			g->cap = g->cap ? 2 * g->cap : 16;
			g->t = realloc(g->t, g->cap * sizeof(*g->t));
			if (!g->t)
				abort();
		}
		g->t[g->nt++] = t;
		n++;
	}
	fclose(f);
	return n;
}

static void free_templates(void)
{
	for (unsigned i = 0; i < ngp; i++)
		free(gp[i].t);
}

/* ---- one generated case ---- */

struct gcase {
	uint8_t b[15];
	unsigned len;
	struct x86_insn in;
	const struct iinfo *info;
	uint64_t r[16];
	uint64_t rflags;
	uint32_t pinned;     /* registers whose value is fixed by an address or a role */
	unsigned count;      /* shift count as encoded (CL or imm8), for undef_mask */
	unsigned width;      /* operand width for undef_mask */
	/* memory the instruction may touch, to randomize and to check for safety */
	struct { uint64_t lo, hi; } reg[6];
	unsigned nreg;
	bool rep;            /* REP/REPE/REPNE string instruction */
	bool has_mem;        /* explicit memory operand at mem_lin */
	uint64_t mem_lin;
};

static bool canonical64(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

/*
 * May the host touch [lo, hi)?  Only the data window, the guard after it
 * (faults), non-canonical addresses (#GP/#SS) and the kernel half (#PF);
 * never the code page, low memory or host memory.
 */
static bool region_safe(uint64_t lo, uint64_t hi)
{
	if (hi < lo)
		return false;
	if (lo >= DIFF_DATA_BASE && hi <= DIFF_RAM_SIZE + DIFF_GUARD_SIZE)
		return true;
	if (!canonical64(lo) && !canonical64(hi) && (lo >> 63) == (hi >> 63))
		return true;
	if (lo >= UINT64_C(0xffff800000000000) && hi <= UINT64_C(0xffffff0000000000))
		return true;
	return false;
}

static void add_region(struct gcase *g, uint64_t lo, uint64_t hi)
{
	if (g->nreg < 6) {
		g->reg[g->nreg].lo = lo;
		g->reg[g->nreg].hi = hi;
		g->nreg++;
	}
}

/* Value of a GPR operand register from the 16-register state. */
static uint64_t reg_val(const uint64_t *r, struct x86_reg rg)
{
	switch (rg.cls) {
	case X86_RC_GPR8: return r[rg.num & 15] & 0xff;
	case X86_RC_GPR8H: return (r[(rg.num - 4) & 3] >> 8) & 0xff;
	case X86_RC_GPR16: return r[rg.num & 15] & 0xffff;
	case X86_RC_GPR32: return r[rg.num & 15] & 0xffffffff;
	case X86_RC_GPR64: return r[rg.num & 15];
	}
	return 0;
}

static unsigned reg_bits(struct x86_reg rg)
{
	switch (rg.cls) {
	case X86_RC_GPR8: case X86_RC_GPR8H: return 8;
	case X86_RC_GPR16: return 16;
	case X86_RC_GPR32: return 32;
	default: return 64;
	}
}

/* The full register (0..15) holding an operand register. */
static unsigned reg_full(struct x86_reg rg)
{
	return rg.cls == X86_RC_GPR8H ? (rg.num - 4u) & 3 : rg.num & 15u;
}

/* Set the operand register's bits (8h: bits 15:8), keeping the others. */
static void reg_set(uint64_t *r, struct x86_reg rg, uint64_t v)
{
	unsigned n = reg_full(rg), bits = reg_bits(rg), sh = rg.cls == X86_RC_GPR8H ? 8 : 0;
	uint64_t m = wmask(bits) << sh;

	r[n] = (r[n] & ~m) | ((v << sh) & m);
}

static uint64_t seg_base(unsigned seg)
{
	return seg == X86_SEG_FS ? dn_fs_base : seg == X86_SEG_GS ? dn_gs_base : 0;
}

/* Linear address of a memory operand with the current register values. */
static uint64_t mem_linear(const struct gcase *g, const struct x86_insn *in,
			   const struct x86_operand *op, const uint64_t *r)
{
	uint64_t ea = (uint64_t)op->mem.disp;

	if (op->mem.base.cls == X86_RC_RIP)
		ea += DIFF_INSN_ADDR + g->len;
	else if (op->mem.base.cls != X86_RC_NONE)
		ea += reg_val(r, op->mem.base);
	if (op->mem.index.cls != X86_RC_NONE)
		ea += reg_val(r, op->mem.index) * op->mem.scale;
	if (in->asize == 32)
		ea &= 0xffffffff;
	return ea + seg_base(op->mem.seg);
}

/* Offsets of the displacement and immediate fields. */
static unsigned disp_off(const struct gcase *g)
{
	return g->len - g->in.imm_bytes - g->in.disp_bytes;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static bool redecode(struct gcase *g)
{
	return x86_decode(g->b, g->len, X86_MODE_64, &g->in) == X86_OK && g->in.len == g->len;
}

/* Multiplicative inverse of an odd number modulo 2^64. */
static uint64_t inv64(uint64_t a)
{
	uint64_t x = a;

	for (int i = 0; i < 6; i++)
		x *= 2 - a * x;
	return x;
}

/*
 * Make memory operand `op` address linear `t` (approximately: solving may
 * round it down to the scale).  Returns false when impossible with the
 * pinned registers.
 */
static bool fix_mem(struct gcase *g, const struct x86_operand *op, uint64_t t)
{
	struct x86_insn *in = &g->in;
	bool a32 = in->asize == 32;
	uint64_t amask = a32 ? 0xffffffff : ~UINT64_C(0);
	uint64_t goal = t - seg_base(op->mem.seg);
	struct x86_reg b = op->mem.base, x = op->mem.index;
	unsigned s = op->mem.scale;
	uint64_t rest;

	if (a32 && (goal >> 32))
		return false;
	goal &= amask;
	if (!in->has_modrm) {
		/* moffs: the address is the immediate field. */
		unsigned nb = in->imm_bytes;

		if (nb != 8 && nb != 4)
			return false;
		put_le(g->b + g->len - nb, goal, nb);
		return redecode(g);
	}
	if (b.cls == X86_RC_RIP) {
		int64_t d = (int64_t)(goal - (DIFF_INSN_ADDR + g->len));

		if (a32)
			d = (int32_t)(uint32_t)d;
		if (g->in.disp_bytes != 4 || d != (int32_t)d)
			return false;
		put_le(g->b + disp_off(g), (uint64_t)d, 4);
		return redecode(g);
	}
	if (b.cls == X86_RC_NONE && x.cls == X86_RC_NONE) {
		if (g->in.disp_bytes != 4 || (!a32 && goal >= 0x80000000))
			return false;
		put_le(g->b + disp_off(g), goal, 4);
		return redecode(g);
	}
	rest = goal - (uint64_t)op->mem.disp;
	if (x.cls != X86_RC_NONE && !(b.cls != X86_RC_NONE && reg_full(b) == reg_full(x))) {
		unsigned xi = reg_full(x);

		if (!(g->pinned & (1u << xi))) {
			g->r[xi] = rnd_chance(1, 2) ? rnd_below(512) - 256 : rnd_reg_value(64);
			if (b.cls == X86_RC_NONE) {
				/* index only: index * s == rest */
				unsigned k = s == 8 ? 3 : s == 4 ? 2 : s == 2 ? 1 : 0;
				uint64_t v = (rest & amask) >> k;

				if (k)
					v |= (rnd() & wmask(k)) << ((a32 ? 32 : 64) - k);
				if (a32)
					v |= rnd() << 32;
				g->r[xi] = v;
			}
			g->pinned |= 1u << xi;
		}
		rest -= reg_val(g->r, x) * s;
		if (b.cls != X86_RC_NONE) {
			unsigned bi = reg_full(b);

			if (!(g->pinned & (1u << bi))) {
				g->r[bi] = (rest & amask) | (a32 ? rnd() << 32 : 0);
				g->pinned |= 1u << bi;
			}
		}
	} else if (b.cls != X86_RC_NONE) {
		unsigned bi = reg_full(b);

		if (!(g->pinned & (1u << bi))) {
			uint64_t v;

			if (x.cls == X86_RC_NONE) {
				v = rest;
			} else if (s == 1) {
				v = (rest & amask) >> 1;
				if (rnd_chance(1, 2))
					v |= UINT64_C(1) << (a32 ? 31 : 63);
			} else {
				v = (rest * inv64(s + 1)) & amask;
			}
			g->r[bi] = (v & amask) | (a32 ? rnd() << 32 : 0);
			g->pinned |= 1u << bi;
		}
	}
	return true;
}

/* A branch target: mostly the 0xCC filler, else the data window, faults, random. */
static uint64_t rnd_target(void)
{
	uint64_t t;

	for (;;) {
		switch (rnd_below(10)) {
		case 0: case 1: case 2: case 3:
			t = DIFF_CODE_BASE + rnd_below(DIFF_INSN_ADDR - DIFF_CODE_BASE - 16);
			break;
		case 4:
			t = DIFF_INSN_ADDR + 32 + rnd_below(DIFF_CODE_SIZE - (DIFF_INSN_ADDR - DIFF_CODE_BASE) - 32);
			break;
		case 5: t = DIFF_DATA_BASE + rnd_below(0x1000); break;
		case 6: t = (rnd() & UINT64_C(0x0000ffffffffffff)) ^ UINT64_C(0x8000000000000000); break;
		case 7: t = UINT64_C(0xffff800000000000) + rnd_below(UINT64_C(1) << 40); break;
		default: t = rnd_reg_value(rnd_chance(1, 2) ? 32 : 64); break;
		}
		if (t - DIFF_INSN_ADDR >= 16)
			return t;
	}
}

/* Memory target for an explicit operand: mostly the hot area, some faults. */
static uint64_t rnd_mem_target(unsigned bytes, bool a32)
{
	unsigned k = (unsigned)rnd_below(100);
	uint64_t t;

	if (k < 4)
		return DIFF_RAM_SIZE - 1 - rnd_below(bytes + 8);   /* the last bytes / straddle */
	if (k < 5)
		return DIFF_RAM_SIZE + rnd_below(0x1000);          /* guard: #PF */
	if (!a32 && k < 7)
		return (rnd() & UINT64_C(0x0000ffffffffffff)) ^ UINT64_C(0x8000000000000000); /* #GP/#SS */
	if (!a32 && k < 8)
		return UINT64_C(0xffff800000000000) + rnd_below(UINT64_C(1) << 40); /* #PF */
	t = DATA_CENTER - 0x600 + rnd_below(0xc00);
	if (rnd_chance(1, 2) && bytes)
		t &= ~(uint64_t)((bytes >= 16 ? 16 : bytes) - 1);
	return t;
}

/* Re-roll ModRM (and SIB/displacement) keeping prefixes, opcode and immediates. */
static bool mutate_modrm(struct gcase *g, const char *iclass)
{
	struct gcase t = *g;
	unsigned mo = g->len - g->in.imm_bytes - g->in.disp_bytes - (g->in.has_sib ? 1u : 0u) - 1;
	uint8_t imm[8];
	unsigned ib = g->in.imm_bytes, n = mo;
	unsigned mod = (unsigned)rnd_below(4), rm = (unsigned)rnd_below(8);
	unsigned reg = rnd_chance(1, 2) ? (g->b[mo] >> 3) & 7 : (unsigned)rnd_below(8);
	unsigned dispn = 0;
	uint8_t sib = (uint8_t)rnd();

	if (!g->in.has_modrm || ib > 8)
		return false;
	memcpy(imm, g->b + g->len - ib, ib);
	t.b[n++] = (uint8_t)(mod << 6 | reg << 3 | rm);
	if (mod != 3 && rm == 4) {
		t.b[n++] = sib;
		if (mod == 0 && (sib & 7) == 5)
			dispn = 4;
	}
	if (mod == 0 && rm == 5)
		dispn = 4;
	if (mod == 1)
		dispn = 1;
	if (mod == 2)
		dispn = 4;
	if (n + dispn + ib > 15)
		return false;
	if (dispn == 1) {
		t.b[n++] = (uint8_t)rnd();
	} else if (dispn == 4) {
		uint64_t d = rnd_chance(1, 2) ? rnd_below(0x400) - 0x200 : rnd();

		put_le(t.b + n, d, 4);
		n += 4;
	}
	memcpy(t.b + n, imm, ib);
	t.len = n + ib;
	if (!redecode(&t) || strcmp(t.in.iclass, iclass) || form_excluded(&t.in))
		return false;
	*g = t;
	return true;
}

/* FS with 32-bit addresses cannot reach the window: make it GS (base 0). */
static void fs_to_gs(struct gcase *g)
{
	if (g->in.seg != X86_SEG_FS || g->in.asize != 32)
		return;
	for (unsigned i = 0; i < g->in.nprefixes && i < g->len; i++)
		if (g->b[i] == 0x64)
			g->b[i] = 0x65;
	redecode(g);
}

static unsigned op_width(const struct x86_insn *in)
{
	for (unsigned i = 0; i < in->nops; i++)
		if (in->ops[i].kind == X86_OPK_REG || in->ops[i].kind == X86_OPK_MEM)
			if (in->ops[i].width >= 8 && in->ops[i].width <= 64)
				return in->ops[i].width;
	return in->osize >= 16 ? in->osize : 32;
}

/* Re-roll immediates and branch displacements. */
static bool patch_imms(struct gcase *g)
{
	struct x86_insn *in = &g->in;
	const struct iinfo *ii = g->info;
	unsigned off = g->len - in->imm_bytes;
	unsigned nimm = 0, nrel = 0;

	for (unsigned i = 0; i < in->nops; i++) {
		if (in->ops[i].kind == X86_OPK_IMM)
			nimm++;
		if (in->ops[i].kind == X86_OPK_REL)
			nrel++;
	}
	if (!in->imm_bytes)
		return true;
	if (nrel == 1 && nimm == 0) {
		unsigned nb = in->imm_bytes;
		for (int tries = 0; tries < 16; tries++) {
			int64_t rel;
			uint64_t tgt;

			if (nb == 1)
				rel = (int8_t)rnd();
			else if (rnd_chance(1, 2))
				rel = (int64_t)rnd_below(0xe000) - 0x7000;
			else
				rel = (int32_t)(uint32_t)rnd_reg_value(32);
			tgt = DIFF_INSN_ADDR + g->len + (uint64_t)rel;
			if (tgt - DIFF_INSN_ADDR < g->len)
				continue;
			put_le(g->b + off, (uint64_t)rel, nb);
			return redecode(g);
		}
		return false;
	}
	if (nimm == 1 && (in->imm_bytes == 1 || in->imm_bytes == 2 || in->imm_bytes == 4 ||
			  in->imm_bytes == 8)) {
		unsigned nb = in->imm_bytes;
		uint64_t v = rnd_edge(nb * 8);

		if (ii && (ii->flags & IF_COUNT) && nb == 1)
			v = rnd_count(op_width(in));
		put_le(g->b + off, v, nb);
		return redecode(g);
	}
	if (nimm == 2 && in->imm_bytes == 3) {
		/* ENTER iw, ib */
		put_le(g->b + off, rnd_chance(1, 2) ? rnd_below(64) * 8 : rnd_edge(16), 2);
		g->b[off + 2] = (uint8_t)(rnd_chance(1, 2) ? rnd_below(4) : rnd());
		return redecode(g);
	}
	return true;
}

static int find_op(const struct x86_insn *in, int kind)
{
	for (unsigned i = 0; i < in->nops; i++)
		if (in->ops[i].kind == kind)
			return (int)i;
	return -1;
}

static unsigned str_esize(const char *iclass)
{
	size_t n = strlen(iclass);
	char c = iclass[n - 1];

	return c == 'b' ? 1 : c == 'w' ? 2 : c == 'd' ? 4 : 8;
}

/* Linear address of the string source [RSI] (segment override applies). */
static uint64_t mem_linear_si(const struct gcase *g)
{
	uint64_t amask = g->in.asize == 32 ? 0xffffffff : ~UINT64_C(0);

	return (g->r[6] & amask) + seg_base(g->in.seg);
}

/*
 * Build one case from template `t` of iclass `gi`.  Returns false when no
 * safe case came out of it (the caller picks another template).
 */
static bool gen_case(struct gcase *g, const struct gp_iclass *gi, const struct tmpl *t)
{
	const struct iinfo *ii = gi->info;
	int mi;
	uint64_t lin = 0;
	unsigned mbytes = 0;

	memset(g, 0, sizeof(*g));
	memcpy(g->b, t->b, t->len);
	g->len = t->len;
	g->info = ii;
	if (!redecode(g))
		return false;
	if (rnd_chance(1, 2))
		mutate_modrm(g, gi->name);
	fs_to_gs(g);
	if (!patch_imms(g) || strcmp(g->in.iclass, gi->name))
		return false;
	fs_to_gs(g);
	if (g->in.seg == X86_SEG_FS && g->in.asize == 32)
		return false;

	struct x86_insn *in = &g->in;
	unsigned w = op_width(in);
	bool a32 = in->asize == 32;
	uint64_t amask = a32 ? 0xffffffff : ~UINT64_C(0);

	g->width = w;
	g->rep = (ii->flags & (IF_SI | IF_DI)) && strchr(gi->name, '_') != NULL;
	for (int i = 0; i < 16; i++)
		g->r[i] = rnd_reg_value(rnd_chance(3, 5) ? w : (8u << rnd_below(4)));
	g->rflags = rnd_rflags();

	/* Implicit pointers first (pinned). */
	if ((ii->flags & IF_STACK) || rnd_chance(3, 4)) {
		g->r[4] = STACK_TOP - 8 * rnd_below(48);
		if (rnd_chance(1, 16))
			g->r[4] += rnd_below(8);
		if ((ii->flags & IF_STACK) && rnd_chance(1, 32)) {
			/* stack faults: the guard page (#PF), non-canonical (#SS), kernel half (#PF) */
			switch (rnd_below(3)) {
			case 0: g->r[4] = DIFF_RAM_SIZE + 16 - rnd_below(32); break;
			case 1: g->r[4] = (rnd() & UINT64_C(0x0000ffffffffffff)) ^ UINT64_C(0x8000000000000000); break;
			default: g->r[4] = UINT64_C(0xffff800000000000) + 0x1000 + rnd_below(UINT64_C(1) << 40); break;
			}
		}
		g->pinned |= 1u << 4;
	}
	if (ii->flags & IF_ENTER) {
		g->r[5] = STACK_TOP - 0x600 + 8 * rnd_below(64) + (rnd_chance(1, 16) ? rnd_below(8) : 0);
		g->pinned |= 1u << 5;
	}
	if (ii->flags & IF_LEAVE) {
		g->r[5] = STACK_TOP - 8 * rnd_below(48) + (rnd_chance(1, 16) ? rnd_below(8) : 0);
		if (rnd_chance(1, 32))
			g->r[5] = rnd_target(); /* faulting pop (or not) */
		g->pinned |= 1u << 5;
	}
	if (ii->flags & (IF_SI | IF_DI)) {
		unsigned es = str_esize(gi->name);
		uint64_t cnt = 1, si, di;
		bool big = g->rep && rnd_chance(1, 20);

		if (g->rep) {
			cnt = rnd_chance(1, 8) ? 0 : rnd_below(24);
			if (big) {
				cnt = rnd_chance(1, 2) ? rnd() : rnd_below(0x100000);
				g->rflags &= ~(uint64_t)FL_DF;
			}
			g->r[1] = (cnt & amask) | (a32 ? rnd() << 32 : 0);
			g->pinned |= 1u << 1;
			cnt &= amask;
		}
		if (big) {
			si = DIFF_RAM_SIZE - rnd_below(256);
			di = DIFF_RAM_SIZE - rnd_below(256);
		} else {
			si = DATA_CENTER - 0x500 + rnd_below(0xa00);
			di = DATA_CENTER - 0x500 + rnd_below(0xa00);
			if (rnd_chance(1, 2)) {
				si &= ~(uint64_t)(es - 1);
				di &= ~(uint64_t)(es - 1);
			}
		}
		if (ii->flags & IF_SI) {
			uint64_t v = si - seg_base(in->seg);

			if (a32 && (v >> 32))
				return false;
			g->r[6] = (v & amask) | (a32 ? rnd() << 32 : 0);
			g->pinned |= 1u << 6;
			if (big)
				add_region(g, si, DIFF_RAM_SIZE + 8);
			else
				add_region(g, si - cnt * es - 16, si + cnt * es + 16);
		}
		if (ii->flags & IF_DI) {
			g->r[7] = (di & amask) | (a32 ? rnd() << 32 : 0);
			g->pinned |= 1u << 7;
			if (big)
				add_region(g, di, DIFF_RAM_SIZE + 8);
			else
				add_region(g, di - cnt * es - 16, di + cnt * es + 16);
		}
	}
	if (ii->flags & IF_XLAT) {
		uint64_t t0 = DATA_CENTER - 0x200 + rnd_below(0x200), v = t0 - seg_base(in->seg);

		if (a32 && (v >> 32))
			return false;
		g->r[3] = (v & amask) | (a32 ? rnd() << 32 : 0);
		g->pinned |= 1u << 3;
		add_region(g, t0, t0 + 256);
	}
	if (ii->flags & IF_COUNT) {
		for (unsigned i = 0; i < in->nops; i++)
			if (in->ops[i].kind == X86_OPK_REG && in->ops[i].reg.cls == X86_RC_GPR8 &&
			    in->ops[i].reg.num == 1 && i > 0) {
				g->r[1] = (g->r[1] & ~UINT64_C(0xff)) | rnd_count(w);
				g->pinned |= 1u << 1;
			}
	}
	if ((ii->flags & IF_BRANCH) && in->nops && in->ops[0].kind == X86_OPK_REG) {
		unsigned ri = reg_full(in->ops[0].reg);

		reg_set(g->r, in->ops[0].reg, rnd_target());
		g->pinned |= 1u << ri;
	}
	if (ii->flags & IF_RCX)
		g->r[1] = rnd_chance(1, 4) ? rnd_below(3) | (rnd_chance(1, 2) ? rnd() << 32 : 0)
					   : rnd_reg_value(32);

	/* The explicit memory operand. */
	mi = find_op(in, X86_OPK_MEM);
	if (mi >= 0) {
		const struct x86_operand *op = &in->ops[mi];
		int bo = -1;

		mbytes = op->width / 8 ? op->width / 8 : 1;
		if (ii->flags & IF_BT) {
			bo = find_op(in, X86_OPK_REG);
			if (bo >= 0) {
				struct x86_reg rg = in->ops[bo].reg;
				int64_t off = (int64_t)rnd_below(65536) - 32768;

				if (rg.cls == X86_RC_GPR16)
					off = (int16_t)rnd();
				reg_set(g->r, rg, (uint64_t)off);
				if (rg.cls == X86_RC_GPR32 && rnd_chance(1, 2))
					g->r[reg_full(rg)] |= rnd() << 32;
				g->pinned |= 1u << reg_full(rg);
			}
		}
		if (!fix_mem(g, &in->ops[mi], bo >= 0 ? DATA_CENTER - 0x100 + rnd_below(0x200)
						      : rnd_mem_target(mbytes, a32)))
			return false;
		op = &in->ops[mi]; /* redecoded */
		lin = mem_linear(g, in, op, g->r);

		if (bo >= 0) {
			struct x86_reg rg = in->ops[bo].reg;
			int64_t off = rg.cls == X86_RC_GPR16 ? (int16_t)reg_val(g->r, rg) :
				      rg.cls == X86_RC_GPR32 ? (int32_t)reg_val(g->r, rg) :
				      (int64_t)reg_val(g->r, rg);

			/* bit offsets address beyond the operand */
			lin += (uint64_t)((off >> 3) & ~(int64_t)(mbytes - 1));
			add_region(g, lin - 16, lin + 32);
		} else {
			add_region(g, lin, lin + mbytes);
		}
		g->has_mem = true;
		g->mem_lin = lin;
		/*
		 * A locked access that crosses a cache line is a split lock: the
		 * kernel throttles it (milliseconds each), so keep them in a line.
		 */
		if ((in->lock || !strcmp(ii->name, "xchg")) && (lin & 63) + mbytes > 64 &&
		    lin >= DIFF_DATA_BASE - 64 && lin < DIFF_RAM_SIZE)
			return false;
	}
	if (ii->flags & IF_STACK)
		add_region(g, g->r[4] - 300, g->r[4] + 24);
	if (ii->flags & IF_ENTER)
		add_region(g, g->r[5] - 264, g->r[5] + 8);
	if (ii->flags & IF_LEAVE)
		add_region(g, g->r[5], g->r[5] + 8);

	/* Value shaping on free registers. */
	if (ii->flags & IF_DIV) {
		unsigned dw = w;
		uint64_t div = 0;

		if (mi < 0 && in->nops && in->ops[0].kind == X86_OPK_REG) {
			struct x86_reg rg = in->ops[0].reg;

			dw = reg_bits(rg);
			if (!(g->pinned & (1u << reg_full(rg))) && rnd_chance(3, 4))
				reg_set(g->r, rg, rnd_edge(dw) | (rnd_chance(1, 2) ? 1 : 0));
			div = reg_val(g->r, rg);
		}
		if (rnd_chance(2, 3)) {
			/* a dividend that does not overflow (most of the time) */
			bool sgn = !strcmp(ii->name, "idiv");
			uint64_t hi = sgn ? (((g->r[0] >> (dw - 1)) & 1) ? wmask(dw) : 0)
					  : (div ? rnd_below(div & wmask(dw)) : 0);

			if (mi >= 0)
				hi = sgn ? hi : 0;
			if (dw == 8) {
				if (!(g->pinned & 1))
					g->r[0] = (g->r[0] & ~UINT64_C(0xff00)) | (hi & 0xff) << 8;
			} else if (!(g->pinned & 4)) {
				g->r[2] = (g->r[2] & ~wmask(dw)) | (hi & wmask(dw));
			}
		}
	}
	if ((ii->flags & IF_CMPXCHG) && mi < 0 && rnd_chance(1, 2) && in->ops[0].kind == X86_OPK_REG) {
		struct x86_reg rg = in->ops[0].reg;

		if (!(g->pinned & 1))
			g->r[0] = (g->r[0] & ~wmask(reg_bits(rg))) | reg_val(g->r, rg);
	}

	/* Everything the instruction touches must be safe for the host. */
	for (unsigned i = 0; i < g->nreg; i++)
		if (!region_safe(g->reg[i].lo, g->reg[i].hi))
			return false;
	for (int i = 0; i < 16; i++)
		if (g->r[i] - DIFF_INSN_ADDR < 16)
			g->r[i] += 64;  /* never point a register into the instruction */

	/* Memory contents. */
	for (unsigned i = 0; i < g->nreg; i++) {
		uint64_t lo = g->reg[i].lo, hi = g->reg[i].hi;

		if (hi - lo > 2048)
			hi = lo + 2048;
		dm_randomize(lo - 16, (size_t)(hi - lo) + 32);
	}
	if (mi >= 0 && !(ii->flags & IF_BT)) {
		uint64_t v = rnd_reg_value(mbytes * 8 > 64 ? 64 : mbytes * 8);

		if ((ii->flags & IF_DIV) && rnd_chance(3, 4))
			v = rnd_edge(mbytes * 8) | 1;
		if ((ii->flags & IF_BRANCH) && mi == 0)
			v = rnd_target();
		if ((ii->flags & IF_CMPXCHG) && rnd_chance(1, 2))
			v = g->r[0];
		if (ii->flags & IF_CX8) {
			if (rnd_chance(1, 2)) {
				if (mbytes == 8) {
					v = (g->r[0] & 0xffffffff) | g->r[2] << 32;
				} else {
					dm_write64(lin + 8, g->r[2]);
					v = g->r[0];
				}
			}
		}
		if ((ii->flags & IF_DIV) && !strcmp(ii->name, "div") && rnd_chance(1, 2)) {
			/* dividend high part below the divisor */
			uint64_t d = v & wmask(mbytes * 8);
			uint64_t hi = d ? rnd_below(d) : 0;

			if (mbytes == 1) {
				if (!(g->pinned & 1))
					g->r[0] = (g->r[0] & ~UINT64_C(0xff00)) | (hi & 0xff) << 8;
			} else if (!(g->pinned & 4)) {
				g->r[2] = (g->r[2] & ~wmask(mbytes * 8)) | hi;
			}
		}
		dm_write(lin, &v, mbytes < 8 ? mbytes : 8);
	}
	if (ii->flags & IF_RET)
		dm_write64(g->r[4], rnd_target());
	if ((ii->flags & IF_POPF) && g->r[4] >= DIFF_DATA_BASE && g->r[4] + 8 <= DIFF_RAM_SIZE) {
		uint64_t v;

		memcpy(&v, dm_native(g->r[4]), 8);
		v &= ~(uint64_t)(FL_TF | FL_AC);
		dm_write64(g->r[4], v);
	}
	if ((ii->flags & IF_SCAN) && g->rep && rnd_chance(2, 3)) {
		unsigned es = str_esize(gi->name);
		uint64_t cnt = g->r[1] & amask, k = rnd_below(cnt + 2);
		bool repne = !strncmp(gi->name, "repne_", 6);
		int64_t step = (g->rflags & FL_DF) ? -(int64_t)es : (int64_t)es;
		uint64_t si = mem_linear_si(g), di = g->r[7] & amask;

		if (cnt > 64)
			k = rnd_below(64);
		for (uint64_t i = 0; i <= k && i < 64; i++) {
			uint64_t dst = di + (uint64_t)(step * (int64_t)i);
			uint8_t val[8];

			if (repne && i != k)
				continue;
			if (!repne && i == k)
				break;
			if (ii->flags & IF_SI) {
				uint64_t src = si + (uint64_t)(step * (int64_t)i);

				if (src < DIFF_DATA_BASE || src + es > DIFF_RAM_SIZE)
					break;
				memcpy(val, dm_native(src), es);
			} else {
				memcpy(val, &g->r[0], es);
			}
			dm_write(dst, val, es);
		}
	}
	return true;
}

#endif
