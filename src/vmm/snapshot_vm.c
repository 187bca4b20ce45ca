/* SPDX-License-Identifier: MIT */
/* A VM to and from a snapshot file (see snapshot_vm.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accel/kvm.h"
#include "vcpu/abi.h"
#include "vcpu/msr.h"
#include "vcpu/xstate.h"
#include "vmm/snapshot_vm.h"

/* The reader's MSR limit must be one the ABI's set_msrs accepts. */
_Static_assert(SNAP_MAX_MSRS <= VCPU_ABI_MSRS_MAX, "snapshot MSR limit above the ABI's");

/* struct kvm_msrs with room for every entry (its entries[] is a flexible array). */
union msr_buf {
	struct kvm_msrs m;
	uint8_t bytes[sizeof(struct kvm_msrs) + SNAP_MAX_MSRS * sizeof(struct kvm_msr_entry)];
};

/*
 * The MSRs a snapshot stores: the whole index list but EFER, which
 * kvm_sregs carries (and which WRMSR could not set back with LMA).
 */
static void fill_msr_indexes(struct kvm_msrs *m)
{
	uint32_t idx[SNAP_MAX_MSRS];
	size_t n = vcpu_msr_index_list(idx, SNAP_MAX_MSRS);

	m->nmsrs = 0;
	for (size_t i = 0; i < n && i < SNAP_MAX_MSRS; i++)
		if (idx[i] != VCPU_MSR_EFER)
			m->entries[m->nmsrs++].index = idx[i];
}

