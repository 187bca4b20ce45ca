/* SPDX-License-Identifier: MIT */
/*
 * libapxvm: a VM with guest RAM and one x86-64 vCPU with APX, run by the
 * software CPU or (apxvm_set_accel) by /dev/kvm, driven the way a VMM drives
 * a KVM vCPU.  The register structures are the
 * ones of <linux/kvm.h>; each call below names the KVM ioctl it mirrors.
 *
 *   struct apxvm_vm *vm = apxvm_create(64, "apx", err, sizeof(err));
 *   apxvm_write_mem(vm, 0x100000, code, sizeof(code));
 *   apxvm_boot64(vm, 0x100000);            // long mode, identity-mapped RAM
 *   apxvm_run(vm, 1000000, &exit);         // exit.reason: APXVM_EXIT_IO ...
 *   apxvm_get_xsave2(vm, xs, apxvm_xsave_size(vm));  // R16..R31 at byte 960
 *   apxvm_destroy(vm);
 *
 * Return values: 0 (or a count where stated) on success, a negative errno
 * value on failure (-EINVAL a value is refused, -E2BIG a count or size,
 * -EFAULT a guest address range outside RAM, -ENOMEM).  A refused set call
 * changes nothing; apxvm_last_error(vm) then says why in one line.
 *
 * R16..R31: struct kvm_regs ends at R15, as in KVM.  R16..R31 travel in the
 * APX component of the XSAVE buffer (component 19, offset 960, R16 first,
 * 8 bytes each) through get/set_xsave(2), exactly like the KVM APX series;
 * apxvm_get/set_gprs give all 32 directly.
 *
 * Not thread-safe: one thread drives one VM.
 */
