/* SPDX-License-Identifier: MIT */
/*
 * KVM_SET_CPUID2 for a model-based vCPU (abi.h, struct vcpu_cpuid_table):
 * an override table over the CPU model, validated as a whole, whose APX_F
 * bit picks the XCR0 rules the vCPU follows.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "vcpu/abi.h"
#include "vcpu/abi_internal.h"
#include "vcpu/xstate.h"

#define SIG		KVM_CPUID_FLAG_SIGNIFCANT_INDEX
#define LEAF_FEATURES	1u
#define LEAF_EXT7	7u
#define LEAF_XSTATE	0xdu
#define APX_COMP	19u

void vcpu_abi_cpuid_init(struct vcpu_cpuid_table *t, const struct vcpu *v)
{
	t->base = vcpu_model_of(v);
	t->nent = 0;
	memset(t->e, 0, sizeof(t->e));
}

static const struct kvm_cpuid_entry2 *lookup(const struct kvm_cpuid_entry2 *e, uint32_t n,
					     uint32_t leaf, uint32_t sub)
{
	for (uint32_t i = 0; i < n; i++)
		if (e[i].function == leaf && (!(e[i].flags & SIG) || e[i].index == sub))
			return &e[i];
	return NULL;
}

/* APX_F as a table with these entries shows it (the model's bit if not listed). */
static bool table_apx(const struct vcpu_cpu_model *base, const struct kvm_cpuid_entry2 *e,
		      uint32_t n)
{
	const struct kvm_cpuid_entry2 *x = lookup(e, n, LEAF_EXT7, 1);

	if (x)
		return x->edx & VCPU_CPUID_7_1_EDX_APX_F;
	return vcpu_cpu_model_has_apx(base);
}

void vcpu_abi_cpuid(const struct vcpu *v, const struct vcpu_cpuid_table *t,
		    uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	const struct kvm_cpuid_entry2 *e = lookup(t->e, t->nent, leaf, sub);
	uint64_t xcr0 = v->xcr0;

	if (!e) {
		vcpu_cpuid(t->base, v->cr4, xcr0, leaf, sub, out);
		/* APX hidden by the table: the model's other APX leaves go too. */
		if (vcpu_cpu_model_has_apx(t->base) && !table_apx(t->base, t->e, t->nent)) {
			uint64_t supp = vcpu_cpu_model_xcr0_supported(t->base) & ~VCPU_XCR0_APX;

			if ((leaf == LEAF_XSTATE && sub == APX_COMP) || leaf == VCPU_CPUID_LEAF_APX)
				memset(out, 0, 4 * sizeof(out[0]));
			if (leaf == LEAF_XSTATE && sub == 0) {
				out[0] = (uint32_t)supp;
				out[2] = vcpu_xstate_std_size(supp);
				out[3] = (uint32_t)(supp >> 32);
			}
		}
		return;
	}
	out[0] = e->eax;
	out[1] = e->ebx;
	out[2] = e->ecx;
	out[3] = e->edx;
	/* The dynamic bits follow the state, as on hardware. */
	if (leaf == LEAF_FEATURES) {
		out[2] &= ~VCPU_CPUID_1_ECX_OSXSAVE;
		if (v->cr4 & X86_CR4_OSXSAVE)
			out[2] |= VCPU_CPUID_1_ECX_OSXSAVE;
	}
	if (leaf == LEAF_XSTATE && sub == 0)
		out[1] = vcpu_xstate_std_size(xcr0);
	if (leaf == LEAF_XSTATE && sub == 1)
		out[1] = vcpu_xstate_compacted_size(xcr0);
}

static int check_table(const struct vcpu *v, const struct vcpu_cpu_model *base,
		       const struct kvm_cpuid2 *c, char *err, size_t errlen)
{
	const struct kvm_cpuid_entry2 *e = c->entries, *xs;
	bool apx;

	if (c->nent > VCPU_ABI_CPUID_MAX_ENTRIES)
		return vcpu_errfmt(err, errlen, -E2BIG, "nent %u (max %u)", c->nent,
				     VCPU_ABI_CPUID_MAX_ENTRIES);
	for (uint32_t i = 0; i < c->nent; i++) {
		if (e[i].flags & ~(uint32_t)SIG)
			return vcpu_errfmt(err, errlen, -EINVAL,
					     "entries[%u] (leaf 0x%x): flags 0x%x (only "
					     "SIGNIFCANT_INDEX is supported)", i, e[i].function,
					     e[i].flags);
		for (uint32_t j = 0; j < i; j++)
			if (e[j].function == e[i].function &&
			    (!(e[i].flags & SIG) || !(e[j].flags & SIG) || e[i].index == e[j].index))
				return vcpu_errfmt(err, errlen, -EINVAL,
						     "entries[%u] and [%u] both give leaf 0x%x "
						     "subleaf 0x%x", j, i, e[i].function, e[i].index);
	}
	apx = table_apx(base, e, c->nent);
	if (apx && !vcpu_cpu_model_has_apx(base))
		return vcpu_errfmt(err, errlen, -EINVAL,
				     "CPUID.(7,1):EDX[21] APX_F set, but CPU model %s has no APX",
				     base->name);
	if (!apx && (v->xcr0 & VCPU_XCR0_APX))
		return vcpu_errfmt(err, errlen, -EINVAL,
				     "the table hides APX, but XCR0 (0x%" PRIx64 ") has APX enabled",
				     v->xcr0);
	xs = lookup(e, c->nent, LEAF_XSTATE, 0);
	if (xs) {
		uint64_t sup = (uint64_t)xs->edx << 32 | xs->eax;
		uint64_t model = vcpu_cpu_model_xcr0_supported(base);
		uint64_t need = VCPU_XCR0_X87 | VCPU_XCR0_SSE;

		if ((sup & ~model) || (sup & need) != need)
			return vcpu_errfmt(err, errlen, -EINVAL,
					     "CPUID.(0DH,0) XCR0 mask 0x%" PRIx64 ": must include x87|SSE "
					     "and stay within the model's 0x%" PRIx64, sup, model);
		if (!!(sup & VCPU_XCR0_APX) != apx)
			return vcpu_errfmt(err, errlen, -EINVAL,
					     "CPUID.(0DH,0) XCR0 bit 19 disagrees with APX_F");
		if (v->xcr0 & ~sup)
			return vcpu_errfmt(err, errlen, -EINVAL,
					     "XCR0 0x%" PRIx64 " uses bits the table's CPUID.(0DH,0) "
					     "mask 0x%" PRIx64 " takes away", v->xcr0, sup);
	}
	return 0;
}

