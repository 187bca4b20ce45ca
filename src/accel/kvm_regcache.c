/* SPDX-License-Identifier: MIT */
/*
 * The lazy register cache of the KVM backend (kvm.h): the cache_reg hook of
 * vcpu/regs.h fills a whole group on the first miss (RAX..R15+RIP+RFLAGS from
 * KVM_GET_REGS or the sync-regs area; R16..R31 from KVM_GET_XSAVE2), and
 * kvm_regcache_flush writes back only groups with a dirty register.
 *
 * Invariant: a register that is not available in v->regs has its current
 * value in KVM (and, in sync-regs mode, in run->s.regs, which KVM refreshes
 * on every exit).  Everything is available between attach and the first run.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "accel/kvm_internal.h"
#include "vcpu/abi.h"
#include "vcpu/xstate.h"

/* Bitmap groups of regs_avail/regs_dirty. */
#define LEGACY_MASK	((VCPU_REG_BIT(16) - 1) | VCPU_REG_BIT(VCPU_REG_RIP) | \
			 VCPU_REG_BIT(VCPU_REG_RFLAGS))
#define EGPR_MASK	(VCPU_REG_BIT(NR_VCPU_GENERAL_PURPOSE_REGS) - VCPU_REG_BIT(16))


void kvm_regcache_fill_regs(struct vcpu_regfile *rf, const struct kvm_regs *r)
{
	for (unsigned int i = 0; i < 16; i++) {
		if (vcpu_reg_is_available(rf, (enum vcpu_reg)i))
			continue;
		memcpy(&rf->regs[i], (const uint8_t *)r + vcpu_abi_kvm_regs_off[i], 8);
		vcpu_reg_mark_available(rf, (enum vcpu_reg)i);
	}
	if (!vcpu_reg_is_available(rf, VCPU_REG_RIP)) {
		rf->rip = r->rip;
		vcpu_reg_mark_available(rf, VCPU_REG_RIP);
	}
	if (!vcpu_reg_is_available(rf, VCPU_REG_RFLAGS)) {
		rf->rflags = r->rflags;
		vcpu_reg_mark_available(rf, VCPU_REG_RFLAGS);
	}
}

void kvm_regcache_store_regs(const struct vcpu_regfile *rf, struct kvm_regs *r)
{
	memset(r, 0, sizeof(*r));
	for (unsigned int i = 0; i < 16; i++)
		memcpy((uint8_t *)r + vcpu_abi_kvm_regs_off[i], &rf->regs[i], 8);
	r->rip = rf->rip;
	r->rflags = rf->rflags;
}

#ifdef CONFIG_APX
void kvm_regcache_apx_fill(struct vcpu_regfile *rf, const uint8_t *area)
{
	bool init = !(vcpu_xsave_get_xstate_bv(area) & VCPU_XCR0_APX);
	struct vcpu_regfile tmp;

	/* The ABI's conversion into a scratch file, then only the misses. */
	vcpu_regfile_init(&tmp, NULL);
	vcpu_xstate_apx_load(&tmp, area, init);
	for (unsigned int i = 16; i < NR_VCPU_GENERAL_PURPOSE_REGS; i++) {
		if (vcpu_reg_is_available(rf, (enum vcpu_reg)i))
			continue;
		rf->regs[i] = tmp.regs[i];
		vcpu_reg_mark_available(rf, (enum vcpu_reg)i);
	}
}

void kvm_regcache_apx_store(struct vcpu_regfile *rf, uint8_t *area)
{
	vcpu_xstate_apx_save(rf, area);
	vcpu_xsave_set_xstate_bv(area, vcpu_xsave_get_xstate_bv(area) | VCPU_XCR0_APX);
}
#endif

/* ---- finding the backend of a register file ----------------------------- */

/*
 * The hook gets only the register file.  struct vcpu has no backend
 * pointer, so live backends are kept in a list (one entry in practice;
 * only misses walk it, and each miss is followed by an ioctl anyway).
 */
static struct kvm_backend *kvm_backends;

static struct kvm_backend *find_backend(const struct vcpu_regfile *rf)
{
	for (struct kvm_backend *kb = kvm_backends; kb; kb = kb->next)
		if (&kb->v->regs == rf)
			return kb;
	return NULL;
}

static void set_broken(struct kvm_backend *kb, const char *what)
{
	if (kb->broken)
		return;
	kb->broken = true;
	snprintf(kb->why, sizeof(kb->why), "%s failed: %s", what, strerror(errno));
}

/* The legacy group: 0 or -1 (registers then read as 0, the run stops). */
static int fill_legacy(struct kvm_backend *kb)
{
	struct vcpu_regfile *rf = &kb->v->regs;
	struct kvm_regs r;

	if (kb->sync_regs) {
		kb->st.sync_fill++;
		kvm_regcache_fill_regs(rf, &kb->run->s.regs.regs);
		return 0;
	}
	if (kvm_vcpu_ioctl(kb, KVM_GET_REGS, &r, &kb->st.get_regs)) {
		set_broken(kb, "KVM_GET_REGS");
		memset(&r, 0, sizeof(r));
		kvm_regcache_fill_regs(rf, &r);
		return -1;
	}
	kvm_regcache_fill_regs(rf, &r);
	return 0;
}

