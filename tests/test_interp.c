/* SPDX-License-Identifier: MIT */
/*
 * The interpreter core: fetch faults, memory faults with their error codes,
 * precise exceptions, APX gating, the instruction budget and the stop
 * address, the handler table, condition codes.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "x86/interp.h"
#include "x86/interp_internal.h"

#define RAM_SIZE (1u << 20)
#define CODE 0x1000u

static uint8_t *ram;
static struct vcpu v;
static struct x86_cpu c;

static void reset(bool apx)
{
	memset(ram, 0, RAM_SIZE);
	memset(&v, 0, sizeof(v));
	vcpu_regfile_init(&v.regs, NULL);
	v.regs.rip = CODE;
	v.regs.rflags = X86_FLAGS_FIXED;
	v.regs.regs[VCPU_REGS_RSP] = 0x80000;
	v.cr4 = X86_CR4_OSXSAVE;
	v.cpuid_apx = apx;
	v.xcr0 = X86_XCR0_X87 | X86_XCR0_SSE | (apx ? X86_XCR0_APX : 0);
	vcpu_update_apx(&v);
	memset(&c, 0, sizeof(c));
	c.v = &v;
	c.ram = ram;
	c.ram_size = RAM_SIZE;
}

static void place(const char *hex)
{
	for (unsigned i = 0; hex[2 * i]; i++) {
		char b[3] = { hex[2 * i], hex[2 * i + 1], 0 };

		ram[CODE + i] = (uint8_t)strtoul(b, NULL, 16);
	}
}

/* Snapshot of the architectural state that a faulting instruction must not change. */
struct snap { uint64_t regs[NR_VCPU_GENERAL_PURPOSE_REGS], rip, rflags; uint8_t mem[64]; };

static void take(struct snap *s, uint64_t mem_at)
{
	memcpy(s->regs, v.regs.regs, sizeof(s->regs));
	s->rip = v.regs.rip;
	s->rflags = v.regs.rflags;
	memcpy(s->mem, ram + mem_at, sizeof(s->mem));
}

static bool same(const struct snap *a, const struct snap *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static void test_fetch_faults(void)
{
	enum x86_exit ex;

	reset(true);
	v.regs.rip = RAM_SIZE + 0x10;
	ex = x86_step(&c);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_PF && c.exc.cr2 == RAM_SIZE + 0x10 &&
	   c.exc.has_error && c.exc.error == 0 && v.regs.rip == RAM_SIZE + 0x10,
	   "fetch outside RAM: #PF, error 0, CR2 = RIP, RIP unchanged");

	reset(true);
	v.regs.rip = RAM_SIZE - 2; /* 48 05 imm32: 6 bytes, only 2 mapped */
	ram[RAM_SIZE - 2] = 0x48;
	ram[RAM_SIZE - 1] = 0x05;
	ex = x86_step(&c);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_PF && c.exc.cr2 == RAM_SIZE,
	   "instruction straddling the end of RAM: #PF at the first unmapped byte");

	reset(true);
	v.regs.rip = UINT64_C(0x0000800000000000);
	ex = x86_step(&c);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_GP && c.exc.error == 0,
	   "non-canonical RIP: #GP(0)");
}

static void test_memory_faults(void)
{
	struct snap before, after;
	enum x86_exit ex;

	reset(true);
	place("480303");  /* add rax, [rbx] */
	v.regs.regs[VCPU_REGS_RBX] = 0x200000;
	v.regs.regs[VCPU_REGS_RAX] = 5;
	take(&before, CODE);
	ex = x86_step(&c);
	take(&after, CODE);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_PF && c.exc.cr2 == 0x200000 &&
	   c.exc.error == 0, "read of unmapped memory: #PF, error code 0 (not present, read), CR2");
	ok(same(&before, &after), "the faulting read changed nothing");

	reset(true);
	place("480103");  /* add [rbx], rax */
	v.regs.regs[VCPU_REGS_RBX] = RAM_SIZE - 4; /* 8-byte access straddles the end */
	ex = x86_step(&c);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_PF && c.exc.cr2 == RAM_SIZE,
	   "RMW straddling the end of RAM: #PF at the first unmapped byte");
	ok(c.exc.error == 0 || c.exc.error == X86_PF_W,
	   "RMW fault error code is 0 (read side) or W (error %#x)", c.exc.error);

	reset(true);
	place("480303");
	v.regs.regs[VCPU_REGS_RBX] = UINT64_C(0x8000000000000000);
	ex = x86_step(&c);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_GP && c.exc.error == 0,
	   "non-canonical data address: #GP(0)");

	reset(true);
	place("48034500"); /* add rax, [rbp+0] */
	v.regs.regs[VCPU_REGS_RBP] = UINT64_C(0x8000000000000000);
	ex = x86_step(&c);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_SS && c.exc.error == 0,
	   "non-canonical RBP-based address: #SS(0)");

	reset(true);
	place("64480303"); /* add rax, fs:[rbx] */
	v.fs_base = 0x3000;
	v.regs.regs[VCPU_REGS_RBX] = 0x10;
	ram[0x3010] = 7;
	ex = x86_step(&c);
	ok(ex == X86_EXIT_NONE && v.regs.regs[VCPU_REGS_RAX] == 7, "FS base is added to the address");

	reset(true);
	place("67480303"); /* add rax, [ebx] */
	v.regs.regs[VCPU_REGS_RBX] = UINT64_C(0xffffffff00002000);
	ram[0x2000] = 9;
	ex = x86_step(&c);
	ok(ex == X86_EXIT_NONE && v.regs.regs[VCPU_REGS_RAX] == 9, "67: 32-bit address wraps to EBX");
}