int vcpu_abi_set_cpuid2(struct vcpu *v, struct vcpu_cpuid_table *t,
			const struct kvm_cpuid2 *c, char *err, size_t errlen)
{
	int rc = check_table(v, t->base, c, err, errlen);
	bool apx;

	if (rc)
		return rc;
	t->nent = c->nent;
	memset(t->e, 0, sizeof(t->e));
	memcpy(t->e, c->entries, c->nent * sizeof(c->entries[0]));
	/* The vCPU's rules (XSETBV, XSAVE checks, REX2) follow the effective APX_F. */
	apx = table_apx(t->base, t->e, t->nent);
	v->model = apx || !vcpu_cpu_model_has_apx(t->base) ? t->base : &vcpu_cpu_model_noapx;
	v->cpuid_apx = apx;
	vcpu_update_apx(v);
	return 0;
}

int vcpu_abi_get_cpuid2(const struct vcpu_cpuid_table *t, struct kvm_cpuid2 *c)
{
	if (c->nent < t->nent) {
		c->nent = t->nent;
		return -E2BIG;
	}
	memcpy(c->entries, t->e, t->nent * sizeof(t->e[0]));
	c->nent = t->nent;
	return 0;
}

/* Append one leaf/subleaf as the guest sees it, if there is room. */
static void put_entry(const struct vcpu *v, const struct vcpu_cpuid_table *t,
		      struct kvm_cpuid2 *c, uint32_t cap, uint32_t *n,
		      uint32_t leaf, uint32_t sub, bool sig)
{
	uint32_t out[4];

	if (*n < cap) {
		vcpu_abi_cpuid(v, t, leaf, sub, out);
		c->entries[*n] = (struct kvm_cpuid_entry2){
			.function = leaf, .index = sub, .flags = sig ? SIG : 0,
			.eax = out[0], .ebx = out[1], .ecx = out[2], .edx = out[3],
		};
	}
	(*n)++;
}

/* Leaves with subleaves, and the subleaves to list. */
static void put_leaf(const struct vcpu *v, const struct vcpu_cpuid_table *t,
		     struct kvm_cpuid2 *c, uint32_t cap, uint32_t *n, uint32_t leaf)
{
	uint64_t supp = vcpu_cpu_model_xcr0_supported(v->model ? v->model : t->base);

	switch (leaf) {
	case LEAF_EXT7:
		put_entry(v, t, c, cap, n, leaf, 0, true);
		put_entry(v, t, c, cap, n, leaf, 1, true);
		return;
	case LEAF_XSTATE:
		put_entry(v, t, c, cap, n, leaf, 0, true);
		put_entry(v, t, c, cap, n, leaf, 1, true);
		for (uint32_t i = 2; i < 63; i++)
			if (supp & (UINT64_C(1) << i))
				put_entry(v, t, c, cap, n, leaf, i, true);
		return;
	case VCPU_CPUID_LEAF_APX:
		put_entry(v, t, c, cap, n, leaf, 0, true);
		return;
	}
	put_entry(v, t, c, cap, n, leaf, 0, false);
}

int vcpu_abi_supported_cpuid2(const struct vcpu *v, const struct vcpu_cpuid_table *t,
			      struct kvm_cpuid2 *c)
{
	uint32_t cap = c->nent, n = 0;

	for (uint32_t leaf = 0; leaf <= t->base->max_basic_leaf; leaf++)
		put_leaf(v, t, c, cap, &n, leaf);
	for (uint32_t leaf = 0x80000000u; leaf <= t->base->max_ext_leaf; leaf++)
		put_leaf(v, t, c, cap, &n, leaf);
	/* Table entries outside the model's ranges (e.g. 0x40000000). */
	for (uint32_t i = 0; i < t->nent; i++) {
		uint32_t f = t->e[i].function;

		if (f > t->base->max_basic_leaf && (f < 0x80000000u || f > t->base->max_ext_leaf)) {
			if (n < cap)
				c->entries[n] = t->e[i];
			n++;
		}
	}
	c->nent = n;
	return n > cap ? -E2BIG : 0;
}
