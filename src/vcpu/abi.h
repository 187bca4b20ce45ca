/* SPDX-License-Identifier: MIT */
/*
 * The vCPU state ABI: struct vcpu <-> the KVM vCPU structures of
 * <linux/kvm.h> (kvm_regs, kvm_sregs, kvm_fpu, kvm_xsave, kvm_xcrs,
 * kvm_msrs, kvm_cpuid2, kvm_vcpu_events), the way KVM's GET/SET ioctls
 * convert them.  The library API (include/apxvm/apxvm.h) and the snapshot
 * code both go through here.
 *
 * Conventions (as KVM):
 *  - get functions fill the structure and return 0 (or a count, see each).
 *  - set functions validate everything first; a rejected call changes
 *    nothing in struct vcpu (nor in the CPUID table) and returns a negative
 *    errno value (-EINVAL bad value, -E2BIG a count or size out of range);
 *    if err is not NULL it gets a one-line message naming the field.
 *  - R16..R31 travel in XSAVE component 19 (APX, standard-format offset 960,
 *    R16 first, 8 bytes each), copied from and into regs[] at the call, as
 *    in the KVM APX series; kvm_regs ends at R15.  vcpu_abi_get/set_gprs
 *    give all 32 GPRs directly.  R16..R31 can only be non-zero when the
 *    CPU model offers APX; in an APX=0 build they do not exist.
 *  - v->model may be NULL (unit tests): the rules then follow the default
 *    model if v->cpuid_apx, else "noapx" (as x86/exec_sys.c does).
 *
 * Pending events: the vCPU has no interrupt controller and delivers every
 * exception inside one run call, so between calls nothing is ever pending
 * or injected; get_vcpu_events reports that and set_vcpu_events accepts
 * only that.
 *
 * Layer vcpu/: nothing here knows the interpreter.  Callers that run the
 * vCPU must flush their TLB / caches after set_sregs, set_xcrs, set_msrs
 * and set_cpuid2 (paging and feature state may have changed).
 */
#ifndef APXVM_VCPU_ABI_H
#define APXVM_VCPU_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "vcpu/cpuid.h"
#include "vcpu/vcpu.h"

/* sizeof(struct kvm_xsave): KVM_GET_XSAVE's size and KVM_CAP_XSAVE2's minimum. */
#define VCPU_ABI_XSAVE_MIN_SIZE		4096u
/* KVM_MAX_CPUID_ENTRIES: the most entries a CPUID table may hold. */
#define VCPU_ABI_CPUID_MAX_ENTRIES	256u
/* A message buffer of this size is always large enough. */
#define VCPU_ABI_ERRLEN			160u

/* All 32 GPRs in encoding order (RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8..R31). */
struct vcpu_abi_gprs {
	__u64 r[32];
};

/*
 * The CPUID override table of one vCPU (KVM_SET_CPUID2).  The vCPU is
 * model-based: every leaf comes from `base` (the model the VM was created
 * with) unless the table holds an entry for that (function, index); a
 * listed entry replaces the model's four registers, except that
 * CPUID.1:ECX.OSXSAVE still mirrors CR4 and CPUID.(0DH,0):EBX still follows
 * XCR0 (dynamic bits, as on hardware).  Entries without
 * KVM_CPUID_FLAG_SIGNIFCANT_INDEX match every index of their function.
 *
 * What the vCPU enforces from the table is APX: the effective APX_F bit
 * (CPUID.(7,1):EDX[21], the table's entry if there is one, else the
 * model's) picks the XCR0 rules.  Hiding APX on an "apx" model switches
 * v->model to "noapx" (XSETBV, XSAVE validation and REX2 follow it);
 * showing it again switches back to `base`.  Other feature bits change
 * what the guest's CPUID instruction reports, not what the interpreter
 * executes.  Initialise with vcpu_abi_cpuid_init.
 */
struct vcpu_cpuid_table {
	const struct vcpu_cpu_model *base;
	__u32 nent;
	struct kvm_cpuid_entry2 e[VCPU_ABI_CPUID_MAX_ENTRIES];
};

/* Empty table over the vCPU's current model (v->model, or the fallback above). */
void vcpu_abi_cpuid_init(struct vcpu_cpuid_table *t, const struct vcpu *v);

