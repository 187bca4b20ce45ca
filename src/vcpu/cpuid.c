/* SPDX-License-Identifier: MIT */
/*
 * The CPUID model and the XCR0 rules (see cpuid.h).
 *
 * Advertised, because the interpreter implements them:
 *   leaf 1 EDX  FPU TSC MSR PAE CX8 APIC CMOV PAT CLFSH MMX FXSR SSE SSE2
 *              (x86-64 baseline; x87/SSE/MMX arithmetic is a later issue,
 *               their state is saved by FXSAVE/XSAVE)
 *   leaf 1 ECX  CX16 MOVBE POPCNT XSAVE OSXSAVE(=CR4.OSXSAVE)
 *   leaf 7.0    EBX: BMI1 BMI2 ADX CLFLUSHOPT CLWB; ECX: RDPID
 *   leaf 7.1    EDX[21] APX_F (apx model)
 *   leaf 0xD    components x87, SSE (+ APX 19); XSAVEOPT, XSAVEC
 *   leaf 0x29   EBX[0] APX_NCI_NDD_NF (apx model)
 *   0x80000001  ECX: LAHF-LM, ABM (LZCNT), PREFETCHW; EDX: SYSCALL NX RDTSCP LM
 * Not advertised: AVX and later vector sets, MPX (never), SEP, PSE-36,
 * 1-GByte pages, XSAVES, XGETBV with ECX=1, the hypervisor bit.
 */
#include <string.h>

#include "vcpu/cpuid.h"
#include "vcpu/vcpu.h"
#include "vcpu/xstate.h"

#define BIT(n)	(1u << (n))

/* CPUID.1:EAX: stepping | model << 4 | family << 8 (SDM Vol. 2A, CPUID, figure 3-6). */
#define SIGNATURE(fam, mod, step)						\
	((uint32_t)(step) | ((uint32_t)(mod) & 0xf) << 4 |			\
	 ((fam) > 15 ? 0xfu : (uint32_t)(fam)) << 8 |				\
	 ((uint32_t)(mod) >> 4) << 16 |						\
	 ((fam) > 15 ? (uint32_t)(fam) - 15 : 0u) << 20)

#ifdef CONFIG_APX
/* Family 19 model 1: Diamond Rapids, the first Intel server CPU with APX. */
const struct vcpu_cpu_model vcpu_cpu_model_apx = {
	.name = "apx",
	.max_basic_leaf = VCPU_CPUID_LEAF_APX,
	.max_ext_leaf = 0x80000008u,
	.signature = SIGNATURE(19, 0x01, 0),
	.xcr0_supported = VCPU_XCR0_X87 | VCPU_XCR0_SSE | VCPU_XCR0_APX,
	.phys_addr_bits = 46,
	.virt_addr_bits = 48,
	.apx = true,
};
#endif

/* Family 6 model 0xAD: Granite Rapids, without APX. */
const struct vcpu_cpu_model vcpu_cpu_model_noapx = {
	.name = "noapx",
	.max_basic_leaf = 0x1f,
	.max_ext_leaf = 0x80000008u,
	.signature = SIGNATURE(6, 0xad, 1),
	.xcr0_supported = VCPU_XCR0_X87 | VCPU_XCR0_SSE,
	.phys_addr_bits = 46,
	.virt_addr_bits = 48,
	.apx = false,
};

const struct vcpu_cpu_model *vcpu_cpu_model_find(const char *name)
{
	if (!name)
		return NULL;
#ifdef CONFIG_APX
	if (!strcmp(name, vcpu_cpu_model_apx.name))
		return &vcpu_cpu_model_apx;
#endif
	if (!strcmp(name, vcpu_cpu_model_noapx.name))
		return &vcpu_cpu_model_noapx;
	return NULL;
}

const struct vcpu_cpu_model *vcpu_cpu_model_default(void)
{
#ifdef CONFIG_APX
	return &vcpu_cpu_model_apx;
#else
	return &vcpu_cpu_model_noapx;
#endif
}

bool vcpu_cpu_model_has_apx(const struct vcpu_cpu_model *m)
{
#ifdef CONFIG_APX
	return m->apx && (m->xcr0_supported & VCPU_XCR0_APX);
#else
	(void)m;
	return false;
#endif
}

uint64_t vcpu_cpu_model_xcr0_supported(const struct vcpu_cpu_model *m)
{
	uint64_t s = m->xcr0_supported;

	if (!vcpu_cpu_model_has_apx(m))
		s &= ~VCPU_XCR0_APX;
	/* Never MPX (the APX area is the MPX area), bit 63 is reserved. */
	return s & ~(VCPU_XCR0_MPX | (UINT64_C(1) << 63));
}

