/* SPDX-License-Identifier: MIT */
/*
 * The CPUID model, the XCR0 rules of XSETBV and the XSAVE area helpers
 * (src/vcpu/cpuid.h, src/vcpu/xstate.h).  Builds with and without CONFIG_APX.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "vcpu/cpuid.h"
#include "vcpu/xstate.h"
#include "tap.h"

#define CR4_OSXSAVE	(UINT64_C(1) << 18)
#define X87_SSE		(VCPU_XCR0_X87 | VCPU_XCR0_SSE)

static void cpuid(const struct vcpu_cpu_model *m, uint64_t cr4, uint64_t xcr0,
		  uint32_t leaf, uint32_t sub, uint32_t o[4])
{
	vcpu_cpuid(m, cr4, xcr0, leaf, sub, o);
}

/* Leaves every model shares. */
static void test_common_leaves(const struct vcpu_cpu_model *m)
{
	uint32_t o[4];
	char s[49];
	int i;

	diag("model %s: common leaves", m->name);
	cpuid(m, 0, 1, 0, 0, o);
	memcpy(s, &o[1], 4);
	memcpy(s + 4, &o[3], 4);
	memcpy(s + 8, &o[2], 4);
	s[12] = 0;
	ok(!strcmp(s, "GenuineIntel"), "%s: vendor %s", m->name, s);
	ok(o[0] == m->max_basic_leaf || (!m->apx && o[0] < 0x29),
	   "%s: max basic leaf %#x", m->name, o[0]);

	cpuid(m, 0, 1, 1, 0, o);
	ok((o[3] & 0x07898171u) == 0x07898171u,
	   "%s: leaf 1 EDX %#x has FPU TSC MSR PAE CX8 APIC CMOV PAT CLFSH MMX FXSR SSE SSE2",
	   m->name, o[3]);
	ok((o[2] & ((1u << 13) | (1u << 22) | (1u << 23) | (1u << 26))) ==
	   ((1u << 13) | (1u << 22) | (1u << 23) | (1u << 26)),
	   "%s: leaf 1 ECX %#x has CX16 MOVBE POPCNT XSAVE", m->name, o[2]);
	ok(!(o[2] & (1u << 28)) && !(o[2] & (1u << 12)),
	   "%s: no AVX, no FMA", m->name);
	ok(!(o[2] & VCPU_CPUID_1_ECX_OSXSAVE), "%s: OSXSAVE clear with CR4.OSXSAVE=0",
	   m->name);
	ok(((o[1] >> 8) & 0xff) == 8, "%s: CLFLUSH line size 64", m->name);
	cpuid(m, CR4_OSXSAVE, 1, 1, 0, o);
	ok(o[2] & VCPU_CPUID_1_ECX_OSXSAVE, "%s: OSXSAVE set with CR4.OSXSAVE=1",
	   m->name);
	cpuid(m, ~CR4_OSXSAVE, 1, 1, 0, o);
	ok(!(o[2] & VCPU_CPUID_1_ECX_OSXSAVE),
	   "%s: OSXSAVE follows only CR4 bit 18", m->name);

	cpuid(m, 0, 1, 7, 0, o);
	ok(o[1] & (1u << 3) && o[1] & (1u << 8) && o[1] & (1u << 19),
	   "%s: leaf 7 EBX %#x has BMI1 BMI2 ADX", m->name, o[1]);
	ok(!(o[1] & VCPU_CPUID_7_0_EBX_MPX), "%s: leaf 7 EBX[14] (MPX) clear",
	   m->name);
	ok(!(o[1] & (1u << 5)) && !(o[1] & (1u << 16)), "%s: no AVX2, no AVX-512F",
	   m->name);
	ok(o[2] & (1u << 22), "%s: RDPID", m->name);

	cpuid(m, 0, 1, 0x80000000u, 0, o);
	ok(o[0] == 0x80000008u, "%s: max extended leaf %#x", m->name, o[0]);
	cpuid(m, 0, 1, 0x80000001u, 0, o);
	ok((o[3] & (1u << 29)) && (o[3] & (1u << 27)) && (o[3] & (1u << 11)) &&
	   (o[3] & (1u << 20)), "%s: LM RDTSCP SYSCALL NX", m->name);
	ok((o[2] & 1u) && (o[2] & (1u << 5)), "%s: LAHF-LM, LZCNT", m->name);
	cpuid(m, 0, 1, 0x80000008u, 0, o);
	ok(((o[0] >> 8) & 0xff) == 48 && (o[0] & 0xff) >= 36 && (o[0] & 0xff) <= 52,
	   "%s: address sizes virt %u phys %u", m->name, (o[0] >> 8) & 0xff,
	   o[0] & 0xff);
	for (i = 0; i < 3; i++) {
		cpuid(m, 0, 1, 0x80000002u + (uint32_t)i, 0, o);
		memcpy(s + 16 * i, o, 16);
	}
	s[48] = 0;
	ok(!strcmp(s, "apxvm virtual CPU"), "%s: brand string \"%s\"", m->name, s);

	/* Out of range: the highest basic leaf, as on Intel. */
	{
		uint32_t hi[4], top[4];

		cpuid(m, 0, 1, 0, 0, o);
		cpuid(m, 0, 1, o[0], 0, top);
		cpuid(m, 0, 1, 0x80000009u, 0, hi);
		ok(!memcmp(hi, top, sizeof(hi)), "%s: leaf 0x80000009 = leaf %#x",
		   m->name, o[0]);
		cpuid(m, 0, 1, 0x40000000u, 0, hi);
		ok(!memcmp(hi, top, sizeof(hi)), "%s: leaf 0x40000000 = leaf %#x",
		   m->name, o[0]);
	}

	/* 0xD: MPX components never enumerated. */
	cpuid(m, 0, 1, 0xd, 3, o);
	ok(!o[0] && !o[1], "%s: no BNDREGS component", m->name);
	cpuid(m, 0, 1, 0xd, 4, o);
	ok(!o[0] && !o[1], "%s: no BNDCSR component", m->name);
	cpuid(m, 0, 1, 0xd, 2, o);
	ok(!o[0] && !o[1], "%s: no AVX component", m->name);
	cpuid(m, 0, 1, 0xd, 1, o);
	ok((o[0] & 3) == 3 && !(o[0] & 8), "%s: XSAVEOPT XSAVEC, no XSAVES", m->name);
	ok(o[1] == 576, "%s: compacted size for x87|SSE = %u", m->name, o[1]);
	cpuid(m, 0, 1, 0xd, 0, o);
	ok(o[0] == X87_SSE || o[0] == (X87_SSE | VCPU_XCR0_APX),
	   "%s: XCR0 supported %#x", m->name, o[0]);
	ok(o[1] == 576, "%s: size for XCR0=x87 is 576", m->name);
	ok(o[3] == 0, "%s: XCR0 supported high half 0", m->name);
	cpuid(m, 0, X87_SSE, 0xd, 0, o);
	ok(o[1] == 576, "%s: size for XCR0=x87|SSE is 576", m->name);
}

