/* SPDX-License-Identifier: MIT */
/*
 * libapxvm (include/apxvm/apxvm.h): a struct vm (vmm/vm.h) with the state
 * ABI of vcpu/abi.h on top.  The API installs its own CPUID and OUT hooks
 * on the interpreter: CPUID goes through the KVM_SET_CPUID2 override table,
 * and an OUT to a port no built-in device claims stops the run with an IO
 * exit instead of being dropped.
 *
 * On KVM (apxvm_set_accel) the same struct vm runs through accel/kvm.h with
 * I/O callbacks that make the same IO exits.  struct vcpu then lags behind
 * KVM after a run: GPRs, RIP and RFLAGS come through the backend's lazy
 * register cache; every other get first copies KVM's state back
 * (kvm_backend_sync_out, once per run), and every other set marks KVM stale
 * so that the next run copies struct vcpu in (kvm_backend_sync_in).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "accel/kvm.h"
#include "accel/soft.h"
#include "apxvm/apxvm.h"
#include "vcpu/abi.h"
#include "vcpu/msr.h"
#include "vcpu/xstate.h"
#include "vmm/elf.h"
#include "vmm/vm.h"

#define API_ERRLEN 256

struct apxvm_vm {
	struct vm vm;		/* first: c->opaque points here for vm.c's hooks too */
	struct vcpu_cpuid_table cpuid;
	/* An OUT to an unclaimed port, reported by the next IO exit. */
	bool io_pending;
	uint16_t io_port;
	uint8_t io_size;
	uint32_t io_data;
	/* On KVM: struct vcpu holds KVM's current state (no run since the last sync). */
	bool kvm_fresh;
	char err[API_ERRLEN];
};

_Static_assert(sizeof(struct apxvm_gprs) == sizeof(struct vcpu_abi_gprs),
	       "apxvm_gprs and vcpu_abi_gprs are the same 32 registers");

static struct apxvm_vm *api_of(struct x86_cpu *c)
{
	return (struct apxvm_vm *)c->opaque;
}

static void api_cpuid(struct x86_cpu *c, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	vcpu_abi_cpuid(c->v, &api_of(c)->cpuid, leaf, sub, out);
}

/* An OUT on either backend: true if the run must stop (exit port, unclaimed port). */
static bool api_out(struct apxvm_vm *a, uint16_t port, unsigned bytes, uint32_t val)
{
	if (pio_find(&a->vm.bus, port)) {
		pio_out(&a->vm.bus, port, bytes, val);
		return a->vm.exitdev.requested;
	}
	a->io_pending = true;
	a->io_port = port;
	a->io_size = (uint8_t)bytes;
	a->io_data = val & pio_size_mask(bytes);
	return true;
}

static void api_io_out(struct x86_cpu *c, uint16_t port, unsigned bytes, uint32_t val)
{
	if (api_out(api_of(c), port, bytes, val))
		c->stop_request = true;
}

/* The KVM backend's I/O callbacks (opaque = the apxvm_vm). */
static uint32_t api_kvm_in(void *opaque, uint16_t port, unsigned bytes)
{
	return pio_in(&((struct apxvm_vm *)opaque)->vm.bus, port, bytes);
}

static void api_kvm_out(void *opaque, uint16_t port, unsigned bytes, uint32_t val)
{
	(void)api_out(opaque, port, bytes, val);
}

static bool api_kvm_stop(void *opaque)
{
	struct apxvm_vm *a = opaque;

	return a->vm.exitdev.requested || a->io_pending;
}

/* Keep the message of a failed call; pass rc through. */
static int api_rc(struct apxvm_vm *a, int rc)
{
	if (rc >= 0)
		a->err[0] = '\0';
	else if (!a->err[0])
		snprintf(a->err, sizeof(a->err), "%s", strerror(-rc));
	return rc;
}

/* Paging or feature state may have changed: drop translations and decoded instructions. */
static void api_flush(struct apxvm_vm *a)
{
	x86_tlb_flush(&a->vm.cpu);
	x86_icache_flush(&a->vm.cpu);
}

/* Before reading struct vcpu beyond the GPRs: KVM's state into it (once per run). */
static int api_sync(struct apxvm_vm *a)
{
	char buf[API_ERRLEN];

	if (!a->vm.kvm || a->kvm_fresh)
		return 0;
	if (kvm_backend_sync_out(a->vm.kvm, buf, sizeof(buf))) {
		snprintf(a->err, sizeof(a->err), "cannot read the vCPU state from KVM: %.200s", buf);
		return -EIO;
	}
	a->kvm_fresh = true;
	return 0;
}

