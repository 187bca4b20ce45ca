/* SPDX-License-Identifier: MIT */
/*
 * x86_format_intel() and x86_reg_name() on hand-built instructions: the
 * corners of XED's Intel syntax (../shared/vectors, `intel` column), each
 * checked against the exact text XED prints.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "x86/insn.h"
#include "tap.h"

#define NOREG     ((struct x86_reg){ X86_RC_NONE, 0 })
#define RG(c, n)  ((struct x86_reg){ (c), (n) })
#define Q(n)      RG(X86_RC_GPR64, n)
#define D(n)      RG(X86_RC_GPR32, n)
#define B8(n)     RG(X86_RC_GPR8, n)

static struct x86_insn mk(const char *iclass, unsigned osize, unsigned len)
{
	struct x86_insn in;

	memset(&in, 0, sizeof(in));
	snprintf(in.iclass, sizeof(in.iclass), "%s", iclass);
	in.mode = X86_MODE_64;
	in.osize = (uint8_t)osize;
	in.asize = 64;
	in.len = (uint8_t)len;
	in.seg = X86_SEG_NONE;
	in.scc = -1;
	in.dfv = -1;
	return in;
}

static struct x86_operand *next_op(struct x86_insn *in, unsigned kind, unsigned acc, unsigned width)
{
	struct x86_operand *op = &in->ops[in->nops++];

	op->kind = (uint8_t)kind;
	op->access = (uint8_t)acc;
	op->width = (uint16_t)width;
	return op;
}

static void reg(struct x86_insn *in, struct x86_reg r, unsigned width)
{
	next_op(in, X86_OPK_REG, X86_ACC_R, width)->reg = r;
}

/* disp_bytes 0 = no displacement field. */
static void mem_op(struct x86_insn *in, unsigned kind, unsigned width, struct x86_reg base,
		   struct x86_reg index, unsigned scale, unsigned seg, unsigned disp_bytes,
		   int64_t disp)
{
	struct x86_operand *op = next_op(in, kind, X86_ACC_R, width);

	op->mem.base = base;
	op->mem.index = index;
	op->mem.scale = (uint8_t)scale;
	op->mem.seg = (uint8_t)seg;
	op->mem.has_disp = disp_bytes != 0;
	op->mem.disp_bytes = (uint8_t)disp_bytes;
	op->mem.disp = disp;
}

static void mem(struct x86_insn *in, unsigned width, struct x86_reg base, struct x86_reg index,
		unsigned scale, unsigned disp_bytes, int64_t disp)
{
	mem_op(in, X86_OPK_MEM, width, base, index, scale, X86_SEG_NONE, disp_bytes, disp);
}

static void imm(struct x86_insn *in, unsigned width, uint64_t v)
{
	next_op(in, X86_OPK_IMM, X86_ACC_R, width)->imm = v;
}

static void rel(struct x86_insn *in, unsigned width, int64_t r)
{
	next_op(in, X86_OPK_REL, X86_ACC_R, width)->rel = r;
}

static void check_at(const struct x86_insn *in, uint64_t ip, const char *want)
{
	char buf[160];
	int n = x86_format_intel(in, ip, buf, sizeof(buf));

	if (!ok(!strcmp(buf, want) && n == (int)strlen(want), "%s", want))
		diag("got \"%s\" (%d)", buf, n);
}

static void check(const struct x86_insn *in, const char *want)
{
	check_at(in, 0, want);
}