/* 12 bytes of vendor string in the EBX, EDX, ECX order of leaf 0. */
static uint32_t str4(const char *s)
{
	return (uint32_t)(uint8_t)s[0] | (uint32_t)(uint8_t)s[1] << 8 |
	       (uint32_t)(uint8_t)s[2] << 16 | (uint32_t)(uint8_t)s[3] << 24;
}

static const char brand[48] = "apxvm virtual CPU";

static void cpuid_leaf_d(const struct vcpu_cpu_model *m, uint64_t xcr0,
			 uint32_t sub, uint32_t out[4])
{
	uint64_t supp = vcpu_cpu_model_xcr0_supported(m);
	const struct vcpu_xstate_comp *c;

	switch (sub) {
	case 0:
		out[0] = (uint32_t)supp;
		out[1] = vcpu_xstate_std_size(xcr0 & supp);
		out[2] = vcpu_xstate_std_size(supp);
		out[3] = (uint32_t)(supp >> 32);
		return;
	case 1:
		out[0] = VCPU_CPUID_D_1_EAX_XSAVEOPT | VCPU_CPUID_D_1_EAX_XSAVEC;
		/* XCR0 | IA32_XSS in the compacted format; XSS is always 0 here. */
		out[1] = vcpu_xstate_compacted_size(xcr0 & supp);
		out[2] = 0;	/* IA32_XSS bits 31:0 supported: none */
		out[3] = 0;
		return;
	}
	if (sub >= 63 || !(supp & (UINT64_C(1) << sub)))
		return;
	c = vcpu_xstate_comp_info(sub);
	if (!c)
		return;
	out[0] = c->size;
	out[1] = c->offset;
	/* ECX[0] = 0: user (XCR0) component; ECX[1]: 64-byte aligned when compacted. */
	out[2] = c->align64 ? BIT(1) : 0;
	out[3] = 0;
}

/* A model without APX never has leaf 0x29, whatever its table says. */
static uint32_t max_basic_leaf(const struct vcpu_cpu_model *m)
{
	if (!vcpu_cpu_model_has_apx(m) && m->max_basic_leaf >= VCPU_CPUID_LEAF_APX)
		return VCPU_CPUID_LEAF_APX - 1;
	return m->max_basic_leaf;
}

static void cpuid_basic(const struct vcpu_cpu_model *m, uint64_t cr4,
			uint64_t xcr0, uint32_t leaf, uint32_t sub,
			uint32_t out[4])
{
	bool apx = vcpu_cpu_model_has_apx(m);

	switch (leaf) {
	case 0:
		out[0] = max_basic_leaf(m);
		out[1] = str4("Genu");
		out[3] = str4("ineI");
		out[2] = str4("ntel");
		return;
	case 1:
		out[0] = m->signature;
		/* CLFLUSH line 8*8 bytes, 1 logical processor, APIC ID 0. */
		out[1] = (8u << 8) | (1u << 16);
		out[2] = BIT(13) /* CX16 */ | BIT(22) /* MOVBE */ |
			 BIT(23) /* POPCNT */ | VCPU_CPUID_1_ECX_XSAVE;
		if (cr4 & X86_CR4_OSXSAVE)
			out[2] |= VCPU_CPUID_1_ECX_OSXSAVE;
		out[3] = BIT(0) /* FPU */ | BIT(4) /* TSC */ | BIT(5) /* MSR */ |
			 BIT(6) /* PAE */ | BIT(8) /* CX8 */ | BIT(9) /* APIC */ |
			 BIT(15) /* CMOV */ | BIT(16) /* PAT */ |
			 BIT(19) /* CLFSH */ | BIT(23) /* MMX */ |
			 BIT(24) /* FXSR */ | BIT(25) /* SSE */ | BIT(26) /* SSE2 */;
		return;
	case 7:
		if (sub == 0) {
			out[0] = 1;	/* max subleaf */
			out[1] = BIT(3) /* BMI1 */ | BIT(8) /* BMI2 */ |
				 BIT(19) /* ADX */ | BIT(23) /* CLFLUSHOPT */ |
				 BIT(24) /* CLWB */;
			/* never VCPU_CPUID_7_0_EBX_MPX */
			out[2] = BIT(22) /* RDPID */;
		} else if (sub == 1 && apx) {
			out[3] = VCPU_CPUID_7_1_EDX_APX_F;
		}
		return;
	case 0xd:
		cpuid_leaf_d(m, xcr0, sub, out);
		return;
	case VCPU_CPUID_LEAF_APX:
		if (apx && sub == 0) {
			out[0] = 0;	/* max subleaf */
			out[1] = VCPU_CPUID_29_EBX_APX_NCI_NDD_NF;
		}
		return;
	}
	/* Every other leaf up to the maximum: all zero (not modelled). */
}

