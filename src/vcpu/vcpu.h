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

struct vcpu {
	struct vcpu_regfile regs;
	uint64_t fs_base, gs_base;
	uint64_t cr0, cr2, cr3, cr4, efer;
	uint64_t xcr0;
	uint8_t cpl;
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
