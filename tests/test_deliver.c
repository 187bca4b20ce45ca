/* SPDX-License-Identifier: MIT */
/*
 * 64-bit IDT delivery (x86_deliver): stack frames with error codes and CR2,
 * RSP0 and IST stack switches, gate checks (limit, type, DPL of INT n,
 * present), #DF escalation with nothing left of the failed attempt, triple
 * fault, and the way back: IRETQ to CPL 3, SYSCALL/SYSRET round trips.
 * Flat guest RAM (paging off) except for the #PF-during-delivery case.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "x86/interp.h"
#include "x86/interp_internal.h"

#define RAM_SIZE  (4u << 20)
#define GDT       0x1000u
#define IDT       0x2000u
#define TSS       0x3000u
#define UCODE     0x10000u   /* user code */
#define KCODE     0x20000u   /* handlers: KCODE + vector * 0x10 */
#define RSP0      0x90000u
#define IST1      0xa0000u
#define IST2      0xb0000u
#define USTACK    0x70008u   /* deliberately not 16-byte aligned */

/* Selectors. */
#define KCS   0x08
#define KDS   0x10
#define UDS   0x1b
#define UCS   0x23
#define NPCS  0x28   /* kernel code, not present */
#define CS32  0x30   /* kernel code, L = 0 */
#define TRSEL 0x40

#include "vcpu_fixture.h"

/* A 64-bit gate: type 0xE interrupt, 0xF trap. */
static void set_gate(unsigned vec, uint16_t sel, uint64_t off, unsigned type, unsigned dpl,
		     unsigned ist, bool present)
{
	uint64_t lo = (off & 0xffff) | ((uint64_t)sel << 16) | ((uint64_t)ist << 32) |
		      ((uint64_t)type << 40) | ((uint64_t)dpl << 45) |
		      ((uint64_t)present << 47) | (((off >> 16) & 0xffff) << 48);

	set64(IDT + vec * 16, lo);
	set64(IDT + vec * 16 + 8, off >> 32);
}



static void reset(void)
{
	memset(ram, 0, RAM_SIZE);
	memset(&v, 0, sizeof(v));
	vcpu_regfile_init(&v.regs, NULL);
	v.regs.rflags = X86_FLAGS_FIXED | X86_FLAGS_IF;
	v.cr0 = X86_CR0_PE;
	v.efer = X86_EFER_LME | X86_EFER_LMA | X86_EFER_SCE;
	attach_cpu();

	set64(GDT + 0x08, UINT64_C(0x00af9b000000ffff)); /* kernel code 64 */
	set64(GDT + 0x10, UINT64_C(0x00cf93000000ffff)); /* kernel data */
	set64(GDT + 0x18, UINT64_C(0x00cff3000000ffff)); /* user data */
	set64(GDT + 0x20, UINT64_C(0x00affb000000ffff)); /* user code 64 */
	set64(GDT + 0x28, UINT64_C(0x00af1b000000ffff)); /* kernel code, P = 0 */
	set64(GDT + 0x30, UINT64_C(0x00cf9b000000ffff)); /* kernel code 32 */
	set64(GDT + 0x38, UINT64_C(0x00af9a000000ffff)); /* kernel code 64, not accessed */
	v.gdt.base = GDT;
	v.gdt.limit = 0x4f;
	v.idt.base = IDT;
	v.idt.limit = 256 * 16 - 1;
	v.seg[VCPU_SEG_TR].selector = TRSEL;
	v.seg[VCPU_SEG_TR].base = TSS;
	v.seg[VCPU_SEG_TR].limit = 0x67;
	v.seg[VCPU_SEG_TR].present = 1;
	v.seg[VCPU_SEG_TR].type = 0xb;
	set64(TSS + 4, RSP0);
	set64(TSS + 0x24, IST1);
	set64(TSS + 0x2c, IST2);
	for (unsigned vec = 0; vec < 256; vec++)
		set_gate(vec, KCS, KCODE + vec * 0x10, 0xe, 0, 0, true);
	set_cpl(0);
	v.regs.regs[VCPU_REGS_RSP] = USTACK;
}

/* Put code at `at` and execute one instruction there. */
static enum x86_exit run_at(uint64_t at, const uint8_t *code, unsigned n)
{
	memcpy(ram + at, code, n);
	v.regs.rip = at;
	return x86_step(&c);
}

