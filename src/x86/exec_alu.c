/* SPDX-License-Identifier: MIT */
/*
 * Instruction handlers: integer arithmetic, logic, shifts and rotates,
 * multiply and divide, bit scans and bit tests, BMI1/BMI2, ADCX/ADOX,
 * CRC32 and the flag instructions.  Legacy, REX2, VEX and EVEX (map 4
 * NDD/NF/ZU, promoted BMI) forms share the handlers:
 *
 *   - NDD (in->nd): ops[0] is the new destination, the legacy operands
 *     follow as sources (ops[1], ops[2], ...); x86_op_write zeroes bits
 *     [63:width] of an NDD/ZU destination.
 *   - {nf} (in->nf): every flag update goes through x86_flags_update(),
 *     which does nothing under NF.
 *
 * Order inside a handler (precise exceptions): read every operand, compute,
 * raise #DE if needed, write memory, then registers, then RFLAGS.
 *
 * Undefined flags follow the Intel reference host; the rules are listed in
 * flags.h and next to each handler, and tests/test_exec_alu.c checks them
 * against the real instructions.
 */
#include <stddef.h>
#include <stdint.h>

#include "x86/flags.h"
#include "x86/interp.h"
#include "x86/interp_internal.h"

#define TRY(expr)							\
	do {								\
		enum x86_exit ex_ = (expr);				\
		if (ex_ != X86_EXIT_NONE)				\
			return ex_;					\
	} while (0)

#define FL_ARITH ((uint64_t)X86_FLAGS_ARITH)
#define FL_CF    ((uint64_t)X86_FLAGS_CF)
#define FL_OF    ((uint64_t)X86_FLAGS_OF)
#define FL_ZF    ((uint64_t)X86_FLAGS_ZF)
#define FL_SF    ((uint64_t)X86_FLAGS_SF)
#define FL_PF    ((uint64_t)X86_FLAGS_PF)
#define FL_AF    ((uint64_t)X86_FLAGS_AF)

static inline uint64_t rflags(const struct x86_cpu *c)
{
	return c->v->regs.rflags;
}

static inline unsigned cf_in(const struct x86_cpu *c)
{
	return (c->v->regs.rflags & X86_FLAGS_CF) ? 1 : 0;
}

static inline unsigned opw(const struct x86_insn *in, unsigned i)
{
	return in->ops[i].width;
}

/* Read operand i masked to `w` bits. */
static inline enum x86_exit rd(struct x86_cpu *c, const struct x86_insn *in, unsigned i,
			       unsigned w, uint64_t *v)
{
	enum x86_exit ex = x86_op_read(c, in, i, v);

	*v &= x86_fl_mask(w);
	return ex;
}

/* Write the low `w` bits of `v` into GPR n with the legacy rules (8/16 merge, 32 zero-extends). */
static void gpr_write_w(struct x86_cpu *c, unsigned n, unsigned w, uint64_t v)
{
	struct vcpu_regfile *rf = &c->v->regs;

	switch (w) {
	case 8: vcpu_gpr_write8(rf, n, (uint8_t)v); break;
	case 16: vcpu_gpr_write16(rf, n, (uint16_t)v); break;
	case 32: vcpu_gpr_write32(rf, n, (uint32_t)v); break;
	default: x86_set_gpr(c, n, v); break;
	}
}

/* ---- 64x64 -> 128 multiply and 128/64 divide, portable ---- */

static uint64_t mulu64(uint64_t a, uint64_t b, uint64_t *hi)
{
	uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;

	*hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
	return (mid << 32) | (uint32_t)ll;
}

static uint64_t muls64(uint64_t a, uint64_t b, uint64_t *hi)
{
	uint64_t h, lo = mulu64(a, b, &h);

	if ((int64_t)a < 0)
		h -= b;
	if ((int64_t)b < 0)
		h -= a;
	*hi = h;
	return lo;
}

/* (hi:lo) / d with hi < d (the quotient fits in 64 bits). */
static uint64_t divu128(uint64_t hi, uint64_t lo, uint64_t d, uint64_t *rem)
{
#ifdef __SIZEOF_INT128__
	__extension__ typedef unsigned __int128 u128;
	u128 n = ((u128)hi << 64) | lo;

	*rem = (uint64_t)(n % d);
	return (uint64_t)(n / d);
#else
	for (unsigned i = 0; i < 64; i++) {
		unsigned top = (unsigned)(hi >> 63);

		hi = (hi << 1) | (lo >> 63);
		lo <<= 1;
		if (top || hi >= d) {
			hi -= d;
			lo |= 1;
		}
	}
	*rem = hi;
	return lo;
#endif
}

/* ---- ADD OR ADC SBB AND SUB XOR CMP TEST ---- */

enum alu_op { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR, ALU_CMP, ALU_TEST };

static enum x86_exit alu2(struct x86_cpu *c, const struct x86_insn *in, enum alu_op op)
{
	unsigned ia = in->nd ? 1 : 0, w = opw(in, 0);
	uint64_t a, b, r;
	uint32_t f;