#ifdef CONFIG_APX
static int get_xsave(struct kvm_backend *kb)
{
	if (kvm_vcpu_ioctl(kb, KVM_GET_XSAVE2, kb->xsave, &kb->st.get_xsave)) {
		set_broken(kb, "KVM_GET_XSAVE2");
		memset(kb->xsave, 0, kb->xsave_size);
		return -1;
	}
	return 0;
}
#endif

/* The EGPR group: from KVM's XSAVE with APX; without it they stay as they are (0). */
static int fill_egprs(struct kvm_backend *kb)
{
#ifdef CONFIG_APX
	struct vcpu_regfile *rf = &kb->v->regs;
	int rc = 0;

	if (kb->apx) {
		rc = get_xsave(kb);
		kvm_regcache_apx_fill(rf, kb->xsave);
		return rc;
	}
	rf->regs_avail |= EGPR_MASK;
	return rc;
#else
	(void)kb;
	return 0;
#endif
}

static void kvm_cache_reg(struct vcpu_regfile *rf, enum vcpu_reg reg)
{
	struct kvm_backend *kb = find_backend(rf);

	if (!kb) {
		/* Not ours any more (a bug): a defined value rather than garbage. */
		if ((unsigned int)reg < NR_VCPU_GENERAL_PURPOSE_REGS)
			rf->regs[reg] = 0;
		return;
	}
	if ((unsigned int)reg >= 16 && (unsigned int)reg < NR_VCPU_GENERAL_PURPOSE_REGS)
		fill_egprs(kb);
	else
		fill_legacy(kb);
}

void kvm_regcache_attach(struct kvm_backend *kb)
{
	struct vcpu_regfile *rf = &kb->v->regs;

	kb->next = kvm_backends;
	kvm_backends = kb;
	rf->cache_reg = kvm_cache_reg;
	rf->regs_avail = VCPU_REGS_ALL;
	rf->regs_dirty = 0;
}

int kvm_regcache_fetch_all(struct kvm_backend *kb)
{
	struct vcpu_regfile *rf = &kb->v->regs;
	int rc = 0;

	if ((rf->regs_avail & LEGACY_MASK) != LEGACY_MASK)
		rc |= fill_legacy(kb);
	if ((rf->regs_avail & EGPR_MASK) != EGPR_MASK)
		rc |= fill_egprs(kb);
	return rc ? -1 : 0;
}

void kvm_regcache_detach(struct kvm_backend *kb)
{
	struct vcpu_regfile *rf = &kb->v->regs;

	kvm_regcache_fetch_all(kb);
	for (struct kvm_backend **p = &kvm_backends; *p; p = &(*p)->next) {
		if (*p == kb) {
			*p = kb->next;
			break;
		}
	}
	rf->cache_reg = NULL;
	rf->regs_avail = VCPU_REGS_ALL;
	rf->regs_dirty = 0;
}

int kvm_regcache_flush(struct kvm_backend *kb)
{
	struct vcpu_regfile *rf = &kb->v->regs;
	uint64_t dirty = rf->regs_dirty;
	struct kvm_regs r;

	if (!dirty)
		return 0;
	if (dirty & LEGACY_MASK) {
		/* KVM_SET_REGS (and the sync area) take all 18: complete the group first. */
		if ((rf->regs_avail & LEGACY_MASK) != LEGACY_MASK && fill_legacy(kb))
			return -1;
		if (kb->sync_regs) {
			kvm_regcache_store_regs(rf, &kb->run->s.regs.regs);
			kb->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
			kb->st.sync_flush++;
		} else {
			kvm_regcache_store_regs(rf, &r);
			if (kvm_vcpu_ioctl(kb, KVM_SET_REGS, &r, &kb->st.set_regs)) {
				set_broken(kb, "KVM_SET_REGS");
				return -1;
			}
		}
	}
#ifdef CONFIG_APX
	if ((dirty & EGPR_MASK) && kb->apx) {
		/* Read-modify-write: the other components of the area are KVM's. */
		if (get_xsave(kb))
			return -1;
		kvm_regcache_apx_fill(rf, kb->xsave);
		kvm_regcache_apx_store(rf, kb->xsave);
		if (kvm_vcpu_ioctl(kb, KVM_SET_XSAVE, kb->xsave, &kb->st.set_xsave)) {
			set_broken(kb, "KVM_SET_XSAVE");
			return -1;
		}
	}
#endif
	vcpu_regs_mark_clean(rf);
	return 0;
}

void kvm_regcache_invalidate(struct kvm_backend *kb)
{
	struct vcpu_regfile *rf = &kb->v->regs;

	vcpu_regs_invalidate(rf);
	/* Without APX, KVM has no R16..R31: the values here stay the truth. */
	if (!kb->apx)
		rf->regs_avail |= EGPR_MASK;
}