#ifdef CONFIG_APX
static void test_apx_leaves(void)
{
	const struct vcpu_cpu_model *m = &vcpu_cpu_model_apx;
	uint32_t o[4];

	diag("apx model");
	ok(vcpu_cpu_model_find("apx") == m, "--cpu apx found");
	ok(vcpu_cpu_model_default() == m, "default model is apx");
	ok(vcpu_cpu_model_has_apx(m), "apx model has APX");
	cpuid(m, 0, 1, 0, 0, o);
	ok(o[0] == 0x29, "max basic leaf 0x29");
	cpuid(m, 0, 1, 1, 0, o);
	ok(o[0] == 0x00400f10u, "signature %#x: family 19 model 1", o[0]);
	cpuid(m, 0, 1, 7, 0, o);
	ok(o[0] >= 1, "leaf 7 max subleaf %u", o[0]);
	cpuid(m, 0, 1, 7, 1, o);
	ok(o[3] & VCPU_CPUID_7_1_EDX_APX_F, "CPUID.(7,1).EDX[21] APX_F set");
	ok(!o[0] && !o[1] && !o[2] && o[3] == VCPU_CPUID_7_1_EDX_APX_F,
	   "leaf 7.1: nothing else");
	cpuid(m, 0, 1, 0x29, 0, o);
	ok(o[0] == 0 && o[1] == 1 && o[2] == 0 && o[3] == 0,
	   "leaf 0x29.0: EAX=0 EBX=1 (APX_NCI_NDD_NF) ECX=EDX=0");
	cpuid(m, 0, 1, 0x29, 1, o);
	ok(!o[0] && !o[1] && !o[2] && !o[3], "leaf 0x29.1 all zero");

	cpuid(m, 0, 1, 0xd, 0, o);
	ok(o[0] == (X87_SSE | VCPU_XCR0_APX), "0xD.0 EAX %#x = x87|SSE|APX", o[0]);
	ok(o[2] == 1088, "0xD.0 ECX max size %u = 1088", o[2]);
	ok(o[1] == 576, "0xD.0 EBX %u for XCR0=x87", o[1]);
	cpuid(m, 0, X87_SSE | VCPU_XCR0_APX, 0xd, 0, o);
	ok(o[1] == 1088, "0xD.0 EBX %u for XCR0=x87|SSE|APX", o[1]);
	cpuid(m, 0, VCPU_XCR0_X87 | VCPU_XCR0_APX, 0xd, 0, o);
	ok(o[1] == 1088, "0xD.0 EBX %u for XCR0=x87|APX", o[1]);
	/* Unsupported bits in XCR0 (cannot happen) do not count. */
	cpuid(m, 0, X87_SSE | VCPU_XCR0_AVX | VCPU_XCR0_MPX, 0xd, 0, o);
	ok(o[1] == 576, "0xD.0 EBX ignores unsupported XCR0 bits");
	cpuid(m, 0, X87_SSE | VCPU_XCR0_APX, 0xd, 1, o);
	ok(o[1] == 576 + 128, "0xD.1 EBX compacted size %u = 704", o[1]);
	cpuid(m, 0, 1, 0xd, 19, o);
	ok(o[0] == 128 && o[1] == 960 && o[2] == 0 && o[3] == 0,
	   "0xD.19: EAX=128 EBX=960 ECX=0 EDX=0");
	ok(vcpu_xstate_std_size(vcpu_cpu_model_xcr0_supported(m)) == 1088,
	   "std size of the supported mask 1088");
	ok(vcpu_xstate_compacted_offset(X87_SSE | VCPU_XCR0_APX | VCPU_XCOMP_BV_COMPACTED,
					19) == 576,
	   "APX at 576 in the compacted format");
	ok(vcpu_xstate_compacted_offset(X87_SSE, 19) == 0,
	   "APX not in a compacted area without bit 19");
	/* Every XCR0 the rules accept: sizes consistent with the components. */
	{
		static const uint64_t bits[] = { VCPU_XCR0_X87, VCPU_XCR0_SSE, VCPU_XCR0_APX };
		unsigned int k, n = 0, good = 0;

		for (k = 0; k < 8; k++) {
			uint64_t xcr0 = 0;
			uint32_t max = 0, sz[4], ecx;
			unsigned int b;

			for (b = 0; b < 3; b++)
				if (k & (1u << b))
					xcr0 |= bits[b];
			if (vcpu_xsetbv_check(m, 0, xcr0))
				continue;
			n++;
			cpuid(m, 0, xcr0, 0xd, 0, sz);
			ecx = sz[2];
			max = 576;
			if (xcr0 & VCPU_XCR0_APX) {
				uint32_t c19[4];

				cpuid(m, 0, xcr0, 0xd, 19, c19);
				max = c19[1] + c19[0];
			}
			cpuid(m, 0, xcr0, 0xd, 1, o);
			if (sz[1] == max && sz[1] <= ecx &&
			    o[1] == 576 + ((xcr0 & VCPU_XCR0_APX) ? 128u : 0u) &&
			    sz[1] == vcpu_xstate_std_size(xcr0))
				good++;
		}
		ok(n == 4 && good == n, "0xD sizes consistent for all %u valid XCR0 values", n);
	}
	/* Above 0x29: the data of leaf 0x29. */
	cpuid(m, 0, 1, 0x2a, 0, o);
	ok(o[1] == 1, "leaf 0x2a returns leaf 0x29");
}
#endif