#define RUN(at, ...) run_at((at), (const uint8_t[]){ __VA_ARGS__ }, \
			    sizeof((const uint8_t[]){ __VA_ARGS__ }))

/* The 64-bit frame at RSP: [error], RIP, CS, RFLAGS, RSP, SS. */
struct frame {
	uint64_t err, rip, cs, rflags, rsp, ss;
};

static struct frame frame_at(uint64_t sp, bool err)
{
	struct frame f = { 0 };
	unsigned i = 0;

	if (err)
		f.err = get64(sp + 8 * i++);
	f.rip = get64(sp + 8 * i++);
	f.cs = get64(sp + 8 * i++);
	f.rflags = get64(sp + 8 * i++);
	f.rsp = get64(sp + 8 * i++);
	f.ss = get64(sp + 8 * i++);
	return f;
}

static uint64_t RSP(void)
{
	return v.regs.regs[VCPU_REGS_RSP];
}

static void test_ud_same_level(void)
{
	enum x86_exit ex;
	struct frame f;

	reset();
	ex = RUN(UCODE, 0x0f, 0x0b);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_UD, "ud2 raises #UD");
	ex = x86_deliver(&c);
	f = frame_at(RSP(), false);
	ok(ex == X86_EXIT_NONE && v.regs.rip == KCODE + 6 * 0x10, "#UD: handler entered");
	ok(RSP() == (USTACK & ~15ull) - 40, "same level: RSP aligned down to 16, 5 items pushed");
	ok(f.rip == UCODE && f.cs == KCS && f.rsp == USTACK && f.ss == KDS,
	   "frame: RIP of the ud2, CS, old RSP, SS");
	ok(f.rflags == (X86_FLAGS_FIXED | X86_FLAGS_IF | X86_FLAGS_RF),
	   "saved RFLAGS of a fault has RF set (0x%llx)", (unsigned long long)f.rflags);
	ok(!(v.regs.rflags & X86_FLAGS_IF) && v.cpl == 0 && v.seg[VCPU_SEG_SS].selector == KDS,
	   "interrupt gate clears IF; CPL and SS unchanged");
	ok((ram[GDT + 8 + 5] & 1) != 0, "CS descriptor accessed bit stays set");

	/* Trap gate keeps IF; the accessed bit of the handler's CS gets set. */
	reset();
	set_gate(6, 0x38, KCODE, 0xf, 0, 0, true);
	RUN(UCODE, 0x0f, 0x0b);
	ex = x86_deliver(&c);
	ok(ex == X86_EXIT_NONE && (v.regs.rflags & X86_FLAGS_IF) &&
	   v.seg[VCPU_SEG_CS].selector == 0x38 && (ram[GDT + 0x38 + 5] & 1),
	   "trap gate: IF kept, CS 0x38 loaded and marked accessed");
}

static void test_gp_pf_error_codes(void)
{
	enum x86_exit ex;
	struct frame f;

	reset();
	v.regs.regs[VCPU_REGS_RBX] = UINT64_C(0x8000000000000000);
	ex = RUN(UCODE, 0x48, 0x8b, 0x03); /* mov rax, [rbx] */
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_GP, "non-canonical load: #GP");
	ex = x86_deliver(&c);
	f = frame_at(RSP(), true);
	ok(ex == X86_EXIT_NONE && v.regs.rip == KCODE + 13 * 0x10 && f.err == 0 &&
	   f.rip == UCODE && RSP() == (USTACK & ~15ull) - 48,
	   "#GP(0): error code pushed, 6 items");

	/* #PF from CPL 3: U bit, CR2, stack switch to RSP0, SS = NULL. */
	reset();
	set_cpl(3);
	v.regs.regs[VCPU_REGS_RBX] = RAM_SIZE + 0x123;
	ex = RUN(UCODE, 0x48, 0x8b, 0x03);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_PF, "load outside RAM: #PF");
	ok(v.cr2 == 0, "CR2 not written before delivery");
	ex = x86_deliver(&c);
	f = frame_at(RSP(), true);
	ok(ex == X86_EXIT_NONE && v.cr2 == RAM_SIZE + 0x123, "delivery writes CR2");
	ok(f.err == X86_PF_U, "error code: user read of a missing page (0x%llx)",
	   (unsigned long long)f.err);
	ok(RSP() == RSP0 - 48 && f.rsp == USTACK && f.ss == UDS && f.cs == UCS && f.rip == UCODE,
	   "CPL 3 -> 0: RSP0 stack, old SS:RSP and CS:RIP saved");
	ok(v.cpl == 0 && v.seg[VCPU_SEG_CS].selector == KCS && v.seg[VCPU_SEG_CS].dpl == 0 &&
	   v.seg[VCPU_SEG_SS].selector == 0 && v.seg[VCPU_SEG_SS].unusable,
	   "CPL 0, CS = 0x08, SS = NULL selector with RPL 0");
}