	TRY(rd(c, in, ia, w, &a));
	TRY(rd(c, in, ia + 1, w, &b));
	switch (op) {
	case ALU_ADD: r = a + b; f = x86_fl_add(a, b, 0, w); break;
	case ALU_ADC: r = a + b + cf_in(c); f = x86_fl_add(a, b, cf_in(c), w); break;
	case ALU_SUB:
	case ALU_CMP: r = a - b; f = x86_fl_sub(a, b, 0, w); break;
	case ALU_SBB: r = a - b - cf_in(c); f = x86_fl_sub(a, b, cf_in(c), w); break;
	case ALU_OR: r = a | b; f = x86_fl_logic(r, w); break;
	case ALU_XOR: r = a ^ b; f = x86_fl_logic(r, w); break;
	default: r = a & b; f = x86_fl_logic(r, w); break; /* AND, TEST */
	}
	if (op != ALU_CMP && op != ALU_TEST)
		TRY(x86_op_write(c, in, 0, r & x86_fl_mask(w)));
	x86_flags_update(c, in, FL_ARITH, f);
	return X86_EXIT_NONE;
}

#define ALU_HANDLER(name, op)						\
static enum x86_exit h_##name(struct x86_cpu *c, const struct x86_insn *in) \
{									\
	return alu2(c, in, op);						\
}
ALU_HANDLER(add, ALU_ADD)
ALU_HANDLER(or, ALU_OR)
ALU_HANDLER(adc, ALU_ADC)
ALU_HANDLER(sbb, ALU_SBB)
ALU_HANDLER(and, ALU_AND)
ALU_HANDLER(sub, ALU_SUB)
ALU_HANDLER(xor, ALU_XOR)
ALU_HANDLER(cmp, ALU_CMP)
ALU_HANDLER(test, ALU_TEST)

/* ---- INC DEC NEG NOT ---- */

enum un_op { UN_INC, UN_DEC, UN_NEG, UN_NOT };

static enum x86_exit unary(struct x86_cpu *c, const struct x86_insn *in, enum un_op op)
{
	unsigned w = opw(in, 0);
	uint64_t a, r, mask = FL_ARITH;
	uint32_t f = 0;

	TRY(rd(c, in, in->nd ? 1 : 0, w, &a));
	switch (op) {
	case UN_INC: r = a + 1; f = x86_fl_inc(a, w); mask &= ~FL_CF; break;
	case UN_DEC: r = a - 1; f = x86_fl_dec(a, w); mask &= ~FL_CF; break;
	case UN_NEG: r = 0 - a; f = x86_fl_neg(a, w); break;
	default: r = ~a; mask = 0; break;
	}
	TRY(x86_op_write(c, in, 0, r & x86_fl_mask(w)));
	if (mask)
		x86_flags_update(c, in, mask, f);
	return X86_EXIT_NONE;
}

static enum x86_exit h_inc(struct x86_cpu *c, const struct x86_insn *in) { return unary(c, in, UN_INC); }
static enum x86_exit h_dec(struct x86_cpu *c, const struct x86_insn *in) { return unary(c, in, UN_DEC); }
static enum x86_exit h_neg(struct x86_cpu *c, const struct x86_insn *in) { return unary(c, in, UN_NEG); }
static enum x86_exit h_not(struct x86_cpu *c, const struct x86_insn *in) { return unary(c, in, UN_NOT); }

/* ---- MUL IMUL DIV IDIV ---- */

/*
 * One-operand MUL/IMUL: rDX:rAX (AX for bytes) = rAX * src.  CF = OF = the
 * high half is significant; SF/PF from the low half, ZF = AF = 0 (host).
 */
static enum x86_exit mul1(struct x86_cpu *c, const struct x86_insn *in, bool sgn)
{
	unsigned w = opw(in, 0);
	uint64_t m = x86_fl_mask(w), s, a, lo, hi;
	bool ovf;

	TRY(rd(c, in, 0, w, &s));
	a = x86_gpr(c, 0) & m;
	if (w == 64) {
		lo = sgn ? muls64(a, s, &hi) : mulu64(a, s, &hi);
		ovf = sgn ? hi != (uint64_t)((int64_t)lo < 0 ? -1 : 0) : hi != 0;
	} else {
		uint64_t p = sgn ? (uint64_t)(x86_fl_sext(a, w) * x86_fl_sext(s, w)) : a * s;

		lo = p & m;
		hi = (p >> w) & m;
		ovf = sgn ? (int64_t)p != x86_fl_sext(lo, w) : hi != 0;
	}
	if (w == 8) {
		gpr_write_w(c, 0, 16, lo | hi << 8);
	} else {
		gpr_write_w(c, 0, w, lo);
		gpr_write_w(c, 2, w, hi);
	}
	x86_flags_update(c, in, FL_ARITH, x86_fl_mul(lo, ovf, w));
	return X86_EXIT_NONE;
}

static enum x86_exit h_mul(struct x86_cpu *c, const struct x86_insn *in)
{
	return mul1(c, in, false);
}

/*
 * IMUL: one operand (rDX:rAX), two operands (dst *= src), three operands
 * (dst = src * imm) and the map-4 NDD (dst = src1 * src2) and ZU forms; the
 * write rules of x86_op_write give the NDD/ZU zero extension.
 */
