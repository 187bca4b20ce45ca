/* SPDX-License-Identifier: MIT */
/*
 * The host CPU as a test oracle (test_exec_alu, test_exec_ctl,
 * test_exec_data, test_diff).
 *
 * The software vCPU models an Intel CPU.  On an Intel host every host-oracle
 * comparison is made in full, undefined flags included (the interpreter
 * reproduces them).  On any other host the tests leave out exactly what the
 * vendors define differently, and count it:
 *
 *  - flags the Intel SDM (Vol. 2, "Flags Affected") calls undefined for the
 *    instruction are masked (sdm_undef_flags() below);
 *  - encodings whose defined behaviour differs by vendor are not run on the
 *    host, e.g. a 66-prefixed near JMP/Jcc/CALL/RET/LOOPcc/JrCXZ in 64-bit
 *    mode: Intel ignores 66 there (SDM Vol. 1 3.6 / Vol. 2 JMP, Jcc: "the
 *    operand size is forced to 64 bits"), AMD uses a 16-bit operand size and
 *    truncates RIP to 16 bits (AMD APM Vol. 3, "Near branches in 64-bit
 *    mode"; see intelxed/xed#64, zyantific/zydis#311).
 *
 * host_vendor_report() prints what was left out as one TAP comment:
 *   # vendor AMD: N comparisons skipped, flags masked on M
 * followed by one line per reason.
 */
#ifndef APXVM_TESTS_HOST_CPU_H
#define APXVM_TESTS_HOST_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

enum host_vendor { HOST_VENDOR_OTHER, HOST_VENDOR_INTEL, HOST_VENDOR_AMD };

struct host_cpu_state {
	bool init;
	enum host_vendor vendor;
	char name[13];               /* CPUID.0 vendor string */
	uint64_t skipped, masked;    /* comparisons left out / with flags masked */
	struct { const char *why; uint64_t n; bool skip; } why[16];
};

static struct host_cpu_state host_cpu_st;

static inline const struct host_cpu_state *host_cpu(void)
{
	struct host_cpu_state *s = &host_cpu_st;

	if (!s->init) {
		unsigned a = 0, b = 0, c = 0, d = 0;

		s->init = true;
		strcpy(s->name, "unknown");
#if defined(__x86_64__) || defined(__i386__)
		if (__get_cpuid(0, &a, &b, &c, &d)) {
			memcpy(s->name, &b, 4);
			memcpy(s->name + 4, &d, 4);
			memcpy(s->name + 8, &c, 4);
			s->name[12] = 0;
		}
#endif
		(void)a;
		if (!strcmp(s->name, "GenuineIntel"))
			s->vendor = HOST_VENDOR_INTEL;
		else if (!strcmp(s->name, "AuthenticAMD") || !strcmp(s->name, "HygonGenuine"))
			s->vendor = HOST_VENDOR_AMD;
		else
			s->vendor = HOST_VENDOR_OTHER;
	}
	return s;
}

static inline bool host_is_intel(void)
{
	return host_cpu()->vendor == HOST_VENDOR_INTEL;
}

/* "Intel", "AMD", or the CPUID vendor string. */
static inline const char *host_vendor_name(void)
{
	const struct host_cpu_state *s = host_cpu();

	return s->vendor == HOST_VENDOR_INTEL ? "Intel" : s->vendor == HOST_VENDOR_AMD ? "AMD" : s->name;
}

/* CPUID.(leaf, subleaf).reg[bit], reg 0..3 = EAX EBX ECX EDX; false if the leaf is absent. */
static inline bool host_cpuid_bit(unsigned leaf, unsigned subleaf, unsigned reg, unsigned bit)
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned r[4];

	if (!__get_cpuid_count(leaf, subleaf, &r[0], &r[1], &r[2], &r[3]))
		return false;
	return (r[reg & 3] >> bit) & 1;
#else
	(void)leaf, (void)subleaf, (void)reg, (void)bit;
	return false;
#endif
}

static inline void host_vendor_count(const char *why, bool skip, uint64_t n)
{
	struct host_cpu_state *s = &host_cpu_st;

	if (skip)
		s->skipped += n;
	else
		s->masked += n;
	for (unsigned i = 0; i < sizeof(s->why) / sizeof(s->why[0]); i++) {
		if (!s->why[i].why || (s->why[i].skip == skip && !strcmp(s->why[i].why, why))) {
			s->why[i].why = why;
			s->why[i].skip = skip;
			s->why[i].n += n;
			return;
		}
	}
}

/* One host comparison not made: a vendor difference in defined behaviour (`why`). */
static inline void host_vendor_skip(const char *why)
{
	host_vendor_count(why, true, 1);
}

