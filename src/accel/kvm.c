/* SPDX-License-Identifier: MIT */
/*
 * The KVM backend (kvm.h): VM and vCPU setup, the run loop with port I/O and
 * exits, the --timeout timer, and the explicit state copies.  The register
 * cache is kvm_regcache.c, the guest CPUID kvm_cpuid.c.
 */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "accel/kvm_internal.h"
#include "vcpu/abi.h"
#include "vcpu/errfmt.h"
#include "vcpu/msr.h"

#define KVM_API_VERSION_EXPECTED	12
#define KVM_CPUID_CAP			256u
/* Where VT-x without unrestricted guest wants its real-mode TSS (3 pages, not RAM). */
#define KVM_TSS_ADDR			UINT64_C(0xfffbd000)
/* The --timeout timer's signal: a real-time one, so SIGALRM stays the program's. */
#define KVM_TIMER_SIGNAL		(SIGRTMIN + 2)

/* MSRs copied both ways (EFER and the FS/GS bases travel in sregs). */
static const uint32_t kvm_msr_list[] = {
	VCPU_MSR_STAR, VCPU_MSR_LSTAR, VCPU_MSR_CSTAR, VCPU_MSR_SFMASK,
	VCPU_MSR_KERNEL_GS_BASE, VCPU_MSR_PAT,
};
#define KVM_NR_MSRS	(sizeof(kvm_msr_list) / sizeof(kvm_msr_list[0]))

/* struct kvm_msrs ends in a flexible array: give it room for the list. */
union kvm_msrs_buf {
	struct kvm_msrs m;
	uint8_t bytes[sizeof(struct kvm_msrs) + KVM_NR_MSRS * sizeof(struct kvm_msr_entry)];
};

/* The shared "format into err, return -1" helper of the vCPU ABI. */
#define fail(err, errlen, ...)	vcpu_errfmt(err, errlen, -1, __VA_ARGS__)

int kvm_vcpu_ioctl(struct kvm_backend *kb, unsigned long req, void *arg, uint64_t *ctr)
{
	int r;

	do {
		(*ctr)++;
		r = ioctl(kb->vcpu_fd, req, arg);
	} while (r < 0 && errno == EINTR && req != KVM_RUN);
	return r < 0 ? -1 : r;
}

/* ---- host capabilities --------------------------------------------------- */

static int open_kvm(char *err, size_t errlen)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int ver;

	if (fd < 0)
		return fail(err, errlen, "cannot open /dev/kvm: %s", strerror(errno));
	ver = ioctl(fd, KVM_GET_API_VERSION, 0);
	if (ver != KVM_API_VERSION_EXPECTED) {
		close(fd);
		return fail(err, errlen, "/dev/kvm speaks API %d, not %d", ver,
			    KVM_API_VERSION_EXPECTED);
	}
	return fd;
}

/* KVM_GET_SUPPORTED_CPUID into a fresh table (free it), or NULL. */
static struct kvm_cpuid2 *supported_cpuid(int kvm_fd, char *err, size_t errlen)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + KVM_CPUID_CAP * sizeof(c->entries[0]));

	if (!c) {
		fail(err, errlen, "out of memory");
		return NULL;
	}
	c->nent = KVM_CPUID_CAP;
	if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0) {
		fail(err, errlen, "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
		free(c);
		return NULL;
	}
	return c;
}