static void test_memory_forms(void)
{
	struct x86_insn in;

	in = mk("add", 32, 3);
	mem(&in, 32, Q(3), Q(1), 4, 1, 0x10);
	reg(&in, D(0), 32);
	check(&in, "add dword ptr [rbx+rcx*4+0x10], eax");

	in = mk("btr", 32, 4);
	mem(&in, 32, Q(1), NOREG, 0, 1, -0x26);
	reg(&in, D(0), 32);
	check(&in, "btr dword ptr [rcx-0x26], eax");

	/* [rbp] is encoded with a disp8 of 0, which XED does not show */
	in = mk("call_far", 32, 5);
	mem(&in, 48, Q(21), NOREG, 0, 1, 0);
	check(&in, "call far ptr [r21]");

	/* index without base, scale 1 is still printed */
	in = mk("mov", 8, 12);
	mem(&in, 8, NOREG, Q(20), 2, 4, -0x311afe47);
	reg(&in, RG(X86_RC_GPR8, 14), 8);
	check(&in, "mov byte ptr [r20*2-0x311afe47], r14b");

	in = mk("inc", 8, 6);
	in.nf = true;
	mem(&in, 8, Q(24), Q(16), 1, 1, 0);
	check(&in, "{nf} inc byte ptr [r24+r16*1]");

	/* 32-bit address size names */
	in = mk("adc", 8, 8);
	in.asize = 32;
	reg(&in, RG(X86_RC_GPR8H, 4), 8);
	mem(&in, 8, D(2), NOREG, 0, 4, -0x353f4000);
	check(&in, "adc ah, byte ptr [edx-0x353f4000]");

	/* widths without a size keyword, cache lines, fxsave areas */
	in = mk("lgdt", 64, 7);
	mem(&in, 80, Q(0), NOREG, 0, 1, 0x60);
	check(&in, "lgdt ptr [rax+0x60]");
	in = mk("clflush", 64, 3);
	mem(&in, 512, Q(0), NOREG, 0, 0, 0);
	check(&in, "clflush ptr [rax]");
	in = mk("fxsave", 32, 3);
	mem(&in, 4096, Q(17), NOREG, 0, 4, -0x779dad3d);
	check(&in, "fxsave ptr [r17-0x779dad3d]");
	in = mk("movdir64b", 64, 5);
	reg(&in, Q(16), 64);
	mem(&in, 512, Q(0), NOREG, 0, 0, 0);
	check(&in, "movdir64b r16, zmmword ptr [rax]");

	/* LEA: no size, and no segment even with an override */
	in = mk("lea", 64, 4);
	reg(&in, Q(0), 64);
	mem_op(&in, X86_OPK_AGEN, 64, Q(3), NOREG, 0, X86_SEG_FS, 1, 8);
	check(&in, "lea rax, ptr [rbx+0x8]");
}

static void test_rip_and_absolute(void)
{
	struct x86_insn in;

	in = mk("call_far", 64, 8);
	mem(&in, 48, RG(X86_RC_RIP, 0), NOREG, 0, 4, 0xffe6af);
	check(&in, "call far ptr [rip+0xffe6af]");

	in = mk("fdiv", 32, 6);
	reg(&in, RG(X86_RC_ST, 0), 80);
	mem(&in, 64, RG(X86_RC_RIP, 0), NOREG, 0, 4, -0x15a5ab95);
	check(&in, "fdiv st, qword ptr [rip-0x15a5ab95]");

	in = mk("mov", 16, 11);
	in.asize = 32;
	in.p67 = true;
	in.p66 = true;
	mem(&in, 16, RG(X86_RC_RIP, 1), NOREG, 0, 4, 0x6400ff);
	reg(&in, RG(X86_RC_SEG, X86_SEG_SS), 16);
	check(&in, "mov word ptr [eip+0x6400ff], ss");

	/* moffs: the absolute address, two's complement at the address size */
	in = mk("mov", 32, 9);
	reg(&in, D(0), 32);
	mem(&in, 32, NOREG, NOREG, 0, 8, -0x6aeebf16ff000216);
	check(&in, "mov eax, dword ptr [0x951140e900fffdea]");

	in = mk("mov", 8, 9);
	in.asize = 32;
	in.p67 = true;
	in.seg = X86_SEG_GS;
	reg(&in, B8(0), 8);
	mem_op(&in, X86_OPK_MEM, 8, NOREG, NOREG, 0, X86_SEG_GS, 4, -0x1a5b13bf);
	check(&in, "mov al, byte ptr gs:[0xe5a4ec41]");

	in = mk("cmovno", 32, 9);
	reg(&in, D(22), 32);
	mem(&in, 32, NOREG, NOREG, 0, 4, 0x5518d8d8);
	check(&in, "cmovno r22d, dword ptr [0x5518d8d8]");
}

static void test_segments(void)
{
	struct x86_insn in;

	in = mk("mov", 32, 9);
	in.seg = X86_SEG_GS;
	mem_op(&in, X86_OPK_MEM, 32, Q(22), NOREG, 0, X86_SEG_GS, 4, -0x56f14c77);
	reg(&in, D(0), 32);
	check(&in, "mov dword ptr gs:[r22-0x56f14c77], eax");

	/* suppressed DS operands show an fs/gs override as a pseudo-operand */
	in = mk("xlat", 8, 4);
	in.seg = X86_SEG_FS;
	check(&in, "xlat fs");
	in = mk("outsw", 16, 4);
	in.seg = X86_SEG_FS;
	in.p66 = true;
	check(&in, "data16 outsw fs");
	in = mk("rep_outsb", 8, 4);
	in.seg = X86_SEG_GS;
	in.rep = 0xF2;
	in.p67 = true;
	check(&in, "repne addr32 outsb gs");
}

