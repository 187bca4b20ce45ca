/* SPDX-License-Identifier: MIT */
/*
 * Arithmetic flag computation for the interpreter: CF PF AF ZF SF OF of the
 * add/sub/logic/inc/dec/neg families for 8-, 16-, 32- and 64-bit operands.
 * Portable C (no host flags, no asm).  Every helper takes its operands
 * already masked to the width `w` (8, 16, 32 or 64) and returns an RFLAGS
 * image of the six arithmetic flags (other bits zero), to be merged with
 * x86_flags_update(c, in, mask, value).
 *
 * Undefined flags: where the SDM leaves a flag (or a result) undefined, the
 * interpreter produces what the reference Intel host (a Sapphire-Rapids-
 * class Xeon) produces.  tests/test_exec_alu.c runs every rule below against
 * the real instructions (thousands of edge and random inputs per form):
 *   - AND/OR/XOR/TEST:          AF = 0.
 *   - MUL/IMUL (all forms):     SF = bit w-1 of the low half of the result,
 *                               PF = parity of its low byte, ZF = 0, AF = 0.
 *   - DIV/IDIV:                 all six flags unchanged.
 *   - SHL/SHR/SAR (count != 0): AF = 0; OF is the count-1 formula applied
 *                               to the source whatever the count (SHL:
 *                               bit w-1 ^ bit w-2, SHR: bit w-1, SAR: 0);
 *                               8/16-bit counts >= the width keep shifting
 *                               (zeros, or sign bits for SAR) and CF is the
 *                               last bit shifted out.
 *   - ROL/ROR/RCL/RCR:          OF is the count-1 formula on the source
 *                               (ROL/RCL bit w-1 ^ bit w-2, ROR bit 0 ^
 *                               bit w-1, RCR bit w-1 ^ CF-in).  ROL/ROR of a
 *                               register by an imm8 other than 1 leave OF
 *                               unchanged (CL counts and memory operands
 *                               write it).  RCL/RCR whose count is a
 *                               multiple of 9 (bytes) / 17 (words) change
 *                               no flag at all.
 *   - SHLD/SHRD:                AF = 0; OF = count-1 formula on the sources
 *                               (SHLD bit w-1 ^ bit w-2 of dst, SHRD bit w-1
 *                               of dst ^ bit 0 of src); 16-bit counts 17..31
 *                               shift the 48-bit dst:src:dst.
 *   - BT/BTS/BTR/BTC:           OF SF AF PF (and ZF) unchanged.
 *   - BSF/BSR:                  CF = OF = SF = AF = 0, PF from the result;
 *                               source 0: ZF = PF = 1 and the destination
 *                               keeps all 64 bits (no zero-extension).
 *   - LZCNT/TZCNT:              OF SF AF PF = 0.
 *   - ANDN, BLSI/BLSMSK/BLSR, BZHI: AF = PF = 0.  BEXTR: only ZF can be set.
 * The family handlers in exec_alu.c repeat the rule next to the code.
 */
#ifndef APXVM_X86_FLAGS_H
#define APXVM_X86_FLAGS_H

#include <stdbool.h>
#include <stdint.h>

#include "vcpu/vcpu.h"

/* Mask of a width in bits (8..64). */
static inline uint64_t x86_fl_mask(unsigned w)
{
	return w >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << w) - 1;
}

/* Bit w-1 of v (0 or 1). */
static inline unsigned x86_fl_msb(uint64_t v, unsigned w)
{
	return (unsigned)(v >> (w - 1)) & 1;
}

/* Sign-extend the low w bits of v to 64 bits. */
static inline int64_t x86_fl_sext(uint64_t v, unsigned w)
{
	uint64_t m, s;

	if (w >= 64)
		return (int64_t)v;
	m = x86_fl_mask(w);
	s = UINT64_C(1) << (w - 1);
	v &= m;
	/* (v ^ s) - s: portable sign extension without implementation-defined shifts. */
	return (int64_t)((v ^ s) - s);
}

/* PF: set when the low byte of the result has an even number of 1 bits. */
static inline uint32_t x86_fl_pf(uint64_t res)
{
	unsigned b = (unsigned)res & 0xff;

	b ^= b >> 4;
	b ^= b >> 2;
	b ^= b >> 1;
	return (b & 1) ? 0 : X86_FLAGS_PF;
}

/* SF, ZF and PF of a w-bit result. */
static inline uint32_t x86_fl_szp(uint64_t res, unsigned w)
{
	uint32_t f = x86_fl_pf(res);

	res &= x86_fl_mask(w);
	if (!res)
		f |= X86_FLAGS_ZF;
	if (x86_fl_msb(res, w))
		f |= X86_FLAGS_SF;
	return f;
}

/* a + b + cin (cin 0 or 1). */
static inline uint32_t x86_fl_add(uint64_t a, uint64_t b, unsigned cin, unsigned w)
{
	uint64_t m = x86_fl_mask(w);
	uint64_t r = (a + b + cin) & m;
	uint32_t f = x86_fl_szp(r, w);
	bool cf;

	if (w < 64)
		cf = ((a + b + cin) >> w) & 1;
	else
		cf = r < a || (cin && r == a);
	if (cf)
		f |= X86_FLAGS_CF;
	if ((a ^ b ^ r) & 0x10)
		f |= X86_FLAGS_AF;
	if (x86_fl_msb((a ^ r) & (b ^ r), w))
		f |= X86_FLAGS_OF;
	return f;
}

/* a - b - bin (bin 0 or 1): SUB, SBB, CMP, NEG (a = 0), DEC (b = 1). */
static inline uint32_t x86_fl_sub(uint64_t a, uint64_t b, unsigned bin, unsigned w)
{
	uint64_t r = (a - b - bin) & x86_fl_mask(w);
	uint32_t f = x86_fl_szp(r, w);

	if (a < b || (bin && a == b))
		f |= X86_FLAGS_CF;
	if ((a ^ b ^ r) & 0x10)
		f |= X86_FLAGS_AF;
	if (x86_fl_msb((a ^ b) & (a ^ r), w))
		f |= X86_FLAGS_OF;
	return f;
}

/* AND, OR, XOR, TEST: CF = OF = 0, AF = 0 (undefined; the host clears it). */
static inline uint32_t x86_fl_logic(uint64_t res, unsigned w)
{
	return x86_fl_szp(res, w);
}

/* INC: the flags of a + 1; CF is not affected (callers mask it out). */
static inline uint32_t x86_fl_inc(uint64_t a, unsigned w)
{
	return x86_fl_add(a, 1, 0, w) & ~(uint32_t)X86_FLAGS_CF;
}

/* DEC: the flags of a - 1; CF is not affected. */
static inline uint32_t x86_fl_dec(uint64_t a, unsigned w)
{
	return x86_fl_sub(a, 1, 0, w) & ~(uint32_t)X86_FLAGS_CF;
}

/* NEG: the flags of 0 - a (CF = a != 0). */
static inline uint32_t x86_fl_neg(uint64_t a, unsigned w)
{
	return x86_fl_sub(0, a, 0, w);
}

/*
 * MUL/IMUL: CF = OF = `overflow` (the high half is significant); the
 * undefined SF/ZF/AF/PF as the host does it: SF and PF from the low half
 * `lo`, ZF = AF = 0.
 */
static inline uint32_t x86_fl_mul(uint64_t lo, bool overflow, unsigned w)
{
	uint32_t f = x86_fl_pf(lo);

	if (x86_fl_msb(lo, w))
		f |= X86_FLAGS_SF;
	if (overflow)
		f |= X86_FLAGS_CF | X86_FLAGS_OF;
	return f;
}

#endif