int kvm_backend_available(char *err, size_t errlen)
{
	int fd = open_kvm(err, errlen);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int model_fits(const struct vcpu_cpu_model *m, const struct kvm_cpuid2 *supp,
		      char *err, size_t errlen)
{
	uint64_t want = vcpu_cpu_model_xcr0_supported(m), have = kvm_cpuid_xcr0(supp);

	if (vcpu_cpu_model_has_apx(m) && !kvm_cpuid_has_apx(supp))
		return fail(err, errlen, "CPU model '%s' has APX, but this host's KVM does not "
			    "offer it (APX_F = CPUID.(7,1):EDX[21] and XCR0[19] in "
			    "KVM_GET_SUPPORTED_CPUID); use --cpu noapx or --accel soft", m->name);
	if (want & ~have)
		return fail(err, errlen, "CPU model '%s' needs XCR0 0x%" PRIx64 ", KVM supports "
			    "0x%" PRIx64, m->name, want, have);
	return 0;
}

int kvm_backend_check_model(const struct vcpu_cpu_model *m, char *err, size_t errlen)
{
	struct kvm_cpuid2 *supp;
	int fd = open_kvm(err, errlen), rc;

	if (fd < 0)
		return -1;
	supp = supported_cpuid(fd, err, errlen);
	rc = supp ? model_fits(m, supp, err, errlen) : -1;
	free(supp);
	close(fd);
	return rc;
}

/* ---- create / destroy ---------------------------------------------------- */

static int setup_vm(struct kvm_backend *kb, uint8_t *ram, uint64_t ram_size,
		    char *err, size_t errlen)
{
	struct kvm_userspace_memory_region slot = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = ram_size,
		.userspace_addr = (uint64_t)(uintptr_t)ram,
	};
	int sz;

	kb->vm_fd = ioctl(kb->kvm_fd, KVM_CREATE_VM, 0);
	if (kb->vm_fd < 0)
		return fail(err, errlen, "KVM_CREATE_VM: %s", strerror(errno));
	if (ioctl(kb->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
		return fail(err, errlen, "KVM_SET_USER_MEMORY_REGION (%" PRIu64 " MiB): %s",
			    ram_size >> 20, strerror(errno));
	/* Only VT-x without unrestricted guest uses it (real mode); it must not overlap RAM. */
	if (ram_size <= KVM_TSS_ADDR)
		(void)ioctl(kb->vm_fd, KVM_SET_TSS_ADDR, (unsigned long)KVM_TSS_ADDR);
	kb->vcpu_fd = ioctl(kb->vm_fd, KVM_CREATE_VCPU, 0);
	if (kb->vcpu_fd < 0)
		return fail(err, errlen, "KVM_CREATE_VCPU: %s", strerror(errno));
	sz = ioctl(kb->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz < (int)sizeof(struct kvm_run))
		return fail(err, errlen, "KVM_GET_VCPU_MMAP_SIZE: %d", sz);
	kb->run = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, kb->vcpu_fd, 0);
	if (kb->run == MAP_FAILED) {
		kb->run = NULL;
		return fail(err, errlen, "mmap of kvm_run: %s", strerror(errno));
	}
	kb->run_size = (size_t)sz;
	return 0;
}

static int setup_cpuid(struct kvm_backend *kb, const struct vcpu_cpu_model *m,
		       const struct kvm_cpuid2 *supp, char *err, size_t errlen)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + KVM_CPUID_CAP * sizeof(c->entries[0]));
	int n;

	if (!c)
		return fail(err, errlen, "out of memory");
	n = kvm_cpuid_build(m, supp, c, KVM_CPUID_CAP);
	if (n < 0 || kvm_vcpu_ioctl(kb, KVM_SET_CPUID2, c, &kb->st.other)) {
		free(c);
		return fail(err, errlen, "KVM_SET_CPUID2 (%d entries): %s", n,
			    n < 0 ? "too many" : strerror(errno));
	}
	free(c);
	return 0;
}

static int setup_xsave(struct kvm_backend *kb, char *err, size_t errlen)
{
	int n = ioctl(kb->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE2);
	size_t size = n > 0 ? (size_t)n : VCPU_ABI_XSAVE_MIN_SIZE;

	if (size < vcpu_abi_xsave_size(kb->v))
		size = vcpu_abi_xsave_size(kb->v);
	kb->xsave = aligned_alloc(64, (size + 63) & ~(size_t)63);
	if (!kb->xsave)
		return fail(err, errlen, "out of memory");
	kb->xsave_size = size;
	memset(kb->xsave, 0, size);
	return 0;
}

