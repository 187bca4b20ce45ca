/* SPDX-License-Identifier: MIT */
/* The KVM backend's state, shared by kvm.c (VM, run loop) and kvm_regcache.c (the cache). */
#ifndef APXVM_ACCEL_KVM_INTERNAL_H
#define APXVM_ACCEL_KVM_INTERNAL_H

#include "accel/kvm.h"

#define KVM_WHY_LEN	320u

struct kvm_backend {
	int kvm_fd, vm_fd, vcpu_fd;
	struct kvm_run *run;
	size_t run_size;
	struct vcpu *v;
	struct kvm_backend_io io;
	bool apx;          /* R16..R31 live in KVM's XSAVE component 19 */
	bool sync_regs;    /* GPRs through run->s.regs (KVM_CAP_SYNC_REGS) */
	bool need_load;    /* struct vcpu is newer than KVM: sync_in before running */
	bool broken;       /* an ioctl of the cache failed: why[] says which */
	uint8_t *xsave;    /* KVM_GET_XSAVE2-sized buffer */
	size_t xsave_size;
	struct kvm_backend_stats st;
	char why[KVM_WHY_LEN];
	struct kvm_backend *next;   /* the list kvm_regcache.c finds backends in */
};

/* ioctl on the vCPU fd, counted in *ctr; retries EINTR except for KVM_RUN. */
int kvm_vcpu_ioctl(struct kvm_backend *kb, unsigned long req, void *arg, uint64_t *ctr);

/* Install the hook: every register available in struct vcpu, nothing dirty. */
void kvm_regcache_attach(struct kvm_backend *kb);
/* Fetch whatever is not available, then remove the hook. */
void kvm_regcache_detach(struct kvm_backend *kb);
/* Write dirty registers back (before KVM_RUN).  0, or -1 with kb->why set. */
int kvm_regcache_flush(struct kvm_backend *kb);
/* After KVM_RUN: what KVM holds is no longer cached. */
void kvm_regcache_invalidate(struct kvm_backend *kb);
/* Make every register available (one GET per group at most).  0 or -1. */
int kvm_regcache_fetch_all(struct kvm_backend *kb);

#endif