/* After struct vcpu changed beyond the GPRs: the next KVM run copies it in. */
static void api_stale(struct apxvm_vm *a)
{
	if (a->vm.kvm)
		kvm_backend_mark_stale(a->vm.kvm);
}

struct apxvm_vm *apxvm_create(uint64_t ram_mib, const char *cpu_model, char *err,
			      size_t errlen)
{
	const struct vcpu_cpu_model *m = cpu_model ? vcpu_cpu_model_find(cpu_model) :
						     vcpu_cpu_model_default();
	struct apxvm_vm *a;
	struct vcpu *v;
	char buf[API_ERRLEN];

	if (!m) {
		if (err && errlen)
			snprintf(err, errlen, "unknown CPU model '%s'", cpu_model);
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (!a) {
		if (err && errlen)
			snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (vm_init(&a->vm, ram_mib, m, NULL, buf, sizeof(buf))) {
		if (err && errlen)
			snprintf(err, errlen, "%s", buf);
		free(a);
		return NULL;
	}
	a->vm.cpu.cpuid = api_cpuid;
	a->vm.cpu.io_out = api_io_out;
	/* RESET values where zero would be invalid state (XCR0, FCW, MXCSR, MSRs). */
	v = &a->vm.vcpu;
	vcpu_msr_reset(v);
	v->xcr0 = VCPU_XCR0_RESET;
	v->regs.rflags = X86_FLAGS_FIXED;
	v->fpu.fxsave[0] = 0x7f;
	v->fpu.fxsave[1] = 0x03;
	v->fpu.fxsave[VCPU_XSAVE_MXCSR_OFFSET] = (uint8_t)VCPU_MXCSR_RESET;
	v->fpu.fxsave[VCPU_XSAVE_MXCSR_OFFSET + 1] = (uint8_t)(VCPU_MXCSR_RESET >> 8);
	vcpu_abi_cpuid_init(&a->cpuid, v);
	return a;
}

void apxvm_destroy(struct apxvm_vm *a)
{
	if (!a)
		return;
	vm_destroy(&a->vm);
	free(a);
}

/* KVM -> software CPU: the state comes back, the backend goes. */
static int api_to_soft(struct apxvm_vm *a)
{
	int rc = api_sync(a);

	if (rc)
		return rc;
	kvm_backend_destroy(a->vm.kvm);
	a->vm.kvm = NULL;
	api_flush(a);
	return 0;
}

int apxvm_set_accel(struct apxvm_vm *a, const char *accel)
{
	const struct kvm_backend_io io = { api_kvm_in, api_kvm_out, api_kvm_stop, a };
	bool is_auto = accel && !strcmp(accel, "auto");
	char buf[API_ERRLEN];

	a->err[0] = '\0';
	if (accel && !strcmp(accel, "soft"))
		return api_rc(a, a->vm.kvm ? api_to_soft(a) : 0);
	if (!accel || (!is_auto && strcmp(accel, "kvm"))) {
		snprintf(a->err, sizeof(a->err), "accelerator '%s': want soft, kvm or auto",
			 accel ? accel : "(null)");
		return api_rc(a, -EINVAL);
	}
	if (a->vm.kvm)
		return api_rc(a, 0);
	/* KVM takes its CPUID from the CPU model at creation; overrides would be lost. */
	if (a->cpuid.nent) {
		if (is_auto)
			return api_rc(a, 0);
		snprintf(a->err, sizeof(a->err), "CPUID overrides (apxvm_set_cpuid2) cannot be "
			 "given to KVM: the guest would see the model's CPUID");
		return api_rc(a, -EOPNOTSUPP);
	}
	a->vm.kvm = kvm_backend_create(&a->vm.vcpu, a->vm.ram, a->vm.ram_size, &io, 0,
				       buf, sizeof(buf));
	if (!a->vm.kvm) {
		if (is_auto)
			return api_rc(a, 0);
		snprintf(a->err, sizeof(a->err), "%s", buf);
		return api_rc(a, -ENODEV);
	}
	a->kvm_fresh = true;	/* struct vcpu is the truth until the first run */
	return api_rc(a, 0);
}

const char *apxvm_get_accel(const struct apxvm_vm *a)
{
	return a->vm.kvm ? "kvm" : "soft";
}

const char *apxvm_last_error(const struct apxvm_vm *a)
{
	return a->err;
}

uint64_t apxvm_ram_size(const struct apxvm_vm *a)
{
	return a->vm.ram_size;
}

uint64_t apxvm_boot_base(const struct apxvm_vm *a)
{
	return a->vm.boot_base;
}

static int mem_range(struct apxvm_vm *a, uint64_t gpa, size_t len)
{
	a->err[0] = '\0';
	if ((uint64_t)len > a->vm.ram_size || gpa > a->vm.ram_size - len) {
		snprintf(a->err, sizeof(a->err), "guest range [0x%" PRIx64 ", +0x%zx) is outside "
			 "RAM [0, 0x%" PRIx64 ")", gpa, len, a->vm.ram_size);
		return -EFAULT;
	}
	return 0;
}

int apxvm_write_mem(struct apxvm_vm *a, uint64_t gpa, const void *src, size_t len)
{
	int rc = mem_range(a, gpa, len);

	if (rc || !len)
		return rc;
	memcpy(a->vm.ram + gpa, src, len);
	/* The bytes may be code the vCPU decoded, or page tables it cached. */
	api_flush(a);
	return 0;
}

int apxvm_read_mem(struct apxvm_vm *a, uint64_t gpa, void *dst, size_t len)
{
	int rc = mem_range(a, gpa, len);

	if (rc || !len)
		return rc;
	memcpy(dst, a->vm.ram + gpa, len);
	return 0;
}

int apxvm_boot64(struct apxvm_vm *a, uint64_t entry)
{
	/* vm_boot64 writes some of struct vcpu: the rest must be KVM's current state. */
	int rc = api_sync(a);

	if (rc)
		return api_rc(a, rc);
	vm_boot64(&a->vm, entry);
	api_flush(a);
	api_stale(a);
	return api_rc(a, 0);
}

int apxvm_load_elf(struct apxvm_vm *a, const void *file, size_t size)
{
	struct elf_image img;
	struct vm *vm = &a->vm;

	a->err[0] = '\0';
	/* As `apxvm run`: segments must stay below the boot tables at the top of RAM. */
	if (elf_load(file, size, vm->ram, vm->boot_base, &img, a->err, sizeof(a->err)))
		return -EINVAL;
	api_flush(a);
	if (img.entry_kind == ELF_ENTRY_NONE) {
		snprintf(a->err, sizeof(a->err), "no 64-bit entry (neither an X86BENCH note nor "
			 "a _start64 symbol)");
		return -EINVAL;
	}
	if (img.image_end > vm->boot_base) {
		snprintf(a->err, sizeof(a->err), "the image extent [0x%" PRIx64 ", 0x%" PRIx64
			 ") overlaps the boot tables at 0x%" PRIx64, img.image_start,
			 img.image_end, vm->boot_base);
		return -EINVAL;
	}
	return apxvm_boot64(a, img.entry);
}

void apxvm_set_serial_tx(struct apxvm_vm *a, void (*fn)(void *opaque, uint8_t byte),
			 void *opaque)
{
	a->vm.com1.tx = fn;
	a->vm.com1.tx_opaque = opaque;
}

/* ---- run --------------------------------------------------------------- */

static void exit_msg(struct apxvm_exit *e, const char *msg)
{
	snprintf(e->message, sizeof(e->message), "%s", msg);
}

/* One stop of the backend -> true if it is an exit for the caller. */
static bool api_exit(struct apxvm_vm *a, enum x86_exit ex, bool budget_done,
		     struct apxvm_exit *e)
{
	struct x86_cpu *c = &a->vm.cpu;
	const char *why = a->vm.kvm ? kvm_backend_why(a->vm.kvm) : c->why;

	switch (ex) {
	case X86_EXIT_IO:
		c->stop_request = false;
		if (a->vm.exitdev.requested) {
			/* Reported once; running again continues after the OUT. */
			a->vm.exitdev.requested = false;
			e->reason = APXVM_EXIT_EXIT_PORT;
			e->exit_port.value = a->vm.exitdev.value;
			e->exit_port.status = a->vm.exitdev.status;
			return true;
		}
		if (a->io_pending) {
			a->io_pending = false;
			e->reason = APXVM_EXIT_IO;
			e->io.direction = APXVM_EXIT_IO_OUT;
			e->io.size = a->io_size;
			e->io.port = a->io_port;
			e->io.data = a->io_data;
			return true;
		}
		return false;
	case X86_EXIT_HLT:
		e->reason = APXVM_EXIT_HLT;
		/* Through the accessor: on KVM RFLAGS may still be in the register cache. */
		exit_msg(e, vcpu_rflags_read(&a->vm.vcpu.regs) & X86_FLAGS_IF ?
			 "HLT with interrupts enabled, but no device can interrupt" :
			 "HLT with interrupts disabled");
		return true;
	case X86_EXIT_SHUTDOWN:
		e->reason = APXVM_EXIT_SHUTDOWN;
		exit_msg(e, why ? why : "triple fault");
		return true;
	case X86_EXIT_LIMIT:
		if (!budget_done)
			return false;
		e->reason = APXVM_EXIT_LIMIT;
		exit_msg(e, why ? why : "instruction limit reached");
		return true;
	default:
		e->reason = APXVM_EXIT_INTERNAL;
		exit_msg(e, why ? why : "internal error");
		return true;
	}
}

int apxvm_run(struct apxvm_vm *a, uint64_t max_insns, struct apxvm_exit *e)
{
	uint64_t left = max_insns ? max_insns : UINT64_MAX;

	if (!a || !e)
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	if (a->vm.kvm) {
		if (max_insns) {
			snprintf(a->err, sizeof(a->err), "KVM has no instruction count: max_insns "
				 "must be 0 on the kvm accelerator");
			return api_rc(a, -EINVAL);
		}
		for (;;) {
			enum x86_exit ex = kvm_backend_run(a->vm.kvm, 0);

			a->kvm_fresh = false;
			if (api_exit(a, ex, true, e))
				break;
		}
		e->icount = a->vm.cpu.icount;
		return api_rc(a, 0);
	}
	for (;;) {
		uint64_t used;
		enum x86_exit ex = soft_run(&a->vm.cpu, left, a->vm.trace, &used);

		if (max_insns)
			left -= used < left ? used : left;
		if (api_exit(a, ex, max_insns && !left, e))
			break;
	}
	e->icount = a->vm.cpu.icount;
	return api_rc(a, 0);
}

/* ---- vCPU state -------------------------------------------------------- */

#define V(a)	(&(a)->vm.vcpu)
#define ERR(a)	(a)->err, sizeof((a)->err)

/* Gets and sets of state beyond the GPRs start here: on KVM struct vcpu must be current. */
#define API_SYNC(a)						\
	do {							\
		int sync_rc_ = api_sync(a);			\
		if (sync_rc_)					\
			return api_rc((a), sync_rc_);		\
	} while (0)

/* A set that succeeded: KVM gets the new state on the next run. */
static int api_set_rc(struct apxvm_vm *a, int rc)
{
	if (rc >= 0)
		api_stale(a);
	return api_rc(a, rc);
}

int apxvm_get_regs(struct apxvm_vm *a, struct kvm_regs *r)
{
	vcpu_abi_get_regs(V(a), r);
	return api_rc(a, 0);
}

int apxvm_set_regs(struct apxvm_vm *a, const struct kvm_regs *r)
{
	a->err[0] = '\0';
	return api_rc(a, vcpu_abi_set_regs(V(a), r, ERR(a)));
}

int apxvm_get_gprs(struct apxvm_vm *a, struct apxvm_gprs *g)
{
	struct vcpu_abi_gprs x;

	vcpu_abi_get_gprs(V(a), &x);
	memcpy(g->r, x.r, sizeof(g->r));
	return api_rc(a, 0);
}

int apxvm_set_gprs(struct apxvm_vm *a, const struct apxvm_gprs *g)
{
	struct vcpu_abi_gprs x;

	memcpy(x.r, g->r, sizeof(x.r));
	a->err[0] = '\0';
	return api_rc(a, vcpu_abi_set_gprs(V(a), &x, ERR(a)));
}

int apxvm_get_sregs(struct apxvm_vm *a, struct kvm_sregs *s)
{
	API_SYNC(a);
	vcpu_abi_get_sregs(V(a), s);
	return api_rc(a, 0);
}

int apxvm_set_sregs(struct apxvm_vm *a, const struct kvm_sregs *s)
{
	int rc;

	a->err[0] = '\0';
	API_SYNC(a);
	rc = vcpu_abi_set_sregs(V(a), s, ERR(a));
	if (!rc)
		api_flush(a);
	return api_set_rc(a, rc);
}

int apxvm_get_fpu(struct apxvm_vm *a, struct kvm_fpu *f)
{
	API_SYNC(a);
	vcpu_abi_get_fpu(V(a), f);
	return api_rc(a, 0);
}

int apxvm_set_fpu(struct apxvm_vm *a, const struct kvm_fpu *f)
{
	a->err[0] = '\0';
	API_SYNC(a);
	return api_set_rc(a, vcpu_abi_set_fpu(V(a), f, ERR(a)));
}

size_t apxvm_xsave_size(const struct apxvm_vm *a)
{
	return vcpu_abi_xsave_size(&a->vm.vcpu);
}

int apxvm_get_xsave(struct apxvm_vm *a, struct kvm_xsave *x)
{
	return apxvm_get_xsave2(a, x, sizeof(*x));
}

int apxvm_set_xsave(struct apxvm_vm *a, const struct kvm_xsave *x)
{
	return apxvm_set_xsave2(a, x, sizeof(*x));
}

int apxvm_get_xsave2(struct apxvm_vm *a, struct kvm_xsave *x, size_t size)
{
	a->err[0] = '\0';
	API_SYNC(a);
	return api_rc(a, vcpu_abi_get_xsave2(V(a), x, size, ERR(a)));
}

int apxvm_set_xsave2(struct apxvm_vm *a, const struct kvm_xsave *x, size_t size)
{
	a->err[0] = '\0';
	API_SYNC(a);
	return api_set_rc(a, vcpu_abi_set_xsave2(V(a), x, size, ERR(a)));
}

int apxvm_get_xcrs(struct apxvm_vm *a, struct kvm_xcrs *x)
{
	API_SYNC(a);
	vcpu_abi_get_xcrs(V(a), x);
	return api_rc(a, 0);
}

int apxvm_set_xcrs(struct apxvm_vm *a, const struct kvm_xcrs *x)
{
	int rc;

	a->err[0] = '\0';
	API_SYNC(a);
	rc = vcpu_abi_set_xcrs(V(a), x, ERR(a));
	if (!rc)
		api_flush(a);
	return api_set_rc(a, rc);
}

int apxvm_get_msrs(struct apxvm_vm *a, struct kvm_msrs *m)
{
	a->err[0] = '\0';
	API_SYNC(a);
	return api_rc(a, vcpu_abi_get_msrs(V(a), a->vm.cpu.icount, m, ERR(a)));
}

int apxvm_set_msrs(struct apxvm_vm *a, const struct kvm_msrs *m)
{
	int rc;

	a->err[0] = '\0';
	API_SYNC(a);
	rc = vcpu_abi_set_msrs(V(a), a->vm.cpu.icount, m, ERR(a));
	if (rc >= 0)
		api_flush(a);	/* EFER.NXE changes what the TLB holds */
	return api_set_rc(a, rc);
}

size_t apxvm_msr_index_list(uint32_t *out, size_t max)
{
	return vcpu_msr_index_list(out, max);
}

int apxvm_set_cpuid2(struct apxvm_vm *a, const struct kvm_cpuid2 *c)
{
	int rc;

	a->err[0] = '\0';
	if (a->vm.kvm) {
		/* KVM refuses KVM_SET_CPUID2 changes once the vCPU has run; ours is set at creation. */
		snprintf(a->err, sizeof(a->err), "CPUID overrides are not supported on the kvm "
			 "accelerator (the guest sees the CPU model within KVM's supported CPUID)");
		return api_rc(a, -EOPNOTSUPP);
	}
	rc = vcpu_abi_set_cpuid2(V(a), &a->cpuid, c, ERR(a));
	if (!rc)
		api_flush(a);
	return api_rc(a, rc);
}

int apxvm_get_cpuid2(struct apxvm_vm *a, struct kvm_cpuid2 *c)
{
	a->err[0] = '\0';
	return api_rc(a, vcpu_abi_get_cpuid2(&a->cpuid, c));
}

int apxvm_get_supported_cpuid(struct apxvm_vm *a, struct kvm_cpuid2 *c)
{
	a->err[0] = '\0';
	return api_rc(a, vcpu_abi_supported_cpuid2(V(a), &a->cpuid, c));
}

int apxvm_get_vcpu_events(struct apxvm_vm *a, struct kvm_vcpu_events *e)
{
	API_SYNC(a);
	vcpu_abi_get_events(V(a), e);
	return api_rc(a, 0);
}

int apxvm_set_vcpu_events(struct apxvm_vm *a, const struct kvm_vcpu_events *e)
{
	a->err[0] = '\0';
	API_SYNC(a);
	return api_set_rc(a, vcpu_abi_set_events(V(a), e, ERR(a)));
}
