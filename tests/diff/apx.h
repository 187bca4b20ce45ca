/* SPDX-License-Identifier: MIT */
/*
 * APX equivalence on a host without APX (the proof 2, general part).
 *
 * Each case is one instruction form (opcode, operand width, register or
 * memory operand) encoded twice: a legacy/REX encoding that runs natively,
 * and an APX encoding that runs in the interpreter:
 *   rex2   REX2 with some explicit registers renamed to R16..R31: equals the
 *          legacy instruction on the legacy registers (the interpreter gets
 *          the values in the EGPRs and other values in the legacy registers);
 *   evex   EVEX map 4, ND=0 NF=0 (promoted form): equals the legacy one;
 *   ndd    ND=1: the legacy operation on a copy, result written to the new
 *          destination (vvvv) with bits [63:width] zeroed; the legacy
 *          destination (register or memory) is only read;
 *   nf     NF=1: the legacy operation with RFLAGS left unchanged;
 *   ndd+nf both;
 *   zu     IMUL.ZU (69/6B with ND=1): the legacy IMUL with the destination
 *          zero-extended from the operand width.
 * The expected interpreter state is derived from the host's result by these
 * rules; everything else (other GPRs, R16..R31, memory, RIP after the APX
 * instruction, exceptions) must be as on the host.  Explicit registers come
 * from rbx/rbp/rsi/rdi/r8-r15, never rax/rcx/rdx/rsp, so no renamed register
 * is also an implicit operand (MUL, DIV, shifts by CL, ...).
 */
#ifndef APXVM_TESTS_DIFF_APX_H
#define APXVM_TESTS_DIFF_APX_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core.h"
#include "legacy.h"

enum { K_REX2, K_EVEX, K_NDD, K_NF, K_NDDNF, K_ZU, K_NR };
static const char *const k_names[K_NR] = { "rex2", "evex", "ndd", "nf", "ndd+nf", "zu" };

/* What each kind of encoding is allowed for a form. */
#define A_REX2  (1u << K_REX2)
#define A_EVEX  (1u << K_EVEX)
#define A_NDD   (1u << K_NDD)
#define A_NF    (1u << K_NF)
#define A_NDDNF (1u << K_NDDNF)
#define A_ZU    (1u << K_ZU)

enum { D_NONE, D_RM, D_REG };                     /* the legacy destination */
enum { IM_NONE, IM_B, IM_Z, IM_CL, IM_ONE };      /* immediate / count operand */

struct aform {
	char name[24];      /* for the report, e.g. "add r/m,r" */
	const char *fam;    /* alu, shift, unary, muldiv, imul, shxd, cnt, adx, cmov */
	uint8_t lmap;       /* legacy map: 0, 1 (0F), 2 (0F 38) */
	uint8_t lopc;       /* legacy opcode */
	uint8_t mopc;       /* map-4 opcode */
	uint8_t mand;       /* legacy mandatory prefix (F3 for POPCNT...), 0 if none */
	uint8_t pp;         /* EVEX pp when it selects the instruction (ADCX 1, ADOX 2) */
	int8_t digit;       /* ModRM.reg opcode extension, -1 if a register */
	uint8_t imm;        /* IM_* */
	uint8_t dst;        /* D_* */
	uint8_t widths;     /* 1: 8-bit, 2: 16, 4: 32, 8: 64 */
	unsigned allow;     /* A_* */
	bool shape_div;     /* division: avoid #DE most of the time */
	bool count;         /* shift/rotate: count edges */
};

#define MAX_AFORMS 256
static struct aform aforms[MAX_AFORMS];
static unsigned naforms;

static void af_add(const char *name, const char *fam, uint8_t lmap, uint8_t lopc, uint8_t mopc,
		   uint8_t mand, uint8_t pp, int digit, uint8_t imm, uint8_t dst, uint8_t widths,
		   unsigned allow)
{
	struct aform *f;

	if (naforms == MAX_AFORMS)
		abort();
	f = &aforms[naforms++];

	snprintf(f->name, sizeof(f->name), "%s", name);
	f->fam = fam;
	f->lmap = lmap;
	f->lopc = lopc;
	f->mopc = mopc;
	f->mand = mand;
	f->pp = pp;
	f->digit = (int8_t)digit;
	f->imm = imm;
	f->dst = dst;
	f->widths = widths;
	f->allow = allow;
	f->count = !strcmp(fam, "shift") || !strcmp(fam, "shxd");
}