static void test_noapx_leaves(void)
{
	const struct vcpu_cpu_model *m = &vcpu_cpu_model_noapx;
	uint32_t o[4];

	diag("noapx model");
	ok(vcpu_cpu_model_find("noapx") == m, "--cpu noapx found");
	ok(vcpu_cpu_model_find("bogus") == NULL && vcpu_cpu_model_find(NULL) == NULL,
	   "unknown model names refused");
#ifndef CONFIG_APX
	ok(vcpu_cpu_model_find("apx") == NULL, "APX=0: no apx model");
	ok(vcpu_cpu_model_default() == m, "APX=0: default model is noapx");
#endif
	ok(!vcpu_cpu_model_has_apx(m), "noapx model has no APX");
	cpuid(m, 0, 1, 0, 0, o);
	ok(o[0] < 0x29, "max basic leaf %#x below 0x29", o[0]);
	cpuid(m, 0, 1, 7, 1, o);
	ok(!(o[3] & VCPU_CPUID_7_1_EDX_APX_F), "APX_F clear");
	cpuid(m, 0, 1, 0x29, 0, o);
	{
		uint32_t top[4];

		cpuid(m, 0, 1, m->max_basic_leaf, 0, top);
		ok(!memcmp(o, top, sizeof(o)) && !(o[1] & 1),
		   "leaf 0x29 is out of range (returns leaf %#x)", m->max_basic_leaf);
	}
	cpuid(m, 0, 1, 0xd, 0, o);
	ok(o[0] == X87_SSE && o[2] == 576, "0xD.0: x87|SSE, max size 576");
	cpuid(m, 0, X87_SSE | VCPU_XCR0_APX, 0xd, 0, o);
	ok(o[1] == 576, "0xD.0 EBX 576 even if XCR0 had bit 19");
	cpuid(m, 0, 1, 0xd, 19, o);
	ok(!o[0] && !o[1] && !o[2] && !o[3], "0xD.19 all zero");

	/* A model that claims APX in its table but not in `apx`. */
	{
		struct vcpu_cpu_model fake = *m;

		fake.xcr0_supported |= VCPU_XCR0_APX | VCPU_XCR0_MPX;
		fake.max_basic_leaf = 0x29;
		ok(!vcpu_cpu_model_has_apx(&fake), "apx=false wins over the XCR0 table");
		cpuid(&fake, 0, 1, 0, 0, o);
		ok(o[0] == 0x28, "no APX: max basic leaf capped below 0x29");
		cpuid(&fake, 0, 1, 0xd, 0, o);
		ok(o[0] == X87_SSE, "no APX, no MPX in 0xD.0 (%#x)", o[0]);
	}
}

