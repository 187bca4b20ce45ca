/* SPDX-License-Identifier: MIT */
/*
 * The vCPU state ABI (abi.h): struct vcpu <-> the KVM structures for
 * registers, FPU/XSAVE, XCRs, MSRs and events.  The CPUID table is in
 * abi_cpuid.c.  Every set function checks the whole input before the first
 * write, so a refused call leaves struct vcpu as it was.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "vcpu/abi.h"
#include "vcpu/abi_internal.h"
#include "vcpu/msr.h"
#include "vcpu/xstate.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* RFLAGS bits that are reserved (3, 5, 15, 63:22); bit 1 is forced to 1. */
#define RFLAGS_RESERVED	((UINT64_C(1) << 3) | (UINT64_C(1) << 5) | (UINT64_C(1) << 15) | \
			 ~UINT64_C(0x3fffff))
#define CR0_NW		(UINT64_C(1) << 29)
#define CR0_CD		(UINT64_C(1) << 30)
#define EFER_KNOWN	(X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE)
#define CR8_KNOWN	UINT64_C(0xf)
#define FCW_RESET	0x037fu

static uint64_t get_le(const uint8_t *p, unsigned int n)
{
	uint64_t x = 0;

	while (n--)
		x = x << 8 | p[n];
	return x;
}

static void put_le(uint8_t *p, unsigned int n, uint64_t x)
{
	for (unsigned int i = 0; i < n; i++, x >>= 8)
		p[i] = (uint8_t)x;
}

/* ---- REGS and all 32 GPRs ---------------------------------------------- */

/* struct kvm_regs field of each legacy GPR, in encoding order. */
const size_t vcpu_abi_kvm_regs_off[16] = {
	offsetof(struct kvm_regs, rax), offsetof(struct kvm_regs, rcx),
	offsetof(struct kvm_regs, rdx), offsetof(struct kvm_regs, rbx),
	offsetof(struct kvm_regs, rsp), offsetof(struct kvm_regs, rbp),
	offsetof(struct kvm_regs, rsi), offsetof(struct kvm_regs, rdi),
	offsetof(struct kvm_regs, r8), offsetof(struct kvm_regs, r9),
	offsetof(struct kvm_regs, r10), offsetof(struct kvm_regs, r11),
	offsetof(struct kvm_regs, r12), offsetof(struct kvm_regs, r13),
	offsetof(struct kvm_regs, r14), offsetof(struct kvm_regs, r15),
};

void vcpu_abi_get_regs(struct vcpu *v, struct kvm_regs *r)
{
	memset(r, 0, sizeof(*r));
	for (unsigned int i = 0; i < 16; i++) {
		uint64_t x = __vcpu_gpr_read(&v->regs, (enum vcpu_reg)i);

		memcpy((uint8_t *)r + vcpu_abi_kvm_regs_off[i], &x, 8);
	}
	r->rip = vcpu_rip_read(&v->regs);
	r->rflags = vcpu_rflags_read(&v->regs);
}

int vcpu_abi_set_regs(struct vcpu *v, const struct kvm_regs *r, char *err, size_t errlen)
{
	if (r->rflags & RFLAGS_RESERVED)
		return vcpu_errfmt(err, errlen, -EINVAL,
				     "RFLAGS 0x%" PRIx64 " has reserved bits set (0x%" PRIx64 ")",
				     (uint64_t)r->rflags, (uint64_t)(r->rflags & RFLAGS_RESERVED));
	for (unsigned int i = 0; i < 16; i++) {
		uint64_t x;

		memcpy(&x, (const uint8_t *)r + vcpu_abi_kvm_regs_off[i], 8);
		__vcpu_gpr_write(&v->regs, (enum vcpu_reg)i, x);
	}
	vcpu_rip_write(&v->regs, r->rip);
	/* As KVM's __set_regs: the fixed bit is forced, not checked. */
	vcpu_rflags_write(&v->regs, r->rflags | X86_FLAGS_FIXED);
	return 0;
}

void vcpu_abi_get_gprs(struct vcpu *v, struct vcpu_abi_gprs *g)
{
	memset(g, 0, sizeof(*g));
	for (unsigned int i = 0; i < NR_VCPU_GENERAL_PURPOSE_REGS; i++)
		g->r[i] = __vcpu_gpr_read(&v->regs, (enum vcpu_reg)i);
}