static void aforms_init(void)
{
	static const char *const alu[8] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };
	static const char *const sh[8] = { "rol", "ror", "rcl", "rcr", "shl", "shr", NULL, "sar" };
	char nm[32];

	naforms = 0;
	for (int o = 0; o < 8; o++) {
		/* NF only for ADD OR AND SUB XOR; CMP in map 4 is CCMP (another helper's). */
		unsigned nd = o == 7 ? 0 : A_EVEX | A_NDD, nf = (o == 2 || o == 3 || o == 7) ? 0 : A_NF | A_NDDNF;
		unsigned a = A_REX2 | nd | (nd ? nf : 0);
		uint8_t dr = o == 7 ? D_NONE : D_RM, dg = o == 7 ? D_NONE : D_REG;

		snprintf(nm, sizeof(nm), "%s r/m8,r8", alu[o]);
		af_add(nm, "alu", 0, (uint8_t)(o * 8), (uint8_t)(o * 8), 0, 0, -1, IM_NONE, dr, 1, a);
		snprintf(nm, sizeof(nm), "%s r/m,r", alu[o]);
		af_add(nm, "alu", 0, (uint8_t)(o * 8 + 1), (uint8_t)(o * 8 + 1), 0, 0, -1, IM_NONE, dr, 14, a);
		snprintf(nm, sizeof(nm), "%s r8,r/m8", alu[o]);
		af_add(nm, "alu", 0, (uint8_t)(o * 8 + 2), (uint8_t)(o * 8 + 2), 0, 0, -1, IM_NONE, dg, 1, a);
		snprintf(nm, sizeof(nm), "%s r,r/m", alu[o]);
		af_add(nm, "alu", 0, (uint8_t)(o * 8 + 3), (uint8_t)(o * 8 + 3), 0, 0, -1, IM_NONE, dg, 14, a);
		snprintf(nm, sizeof(nm), "%s r/m8,ib", alu[o]);
		af_add(nm, "alu", 0, 0x80, 0x80, 0, 0, o, IM_B, dr, 1, a);
		snprintf(nm, sizeof(nm), "%s r/m,iz", alu[o]);
		af_add(nm, "alu", 0, 0x81, 0x81, 0, 0, o, IM_Z, dr, 14, a);
		snprintf(nm, sizeof(nm), "%s r/m,ib", alu[o]);
		af_add(nm, "alu", 0, 0x83, 0x83, 0, 0, o, IM_B, dr, 14, a);
	}
	af_add("test r/m8,r8", "alu", 0, 0x84, 0, 0, 0, -1, IM_NONE, D_NONE, 1, A_REX2);
	af_add("test r/m,r", "alu", 0, 0x85, 0, 0, 0, -1, IM_NONE, D_NONE, 14, A_REX2);
	af_add("test r/m8,ib", "alu", 0, 0xf6, 0, 0, 0, 0, IM_B, D_NONE, 1, A_REX2);
	af_add("test r/m,iz", "alu", 0, 0xf7, 0, 0, 0, 0, IM_Z, D_NONE, 14, A_REX2);
	for (int o = 0; o < 8; o++) {
		unsigned a;
		static const struct { uint8_t op8, op, imm; const char *sfx; } sf[3] = {
			{ 0xc0, 0xc1, IM_B, "ib" }, { 0xd0, 0xd1, IM_ONE, "1" }, { 0xd2, 0xd3, IM_CL, "cl" },
		};

		if (!sh[o])
			continue;
		a = A_REX2 | A_EVEX | A_NDD | ((o == 2 || o == 3) ? 0 : A_NF | A_NDDNF);
		for (int k = 0; k < 3; k++) {
			snprintf(nm, sizeof(nm), "%s r/m8,%s", sh[o], sf[k].sfx);
			af_add(nm, "shift", 0, sf[k].op8, sf[k].op8, 0, 0, o, sf[k].imm, D_RM, 1, a);
			snprintf(nm, sizeof(nm), "%s r/m,%s", sh[o], sf[k].sfx);
			af_add(nm, "shift", 0, sf[k].op, sf[k].op, 0, 0, o, sf[k].imm, D_RM, 14, a);
		}
	}
	af_add("not r/m8", "unary", 0, 0xf6, 0xf6, 0, 0, 2, IM_NONE, D_RM, 1, A_REX2 | A_EVEX | A_NDD);
	af_add("not r/m", "unary", 0, 0xf7, 0xf7, 0, 0, 2, IM_NONE, D_RM, 14, A_REX2 | A_EVEX | A_NDD);
	af_add("neg r/m8", "unary", 0, 0xf6, 0xf6, 0, 0, 3, IM_NONE, D_RM, 1,
	       A_REX2 | A_EVEX | A_NDD | A_NF | A_NDDNF);
	af_add("neg r/m", "unary", 0, 0xf7, 0xf7, 0, 0, 3, IM_NONE, D_RM, 14,
	       A_REX2 | A_EVEX | A_NDD | A_NF | A_NDDNF);
	af_add("inc r/m8", "unary", 0, 0xfe, 0xfe, 0, 0, 0, IM_NONE, D_RM, 1,
	       A_REX2 | A_EVEX | A_NDD | A_NF | A_NDDNF);
	af_add("inc r/m", "unary", 0, 0xff, 0xff, 0, 0, 0, IM_NONE, D_RM, 14,
	       A_REX2 | A_EVEX | A_NDD | A_NF | A_NDDNF);
	af_add("dec r/m8", "unary", 0, 0xfe, 0xfe, 0, 0, 1, IM_NONE, D_RM, 1,
	       A_REX2 | A_EVEX | A_NDD | A_NF | A_NDDNF);
	af_add("dec r/m", "unary", 0, 0xff, 0xff, 0, 0, 1, IM_NONE, D_RM, 14,
	       A_REX2 | A_EVEX | A_NDD | A_NF | A_NDDNF);
	{
		static const char *const md[4] = { "mul", "imul", "div", "idiv" };

		for (int o = 0; o < 4; o++) {
			snprintf(nm, sizeof(nm), "%s r/m8", md[o]);
			af_add(nm, "muldiv", 0, 0xf6, 0xf6, 0, 0, 4 + o, IM_NONE, D_NONE, 1,
			       A_REX2 | A_EVEX | A_NF);
			aforms[naforms - 1].shape_div = o >= 2;
			snprintf(nm, sizeof(nm), "%s r/m", md[o]);
			af_add(nm, "muldiv", 0, 0xf7, 0xf7, 0, 0, 4 + o, IM_NONE, D_NONE, 14,
			       A_REX2 | A_EVEX | A_NF);
			aforms[naforms - 1].shape_div = o >= 2;
		}
	}
	af_add("imul r,r/m", "imul", 1, 0xaf, 0xaf, 0, 0, -1, IM_NONE, D_REG, 14,
	       A_REX2 | A_EVEX | A_NDD | A_NF | A_NDDNF);
	af_add("imul r,r/m,iz", "imul", 0, 0x69, 0x69, 0, 0, -1, IM_Z, D_REG, 14,
	       A_REX2 | A_EVEX | A_NF | A_ZU);
	af_add("imul r,r/m,ib", "imul", 0, 0x6b, 0x6b, 0, 0, -1, IM_B, D_REG, 14,
	       A_REX2 | A_EVEX | A_NF | A_ZU);
	af_add("shld r/m,r,ib", "shxd", 1, 0xa4, 0x24, 0, 0, -1, IM_B, D_RM, 14,
	       A_REX2 | A_EVEX | A_NDD | A_NF | A_NDDNF);
	af_add("shld r/m,r,cl", "shxd", 1, 0xa5, 0xa5, 0, 0, -1, IM_CL, D_RM, 14,
	       A_REX2 | A_EVEX | A_NDD | A_NF | A_NDDNF);
	af_add("shrd r/m,r,ib", "shxd", 1, 0xac, 0x2c, 0, 0, -1, IM_B, D_RM, 14,
	       A_REX2 | A_EVEX | A_NDD | A_NF | A_NDDNF);
	af_add("shrd r/m,r,cl", "shxd", 1, 0xad, 0xad, 0, 0, -1, IM_CL, D_RM, 14,
	       A_REX2 | A_EVEX | A_NDD | A_NF | A_NDDNF);
	af_add("popcnt r,r/m", "cnt", 1, 0xb8, 0x88, 0xf3, 0, -1, IM_NONE, D_REG, 14,
	       A_REX2 | A_EVEX | A_NF);
	af_add("tzcnt r,r/m", "cnt", 1, 0xbc, 0xf4, 0xf3, 0, -1, IM_NONE, D_REG, 14,
	       A_REX2 | A_EVEX | A_NF);
	af_add("lzcnt r,r/m", "cnt", 1, 0xbd, 0xf5, 0xf3, 0, -1, IM_NONE, D_REG, 14,
	       A_REX2 | A_EVEX | A_NF);
	af_add("adcx r,r/m", "adx", 2, 0xf6, 0x66, 0x66, 1, -1, IM_NONE, D_REG, 12, A_EVEX | A_NDD);
	af_add("adox r,r/m", "adx", 2, 0xf6, 0x66, 0xf3, 2, -1, IM_NONE, D_REG, 12, A_EVEX | A_NDD);
	/* CMOVcc: ND=1 NF=0 is CMOVcc-NDD; ND=0 in map 4 is CFCMOV (another helper's). */
	for (int cc = 0; cc < 16; cc += 1) {
		snprintf(nm, sizeof(nm), "cmov%x r,r/m", cc);
		af_add(nm, "cmov", 1, (uint8_t)(0x40 + cc), (uint8_t)(0x40 + cc), 0, 0, -1, IM_NONE,
		       D_REG, 14, A_REX2 | A_NDD);
	}
}

