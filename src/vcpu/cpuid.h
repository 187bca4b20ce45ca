/* SPDX-License-Identifier: MIT */
/*
 * The CPU model the guest sees: CPUID leaves and the XCR0 rules of XSETBV.
 *
 * Two models: "apx", an Intel CPU with APX (APX_F = CPUID.(7,1):EDX[21],
 * leaf 0x29, XSAVE component 19), and "noapx", the same CPU without APX.
 * In an APX=0 build (no CONFIG_APX) only "noapx" exists and nothing here
 * ever reports or accepts APX.  Neither model has MPX or AVX: CPUID.(7,0):
 * EBX[14] is 0 and XCR0 bits 2..4 are unsupported.
 *
 * Only what the interpreter implements is advertised (see cpuid.c for the
 * list).  Pure functions of the model and the state passed in: no globals
 * beyond the two const models, so layer 0 callers and tests share them.
 */
#ifndef APXVM_VCPU_CPUID_H
#define APXVM_VCPU_CPUID_H

#include <stdbool.h>
#include <stdint.h>

/* XCR0 bits (SDM Vol. 1, 13.1 "XSAVE-Supported Features and State-Component Bitmaps"). */
#define VCPU_XCR0_X87		(UINT64_C(1) << 0)
#define VCPU_XCR0_SSE		(UINT64_C(1) << 1)
#define VCPU_XCR0_AVX		(UINT64_C(1) << 2)
#define VCPU_XCR0_BNDREGS	(UINT64_C(1) << 3)
#define VCPU_XCR0_BNDCSR	(UINT64_C(1) << 4)
#define VCPU_XCR0_MPX		(VCPU_XCR0_BNDREGS | VCPU_XCR0_BNDCSR)
#define VCPU_XCR0_OPMASK	(UINT64_C(1) << 5)
#define VCPU_XCR0_ZMM_HI256	(UINT64_C(1) << 6)
#define VCPU_XCR0_HI16_ZMM	(UINT64_C(1) << 7)
#define VCPU_XCR0_AVX512	(VCPU_XCR0_OPMASK | VCPU_XCR0_ZMM_HI256 | VCPU_XCR0_HI16_ZMM)
#define VCPU_XCR0_XTILECFG	(UINT64_C(1) << 17)
#define VCPU_XCR0_XTILEDATA	(UINT64_C(1) << 18)
#define VCPU_XCR0_AMX		(VCPU_XCR0_XTILECFG | VCPU_XCR0_XTILEDATA)
#define VCPU_XCR0_APX		(UINT64_C(1) << 19)

/* XCR0 after RESET: x87 only (SDM Vol. 3A, 9.1.1 table 9-1). */
#define VCPU_XCR0_RESET		VCPU_XCR0_X87

/* Feature bits the model reports (the ones other layers test). */
#define VCPU_CPUID_1_ECX_XSAVE		(1u << 26)
#define VCPU_CPUID_1_ECX_OSXSAVE	(1u << 27)
#define VCPU_CPUID_7_0_EBX_MPX		(1u << 14)
#define VCPU_CPUID_7_1_EDX_APX_F	(1u << 21)
#define VCPU_CPUID_29_EBX_APX_NCI_NDD_NF (1u << 0)
#define VCPU_CPUID_D_1_EAX_XSAVEOPT	(1u << 0)
#define VCPU_CPUID_D_1_EAX_XSAVEC	(1u << 1)

#define VCPU_CPUID_LEAF_APX	0x29u

struct vcpu_cpu_model {
	const char *name;		/* "apx", "noapx": the --cpu value */
	uint32_t max_basic_leaf;	/* CPUID.0:EAX */
	uint32_t max_ext_leaf;		/* CPUID.80000000H:EAX */
	uint32_t signature;		/* CPUID.1:EAX (family/model/stepping) */
	uint64_t xcr0_supported;	/* CPUID.(0DH,0):EDX:EAX */
	uint8_t phys_addr_bits;		/* MAXPHYADDR, CPUID.80000008H:EAX[7:0] */
	uint8_t virt_addr_bits;		/* CPUID.80000008H:EAX[15:8] */
	bool apx;			/* APX_F, leaf 0x29, XCR0[19] */
};