static enum x86_exit h_imul(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned ia, w = opw(in, 0);
	uint64_t a, b, lo, hi;
	bool ovf;

	if (in->nops == 1)
		return mul1(c, in, true);
	ia = in->nops == 2 ? 0 : 1;
	TRY(rd(c, in, ia, w, &a));
	TRY(rd(c, in, ia + 1, w, &b));
	if (w == 64) {
		lo = muls64(a, b, &hi);
		ovf = hi != (uint64_t)((int64_t)lo < 0 ? -1 : 0);
	} else {
		int64_t p = x86_fl_sext(a, w) * x86_fl_sext(b, w);

		lo = (uint64_t)p & x86_fl_mask(w);
		ovf = p != x86_fl_sext(lo, w);
	}
	TRY(x86_op_write(c, in, 0, lo));
	x86_flags_update(c, in, FL_ARITH, x86_fl_mul(lo, ovf, w));
	return X86_EXIT_NONE;
}

/*
 * DIV/IDIV: rDX:rAX (AX for bytes) / src; #DE on a zero divisor or a
 * quotient that does not fit, before anything is written.  Flags: all
 * undefined; the host leaves them unchanged, so do we.
 */
static enum x86_exit div1(struct x86_cpu *c, const struct x86_insn *in, bool sgn)
{
	unsigned w = opw(in, 0);
	uint64_t m = x86_fl_mask(w), d, hi, lo, q, r;

	TRY(rd(c, in, 0, w, &d));
	if (w == 8) {
		uint64_t ax = x86_gpr(c, 0) & 0xffff;

		lo = ax & 0xff;
		hi = ax >> 8;
	} else {
		lo = x86_gpr(c, 0) & m;
		hi = x86_gpr(c, 2) & m;
	}
	if (!d)
		return x86_raise(c, X86_EXC_DE);
	if (!sgn) {
		if (w == 64) {
			if (hi >= d)
				return x86_raise(c, X86_EXC_DE);
			q = divu128(hi, lo, d, &r);
		} else {
			uint64_t n = hi << w | lo;

			q = n / d;
			r = n % d;
			if (q > m)
				return x86_raise(c, X86_EXC_DE);
		}
	} else {
		/* Magnitudes, then signs: no signed overflow in C. */
		bool nneg = x86_fl_msb(hi, w), dneg = x86_fl_msb(d, w);
		uint64_t ud = dneg ? (0 - d) & m : d, uq, ur, lim;

		if (w == 64) {
			uint64_t nh = hi, nl = lo;

			if (nneg) { /* 128-bit negate */
				nl = 0 - lo;
				nh = ~hi + (lo == 0);
			}
			if (nh >= ud)
				return x86_raise(c, X86_EXC_DE);
			uq = divu128(nh, nl, ud, &ur);
		} else {
			uint64_t n = hi << w | lo;
			uint64_t un = nneg ? (0 - n) & x86_fl_mask(2 * w) : n;

			uq = un / ud;
			ur = un % ud;
		}
		lim = (UINT64_C(1) << (w - 1)) - (nneg == dneg ? 1 : 0);
		if (uq > lim)
			return x86_raise(c, X86_EXC_DE);
		q = (nneg != dneg ? 0 - uq : uq) & m;
		r = (nneg ? 0 - ur : ur) & m;
	}
	if (w == 8) {
		gpr_write_w(c, 0, 16, q | r << 8);
	} else {
		gpr_write_w(c, 0, w, q);
		gpr_write_w(c, 2, w, r);
	}
	return X86_EXIT_NONE;
}

static enum x86_exit h_div(struct x86_cpu *c, const struct x86_insn *in)
{
	return div1(c, in, false);
}

static enum x86_exit h_idiv(struct x86_cpu *c, const struct x86_insn *in)
{
	return div1(c, in, true);
}

/* ---- shifts and rotates ---- */

enum sh_op { SH_ROL, SH_ROR, SH_RCL, SH_RCR, SH_SHL, SH_SHR, SH_SAR };

/*
 * SHL/SHR/SAR/ROL/ROR/RCL/RCR r/m, count (count = 1, imm8 or CL).
 * The count is masked to 5 bits (6 for 64-bit operands); a masked count of
 * 0 writes the operand back unchanged (zero-extending a 32-bit register, or
 * copying the source to an NDD destination) and leaves every flag alone.
 * Flags that the SDM leaves undefined, as the host produces them:
 *   SHL/SHR/SAR: AF = 0; OF as for a count of 1 from the source operand
 *     (SHL: msb ^ bit w-2, SHR: msb, SAR: 0); a count beyond the width of
 *     an 8/16-bit operand keeps shifting (zeros, or sign bits for SAR) and
 *     CF is the last bit shifted out of that wide shift.
 *   ROL/ROR/RCL/RCR change CF and OF only; OF is the count-1 formula
 *     applied to the source operand whatever the count: ROL and RCL
 *     msb ^ bit w-2, ROR lsb ^ msb, RCR msb ^ CF(in).  ROL/ROR rotate by
 *     count % w but set the flags for any non-zero masked count -- except
 *     that ROL/ROR of a register with an imm8 count (C0/C1) other than 1
 *     leave OF unchanged (the CL form and memory operands do write it).
 *   RCL/RCR: count modulo 9 (bytes) or 17 (words); when that is 0 (e.g.
 *     RCL AL, 9) the flags are left alone entirely.
 */
static enum x86_exit shift(struct x86_cpu *c, const struct x86_insn *in, enum sh_op op)
{
	unsigned is = in->nd ? 1 : 0, w = opw(in, 0);
	uint64_t m = x86_fl_mask(w), x, cntv, r = 0;
	unsigned cnt, cf = 0, of = 0;
	uint64_t mask = FL_CF | FL_OF;
	uint32_t f = 0;