static void test_string_ops(void)
{
	struct x86_insn in;

	in = mk("rep_movsb", 8, 2);
	in.rep = 0xF3;
	check(&in, "rep movsb byte ptr [rdi], byte ptr [rsi]");

	in = mk("rep_movsw", 16, 5);
	in.rep = 0xF3;
	in.p66 = true;
	in.seg = X86_SEG_GS;
	check(&in, "rep movsw word ptr [rdi], word ptr gs:[rsi]");

	in = mk("repe_cmpsw", 16, 4);
	in.rep = 0xF3;
	in.p66 = true;
	in.p67 = true;
	in.asize = 32;
	check(&in, "rep cmpsw word ptr [esi], word ptr [edi]");

	in = mk("repne_scasq", 64, 3);
	in.rep = 0xF2;
	check(&in, "repne scasq qword ptr [rdi]");

	in = mk("lodsb", 8, 3);
	in.seg = X86_SEG_GS;
	check(&in, "lodsb byte ptr gs:[rsi]");

	in = mk("stosd", 32, 1);
	check(&in, "stosd dword ptr [rdi]");

	/* INS/OUTS show no memory operand, so 66/67 show as data16/addr32 */
	in = mk("rep_insb", 8, 4);
	in.rep = 0xF2;
	in.p66 = true;
	in.p67 = true;
	check(&in, "repne addr32 data16 insb");

	/* the SSE forms are not string instructions */
	in = mk("movsd_xmm", 64, 4);
	reg(&in, RG(X86_RC_XMM, 1), 128);
	reg(&in, RG(X86_RC_XMM, 2), 128);
	check(&in, "movsd xmm1, xmm2");
	in = mk("cmpsd_xmm", 64, 5);
	reg(&in, RG(X86_RC_XMM, 4), 128);
	reg(&in, RG(X86_RC_XMM, 5), 128);
	imm(&in, 8, 3);
	check(&in, "cmpsd xmm4, xmm5, 0x3");
}

static void test_prefixes(void)
{
	struct x86_insn in;

	in = mk("add_lock", 8, 3);
	in.lock = true;
	mem(&in, 8, Q(0), NOREG, 0, 0, 0);
	reg(&in, B8(1), 8);
	check(&in, "lock add byte ptr [rax], cl");

	in = mk("sub_lock", 64, 6);
	in.lock = true;
	in.rep = 0xF2;
	in.encoding = X86_ENC_REX2;
	mem(&in, 64, Q(22), NOREG, 0, 0, 0);
	reg(&in, Q(16), 64);
	check(&in, "xacquire lock sub qword ptr [r22], r16");

	in = mk("xchg", 8, 6);
	in.rep = 0xF2;
	mem(&in, 8, Q(27), NOREG, 0, 0, 0);
	reg(&in, B8(24), 8);
	check(&in, "xacquire xchg byte ptr [r27], r24b");

	in = mk("mov", 32, 6);
	in.rep = 0xF3;
	in.opcode = 0x89;
	mem(&in, 32, Q(0), NOREG, 0, 0, 0);
	reg(&in, D(17), 32);
	check(&in, "xrelease mov dword ptr [rax], r17d");

	/* MOV to memory from a segment register is not HLE-able */
	in = mk("mov", 16, 5);
	in.rep = 0xF3;
	in.opcode = 0x8C;
	mem(&in, 16, Q(1), NOREG, 0, 0, 0);
	reg(&in, RG(X86_RC_SEG, X86_SEG_GS), 16);
	check(&in, "mov word ptr [rcx], gs");

	/* F2/F3 on other instructions are not shown */
	in = mk("rdtsc", 32, 5);
	in.rep = 0xF2;
	check(&in, "rdtsc");

	in = mk("rdmsr", 32, 5);
	in.p66 = true;
	check(&in, "data16 rdmsr");
	in = mk("cpuid", 32, 4);
	in.p66 = true;
	in.p67 = true;
	check(&in, "addr32 data16 cpuid");
	in = mk("syscall", 32, 3);
	in.p66 = true;
	check(&in, "syscall");

	in = mk("setno", 8, 5);
	in.p67 = true;
	in.rep = 0xF2;
	reg(&in, B8(2), 8);
	check(&in, "addr32 setno dl");

	in = mk("enter", 16, 5);
	in.p67 = true;
	imm(&in, 16, 0xe7);
	imm(&in, 8, 0x24);
	check(&in, "addr32 enter 0xe7, 0x24");

	/* a 66 or 67 that has an operand to act on is not shown */
	in = mk("btr", 32, 8);
	in.p67 = true;
	in.asize = 32;
	mem(&in, 32, D(6), NOREG, 0, 4, 0x10);
	reg(&in, D(0), 32);
	check(&in, "btr dword ptr [esi+0x10], eax");
}