/*
 * CPUID as the guest sees it (for the interpreter's cpuid hook): the table
 * entry if any, else vcpu_cpuid(t->base, ...); OSXSAVE and the current XSAVE
 * size always follow v->cr4 and v->xcr0.
 */
void vcpu_abi_cpuid(const struct vcpu *v, const struct vcpu_cpuid_table *t,
		    uint32_t leaf, uint32_t sub, uint32_t out[4]);

/*
 * KVM_SET_CPUID2: c->nent entries replace the whole table.  Rejected
 * (-E2BIG) if nent > VCPU_ABI_CPUID_MAX_ENTRIES; (-EINVAL) for a flag
 * other than SIGNIFCANT_INDEX, two entries for the same (function, index),
 * APX_F = 1 on a model without APX (the vCPU cannot invent APX), a leaf
 * 0xD.0 EDX:EAX with bits outside the model's XCR0 or without x87|SSE, a
 * leaf 0xD.0 whose bit 19 disagrees with the effective APX_F, and a table
 * that takes away a feature the current XCR0 uses (APX with XCR0[19] = 1,
 * or 0xD.0 lacking a bit of XCR0): KVM refuses CPUID changes once the
 * guest has run; here the state itself decides.
 */
int vcpu_abi_set_cpuid2(struct vcpu *v, struct vcpu_cpuid_table *t,
			const struct kvm_cpuid2 *c, char *err, size_t errlen);

/*
 * KVM_GET_CPUID2: the entries set (c->nent is the capacity on input and the
 * count on output; -E2BIG, with c->nent = the count needed, if too small).
 */
int vcpu_abi_get_cpuid2(const struct vcpu_cpuid_table *t, struct kvm_cpuid2 *c);

/*
 * KVM_GET_SUPPORTED_CPUID analogue: every leaf and subleaf of t->base as
 * the guest would see it with the table applied (same capacity rule).
 */
int vcpu_abi_supported_cpuid2(const struct vcpu *v, const struct vcpu_cpuid_table *t,
			      struct kvm_cpuid2 *c);

/*
 * KVM_GET/SET_REGS: RAX..R15, RIP, RFLAGS.  As KVM, set forces RFLAGS bit 1;
 * it also rejects RFLAGS reserved bits (3, 5, 15, 63:22), which KVM leaves
 * to the hardware's VM-entry check.
 */
void vcpu_abi_get_regs(struct vcpu *v, struct kvm_regs *r);
int vcpu_abi_set_regs(struct vcpu *v, const struct kvm_regs *r, char *err, size_t errlen);

/* All 32 GPRs (no RIP/RFLAGS).  set: R16..R31 must be 0 without APX in the model. */
void vcpu_abi_get_gprs(struct vcpu *v, struct vcpu_abi_gprs *g);
int vcpu_abi_set_gprs(struct vcpu *v, const struct vcpu_abi_gprs *g, char *err, size_t errlen);

/*
 * KVM_GET/SET_SREGS.  FS/GS bases come from v->fs_base/gs_base; apic_base
 * from the APIC_BASE MSR; interrupt_bitmap is always empty.  set rejects
 * what kvm_is_valid_sregs and the CR/EFER setters reject (CR0 bits 63:32,
 * PG without PE, NW without CD; CR4 bits the model does not offer; EFER
 * bits other than SCE/LME/LMA/NXE; LME+PG without PAE or LMA; LMA or CS.L
 * without LME+PG; CR3 bits above MAXPHYADDR when LME+PG; CR8 bits 63:4;
 * an apic_base other than the fixed value; a segment field out of its
 * range (type > 15, dpl > 3, a flag > 1); a non-canonical FS or GS base,
 * which the FS_BASE/GS_BASE MSRs would refuse; a non-empty interrupt_bitmap).
 * On success CPL = CS.DPL when CR0.PE (else 0) and apx_enabled is updated.
 */
void vcpu_abi_get_sregs(struct vcpu *v, struct kvm_sregs *s);
int vcpu_abi_set_sregs(struct vcpu *v, const struct kvm_sregs *s, char *err, size_t errlen);

/* KVM_GET/SET_FPU: x87/SSE from and into v->fpu.fxsave.  set: MXCSR reserved bits → -EINVAL. */
void vcpu_abi_get_fpu(struct vcpu *v, struct kvm_fpu *f);
int vcpu_abi_set_fpu(struct vcpu *v, const struct kvm_fpu *f, char *err, size_t errlen);