struct xsetbv_case {
	uint32_t index;
	uint64_t value;
	int apx_err;	/* with the apx model (APX=1 build) */
	int noapx_err;
};

static void test_xsetbv(void)
{
	static const struct xsetbv_case cases[] = {
		{ 0, VCPU_XCR0_X87, 0, 0 },
		{ 0, X87_SSE, 0, 0 },
		{ 0, X87_SSE | VCPU_XCR0_APX, 0, VCPU_XSETBV_APX_UNSUPPORTED },
		{ 0, VCPU_XCR0_X87 | VCPU_XCR0_APX, 0, VCPU_XSETBV_APX_UNSUPPORTED },
		{ 1, VCPU_XCR0_X87, VCPU_XSETBV_BAD_INDEX, VCPU_XSETBV_BAD_INDEX },
		{ 0xffffffffu, VCPU_XCR0_X87, VCPU_XSETBV_BAD_INDEX, VCPU_XSETBV_BAD_INDEX },
		{ 0, 0, VCPU_XSETBV_NO_X87, VCPU_XSETBV_NO_X87 },
		{ 0, VCPU_XCR0_SSE, VCPU_XSETBV_NO_X87, VCPU_XSETBV_NO_X87 },
		{ 0, VCPU_XCR0_SSE | VCPU_XCR0_APX, VCPU_XSETBV_NO_X87, VCPU_XSETBV_NO_X87 },
		{ 0, VCPU_XCR0_X87 | VCPU_XCR0_AVX, VCPU_XSETBV_AVX_NO_SSE,
		  VCPU_XSETBV_AVX_NO_SSE },
		{ 0, X87_SSE | VCPU_XCR0_AVX, VCPU_XSETBV_UNSUPPORTED,
		  VCPU_XSETBV_UNSUPPORTED },
		{ 0, X87_SSE | VCPU_XCR0_BNDREGS, VCPU_XSETBV_MPX_SPLIT,
		  VCPU_XSETBV_MPX_SPLIT },
		{ 0, X87_SSE | VCPU_XCR0_BNDCSR, VCPU_XSETBV_MPX_SPLIT,
		  VCPU_XSETBV_MPX_SPLIT },
		{ 0, X87_SSE | VCPU_XCR0_MPX, VCPU_XSETBV_UNSUPPORTED,
		  VCPU_XSETBV_UNSUPPORTED },
		{ 0, X87_SSE | VCPU_XCR0_MPX | VCPU_XCR0_APX, VCPU_XSETBV_APX_MPX,
		  VCPU_XSETBV_APX_MPX },
		{ 0, X87_SSE | VCPU_XCR0_AVX | VCPU_XCR0_OPMASK,
		  VCPU_XSETBV_AVX512_GROUP, VCPU_XSETBV_AVX512_GROUP },
		{ 0, X87_SSE | VCPU_XCR0_AVX512, VCPU_XSETBV_AVX512_GROUP,
		  VCPU_XSETBV_AVX512_GROUP },
		{ 0, X87_SSE | VCPU_XCR0_AVX | VCPU_XCR0_AVX512,
		  VCPU_XSETBV_UNSUPPORTED, VCPU_XSETBV_UNSUPPORTED },
		{ 0, X87_SSE | VCPU_XCR0_XTILEDATA, VCPU_XSETBV_AMX_SPLIT,
		  VCPU_XSETBV_AMX_SPLIT },
		{ 0, X87_SSE | VCPU_XCR0_AMX, VCPU_XSETBV_UNSUPPORTED,
		  VCPU_XSETBV_UNSUPPORTED },
		{ 0, X87_SSE | (UINT64_C(1) << 9), VCPU_XSETBV_UNSUPPORTED,
		  VCPU_XSETBV_UNSUPPORTED },
		{ 0, X87_SSE | (UINT64_C(1) << 63), VCPU_XSETBV_UNSUPPORTED,
		  VCPU_XSETBV_UNSUPPORTED },
		{ 0, X87_SSE | (UINT64_C(1) << 32), VCPU_XSETBV_UNSUPPORTED,
		  VCPU_XSETBV_UNSUPPORTED },
	};
	unsigned int i;

	diag("XSETBV rules");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct xsetbv_case *c = &cases[i];
		int e;

#ifdef CONFIG_APX
		e = vcpu_xsetbv_check(&vcpu_cpu_model_apx, c->index, c->value);
		ok(e == c->apx_err, "apx: XSETBV(%#x, %#llx) -> %d (%s)", c->index,
		   (unsigned long long)c->value, e, vcpu_xsetbv_strerror(e));
#endif
		e = vcpu_xsetbv_check(&vcpu_cpu_model_noapx, c->index, c->value);
		ok(e == c->noapx_err, "noapx: XSETBV(%#x, %#llx) -> %d (%s)",
		   c->index, (unsigned long long)c->value, e,
		   vcpu_xsetbv_strerror(e));
	}
	/* A (hypothetical) model with MPX and APX still refuses both at once. */
	{
		struct vcpu_cpu_model mpx = vcpu_cpu_model_noapx;

		mpx.xcr0_supported |= VCPU_XCR0_MPX | VCPU_XCR0_APX;
		mpx.apx = true;
		ok(vcpu_xsetbv_check(&mpx, 0, X87_SSE | VCPU_XCR0_MPX) ==
		   VCPU_XSETBV_UNSUPPORTED, "MPX is never supported, even if a model table says so");
		ok(vcpu_xsetbv_check(&mpx, 0, X87_SSE | VCPU_XCR0_MPX | VCPU_XCR0_APX) ==
		   VCPU_XSETBV_APX_MPX, "APX with MPX refused as APX_MPX");
	}
	ok(strcmp(vcpu_xsetbv_strerror(12345), "ok") != 0, "unknown error has a message");
}

