/* SPDX-License-Identifier: MIT */
/*
 * Segment loads and far transfers of 64-bit code: MOV Sreg / POP FS/GS /
 * LSS with their descriptor checks and faults (nothing changes on a fault),
 * FS/GS base from the descriptor, accessed bits, far RET to the same level
 * and to CPL 3 (with imm16 and data-segment nulling), IRETQ checks, far
 * JMP/CALL through m16:64.  Flat guest RAM.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "x86/interp.h"
#include "x86/interp_internal.h"

#define RAM_SIZE (1u << 20)
#define GDT      0x1000u
#define LDT      0x1800u
#define CODE     0x10000u
#define STK      0x80000u
#define MEM      0x40000u

#define KCS   0x08
#define KDS   0x10
#define UDS   0x1b
#define UCS   0x23
#define NPDS  0x28   /* data, not present */
#define FSSEL 0x30   /* data DPL 0, base 0x12345678, accessed bit clear */
#define XCODE 0x38   /* execute-only code */
#define RCODE 0x40   /* readable code, accessed bit clear */
#define KCS2  0x48   /* a second 64-bit kernel code segment, accessed bit clear */

#include "vcpu_fixture.h"

static void reset(void)
{
	memset(ram, 0, RAM_SIZE);
	memset(&v, 0, sizeof(v));
	vcpu_regfile_init(&v.regs, NULL);
	v.regs.rflags = X86_FLAGS_FIXED;
	v.cr0 = X86_CR0_PE;
	v.efer = X86_EFER_LME | X86_EFER_LMA;
	attach_cpu();
	set64(GDT + 0x08, UINT64_C(0x00af9b000000ffff)); /* kernel code 64 */
	set64(GDT + 0x10, UINT64_C(0x00cf93000000ffff)); /* kernel data */
	set64(GDT + 0x18, UINT64_C(0x00cff3000000ffff)); /* user data */
	set64(GDT + 0x20, UINT64_C(0x00affb000000ffff)); /* user code 64 */
	set64(GDT + 0x28, UINT64_C(0x00cf13000000ffff)); /* data, P = 0 */
	set64(GDT + 0x30, UINT64_C(0x12cf92345678ffff)); /* data, base 0x12345678 */
	set64(GDT + 0x38, UINT64_C(0x00af99000000ffff)); /* code, execute-only */
	set64(GDT + 0x40, UINT64_C(0x00af9a000000ffff)); /* code, readable */
	set64(GDT + 0x48, UINT64_C(0x00af9a000000ffff)); /* kernel code 64 */
	set64(LDT + 0x08, UINT64_C(0x00cf93000000ffff)); /* LDT data */
	v.gdt.base = GDT;
	v.gdt.limit = 0x4f;
	set_cpl(0);
	v.regs.regs[VCPU_REGS_RSP] = STK;
}

static enum x86_exit run_at(uint64_t at, const uint8_t *code, unsigned n)
{
	memcpy(ram + at, code, n);
	v.regs.rip = at;
	return x86_step(&c);
}

#define RUN(...) run_at(CODE, (const uint8_t[]){ __VA_ARGS__ }, \
			sizeof((const uint8_t[]){ __VA_ARGS__ }))

static bool fault(enum x86_exit ex, unsigned vec, uint32_t err)
{
	return ex == X86_EXIT_EXCEPTION && c.exc.vector == vec && c.exc.has_error &&
	       c.exc.error == err;
}

static struct vcpu saved;

/* The state before an instruction at CODE (RUN sets RIP = CODE). */
static void save(void)
{
	v.regs.rip = CODE;
	memcpy(&saved, &v, sizeof(v));
}

static bool unchanged(void)
{
	return !memcmp(&saved, &v, sizeof(v));
}

/* mov <sreg>, ax with AX = sel. */
static enum x86_exit mov_sreg(unsigned sreg, uint16_t sel)
{
	v.regs.regs[VCPU_REGS_RAX] = sel;
	save();
	return RUN(0x8e, (uint8_t)(0xc0 | sreg << 3));
}