/*
 * Size of the KVM_GET_XSAVE2 buffer (what KVM_CAP_XSAVE2 reports):
 * max(4096, the model's standard-format XSAVE size).
 */
size_t vcpu_abi_xsave_size(const struct vcpu *v);

/*
 * KVM_GET_XSAVE2 into `size` bytes at x (size >= vcpu_abi_xsave_size, else
 * -E2BIG): standard format, XCOMP_BV = 0, legacy region from v->fpu.fxsave
 * (MXCSR_MASK = VCPU_MXCSR_MASK), XSTATE_BV = x87|SSE, plus bit 19 when
 * R16..R31 are not all zero; R16..R31 are always written at 960 when the
 * model offers APX.  Everything else is zero.  vcpu_abi_get_xsave is the
 * 4096-byte KVM_GET_XSAVE.
 */
int vcpu_abi_get_xsave2(struct vcpu *v, struct kvm_xsave *x, size_t size,
			char *err, size_t errlen);
int vcpu_abi_get_xsave(struct vcpu *v, struct kvm_xsave *x);

/*
 * KVM_SET_XSAVE from `size` bytes (>= the model's standard XSAVE size).
 * Rejected: XSTATE_BV bits outside the model's supported XCR0, XCOMP_BV not
 * 0, header bytes 528..575 not 0, MXCSR reserved bits (when XSTATE_BV has
 * SSE).  Components whose XSTATE_BV bit is clear get their initial state
 * (x87: FCW 0x37F, rest 0; SSE: XMM 0, MXCSR 0x1F80; APX: R16..R31 = 0).
 * Legacy bytes 416..511 (no state) are kept as given, so that get/set
 * reproduce the FXSAVE image byte for byte.
 */
int vcpu_abi_set_xsave2(struct vcpu *v, const struct kvm_xsave *x, size_t size,
			char *err, size_t errlen);
int vcpu_abi_set_xsave(struct vcpu *v, const struct kvm_xsave *x, char *err, size_t errlen);

/*
 * KVM_GET/SET_XCRS: XCR0 only.  set: nr_xcrs <= KVM_MAX_XCRS and flags 0
 * (else -EINVAL, as KVM), each xcr index 0 and each value accepted by vcpu_xsetbv_check (x87 set, SSE
 * before AVX, APX only if offered and never with MPX, ...); then
 * vcpu_update_apx.  The last entry for XCR0 wins.
 */
void vcpu_abi_get_xcrs(struct vcpu *v, struct kvm_xcrs *x);
int vcpu_abi_set_xcrs(struct vcpu *v, const struct kvm_xcrs *x, char *err, size_t errlen);

/*
 * KVM_GET/SET_MSRS through vcpu/msr.h (the same rules as RDMSR/WRMSR);
 * host_now is the counter IA32_TSC is relative to (the VM's instruction
 * count).  Return the number of entries processed (m->nmsrs) or -E2BIG
 * (nmsrs > VCPU_ABI_MSRS_MAX) / -EINVAL (unknown index, or a value the
 * MSR's rule refuses): unlike KVM, which stops at the first bad entry
 * having applied the ones before, a rejected set changes nothing.
 * Setting EFER via MSR follows the WRMSR rules (LMA is read-only there);
 * use set_sregs to restore a whole mode.
 */
#define VCPU_ABI_MSRS_MAX	256u
int vcpu_abi_get_msrs(struct vcpu *v, uint64_t host_now, struct kvm_msrs *m,
		      char *err, size_t errlen);
int vcpu_abi_set_msrs(struct vcpu *v, uint64_t host_now, const struct kvm_msrs *m,
		      char *err, size_t errlen);

/* KVM_GET/SET_VCPU_EVENTS: nothing is ever pending (see above). */
void vcpu_abi_get_events(struct vcpu *v, struct kvm_vcpu_events *e);
int vcpu_abi_set_events(struct vcpu *v, const struct kvm_vcpu_events *e, char *err,
			size_t errlen);

/* Offset in struct kvm_regs of each legacy GPR, in encoding order (RAX, RCX, ...). */
extern const size_t vcpu_abi_kvm_regs_off[16];

#endif