/* ---- encoder ---- */

struct aenc {
	int kind;            /* -1: legacy (REX), else K_* */
	const struct aform *f;
	unsigned w;          /* 8, 16, 32, 64 */
	int reg;             /* ModRM.reg register (0..31), ignored with a digit */
	bool mem;
	int rm;              /* register when !mem */
	int base, index;     /* memory; index -1 if none */
	unsigned scale;
	int32_t disp;
	bool disp32;
	int vreg;            /* NDD destination */
	uint8_t imm[4];
	unsigned immn;
};

/* Returns the length. */
static unsigned aencode(const struct aenc *e, uint8_t *b)
{
	const struct aform *f = e->f;
	unsigned n = 0, reg = f->digit >= 0 ? (unsigned)f->digit : (unsigned)e->reg;
	unsigned rmn = e->mem ? (unsigned)e->base : (unsigned)e->rm;
	unsigned xn = e->mem && e->index >= 0 ? (unsigned)e->index : 0;
	bool w64 = e->w == 64, needsib, evex = e->kind >= K_EVEX;
	unsigned mod, rmlow;
	uint8_t opc = evex ? f->mopc : f->lopc;

	if (e->kind < K_EVEX) {
		if (e->w == 16)
			b[n++] = 0x66;
		if (f->mand)
			b[n++] = f->mand;
	}
	if (e->kind == -1) {
		uint8_t rex = (uint8_t)(0x40 | (w64 ? 8 : 0) | ((reg >> 3) & 1) << 2 | ((xn >> 3) & 1) << 1 |
					((rmn >> 3) & 1));

		if (rex != 0x40 || e->w == 8)
			b[n++] = rex;
		if (f->lmap >= 1)
			b[n++] = 0x0f;
		if (f->lmap == 2)
			b[n++] = 0x38;
	} else if (e->kind == K_REX2) {
		b[n++] = 0xd5;
		b[n++] = (uint8_t)((f->lmap == 1) << 7 | ((reg >> 4) & 1) << 6 | ((xn >> 4) & 1) << 5 |
				   ((rmn >> 4) & 1) << 4 | (w64 ? 8 : 0) | ((reg >> 3) & 1) << 2 |
				   ((xn >> 3) & 1) << 1 | ((rmn >> 3) & 1));
	} else {
		bool nd = e->kind == K_NDD || e->kind == K_NDDNF || e->kind == K_ZU;
		bool nf = e->kind == K_NF || e->kind == K_NDDNF;
		unsigned v = nd && e->kind != K_ZU ? (unsigned)e->vreg : 0;
		unsigned vvvv = nd && e->kind != K_ZU ? (~v & 15) : 15, v4n = nd && e->kind != K_ZU ? !(v & 16) : 1;
		unsigned pp = f->pp ? f->pp : (e->w == 16 ? 1 : 0);
		unsigned x4n = e->mem ? !((xn >> 4) & 1) : 1;

		b[n++] = 0x62;
		b[n++] = (uint8_t)(!((reg >> 3) & 1) << 7 | !((xn >> 3) & 1) << 6 | !((rmn >> 3) & 1) << 5 |
				   !((reg >> 4) & 1) << 4 | ((rmn >> 4) & 1) << 3 | 4);
		b[n++] = (uint8_t)((w64 ? 0x80 : 0) | vvvv << 3 | x4n << 2 | pp);
		b[n++] = (uint8_t)((nd ? 0x10 : 0) | v4n << 3 | (nf ? 4 : 0));
	}
	b[n++] = opc;
	if (!e->mem) {
		b[n++] = (uint8_t)(0xc0 | (reg & 7) << 3 | (rmn & 7));
	} else {
		rmlow = rmn & 7;
		needsib = e->index >= 0 || rmlow == 4;
		if (e->disp32)
			mod = 2;
		else if (e->disp == 0 && rmlow != 5)
			mod = 0;
		else
			mod = 1;
		b[n++] = (uint8_t)(mod << 6 | (reg & 7) << 3 | (needsib ? 4 : rmlow));
		if (needsib) {
			unsigned ss = e->scale == 8 ? 3 : e->scale == 4 ? 2 : e->scale == 2 ? 1 : 0;

			b[n++] = (uint8_t)(ss << 6 | (e->index >= 0 ? (xn & 7) : 4) << 3 | rmlow);
		}
		if (mod == 1)
			b[n++] = (uint8_t)e->disp;
		else if (mod == 2) {
			put_le(b + n, (uint32_t)e->disp, 4);
			n += 4;
		}
	}
	memcpy(b + n, e->imm, e->immn);
	return n + e->immn;
}