static void test_mov_ss(void)
{
	enum x86_exit ex;

	reset();
	set64(GDT + 0x10, UINT64_C(0x00cf92000000ffff)); /* accessed bit clear */
	load_seg(VCPU_SEG_SS, 0, 0, false);
	ex = mov_sreg(VCPU_SEG_SS, KDS);
	ok(ex == X86_EXIT_NONE && v.seg[VCPU_SEG_SS].selector == KDS &&
	   v.seg[VCPU_SEG_SS].type == 3 && v.seg[VCPU_SEG_SS].present && ram[GDT + 0x15] == 0x93,
	   "mov ss, 0x10: loaded, descriptor marked accessed");
	ok(fault(mov_sreg(VCPU_SEG_SS, UDS), X86_EXC_GP, 0x18) && unchanged(),
	   "mov ss at CPL 0 with a DPL 3 selector: #GP(0x18), no change");
	ok(fault(mov_sreg(VCPU_SEG_SS, 0x13), X86_EXC_GP, 0x10) && unchanged(),
	   "mov ss with RPL != CPL: #GP(sel)");
	ok(fault(mov_sreg(VCPU_SEG_SS, KCS), X86_EXC_GP, 0x08) && unchanged(),
	   "mov ss with a code segment: #GP(sel)");
	ok(fault(mov_sreg(VCPU_SEG_SS, NPDS), X86_EXC_SS, NPDS) && unchanged(),
	   "mov ss with a not-present segment: #SS(sel)");
	ok(fault(mov_sreg(VCPU_SEG_SS, 0x50), X86_EXC_GP, 0x50) && unchanged(),
	   "mov ss beyond the GDT limit: #GP(sel)");
	ex = mov_sreg(VCPU_SEG_SS, 0);
	ok(ex == X86_EXIT_NONE && v.seg[VCPU_SEG_SS].selector == 0 && v.seg[VCPU_SEG_SS].unusable,
	   "mov ss, 0 at CPL 0: a null SS");
	set_cpl(3);
	ok(fault(mov_sreg(VCPU_SEG_SS, 3), X86_EXC_GP, 0) && unchanged(),
	   "mov ss, null at CPL 3: #GP(0)");
	ex = mov_sreg(VCPU_SEG_SS, UDS);
	ok(ex == X86_EXIT_NONE && v.seg[VCPU_SEG_SS].selector == UDS && v.seg[VCPU_SEG_SS].dpl == 3,
	   "mov ss, 0x1b at CPL 3");
}

