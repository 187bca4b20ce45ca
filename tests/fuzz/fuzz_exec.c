/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: execute random bytes from a random register state for a
 * bounded number of instructions.  Guest RAM is a heap buffer of exactly
 * RAM_SIZE bytes, so ASan reports any host access outside it; UBSan reports
 * undefined behaviour in the handlers.
 *
 * Input: [0]       flags (bit 0: APX on)
 *        [1..264]  RFLAGS + 32 GPRs (8 bytes each, missing bytes are 0)
 *        [265..]   code, placed at CODE_ADDR; the rest of RAM is a pattern
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x86/interp.h"

#define RAM_SIZE  (64u << 10)
#define CODE_ADDR 0x1000u
#define MAX_STEPS 2000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *ram = malloc(RAM_SIZE);
	uint64_t vals[33] = { 0 };
	struct vcpu v;
	struct x86_cpu c;
	size_t hdr = 1 + sizeof(vals), code_len;

	if (!ram || size < 1) {
		free(ram);
		return 0;
	}
	for (unsigned i = 0; i < RAM_SIZE; i++)
		ram[i] = (uint8_t)(i * 7 + 3);
	memcpy(vals, data + 1, size - 1 < sizeof(vals) ? size - 1 : sizeof(vals));
	code_len = size > hdr ? size - hdr : 0;
	if (code_len > RAM_SIZE - CODE_ADDR)
		code_len = RAM_SIZE - CODE_ADDR;
	if (code_len)
		memcpy(ram + CODE_ADDR, data + hdr, code_len);

	memset(&v, 0, sizeof(v));
	vcpu_regfile_init(&v.regs, NULL);
	for (unsigned r = 0; r < NR_VCPU_GENERAL_PURPOSE_REGS; r++)
		v.regs.regs[r] = vals[1 + r];
	/* Keep the stack mostly inside RAM so pushes/pops get exercised, not just #PF. */
	if (!(data[0] & 2))
		v.regs.regs[VCPU_REGS_RSP] = RAM_SIZE / 2 + (vals[1 + VCPU_REGS_RSP] & 0xff0);
	v.regs.rflags = (vals[0] & 0x0cd5) | X86_FLAGS_FIXED;
	v.regs.rip = CODE_ADDR;
	v.cr4 = X86_CR4_OSXSAVE;
	v.cpuid_apx = data[0] & 1;
	v.xcr0 = X86_XCR0_X87 | X86_XCR0_SSE | (v.cpuid_apx ? X86_XCR0_APX : 0);
	vcpu_update_apx(&v);

	memset(&c, 0, sizeof(c));
	c.v = &v;
	c.ram = ram;
	c.ram_size = RAM_SIZE;
	for (unsigned i = 0; i < MAX_STEPS; i++) {
		enum x86_exit ex = x86_step(&c);

		if (ex == X86_EXIT_INTERNAL)
			abort(); /* an emulator bug, not a guest error */
		if (ex != X86_EXIT_NONE)
			break;
	}
	free(ram);
	return 0;
}