static void test_branches(void)
{
	struct x86_insn in;

	in = mk("jz", 64, 2);
	rel(&in, 8, 0);
	check(&in, "jz 0x2");
	check_at(&in, 0x401000, "jz 0x401002");

	in = mk("jnl", 64, 3);
	in.p66 = true;
	rel(&in, 8, -40);
	check(&in, "jnl 0xffffffffffffffdb");

	in = mk("call_near", 64, 6);
	rel(&in, 32, -1255747487);
	check(&in, "call 0xffffffffb526d067");
	check_at(&in, 0x7fff00000000ull, "call 0x7ffeb526d067");

	/* bnd: F2 on Jcc, near CALL/RET and JMP rel32/indirect, not JMP rel8 or LOOP */
	in = mk("ret_near", 64, 2);
	in.rep = 0xF2;
	check(&in, "bnd ret");
	in = mk("ret_near", 64, 2);
	in.p66 = true;
	check(&in, "ret");
	in = mk("jmp", 64, 6);
	in.rep = 0xF2;
	in.opcode = 0xE9;
	rel(&in, 32, -1946096764);
	check(&in, "bnd jmp 0xffffffff8c00eb8a");
	in = mk("jmp", 64, 4);
	in.rep = 0xF2;
	in.opcode = 0xEB;
	rel(&in, 8, -17);
	check(&in, "jmp 0xfffffffffffffff3");
	in = mk("loopne", 64, 5);
	in.rep = 0xF2;
	rel(&in, 8, 59);
	check(&in, "loopne 0x40");
	in = mk("call_near", 64, 3);
	in.rep = 0xF2;
	reg(&in, Q(5), 64);
	check(&in, "bnd call rbp");

	/* branch hints, Jcc only, after bnd */
	in = mk("jp", 64, 3);
	in.hint = 0x2E;
	rel(&in, 8, -58);
	check(&in, "hint-not-taken jp 0xffffffffffffffc9");
	in = mk("jo", 64, 9);
	in.rep = 0xF2;
	in.hint = 0x3E;
	rel(&in, 32, 1572824558);
	check(&in, "bnd hint-taken jo 0x5dbf65f7");
	in = mk("jnb", 64, 9);
	in.hint = 0x3E;
	in.p67 = true;
	in.asize = 32;
	rel(&in, 32, -2038173203);
	check(&in, "hint-taken addr32 jnb 0xffffffff8683f1f6");
	in = mk("jrcxz", 64, 3);
	in.hint = 0x3E;
	rel(&in, 8, 62);
	check(&in, "jrcxz 0x41");

	/* JMPABS: the 64-bit absolute target */
	in = mk("jmpabs", 64, 11);
	in.encoding = X86_ENC_REX2;
	imm(&in, 64, 0x00faa1d8508f6750ull);
	check(&in, "jmpabs 0xfaa1d8508f6750");

	in = mk("jmp_far", 32, 5);
	mem(&in, 80, Q(24), NOREG, 0, 1, 0);
	check(&in, "jmp far ptr [r24]");
	in = mk("ret_far", 32, 2);
	in.p66 = true;
	check(&in, "data16 ret far");
}