/* `n` host comparisons not made (`why`). */
static inline void host_vendor_skip_n(const char *why, uint64_t n)
{
	host_vendor_count(why, true, n);
}

/* One host comparison made with SDM-undefined (or vendor-specific) state masked. */
static inline void host_vendor_mask(const char *why)
{
	host_vendor_count(why, false, 1);
}

static inline void host_vendor_report(void)
{
	const struct host_cpu_state *s = host_cpu();

	printf("# vendor %s: %llu comparisons skipped, flags masked on %llu%s\n", host_vendor_name(),
	       (unsigned long long)s->skipped, (unsigned long long)s->masked,
	       s->vendor == HOST_VENDOR_INTEL ? " (Intel host: everything compared)" : "");
	for (unsigned i = 0; i < sizeof(s->why) / sizeof(s->why[0]) && s->why[i].why; i++)
		printf("#   %s %llu: %s\n", s->why[i].skip ? "skipped" : "masked", (unsigned long long)s->why[i].n,
		       s->why[i].why);
}

/* ---- flags the Intel SDM leaves undefined ---- */

#define HOST_FL_CF 0x1u
#define HOST_FL_PF 0x4u
#define HOST_FL_AF 0x10u
#define HOST_FL_ZF 0x40u
#define HOST_FL_SF 0x80u
#define HOST_FL_OF 0x800u
#define HOST_FL_ARITH (HOST_FL_CF | HOST_FL_PF | HOST_FL_AF | HOST_FL_ZF | HOST_FL_SF | HOST_FL_OF)

/* Kinds of "Flags Affected" sections (Intel SDM Vol. 2) with undefined flags. */
enum sdm_undef {
	SDM_UNDEF_NONE,
	SDM_UNDEF_LOGIC,  /* AND OR XOR TEST: AF */
	SDM_UNDEF_MUL,    /* MUL IMUL: SF ZF AF PF */
	SDM_UNDEF_DIV,    /* DIV IDIV: CF OF SF ZF AF PF */
	SDM_UNDEF_SHIFT,  /* SHL SAL SHR: count 0 none; AF; OF if count > 1; CF if count >= width */
	SDM_UNDEF_SAR,    /* SAR: count 0 none; AF; OF if count > 1 */
	SDM_UNDEF_ROT,    /* ROL ROR RCL RCR: OF if the masked count > 1 */
	SDM_UNDEF_SHXD,   /* SHLD SHRD: count 0 none; AF; OF if count > 1; count > width: all
			     six, and the destination */
	SDM_UNDEF_BT,     /* BT BTS BTR BTC: OF SF AF PF */
	SDM_UNDEF_BSX,    /* BSF BSR: CF OF SF AF PF */
	SDM_UNDEF_CNT,    /* LZCNT TZCNT: OF SF AF PF */
	SDM_UNDEF_BMI,    /* ANDN BLSI BLSMSK BLSR BZHI: AF PF */
	SDM_UNDEF_BEXTR,  /* BEXTR: AF SF PF */
};

/* What a kind leaves undefined, for the report. */
static inline const char *sdm_undef_name(enum sdm_undef k)
{
	switch (k) {
	case SDM_UNDEF_NONE: break;
	case SDM_UNDEF_LOGIC: return "SDM-undefined AF of AND/OR/XOR/TEST";
	case SDM_UNDEF_MUL: return "SDM-undefined SF ZF AF PF of MUL/IMUL";
	case SDM_UNDEF_DIV: return "SDM-undefined flags (all six) of DIV/IDIV";
	case SDM_UNDEF_SHIFT: return "SDM-undefined AF, OF (count > 1), CF (count >= width) of SHL/SHR";
	case SDM_UNDEF_SAR: return "SDM-undefined AF, OF (count > 1) of SAR";
	case SDM_UNDEF_ROT: return "SDM-undefined OF (count > 1) of ROL/ROR/RCL/RCR";
	case SDM_UNDEF_SHXD: return "SDM-undefined AF, OF (count > 1) of SHLD/SHRD";
	case SDM_UNDEF_BT: return "SDM-undefined OF SF AF PF of BT/BTS/BTR/BTC";
	case SDM_UNDEF_BSX: return "SDM-undefined CF OF SF AF PF of BSF/BSR";
	case SDM_UNDEF_CNT: return "SDM-undefined OF SF AF PF of LZCNT/TZCNT";
	case SDM_UNDEF_BMI: return "SDM-undefined AF PF of ANDN/BLSI/BLSMSK/BLSR/BZHI";
	case SDM_UNDEF_BEXTR: return "SDM-undefined AF SF PF of BEXTR";
	}
	return "no undefined flags";
}

