/* SPDX-License-Identifier: MIT */
/*
 * libapxvm (include/apxvm/apxvm.h): a struct vm (vmm/vm.h) with the state
 * ABI of vcpu/abi.h on top.  The API installs its own CPUID and OUT hooks
 * on the interpreter: CPUID goes through the KVM_SET_CPUID2 override table,
 * and an OUT to a port no built-in device claims stops the run with an IO
 * exit instead of being dropped.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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

static void api_io_out(struct x86_cpu *c, uint16_t port, unsigned bytes, uint32_t val)
{
	struct apxvm_vm *a = api_of(c);

	if (pio_find(&a->vm.bus, port)) {
		pio_out(&a->vm.bus, port, bytes, val);
		if (a->vm.exitdev.requested)
			c->stop_request = true;
		return;
	}
	a->io_pending = true;
	a->io_port = port;
	a->io_size = (uint8_t)bytes;
	a->io_data = val & pio_size_mask(bytes);
	c->stop_request = true;
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
	vm_boot64(&a->vm, entry);
	api_flush(a);
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
		exit_msg(e, a->vm.vcpu.regs.rflags & X86_FLAGS_IF ?
			 "HLT with interrupts enabled, but no device can interrupt" :
			 "HLT with interrupts disabled");
		return true;
	case X86_EXIT_SHUTDOWN:
		e->reason = APXVM_EXIT_SHUTDOWN;
		exit_msg(e, c->why ? c->why : "triple fault");
		return true;
	case X86_EXIT_LIMIT:
		if (!budget_done)
			return false;
		e->reason = APXVM_EXIT_LIMIT;
		exit_msg(e, "instruction limit reached");
		return true;
	default:
		e->reason = APXVM_EXIT_INTERNAL;
		exit_msg(e, c->why ? c->why : "internal error");
		return true;
	}
}

int apxvm_run(struct apxvm_vm *a, uint64_t max_insns, struct apxvm_exit *e)
{
	uint64_t left = max_insns ? max_insns : UINT64_MAX;

	if (!a || !e)
		return -EINVAL;
	memset(e, 0, sizeof(*e));
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
	vcpu_abi_get_sregs(V(a), s);
	return api_rc(a, 0);
}

int apxvm_set_sregs(struct apxvm_vm *a, const struct kvm_sregs *s)
{
	int rc;

	a->err[0] = '\0';
	rc = vcpu_abi_set_sregs(V(a), s, ERR(a));
	if (!rc)
		api_flush(a);
	return api_rc(a, rc);
}

int apxvm_get_fpu(struct apxvm_vm *a, struct kvm_fpu *f)
{
	vcpu_abi_get_fpu(V(a), f);
	return api_rc(a, 0);
}

int apxvm_set_fpu(struct apxvm_vm *a, const struct kvm_fpu *f)
{
	a->err[0] = '\0';
	return api_rc(a, vcpu_abi_set_fpu(V(a), f, ERR(a)));
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
	return api_rc(a, vcpu_abi_get_xsave2(V(a), x, size, ERR(a)));
}

int apxvm_set_xsave2(struct apxvm_vm *a, const struct kvm_xsave *x, size_t size)
{
	a->err[0] = '\0';
	return api_rc(a, vcpu_abi_set_xsave2(V(a), x, size, ERR(a)));
}

int apxvm_get_xcrs(struct apxvm_vm *a, struct kvm_xcrs *x)
{
	vcpu_abi_get_xcrs(V(a), x);
	return api_rc(a, 0);
}

int apxvm_set_xcrs(struct apxvm_vm *a, const struct kvm_xcrs *x)
{
	int rc;

	a->err[0] = '\0';
	rc = vcpu_abi_set_xcrs(V(a), x, ERR(a));
	if (!rc)
		api_flush(a);
	return api_rc(a, rc);
}

int apxvm_get_msrs(struct apxvm_vm *a, struct kvm_msrs *m)
{
	a->err[0] = '\0';
	return api_rc(a, vcpu_abi_get_msrs(V(a), a->vm.cpu.icount, m, ERR(a)));
}

int apxvm_set_msrs(struct apxvm_vm *a, const struct kvm_msrs *m)
{
	int rc;

	a->err[0] = '\0';
	rc = vcpu_abi_set_msrs(V(a), a->vm.cpu.icount, m, ERR(a));
	if (rc >= 0)
		api_flush(a);	/* EFER.NXE changes what the TLB holds */
	return api_rc(a, rc);
}

size_t apxvm_msr_index_list(uint32_t *out, size_t max)
{
	return vcpu_msr_index_list(out, max);
}

int apxvm_set_cpuid2(struct apxvm_vm *a, const struct kvm_cpuid2 *c)
{
	int rc;

	a->err[0] = '\0';
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
	vcpu_abi_get_events(V(a), e);
	return api_rc(a, 0);
}

int apxvm_set_vcpu_events(struct apxvm_vm *a, const struct kvm_vcpu_events *e)
{
	a->err[0] = '\0';
	return api_rc(a, vcpu_abi_set_events(V(a), e, ERR(a)));
}