static void test_ist(void)
{
	reset();
	set_gate(6, KCS, KCODE, 0xe, 0, 1, true);
	RUN(UCODE, 0x0f, 0x0b);
	ok(x86_deliver(&c) == X86_EXIT_NONE && RSP() == IST1 - 40 &&
	   frame_at(RSP(), false).rsp == USTACK, "IST1 used at the same level");
	reset();
	set_cpl(3);
	set_gate(6, KCS, KCODE, 0xe, 0, 2, true);
	RUN(UCODE, 0x0f, 0x0b);
	ok(x86_deliver(&c) == X86_EXIT_NONE && RSP() == IST2 - 40, "IST2 beats RSP0 from CPL 3");
	reset();
	set_gate(6, KCS, KCODE, 0xe, 0, 7, true); /* IST7 is at 0x54..0x5b */
	v.seg[VCPU_SEG_TR].limit = 0x57;
	RUN(UCODE, 0x0f, 0x0b);
	ok(x86_deliver(&c) == X86_EXIT_NONE && c.exc.vector == X86_EXC_TS &&
	   frame_at(RSP(), true).err == (TRSEL | 1),
	   "IST outside the TSS limit: #TS(TR selector + EXT) delivered");
}

static void test_soft_int(void)
{
	enum x86_exit ex;
	struct frame f;
	uint64_t flags;

	/* INT 0x80 from CPL 3 through a DPL 3 trap gate. */
	reset();
	set_cpl(3);
	set_gate(0x80, KCS, KCODE + 0x800, 0xf, 3, 0, true);
	ex = RUN(UCODE, 0xcd, 0x80);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.soft && v.regs.rip == UCODE + 2, "int 0x80 traps");
	ex = x86_deliver(&c);
	f = frame_at(RSP(), false);
	ok(ex == X86_EXIT_NONE && v.regs.rip == KCODE + 0x800 && RSP() == RSP0 - 40 &&
	   f.rip == UCODE + 2 && f.rflags == (X86_FLAGS_FIXED | X86_FLAGS_IF) &&
	   (v.regs.rflags & X86_FLAGS_IF),
	   "int 0x80: frame RIP after the instruction, no RF, trap gate keeps IF");

	/* IRETQ back to CPL 3. */
	v.regs.rflags |= X86_FLAGS_CF;
	ex = RUN(KCODE + 0x800, 0x48, 0xcf);
	ok(ex == X86_EXIT_NONE && v.cpl == 3 && v.regs.rip == UCODE + 2 && RSP() == USTACK &&
	   v.seg[VCPU_SEG_CS].selector == UCS && v.seg[VCPU_SEG_CS].dpl == 3 &&
	   v.seg[VCPU_SEG_SS].selector == UDS && v.seg[VCPU_SEG_SS].dpl == 3,
	   "iretq: back at CPL 3 with CS/SS/RSP/RIP from the frame");
	ok(v.regs.rflags == (X86_FLAGS_FIXED | X86_FLAGS_IF), "iretq: RFLAGS from the frame");

	/* INT 0x81: DPL 0 gate from CPL 3 -> #GP(0x81*8+2), pointing at the INT. */
	reset();
	set_cpl(3);
	memset(ram + RSP0 - 64, 0x5a, 64);
	ex = RUN(UCODE, 0xcd, 0x81);
	ex = x86_deliver(&c);
	f = frame_at(RSP(), true);
	ok(ex == X86_EXIT_NONE && c.exc.vector == X86_EXC_GP && v.regs.rip == KCODE + 13 * 0x10 &&
	   f.err == 0x81 * 8 + 2 && f.rip == UCODE,
	   "int 0x81 through a DPL 0 gate: #GP(0x40a), saved RIP is the INT (err 0x%llx)",
	   (unsigned long long)f.err);

	/* INT3 from CPL 3 (DPL 3 gate) and INT1 (no DPL check, EXT). */
	reset();
	set_cpl(3);
	set_gate(3, KCS, KCODE + 0x30, 0xe, 3, 0, true);
	RUN(UCODE, 0xcc);
	ok(x86_deliver(&c) == X86_EXIT_NONE && frame_at(RSP(), false).rip == UCODE + 1 &&
	   v.regs.rip == KCODE + 0x30, "int3 through a DPL 3 gate");
	reset();
	set_cpl(3);
	RUN(UCODE, 0xf1);
	ok(x86_deliver(&c) == X86_EXIT_NONE && v.regs.rip == KCODE + 0x10 &&
	   frame_at(RSP(), false).rip == UCODE + 1, "int1 (icebp) ignores the gate DPL");
	reset();
	set_cpl(3);
	RUN(UCODE, 0xcd, 0x01);
	ok(x86_deliver(&c) == X86_EXIT_NONE && c.exc.vector == X86_EXC_GP &&
	   frame_at(RSP(), true).err == 0x0a, "int 1 (CD 01) checks the DPL: #GP(0x0a)");

	/* IRETQ flag rules at CPL 3: IOPL and IF stay, the rest loads. */
	reset();
	set_cpl(3);
	flags = X86_FLAGS_FIXED | X86_FLAGS_CF | X86_FLAGS_IOPL | X86_FLAGS_AC | X86_FLAGS_VM;
	v.regs.regs[VCPU_REGS_RSP] = 0x60000;
	set64(0x60000, UCODE + 0x40);
	set64(0x60008, UCS);
	set64(0x60010, flags);
	set64(0x60018, 0x61000);
	set64(0x60020, UDS);
	ex = RUN(UCODE, 0x48, 0xcf);
	ok(ex == X86_EXIT_NONE && v.regs.rip == UCODE + 0x40 && RSP() == 0x61000 &&
	   v.regs.rflags == (X86_FLAGS_FIXED | X86_FLAGS_IF | X86_FLAGS_CF | X86_FLAGS_AC),
	   "iretq at CPL 3: IOPL, VM not loaded, IF kept (0x%llx)",
	   (unsigned long long)v.regs.rflags);
}

