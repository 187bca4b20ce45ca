/* SPDX-License-Identifier: MIT */
/*
 * Model-specific registers of the vCPU: one table row per MSR (index, name,
 * where the value lives, the rule a write must pass).  RDMSR/WRMSR in
 * x86/exec_sys.c and the state ABI (KVM_GET/SET_MSRS analogue) both go
 * through these functions, so a guest and a host-side restore obey the same
 * rules.  An index not in the table is #GP(0) for the guest.
 *
 * Supported: EFER, STAR, LSTAR, CSTAR, SFMASK (FMASK), FS_BASE, GS_BASE,
 * KERNEL_GS_BASE, TSC, TSC_AUX, APIC_BASE (fixed: xAPIC at 0xFEE00000,
 * enabled, BSP), PAT, MISC_ENABLE, XSS.
 */
#ifndef APXVM_VCPU_MSR_H
#define APXVM_VCPU_MSR_H

#include <stddef.h>
#include <stdint.h>

#include "vcpu/vcpu.h"

#define VCPU_MSR_TSC		0x00000010u
#define VCPU_MSR_APIC_BASE	0x0000001Bu
#define VCPU_MSR_MISC_ENABLE	0x000001A0u
#define VCPU_MSR_PAT		0x00000277u
#define VCPU_MSR_XSS		0x00000DA0u
#define VCPU_MSR_EFER		0xC0000080u
#define VCPU_MSR_STAR		0xC0000081u
#define VCPU_MSR_LSTAR		0xC0000082u
#define VCPU_MSR_CSTAR		0xC0000083u
#define VCPU_MSR_SFMASK		0xC0000084u
#define VCPU_MSR_FS_BASE	0xC0000100u
#define VCPU_MSR_GS_BASE	0xC0000101u
#define VCPU_MSR_KERNEL_GS_BASE	0xC0000102u
#define VCPU_MSR_TSC_AUX	0xC0000103u

/* Values after RESET (SDM Vol. 3A, table 9-1; APIC base: BSP | enable | 0xFEE00000). */
#define VCPU_MSR_PAT_RESET		UINT64_C(0x0007040600070406)
#define VCPU_MSR_APIC_BASE_VALUE	UINT64_C(0xFEE00900)
#define VCPU_MSR_MISC_ENABLE_FAST_STRING UINT64_C(1)	/* bit 0, the only writable bit */
#define VCPU_MSR_MISC_ENABLE_RESET	VCPU_MSR_MISC_ENABLE_FAST_STRING

/* Put the MSRs of v->msr (and EFER, FS/GS base) in their RESET state. */
void vcpu_msr_reset(struct vcpu *v);

/*
 * Read / write MSR `idx`: 0 on success, -1 if the index is unknown or the
 * value breaks the MSR's rule (the caller raises #GP(0)); on -1 nothing
 * changed.  `host_now` is the host TSC counter (the interpreter's rdtsc hook
 * or its instruction count): IA32_TSC reads host_now + tsc_offset and a
 * write sets tsc_offset.  Side effects on the interpreter (a TLB flush when
 * EFER.NXE changes) are the caller's: compare EFER before and after.
 */
int vcpu_msr_read_at(struct vcpu *v, uint32_t idx, uint64_t host_now, uint64_t *val);
int vcpu_msr_write_at(struct vcpu *v, uint32_t idx, uint64_t host_now, uint64_t val);

/* The same with host_now = 0: IA32_TSC then reads and writes tsc_offset itself. */
int vcpu_msr_read(struct vcpu *v, uint32_t idx, uint64_t *val);
int vcpu_msr_write(struct vcpu *v, uint32_t idx, uint64_t val);

/* Guest TSC for a host counter value, and the offset a guest write sets. */
uint64_t vcpu_tsc_read(const struct vcpu *v, uint64_t host_now);
void vcpu_tsc_write(struct vcpu *v, uint64_t host_now, uint64_t val);

/* "IA32_EFER" etc. for --trace, or NULL for an index the vCPU lacks. */
const char *vcpu_msr_name(uint32_t idx);

/*
 * The supported indexes (KVM_GET_MSR_INDEX_LIST analogue): writes up to
 * `max` of them to `out` (may be NULL when max is 0) and returns how many
 * there are in total.
 */
size_t vcpu_msr_index_list(uint32_t *out, size_t max);

#endif