struct kvm_backend *kvm_backend_create(struct vcpu *v, uint8_t *ram, uint64_t ram_size,
				       const struct kvm_backend_io *io, unsigned flags,
				       char *err, size_t errlen)
{
	const struct vcpu_cpu_model *m = vcpu_model_of(v);
	struct kvm_cpuid2 *supp = NULL;
	struct kvm_backend *kb;
	int caps;

	if (!io || !io->in || !io->out || !io->stop || !ram || !ram_size || (ram_size & 0xfff) ||
	    ((uintptr_t)ram & 0xfff)) {
		fail(err, errlen, "kvm_backend_create: bad arguments");
		return NULL;
	}
	kb = calloc(1, sizeof(*kb));
	if (!kb) {
		fail(err, errlen, "out of memory");
		return NULL;
	}
	kb->vm_fd = kb->vcpu_fd = -1;
	kb->v = v;
	kb->io = *io;
	kb->kvm_fd = open_kvm(err, errlen);
	if (kb->kvm_fd < 0)
		goto out_fail;
	supp = supported_cpuid(kb->kvm_fd, err, errlen);
	if (!supp || model_fits(m, supp, err, errlen))
		goto out_fail;
	kb->apx = vcpu_cpu_model_has_apx(m);
	if (setup_vm(kb, ram, ram_size, err, errlen) || setup_cpuid(kb, m, supp, err, errlen) ||
	    setup_xsave(kb, err, errlen))
		goto out_fail;
	caps = ioctl(kb->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS);
	if ((flags & KVM_BACKEND_SYNC_REGS) && caps > 0 && (caps & KVM_SYNC_X86_REGS)) {
		kb->sync_regs = true;
		kb->run->kvm_valid_regs = KVM_SYNC_X86_REGS;
	}
	free(supp);
	kb->need_load = true;
	kvm_regcache_attach(kb);
	return kb;

out_fail:
	free(supp);
	kb->v = NULL;
	kvm_backend_destroy(kb);
	return NULL;
}

void kvm_backend_destroy(struct kvm_backend *kb)
{
	if (!kb)
		return;
	if (kb->v)
		kvm_regcache_detach(kb);
	if (kb->run)
		munmap(kb->run, kb->run_size);
	if (kb->vcpu_fd >= 0)
		close(kb->vcpu_fd);
	if (kb->vm_fd >= 0)
		close(kb->vm_fd);
	if (kb->kvm_fd >= 0)
		close(kb->kvm_fd);
	free(kb->xsave);
	free(kb);
}

/* ---- state copies -------------------------------------------------------- */

static void msr_indices(union kvm_msrs_buf *b)
{
	memset(b, 0, sizeof(*b));
	b->m.nmsrs = KVM_NR_MSRS;
	for (size_t i = 0; i < KVM_NR_MSRS; i++)
		b->m.entries[i].index = kvm_msr_list[i];
}

int kvm_backend_sync_in(struct kvm_backend *kb, char *err, size_t errlen)
{
	struct vcpu *v = kb->v;
	union kvm_msrs_buf msrs;
	struct kvm_sregs s;
	struct kvm_regs r;
	struct kvm_xcrs x;
	int n;

	/* Every register must be in regs[] to be written: fetch what KVM holds. */
	if (kvm_regcache_fetch_all(kb))
		return fail(err, errlen, "%s", kb->why);
	vcpu_abi_get_sregs(v, &s);
	if (kvm_vcpu_ioctl(kb, KVM_SET_SREGS, &s, &kb->st.set_sregs))
		return fail(err, errlen, "KVM_SET_SREGS refused the state: %s", strerror(errno));
	vcpu_abi_get_regs(v, &r);
	if (kvm_vcpu_ioctl(kb, KVM_SET_REGS, &r, &kb->st.set_regs))
		return fail(err, errlen, "KVM_SET_REGS: %s", strerror(errno));
	vcpu_abi_get_xcrs(v, &x);
	if (kvm_vcpu_ioctl(kb, KVM_SET_XCRS, &x, &kb->st.other))
		return fail(err, errlen, "KVM_SET_XCRS (XCR0 0x%" PRIx64 "): %s",
			    (uint64_t)v->xcr0, strerror(errno));
	if (vcpu_abi_get_xsave2(v, (struct kvm_xsave *)(void *)kb->xsave, kb->xsave_size, err,
				errlen))
		return -1;
	if (kvm_vcpu_ioctl(kb, KVM_SET_XSAVE, kb->xsave, &kb->st.set_xsave))
		return fail(err, errlen, "KVM_SET_XSAVE: %s", strerror(errno));
	msr_indices(&msrs);
	if (vcpu_abi_get_msrs(v, 0, &msrs.m, err, errlen) < 0)
		return -1;
	n = kvm_vcpu_ioctl(kb, KVM_SET_MSRS, &msrs, &kb->st.other);
	if (n != (int)KVM_NR_MSRS)
		return fail(err, errlen, "KVM_SET_MSRS refused MSR 0x%x (= 0x%" PRIx64 ")",
			    n >= 0 && n < (int)KVM_NR_MSRS ? msrs.m.entries[n].index : 0,
			    n >= 0 && n < (int)KVM_NR_MSRS ? (uint64_t)msrs.m.entries[n].data : 0);
	vcpu_regs_mark_clean(&v->regs);
	kb->need_load = false;
	return 0;
}

