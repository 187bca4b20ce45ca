/* SPDX-License-Identifier: MIT */
/*
 * The KVM backend: the same VMM (RAM, boot state, port devices) on
 * /dev/kvm.  One VM with one memory slot over the RAM struct vm already
 * mmaps, one vCPU whose CPUID is the VMM's CPU model intersected with
 * KVM_GET_SUPPORTED_CPUID, and a run loop that returns the exit kinds of
 * the software backend (accel/soft.h).
 *
 * Register cache (vcpu/regs.h): the backend installs the cache_reg hook of
 * v->regs.  After an exit nothing is read from KVM; the first read of RAX..R15,
 * RIP or RFLAGS fetches all 18 with one KVM_GET_REGS (or from the kvm_run
 * sync-regs area with KVM_BACKEND_SYNC_REGS), the first read of R16..R31 all
 * 16 from one KVM_GET_XSAVE2 (APX component 19).  Writes mark registers
 * dirty; before the next KVM_RUN only dirty groups are written back
 * (KVM_SET_REGS or the sync area; KVM_SET_XSAVE).  An I/O exit whose device
 * looks at no register costs exactly one KVM_RUN (kvm_backend_stats counts).
 *
 * Everything else of struct vcpu (segments, control registers, XCR0, x87/SSE,
 * MSRs) is copied explicitly: kvm_backend_sync_in (VMM -> KVM; done by the
 * first kvm_backend_run and after kvm_backend_mark_stale) and
 * kvm_backend_sync_out (KVM -> VMM, for dumps and snapshots).
 *
 * EGPRs: decided once by kvm_backend_create.  A CPU model with APX needs
 * APX_F in KVM_GET_SUPPORTED_CPUID and XCR0[19] supported, else create fails
 * with a message saying so (`--accel auto` then takes the software CPU).
 *
 * KVM semantics the VMM sees: during an I/O exit RIP still points at the
 * I/O instruction (KVM advances it when the next KVM_RUN completes the
 * access).  When a run ends on an OUT (the io.stop callback said so), the
 * backend completes that OUT with one KVM_RUN with immediate_exit set, so
 * the final state has RIP after the OUT, as on the software backend.
 * There is no instruction count: --max-insns cannot be honoured; the
 * timeout uses a POSIX timer whose signal sets kvm_run.immediate_exit.
 */
#ifndef APXVM_ACCEL_KVM_H
#define APXVM_ACCEL_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/kvm.h>

#include "vcpu/cpuid.h"
#include "vcpu/vcpu.h"
#include "x86/interp.h"

struct kvm_backend;

/* Port I/O goes to the VMM's bus through these (all but opaque required). */
struct kvm_backend_io {
	uint32_t (*in)(void *opaque, uint16_t port, unsigned bytes);
	void (*out)(void *opaque, uint16_t port, unsigned bytes, uint32_t val);
	/* Polled after each OUT: true ends the run with X86_EXIT_IO (the exit port). */
	bool (*stop)(void *opaque);
	void *opaque;
};

/* kvm_backend_create flags */
#define KVM_BACKEND_SYNC_REGS	(1u << 0)	/* use the kvm_run sync-regs area if KVM has it */

/* ioctls on the vCPU, by kind: what the cache saves is measured here. */
struct kvm_backend_stats {
	uint64_t run;            /* KVM_RUN that may enter the guest */
	uint64_t run_complete;   /* KVM_RUN with immediate_exit: completes a pending OUT */
	uint64_t get_regs, set_regs;
	uint64_t get_sregs, set_sregs;
	uint64_t get_xsave, set_xsave;
	uint64_t other;          /* XCRS, MSRS, CPUID */
	uint64_t exit_io;        /* KVM_EXIT_IO handled */
	uint64_t sync_fill;      /* GPR fills served by the sync-regs area (no ioctl) */
	uint64_t sync_flush;     /* GPR write-backs through the sync-regs area (no ioctl) */
};

/* 0 if /dev/kvm opens and speaks API 12; else -1 and a message. */
int kvm_backend_available(char *err, size_t errlen);

/*
 * 0 if this host's KVM can offer CPU model m (APX needs APX_F and XCR0[19]
 * in KVM_GET_SUPPORTED_CPUID); else -1 and a message naming what is missing.
 */
int kvm_backend_check_model(const struct vcpu_cpu_model *m, char *err, size_t errlen);