#ifndef APXVM_APXVM_H
#define APXVM_APXVM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#ifdef __cplusplus
extern "C" {
#endif

struct apxvm_vm;

/* ---- VM ---------------------------------------------------------------- */

/*
 * A VM with `ram_mib` MiB of RAM (rounded up to 2 MiB; 4 MiB .. 16 GiB), a
 * COM1 UART at 0x3F8, the exit port 0xF4 and one vCPU of CPU model
 * `cpu_model` ("apx", "noapx"; NULL = the build's default).  The vCPU is in
 * its zeroed state until apxvm_boot64/apxvm_load_elf or the set calls.
 * NULL on failure, with a message in err (may be NULL).
 */
struct apxvm_vm *apxvm_create(uint64_t ram_mib, const char *cpu_model, char *err,
			      size_t errlen);
void apxvm_destroy(struct apxvm_vm *vm);

/*
 * The accelerator: "soft" (the default: the software vCPU), "kvm" (/dev/kvm;
 * -ENODEV with the reason if it cannot be opened or cannot offer the CPU
 * model, e.g. "apx" on a host whose KVM has no APX; -EOPNOTSUPP after
 * apxvm_set_cpuid2 overrides) or "auto" (kvm if it works, else soft: never
 * fails).  May be called at any time; the vCPU state moves with the VM, so
 * a guest can run on one backend and go on on the other.  Every call below
 * works on both, except as noted under apxvm_run and apxvm_set_cpuid2.
 * apxvm_get_accel: "soft" or "kvm", what runs the vCPU now.
 */
int apxvm_set_accel(struct apxvm_vm *vm, const char *accel);
const char *apxvm_get_accel(const struct apxvm_vm *vm);

/* The message of the last failed call ("" if none). */
const char *apxvm_last_error(const struct apxvm_vm *vm);

/* Guest RAM size in bytes, and the first byte the boot tables of apxvm_boot64 use. */
uint64_t apxvm_ram_size(const struct apxvm_vm *vm);
uint64_t apxvm_boot_base(const struct apxvm_vm *vm);

/* Copy to / from guest-physical [gpa, gpa + len): -EFAULT unless inside RAM. */
int apxvm_write_mem(struct apxvm_vm *vm, uint64_t gpa, const void *src, size_t len);
int apxvm_read_mem(struct apxvm_vm *vm, uint64_t gpa, void *dst, size_t len);

/*
 * The _start64 boot state: 64-bit mode at CPL 0, RAM identity-mapped by
 * page tables and a GDT/TSS in [apxvm_boot_base, ram size), IF = 0,
 * RSP = apxvm_boot_base, XCR0 = x87, RIP = entry.  Overwrites that area.
 */
int apxvm_boot64(struct apxvm_vm *vm, uint64_t entry);

/* Load an ELF64 guest (the `apxvm run` loader: _start64 entry) and apxvm_boot64 it. */
int apxvm_load_elf(struct apxvm_vm *vm, const void *file, size_t size);

/*
 * Serial output: every byte the guest transmits on COM1 goes to fn
 * (NULL: the default, stdout).
 */
void apxvm_set_serial_tx(struct apxvm_vm *vm, void (*fn)(void *opaque, uint8_t byte),
			 void *opaque);

/* ---- run --------------------------------------------------------------- */

enum apxvm_exit_reason {
	APXVM_EXIT_IO = 1,	/* OUT to a port no built-in device claims */
	APXVM_EXIT_MMIO,	/* reserved: no MMIO exits are produced yet */
	APXVM_EXIT_HLT,		/* HLT (no interrupt can wake the vCPU) */
	APXVM_EXIT_SHUTDOWN,	/* triple fault */
	APXVM_EXIT_LIMIT,	/* max_insns retired */
	APXVM_EXIT_INTERNAL,	/* unsupported state or emulator bug: see message */
	APXVM_EXIT_EXIT_PORT,	/* the guest wrote the exit port 0xF4 */
};

#define APXVM_EXIT_IO_IN	0
#define APXVM_EXIT_IO_OUT	1

/*
 * Why apxvm_run returned: like struct kvm_run's exit_reason and union, but
 * self-contained.  For IO the OUT has already retired (RIP is after it) and
 * `data` holds the value written; IN from an unclaimed port never exits, it
 * reads all ones.
 */
struct apxvm_exit {
	uint32_t reason;		/* enum apxvm_exit_reason */
	uint64_t icount;		/* instructions retired since apxvm_create */
	union {
		struct {
			uint8_t direction;	/* APXVM_EXIT_IO_OUT */
			uint8_t size;		/* 1, 2 or 4 */
			uint16_t port;
			uint32_t data;
		} io;
		struct {
			uint64_t phys_addr;
			uint8_t data[8];
			uint32_t len;
			uint8_t is_write;
		} mmio;
		struct {
			uint32_t value;		/* as written */
			uint8_t status;		/* value & 0xff */
		} exit_port;
	};
	char message[128];		/* HLT, SHUTDOWN, INTERNAL, LIMIT: what happened */
};

/*
 * Run until an exit or until max_insns instructions (0 = no limit) have
 * been executed in this call (exceptions delivered count as one).
 * 0 and *exit filled, or a negative errno (vm or exit NULL).
 *
 * On "kvm" the exits are the same (IO for an OUT to an unclaimed port, with
 * RIP after it; EXIT_PORT, HLT, SHUTDOWN, INTERNAL with KVM's reason), but
 * KVM has no instruction count: max_insns must be 0 (else -EINVAL, nothing
 * run) and exit->icount does not advance.
 */
int apxvm_run(struct apxvm_vm *vm, uint64_t max_insns, struct apxvm_exit *exit);

/* ---- vCPU state (KVM_GET_* / KVM_SET_*) -------------------------------- */

/* KVM_GET/SET_REGS: RAX..R15, RIP, RFLAGS (bit 1 forced on set, reserved bits refused). */
int apxvm_get_regs(struct apxvm_vm *vm, struct kvm_regs *regs);
int apxvm_set_regs(struct apxvm_vm *vm, const struct kvm_regs *regs);

/* All 32 GPRs in encoding order (r[0] = RAX, r[1] = RCX, ... r[16] = R16). */
struct apxvm_gprs {
	__u64 r[32];
};
int apxvm_get_gprs(struct apxvm_vm *vm, struct apxvm_gprs *gprs);
int apxvm_set_gprs(struct apxvm_vm *vm, const struct apxvm_gprs *gprs);

/* KVM_GET/SET_SREGS (validated like kvm_is_valid_sregs; interrupt_bitmap must be empty). */
int apxvm_get_sregs(struct apxvm_vm *vm, struct kvm_sregs *sregs);
int apxvm_set_sregs(struct apxvm_vm *vm, const struct kvm_sregs *sregs);

/* KVM_GET/SET_FPU. */
int apxvm_get_fpu(struct apxvm_vm *vm, struct kvm_fpu *fpu);
int apxvm_set_fpu(struct apxvm_vm *vm, const struct kvm_fpu *fpu);

/* KVM_CHECK_EXTENSION(KVM_CAP_XSAVE2): max(4096, the CPU model's XSAVE size). */
size_t apxvm_xsave_size(const struct apxvm_vm *vm);

/* KVM_GET/SET_XSAVE (4096 bytes) and KVM_GET_XSAVE2 / SET_XSAVE of `size` bytes. */
int apxvm_get_xsave(struct apxvm_vm *vm, struct kvm_xsave *xsave);
int apxvm_set_xsave(struct apxvm_vm *vm, const struct kvm_xsave *xsave);
int apxvm_get_xsave2(struct apxvm_vm *vm, struct kvm_xsave *xsave, size_t size);
int apxvm_set_xsave2(struct apxvm_vm *vm, const struct kvm_xsave *xsave, size_t size);

/* KVM_GET/SET_XCRS (XCR0, checked with the rules of XSETBV). */
int apxvm_get_xcrs(struct apxvm_vm *vm, struct kvm_xcrs *xcrs);
int apxvm_set_xcrs(struct apxvm_vm *vm, const struct kvm_xcrs *xcrs);

/*
 * KVM_GET/SET_MSRS: return msrs->nmsrs, or a negative errno (a set that is
 * refused changes no MSR).  KVM_GET_MSR_INDEX_LIST: up to max indexes into
 * out, returns the total count.
 */
int apxvm_get_msrs(struct apxvm_vm *vm, struct kvm_msrs *msrs);
int apxvm_set_msrs(struct apxvm_vm *vm, const struct kvm_msrs *msrs);
size_t apxvm_msr_index_list(uint32_t *out, size_t max);

/*
 * KVM_SET_CPUID2 (software CPU only; -EOPNOTSUPP on "kvm", whose guest sees
 * the CPU model within KVM_GET_SUPPORTED_CPUID): an override table over the CPU model (each entry replaces
 * the model's answer for its function/index; APX_F decides the XCR0 rules).
 * KVM_GET_CPUID2 returns the table; apxvm_get_supported_cpuid every leaf as
 * the guest sees it.  Get: cpuid->nent is the capacity in, the count out
 * (-E2BIG if too small).
 */
int apxvm_set_cpuid2(struct apxvm_vm *vm, const struct kvm_cpuid2 *cpuid);
int apxvm_get_cpuid2(struct apxvm_vm *vm, struct kvm_cpuid2 *cpuid);
int apxvm_get_supported_cpuid(struct apxvm_vm *vm, struct kvm_cpuid2 *cpuid);

/*
 * KVM_GET/SET_VCPU_EVENTS: no interrupt controller and exceptions are
 * delivered inside apxvm_run, so nothing is ever pending: get returns all
 * zero, set accepts only that.
 */
int apxvm_get_vcpu_events(struct apxvm_vm *vm, struct kvm_vcpu_events *events);
int apxvm_set_vcpu_events(struct apxvm_vm *vm, const struct kvm_vcpu_events *events);

#ifdef __cplusplus
}
#endif

#endif