static void test_immediates(void)
{
	struct x86_insn in;

	/* sign-extended immediates show at the operand size */
	in = mk("test", 8, 2);
	reg(&in, B8(0), 8);
	imm(&in, 8, 0xffffffffffffff84ull);
	check(&in, "test al, 0x84");
	in = mk("imul", 32, 4);
	reg(&in, D(9), 32);
	mem(&in, 32, Q(15), NOREG, 0, 0, 0);
	imm(&in, 8, 0xffffffffffffffc2ull);
	check(&in, "imul r9d, dword ptr [r15], 0xffffffc2");
	in = mk("push", 16, 3);
	in.p66 = true;
	imm(&in, 8, 0xffffffffffffff99ull);
	check(&in, "push 0xff99");
	in = mk("push", 64, 2);
	imm(&in, 8, 0xffffffffffffff89ull);
	check(&in, "push 0xffffffffffffff89");
	in = mk("xor", 16, 8);
	in.nd = in.nf = true;
	in.encoding = X86_ENC_EVEX;
	reg(&in, RG(X86_RC_GPR16, 18), 16);
	reg(&in, RG(X86_RC_GPR16, 31), 16);
	imm(&in, 16, 0xffffffffffffc509ull);
	check(&in, "{nf} xor r18w, r31w, 0xc509");
	in = mk("add", 8, 4);
	mem(&in, 8, Q(2), NOREG, 0, 0, 0);
	imm(&in, 8, 0xffffffffffffffb4ull);
	check(&in, "add byte ptr [rdx], 0xb4");

	/* zero-extended ones at their own width */
	in = mk("mov", 32, 6);
	reg(&in, D(10), 32);
	imm(&in, 32, 0x6d83ff36);
	check(&in, "mov r10d, 0x6d83ff36");
	in = mk("rdmsr", 64, 10);
	reg(&in, Q(22), 64);
	imm(&in, 32, 0xffff002e);
	check(&in, "rdmsr r22, 0xffff002e");
	in = mk("shl", 8, 4);
	reg(&in, B8(8), 8);
	imm(&in, 8, 1);
	check(&in, "shl r8b, 0x1");
	in = mk("ret_near", 64, 3);
	imm(&in, 16, 0xa1fa);
	check(&in, "ret 0xa1fa");
}

static void test_apx(void)
{
	struct x86_insn in;

	in = mk("or", 64, 6);
	in.nf = true;
	in.encoding = X86_ENC_EVEX;
	reg(&in, Q(10), 64);
	reg(&in, Q(6), 64);
	check(&in, "{nf} or r10, rsi");

	in = mk("add", 16, 6);
	in.nd = true;
	in.encoding = X86_ENC_EVEX;
	reg(&in, RG(X86_RC_GPR16, 5), 16);
	mem(&in, 16, Q(17), NOREG, 0, 0, 0);
	reg(&in, RG(X86_RC_GPR16, 1), 16);
	check(&in, "add bp, word ptr [r17], cx");

	in = mk("ccmpnle", 32, 10);
	in.encoding = X86_ENC_EVEX;
	in.scc = 15;
	in.dfv = 12;
	reg(&in, D(27), 32);
	mem(&in, 32, Q(25), NOREG, 0, 4, 0x320000f3);
	check(&in, "ccmpnle {dfv=of,sf} r27d, dword ptr [r25+0x320000f3]");

	in = mk("ctestb", 8, 10);
	in.encoding = X86_ENC_EVEX;
	in.scc = 2;
	in.dfv = 0;
	mem(&in, 8, Q(9), NOREG, 0, 4, 0x4efcf9d4);
	reg(&in, B8(13), 8);
	check(&in, "ctestb {dfv=} byte ptr [r9+0x4efcf9d4], r13b");

	in = mk("ccmpno", 8, 6);
	in.encoding = X86_ENC_EVEX;
	in.scc = 1;
	in.dfv = 15;
	in.p67 = true;
	reg(&in, B8(19), 8);
	reg(&in, B8(31), 8);
	check(&in, "addr32 ccmpno {dfv=of,sf,zf,cf} r19b, r31b");

	in = mk("ccmple", 8, 10);
	in.encoding = X86_ENC_EVEX;
	in.scc = 14;
	in.dfv = 7;
	mem(&in, 8, RG(X86_RC_RIP, 0), NOREG, 0, 4, 0xc2ff68);
	imm(&in, 8, 0xffffffffffffff83ull);
	check(&in, "ccmple {dfv=sf,zf,cf} byte ptr [rip+0xc2ff68], 0x83");

	in = mk("push2", 64, 6);
	in.nd = true;
	in.encoding = X86_ENC_EVEX;
	reg(&in, Q(31), 64);
	reg(&in, Q(7), 64);
	check(&in, "push2 r31, rdi");
	in = mk("pop2p", 64, 6);
	in.nd = true;
	in.w = true;
	in.encoding = X86_ENC_EVEX;
	reg(&in, Q(24), 64);
	reg(&in, Q(27), 64);
	check(&in, "pop2p r24, r27");

	in = mk("setnb", 8, 6);
	in.zu = true;
	in.nd = true;
	in.encoding = X86_ENC_EVEX;
	reg(&in, B8(14), 8);
	check(&in, "setzunb r14b");
	in = mk("setz", 8, 6);
	in.zu = true;
	in.encoding = X86_ENC_EVEX;
	mem(&in, 8, Q(8), NOREG, 0, 0, 0);
	check(&in, "setzuz byte ptr [r8]");
	in = mk("setle", 8, 6);
	in.encoding = X86_ENC_EVEX;
	reg(&in, B8(4), 8);
	check(&in, "setle spl");

	in = mk("imul", 64, 10);
	in.zu = true;
	in.encoding = X86_ENC_EVEX;
	reg(&in, Q(8), 64);
	mem(&in, 64, Q(1), NOREG, 0, 0, 0);
	imm(&in, 32, 0x744d9086);
	check(&in, "imulzu r8, qword ptr [rcx], 0x744d9086");
	in = mk("imul", 32, 11);
	in.zu = true;
	in.encoding = X86_ENC_EVEX;
	reg(&in, D(24), 32);
	mem_op(&in, X86_OPK_MEM, 32, Q(19), NOREG, 0, X86_SEG_FS, 1, 0);
	imm(&in, 32, 0xffffffffde4c6846ull);
	check(&in, "imulzu r24d, dword ptr fs:[r19], 0xde4c6846");

	/* CFCMOVcc: EVEX.NF picks the form, no {nf} */
	in = mk("cfcmovnz", 32, 6);
	in.encoding = X86_ENC_EVEX;
	mem(&in, 32, Q(30), NOREG, 0, 0, 0);
	reg(&in, D(30), 32);
	check(&in, "cfcmovnz dword ptr [r30], r30d");

	in = mk("shrd", 32, 7);
	in.nd = in.nf = true;
	in.encoding = X86_ENC_EVEX;
	reg(&in, D(0), 32);
	reg(&in, D(29), 32);
	reg(&in, D(20), 32);
	reg(&in, B8(1), 8);
	check(&in, "{nf} shrd eax, r29d, r20d, cl");
}