void kvm_backend_mark_stale(struct kvm_backend *kb)
{
	kb->need_load = true;
}

int kvm_backend_sync_out(struct kvm_backend *kb, char *err, size_t errlen)
{
	struct vcpu *v = kb->v;
	union kvm_msrs_buf msrs;
	struct kvm_sregs s;
	struct kvm_xcrs x;
	char why[VCPU_ABI_ERRLEN];

	if (kb->need_load)
		return 0;       /* KVM has nothing newer than struct vcpu */
	/* Dirty registers first: the XSAVE copy below reloads R16..R31 from KVM. */
	if (kvm_regcache_flush(kb) || kvm_regcache_fetch_all(kb))
		return fail(err, errlen, "%s", kb->why);
	if (kvm_vcpu_ioctl(kb, KVM_GET_SREGS, &s, &kb->st.get_sregs))
		return fail(err, errlen, "KVM_GET_SREGS: %s", strerror(errno));
	if (vcpu_abi_set_sregs(v, &s, why, sizeof(why)))
		return fail(err, errlen, "KVM's sregs do not fit the vCPU: %s", why);
	if (kvm_vcpu_ioctl(kb, KVM_GET_XCRS, &x, &kb->st.other))
		return fail(err, errlen, "KVM_GET_XCRS: %s", strerror(errno));
	if (vcpu_abi_set_xcrs(v, &x, why, sizeof(why)))
		return fail(err, errlen, "KVM's XCR0 does not fit the vCPU: %s", why);
	if (kvm_vcpu_ioctl(kb, KVM_GET_XSAVE2, kb->xsave, &kb->st.get_xsave))
		return fail(err, errlen, "KVM_GET_XSAVE2: %s", strerror(errno));
	if (vcpu_abi_set_xsave2(v, (const struct kvm_xsave *)(const void *)kb->xsave,
				kb->xsave_size, why, sizeof(why)))
		return fail(err, errlen, "KVM's XSAVE area does not fit the vCPU: %s", why);
	msr_indices(&msrs);
	if (kvm_vcpu_ioctl(kb, KVM_GET_MSRS, &msrs, &kb->st.other) != (int)KVM_NR_MSRS)
		return fail(err, errlen, "KVM_GET_MSRS: not all of the %zu MSRs", KVM_NR_MSRS);
	if (vcpu_abi_set_msrs(v, 0, &msrs.m, why, sizeof(why)) < 0)
		return fail(err, errlen, "KVM's MSRs do not fit the vCPU: %s", why);
	/* All of it equals KVM's now (set_xsave2 marked R16..R31 dirty). */
	vcpu_regs_mark_clean(&v->regs);
	return 0;
}

/* ---- timeout ------------------------------------------------------------- */

static _Thread_local struct kvm_run *volatile timer_run;
static _Thread_local volatile sig_atomic_t timer_fired;

static void timer_handler(int sig)
{
	struct kvm_run *run = timer_run;

	(void)sig;
	timer_fired = 1;
	/* KVM_RUN returns -EINTR now, or at once if it had not started yet. */
	if (run)
		run->immediate_exit = 1;
}

struct kvm_timer {
	bool armed;
	timer_t id;
	struct sigaction old;
};

static int timer_arm(struct kvm_backend *kb, struct kvm_timer *t, double sec)
{
	struct sigaction sa;
	struct sigevent sev;
	struct itimerspec its;

	t->armed = false;
	timer_fired = 0;
	if (!(sec > 0))
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = timer_handler;
	sigemptyset(&sa.sa_mask);
	if (sigaction(KVM_TIMER_SIGNAL, &sa, &t->old))
		return -1;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = KVM_TIMER_SIGNAL;
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &t->id)) {
		sigaction(KVM_TIMER_SIGNAL, &t->old, NULL);
		return -1;
	}
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)sec;
	its.it_value.tv_nsec = (long)((sec - (double)(time_t)sec) * 1e9);
	if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
		its.it_value.tv_nsec = 1;
	timer_run = kb->run;
	t->armed = true;
	if (timer_settime(t->id, 0, &its, NULL))
		return -1;
	return 0;
}