static void test_apx_gating(void)
{
	enum x86_exit ex;

	reset(false);
	place("d51901c8"); /* add r24, rcx */
	ex = x86_step(&c);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_UD && v.regs.rip == CODE,
	   "REX2 with APX off: #UD");

	reset(true);
	v.xcr0 &= ~(uint64_t)X86_XCR0_APX;
	vcpu_update_apx(&v);
	place("62f474180100"); /* add ecx, [rax], eax */
	ex = x86_step(&c);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_UD, "APX EVEX with XCR0.APX=0: #UD");

	reset(true);
	v.cr4 = 0;
	vcpu_update_apx(&v);
	place("d51901c8");
	ex = x86_step(&c);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_UD, "REX2 with CR4.OSXSAVE=0: #UD");

#ifdef CONFIG_APX
	reset(true);
	place("d51901c8");
	v.regs.regs[VCPU_REGS_R24] = 40;
	v.regs.regs[VCPU_REGS_RCX] = 2;
	ex = x86_step(&c);
	ok(ex == X86_EXIT_NONE && v.regs.regs[VCPU_REGS_R24] == 42 && v.regs.rip == CODE + 4,
	   "REX2 with APX on: add r24, rcx");
#else
	ok(!v.apx_enabled, "APX=0 build: APX can never be enabled");
#endif
}

static void test_budget_and_stop(void)
{
	enum x86_exit ex;

	reset(true);
	place("4801c04801c04801c0"); /* add rax, rax x3 */
	v.regs.regs[VCPU_REGS_RAX] = 1;
	ex = x86_run(&c, 2);
	ok(ex == X86_EXIT_LIMIT && c.icount == 2 && v.regs.regs[VCPU_REGS_RAX] == 4 &&
	   v.regs.rip == CODE + 6, "x86_run stops after the budget (2 retired)");

	reset(true);
	place("4801c04801c0");
	v.regs.regs[VCPU_REGS_RAX] = 1;
	c.has_stop = true;
	c.stop_rip = CODE + 6;
	ex = x86_run(&c, 100);
	ok(ex == X86_EXIT_STOP && v.regs.regs[VCPU_REGS_RAX] == 4, "x86_run stops at stop_rip");

	reset(true);
	place("06"); /* push es: invalid in 64-bit mode */
	ex = x86_step(&c);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_UD && c.icount == 0,
	   "an opcode invalid in 64-bit mode: #UD, nothing retired");
}

static void test_cond(void)
{
	static const struct { unsigned cc; uint64_t flags; bool want; } t[] = {
		{ 0, X86_FLAGS_OF, true }, { 1, X86_FLAGS_OF, false }, { 2, X86_FLAGS_CF, true },
		{ 4, X86_FLAGS_ZF, true }, { 5, 0, true }, { 6, X86_FLAGS_ZF, true },
		{ 7, X86_FLAGS_CF, false }, { 8, X86_FLAGS_SF, true }, { 10, X86_FLAGS_PF, true },
		{ 12, X86_FLAGS_SF, true }, { 12, X86_FLAGS_SF | X86_FLAGS_OF, false },
		{ 13, X86_FLAGS_OF, false }, { 14, X86_FLAGS_ZF, true }, { 15, 0, true },
		{ 15, X86_FLAGS_SF, false },
	};
	bool all = true;

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		all &= x86_cond(t[i].flags, t[i].cc) == t[i].want;
	ok(all, "x86_cond: the 16 conditions");
}

static void test_names(void)
{
	struct x86_exception e = { .vector = X86_EXC_GP };
	char buf[32];
	const char *dup = x86_handler_table_duplicate();

	ok(!strcmp(x86_exception_name(&e, buf, sizeof(buf)), "#GP"), "exception name #GP");
	e.vector = 0x80;
	e.soft = true;
	ok(!strcmp(x86_exception_name(&e, buf, sizeof(buf)), "#INT(0x80)"), "software INT 0x80 name");
	ok(!strcmp(x86_exception_name(NULL, buf, sizeof(buf)), "none"), "no exception: none");
	ok(dup == NULL, "no row name has two handlers (%s)", dup ? dup : "none");
}

int main(void)
{
	ram = malloc(RAM_SIZE);
	if (!ram)
		return 2;
	test_fetch_faults();
	test_memory_faults();
	test_apx_gating();
	test_budget_and_stop();
	test_cond();
	test_names();
	free(ram);
	return done_testing();
}