static void test_other_registers(void)
{
	struct x86_insn in;

	in = mk("mov_cr", 64, 4);
	reg(&in, RG(X86_RC_CR, 4), 64);
	reg(&in, Q(6), 64);
	check(&in, "mov cr4, rsi");
	in = mk("mov_dr", 64, 4);
	reg(&in, RG(X86_RC_DR, 1), 64);
	reg(&in, Q(24), 64);
	check(&in, "mov dr1, r24");

	/* x87: the implicit st(0) is "st", an explicit one "st(0)" */
	in = mk("fadd", 32, 2);
	in.opcode = 0xDC;
	reg(&in, RG(X86_RC_ST, 0), 80);
	reg(&in, RG(X86_RC_ST, 0), 80);
	check(&in, "fadd st(0), st");
	in = mk("fcomi", 32, 2);
	in.opcode = 0xDB;
	reg(&in, RG(X86_RC_ST, 0), 80);
	reg(&in, RG(X86_RC_ST, 6), 80);
	check(&in, "fcomi st, st(6)");
	in = mk("fstp", 32, 3);
	in.opcode = 0xD9;
	mem(&in, 32, Q(23), NOREG, 0, 1, 0x53);
	reg(&in, RG(X86_RC_ST, 0), 80);
	check(&in, "fstp dword ptr [r23+0x53], st");

	/* EVEX write mask, zeroing and broadcast; k0 is not shown */
	in = mk("vaddph", 16, 6);
	in.encoding = X86_ENC_EVEX;
	in.vl = 128;
	in.evex_b = in.evex_z = true;
	reg(&in, RG(X86_RC_XMM, 19), 128);
	reg(&in, RG(X86_RC_K, 1), 16);
	reg(&in, RG(X86_RC_XMM, 18), 128);
	mem(&in, 16, Q(18), NOREG, 0, 0, 0);
	check(&in, "vaddph xmm19{k1}{z}, xmm18, word ptr [r18]{1to8}");
	in = mk("vpaddusb", 8, 7);
	in.encoding = X86_ENC_EVEX;
	in.vl = 128;
	reg(&in, RG(X86_RC_XMM, 17), 128);
	reg(&in, RG(X86_RC_K, 0), 16);
	reg(&in, RG(X86_RC_XMM, 4), 128);
	mem(&in, 128, Q(18), NOREG, 0, 1, -0x610);
	check(&in, "vpaddusb xmm17, xmm4, xmmword ptr [r18-0x610]");
	/* APX KMOV: a k register second is a source, not a mask */
	in = mk("kmovw", 32, 4);
	in.encoding = X86_ENC_EVEX;
	reg(&in, D(30), 32);
	reg(&in, RG(X86_RC_K, 7), 16);
	check(&in, "kmovw r30d, k7");
}