int vcpu_abi_set_gprs(struct vcpu *v, const struct vcpu_abi_gprs *g, char *err, size_t errlen)
{
	bool apx = vcpu_cpu_model_has_apx(vcpu_model_of(v));

	for (unsigned int i = 16; i < 32; i++)
		if (g->r[i] && (!apx || i >= NR_VCPU_GENERAL_PURPOSE_REGS))
			return vcpu_errfmt(err, errlen, -EINVAL,
					     "R%u = 0x%" PRIx64 " but the CPU model has no APX "
					     "(R16..R31 must be 0)", i, (uint64_t)g->r[i]);
	for (unsigned int i = 0; i < NR_VCPU_GENERAL_PURPOSE_REGS; i++)
		__vcpu_gpr_write(&v->regs, (enum vcpu_reg)i, g->r[i]);
	return 0;
}

/* ---- SREGS ------------------------------------------------------------- */

/* kvm_sregs segment of each enum vcpu_seg. */
static const size_t kvm_seg_off[VCPU_NR_SEGS] = {
	[VCPU_SEG_ES] = offsetof(struct kvm_sregs, es),
	[VCPU_SEG_CS] = offsetof(struct kvm_sregs, cs),
	[VCPU_SEG_SS] = offsetof(struct kvm_sregs, ss),
	[VCPU_SEG_DS] = offsetof(struct kvm_sregs, ds),
	[VCPU_SEG_FS] = offsetof(struct kvm_sregs, fs),
	[VCPU_SEG_GS] = offsetof(struct kvm_sregs, gs),
	[VCPU_SEG_TR] = offsetof(struct kvm_sregs, tr),
	[VCPU_SEG_LDTR] = offsetof(struct kvm_sregs, ldt),
};

static const char *const seg_name[VCPU_NR_SEGS] = {
	"ES", "CS", "SS", "DS", "FS", "GS", "TR", "LDTR"
};

static const struct kvm_segment *kseg_c(const struct kvm_sregs *s, unsigned int i)
{
	return (const struct kvm_segment *)(const void *)((const uint8_t *)s + kvm_seg_off[i]);
}

static struct kvm_segment *kseg(struct kvm_sregs *s, unsigned int i)
{
	return (struct kvm_segment *)(void *)((uint8_t *)s + kvm_seg_off[i]);
}

void vcpu_abi_get_sregs(struct vcpu *v, struct kvm_sregs *s)
{
	uint64_t apic;

	memset(s, 0, sizeof(*s));
	for (unsigned int i = 0; i < VCPU_NR_SEGS; i++) {
		const struct vcpu_segment *g = &v->seg[i];
		struct kvm_segment *k = kseg(s, i);

		*k = (struct kvm_segment){
			.base = g->base, .limit = g->limit, .selector = g->selector,
			.type = g->type, .present = g->present, .dpl = g->dpl,
			.db = g->db, .s = g->s, .l = g->l, .g = g->g, .avl = g->avl,
			.unusable = g->unusable,
		};
	}
	s->fs.base = v->fs_base;
	s->gs.base = v->gs_base;
	s->gdt.base = v->gdt.base;
	s->gdt.limit = v->gdt.limit;
	s->idt.base = v->idt.base;
	s->idt.limit = v->idt.limit;
	s->cr0 = v->cr0;
	s->cr2 = v->cr2;
	s->cr3 = v->cr3;
	s->cr4 = v->cr4;
	s->cr8 = v->cr8;
	s->efer = v->efer;
	s->apic_base = vcpu_msr_read(v, VCPU_MSR_APIC_BASE, &apic) ? v->msr.apic_base : apic;
}

static int check_seg(const struct kvm_segment *k, unsigned int i, char *err, size_t errlen)
{
	const uint8_t flags[] = { k->present, k->db, k->s, k->l, k->g, k->avl, k->unusable };

	if (k->type > 15 || k->dpl > 3)
		return vcpu_errfmt(err, errlen, -EINVAL, "%s: type %u / dpl %u out of range",
				     seg_name[i], k->type, k->dpl);
	for (size_t f = 0; f < sizeof(flags); f++)
		if (flags[f] > 1)
			return vcpu_errfmt(err, errlen, -EINVAL,
					     "%s: a flag (present/db/s/l/g/avl/unusable) is not 0 or 1",
					     seg_name[i]);
	return 0;
}

static bool canonical(const struct vcpu_cpu_model *m, uint64_t a)
{
	unsigned int sh = 64u - m->virt_addr_bits;

	return (uint64_t)((int64_t)(a << sh) >> sh) == a;
}

