/* SPDX-License-Identifier: MIT */
/*
 * The architectural state of one vCPU beyond the GPR file: what the
 * interpreter and the backends share.  Registers live in `regs` (regs.h);
 * system state grows here as the system issues land (paging, MSRs, XSAVE).
 */
#ifndef APXVM_VCPU_VCPU_H
#define APXVM_VCPU_VCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "vcpu/regs.h"

/* RFLAGS bits. */
#define X86_FLAGS_CF   (1u << 0)
#define X86_FLAGS_FIXED (1u << 1)  /* always 1 */
#define X86_FLAGS_PF   (1u << 2)
#define X86_FLAGS_AF   (1u << 4)
#define X86_FLAGS_ZF   (1u << 6)
#define X86_FLAGS_SF   (1u << 7)
#define X86_FLAGS_TF   (1u << 8)
#define X86_FLAGS_IF   (1u << 9)
#define X86_FLAGS_DF   (1u << 10)
#define X86_FLAGS_OF   (1u << 11)
#define X86_FLAGS_IOPL (3u << 12)
#define X86_FLAGS_NT   (1u << 14)
#define X86_FLAGS_RF   (1u << 16)
#define X86_FLAGS_VM   (1u << 17)
#define X86_FLAGS_AC   (1u << 18)
#define X86_FLAGS_ID   (1u << 21)
/* The six arithmetic flags. */
#define X86_FLAGS_ARITH (X86_FLAGS_CF | X86_FLAGS_PF | X86_FLAGS_AF | X86_FLAGS_ZF | \
			 X86_FLAGS_SF | X86_FLAGS_OF)

#define X86_CR0_PE      (1u << 0)
#define X86_CR0_WP      (1u << 16)
#define X86_CR0_PG      (1u << 31)
#define X86_CR4_PSE     (1u << 4)
#define X86_CR4_PAE     (1u << 5)
#define X86_CR4_LA57    (1u << 12)
#define X86_CR4_OSXSAVE (1u << 18)
#define X86_CR4_SMEP    (1u << 20)
#define X86_CR4_SMAP    (1u << 21)
#define X86_EFER_SCE    (1u << 0)
#define X86_EFER_LME    (1u << 8)
#define X86_EFER_LMA    (1u << 10)
#define X86_EFER_NXE    (1u << 11)
#define X86_XCR0_X87    (1u << 0)
#define X86_XCR0_SSE    (1u << 1)
#define X86_XCR0_APX    (1u << 19)

/* A segment register, with the fields of struct kvm_segment (the state ABI maps 1:1). */
struct vcpu_segment {
	uint64_t base;
	uint32_t limit;
	uint16_t selector;
	uint8_t type, present, dpl, db, s, l, g, avl, unusable;
};

enum vcpu_seg {
	VCPU_SEG_ES, VCPU_SEG_CS, VCPU_SEG_SS, VCPU_SEG_DS, VCPU_SEG_FS, VCPU_SEG_GS,
	VCPU_SEG_TR, VCPU_SEG_LDTR, VCPU_NR_SEGS
};

/* GDTR / IDTR. */
struct vcpu_dtable {
	uint64_t base;
	uint16_t limit;
};

/* MSRs beyond EFER and the FS/GS bases (vcpu/msr.c has the list and the rules). */
struct vcpu_msrs {
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
	uint64_t tsc_aux, pat, misc_enable, xss, apic_base;
	uint64_t tsc_offset;  /* guest TSC = host counter + tsc_offset */
};

/*
 * x87/SSE state, kept as the 512-byte FXSAVE image (FCW at 0, FSW at 2,
 * abridged FTW at 4, MXCSR at 24, ST0..7 at 32, XMM0..15 at 160): the
 * arithmetic comes later; XSAVE/FXSAVE copy it, XRSTOR/FXRSTOR load it.
 */
struct vcpu_fpu {
	uint8_t fxsave[512];
};

struct vcpu_cpu_model;

struct vcpu {
	struct vcpu_regfile regs;
	/* FS/GS bases live here (hot path), not in seg[FS/GS].base. */
	uint64_t fs_base, gs_base;
	uint64_t cr0, cr2, cr3, cr4, cr8, efer;
	uint64_t xcr0;
	uint8_t cpl;     /* = seg[CS].dpl in 64-bit mode; kept for speed */
	struct vcpu_segment seg[VCPU_NR_SEGS];
	struct vcpu_dtable gdt, idt;
	struct vcpu_msrs msr;
	struct vcpu_fpu fpu;
	/* The CPU model (CPUID, XCR0 rules); NULL in unit tests that set cpuid_apx directly. */
	const struct vcpu_cpu_model *model;
	bool cpuid_apx;  /* the CPU model offers APX (CPUID.(7,1).EDX[21]) */
	/*
	 * REX2 and APX-EVEX are usable: resolved once whenever CR4, XCR0 or the
	 * CPU model change (vcpu_update_apx), never per instruction.
	 */
	bool apx_enabled;
};

/* Recompute apx_enabled after a change of CR4, XCR0 or the CPU model. */
static inline void vcpu_update_apx(struct vcpu *v)
{
#ifdef CONFIG_APX
	v->apx_enabled = v->cpuid_apx && (v->cr4 & X86_CR4_OSXSAVE) &&
			 (v->xcr0 & X86_XCR0_APX);
#else
	v->apx_enabled = false;
#endif
}

#endif