/* ---- one case ---- */

/* Explicit register candidates: never rax/rcx/rdx (implicit operands) or rsp. */
static const uint8_t apx_regs[] = { 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

struct acase {
	struct aenc leg, apx;
	uint8_t nb[15], ib[15];
	unsigned nlen, ilen;
	uint64_t nin[16], iin[32], rflags;
	int map[16];         /* legacy register -> interpreter register */
	uint64_t ea;         /* memory operand linear address */
	char group[40];
};

static int pick_reg(void)
{
	return apx_regs[rnd_below(sizeof(apx_regs))];
}

static bool gen_acase(struct acase *a, const struct aform *f, int kind)
{
	static const unsigned wv[4] = { 8, 16, 32, 64 };
	unsigned wbits[4], nw = 0, w, mbytes;
	bool egpr = kind != K_EVEX || rnd_chance(1, 2);
	uint8_t used[32] = { 0 };

	memset(a, 0, sizeof(*a));
	for (int i = 0; i < 4; i++)
		if (f->widths & (1u << i))
			wbits[nw++] = wv[i];
	w = wbits[rnd_below(nw)];
	a->leg.kind = -1;
	a->leg.f = f;
	a->leg.w = w;
	a->leg.reg = pick_reg();
	a->leg.mem = rnd_chance(1, 3);
	a->leg.rm = pick_reg();
	a->leg.vreg = 0;
	for (int i = 0; i < 16; i++)
		a->map[i] = i;
	if (a->leg.mem) {
		a->leg.base = pick_reg();
		a->leg.index = rnd_chance(1, 2) ? pick_reg() : -1;
		a->leg.scale = 1u << rnd_below(4);
		a->leg.disp32 = rnd_chance(1, 4);
		a->leg.disp = a->leg.disp32 ? (int32_t)(rnd_below(0x400) - 0x200)
					    : (rnd_chance(1, 4) ? 0 : (int8_t)rnd());
	}
	switch (f->imm) {
	case IM_B:
		a->leg.immn = 1;
		a->leg.imm[0] = f->count ? rnd_count(w) : (uint8_t)rnd_edge(8);
		break;
	case IM_Z: {
		unsigned nb = w == 16 ? 2 : 4;

		a->leg.immn = w == 8 ? 1 : nb;
		put_le(a->leg.imm, rnd_edge(a->leg.immn * 8), a->leg.immn);
		break;
	}
	}

	/* Registers: native values; the interpreter's are the same, then renamed. */
	for (int i = 0; i < 16; i++)
		a->nin[i] = rnd_reg_value(rnd_chance(3, 5) ? w : (8u << rnd_below(4)));
	a->nin[4] = STACK_TOP - 8 * rnd_below(32);
	if (f->imm == IM_CL)
		a->nin[1] = (a->nin[1] & ~UINT64_C(0xff)) | rnd_count(w);
	if (f->shape_div && rnd_chance(2, 3)) {
		/* a dividend high part that does not overflow (often) */
		if (w == 8)
			a->nin[0] &= ~UINT64_C(0xff00);
		else
			a->nin[2] = rnd_chance(1, 2) ? 0 : (a->nin[0] >> (w - 1) & 1 ? wmask(w) : 0) |
								(a->nin[2] & ~wmask(w));
	}
	a->rflags = rnd_rflags();
	if (a->leg.mem) {
		uint64_t t = DATA_CENTER - 0x400 + rnd_below(0x800), idx = 0, b;

		if (rnd_chance(1, 32))
			t = DIFF_RAM_SIZE - 8 + rnd_below(16);  /* #PF (straddling the guard or in it) */

		if (a->leg.index >= 0 && a->leg.index != a->leg.base) {
			idx = rnd_chance(1, 2) ? rnd_below(256) : rnd_reg_value(64);
			a->nin[a->leg.index] = idx;
			b = t - (uint64_t)(int64_t)a->leg.disp - idx * a->leg.scale;
		} else if (a->leg.index >= 0) {
			/* base == index: base * (1 + scale) */
			if (a->leg.scale == 1) {
				t &= ~UINT64_C(1);
				b = (t - (uint64_t)(int64_t)a->leg.disp) >> 1;
				if ((t - (uint64_t)(int64_t)a->leg.disp) & 1)
					return false;
			} else {
				b = (t - (uint64_t)(int64_t)a->leg.disp) * inv64(a->leg.scale + 1);
			}
		} else {
			b = t - (uint64_t)(int64_t)a->leg.disp;
		}
		a->nin[a->leg.base] = b;
		a->ea = a->nin[a->leg.base] + (uint64_t)(int64_t)a->leg.disp +
			(a->leg.index >= 0 ? a->nin[a->leg.index] * a->leg.scale : 0);
		if ((a->ea < DATA_CENTER - 0x800 || a->ea > DATA_CENTER + 0x800) &&
		    (a->ea < DIFF_RAM_SIZE - 16 || a->ea > DIFF_RAM_SIZE + 16))
			return false;
		mbytes = w / 8;
		dm_randomize(a->ea - 8, mbytes + 16);
		if (f->shape_div && rnd_chance(3, 4)) {
			uint64_t v = rnd_edge(w) | 1;

			dm_write(a->ea, &v, mbytes);
		}
	} else if (f->shape_div && rnd_chance(3, 4) && f->digit >= 0) {
		a->nin[a->leg.rm] = (a->nin[a->leg.rm] & ~wmask(w)) | rnd_edge(w) | 1;
	}

	/* The APX encoding: rename legacy registers to EGPRs. */
	a->apx = a->leg;
	a->apx.kind = kind;
	memcpy(a->iin, a->nin, sizeof(a->nin));
	for (int i = 16; i < 32; i++)
		a->iin[i] = rnd();
	if (egpr) {
		int regs[4] = { f->digit < 0 ? a->leg.reg : -1, a->leg.mem ? -1 : a->leg.rm,
				a->leg.mem ? a->leg.base : -1, a->leg.mem ? a->leg.index : -1 };

		for (int i = 0; i < 4; i++) {
			int l = regs[i], e;

			if (l < 0 || a->map[l] != l || rnd_chance(1, 2))
				continue;
			do
				e = 16 + (int)rnd_below(16);
			while (used[e]);
			used[e] = 1;
			a->map[l] = e;
			a->iin[e] = a->nin[l];
			a->iin[l] = rnd();  /* the legacy register must not be used */
		}
	}
	a->apx.reg = a->map[a->leg.reg];
	a->apx.rm = a->map[a->leg.rm];
	if (a->leg.mem) {
		a->apx.base = a->map[a->leg.base];
		a->apx.index = a->leg.index >= 0 ? a->map[a->leg.index] : -1;
	}
	if (kind == K_NDD || kind == K_NDDNF) {
		a->apx.vreg = (int)rnd_below(32);  /* any register, RSP included */
	}
	a->nlen = aencode(&a->leg, a->nb);
	a->ilen = aencode(&a->apx, a->ib);
	snprintf(a->group, sizeof(a->group), "apx.%s.%s", k_names[kind], f->fam);
	return true;
}

/* The legacy destination as an interpreter register, or -1 for memory/none. */
static int acase_dest(const struct acase *a, int *legreg)
{
	const struct aform *f = a->leg.f;

	*legreg = -1;
	if (f->dst == D_REG) {
		*legreg = a->leg.reg;
		return a->map[a->leg.reg];
	}
	if (f->dst == D_RM && !a->leg.mem) {
		*legreg = a->leg.rm;
		return a->map[a->leg.rm];
	}
	return -1;
}

/* The shift count as encoded. */
static unsigned f_count(const struct acase *a)
{
	switch (a->leg.f->imm) {
	case IM_B: return a->leg.imm[0];
	case IM_CL: return (unsigned)(a->nin[1] & 0xff);
	case IM_ONE: return 1;
	}
	return 1;
}

static bool run_acase(struct acase *a, struct group_stat *st)
{
	struct dn_ctx nctx;
	struct dn_result nres;
	struct outcome nat, exp, got;
	struct diff_report d;
	uint8_t pre[8] = { 0 };
	unsigned w = a->leg.w, kind = (unsigned)a->apx.kind;
	bool nd = kind == K_NDD || kind == K_NDDNF, nf = kind == K_NF || kind == K_NDDNF;
	char note[160];
	uint64_t undef;

	if (a->leg.mem && a->ea + w / 8 <= DIFF_RAM_SIZE)
		memcpy(pre, dm_native(a->ea), w / 8);
	dm_put_insn(a->nb, a->nlen);
	memcpy(nctx.r, a->nin, sizeof(nctx.r));
	nctx.rflags = a->rflags;
	dn_run(&nctx, &nres);
	native_outcome(&nres, a->nlen, &nat);
	dm_clear_insn(a->nlen);

	/* Expected interpreter state. */
	memset(&exp, 0, sizeof(exp));
	exp.kind = nat.kind;
	exp.vector = nat.vector;
	exp.cr2 = nat.cr2;
	exp.why = nat.why;
	memcpy(exp.r, a->iin, sizeof(exp.r));
	exp.rflags = a->rflags;
	exp.rip = DIFF_INSN_ADDR;
	snprintf(note, sizeof(note), "host result of the legacy instruction%s%s%s",
		 kind == K_REX2 || kind == K_EVEX ? " with R16..R31 renamed" : "",
		 nd ? ", result to the NDD register zero-extended, legacy destination untouched" :
		 kind == K_ZU ? ", destination zero-extended" : "",
		 nf ? ", RFLAGS unchanged" : "");
	if (nat.kind == OUT_DONE) {
		int lr, dreg = acase_dest(a, &lr);
		uint64_t res = 0;

		if (nat.rip != DIFF_INSN_ADDR + a->nlen) {
			exp.kind = OUT_SKIP;
			exp.why = "host did not retire at the next instruction";
		}
		for (int i = 0; i < 16; i++)
			exp.r[i] = nat.r[i];
		for (int l = 0; l < 16; l++) {
			if (a->map[l] != l) {
				exp.r[a->map[l]] = nat.r[l];
				exp.r[l] = a->iin[l];
			}
		}
		exp.rflags = nf ? a->rflags : nat.rflags;
		exp.rip = DIFF_INSN_ADDR + a->ilen;
		if (nd) {
			if (dreg >= 0) {
				res = nat.r[lr];
				exp.r[dreg] = a->iin[dreg];
			} else {
				memcpy(&res, dm_native(a->ea), w / 8);
				/* NDD never writes memory: put the host's memory back */
				memcpy(dm_native(a->ea), pre, w / 8);
			}
			exp.r[a->apx.vreg] = res & wmask(w);
		}
		if (kind == K_ZU && dreg >= 0)
			exp.r[dreg] = nat.r[lr] & wmask(w);
	}
#ifndef CONFIG_APX
	/* The 16-GPR vCPU (make APX=0) has no APX: every such encoding is #UD
	 * and changes nothing, whatever the legacy instruction did on the host. */
	if (a->leg.mem && a->ea + w / 8 <= DIFF_RAM_SIZE)
		memcpy(dm_native(a->ea), pre, w / 8);
	memset(&exp, 0, sizeof(exp));
	exp.kind = OUT_EXC;
	exp.vector = 6;
	memcpy(exp.r, a->iin, sizeof(exp.r));
	exp.rflags = a->rflags;
	exp.rip = DIFF_INSN_ADDR;
	snprintf(note, sizeof(note), "APX=0 build: #UD with nothing changed");
#endif
	memcpy(dm_ram + DIFF_INSN_ADDR, a->ib, a->ilen);
	interp_run(a->iin, a->rflags, &got);
	dm_clear_insn(a->ilen);

	memset(&d, 0, sizeof(d));
	d.group = st->name;
	d.nbytes = a->nb;
	d.nlen = a->nlen;
	d.ibytes = a->ib;
	d.ilen = a->ilen;
	d.nin = a->nin;
	d.iin = a->iin;
	d.rflags_in = a->rflags;
	d.exp = &exp;
	d.got = &got;
	/*
	 * Flags the SDM leaves undefined are masked here: the host validates the
	 * legacy behaviour (legacy part), but nothing defines them for the APX
	 * forms, so a difference is only counted (the "note" lines).
	 */
	{
		char base[16];
		unsigned cnt = f_count(a), k = 0;
		bool du;

		while (k + 1 < sizeof(base) && a->leg.f->name[k] && a->leg.f->name[k] != ' ') {
			base[k] = a->leg.f->name[k];
			k++;
		}
		base[k] = 0;
		undef = undef_mask(iinfo_find(base), w, cnt, &du);
		if (du && exp.kind == OUT_DONE) {
			exp.kind = OUT_SKIP;
			exp.why = "result undefined (SDM)";
		}
	}
	d.flag_mask = FL_COMPARE & ~undef;
	d.note = note;
	if (a->leg.mem && a->ea + w / 8 <= DIFF_RAM_SIZE) {
		d.has_mem_in = true;
		d.mem_in_addr = a->ea;
		memcpy(d.mem_in, pre, w / 8);
	}
	return compare_outcomes(&d, st, undef);
}

static void run_apx(uint64_t n, const char *only, bool (*has)(const char *fam))
{
	struct { unsigned f; int kind; } *pairs;
	unsigned npairs = 0;

	aforms_init();
	pairs = calloc(naforms * K_NR, sizeof(*pairs));
	if (!pairs)
		abort();
	for (unsigned i = 0; i < naforms; i++) {
		for (int k = 0; k < K_NR; k++) {
			char g[40];

			if (!(aforms[i].allow & (1u << k)) || !has(aforms[i].fam))
				continue;
			snprintf(g, sizeof(g), "apx.%s.%s", k_names[k], aforms[i].fam);
			if (only && strncmp(g, only, strlen(only)))
				continue;
			pairs[npairs].f = i;
			pairs[npairs].kind = k;
			npairs++;
		}
	}
	for (uint64_t i = 0; i < n && npairs; i++) {
		unsigned p = (unsigned)rnd_below(npairs);
		struct acase a;
		bool okc = false;

		for (int t = 0; t < 8 && !okc; t++)
			okc = gen_acase(&a, &aforms[pairs[p].f], pairs[p].kind);
		if (!okc)
			continue;
		run_acase(&a, group_get(a.group));
	}
	free(pairs);
}

#endif