/* kvm_is_valid_sregs, kvm_is_valid_cr0/cr4, the EFER/CR8/APIC base setters. */
static int check_sregs(struct vcpu *v, const struct kvm_sregs *s, char *err, size_t errlen)
{
	const struct vcpu_cpu_model *m = vcpu_model_of(v);
	uint64_t cr4_bad = s->cr4 & ~vcpu_cpu_model_cr4_valid(m);
	struct vcpu tmp;
	int rc;

	for (size_t i = 0; i < ARRAY_SIZE(s->interrupt_bitmap); i++)
		if (s->interrupt_bitmap[i])
			return vcpu_errfmt(err, errlen, -EINVAL,
					     "interrupt_bitmap not empty: the vCPU has no interrupt "
					     "controller to hold a pending interrupt");
	if (s->cr0 >> 32)
		return vcpu_errfmt(err, errlen, -EINVAL, "CR0 0x%" PRIx64 ": bits 63:32 set",
				     (uint64_t)s->cr0);
	if ((s->cr0 & X86_CR0_PG) && !(s->cr0 & X86_CR0_PE))
		return vcpu_errfmt(err, errlen, -EINVAL, "CR0 0x%" PRIx64 ": PG without PE",
				     (uint64_t)s->cr0);
	if ((s->cr0 & CR0_NW) && !(s->cr0 & CR0_CD))
		return vcpu_errfmt(err, errlen, -EINVAL, "CR0 0x%" PRIx64 ": NW without CD",
				     (uint64_t)s->cr0);
	if (cr4_bad)
		return vcpu_errfmt(err, errlen, -EINVAL,
				     "CR4 0x%" PRIx64 ": bits 0x%" PRIx64 " are reserved for CPU model %s",
				     (uint64_t)s->cr4, cr4_bad, m->name);
	if (s->efer & ~(uint64_t)EFER_KNOWN)
		return vcpu_errfmt(err, errlen, -EINVAL, "EFER 0x%" PRIx64 ": reserved bits set",
				     (uint64_t)s->efer);
	if ((s->efer & X86_EFER_LME) && (s->cr0 & X86_CR0_PG)) {
		if (!(s->cr4 & X86_CR4_PAE) || !(s->efer & X86_EFER_LMA))
			return vcpu_errfmt(err, errlen, -EINVAL,
					     "EFER.LME with CR0.PG needs CR4.PAE and EFER.LMA");
		if (s->cr3 >> m->phys_addr_bits)
			return vcpu_errfmt(err, errlen, -EINVAL,
					     "CR3 0x%" PRIx64 ": bits above MAXPHYADDR (%u)",
					     (uint64_t)s->cr3, m->phys_addr_bits);
	} else if ((s->efer & X86_EFER_LMA) || s->cs.l) {
		return vcpu_errfmt(err, errlen, -EINVAL,
				     "EFER.LMA or CS.L without EFER.LME and CR0.PG");
	}
	if (s->cr8 & ~CR8_KNOWN)
		return vcpu_errfmt(err, errlen, -EINVAL, "CR8 0x%" PRIx64 ": bits 63:4 set",
				     (uint64_t)s->cr8);
	for (unsigned int i = 0; i < VCPU_NR_SEGS; i++) {
		rc = check_seg(kseg_c(s, i), i, err, errlen);
		if (rc)
			return rc;
	}
	/* FS/GS bases are MSRs too: keep set_sregs and set_msrs in agreement (and VMX's entry check). */
	if (!canonical(m, s->fs.base) || !canonical(m, s->gs.base))
		return vcpu_errfmt(err, errlen, -EINVAL,
				     "FS base 0x%" PRIx64 " / GS base 0x%" PRIx64 ": not canonical",
				     (uint64_t)s->fs.base, (uint64_t)s->gs.base);
	if (s->cs.l && s->cs.db)
		return vcpu_errfmt(err, errlen, -EINVAL, "CS.L and CS.D both set (reserved)");
	/* The APIC base obeys the MSR's rule; try it on a copy. */
	tmp = *v;
	if (vcpu_msr_write(&tmp, VCPU_MSR_APIC_BASE, s->apic_base))
		return vcpu_errfmt(err, errlen, -EINVAL,
				     "apic_base 0x%" PRIx64 " refused (the xAPIC base is fixed)",
				     (uint64_t)s->apic_base);
	return 0;
}