	TRY(rd(c, in, is, w, &x));
	TRY(x86_op_read(c, in, is + 1, &cntv));
	cnt = (unsigned)cntv & (w == 64 ? 63 : 31);
	if (!cnt)
		return x86_op_write(c, in, 0, x);

	switch (op) {
	case SH_SHL:
		r = (x << cnt) & m;
		cf = cnt <= w ? (unsigned)(x >> (w - cnt)) & 1 : 0;
		of = x86_fl_msb(x, w) ^ x86_fl_msb(x << 1, w);
		f = x86_fl_szp(r, w);
		mask = FL_ARITH;
		break;
	case SH_SHR:
		r = x >> cnt;
		cf = (unsigned)(x >> (cnt - 1)) & 1;
		of = x86_fl_msb(x, w);
		f = x86_fl_szp(r, w);
		mask = FL_ARITH;
		break;
	case SH_SAR: {
		uint64_t sx = (uint64_t)x86_fl_sext(x, w);
		uint64_t sign = (sx >> 63) ? ~UINT64_C(0) : 0;

		/* cnt <= 63: arithmetic shift without implementation-defined >>. */
		r = ((sx >> cnt) | (sign << (63 - cnt) << 1)) & m;
		cf = (unsigned)((sx >> (cnt - 1)) | (sign << (64 - cnt))) & 1;
		of = 0;
		f = x86_fl_szp(r, w);
		mask = FL_ARITH;
		break;
	}
	case SH_ROL: {
		unsigned n = cnt % w;

		r = n ? ((x << n) | (x >> (w - n))) & m : x;
		cf = (unsigned)r & 1;
		of = x86_fl_msb(x, w) ^ x86_fl_msb(x, w - 1);
		break;
	}
	case SH_ROR: {
		unsigned n = cnt % w;

		r = n ? ((x >> n) | (x << (w - n))) & m : x;
		cf = x86_fl_msb(r, w);
		of = x86_fl_msb(x, w) ^ ((unsigned)x & 1);
		break;
	}
	case SH_RCL:
	case SH_RCR: {
		unsigned n = w < 32 ? cnt % (w + 1) : cnt, ci = cf_in(c);

		if (!n) {
			/* A multiple of 9 (17): nothing rotates and no flag changes. */
			r = x;
			mask = 0;
		} else if (op == SH_RCL) {
			r = (x << n) | ((uint64_t)ci << (n - 1));
			if (n > 1)
				r |= x >> (w + 1 - n);
			r &= m;
			cf = (unsigned)(x >> (w - n)) & 1;
			of = x86_fl_msb(x, w) ^ x86_fl_msb(x, w - 1);
		} else {
			r = (x >> n) | ((uint64_t)ci << (w - n));
			if (n > 1)
				r |= x << (w + 1 - n);
			r &= m;
			cf = (unsigned)(x >> (n - 1)) & 1;
			of = x86_fl_msb(x, w) ^ ci;
		}
		break;
	}
	}
	if (cf)
		f |= X86_FLAGS_CF;
	if (of)
		f |= X86_FLAGS_OF;
	/*
	 * Host quirk: ROL/ROR of a register by an immediate count other than 1
	 * leave OF alone (memory operands and CL counts do write it).  NDD
	 * destinations are registers and follow the register rule (OF is
	 * undefined here; what APX hardware does cannot be checked on this host).
	 */
	if ((op == SH_ROL || op == SH_ROR) && cnt != 1 && in->ops[is + 1].kind == X86_OPK_IMM &&
	    in->ops[0].kind == X86_OPK_REG)
		mask &= ~FL_OF;
	TRY(x86_op_write(c, in, 0, r));
	x86_flags_update(c, in, mask, f);
	return X86_EXIT_NONE;
}

static enum x86_exit h_rol(struct x86_cpu *c, const struct x86_insn *in) { return shift(c, in, SH_ROL); }
static enum x86_exit h_ror(struct x86_cpu *c, const struct x86_insn *in) { return shift(c, in, SH_ROR); }
static enum x86_exit h_rcl(struct x86_cpu *c, const struct x86_insn *in) { return shift(c, in, SH_RCL); }
static enum x86_exit h_rcr(struct x86_cpu *c, const struct x86_insn *in) { return shift(c, in, SH_RCR); }
static enum x86_exit h_shl(struct x86_cpu *c, const struct x86_insn *in) { return shift(c, in, SH_SHL); }
static enum x86_exit h_shr(struct x86_cpu *c, const struct x86_insn *in) { return shift(c, in, SH_SHR); }
static enum x86_exit h_sar(struct x86_cpu *c, const struct x86_insn *in) { return shift(c, in, SH_SAR); }

/*
 * SHLD/SHRD dst, src, count: dst shifted, the vacated bits filled from src.
 * The count is masked to 5 bits (6 for 64-bit); 0 leaves the flags.
 * For 16-bit operands a count of 17..31 is undefined in the SDM; the host
 * shifts the 48-bit value dst:src:dst (SHLD: left, SHRD: right), so the
 * bits of dst come back after 16.  Undefined flags as on the host: AF = 0;
 * OF is the count-1 formula on the sources whatever the count:
 * SHLD msb(dst) ^ bit w-2 of dst, SHRD msb(dst) ^ lsb(src).
 */