static void test_gate_checks(void)
{
	reset();
	v.idt.limit = 0x90 * 16 - 1; /* INT 0x90's gate is beyond the limit */
	RUN(UCODE, 0xcd, 0x90);
	ok(x86_deliver(&c) == X86_EXIT_NONE && c.exc.vector == X86_EXC_GP &&
	   frame_at(RSP(), true).err == 0x90 * 8 + 2 && frame_at(RSP(), true).rip == UCODE,
	   "int 0x90 beyond the IDT limit: #GP(vector*8 + IDT), no EXT, delivered serially");
	reset();
	v.idt.limit = 0x0f; /* only #DE's gate */
	RUN(UCODE, 0x0f, 0x0b);
	ok(x86_deliver(&c) == X86_EXIT_SHUTDOWN,
	   "#UD beyond the limit -> #GP(0x33) beyond -> #DF beyond: shutdown");

	reset();
	set_gate(6, KCS, KCODE, 0x5, 0, 0, true);
	RUN(UCODE, 0x0f, 0x0b);
	ok(x86_deliver(&c) == X86_EXIT_NONE && c.exc.vector == X86_EXC_GP &&
	   frame_at(RSP(), true).err == 6 * 8 + 3, "task gate type: #GP(0x33)");

	reset();
	set_gate(6, KCS, KCODE, 0xe, 0, 0, false);
	RUN(UCODE, 0x0f, 0x0b);
	ok(x86_deliver(&c) == X86_EXIT_NONE && c.exc.vector == X86_EXC_NP &&
	   frame_at(RSP(), true).err == 6 * 8 + 3, "gate not present: #NP(0x33)");

	reset();
	set_gate(6, NPCS, KCODE, 0xe, 0, 0, true);
	RUN(UCODE, 0x0f, 0x0b);
	ok(x86_deliver(&c) == X86_EXIT_NONE && c.exc.vector == X86_EXC_NP &&
	   frame_at(RSP(), true).err == (NPCS | 1), "handler CS not present: #NP(sel + EXT)");

	reset();
	set_gate(6, CS32, KCODE, 0xe, 0, 0, true);
	RUN(UCODE, 0x0f, 0x0b);
	ok(x86_deliver(&c) == X86_EXIT_NONE && c.exc.vector == X86_EXC_GP &&
	   frame_at(RSP(), true).err == (CS32 | 1), "handler CS not 64-bit: #GP(sel + EXT)");

	reset();
	set_gate(6, 0x60, KCODE, 0xe, 0, 0, true);
	RUN(UCODE, 0x0f, 0x0b);
	ok(x86_deliver(&c) == X86_EXIT_NONE && c.exc.vector == X86_EXC_GP &&
	   frame_at(RSP(), true).err == (0x60 | 1), "handler CS beyond the GDT: #GP(sel + EXT)");

	reset();
	set_gate(6, KCS, UINT64_C(0x0000800000000000), 0xe, 0, 0, true);
	RUN(UCODE, 0x0f, 0x0b);
	ok(x86_deliver(&c) == X86_EXIT_NONE && c.exc.vector == X86_EXC_GP &&
	   frame_at(RSP(), true).err == 0, "non-canonical handler RIP: #GP(0)");

	reset();
	set_cpl(3);
	set_gate(6, UCS, KCODE, 0xe, 0, 0, true); /* DPL 3 handler from CPL 3: same level */
	RUN(UCODE, 0x0f, 0x0b);
	ok(x86_deliver(&c) == X86_EXIT_NONE && v.cpl == 3 && RSP() == (USTACK & ~15ull) - 40,
	   "DPL 3 handler: no stack switch");
}