int vcpu_abi_set_sregs(struct vcpu *v, const struct kvm_sregs *s, char *err, size_t errlen)
{
	int rc = check_sregs(v, s, err, errlen);

	if (rc)
		return rc;
	for (unsigned int i = 0; i < VCPU_NR_SEGS; i++) {
		const struct kvm_segment *k = kseg_c(s, i);

		v->seg[i] = (struct vcpu_segment){
			.base = k->base, .limit = k->limit, .selector = k->selector,
			.type = k->type, .present = k->present, .dpl = k->dpl,
			.db = k->db, .s = k->s, .l = k->l, .g = k->g, .avl = k->avl,
			.unusable = k->unusable,
		};
	}
	v->fs_base = s->fs.base;
	v->gs_base = s->gs.base;
	v->gdt = (struct vcpu_dtable){ .base = s->gdt.base, .limit = s->gdt.limit };
	v->idt = (struct vcpu_dtable){ .base = s->idt.base, .limit = s->idt.limit };
	v->cr0 = s->cr0;
	v->cr2 = s->cr2;
	v->cr3 = s->cr3;
	v->cr4 = s->cr4;
	v->cr8 = s->cr8;
	v->efer = s->efer;
	v->msr.apic_base = s->apic_base;
	/* CPL is CS.DPL in protected mode (SS.DPL equals it for a consistent state). */
	v->cpl = (s->cr0 & X86_CR0_PE) ? s->cs.dpl : 0;
	vcpu_update_apx(v);
	return 0;
}

/* ---- FPU --------------------------------------------------------------- */

/* FXSAVE image offsets (SDM Vol. 1, table 10-2). */
#define FX_FCW		0u
#define FX_FSW		2u
#define FX_FTW		4u
#define FX_FOP		6u
#define FX_FIP		8u
#define FX_FDP		16u
#define FX_ST		32u
#define FX_XMM		160u
#define FX_XMM_END	416u

void vcpu_abi_get_fpu(struct vcpu *v, struct kvm_fpu *f)
{
	const uint8_t *fx = v->fpu.fxsave;

	memset(f, 0, sizeof(*f));
	memcpy(f->fpr, fx + FX_ST, sizeof(f->fpr));
	f->fcw = (__u16)get_le(fx + FX_FCW, 2);
	f->fsw = (__u16)get_le(fx + FX_FSW, 2);
	f->ftwx = fx[FX_FTW];
	f->last_opcode = (__u16)get_le(fx + FX_FOP, 2);
	f->last_ip = get_le(fx + FX_FIP, 8);
	f->last_dp = get_le(fx + FX_FDP, 8);
	memcpy(f->xmm, fx + FX_XMM, sizeof(f->xmm));
	f->mxcsr = vcpu_xsave_get_mxcsr(fx);
}

int vcpu_abi_set_fpu(struct vcpu *v, const struct kvm_fpu *f, char *err, size_t errlen)
{
	uint8_t *fx = v->fpu.fxsave;

	/* KVM copies MXCSR unchecked; a bad one would #GP the next FXRSTOR, so refuse it here. */
	if (f->mxcsr & ~(uint32_t)VCPU_MXCSR_MASK)
		return vcpu_errfmt(err, errlen, -EINVAL,
				     "MXCSR 0x%x has reserved bits set (mask 0x%x)",
				     f->mxcsr, VCPU_MXCSR_MASK);
	memcpy(fx + FX_ST, f->fpr, sizeof(f->fpr));
	put_le(fx + FX_FCW, 2, f->fcw);
	put_le(fx + FX_FSW, 2, f->fsw);
	fx[FX_FTW] = f->ftwx;
	fx[FX_FTW + 1] = 0;
	put_le(fx + FX_FOP, 2, f->last_opcode);
	put_le(fx + FX_FIP, 8, f->last_ip);
	put_le(fx + FX_FDP, 8, f->last_dp);
	memcpy(fx + FX_XMM, f->xmm, sizeof(f->xmm));
	put_le(fx + VCPU_XSAVE_MXCSR_OFFSET, 4, f->mxcsr);
	return 0;
}

/* ---- XSAVE ------------------------------------------------------------- */

static uint64_t xcr0_supported(const struct vcpu *v)
{
	return vcpu_cpu_model_xcr0_supported(vcpu_model_of(v));
}

size_t vcpu_abi_xsave_size(const struct vcpu *v)
{
	size_t std = vcpu_xstate_std_size(xcr0_supported(v));

	return std > VCPU_ABI_XSAVE_MIN_SIZE ? std : VCPU_ABI_XSAVE_MIN_SIZE;
}