static void test_xsave_header(void)
{
	uint8_t a[1200];
	uint32_t off;
	int e;
	uint64_t allowed = X87_SSE;

#ifdef CONFIG_APX
	allowed |= VCPU_XCR0_APX;
#endif
	diag("XSAVE header checks");
	memset(a, 0, sizeof(a));
	vcpu_xsave_set_xstate_bv(a, X87_SSE);
	ok(vcpu_xsave_get_xstate_bv(a) == X87_SSE && a[512] == 3 && a[513] == 0,
	   "XSTATE_BV little-endian at 512");
	vcpu_xsave_set_xcomp_bv(a, UINT64_C(0x8000000000000003));
	ok(a[520] == 3 && a[527] == 0x80 &&
	   vcpu_xsave_get_xcomp_bv(a) == UINT64_C(0x8000000000000003),
	   "XCOMP_BV little-endian at 520");
	vcpu_xsave_set_xcomp_bv(a, 0);
	a[24] = 0x80; a[25] = 0x1f;
	ok(vcpu_xsave_get_mxcsr(a) == VCPU_MXCSR_RESET, "MXCSR at 24");

	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_OK, "clean area accepted (%s)", vcpu_xsave_strerror(e));
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, VCPU_XSAVE_CHECK_ABI, &off);
	ok(e == VCPU_XSAVE_OK, "clean area accepted by the ABI check");
	e = vcpu_xsave_check_std(a, 575, X87_SSE, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_SHORT && off == 575, "575 bytes too short (off %u)", off);
	e = vcpu_xsave_check_std(NULL, 0, X87_SSE, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_SHORT, "NULL area refused");
	e = vcpu_xsave_check_std(a, 576, X87_SSE, X87_SSE, 0, NULL);
	ok(e == VCPU_XSAVE_OK, "576 bytes enough for x87|SSE");
