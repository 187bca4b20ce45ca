/* SPDX-License-Identifier: MIT */
/*
 * The guest CPUID of the KVM backend: the VMM's CPU model (vcpu_cpuid), with
 * every feature register limited to what KVM_GET_SUPPORTED_CPUID offers.
 * Identification (vendor, signature, brand, leaf counts) and the XSAVE
 * layout stay the model's; KVM keeps OSXSAVE and CPUID.(0DH,0):EBX in step
 * with CR4 and XCR0 at run time, as vcpu_cpuid does.
 */
#include <errno.h>
#include <string.h>

#include "accel/kvm.h"

enum feat_op {
	FEAT_AND,	/* feature bits: model & host */
	FEAT_MIN8,	/* 0x80000008 EAX: bytes 0 and 1 are widths, take the smaller */
};

/* Registers that carry features, by (leaf, subleaf); regs: bit n = out[n]. */
static const struct {
	uint32_t leaf, sub;
	uint8_t regs;
	uint8_t op;
} feature_regs[] = {
	{ 1, 0, 0xc, FEAT_AND },		/* ECX, EDX */
	{ 7, 0, 0xe, FEAT_AND },		/* EBX, ECX, EDX */
	{ 7, 1, 0x9, FEAT_AND },		/* EAX, EDX (APX_F is EDX[21]) */
	{ 0xd, 0, 0x9, FEAT_AND },		/* EAX, EDX: supported XCR0 */
	{ 0xd, 1, 0x1, FEAT_AND },		/* EAX: XSAVEOPT, XSAVEC, ... */
	{ VCPU_CPUID_LEAF_APX, 0, 0x2, FEAT_AND },
	{ 0x80000001u, 0, 0xc, FEAT_AND },	/* ECX, EDX */
	{ 0x80000008u, 0, 0x1, FEAT_MIN8 },
};

/* Leaves whose subleaf selects the data (KVM_CPUID_FLAG_SIGNIFCANT_INDEX). */
static bool indexed_leaf(uint32_t leaf)
{
	static const uint32_t leaves[] = { 4, 7, 0xb, 0xd, 0xf, 0x10, 0x12, 0x14, 0x17,
					   0x18, 0x1d, 0x1e, 0x1f, 0x24, VCPU_CPUID_LEAF_APX,
					   0x8000001du, 0x80000020u, 0x80000026u };

	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		if (leaves[i] == leaf)
			return true;
	return false;
}

static const struct kvm_cpuid_entry2 *find(const struct kvm_cpuid2 *c, uint32_t leaf,
					   uint32_t sub)
{
	for (uint32_t i = 0; i < c->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function == leaf &&
		    (e->index == sub || !(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX)))
			return e;
	}
	return NULL;
}

static uint32_t reg_of(const struct kvm_cpuid_entry2 *e, unsigned int r)
{
	const uint32_t v[4] = { e->eax, e->ebx, e->ecx, e->edx };

	return v[r];
}

static uint32_t min8x2(uint32_t a, uint32_t b)
{
	uint32_t lo = (a & 0xff) < (b & 0xff) ? (a & 0xff) : (b & 0xff);
	uint32_t hi = (a & 0xff00) < (b & 0xff00) ? (a & 0xff00) : (b & 0xff00);

	return (a & ~0xffffu) | hi | lo;
}

/* Limit out[] (the model's leaf) to the host's features. */
static void intersect(const struct kvm_cpuid2 *supported, uint32_t leaf, uint32_t sub,
		      uint32_t out[4])
{
	const struct kvm_cpuid_entry2 *h = find(supported, leaf, sub);

	for (size_t i = 0; i < sizeof(feature_regs) / sizeof(feature_regs[0]); i++) {
		if (feature_regs[i].leaf != leaf || feature_regs[i].sub != sub)
			continue;
		for (unsigned int r = 0; r < 4; r++) {
			uint32_t host;

			if (!(feature_regs[i].regs & (1u << r)))
				continue;
			host = h ? reg_of(h, r) : 0;
			if (feature_regs[i].op == FEAT_MIN8)
				out[r] = h ? min8x2(out[r], host) : out[r];
			else if (leaf == 1 && r == 2)
				/* OSXSAVE is the guest's CR4, never in the supported list. */
				out[r] &= host | VCPU_CPUID_1_ECX_OSXSAVE;
			else
				out[r] &= host;
		}
	}
}

static int add(struct kvm_cpuid2 *out, uint32_t cap, const struct vcpu_cpu_model *m,
	       const struct kvm_cpuid2 *supported, uint32_t leaf, uint32_t sub)
{
	struct kvm_cpuid_entry2 *e;
	uint32_t v[4];

	if (out->nent >= cap)
		return -E2BIG;
	/* CR4 = 0, XCR0 = x87: the reset values; KVM updates the dynamic bits. */
	vcpu_cpuid(m, 0, VCPU_XCR0_X87, leaf, sub, v);
	intersect(supported, leaf, sub, v);
	e = &out->entries[out->nent++];
	memset(e, 0, sizeof(*e));
	e->function = leaf;
	e->index = sub;
	e->flags = indexed_leaf(leaf) ? KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0;
	e->eax = v[0];
	e->ebx = v[1];
	e->ecx = v[2];
	e->edx = v[3];
	return 0;
}

uint64_t kvm_cpuid_xcr0(const struct kvm_cpuid2 *c)
{
	const struct kvm_cpuid_entry2 *e = find(c, 0xd, 0);

	return e ? (uint64_t)e->edx << 32 | e->eax : 0;
}

bool kvm_cpuid_has_apx(const struct kvm_cpuid2 *supported)
{
	const struct kvm_cpuid_entry2 *e = find(supported, 7, 1);

	return e && (e->edx & VCPU_CPUID_7_1_EDX_APX_F) &&
	       (kvm_cpuid_xcr0(supported) & VCPU_XCR0_APX);
}

int kvm_cpuid_build(const struct vcpu_cpu_model *m, const struct kvm_cpuid2 *supported,
		    struct kvm_cpuid2 *out, uint32_t cap)
{
	uint32_t v[4], max_basic, max_ext;
	uint64_t xcr0;
	int rc = 0;

	out->nent = 0;
	vcpu_cpuid(m, 0, VCPU_XCR0_X87, 0, 0, v);
	max_basic = v[0];
	vcpu_cpuid(m, 0, VCPU_XCR0_X87, 0x80000000u, 0, v);
	max_ext = v[0];
	xcr0 = vcpu_cpu_model_xcr0_supported(m) & kvm_cpuid_xcr0(supported);

	for (uint32_t leaf = 0; leaf <= max_basic && !rc; leaf++) {
		rc = add(out, cap, m, supported, leaf, 0);
		if (leaf == 7 && !rc)
			rc = add(out, cap, m, supported, 7, 1);
		/* 0xD: subleaf 1, then one per XSAVE component both sides support. */
		for (uint32_t sub = 1; leaf == 0xd && sub < 63 && !rc; sub++)
			if (sub == 1 || (xcr0 & (UINT64_C(1) << sub)))
				rc = add(out, cap, m, supported, 0xd, sub);
	}
	for (uint32_t leaf = 0x80000000u; leaf <= max_ext && leaf >= 0x80000000u && !rc; leaf++)
		rc = add(out, cap, m, supported, leaf, 0);
	return rc ? rc : (int)out->nent;
}