static void test_mov_data(void)
{
	enum x86_exit ex;

	reset();
	ok(fault(mov_sreg(VCPU_SEG_DS, NPDS), X86_EXC_NP, NPDS) && unchanged(),
	   "mov ds, not present: #NP(sel)");
	ok(fault(mov_sreg(VCPU_SEG_ES, XCODE), X86_EXC_GP, XCODE) && unchanged(),
	   "mov es, execute-only code: #GP(sel)");
	ex = mov_sreg(VCPU_SEG_ES, RCODE);
	ok(ex == X86_EXIT_NONE && v.seg[VCPU_SEG_ES].selector == RCODE && ram[GDT + 0x45] == 0x9b,
	   "mov es, readable code: loaded and accessed");
	ok(fault(mov_sreg(VCPU_SEG_DS, 0x0c), X86_EXC_GP, 0x0c) && unchanged(),
	   "mov ds, an LDT selector without an LDT: #GP(sel)");
	v.seg[VCPU_SEG_LDTR].selector = 0x60;
	v.seg[VCPU_SEG_LDTR].base = LDT;
	v.seg[VCPU_SEG_LDTR].limit = 0xf;
	v.seg[VCPU_SEG_LDTR].present = 1;
	ex = mov_sreg(VCPU_SEG_DS, 0x0c);
	ok(ex == X86_EXIT_NONE && v.seg[VCPU_SEG_DS].selector == 0x0c, "mov ds, LDT selector");
	set_cpl(3);
	ok(fault(mov_sreg(VCPU_SEG_DS, 0x13), X86_EXC_GP, 0x10) && unchanged(),
	   "mov ds at CPL 3 with a DPL 0 segment: #GP(sel)");
	ex = mov_sreg(VCPU_SEG_DS, 0);
	ok(ex == X86_EXIT_NONE && v.seg[VCPU_SEG_DS].unusable, "mov ds, 0 at CPL 3: fine");

	/* FS/GS: the base comes from the descriptor, high bits cleared. */
	reset();
	v.fs_base = UINT64_C(0xffff888000001000);
	ex = mov_sreg(VCPU_SEG_FS, FSSEL);
	ok(ex == X86_EXIT_NONE && v.fs_base == 0x12345678 && v.seg[VCPU_SEG_FS].selector == FSSEL &&
	   ram[GDT + 0x35] == 0x93, "mov fs: fs_base = the descriptor's 32-bit base");
	v.regs.regs[VCPU_REGS_RAX] = ~0ull;
	ex = RUN(0x8c, 0xe0); /* mov eax, fs */
	ok(ex == X86_EXIT_NONE && v.regs.regs[VCPU_REGS_RAX] == FSSEL, "mov eax, fs reads the selector");
	v.gs_base = UINT64_C(0xffff888000002000);
	ex = mov_sreg(VCPU_SEG_GS, 0);
	ok(ex == X86_EXIT_NONE && v.gs_base == 0, "mov gs, 0: gs_base cleared (Intel)");

	/* POP GS: stack read, checks, then RSP. */
	reset();
	set64(STK, FSSEL);
	ex = RUN(0x0f, 0xa9);
	ok(ex == X86_EXIT_NONE && v.gs_base == 0x12345678 && v.regs.regs[VCPU_REGS_RSP] == STK + 8,
	   "pop gs: loaded, RSP += 8");
	set64(STK + 8, NPDS);
	save();
	ex = RUN(0x0f, 0xa1);
	ok(fault(ex, X86_EXC_NP, NPDS) && unchanged(), "pop fs, not present: #NP, RSP unchanged");
	v.regs.regs[VCPU_REGS_RSP] = STK + 0x10;
	ex = RUN(0x0f, 0xa8); /* push gs */
	ok(ex == X86_EXIT_NONE && get64(STK + 8) == FSSEL, "push gs pushes the selector");

	/* LSS rsp, [rbx] (m16:64). */
	reset();
	set64(MEM, 0x7000);
	set64(MEM + 8, KDS);
	v.regs.regs[VCPU_REGS_RBX] = MEM;
	ex = RUN(0x48, 0x0f, 0xb2, 0x23);
	ok(ex == X86_EXIT_NONE && v.regs.regs[VCPU_REGS_RSP] == 0x7000 &&
	   v.seg[VCPU_SEG_SS].selector == KDS, "lss rsp, m16:64");
	set64(MEM + 8, UDS);
	save();
	ex = RUN(0x48, 0x0f, 0xb2, 0x23);
	ok(fault(ex, X86_EXC_GP, 0x18) && unchanged(), "lss with a DPL 3 SS at CPL 0: #GP, RSP kept");
}