static void test_double_triple(void)
{
	enum x86_exit ex;
	struct vcpu before;
	uint8_t stack_before[128];

	/* #GP whose gate is not present: #NP during #GP -> #DF (IST 2). */
	reset();
	set_gate(13, KCS, KCODE, 0xe, 0, 0, false);
	set_gate(8, KCS, KCODE + 0x80, 0xe, 0, 2, true);
	v.regs.regs[VCPU_REGS_RBX] = UINT64_C(0x8000000000000000);
	RUN(UCODE, 0x48, 0x8b, 0x03);
	ex = x86_deliver(&c);
	ok(ex == X86_EXIT_NONE && c.exc.vector == X86_EXC_DF && v.regs.rip == KCODE + 0x80 &&
	   RSP() == IST2 - 48 && frame_at(RSP(), true).err == 0 &&
	   frame_at(RSP(), true).rip == UCODE, "contributory during contributory: #DF(0)");

	/* #PF whose RSP0 stack is outside RAM: #PF during #PF -> #DF; nothing else. */
	reset();
	set_cpl(3);
	set64(TSS + 4, RAM_SIZE + 0x1000);
	set_gate(8, KCS, KCODE + 0x80, 0xe, 0, 1, true);
	v.regs.regs[VCPU_REGS_RBX] = RAM_SIZE + 0x10;
	memcpy(stack_before, ram + IST1 - 128, 128);
	RUN(UCODE, 0x48, 0x8b, 0x03);
	ex = x86_deliver(&c);
	ok(ex == X86_EXIT_NONE && c.exc.vector == X86_EXC_DF && RSP() == IST1 - 48 &&
	   frame_at(RSP(), true).rip == UCODE && frame_at(RSP(), true).cs == UCS &&
	   frame_at(RSP(), true).rsp == USTACK && v.cpl == 0,
	   "#PF while pushing the #PF frame: #DF on IST1 with the original user state");
	ok(!memcmp(stack_before, ram + IST1 - 128, 80), "only the #DF frame was written");
	ok(v.cr2 == RAM_SIZE + 0x1000 - 48, "CR2 holds the second #PF's address (0x%llx)",
	   (unsigned long long)v.cr2);

	/* #PF whose gate is not present: #NP -> #DF; CR2 was still loaded by the #PF. */
	reset();
	set_gate(14, KCS, KCODE, 0xe, 0, 0, false);
	set_gate(8, KCS, KCODE + 0x80, 0xe, 0, 1, true);
	v.regs.regs[VCPU_REGS_RBX] = RAM_SIZE + 0x40;
	RUN(UCODE, 0x48, 0x8b, 0x03);
	ex = x86_deliver(&c);
	ok(ex == X86_EXIT_NONE && c.exc.vector == X86_EXC_DF && v.cr2 == RAM_SIZE + 0x40,
	   "#PF -> #NP -> #DF: CR2 holds the #PF's address (0x%llx)",
	   (unsigned long long)v.cr2);

	/* #DF's gate not present either: triple fault, state untouched. */
	reset();
	set_gate(13, KCS, KCODE, 0xe, 0, 0, false);
	set_gate(8, KCS, KCODE, 0xe, 0, 0, false);
	v.regs.regs[VCPU_REGS_RBX] = UINT64_C(0x8000000000000000);
	RUN(UCODE, 0x48, 0x8b, 0x03);
	memcpy(&before, &v, sizeof(v));
	ex = x86_deliver(&c);
	ok(ex == X86_EXIT_SHUTDOWN && c.why && strstr(c.why, "triple fault"),
	   "fault while delivering #DF: shutdown (%s)", c.why ? c.why : "-");
	ok(!memcmp(&before, &v, sizeof(v)), "triple fault leaves the vCPU state alone");

	/* Benign then contributory is serial: #UD with a not-present gate -> #NP. */
	reset();
	set_gate(6, KCS, KCODE, 0xe, 0, 0, false);
	set_gate(11, KCS, KCODE, 0xe, 0, 0, false);
	RUN(UCODE, 0x0f, 0x0b);
	ok(x86_deliver(&c) == X86_EXIT_NONE && c.exc.vector == X86_EXC_DF,
	   "#UD -> #NP (serial) -> #NP again (contributory twice) -> #DF");
}