static void cpuid_ext(const struct vcpu_cpu_model *m, uint32_t leaf,
		      uint32_t out[4])
{
	unsigned int i;

	switch (leaf) {
	case 0x80000000u:
		out[0] = m->max_ext_leaf;	/* EBX..EDX reserved on Intel */
		return;
	case 0x80000001u:
		out[2] = BIT(0) /* LAHF-SAHF in 64-bit mode */ |
			 BIT(5) /* LZCNT (ABM) */ | BIT(8) /* PREFETCHW */;
		out[3] = BIT(11) /* SYSCALL */ | BIT(20) /* NX */ |
			 BIT(27) /* RDTSCP */ | BIT(29) /* LM */;
		return;
	case 0x80000002u:
	case 0x80000003u:
	case 0x80000004u:
		for (i = 0; i < 4; i++)
			out[i] = str4(brand + 16 * (leaf - 0x80000002u) + 4 * i);
		return;
	case 0x80000008u:
		out[0] = m->phys_addr_bits | (uint32_t)m->virt_addr_bits << 8;
		return;
	}
}

void vcpu_cpuid(const struct vcpu_cpu_model *m, uint64_t cr4, uint64_t xcr0,
		uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	uint32_t max_basic = max_basic_leaf(m);

	out[0] = out[1] = out[2] = out[3] = 0;
	if (leaf >= 0x80000000u && leaf <= m->max_ext_leaf) {
		cpuid_ext(m, leaf, out);
		return;
	}
	if (leaf > max_basic)
		leaf = max_basic;	/* Intel: out of range -> highest basic leaf */
	cpuid_basic(m, cr4, xcr0, leaf, sub, out);
}

int vcpu_xsetbv_check(const struct vcpu_cpu_model *m, uint32_t index,
		      uint64_t value)
{
	uint64_t supp = vcpu_cpu_model_xcr0_supported(m);

	/* SDM Vol. 2C XSETBV: #GP(0) "If an invalid XCR is specified in ECX"
	 * (XCR0 is the only one; XCR1 = XINUSE is read-only, for XGETBV). */
	if (index != 0)
		return VCPU_XSETBV_BAD_INDEX;
	/* XSETBV: "If an attempt is made to clear bit 0 of XCR0". */
	if (!(value & VCPU_XCR0_X87))
		return VCPU_XSETBV_NO_X87;
	/* XSETBV: "If an attempt is made to set XCR0[2:1] to 10b". */
	if ((value & VCPU_XCR0_AVX) && !(value & VCPU_XCR0_SSE))
		return VCPU_XSETBV_AVX_NO_SSE;
	/* SDM Vol. 1, 13.3: XCR0[3] and XCR0[4] must be equal (BNDREGS/BNDCSR). */
	if (!(value & VCPU_XCR0_BNDREGS) != !(value & VCPU_XCR0_BNDCSR))
		return VCPU_XSETBV_MPX_SPLIT;
	/* SDM Vol. 1, 13.3: XCR0[7:5] all-or-none, and only with XCR0[2] (AVX). */
	if ((value & VCPU_XCR0_AVX512) &&
	    ((value & VCPU_XCR0_AVX512) != VCPU_XCR0_AVX512 ||
	     !(value & VCPU_XCR0_AVX)))
		return VCPU_XSETBV_AVX512_GROUP;
	/* SDM Vol. 1, 13.3: XCR0[17] and XCR0[18] must be equal (AMX). */
	if (!(value & VCPU_XCR0_XTILECFG) != !(value & VCPU_XCR0_XTILEDATA))
		return VCPU_XSETBV_AMX_SPLIT;
	/* APX shares 960..1087 with MPX in the standard format: never both
	 * (APX spec; KVM refuses XSETBV with BNDREGS and APX). */
	if ((value & VCPU_XCR0_APX) && (value & VCPU_XCR0_MPX))
		return VCPU_XSETBV_APX_MPX;
	/* XSETBV: "If an attempt is made to set a bit that is not set in
	 * CPUID.(EAX=0DH,ECX=0):EDX:EAX" (here: APX first, for its message). */
	if ((value & VCPU_XCR0_APX) && !(supp & VCPU_XCR0_APX))
		return VCPU_XSETBV_APX_UNSUPPORTED;
	if (value & ~supp)
		return VCPU_XSETBV_UNSUPPORTED;
	return VCPU_XSETBV_OK;
}