static void test_far_ret(void)
{
	enum x86_exit ex;

	/* Same level: retfq. */
	reset();
	set64(STK, 0x5000);
	set64(STK + 8, KCS2);
	ex = RUN(0x48, 0xcb);
	ok(ex == X86_EXIT_NONE && v.regs.rip == 0x5000 && v.seg[VCPU_SEG_CS].selector == KCS2 &&
	   v.regs.regs[VCPU_REGS_RSP] == STK + 16 && v.seg[VCPU_SEG_SS].selector == KDS &&
	   ram[GDT + 0x4d] == 0x9b, "retfq to the same level: CS loaded and accessed, SS kept");

	/* 32-bit operand size: 4-byte items. */
	reset();
	set64(STK, (uint64_t)KCS << 32 | 0x6000);
	ex = RUN(0xcb);
	ok(ex == X86_EXIT_NONE && v.regs.rip == 0x6000 && v.regs.regs[VCPU_REGS_RSP] == STK + 8,
	   "retf (32-bit): 4-byte RIP and CS");

	/* To CPL 3 with imm16: RIP, CS, 16 bytes, RSP, SS. */
	reset();
	load_seg(VCPU_SEG_DS, KDS, 0, false);
	load_seg(VCPU_SEG_ES, UDS, 3, false);
	set64(STK, 0x7000);
	set64(STK + 8, UCS);
	set64(STK + 32, 0x9000);
	set64(STK + 40, UDS);
	ex = RUN(0x48, 0xca, 0x10, 0x00);
	ok(ex == X86_EXIT_NONE && v.cpl == 3 && v.regs.rip == 0x7000 &&
	   v.regs.regs[VCPU_REGS_RSP] == 0x9010 && v.seg[VCPU_SEG_CS].selector == UCS &&
	   v.seg[VCPU_SEG_SS].selector == UDS && v.seg[VCPU_SEG_SS].dpl == 3,
	   "retfq 16 to CPL 3: SS:RSP popped past the imm16, RSP += 16 again");
	ok(v.seg[VCPU_SEG_DS].unusable && v.seg[VCPU_SEG_DS].selector == 0 &&
	   !v.seg[VCPU_SEG_ES].unusable && v.seg[VCPU_SEG_ES].selector == UDS,
	   "to CPL 3: DS (DPL 0) made null, ES (DPL 3) kept");

	reset();
	set64(STK, 0x7000);
	set64(STK + 8, UCS);
	set64(STK + 16, 0x9000);
	set64(STK + 24, KDS | 3);
	save();
	ex = RUN(0x48, 0xcb);
	ok(fault(ex, X86_EXC_GP, KDS) && unchanged(), "retfq to CPL 3 with a DPL 0 SS: #GP(sel)");
	set64(STK + 24, 3);
	save();
	ex = RUN(0x48, 0xcb);
	ok(fault(ex, X86_EXC_GP, 0) && unchanged(), "retfq to CPL 3 with a null SS: #GP(0)");
	set64(STK + 8, UCS & ~3);
	save();
	ex = RUN(0x48, 0xcb);
	ok(fault(ex, X86_EXC_GP, UCS & ~3) && unchanged(),
	   "retfq to a DPL 3 code segment with RPL 0: #GP(sel)");
	set_cpl(3);
	set64(STK + 8, KCS);
	save();
	ex = RUN(0x48, 0xcb);
	ok(fault(ex, X86_EXC_GP, KCS) && unchanged(), "retfq from CPL 3 to CPL 0: #GP(sel)");
	set64(STK, UINT64_C(0x0000800000000000));
	set64(STK + 8, UCS);
	save();
	ex = RUN(0x48, 0xcb);
	ok(fault(ex, X86_EXC_GP, 0) && unchanged(), "retfq to a non-canonical RIP: #GP(0)");
}