#ifdef CONFIG_APX
extern const struct vcpu_cpu_model vcpu_cpu_model_apx;
#endif
extern const struct vcpu_cpu_model vcpu_cpu_model_noapx;

/* The model for --cpu NAME, or NULL (also "apx" in an APX=0 build). */
const struct vcpu_cpu_model *vcpu_cpu_model_find(const char *name);

/* "apx" if the build has CONFIG_APX, else "noapx". */
const struct vcpu_cpu_model *vcpu_cpu_model_default(void);

/* The model offers APX (always false in an APX=0 build). */
bool vcpu_cpu_model_has_apx(const struct vcpu_cpu_model *m);

/* XCR0 bits the model supports (bit 19 masked off in an APX=0 build). */
uint64_t vcpu_cpu_model_xcr0_supported(const struct vcpu_cpu_model *m);

/*
 * CPUID for EAX=leaf, ECX=sub: out[] = EAX, EBX, ECX, EDX.  cr4 gives
 * CPUID.1:ECX.OSXSAVE (CR4 bit 18), xcr0 the current-size field
 * CPUID.(0DH,0):EBX and the compacted size in CPUID.(0DH,1):EBX.
 * A leaf above the maximum (basic or extended) returns the highest basic
 * leaf, as Intel CPUs do (SDM Vol. 2A, CPUID, "If a value entered for
 * CPUID.EAX is higher than the maximum input value ...").
 */
void vcpu_cpuid(const struct vcpu_cpu_model *m, uint64_t cr4, uint64_t xcr0,
		uint32_t leaf, uint32_t sub, uint32_t out[4]);

/* Why XSETBV refuses a value: 0 = accepted.  Every refusal is #GP(0). */
enum vcpu_xsetbv_err {
	VCPU_XSETBV_OK = 0,
	VCPU_XSETBV_BAD_INDEX,		/* ECX != 0 */
	VCPU_XSETBV_NO_X87,		/* bit 0 clear */
	VCPU_XSETBV_AVX_NO_SSE,		/* bit 2 without bit 1 */
	VCPU_XSETBV_MPX_SPLIT,		/* bits 3 and 4 differ */
	VCPU_XSETBV_AVX512_GROUP,	/* bits 7:5 partial, or without AVX */
	VCPU_XSETBV_AMX_SPLIT,		/* bits 17 and 18 differ */
	VCPU_XSETBV_APX_MPX,		/* bit 19 with bit 3 or 4 */
	VCPU_XSETBV_APX_UNSUPPORTED,	/* bit 19, model without APX */
	VCPU_XSETBV_UNSUPPORTED,	/* any other bit the model lacks */
};

/*
 * The XCR0 rules of XSETBV (SDM Vol. 2C, XSETBV "Protected Mode
 * Exceptions" and Vol. 1, 13.3 "Enabling the XSAVE Feature Set"), plus
 * APX.  Checked in the order of the enum; the first broken rule is
 * returned.  CPL != 0 (#GP) and CR4.OSXSAVE = 0 (#UD) are the caller's
 * checks: they are not about the value.
 */
int vcpu_xsetbv_check(const struct vcpu_cpu_model *m, uint32_t index,
		      uint64_t value);

/* A short English reason for an enum vcpu_xsetbv_err, for --trace. */
const char *vcpu_xsetbv_strerror(int err);

/* CR4 bits that are not reserved on this model (each gated by its CPUID feature). */
uint64_t vcpu_cpu_model_cr4_valid(const struct vcpu_cpu_model *m);

struct vcpu;
/*
 * The model a vCPU follows: v->model, or for vCPUs built without one (unit
 * tests) the default model if v->cpuid_apx, else "noapx".
 */
const struct vcpu_cpu_model *vcpu_model_of(const struct vcpu *v);

#endif