static void test_reg_names(void)
{
	static const struct { struct x86_reg r; const char *name; } t[] = {
		{ { X86_RC_GPR8, 0 }, "al" }, { { X86_RC_GPR8, 4 }, "spl" },
		{ { X86_RC_GPR8, 7 }, "dil" }, { { X86_RC_GPR8, 8 }, "r8b" },
		{ { X86_RC_GPR8, 31 }, "r31b" }, { { X86_RC_GPR8H, 4 }, "ah" },
		{ { X86_RC_GPR8H, 7 }, "bh" }, { { X86_RC_GPR16, 4 }, "sp" },
		{ { X86_RC_GPR16, 16 }, "r16w" }, { { X86_RC_GPR32, 5 }, "ebp" },
		{ { X86_RC_GPR32, 31 }, "r31d" }, { { X86_RC_GPR64, 0 }, "rax" },
		{ { X86_RC_GPR64, 15 }, "r15" }, { { X86_RC_GPR64, 24 }, "r24" },
		{ { X86_RC_RIP, 0 }, "rip" }, { { X86_RC_RIP, 1 }, "eip" },
		{ { X86_RC_SEG, X86_SEG_ES }, "es" }, { { X86_RC_SEG, X86_SEG_GS }, "gs" },
		{ { X86_RC_CR, 8 }, "cr8" }, { { X86_RC_DR, 7 }, "dr7" },
		{ { X86_RC_ST, 0 }, "st(0)" }, { { X86_RC_ST, 7 }, "st(7)" },
		{ { X86_RC_MMX, 3 }, "mm3" }, { { X86_RC_XMM, 31 }, "xmm31" },
		{ { X86_RC_YMM, 16 }, "ymm16" }, { { X86_RC_ZMM, 0 }, "zmm0" },
		{ { X86_RC_K, 7 }, "k7" }, { { X86_RC_BND, 3 }, "bnd3" },
		{ { X86_RC_TMM, 5 }, "tmm5" }, { { X86_RC_NONE, 0 }, "?" },
		{ { X86_RC_GPR64, 40 }, "?" },
	};

	for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *got = x86_reg_name(t[i].r);

		if (!ok(!strcmp(got, t[i].name), "x86_reg_name %s", t[i].name))
			diag("got %s", got);
	}
}

static void test_snprintf_semantics(void)
{
	struct x86_insn in = mk("add", 32, 3);
	const char *want = "add dword ptr [rbx+rcx*4+0x10], eax";
	char buf[64];
	int n;

	mem(&in, 32, Q(3), Q(1), 4, 1, 0x10);
	reg(&in, D(0), 32);

	memset(buf, 'x', sizeof(buf));
	n = x86_format_intel(&in, 0, buf, 8);
	ok(n == (int)strlen(want) && !strcmp(buf, "add dwo") && buf[8] == 'x',
	   "truncated to 7 characters, full length returned");
	memset(buf, 'x', sizeof(buf));
	n = x86_format_intel(&in, 0, buf, 1);
	ok(n == (int)strlen(want) && buf[0] == 0 && buf[1] == 'x', "size 1: empty string");
	memset(buf, 'x', sizeof(buf));
	n = x86_format_intel(&in, 0, buf, 0);
	ok(n == (int)strlen(want) && buf[0] == 'x', "size 0: nothing written");
	n = x86_format_intel(&in, 0, buf, (unsigned)strlen(want) + 1);
	ok(n == (int)strlen(want) && !strcmp(buf, want), "exact fit");
}

int main(void)
{
	test_memory_forms();
	test_rip_and_absolute();
	test_segments();
	test_string_ops();
	test_prefixes();
	test_branches();
	test_immediates();
	test_apx();
	test_other_registers();
	test_reg_names();
	test_snprintf_semantics();
	return done_testing();
}