static void test_syscall(void)
{
	enum x86_exit ex;

	reset();
	set_cpl(3);
	v.msr.star = ((uint64_t)0x10 << 48) | ((uint64_t)KCS << 32);
	v.msr.lstar = KCODE + 0x900;
	v.msr.sfmask = X86_FLAGS_IF | X86_FLAGS_DF | X86_FLAGS_TF;
	v.regs.rflags |= X86_FLAGS_DF | X86_FLAGS_CF | X86_FLAGS_RF;
	ex = RUN(UCODE, 0x0f, 0x05);
	ok(ex == X86_EXIT_NONE && v.regs.rip == KCODE + 0x900 && v.cpl == 0 &&
	   v.regs.regs[VCPU_REGS_RCX] == UCODE + 2 &&
	   v.regs.regs[11] == (X86_FLAGS_FIXED | X86_FLAGS_IF | X86_FLAGS_DF | X86_FLAGS_CF),
	   "syscall: RIP = LSTAR, RCX = next RIP, R11 = RFLAGS without RF");
	ok(v.regs.rflags == (X86_FLAGS_FIXED | X86_FLAGS_CF) &&
	   v.seg[VCPU_SEG_CS].selector == KCS && v.seg[VCPU_SEG_CS].l &&
	   v.seg[VCPU_SEG_SS].selector == KDS && RSP() == USTACK,
	   "syscall: RFLAGS masked by SFMASK, CS/SS from STAR, RSP unchanged");
	ex = RUN(KCODE + 0x900, 0x48, 0x0f, 0x07);
	ok(ex == X86_EXIT_NONE && v.cpl == 3 && v.regs.rip == UCODE + 2 &&
	   v.seg[VCPU_SEG_CS].selector == UCS && v.seg[VCPU_SEG_SS].selector == UDS &&
	   v.seg[VCPU_SEG_CS].dpl == 3 &&
	   v.regs.rflags == (X86_FLAGS_FIXED | X86_FLAGS_IF | X86_FLAGS_DF | X86_FLAGS_CF),
	   "sysretq: back to CPL 3, CS 0x23, SS 0x1b, RFLAGS from R11");

	ex = RUN(UCODE, 0x48, 0x0f, 0x07);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_GP && c.exc.error == 0,
	   "sysret at CPL 3: #GP(0)");
	set_cpl(0);
	v.regs.regs[VCPU_REGS_RCX] = UINT64_C(0x0000800000000000);
	ex = RUN(KCODE, 0x48, 0x0f, 0x07);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_GP && v.cpl == 0 &&
	   v.seg[VCPU_SEG_CS].selector == KCS, "sysret to a non-canonical RCX: #GP(0), no change");
	v.regs.regs[VCPU_REGS_RCX] = UCODE;
	ex = RUN(KCODE, 0x0f, 0x07);
	ok(ex == X86_EXIT_INTERNAL && c.why, "32-bit sysret: unsupported (%s)", c.why ? c.why : "-");
	v.efer &= ~(uint64_t)X86_EFER_SCE;
	ex = RUN(UCODE, 0x0f, 0x05);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_UD, "syscall with EFER.SCE = 0: #UD");
}