int snap_save_vm(struct vm *vm, enum snap_run_state state, const char *path,
		 char *err, size_t errlen)
{
	struct vcpu *v = &vm->vcpu;
	struct snap_machine mach;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_xcrs xcrs;
	static struct kvm_xsave xsave;
	static union msr_buf msrs;
	uint8_t mbuf[SNAP_MACHINE_SIZE], ubuf[SNAP_UART_SIZE], ebuf[SNAP_EXITDEV_SIZE];
	char *tmp;
	FILE *f;
	int rc;

	err[0] = 0;
	/*
	 * On KVM struct vcpu may be older than the vCPU (vm_run syncs at every
	 * stop, but a caller may save at any time): bring it back first.  A
	 * no-op when the VMM's copy is the newer one (not yet run, or stale).
	 */
	if (vm->kvm && kvm_backend_sync_out(vm->kvm, err, errlen))
		return -1;
	memset(&mach, 0, sizeof(mach));
	snprintf(mach.model, sizeof(mach.model), "%s", vm->model->name);
	mach.ram_size = vm->ram_size;
	mach.icount = vm->cpu.icount;
	mach.run_state = state;
	snap_machine_encode(&mach, mbuf);
	snap_uart_encode(&vm->com1, ubuf);
	snap_exitdev_encode(&vm->exitdev, ebuf);
	memset(&regs, 0, sizeof(regs));
	memset(&sregs, 0, sizeof(sregs));
	memset(&xcrs, 0, sizeof(xcrs));
	memset(&xsave, 0, sizeof(xsave));
	memset(&msrs, 0, sizeof(msrs));
	vcpu_abi_get_regs(v, &regs);
	vcpu_abi_get_sregs(v, &sregs);
	vcpu_abi_get_xcrs(v, &xcrs);
	fill_msr_indexes(&msrs.m);
	if (vcpu_abi_get_xsave(v, &xsave) < 0 ||
	    vcpu_abi_get_msrs(v, vm->cpu.icount, &msrs.m, err, errlen) < 0) {
		if (!err[0])
			snprintf(err, errlen, "cannot read the vCPU state");
		return -1;
	}

	const struct snap_out secs[] = {
		{ SNAP_SEC_MACHINE, mbuf, sizeof(mbuf) },
		{ SNAP_SEC_REGS, &regs, sizeof(regs) },
		{ SNAP_SEC_SREGS, &sregs, sizeof(sregs) },
		{ SNAP_SEC_XSAVE, &xsave, sizeof(xsave) },
		{ SNAP_SEC_XCRS, &xcrs, sizeof(xcrs) },
		{ SNAP_SEC_MSRS, &msrs, sizeof(struct kvm_msrs) +
					 msrs.m.nmsrs * sizeof(struct kvm_msr_entry) },
		{ SNAP_SEC_UART, ubuf, sizeof(ubuf) },
		{ SNAP_SEC_EXITDEV, ebuf, sizeof(ebuf) },
	};

	tmp = malloc(strlen(path) + 5);
	if (!tmp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	sprintf(tmp, "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (!f) {
		snprintf(err, errlen, "cannot create '%s': %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	rc = snap_write(f, secs, sizeof(secs) / sizeof(secs[0]), vm->ram, vm->ram_size);
	if (fclose(f))
		rc = -1;
	if (!rc && rename(tmp, path))
		rc = -1;
	if (rc) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

/* XCR0 as the xcrs section sets it (the last XCR0 entry wins, as in set_xcrs). */
static uint64_t snap_xcr0(const struct kvm_xcrs *x)
{
	uint64_t xcr0 = 0;

	for (uint32_t i = 0; i < x->nr_xcrs && i < KVM_MAX_XCRS; i++)
		if (x->xcrs[i].xcr == 0)
			xcr0 = x->xcrs[i].value;
	return xcr0;
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); goto fail; } while (0)

int snap_restore_vm(struct vm *vm, const struct snap_view *s, const char *cpu, FILE *trace,
		    char *err, size_t errlen)
{
	const struct vcpu_cpu_model *model;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_xcrs xcrs;
	static struct kvm_xsave xsave;
	static union msr_buf msrs;
	char why[VCPU_ABI_ERRLEN];
	uint64_t xcr0, xstate_bv;

	model = vcpu_cpu_model_find(cpu ? cpu : s->machine.model);
	if (!model) {
		snprintf(err, errlen, "model mismatch: the snapshot was taken on CPU model '%s', "
			 "which this build does not have", s->machine.model);
		return -1;
	}
	/* The sections are not aligned in the file: copy them out. */
	memcpy(&regs, s->sec[SNAP_SEC_REGS], sizeof(regs));
	memcpy(&sregs, s->sec[SNAP_SEC_SREGS], sizeof(sregs));
	memcpy(&xcrs, s->sec[SNAP_SEC_XCRS], sizeof(xcrs));
	memcpy(&xsave, s->sec[SNAP_SEC_XSAVE], sizeof(xsave));
	memcpy(&msrs, s->sec[SNAP_SEC_MSRS], s->len[SNAP_SEC_MSRS]);
	xcr0 = snap_xcr0(&xcrs);
	xstate_bv = vcpu_xsave_get_xstate_bv((const uint8_t *)xsave.region);
	if (!vcpu_cpu_model_has_apx(model) && ((xcr0 | xstate_bv) & VCPU_XCR0_APX)) {
		snprintf(err, errlen, "the snapshot's %s (0x%" PRIx64 ") has APX (bit 19) enabled, "
			 "but CPU model '%s' has no APX (snapshot taken on '%s')",
			 xcr0 & VCPU_XCR0_APX ? "XCR0" : "XSAVE state (XSTATE_BV)",
			 xcr0 & VCPU_XCR0_APX ? xcr0 : xstate_bv, model->name, s->machine.model);
		return -1;
	}
	if (vm_init(vm, s->machine.ram_size >> 20, model, trace, err, errlen))
		return -1;
	if (vm->ram_size != s->machine.ram_size)
		FAIL("RAM size 0x%" PRIx64 " cannot be allocated as is", s->machine.ram_size);
	snap_load_ram(s, vm->ram);
	vm->cpu.icount = s->machine.icount;
	why[0] = 0;
	/* sregs first: CR4 and EFER decide what the later ones may hold. */
	if (vcpu_abi_set_sregs(&vm->vcpu, &sregs, why, sizeof(why)) < 0)
		FAIL("vCPU state refused: sregs: %s", why);
	if (vcpu_abi_set_xcrs(&vm->vcpu, &xcrs, why, sizeof(why)) < 0)
		FAIL("vCPU state refused: xcrs: %s", why);
	if (vcpu_abi_set_xsave(&vm->vcpu, &xsave, why, sizeof(why)) < 0)
		FAIL("vCPU state refused: xsave: %s", why);
	if (vcpu_abi_set_regs(&vm->vcpu, &regs, why, sizeof(why)) < 0)
		FAIL("vCPU state refused: regs: %s", why);
	if (vcpu_abi_set_msrs(&vm->vcpu, vm->cpu.icount, &msrs.m, why, sizeof(why)) < 0)
		FAIL("vCPU state refused: msrs: %s", why);

	/* Device state fields only: the host wiring stays as vm_init made it. */
	vm->com1.ier = s->uart.ier;
	vm->com1.lcr = s->uart.lcr;
	vm->com1.mcr = s->uart.mcr;
	vm->com1.scr = s->uart.scr;
	vm->com1.fcr = s->uart.fcr;
	vm->com1.dll = s->uart.dll;
	vm->com1.dlm = s->uart.dlm;
	vm->com1.thre_pending = s->uart.thre_pending;
	memcpy(vm->com1.rx, s->uart.rx, sizeof(vm->com1.rx));
	vm->com1.rx_head = s->uart.rx_head;
	vm->com1.rx_count = s->uart.rx_count;
	vm->exitdev = s->exitdev;

	x86_tlb_flush(&vm->cpu);
	x86_icache_flush(&vm->cpu);
	return 0;
fail:
	vm_destroy(vm);
	return -1;
}

const uint8_t *snap_read_file(const char *path, size_t *len, int *status, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *p;

	*status = 66;
	if (fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		close(fd);
		return NULL;
	}
	*status = 65;
	if ((uint64_t)st.st_size > SNAP_MAX_FILE) {
		snprintf(err, errlen, "oversized: '%s' is %" PRIu64 " bytes, the limit is %" PRIu64,
			 path, (uint64_t)st.st_size, (uint64_t)SNAP_MAX_FILE);
		close(fd);
		return NULL;
	}
	*len = (size_t)st.st_size;
	/*
	 * A private copy, not a mapping: a file that changes or shrinks while it
	 * is parsed must not change checked bytes behind the checks (or SIGBUS).
	 */
	p = malloc(*len ? *len : 1);
	if (!p) {
		snprintf(err, errlen, "out of memory reading '%s' (%zu bytes)", path, *len);
		close(fd);
		return NULL;
	}
	for (size_t got = 0; got < *len;) {
		ssize_t n = read(fd, (uint8_t *)p + got, *len - got);

		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			*len = got;   /* shrank meanwhile: parsed as truncated */
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	return p;
}

void snap_free_file(const uint8_t *p)
{
	free((void *)p);
}