static void timer_disarm(struct kvm_backend *kb, struct kvm_timer *t)
{
	if (!t->armed)
		return;
	timer_delete(t->id);
	timer_run = NULL;
	sigaction(KVM_TIMER_SIGNAL, &t->old, NULL);
	kb->run->immediate_exit = 0;
	t->armed = false;
}

/* ---- run ----------------------------------------------------------------- */

static enum x86_exit internal(struct kvm_backend *kb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static enum x86_exit internal(struct kvm_backend *kb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kb->why, sizeof(kb->why), fmt, ap);
	va_end(ap);
	return X86_EXIT_INTERNAL;
}

/* KVM_EXIT_IO: X86_EXIT_NONE (go on), X86_EXIT_IO (stop) or INTERNAL. */
static enum x86_exit handle_io(struct kvm_backend *kb)
{
	struct kvm_run *run = kb->run;
	unsigned size = run->io.size;
	uint64_t off = run->io.data_offset, len = (uint64_t)size * run->io.count;
	uint8_t *d;

	kb->st.exit_io++;
	/* The kernel's numbers, but they index our mapping: check them. */
	if ((size != 1 && size != 2 && size != 4) || off > kb->run_size || len > kb->run_size - off)
		return internal(kb, "KVM_EXIT_IO with size %u count %u at offset 0x%" PRIx64,
				size, run->io.count, off);
	d = (uint8_t *)run + off;
	for (uint32_t i = 0; i < run->io.count; i++, d += size) {
		uint32_t val = 0;

		if (run->io.direction == KVM_EXIT_IO_OUT) {
			memcpy(&val, d, size);
			kb->io.out(kb->io.opaque, run->io.port, size, val);
			if (kb->io.stop(kb->io.opaque))
				return X86_EXIT_IO;
		} else {
			val = kb->io.in(kb->io.opaque, run->io.port, size);
			memcpy(d, &val, size);
		}
	}
	return X86_EXIT_NONE;
}

/*
 * KVM finishes an OUT (RIP past it) only inside the next KVM_RUN; with
 * immediate_exit set, that KVM_RUN completes it and returns -EINTR
 * without running guest code (Documentation/virt/kvm/api.rst, KVM_RUN).
 */
static void complete_pending_io(struct kvm_backend *kb)
{
	kb->run->immediate_exit = 1;
	(void)kvm_vcpu_ioctl(kb, KVM_RUN, NULL, &kb->st.run_complete);
	kb->run->immediate_exit = 0;
	kvm_regcache_invalidate(kb);
}

enum x86_exit kvm_backend_run(struct kvm_backend *kb, double timeout_sec)
{
	struct kvm_timer t;
	enum x86_exit ex = X86_EXIT_NONE;
	char err[KVM_WHY_LEN];

	if (kb->broken)
		return X86_EXIT_INTERNAL;
	kb->why[0] = 0;
	if (kb->need_load && kvm_backend_sync_in(kb, err, sizeof(err)))
		return internal(kb, "%s", err);
	if (timer_arm(kb, &t, timeout_sec)) {
		timer_disarm(kb, &t);
		return internal(kb, "cannot arm the --timeout timer: %s", strerror(errno));
	}
	while (ex == X86_EXIT_NONE) {
		int r;

		if (kvm_regcache_flush(kb)) {
			ex = X86_EXIT_INTERNAL;
			break;
		}
		r = kvm_vcpu_ioctl(kb, KVM_RUN, NULL, &kb->st.run);
		kvm_regcache_invalidate(kb);
		if (r < 0) {
			if ((errno == EINTR || errno == EAGAIN) && timer_fired) {
				ex = X86_EXIT_LIMIT;
				snprintf(kb->why, sizeof(kb->why), "timeout");
			} else if (errno != EINTR && errno != EAGAIN) {
				kb->broken = true;
				ex = internal(kb, "KVM_RUN failed: %s", strerror(errno));
			}
			continue;
		}
		switch (kb->run->exit_reason) {
		case KVM_EXIT_IO:
			ex = handle_io(kb);
			if (ex == X86_EXIT_IO)
				complete_pending_io(kb);
			break;
		case KVM_EXIT_HLT:
			ex = X86_EXIT_HLT;
			snprintf(kb->why, sizeof(kb->why), "HLT");
			break;
		case KVM_EXIT_SHUTDOWN:
			ex = X86_EXIT_SHUTDOWN;
			kvm_exit_describe(kb->run, kb->why, sizeof(kb->why));
			break;
		case KVM_EXIT_INTR:
			break;          /* a signal we do not own: go on */
		default:
			ex = X86_EXIT_INTERNAL;
			kvm_exit_describe(kb->run, kb->why, sizeof(kb->why));
			break;
		}
	}
	timer_disarm(kb, &t);
	return ex;
}