/* Paging on: the IDT/GDT are read as supervisor data even from CPL 3. */
static void test_paged_supervisor_reads(void)
{
	enum x86_exit ex;

	reset();
	/* Identity map the first 2 MiB: supervisor pages except the user code and stack. */
	set64(0x100000, 0x101000 | X86_PTE_P | X86_PTE_RW | X86_PTE_US);
	set64(0x101000, 0x102000 | X86_PTE_P | X86_PTE_RW | X86_PTE_US);
	set64(0x102000, 0x103000 | X86_PTE_P | X86_PTE_RW | X86_PTE_US);
	for (unsigned i = 0; i < 512; i++) /* 4 KiB pages: user only for the user code */
		set64(0x103000 + i * 8, (uint64_t)i << 12 | X86_PTE_P | X86_PTE_RW |
		      ((i << 12) == UCODE || (i << 12) == (USTACK & ~0xfffu) ? X86_PTE_US : 0));
	v.cr3 = 0x100000;
	v.cr0 |= X86_CR0_PG;
	v.cr4 |= X86_CR4_PAE;
	set_cpl(3);
	ex = RUN(UCODE, 0x0f, 0x0b);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_UD, "paged: ud2 at CPL 3");
	ex = x86_deliver(&c);
	ok(ex == X86_EXIT_NONE && v.regs.rip == KCODE + 0x60 && RSP() == RSP0 - 40,
	   "paged: supervisor-only IDT, GDT, TSS and RSP0 stack are usable from CPL 3");
	/* A not-present RSP0 stack page: #PF with error code P=0, W=1, U=0. */
	reset();
	set64(0x100000, 0x101000 | X86_PTE_P | X86_PTE_RW | X86_PTE_US);
	set64(0x101000, 0x102000 | X86_PTE_P | X86_PTE_RW | X86_PTE_US);
	set64(0x102000, 0x103000 | X86_PTE_P | X86_PTE_RW | X86_PTE_US);
	for (unsigned i = 0; i < 512; i++)
		if ((i << 12) != RSP0 - 0x1000)
			set64(0x103000 + i * 8, (uint64_t)i << 12 | X86_PTE_P | X86_PTE_RW |
			      X86_PTE_US);
	v.cr3 = 0x100000;
	v.cr0 |= X86_CR0_PG;
	v.cr4 |= X86_CR4_PAE;
	set_cpl(3);
	set_gate(6, KCS, KCODE, 0xe, 0, 0, true);
	set_gate(14, KCS, KCODE + 0xe0, 0xe, 0, 1, true);
	RUN(UCODE, 0x0f, 0x0b);
	ex = x86_deliver(&c);
	ok(ex == X86_EXIT_NONE && c.exc.vector == X86_EXC_PF && v.cr2 == RSP0 - 40 &&
	   frame_at(RSP(), true).err == X86_PF_W && frame_at(RSP(), true).rip == UCODE &&
	   frame_at(RSP(), true).cs == UCS,
	   "paged: #UD's stack page missing -> #PF(W, supervisor) on IST1, CR2 = frame (err 0x%llx)",
	   (unsigned long long)frame_at(RSP(), true).err);
}

int main(void)
{
	ram = calloc(1, RAM_SIZE);
	if (!ram)
		return 1;
	test_ud_same_level();
	test_gp_pf_error_codes();
	test_ist();
	test_soft_int();
	test_gate_checks();
	test_double_triple();
	test_syscall();
	test_paged_supervisor_reads();
	free(ram);
	return done_testing();
}