const char *vcpu_xsetbv_strerror(int err)
{
	switch (err) {
	case VCPU_XSETBV_OK: return "ok";
	case VCPU_XSETBV_BAD_INDEX: return "XSETBV: ECX is not 0 (only XCR0 is writable)";
	case VCPU_XSETBV_NO_X87: return "XSETBV: XCR0 bit 0 (x87) must be set";
	case VCPU_XSETBV_AVX_NO_SSE: return "XSETBV: XCR0 AVX (bit 2) without SSE (bit 1)";
	case VCPU_XSETBV_MPX_SPLIT: return "XSETBV: XCR0 bits 3 and 4 (MPX) differ";
	case VCPU_XSETBV_AVX512_GROUP: return "XSETBV: XCR0 bits 7:5 (AVX-512) not all set, or without AVX";
	case VCPU_XSETBV_AMX_SPLIT: return "XSETBV: XCR0 bits 17 and 18 (AMX) differ";
	case VCPU_XSETBV_APX_MPX: return "XSETBV: XCR0 APX (bit 19) together with MPX (bits 3/4)";
	case VCPU_XSETBV_APX_UNSUPPORTED: return "XSETBV: XCR0 APX (bit 19) but the CPU model has no APX";
	case VCPU_XSETBV_UNSUPPORTED: return "XSETBV: XCR0 bit not supported by the CPU model";
	}
	return "XSETBV: unknown error";
}

/*
 * CR4 bits and the CPUID feature that makes each one valid (SDM Vol. 3A,
 * 2.5 "Control Registers"; leaf 0 = always).  Bits not listed are reserved.
 * Used by MOV to CR4 and by the state ABI's sregs checks.
 */
static const struct {
	uint8_t bit;
	uint32_t leaf, sub;
	uint8_t reg;     /* 0 EAX, 1 EBX, 2 ECX, 3 EDX */
	uint8_t feature; /* bit number in that register */
} cr4_features[] = {
	{ 0, 1, 0, 3, 1 },     /* VME: VME */
	{ 1, 1, 0, 3, 1 },     /* PVI: VME */
	{ 2, 1, 0, 3, 4 },     /* TSD: TSC */
	{ 3, 1, 0, 3, 2 },     /* DE: DE */
	{ 4, 1, 0, 3, 3 },     /* PSE: PSE */
	{ 5, 1, 0, 3, 6 },     /* PAE: PAE */
	{ 6, 1, 0, 3, 7 },     /* MCE: MCE */
	{ 7, 1, 0, 3, 13 },    /* PGE: PGE */
	{ 8, 0, 0, 0, 0 },     /* PCE: always */
	{ 9, 1, 0, 3, 24 },    /* OSFXSR: FXSR */
	{ 10, 1, 0, 3, 25 },   /* OSXMMEXCPT: SSE */
	{ 11, 7, 0, 2, 2 },    /* UMIP */
	{ 12, 7, 0, 2, 16 },   /* LA57 */
	{ 13, 1, 0, 2, 5 },    /* VMXE: VMX */
	{ 14, 1, 0, 2, 6 },    /* SMXE: SMX */
	{ 16, 7, 0, 1, 0 },    /* FSGSBASE */
	{ 17, 1, 0, 2, 17 },   /* PCIDE: PCID */
	{ 18, 1, 0, 2, 26 },   /* OSXSAVE: XSAVE */
	{ 20, 7, 0, 1, 7 },    /* SMEP */
	{ 21, 7, 0, 1, 20 },   /* SMAP */
	{ 22, 7, 0, 2, 3 },    /* PKE: PKU */
	{ 23, 7, 0, 2, 7 },    /* CET: CET_SS */
	{ 24, 7, 0, 2, 31 },   /* PKS */
};

uint64_t vcpu_cpu_model_cr4_valid(const struct vcpu_cpu_model *m)
{
	uint64_t ok = 0;
	uint32_t out[4];

	for (size_t i = 0; i < sizeof(cr4_features) / sizeof(cr4_features[0]); i++) {
		if (cr4_features[i].leaf) {
			vcpu_cpuid(m, 0, VCPU_XCR0_X87, cr4_features[i].leaf, cr4_features[i].sub, out);
			if (!(out[cr4_features[i].reg] & (1u << cr4_features[i].feature)))
				continue;
		}
		ok |= UINT64_C(1) << cr4_features[i].bit;
	}
	return ok;
}

const struct vcpu_cpu_model *vcpu_model_of(const struct vcpu *v)
{
	if (v->model)
		return v->model;
	return v->cpuid_apx ? vcpu_cpu_model_default() : &vcpu_cpu_model_noapx;
}