const char *kvm_backend_why(const struct kvm_backend *kb)
{
	return kb->why[0] ? kb->why : "no message";
}

/* ---- reports ------------------------------------------------------------- */

static void dump_seg(FILE *f, const char *name, const struct kvm_segment *s)
{
	fprintf(f, "  %-4s sel 0x%04x base 0x%016llx limit 0x%08x type 0x%x s%u dpl%u p%u l%u "
		"db%u g%u%s\n", name, s->selector, (unsigned long long)s->base, s->limit, s->type,
		s->s, s->dpl, s->present, s->l, s->db, s->g, s->unusable ? " unusable" : "");
}

void kvm_backend_dump(struct kvm_backend *kb, FILE *f)
{
	static const char *const names[16] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	struct kvm_regs r;
	struct kvm_sregs s;
	char exit[KVM_WHY_LEN];
	struct vcpu_regfile rf;

	if (kvm_vcpu_ioctl(kb, KVM_GET_REGS, &r, &kb->st.get_regs) ||
	    kvm_vcpu_ioctl(kb, KVM_GET_SREGS, &s, &kb->st.get_sregs)) {
		fprintf(f, "  (KVM does not give the registers: %s)\n", strerror(errno));
		return;
	}
	/* Straight from KVM, not through the cache: what the hardware has. */
	vcpu_regfile_init(&rf, NULL);
	rf.regs_avail = 0;
	kvm_regcache_fill_regs(&rf, &r);
	for (unsigned i = 0; i < 16; i++)
		fprintf(f, "  %-3s 0x%016" PRIx64 "%s", names[i], rf.regs[i], i % 4 == 3 ? "\n" : "  ");
	fprintf(f, "  rip 0x%016llx  rflags 0x%llx\n", (unsigned long long)r.rip,
		(unsigned long long)r.rflags);
	fprintf(f, "  cr0 0x%llx  cr2 0x%llx  cr3 0x%llx  cr4 0x%llx  efer 0x%llx\n",
		(unsigned long long)s.cr0, (unsigned long long)s.cr2, (unsigned long long)s.cr3,
		(unsigned long long)s.cr4, (unsigned long long)s.efer);
	dump_seg(f, "cs", &s.cs);
	dump_seg(f, "ss", &s.ss);
	dump_seg(f, "tr", &s.tr);
	fprintf(f, "  gdt base 0x%llx limit 0x%x  idt base 0x%llx limit 0x%x\n",
		(unsigned long long)s.gdt.base, s.gdt.limit, (unsigned long long)s.idt.base,
		s.idt.limit);
	kvm_exit_describe(kb->run, exit, sizeof(exit));
	fprintf(f, "  last KVM exit: %s%s\n", exit,
		kb->run->exit_reason == KVM_EXIT_IO ? " (I/O, port handled)" : "");
}

const struct kvm_backend_stats *kvm_backend_stats(const struct kvm_backend *kb)
{
	return &kb->st;
}

bool kvm_backend_has_apx(const struct kvm_backend *kb)
{
	return kb->apx;
}

bool kvm_backend_uses_sync_regs(const struct kvm_backend *kb)
{
	return kb->sync_regs;
}

int kvm_backend_vcpu_fd(const struct kvm_backend *kb)
{
	return kb->vcpu_fd;
}