static enum x86_exit shxd(struct x86_cpu *c, const struct x86_insn *in, bool left)
{
	unsigned is = in->nd ? 1 : 0, w = opw(in, 0);
	uint64_t m = x86_fl_mask(w), x, y, cntv, r;
	unsigned cnt, cf;
	uint32_t f;

	TRY(rd(c, in, is, w, &x));
	TRY(rd(c, in, is + 1, w, &y));
	TRY(x86_op_read(c, in, is + 2, &cntv));
	cnt = (unsigned)cntv & (w == 64 ? 63 : 31);
	if (!cnt)
		return x86_op_write(c, in, 0, x);
	if (w == 16) {
		/* The 48-bit x:y:x, shifted left (SHLD) or right (SHRD) by 1..31. */
		uint64_t v = x << 32 | y << 16 | x;

		if (left) {
			r = (v >> (32 - cnt)) & m;
			cf = (unsigned)(v >> (48 - cnt)) & 1;
		} else {
			r = (v >> cnt) & m;
			cf = (unsigned)(v >> (cnt - 1)) & 1;
		}
	} else if (left) {
		r = ((x << cnt) | (y >> (w - cnt))) & m;
		cf = (unsigned)(x >> (w - cnt)) & 1;
	} else {
		r = ((x >> cnt) | (y << (w - cnt))) & m;
		cf = (unsigned)(x >> (cnt - 1)) & 1;
	}
	f = x86_fl_szp(r, w);
	if (cf)
		f |= X86_FLAGS_CF;
	/* OF: the count-1 formula on the sources, for every count (host). */
	if (x86_fl_msb(x, w) ^ (left ? x86_fl_msb(x, w - 1) : (unsigned)y & 1))
		f |= X86_FLAGS_OF;
	TRY(x86_op_write(c, in, 0, r));
	x86_flags_update(c, in, FL_ARITH, f);
	return X86_EXIT_NONE;
}

static enum x86_exit h_shld(struct x86_cpu *c, const struct x86_insn *in) { return shxd(c, in, true); }
static enum x86_exit h_shrd(struct x86_cpu *c, const struct x86_insn *in) { return shxd(c, in, false); }

/* ---- BT BTS BTR BTC ---- */

enum bt_op { BT_TEST, BT_SET, BT_RESET, BT_COMP };

/*
 * The bit offset is taken modulo the operand width, except for a memory
 * operand with a register offset: then the offset is signed and selects the
 * operand-sized word at EA + (offset >> log2(w)) * (w / 8).  Only CF
 * changes (the host leaves OF SF AF PF and ZF alone).
 */
static enum x86_exit bitop(struct x86_cpu *c, const struct x86_insn *in, enum bt_op op)
{
	const struct x86_operand *base = &in->ops[0];
	unsigned w = base->width, bit;
	uint64_t off, v, r;

	TRY(x86_op_read(c, in, 1, &off));
	if (base->kind == X86_OPK_MEM && in->ops[1].kind == X86_OPK_REG) {
		uint64_t so = (uint64_t)x86_fl_sext(off, in->ops[1].width);
		struct x86_operand mop = *base;
		uint64_t la, bytes = w / 8;
		bool ss = x86_op_is_ss(base);

		bit = (unsigned)(so & (w - 1));
		/* (so - bit) is a multiple of w: exact signed division. */
		mop.mem.disp = (int64_t)((uint64_t)mop.mem.disp +
					(uint64_t)(((int64_t)(so - bit)) / (int64_t)w) * bytes);
		la = x86_ea(c, in, &mop);
		v = 0;
		TRY(x86_mem_read(c, la, &v, (unsigned)bytes, ss));
		r = v;
		switch (op) {
		case BT_SET: r |= UINT64_C(1) << bit; break;
		case BT_RESET: r &= ~(UINT64_C(1) << bit); break;
		case BT_COMP: r ^= UINT64_C(1) << bit; break;
		default: break;
		}
		if (op != BT_TEST)
			TRY(x86_mem_write(c, la, &r, (unsigned)bytes, ss));
	} else {
		bit = (unsigned)(off & (w - 1));
		TRY(rd(c, in, 0, w, &v));
		r = v;
		switch (op) {
		case BT_SET: r |= UINT64_C(1) << bit; break;
		case BT_RESET: r &= ~(UINT64_C(1) << bit); break;
		case BT_COMP: r ^= UINT64_C(1) << bit; break;
		default: break;
		}
		if (op != BT_TEST)
			TRY(x86_op_write(c, in, 0, r));
	}
	x86_flags_update(c, in, FL_CF, (v >> bit) & 1 ? FL_CF : 0);
	return X86_EXIT_NONE;
}

static enum x86_exit h_bt(struct x86_cpu *c, const struct x86_insn *in) { return bitop(c, in, BT_TEST); }
static enum x86_exit h_bts(struct x86_cpu *c, const struct x86_insn *in) { return bitop(c, in, BT_SET); }
static enum x86_exit h_btr(struct x86_cpu *c, const struct x86_insn *in) { return bitop(c, in, BT_RESET); }
static enum x86_exit h_btc(struct x86_cpu *c, const struct x86_insn *in) { return bitop(c, in, BT_COMP); }

/* ---- BSF BSR POPCNT LZCNT TZCNT ---- */

static unsigned ctz64(uint64_t v)
{
	unsigned n = 0;

	if (!v)
		return 64;
	while (!(v & 1)) {
		v >>= 1;
		n++;
	}
	return n;
}