#ifdef CONFIG_APX
	e = vcpu_xsave_check_std(a, 1087, allowed, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_SHORT && off == 1087, "1087 bytes too short with APX");
	e = vcpu_xsave_check_std(a, 1088, allowed, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_OK, "1088 bytes enough with APX");
	vcpu_xsave_set_xstate_bv(a, X87_SSE | VCPU_XCR0_APX);
	e = vcpu_xsave_check_std(a, sizeof(a), X87_SSE, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_XSTATE_BV && off == 512,
	   "XSTATE_BV[19] with XCR0 without APX refused (%s)", vcpu_xsave_strerror(e));
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_OK, "XSTATE_BV[19] with APX allowed");
#endif
	vcpu_xsave_set_xstate_bv(a, X87_SSE | VCPU_XCR0_BNDREGS);
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_XSTATE_BV, "XSTATE_BV[3] (MPX) refused");
	vcpu_xsave_set_xstate_bv(a, UINT64_C(1) << 63);
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_XSTATE_BV, "XSTATE_BV[63] refused");
	vcpu_xsave_set_xstate_bv(a, X87_SSE);

	vcpu_xsave_set_xcomp_bv(a, VCPU_XCOMP_BV_COMPACTED | X87_SSE);
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, VCPU_XSAVE_CHECK_ABI, &off);
	ok(e == VCPU_XSAVE_COMPACTED && off == 520, "XCOMP_BV[63] refused (%s)",
	   vcpu_xsave_strerror(e));
	vcpu_xsave_set_xcomp_bv(a, 1);
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_XCOMP_BV && off == 520, "XCOMP_BV bit 0 refused");
	vcpu_xsave_set_xcomp_bv(a, 0);

	a[535] = 1;
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_HDR_RESERVED && off == 535, "header byte 535 refused by XRSTOR");
	a[535] = 0;
	a[575] = 1;
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_OK, "header byte 575 not checked by the XRSTOR form");
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, VCPU_XSAVE_CHECK_ABI, &off);
	ok(e == VCPU_XSAVE_HDR_RESERVED && off == 575, "header byte 575 refused by the ABI");
	a[575] = 0;
	a[540] = 0x10;
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, VCPU_XSAVE_CHECK_ABI, &off);
	ok(e == VCPU_XSAVE_HDR_RESERVED && off == 540, "header byte 540 refused by the ABI");
	a[540] = 0;

	a[24] = 0x40;	/* DAZ: outside MXCSR_MASK 0xFFBF */
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_MXCSR && off == 24, "MXCSR.DAZ refused (%s)",
	   vcpu_xsave_strerror(e));
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, VCPU_XCR0_X87, 0, &off);
	ok(e == VCPU_XSAVE_OK, "MXCSR not checked when RFBM has no SSE/AVX");
	a[24] = 0x80;
	a[26] = 1;	/* bit 16 */
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_MXCSR, "MXCSR bit 16 refused");
	a[26] = 0;
	a[24] = 0xbf; a[25] = 0xff;
	e = vcpu_xsave_check_std(a, sizeof(a), allowed, X87_SSE, 0, &off);
	ok(e == VCPU_XSAVE_OK, "MXCSR 0xFFBF accepted");
	ok(strcmp(vcpu_xsave_strerror(999), "ok") != 0, "unknown error has a message");
	ok(vcpu_xstate_comp_info(3) == NULL && vcpu_xstate_comp_info(2) == NULL,
	   "no layout for AVX/MPX components");
	ok(vcpu_xstate_compacted_size(X87_SSE) == 576, "compacted size x87|SSE 576");
}