int vcpu_abi_get_xsave2(struct vcpu *v, struct kvm_xsave *x, size_t size,
			char *err, size_t errlen)
{
	uint8_t *area = (uint8_t *)x->region;
	uint64_t bv = VCPU_XCR0_X87 | VCPU_XCR0_SSE;
	size_t need = vcpu_abi_xsave_size(v);

	if (size < need)
		return vcpu_errfmt(err, errlen, -E2BIG,
				     "XSAVE buffer of %zu bytes, the CPU model needs %zu", size, need);
	memset(area, 0, size);
	memcpy(area, v->fpu.fxsave, VCPU_XSAVE_LEGACY_SIZE);
	put_le(area + VCPU_XSAVE_MXCSR_MASK_OFFSET, 4, VCPU_MXCSR_MASK);
#ifdef CONFIG_APX
	if (xcr0_supported(v) & VCPU_XCR0_APX) {
		/* As the KVM APX series: regs[R16..R31] are the source, copied out here. */
		vcpu_xstate_apx_save(&v->regs, area);
		if (vcpu_xstate_apx_in_use(&v->regs))
			bv |= VCPU_XCR0_APX;
	}
#endif
	vcpu_xsave_set_xstate_bv(area, bv);
	return 0;
}

int vcpu_abi_get_xsave(struct vcpu *v, struct kvm_xsave *x)
{
	return vcpu_abi_get_xsave2(v, x, sizeof(*x), NULL, 0);
}

int vcpu_abi_set_xsave2(struct vcpu *v, const struct kvm_xsave *x, size_t size,
			char *err, size_t errlen)
{
	const uint8_t *area = (const uint8_t *)x->region;
	uint64_t allowed = xcr0_supported(v), bv;
	size_t need = vcpu_abi_xsave_size(v);
	uint8_t *fx = v->fpu.fxsave;
	uint32_t off;
	int rc;

	if (size < need)
		return vcpu_errfmt(err, errlen, -E2BIG,
				     "XSAVE buffer of %zu bytes, the CPU model needs %zu", size, need);
	bv = vcpu_xsave_get_xstate_bv(area);
	rc = vcpu_xsave_check_std(area, size, allowed, bv, VCPU_XSAVE_CHECK_ABI, &off);
	if (rc)
		return vcpu_errfmt(err, errlen, -EINVAL,
				     "%s (byte %u; XSTATE_BV 0x%" PRIx64 ", supported XCR0 0x%" PRIx64 ")",
				     vcpu_xsave_strerror(rc), off, bv, allowed);
	/* Checked: now commit.  A clear XSTATE_BV bit means "initial state". */
	if (bv & VCPU_XCR0_X87) {
		memcpy(fx, area, VCPU_XSAVE_MXCSR_OFFSET);
		memcpy(fx + FX_ST, area + FX_ST, FX_XMM - FX_ST);
	} else {
		memset(fx, 0, VCPU_XSAVE_MXCSR_OFFSET);
		memset(fx + FX_ST, 0, FX_XMM - FX_ST);
		put_le(fx + FX_FCW, 2, FCW_RESET);
	}
	if (bv & VCPU_XCR0_SSE) {
		memcpy(fx + FX_XMM, area + FX_XMM, FX_XMM_END - FX_XMM);
		memcpy(fx + VCPU_XSAVE_MXCSR_OFFSET, area + VCPU_XSAVE_MXCSR_OFFSET, 4);
	} else {
		memset(fx + FX_XMM, 0, FX_XMM_END - FX_XMM);
		put_le(fx + VCPU_XSAVE_MXCSR_OFFSET, 4, VCPU_MXCSR_RESET);
	}
	/* 416..511 hold no state, but keep the image byte-exact for snapshots. */
	memcpy(fx + FX_XMM_END, area + FX_XMM_END, VCPU_XSAVE_LEGACY_SIZE - FX_XMM_END);
#ifdef CONFIG_APX
	/* XSTATE_BV[19] clear: R16..R31 = 0, as XRSTOR's init optimization. */
	if (allowed & VCPU_XCR0_APX)
		vcpu_xstate_apx_load(&v->regs, area, !(bv & VCPU_XCR0_APX));
#endif
	return 0;
}

int vcpu_abi_set_xsave(struct vcpu *v, const struct kvm_xsave *x, char *err, size_t errlen)
{
	return vcpu_abi_set_xsave2(v, x, sizeof(*x), err, errlen);
}

/* ---- XCRS -------------------------------------------------------------- */

