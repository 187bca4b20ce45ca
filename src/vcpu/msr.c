/* SPDX-License-Identifier: MIT */
/* The MSR table and its write rules (see msr.h). */
#include <stdbool.h>
#include <stddef.h>

#include "vcpu/msr.h"

/* What a write must satisfy (SDM Vol. 4 for each MSR; Vol. 2B WRMSR). */
enum msr_rule {
	RULE_ANY,	/* any 64-bit value */
	RULE_CANON,	/* a canonical address (48-bit: the models have no LA57) */
	RULE_LOW32,	/* bits 63:32 reserved */
	RULE_ZERO,	/* only 0 (XSS: no supervisor state components) */
	RULE_PAT,	/* each byte a valid memory type */
	RULE_EFER,
	RULE_APIC_BASE,	/* fixed value: a write of anything else is #GP */
	RULE_MISC,	/* only the fast-strings bit may change */
	RULE_TSC,	/* sets tsc_offset */
};

struct msr_desc {
	uint32_t index;
	const char *name;
	size_t offset;		/* of the uint64_t in struct vcpu (unused for TSC/APIC) */
	enum msr_rule rule;
};

#define F(field) offsetof(struct vcpu, field)

/* Sorted by index (vcpu_msr_index_list returns this order). */
static const struct msr_desc msrs[] = {
	{ VCPU_MSR_TSC, "IA32_TIME_STAMP_COUNTER", 0, RULE_TSC },
	{ VCPU_MSR_APIC_BASE, "IA32_APIC_BASE", 0, RULE_APIC_BASE },
	{ VCPU_MSR_MISC_ENABLE, "IA32_MISC_ENABLE", F(msr.misc_enable), RULE_MISC },
	{ VCPU_MSR_PAT, "IA32_PAT", F(msr.pat), RULE_PAT },
	{ VCPU_MSR_XSS, "IA32_XSS", F(msr.xss), RULE_ZERO },
	{ VCPU_MSR_EFER, "IA32_EFER", F(efer), RULE_EFER },
	{ VCPU_MSR_STAR, "IA32_STAR", F(msr.star), RULE_ANY },
	{ VCPU_MSR_LSTAR, "IA32_LSTAR", F(msr.lstar), RULE_CANON },
	{ VCPU_MSR_CSTAR, "IA32_CSTAR", F(msr.cstar), RULE_CANON },
	{ VCPU_MSR_SFMASK, "IA32_FMASK", F(msr.sfmask), RULE_LOW32 },
	{ VCPU_MSR_FS_BASE, "IA32_FS_BASE", F(fs_base), RULE_CANON },
	{ VCPU_MSR_GS_BASE, "IA32_GS_BASE", F(gs_base), RULE_CANON },
	{ VCPU_MSR_KERNEL_GS_BASE, "IA32_KERNEL_GS_BASE", F(msr.kernel_gs_base), RULE_CANON },
	{ VCPU_MSR_TSC_AUX, "IA32_TSC_AUX", F(msr.tsc_aux), RULE_LOW32 },
};

#define NMSRS (sizeof(msrs) / sizeof(msrs[0]))

static const struct msr_desc *msr_find(uint32_t idx)
{
	for (size_t i = 0; i < NMSRS; i++)
		if (msrs[i].index == idx)
			return &msrs[i];
	return NULL;
}

static uint64_t *msr_field(struct vcpu *v, const struct msr_desc *d)
{
	return (uint64_t *)(void *)((char *)v + d->offset);
}

static bool canonical48(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

/* PAT entries: UC(0) WC(1) WT(4) WP(5) WB(6) UC-(7); 2, 3 and >= 8 are reserved. */
static bool pat_valid(uint64_t pat)
{
	for (unsigned i = 0; i < 8; i++) {
		uint8_t t = (uint8_t)(pat >> (8 * i));

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

/*
 * EFER (SDM Vol. 3A, 2.2.1, and WRMSR): only SCE, LME, LMA, NXE exist (the
 * models offer SYSCALL and NX); LMA is the processor's: a write keeps the
 * current LMA (as KVM does); LME cannot change while paging is on.
 */
static int efer_write(struct vcpu *v, uint64_t val)
{
	const uint64_t known = X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE;

	if (val & ~known)
		return -1;
	if ((v->cr0 & X86_CR0_PG) && ((val ^ v->efer) & X86_EFER_LME))
		return -1;
	v->efer = (val & ~(uint64_t)X86_EFER_LMA) | (v->efer & X86_EFER_LMA);
	return 0;
}

uint64_t vcpu_tsc_read(const struct vcpu *v, uint64_t host_now)
{
	return host_now + v->msr.tsc_offset;
}

void vcpu_tsc_write(struct vcpu *v, uint64_t host_now, uint64_t val)
{
	v->msr.tsc_offset = val - host_now; /* modulo 2^64, as the counter wraps */
}

int vcpu_msr_read_at(struct vcpu *v, uint32_t idx, uint64_t host_now, uint64_t *val)
{
	const struct msr_desc *d = msr_find(idx);

	if (!d)
		return -1;
	switch (d->rule) {
	case RULE_TSC:
		*val = vcpu_tsc_read(v, host_now);
		return 0;
	case RULE_APIC_BASE:
		*val = VCPU_MSR_APIC_BASE_VALUE;
		return 0;
	default:
		*val = *msr_field(v, d);
		return 0;
	}
}

int vcpu_msr_write_at(struct vcpu *v, uint32_t idx, uint64_t host_now, uint64_t val)
{
	const struct msr_desc *d = msr_find(idx);
	uint64_t *f;

	if (!d)
		return -1;
	f = msr_field(v, d);
	switch (d->rule) {
	case RULE_ANY:
		break;
	case RULE_CANON:
		if (!canonical48(val))
			return -1;
		break;
	case RULE_LOW32:
		if (val >> 32)
			return -1;
		break;
	case RULE_ZERO:
		if (val)
			return -1;
		break;
	case RULE_PAT:
		if (!pat_valid(val))
			return -1;
		break;
	case RULE_EFER:
		return efer_write(v, val);
	case RULE_APIC_BASE:
		/* No APIC relocation, x2APIC or disable: only the value it has. */
		return val == VCPU_MSR_APIC_BASE_VALUE ? 0 : -1;
	case RULE_MISC:
		if ((val ^ *f) & ~VCPU_MSR_MISC_ENABLE_FAST_STRING)
			return -1;
		break;
	case RULE_TSC:
		vcpu_tsc_write(v, host_now, val);
		return 0;
	}
	*f = val;
	return 0;
}

int vcpu_msr_read(struct vcpu *v, uint32_t idx, uint64_t *val)
{
	return vcpu_msr_read_at(v, idx, 0, val);
}

int vcpu_msr_write(struct vcpu *v, uint32_t idx, uint64_t val)
{
	return vcpu_msr_write_at(v, idx, 0, val);
}

void vcpu_msr_reset(struct vcpu *v)
{
	v->efer = 0;
	v->fs_base = v->gs_base = 0;
	v->msr = (struct vcpu_msrs){
		.pat = VCPU_MSR_PAT_RESET,
		.misc_enable = VCPU_MSR_MISC_ENABLE_RESET,
		.apic_base = VCPU_MSR_APIC_BASE_VALUE,
	};
}

const char *vcpu_msr_name(uint32_t idx)
{
	const struct msr_desc *d = msr_find(idx);

	return d ? d->name : NULL;
}

size_t vcpu_msr_index_list(uint32_t *out, size_t max)
{
	for (size_t i = 0; i < NMSRS && i < max; i++)
		out[i] = msrs[i].index;
	return NMSRS;
}