static void test_iretq(void)
{
	enum x86_exit ex;

	reset();
	v.regs.rflags |= X86_FLAGS_NT;
	save();
	ok(fault(RUN(0x48, 0xcf), X86_EXC_GP, 0) && unchanged(), "iretq with NT = 1: #GP(0)");

	/* Same level at CPL 0: IOPL and IF load; null SS allowed below CPL 3. */
	reset();
	set64(STK, 0x5000);
	set64(STK + 8, KCS);
	set64(STK + 16, X86_FLAGS_FIXED | X86_FLAGS_IF | X86_FLAGS_IOPL | X86_FLAGS_ZF);
	set64(STK + 24, 0x7770);
	set64(STK + 32, 0);
	ex = RUN(0x48, 0xcf);
	ok(ex == X86_EXIT_NONE && v.regs.rip == 0x5000 && v.regs.regs[VCPU_REGS_RSP] == 0x7770 &&
	   v.regs.rflags == (X86_FLAGS_FIXED | X86_FLAGS_IF | X86_FLAGS_IOPL | X86_FLAGS_ZF) &&
	   v.seg[VCPU_SEG_SS].unusable && v.cpl == 0,
	   "iretq at CPL 0: IOPL/IF loaded, null SS, RSP popped");

	reset();
	set64(STK, 0x5000);
	set64(STK + 8, UCS);
	set64(STK + 16, X86_FLAGS_FIXED);
	set64(STK + 24, 0x7770);
	set64(STK + 32, NPDS | 3);
	set64(GDT + 0x28, UINT64_C(0x00cf73000000ffff)); /* DPL 3, not present */
	save();
	ok(fault(RUN(0x48, 0xcf), X86_EXC_SS, NPDS) && unchanged(),
	   "iretq to CPL 3 with a not-present SS: #SS(sel)");
	set64(STK + 8, XCODE);
	set64(STK + 32, KDS);
	ex = RUN(0x48, 0xcf);
	ok(ex == X86_EXIT_NONE && v.seg[VCPU_SEG_CS].selector == XCODE && v.regs.rip == 0x5000,
	   "iretq to an execute-only code segment at the same level: fine");
	reset();
	set64(STK + 8, KDS);
	save();
	ok(fault(RUN(0x48, 0xcf), X86_EXC_GP, KDS) && unchanged(),
	   "iretq to a data segment as CS: #GP(sel)");
	v.regs.regs[VCPU_REGS_RSP] = RAM_SIZE - 16;
	save();
	ex = RUN(0x48, 0xcf);
	ok(ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_PF && unchanged(),
	   "iretq with the frame running off RAM: #PF, no change");
}

static void test_far_jmp_call(void)
{
	enum x86_exit ex;

	reset();
	set64(MEM, 0x5000);
	set64(MEM + 8, KCS2);
	v.regs.regs[VCPU_REGS_RBX] = MEM;
	ex = RUN(0x48, 0xff, 0x2b); /* jmp far [rbx] (m16:64) */
	ok(ex == X86_EXIT_NONE && v.regs.rip == 0x5000 && v.seg[VCPU_SEG_CS].selector == KCS2,
	   "jmp far m16:64 at the same level");
	reset();
	set64(MEM, 0x5000);
	set64(MEM + 8, KCS2 | 3); /* RPL 3 > CPL 0 */
	v.regs.regs[VCPU_REGS_RBX] = MEM;
	save();
	ex = RUN(0x48, 0xff, 0x1b); /* call far [rbx] */
	ok(fault(ex, X86_EXC_GP, KCS2) && unchanged(), "call far with RPL > CPL: #GP(sel)");
	set64(MEM + 8, KCS2);
	ex = RUN(0x48, 0xff, 0x1b);
	ok(ex == X86_EXIT_NONE && v.regs.rip == 0x5000 && v.seg[VCPU_SEG_CS].selector == KCS2 &&
	   v.regs.regs[VCPU_REGS_RSP] == STK - 16 && get64(STK - 16) == CODE + 3 &&
	   get64(STK - 8) == KCS, "call far m16:64: pushes CS and the return RIP");
	ex = RUN(0x48, 0xcb);
	ok(ex == X86_EXIT_NONE && v.regs.rip == CODE + 3 && v.seg[VCPU_SEG_CS].selector == KCS &&
	   v.regs.regs[VCPU_REGS_RSP] == STK, "retfq returns from the far call");
	reset();
	set64(MEM, 0x5000);
	set64(MEM + 8, UCS);
	v.regs.regs[VCPU_REGS_RBX] = MEM;
	save();
	ex = RUN(0x48, 0xff, 0x1b);
	ok(fault(ex, X86_EXC_GP, UCS & ~3) && unchanged(), "call far to DPL 3 code from CPL 0: #GP");
}

int main(void)
{
	ram = calloc(1, RAM_SIZE);
	if (!ram)
		return 1;
	test_mov_ss();
	test_mov_data();
	test_far_ret();
	test_iretq();
	test_far_jmp_call();
	free(ram);
	return done_testing();
}