/*
 * VM over [ram, ram + ram_size) at guest-physical 0 (ram_size a multiple of
 * 4 KiB), one vCPU for v (v->model is the CPU model).  Installs the cache
 * hook on v->regs; struct vcpu stays the source of truth until the first run
 * copies it in.  NULL and a message on failure (nothing left open).
 */
struct kvm_backend *kvm_backend_create(struct vcpu *v, uint8_t *ram, uint64_t ram_size,
				       const struct kvm_backend_io *io, unsigned flags,
				       char *err, size_t errlen);

/* Leaves every register available in v->regs (fetched if need be), no hook. */
void kvm_backend_destroy(struct kvm_backend *kb);

/*
 * Run until a stop: X86_EXIT_IO (io.stop said so), X86_EXIT_HLT,
 * X86_EXIT_SHUTDOWN (triple fault), X86_EXIT_LIMIT (timeout_sec > 0 passed)
 * or X86_EXIT_INTERNAL (KVM_RUN failed, KVM_EXIT_INTERNAL_ERROR,
 * FAIL_ENTRY, MMIO or another exit the VMM does not handle; an ioctl of the
 * cache failed).  kvm_backend_why gives the message of every stop but IO.
 * After an INTERNAL stop caused by a failed ioctl, the backend refuses to run.
 */
enum x86_exit kvm_backend_run(struct kvm_backend *kb, double timeout_sec);
const char *kvm_backend_why(const struct kvm_backend *kb);

/* struct vcpu -> KVM: sregs, regs, XCR0, XSAVE, MSRs (and R16..R31 with APX). */
int kvm_backend_sync_in(struct kvm_backend *kb, char *err, size_t errlen);
/* The next run does sync_in first (after the VMM changed struct vcpu beyond GPRs). */
void kvm_backend_mark_stale(struct kvm_backend *kb);
/* KVM -> struct vcpu: the same set, through the state-ABI set functions. */
int kvm_backend_sync_out(struct kvm_backend *kb, char *err, size_t errlen);

/* Registers and control state straight from KVM, plus the last exit. */
void kvm_backend_dump(struct kvm_backend *kb, FILE *f);

const struct kvm_backend_stats *kvm_backend_stats(const struct kvm_backend *kb);
bool kvm_backend_has_apx(const struct kvm_backend *kb);
bool kvm_backend_uses_sync_regs(const struct kvm_backend *kb);
int kvm_backend_vcpu_fd(const struct kvm_backend *kb);   /* for tests and benchmarks */

/* ---- pure helpers (no /dev/kvm), exported for the tests ---------------- */

/* Legacy GPRs, RIP, RFLAGS not available in rf <- r; marks them available. */
void kvm_regcache_fill_regs(struct vcpu_regfile *rf, const struct kvm_regs *r);
/* All of them (they must be available) -> r. */
void kvm_regcache_store_regs(const struct vcpu_regfile *rf, struct kvm_regs *r);
#ifdef CONFIG_APX
/*
 * R16..R31 not available in rf <- the APX component of a standard-format
 * XSAVE area (XSTATE_BV[19] = 0: the initial value 0); marks them available.
 * Through vcpu_xstate_apx_load, the state ABI's conversion.
 */
void kvm_regcache_apx_fill(struct vcpu_regfile *rf, const uint8_t *area);
/* R16..R31 (available) -> the area at 960, XSTATE_BV[19] set. */
void kvm_regcache_apx_store(struct vcpu_regfile *rf, uint8_t *area);
#endif

/*
 * The guest's CPUID: every leaf of model m, feature registers ANDed with
 * `supported` (KVM_GET_SUPPORTED_CPUID), MAXPHYADDR/linear-address widths
 * the smaller of the two.  out has room for `cap` entries; returns the
 * count, or -E2BIG.
 */
int kvm_cpuid_build(const struct vcpu_cpu_model *m, const struct kvm_cpuid2 *supported,
		    struct kvm_cpuid2 *out, uint32_t cap);
/* APX_F (7.1 EDX[21]) and XCR0[19] (0xD.0 EAX) both in `supported`. */
bool kvm_cpuid_has_apx(const struct kvm_cpuid2 *supported);
/* XCR0 bits of leaf 0xD.0 EDX:EAX in a CPUID table (0 if absent). */
uint64_t kvm_cpuid_xcr0(const struct kvm_cpuid2 *c);

/* One line about the exit in `run` (reason name and its fields). */
void kvm_exit_describe(const struct kvm_run *run, char *buf, size_t len);

#endif