void vcpu_abi_get_xcrs(struct vcpu *v, struct kvm_xcrs *x)
{
	memset(x, 0, sizeof(*x));
	x->nr_xcrs = 1;
	x->xcrs[0].xcr = 0;
	x->xcrs[0].value = v->xcr0;
}

int vcpu_abi_set_xcrs(struct vcpu *v, const struct kvm_xcrs *x, char *err, size_t errlen)
{
	const struct vcpu_cpu_model *m = vcpu_model_of(v);
	uint64_t xcr0 = v->xcr0;

	/* KVM_SET_XCRS: -EINVAL for too many entries or any flag. */
	if (x->nr_xcrs > KVM_MAX_XCRS || x->flags)
		return vcpu_errfmt(err, errlen, -EINVAL, "nr_xcrs %u (max %u) / flags 0x%x",
				     x->nr_xcrs, KVM_MAX_XCRS, x->flags);
	for (uint32_t i = 0; i < x->nr_xcrs; i++) {
		int rc = vcpu_xsetbv_check(m, x->xcrs[i].xcr, x->xcrs[i].value);

		if (rc)
			return vcpu_errfmt(err, errlen, -EINVAL,
					     "xcrs[%u]: XCR%u = 0x%" PRIx64 " refused: %s (CPU model %s)",
					     i, x->xcrs[i].xcr, (uint64_t)x->xcrs[i].value,
					     vcpu_xsetbv_strerror(rc), m->name);
		xcr0 = x->xcrs[i].value;
	}
	v->xcr0 = xcr0;
	vcpu_update_apx(v);
	return 0;
}

/* ---- MSRS -------------------------------------------------------------- */

int vcpu_abi_get_msrs(struct vcpu *v, uint64_t host_now, struct kvm_msrs *m,
		      char *err, size_t errlen)
{
	if (m->nmsrs > VCPU_ABI_MSRS_MAX)
		return vcpu_errfmt(err, errlen, -E2BIG, "nmsrs %u (max %u)", m->nmsrs,
				     VCPU_ABI_MSRS_MAX);
	for (uint32_t i = 0; i < m->nmsrs; i++) {
		uint64_t val;

		if (vcpu_msr_read_at(v, m->entries[i].index, host_now, &val))
			return vcpu_errfmt(err, errlen, -EINVAL, "entries[%u]: unknown MSR 0x%x",
					     i, m->entries[i].index);
		m->entries[i].data = val;
	}
	return (int)m->nmsrs;
}

int vcpu_abi_set_msrs(struct vcpu *v, uint64_t host_now, const struct kvm_msrs *m,
		      char *err, size_t errlen)
{
	struct vcpu tmp;

	if (m->nmsrs > VCPU_ABI_MSRS_MAX)
		return vcpu_errfmt(err, errlen, -E2BIG, "nmsrs %u (max %u)", m->nmsrs,
				     VCPU_ABI_MSRS_MAX);
	/* All or nothing: apply to a copy, keep it only if every write passed. */
	tmp = *v;
	for (uint32_t i = 0; i < m->nmsrs; i++) {
		uint32_t idx = m->entries[i].index;

		if (vcpu_msr_write_at(&tmp, idx, host_now, m->entries[i].data)) {
			const char *name = vcpu_msr_name(idx);

			return vcpu_errfmt(err, errlen, -EINVAL,
					     "entries[%u]: MSR 0x%x (%s) refuses 0x%" PRIx64, i, idx,
					     name ? name : "unknown", (uint64_t)m->entries[i].data);
		}
	}
	*v = tmp;
	return (int)m->nmsrs;
}

/* ---- events ------------------------------------------------------------ */

void vcpu_abi_get_events(struct vcpu *v, struct kvm_vcpu_events *e)
{
	(void)v;
	memset(e, 0, sizeof(*e));
}

int vcpu_abi_set_events(struct vcpu *v, const struct kvm_vcpu_events *e, char *err,
			size_t errlen)
{
	(void)v;
	if (e->exception.injected || e->exception.pending || e->exception_has_payload ||
	    e->interrupt.injected || e->interrupt.shadow || e->nmi.injected ||
	    e->nmi.pending || e->nmi.masked || e->smi.smm || e->smi.pending ||
	    e->smi.latched_init || e->triple_fault.pending)
		return vcpu_errfmt(err, errlen, -EINVAL,
				     "pending or injected event: the vCPU has no interrupt "
				     "controller, NMI, SMM or queued exception to hold it");
	return 0;
}