/* The kind of an instruction by mnemonic / XED iclass base name ("shl", "imul", "andn"). */
static inline enum sdm_undef sdm_undef_of(const char *m)
{
	static const struct { const char *m; enum sdm_undef k; } t[] = {
		{ "and", SDM_UNDEF_LOGIC }, { "or", SDM_UNDEF_LOGIC }, { "xor", SDM_UNDEF_LOGIC },
		{ "test", SDM_UNDEF_LOGIC }, { "mul", SDM_UNDEF_MUL }, { "imul", SDM_UNDEF_MUL },
		{ "div", SDM_UNDEF_DIV }, { "idiv", SDM_UNDEF_DIV }, { "shl", SDM_UNDEF_SHIFT },
		{ "sal", SDM_UNDEF_SHIFT }, { "shr", SDM_UNDEF_SHIFT }, { "sar", SDM_UNDEF_SAR },
		{ "rol", SDM_UNDEF_ROT }, { "ror", SDM_UNDEF_ROT }, { "rcl", SDM_UNDEF_ROT },
		{ "rcr", SDM_UNDEF_ROT }, { "shld", SDM_UNDEF_SHXD }, { "shrd", SDM_UNDEF_SHXD },
		{ "bt", SDM_UNDEF_BT }, { "bts", SDM_UNDEF_BT }, { "btr", SDM_UNDEF_BT },
		{ "btc", SDM_UNDEF_BT }, { "bsf", SDM_UNDEF_BSX }, { "bsr", SDM_UNDEF_BSX },
		{ "lzcnt", SDM_UNDEF_CNT }, { "tzcnt", SDM_UNDEF_CNT }, { "andn", SDM_UNDEF_BMI },
		{ "blsi", SDM_UNDEF_BMI }, { "blsmsk", SDM_UNDEF_BMI }, { "blsr", SDM_UNDEF_BMI },
		{ "bzhi", SDM_UNDEF_BMI }, { "bextr", SDM_UNDEF_BEXTR },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(t[i].m, m))
			return t[i].k;
	return SDM_UNDEF_NONE;
}

/*
 * The undefined arithmetic flags of one execution: `width` is the operand
 * size in bits, `count` the shift/rotate count as encoded (CL or imm8, 1 for
 * the D0/D1 forms).  *dest_undef (may be NULL) is set when the SDM also
 * leaves the destination undefined (SHLD/SHRD with a count above the width).
 */
static inline uint32_t sdm_undef_flags(enum sdm_undef k, unsigned width, unsigned count,
				       bool *dest_undef)
{
	unsigned c = count & (width == 64 ? 63 : 31);

	if (dest_undef)
		*dest_undef = false;
	switch (k) {
	case SDM_UNDEF_NONE: return 0;
	case SDM_UNDEF_LOGIC: return HOST_FL_AF;
	case SDM_UNDEF_MUL: return HOST_FL_SF | HOST_FL_ZF | HOST_FL_AF | HOST_FL_PF;
	case SDM_UNDEF_DIV: return HOST_FL_ARITH;
	case SDM_UNDEF_SHIFT:
	case SDM_UNDEF_SAR:
		if (!c)
			return 0;
		return HOST_FL_AF | (c > 1 ? HOST_FL_OF : 0) |
		       (k == SDM_UNDEF_SHIFT && c >= width ? HOST_FL_CF : 0);
	case SDM_UNDEF_ROT: return c > 1 ? HOST_FL_OF : 0;
	case SDM_UNDEF_SHXD:
		if (!c)
			return 0;
		if (c > width) {
			if (dest_undef)
				*dest_undef = true;
			return HOST_FL_ARITH;
		}
		return HOST_FL_AF | (c > 1 ? HOST_FL_OF : 0);
	case SDM_UNDEF_BT: return HOST_FL_OF | HOST_FL_SF | HOST_FL_AF | HOST_FL_PF;
	case SDM_UNDEF_BSX: return HOST_FL_CF | HOST_FL_OF | HOST_FL_SF | HOST_FL_AF | HOST_FL_PF;
	case SDM_UNDEF_CNT: return HOST_FL_OF | HOST_FL_SF | HOST_FL_AF | HOST_FL_PF;
	case SDM_UNDEF_BMI: return HOST_FL_AF | HOST_FL_PF;
	case SDM_UNDEF_BEXTR: return HOST_FL_AF | HOST_FL_SF | HOST_FL_PF;
	}
	return 0;
}

#endif
