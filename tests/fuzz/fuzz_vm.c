/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: a whole VM as `apxvm run` builds it (long mode, paging,
 * GDT/TSS, devices), running random code at CPL 0 with exception delivery,
 * so that random system instructions (MOV CR, LGDT/LIDT/LTR, WRMSR, XSETBV,
 * XRSTOR, IRETQ, SYSCALL, ...), random IDTs and random page tables are all
 * reachable.  No crash, no host access outside guest RAM (ASan), no UB
 * (UBSan), and every run ends within the budget.
 *
 * Input: [0]  flags: bit 0 = CPU model without APX, bit 1 = the input
 *             also overwrites the boot page tables (garbage paging),
 *             bit 2 = an IDT at 0x1000 whose gates point into a copy of
 *             the code at 0x2000
 *        [1..] code at the entry point 0x100000; the GPRs are a hash of it
 */
#include <stdint.h>
#include <string.h>

#include "vcpu/cpuid.h"
#include "vmm/vm.h"

#define RAM_MIB   4
#define ENTRY     0x100000u
#define MAX_INSNS 3000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink(void *opaque, uint8_t byte)
{
	(void)opaque;
	(void)byte;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm vm;
	static const struct vcpu_cpu_model *models[2];
	static bool ready[2];
	uint64_t vals[32] = { 0 };
	size_t hdr = 1, code_len;
	const char *why;
	uint8_t status;
	unsigned m;
	char err[200];

	if (size < 1)
		return 0;
	m = data[0] & 1;
	if (!models[0]) {
		models[0] = vcpu_cpu_model_default();
		models[1] = vcpu_cpu_model_find("noapx");
	}
	if (!ready[m] || vm.model != models[m]) {
		vm_destroy(&vm);
		if (vm_init(&vm, RAM_MIB, models[m], NULL, err, sizeof(err)))
			__builtin_trap();
		ready[m] = true;
		ready[!m] = false;
	}
	memset(vm.ram, 0, 0x200000);   /* where code, IDT and stack live; the rest may keep old bytes */
	memset(&vm.vcpu, 0, sizeof(vm.vcpu));
	vcpu_regfile_init(&vm.vcpu.regs, NULL);
	vm.vcpu.model = models[m];
	vm.vcpu.cpuid_apx = vcpu_cpu_model_has_apx(models[m]);
	uart_init(&vm.com1, COM1_BASE, sink, NULL);
	exitdev_init(&vm.exitdev);
	vm.cpu.icount = 0;
	vm.cpu.stop_request = false;
	x86_icache_flush(&vm.cpu);

	for (unsigned r = 0; r < 32; r++) {   /* FNV-1a of the input, per register */
		uint64_t h = 0xcbf29ce484222325ull ^ r;

		for (size_t i = 0; i < size; i++)
			h = (h ^ data[i]) * 0x100000001b3ull;
		vals[r] = r & 1 ? h : h & 0xffff;   /* some small values: valid addresses */
	}
	code_len = size - hdr;
	if (code_len > 0x10000)
		code_len = 0x10000;
	memcpy(vm.ram + ENTRY, data + hdr, code_len);
	memcpy(vm.ram + 0x2000, data + hdr, code_len < 0x1000 ? code_len : 0x1000);
	vm_boot64(&vm, ENTRY);
	for (unsigned r = 0; r < NR_VCPU_GENERAL_PURPOSE_REGS; r++)
		if (r != VCPU_REGS_RSP)
			vm.vcpu.regs.regs[r] = vals[r];
	vm.vcpu.regs.regs[VCPU_REGS_RSP] = 0x200000 - (vals[VCPU_REGS_RSP] & 0xff8);
	if (data[0] & 2)   /* garbage page tables: the input over the PML4 and PDPT */
		memcpy(vm.ram + vm.boot_base, data + hdr, code_len < 0x2000 ? code_len : 0x2000);
	if (data[0] & 4) { /* an IDT of 32 gates into the code page at 0x2000 */
		for (unsigned v = 0; v < 32; v++) {
			uint64_t off = 0x2000 + v * 16, lo;

			lo = (off & 0xffff) | ((uint64_t)0x08 << 16) | ((uint64_t)(v & 7) << 32) |
			     (UINT64_C(0x8e) << 40) | ((off >> 16 & 0xffff) << 48);
			memcpy(vm.ram + 0x1000 + v * 16, &lo, 8);
			memset(vm.ram + 0x1000 + v * 16 + 8, 0, 8);
		}
		vm.vcpu.idt.base = 0x1000;
		vm.vcpu.idt.limit = 32 * 16 - 1;
	}
	(void)vm_run(&vm, MAX_INSNS, 0, &status, &why);
	return 0;
}