#ifdef CONFIG_APX
static void test_apx_xstate(void)
{
	struct vcpu_regfile rf, rf2;
	uint8_t a[VCPU_XSAVE_STD_MAX_SIZE + 16];
	unsigned int i;
	bool good;

	diag("APX component");
	vcpu_regfile_init(&rf, NULL);
	ok(!vcpu_xstate_apx_in_use(&rf), "fresh regfile: APX in init state");
	for (i = 0; i < NR_VCPU_GENERAL_PURPOSE_REGS; i++)
		rf.regs[i] = UINT64_C(0x0123456789abcdef) ^ ((uint64_t)i << 56) ^
			     (uint64_t)i * 0x1111;
	ok(vcpu_xstate_apx_in_use(&rf), "nonzero EGPRs: in use");
	memset(a, 0xee, sizeof(a));
	vcpu_xstate_apx_save(&rf, a);
	good = true;
	for (i = 0; i < 16; i++) {
		uint64_t v = rf.regs[16 + i];
		unsigned int b;

		for (b = 0; b < 8; b++)
			if (a[960 + 8 * i + b] != (uint8_t)(v >> (8 * b)))
				good = false;
	}
	ok(good, "R16..R31 at 960 + 8*i, little-endian");
	ok(a[959] == 0xee && a[1088] == 0xee, "nothing written outside 960..1087");
	ok(rf.regs_dirty == 0, "save marks nothing dirty");

	vcpu_regfile_init(&rf2, NULL);
	rf2.regs[VCPU_REGS_RAX] = 7;
	vcpu_xstate_apx_load(&rf2, a, false);
	ok(!memcmp(&rf2.regs[16], &rf.regs[16], 16 * sizeof(uint64_t)),
	   "load round trip: all 16 EGPRs equal");
	ok(rf2.regs[VCPU_REGS_RAX] == 7 && rf2.regs[VCPU_REGS_R15] == 0,
	   "load leaves R0..R15 alone");
	{
		uint64_t egprs = ((UINT64_C(1) << 32) - 1) & ~((UINT64_C(1) << 16) - 1);

		ok(rf2.regs_dirty == egprs, "dirty = R16..R31 (%#llx)",
		   (unsigned long long)rf2.regs_dirty);
		vcpu_regs_mark_clean(&rf2);
		vcpu_xstate_apx_load(&rf2, NULL, true);
		good = true;
		for (i = 16; i < 32; i++)
			good &= rf2.regs[i] == 0;
		ok(good, "init load: R16..R31 = 0 (area not read)");
		ok(rf2.regs_dirty == egprs, "init load marks R16..R31 dirty");
		ok(!vcpu_xstate_apx_in_use(&rf2), "after init: not in use");
	}
	/* Distinct value in each: a swapped pair would show. */
	good = true;
	for (i = 16; i < 31; i++)
		good &= rf.regs[i] != rf.regs[i + 1];
	ok(good, "test values are distinct");
}

