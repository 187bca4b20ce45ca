/* SPDX-License-Identifier: MIT */
/*
 * libapxvm in 60 lines: create a VM, put a few bytes of guest code in RAM,
 * give it a register through KVM_SET_REGS-style state, run it until its
 * OUT, and read the exit and the registers (R16 through the 32-GPR accessor).
 *
 *   cc -Iinclude examples/api_example.c build/libapxvm.a -o api_example
 */
#include <inttypes.h>
#include <stdio.h>

#include <apxvm/apxvm.h>

int main(void)
{
	/* lea rax, [rbx + rbx*2]; out 0x80, al; hlt */
	static const uint8_t code[] = { 0x48, 0x8d, 0x04, 0x5b, 0xe6, 0x80, 0xf4 };
	const uint64_t entry = 0x100000;
	struct apxvm_gprs gprs;
	struct apxvm_exit exit;
	struct kvm_regs regs;
	struct apxvm_vm *vm;
	char err[256];

	vm = apxvm_create(16, NULL, err, sizeof(err));	/* 16 MiB, default CPU model */
	if (!vm) {
		fprintf(stderr, "api_example: %s\n", err);
		return 1;
	}
	if (apxvm_write_mem(vm, entry, code, sizeof(code)) || apxvm_boot64(vm, entry)) {
		fprintf(stderr, "api_example: %s\n", apxvm_last_error(vm));
		apxvm_destroy(vm);
		return 1;
	}

	apxvm_get_regs(vm, &regs);	/* the boot state: RIP = entry, long mode */
	regs.rbx = 14;
	apxvm_set_regs(vm, &regs);

	if (apxvm_run(vm, 1000, &exit) || exit.reason != APXVM_EXIT_IO) {
		fprintf(stderr, "api_example: unexpected exit %u (%s)\n", exit.reason, exit.message);
		apxvm_destroy(vm);
		return 1;
	}
	printf("api_example: exit IO: out port 0x%x, %u byte(s), data %" PRIu32 "\n",
	       exit.io.port, exit.io.size, exit.io.data);

	apxvm_get_regs(vm, &regs);
	apxvm_get_gprs(vm, &gprs);
	printf("api_example: rax %" PRIu64 ", rip 0x%" PRIx64 ", r16 %" PRIu64 ", %" PRIu64
	       " instructions\n", (uint64_t)regs.rax, (uint64_t)regs.rip, (uint64_t)gprs.r[16],
	       exit.icount);

	apxvm_run(vm, 1000, &exit);	/* continues after the OUT: the HLT */
	printf("api_example: then %s\n", exit.reason == APXVM_EXIT_HLT ? exit.message : "?");
	apxvm_destroy(vm);
	return regs.rax == 42 && exit.reason == APXVM_EXIT_HLT ? 0 : 1;
}
