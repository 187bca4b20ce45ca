/* SPDX-License-Identifier: MIT */
/*
 * One virtual machine: guest RAM, the port bus with its devices, and one
 * vCPU on the software backend.  vm_run() is the run loop; its result says
 * why the guest stopped (enum vm_stop), and cmd_run.c maps that to the
 * process exit status documented in README.md.
 */
#ifndef APXVM_VMM_VM_H
#define APXVM_VMM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vcpu/cpuid.h"
#include "vcpu/vcpu.h"
#include "vmm/devices.h"
#include "x86/interp.h"

#define VM_RAM_MIN      (4ull << 20)
#define VM_RAM_MAX      (16ull << 30)   /* the boot page tables cover 16 GiB */
#define VM_PAGE_2M      (2ull << 20)

/* Boot-time GDT selectors (the _start64 state the VMM builds). */
#define VM_SEL_CODE64   0x08
#define VM_SEL_DATA     0x10
#define VM_SEL_UDATA    0x1b
#define VM_SEL_UCODE64  0x23
#define VM_SEL_TSS      0x28

struct kvm_backend;

struct vm {
	uint8_t *ram;
	uint64_t ram_size;        /* a multiple of 2 MiB */
	uint64_t boot_base;       /* VMM-built tables live in [boot_base, ram_size) */
	const struct vcpu_cpu_model *model;
	struct vcpu vcpu;
	struct x86_cpu cpu;
	struct pio_bus bus;
	struct uart16550 com1;
	struct exitdev exitdev;
	FILE *trace;              /* NULL: no --trace */
	/* --snapshot-at: vm_run stops when cpu.icount reaches stop_at (retired instructions). */
	bool has_stop_at;
	uint64_t stop_at;
	struct kvm_backend *kvm;  /* NULL: the software backend (accel/kvm.h) */
};

enum vm_stop {
	VM_STOP_EXIT_PORT,        /* the guest wrote port 0xF4 */
	VM_STOP_HLT,              /* HLT: nothing can wake the vCPU */
	VM_STOP_SHUTDOWN,         /* triple fault */
	VM_STOP_LIMIT,            /* --max-insns reached */
	VM_STOP_TIMEOUT,          /* --timeout reached */
	VM_STOP_INTERNAL,         /* unsupported state, garbage page tables, emulator bug */
	VM_STOP_AT,               /* cpu.icount == stop_at, the vCPU can go on (snapshots) */
};

/* Allocate RAM (ram_mib rounded up to 2 MiB) and wire the devices. 0 or -1 (err). */
int vm_init(struct vm *vm, uint64_t ram_mib, const struct vcpu_cpu_model *model,
	    FILE *trace, char *err, size_t errlen);
void vm_destroy(struct vm *vm);

/*
 * Build the _start64 state (../shared/bench/README.md): long mode at CPL 0,
 * identity-mapped RAM (2 MiB pages, P|RW|US), the GDT above, a 64-bit TSS in
 * TR, no IDT, IF = 0, RIP = entry.  The tables take the top pages of RAM,
 * [vm->boot_base, ram_size), which loaded images must not touch.
 */
void vm_boot64(struct vm *vm, uint64_t entry);

/*
 * Run the vCPU on KVM from now on (after vm_boot64 or a restore: the first
 * run copies struct vcpu in; every stop copies it back).  0, or -1 and a
 * message (no /dev/kvm, or the CPU model needs APX the host cannot offer).
 * On KVM vm_run has no instruction count: max_insns and stop_at are ignored.
 */
int vm_use_kvm(struct vm *vm, char *err, size_t errlen);

/*
 * Run until the guest stops; max_insns 0 = no limit, timeout_sec 0 = none.
 * *status gets the exit-port status for VM_STOP_EXIT_PORT.  *why gets a
 * message for the other reasons.
 */
enum vm_stop vm_run(struct vm *vm, uint64_t max_insns, double timeout_sec,
		    uint8_t *status, const char **why);

/* Registers, control registers and the last exception, for error reports. */
void vm_dump_state(struct vm *vm, FILE *f);

#endif