static unsigned msb_index(uint64_t v) /* v != 0 */
{
	unsigned n = 0;

	while (v >>= 1)
		n++;
	return n;
}

static unsigned popcount64(uint64_t v)
{
	unsigned n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

/*
 * BSF/BSR: ZF = (src == 0); the destination is not written when the source
 * is 0 (not even zero-extended: the host keeps all 64 bits).  The other
 * flags (undefined) are as the host produces them: CF = OF = SF = AF = 0
 * and PF from the result -- see bsx_flags().
 */
static uint32_t bsx_flags(uint64_t src, uint64_t res)
{
	if (!src)
		return X86_FLAGS_ZF | X86_FLAGS_PF;
	return x86_fl_pf(res);
}

static enum x86_exit bsx(struct x86_cpu *c, const struct x86_insn *in, bool rev)
{
	unsigned w = opw(in, 0);
	uint64_t s, r = 0;

	TRY(rd(c, in, 1, w, &s));
	if (s) {
		r = rev ? msb_index(s) : ctz64(s);
		TRY(x86_op_write(c, in, 0, r));
	}
	x86_flags_update(c, in, FL_ARITH, bsx_flags(s, r));
	return X86_EXIT_NONE;
}

static enum x86_exit h_bsf(struct x86_cpu *c, const struct x86_insn *in) { return bsx(c, in, false); }
static enum x86_exit h_bsr(struct x86_cpu *c, const struct x86_insn *in) { return bsx(c, in, true); }

/* POPCNT: ZF = (src == 0), the other five flags cleared. */
static enum x86_exit h_popcnt(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = opw(in, 0);
	uint64_t s;

	TRY(rd(c, in, 1, w, &s));
	TRY(x86_op_write(c, in, 0, popcount64(s)));
	x86_flags_update(c, in, FL_ARITH, s ? 0 : FL_ZF);
	return X86_EXIT_NONE;
}

/*
 * LZCNT/TZCNT: CF = (src == 0), ZF = (result == 0); OF SF AF PF are
 * undefined and the host clears them.
 */
static uint32_t cnt_flags(uint64_t src, uint64_t res)
{
	uint32_t f = 0;

	if (!src)
		f |= X86_FLAGS_CF;
	if (!res)
		f |= X86_FLAGS_ZF;
	return f;
}

static enum x86_exit h_lzcnt(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = opw(in, 0);
	uint64_t s, r;

	TRY(rd(c, in, 1, w, &s));
	r = s ? w - 1 - msb_index(s) : w;
	TRY(x86_op_write(c, in, 0, r));
	x86_flags_update(c, in, FL_ARITH, cnt_flags(s, r));
	return X86_EXIT_NONE;
}

static enum x86_exit h_tzcnt(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = opw(in, 0);
	uint64_t s, r;

	TRY(rd(c, in, 1, w, &s));
	r = s ? ctz64(s) : w;
	TRY(x86_op_write(c, in, 0, r));
	x86_flags_update(c, in, FL_ARITH, cnt_flags(s, r));
	return X86_EXIT_NONE;
}

/* ---- BMI1 / BMI2 ---- */

/* ANDN dst, src1 (vvvv), src2 (r/m): ~src1 & src2.  SF ZF; CF = OF = 0; AF PF (undefined) 0 as on the host. */
static enum x86_exit h_andn(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = opw(in, 0);
	uint64_t a, b, r;

	TRY(rd(c, in, 1, w, &a));
	TRY(rd(c, in, 2, w, &b));
	r = ~a & b & x86_fl_mask(w);
	TRY(x86_op_write(c, in, 0, r));
	x86_flags_update(c, in, FL_ARITH, x86_fl_szp(r, w) & ~FL_PF);
	return X86_EXIT_NONE;
}

/* BEXTR dst, src (r/m), ctl (vvvv): start = ctl[7:0], length = ctl[15:8]. */
static enum x86_exit h_bextr(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = opw(in, 0), start, len;
	uint64_t s, ctl, r;

	TRY(rd(c, in, 1, w, &s));
	TRY(rd(c, in, 2, w, &ctl));
	start = (unsigned)ctl & 0xff;
	len = (unsigned)(ctl >> 8) & 0xff;
	r = start < w ? s >> start : 0;
	if (len < 64)
		r &= len ? x86_fl_mask(len) : 0;
	r &= x86_fl_mask(w);
	TRY(x86_op_write(c, in, 0, r));
	x86_flags_update(c, in, FL_ARITH, r ? 0 : FL_ZF);
	return X86_EXIT_NONE;
}

enum bls_op { BLS_I, BLS_MSK, BLS_R };

/*
 * BLSI (-s & s, CF = s != 0), BLSMSK ((s-1) ^ s, CF = s == 0), BLSR
 * ((s-1) & s, CF = s == 0): ZF SF from the result, OF = 0; AF PF
 * (undefined) 0 as on the host.
 */
static enum x86_exit bls(struct x86_cpu *c, const struct x86_insn *in, enum bls_op op)
{
	unsigned w = opw(in, 0);
	uint64_t s, r, m = x86_fl_mask(w);
	uint32_t f;
	bool cf;

	TRY(rd(c, in, 1, w, &s));
	switch (op) {
	case BLS_I: r = (0 - s) & s; cf = s != 0; break;
	case BLS_MSK: r = ((s - 1) ^ s) & m; cf = s == 0; break;
	default: r = (s - 1) & s; cf = s == 0; break;
	}
	TRY(x86_op_write(c, in, 0, r));
	f = x86_fl_szp(r, w) & ~FL_PF;
	if (cf)
		f |= X86_FLAGS_CF;
	x86_flags_update(c, in, FL_ARITH, f);
	return X86_EXIT_NONE;
}

static enum x86_exit h_blsi(struct x86_cpu *c, const struct x86_insn *in) { return bls(c, in, BLS_I); }
static enum x86_exit h_blsmsk(struct x86_cpu *c, const struct x86_insn *in) { return bls(c, in, BLS_MSK); }
static enum x86_exit h_blsr(struct x86_cpu *c, const struct x86_insn *in) { return bls(c, in, BLS_R); }

/* BZHI dst, src (r/m), index (vvvv): clear bits >= index[7:0]; CF = index > w-1; ZF SF; OF AF PF 0. */
static enum x86_exit h_bzhi(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = opw(in, 0), n;
	uint64_t s, idx, r;
	uint32_t f;

	TRY(rd(c, in, 1, w, &s));
	TRY(rd(c, in, 2, w, &idx));
	n = (unsigned)idx & 0xff;
	r = n >= w ? s : n ? s & x86_fl_mask(n) : 0;
	TRY(x86_op_write(c, in, 0, r));
	f = x86_fl_szp(r, w) & ~FL_PF;
	if (n >= w)
		f |= X86_FLAGS_CF;
	x86_flags_update(c, in, FL_ARITH, f);
	return X86_EXIT_NONE;
}

/* PDEP/PEXT dst, src (vvvv), mask (r/m).  No flags. */
static enum x86_exit h_pdep(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = opw(in, 0);
	uint64_t s, msk, r = 0, k = 1;

	TRY(rd(c, in, 1, w, &s));
	TRY(rd(c, in, 2, w, &msk));
	for (; msk; msk &= msk - 1, k <<= 1)
		if (s & k)
			r |= msk & (0 - msk);
	return x86_op_write(c, in, 0, r);
}

static enum x86_exit h_pext(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = opw(in, 0);
	uint64_t s, msk, r = 0, k = 1;

	TRY(rd(c, in, 1, w, &s));
	TRY(rd(c, in, 2, w, &msk));
	for (; msk; msk &= msk - 1, k <<= 1)
		if (s & msk & (0 - msk))
			r |= k;
	return x86_op_write(c, in, 0, r);
}

/* MULX hi (reg), lo (vvvv), src (r/m): rDX * src unsigned; no flags.  hi wins if equal. */
static enum x86_exit h_mulx(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = opw(in, 0);
	uint64_t s, d = x86_gpr(c, 2) & x86_fl_mask(w), lo, hi;

	TRY(rd(c, in, 2, w, &s));
	if (w == 64) {
		lo = mulu64(d, s, &hi);
	} else {
		uint64_t p = d * s;

		lo = p & 0xffffffff;
		hi = p >> 32;
	}
	TRY(x86_op_write(c, in, 1, lo));
	return x86_op_write(c, in, 0, hi);
}

enum sx_op { SX_SAR, SX_SHL, SX_SHR };

/* SARX/SHLX/SHRX dst, src (r/m), count (vvvv, masked to 5/6 bits).  No flags. */
static enum x86_exit shx(struct x86_cpu *c, const struct x86_insn *in, enum sx_op op)
{
	unsigned w = opw(in, 0), n;
	uint64_t s, cnt, r;

	TRY(rd(c, in, 1, w, &s));
	TRY(rd(c, in, 2, w, &cnt));
	n = (unsigned)cnt & (w == 64 ? 63 : 31);
	switch (op) {
	case SX_SHL: r = s << n; break;
	case SX_SHR: r = s >> n; break;
	default: {
		uint64_t sx = (uint64_t)x86_fl_sext(s, w);
		uint64_t sign = (sx >> 63) ? ~UINT64_C(0) : 0;

		r = (sx >> n) | (n ? sign << (64 - n) : 0);
		break;
	}
	}
	return x86_op_write(c, in, 0, r & x86_fl_mask(w));
}

static enum x86_exit h_sarx(struct x86_cpu *c, const struct x86_insn *in) { return shx(c, in, SX_SAR); }
static enum x86_exit h_shlx(struct x86_cpu *c, const struct x86_insn *in) { return shx(c, in, SX_SHL); }
static enum x86_exit h_shrx(struct x86_cpu *c, const struct x86_insn *in) { return shx(c, in, SX_SHR); }

/* RORX dst, src (r/m), imm8 (masked to 5/6 bits).  No flags. */
static enum x86_exit h_rorx(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned w = opw(in, 0), n;
	uint64_t s, imm, r;

	TRY(rd(c, in, 1, w, &s));
	TRY(x86_op_read(c, in, 2, &imm));
	n = (unsigned)imm & (w == 64 ? 63 : 31);
	r = n ? (s >> n) | (s << (w - n)) : s;
	return x86_op_write(c, in, 0, r & x86_fl_mask(w));
}

/* ---- ADCX ADOX ---- */

/* ADCX: CF is the carry in and out; ADOX: OF.  No other flag changes. */
static enum x86_exit adxx(struct x86_cpu *c, const struct x86_insn *in, uint64_t flag)
{
	unsigned ia = in->nd ? 1 : 0, w = opw(in, 0);
	uint64_t a, b;
	unsigned ci = (rflags(c) & flag) ? 1 : 0;
	uint32_t f;

	TRY(rd(c, in, ia, w, &a));
	TRY(rd(c, in, ia + 1, w, &b));
	f = x86_fl_add(a, b, ci, w);
	TRY(x86_op_write(c, in, 0, (a + b + ci) & x86_fl_mask(w)));
	x86_flags_update(c, in, flag, (f & X86_FLAGS_CF) ? flag : 0);
	return X86_EXIT_NONE;
}

static enum x86_exit h_adcx(struct x86_cpu *c, const struct x86_insn *in) { return adxx(c, in, FL_CF); }
static enum x86_exit h_adox(struct x86_cpu *c, const struct x86_insn *in) { return adxx(c, in, FL_OF); }

/* ---- CRC32 (CRC-32C, reflected polynomial 0x82F63B78, no pre/post inversion) ---- */

static enum x86_exit h_crc32(struct x86_cpu *c, const struct x86_insn *in)
{
	unsigned sw = opw(in, 1);
	uint64_t crc, s;
	uint32_t v;

	TRY(x86_op_read(c, in, 0, &crc));
	TRY(rd(c, in, 1, sw, &s));
	v = (uint32_t)crc;
	for (unsigned i = 0; i < sw / 8; i++) {
		v ^= (uint8_t)(s >> (8 * i));
		for (unsigned k = 0; k < 8; k++)
			v = (v >> 1) ^ (0x82F63B78u & (0u - (v & 1)));
	}
	return x86_op_write(c, in, 0, v);
}

/* ---- LAHF SAHF CLC STC CMC CLD STD ---- */

#define FL_LAHF (X86_FLAGS_SF | X86_FLAGS_ZF | X86_FLAGS_AF | X86_FLAGS_PF | X86_FLAGS_CF)

static enum x86_exit h_lahf(struct x86_cpu *c, const struct x86_insn *in)
{
	uint8_t ah = (uint8_t)((rflags(c) & FL_LAHF) | X86_FLAGS_FIXED);

	(void)in;
	vcpu_ah_write(&c->v->regs, ah);
	return X86_EXIT_NONE;
}

static enum x86_exit h_sahf(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t ah = (x86_gpr(c, 0) >> 8) & 0xff;

	(void)in;
	c->v->regs.rflags = (rflags(c) & ~(uint64_t)FL_LAHF) | (ah & FL_LAHF);
	return X86_EXIT_NONE;
}

static enum x86_exit set_rflags(struct x86_cpu *c, uint64_t clear, uint64_t set, uint64_t flip)
{
	c->v->regs.rflags = ((rflags(c) & ~clear) | set) ^ flip;
	return X86_EXIT_NONE;
}

static enum x86_exit h_clc(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	return set_rflags(c, FL_CF, 0, 0);
}

static enum x86_exit h_stc(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	return set_rflags(c, 0, FL_CF, 0);
}

static enum x86_exit h_cmc(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	return set_rflags(c, 0, 0, FL_CF);
}

static enum x86_exit h_cld(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	return set_rflags(c, X86_FLAGS_DF, 0, 0);
}

static enum x86_exit h_std(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	return set_rflags(c, 0, X86_FLAGS_DF, 0);
}

const struct x86_handler_entry x86_handlers_alu[] = {
	{ "add", h_add }, { "or", h_or }, { "adc", h_adc }, { "sbb", h_sbb },
	{ "and", h_and }, { "sub", h_sub }, { "xor", h_xor }, { "cmp", h_cmp },
	{ "test", h_test },
	{ "inc", h_inc }, { "dec", h_dec }, { "neg", h_neg }, { "not", h_not },
	{ "mul", h_mul }, { "imul", h_imul }, { "div", h_div }, { "idiv", h_idiv },
	{ "rol", h_rol }, { "ror", h_ror }, { "rcl", h_rcl }, { "rcr", h_rcr },
	{ "shl", h_shl }, { "shr", h_shr }, { "sar", h_sar },
	{ "shld", h_shld }, { "shrd", h_shrd },
	{ "bt", h_bt }, { "bts", h_bts }, { "btr", h_btr }, { "btc", h_btc },
	{ "bsf", h_bsf }, { "bsr", h_bsr },
	{ "popcnt", h_popcnt }, { "lzcnt", h_lzcnt }, { "tzcnt", h_tzcnt },
	{ "andn", h_andn }, { "bextr", h_bextr },
	{ "blsi", h_blsi }, { "blsmsk", h_blsmsk }, { "blsr", h_blsr }, { "bzhi", h_bzhi },
	{ "pdep", h_pdep }, { "pext", h_pext }, { "mulx", h_mulx },
	{ "sarx", h_sarx }, { "shlx", h_shlx }, { "shrx", h_shrx }, { "rorx", h_rorx },
	{ "adcx", h_adcx }, { "adox", h_adox },
	{ "crc32", h_crc32 },
	{ "lahf", h_lahf }, { "sahf", h_sahf },
	{ "clc", h_clc }, { "stc", h_stc }, { "cmc", h_cmc }, { "cld", h_cld }, { "std", h_std },
	{ NULL, NULL }
};