/* The cache hook is asked for registers the backend keeps elsewhere. */
static unsigned int hook_calls;
static void hook(struct vcpu_regfile *rf, enum vcpu_reg reg)
{
	hook_calls++;
	rf->regs[reg] = 0x1000u + (unsigned int)reg;
}

static void test_apx_xstate_cached(void)
{
	struct vcpu_regfile rf;
	uint8_t a[VCPU_XSAVE_STD_MAX_SIZE];

	vcpu_regfile_init(&rf, hook);
	memset(a, 0, sizeof(a));
	vcpu_xstate_apx_save(&rf, a);
	ok(hook_calls == 16, "save asks the backend for the 16 EGPRs (%u)", hook_calls);
	ok(a[960] == 0x10 && a[961] == 0x10 && a[1080] == 0x1f && a[1081] == 0x10,
	   "backend values saved");
	vcpu_xstate_apx_save(&rf, a);
	ok(hook_calls == 16, "second save uses the cache");
	ok((rf.regs_avail >> 16 & 0xffff) == 0xffff && rf.regs_dirty == 0,
	   "EGPRs available, not dirty");
}
#endif

int main(void)
{
#ifdef CONFIG_APX
	test_common_leaves(&vcpu_cpu_model_apx);
	test_apx_leaves();
#endif
	test_common_leaves(&vcpu_cpu_model_noapx);
	test_noapx_leaves();
	test_xsetbv();
	test_xsave_header();
#ifdef CONFIG_APX
	test_apx_xstate();
	test_apx_xstate_cached();
#endif
	return done_testing();
}
