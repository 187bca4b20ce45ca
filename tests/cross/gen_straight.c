/* SPDX-License-Identifier: MIT */
/*
 * Random straight-line guests for the cross-backend differential test.
 *
 *   gen_straight SEED BLOCKS INSNS [native] > guest.S
 *
 * Writes GNU as source for a `_start64` guest with BLOCKS independent blocks.
 * Each block loads every GPR but RSP and RBX with random values, fills a
 * 64-byte data window at [RBX] with random bytes, loads random arithmetic
 * flags, runs INSNS random general-purpose instructions, and reports all
 * 16 GPRs, RFLAGS and the window on COM1 in hex.  The guest then writes 0
 * to the exit port.  With `native` the same blocks form a static Linux
 * program (`_start`) that prints the same report with write(2): the host
 * CPU is then a third executor, available wherever the test runs.
 *
 * Only instructions whose every observable result is architecturally
 * defined are used, so that any two correct x86 implementations (the
 * software vCPU, which models Intel, and the hardware under KVM, of any
 * vendor) must print the same bytes: ADD/ADC/SUB/SBB/CMP/INC/DEC/NEG/NOT,
 * AND/OR/XOR/TEST (their undefined AF is overwritten: every block ends with
 * a CMP), shifts and rotates by 1 (AF again), MOV/MOVZX/MOVSX/LEA/XCHG/
 * BSWAP, CMOVcc/SETcc.  RSP and RBX are never written by random code.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

static uint64_t rnd(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Destination-capable registers (not RSP, not RBX), by size. */
static const char *const r64[] = { "rax", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9",
				   "r10", "r11", "r12", "r13", "r14", "r15" };
static const char *const r32[] = { "eax", "ecx", "edx", "esi", "edi", "ebp", "r8d", "r9d",
				   "r10d", "r11d", "r12d", "r13d", "r14d", "r15d" };
static const char *const r16[] = { "ax", "cx", "dx", "si", "di", "bp", "r8w", "r9w",
				   "r10w", "r11w", "r12w", "r13w", "r14w", "r15w" };
static const char *const r8[] = { "al", "cl", "dl", "sil", "dil", "bpl", "r8b", "r9b",
				  "r10b", "r11b", "r12b", "r13b", "r14b", "r15b" };
static const char *const *const regs[4] = { r8, r16, r32, r64 };
static const char sfx[4] = { 'b', 'w', 'l', 'q' };
static const char *const cc[] = { "o", "no", "b", "ae", "e", "ne", "be", "a",
				   "s", "ns", "p", "np", "l", "ge", "le", "g" };

#define NREG 14

static const char *reg(unsigned size)
{
	return regs[size][rnd() % NREG];
}

/* A memory operand inside the 64-byte window, aligned to its size. */
static void mem(char *buf, size_t n, unsigned size)
{
	unsigned bytes = 1u << size;

	snprintf(buf, n, "%u(%%rbx)", (unsigned)(rnd() % (64 / bytes)) * bytes);
}

static void insn(void)
{
	static const char *const alu[] = { "add", "adc", "sub", "sbb", "cmp", "and", "or", "xor" };
	static const char *const sh[] = { "shl", "shr", "sar", "rol", "ror", "rcl", "rcr" };
	unsigned size = (unsigned)(rnd() % 4), k = (unsigned)(rnd() % 13);
	char m[32];
	uint64_t imm = rnd();

	mem(m, sizeof(m), size);
	switch (k) {
	case 0: /* alu r, r */
		printf("\t%s%c %%%s, %%%s\n", alu[rnd() % 8], sfx[size], reg(size), reg(size));
		break;
	case 1: /* alu r, imm */
		printf("\t%s%c $%" PRId64 ", %%%s\n", alu[rnd() % 8], sfx[size],
		       size == 0 ? (int64_t)(int8_t)imm : size == 1 ? (int64_t)(int16_t)imm :
		       (int64_t)(int32_t)imm, reg(size));
		break;
	case 2: /* alu r, m / m, r */
		if (rnd() & 1)
			printf("\t%s%c %s, %%%s\n", alu[rnd() % 8], sfx[size], m, reg(size));
		else
			printf("\t%s%c %%%s, %s\n", alu[rnd() % 8], sfx[size], reg(size), m);
		break;
	case 3: /* test / inc / dec / neg / not */
		switch (rnd() % 5) {
		case 0: printf("\ttest%c %%%s, %%%s\n", sfx[size], reg(size), reg(size)); break;
		case 1: printf("\tinc%c %%%s\n", sfx[size], reg(size)); break;
		case 2: printf("\tdec%c %s\n", sfx[size], m); break;
		case 3: printf("\tneg%c %%%s\n", sfx[size], reg(size)); break;
		default: printf("\tnot%c %s\n", sfx[size], m); break;
		}
		break;
	case 4: /* shifts and rotates by 1 */
		printf("\t%s%c $1, %%%s\n", sh[rnd() % 7], sfx[size], reg(size));
		break;
	case 5: /* mov r, r / r, m / m, r / r, imm */
		switch (rnd() % 4) {
		case 0: printf("\tmov%c %%%s, %%%s\n", sfx[size], reg(size), reg(size)); break;
		case 1: printf("\tmov%c %s, %%%s\n", sfx[size], m, reg(size)); break;
		case 2: printf("\tmov%c %%%s, %s\n", sfx[size], reg(size), m); break;
		default: printf("\tmovabsq $%" PRIu64 ", %%%s\n", imm, reg(3)); break;
		}
		break;
	case 6: /* movzx / movsx */
		printf("\tmov%cbq %%%s, %%%s\n", rnd() & 1 ? 'z' : 's', reg(0), reg(3));
		break;
	case 7: /* lea */
		printf("\tleaq %d(%%%s,%%%s,%u), %%%s\n", (int)(int16_t)imm, reg(3), reg(3),
		       1u << (rnd() % 4), reg(3));
		break;
	case 8: /* xchg, bswap */
		if (rnd() & 1)
			printf("\txchg%c %%%s, %%%s\n", sfx[size], reg(size), reg(size));
		else
			printf("\tbswap %%%s\n", rnd() & 1 ? reg(2) : reg(3));
		break;
	case 9: /* cmovcc (16/32/64) */
		size = 1 + (unsigned)(rnd() % 3);
		printf("\tcmov%s%c %%%s, %%%s\n", cc[rnd() % 16], sfx[size], reg(size), reg(size));
		break;
	case 10: /* setcc */
		printf("\tset%s %%%s\n", cc[rnd() % 16], reg(0));
		break;
	case 11: /* adc/sbb chains through memory */
		printf("\t%s%c %%%s, %s\n", rnd() & 1 ? "adc" : "sbb", sfx[size], reg(size), m);
		break;
	default: /* alu m, imm */
		printf("\t%s%c $%d, %s\n", alu[rnd() % 8], sfx[size], (int)(int8_t)imm, m);
		break;
	}
}

/* The report routine and the entry: print 16 GPRs, RFLAGS and the window. */
static void prologue(bool native)
{
	if (native) {
		puts("\t.text\n\t.globl _start\n_start:\n\tlea stack_top(%rip), %rsp\n\tjmp blocks");
		/* put: al -> out buffer */
		puts("put:\n\tpush %rdx\n\tmov outp(%rip), %rdx\n\tmov %al, (%rdx)\n"
		     "\tincq outp(%rip)\n\tpop %rdx\n\tret");
	} else {
		puts("\t.text\n\t.globl _start64\n_start64:\n\tlea stack_top(%rip), %rsp\n\tjmp blocks");
		/* put: al -> COM1, polling LSR bit 5 (bounded). */
		puts("put:\n\tpush %rdx\n\tpush %rcx\n\tpush %rax\n\tmov $100000, %ecx\n"
		     "1:\tmov $0x3fd, %dx\n\tin %dx, %al\n\ttest $0x20, %al\n\tjnz 2f\n\tdec %ecx\n\tjnz 1b\n"
		     "2:\tpop %rax\n\tmov $0x3f8, %dx\n\tout %al, %dx\n\tpop %rcx\n\tpop %rdx\n\tret");
	}
	/* hex64: rax -> 16 hex digits */
	puts("hex64:\n\tpush %rcx\n\tpush %rsi\n\tmov %rax, %rsi\n\tmov $16, %ecx\n"
	     "1:\trol $4, %rsi\n\tmov %esi, %eax\n\tand $15, %eax\n\tcmp $10, %eax\n\tjb 2f\n"
	     "\tadd $39, %eax\n2:\tadd $48, %eax\n\tcall put\n\tdec %ecx\n\tjnz 1b\n"
	     "\tpop %rsi\n\tpop %rcx\n\tret");
	/* report: save[0..16] = 16 GPRs + RFLAGS (filled by the caller), then the window */
	puts("report:\n\tlea save(%rip), %rdi\n\tmov $17, %r8d\n"
	     "1:\tmov (%rdi), %rax\n\tcall hex64\n\tmov $32, %al\n\tcall put\n\tadd $8, %rdi\n"
	     "\tdec %r8d\n\tjnz 1b\n\tlea window(%rip), %rdi\n\tmov $8, %r8d\n"
	     "2:\tmov (%rdi), %rax\n\tcall hex64\n\tadd $8, %rdi\n\tdec %r8d\n\tjnz 2b\n"
	     "\tmov $10, %al\n\tcall put\n\tret");
	puts("blocks:");
}

static void block(unsigned insns)
{
	static const char *const all[] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
					   "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };

	puts("\tlea window(%rip), %rbx");
	for (unsigned i = 0; i < 8; i++)
		printf("\tmovabsq $%" PRIu64 ", %%rax\n\tmovq %%rax, %u(%%rbx)\n", rnd(), i * 8);
	for (unsigned i = 0; i < NREG; i++)
		printf("\tmovabsq $%" PRIu64 ", %%%s\n", rnd(), r64[i]);
	/* CF PF AF ZF SF OF random, DF 0, IF 0 */
	printf("\tpushq $%u\n\tpopfq\n", (unsigned)(rnd() & 0x8d5) | 2u);
	for (unsigned i = 0; i < insns; i++)
		insn();
	printf("\tcmpq %%%s, %%%s\n", reg(3), reg(3));  /* all six flags defined */
	/* RFLAGS: the arithmetic flags, DF and bit 1 (IF differs between a guest and a process) */
	puts("\tpushfq\n\tmov %rax, save(%rip)\n\tpop %rax\n\tand $0xcd7, %eax\n\tmov %rax, save+128(%rip)");
	for (unsigned i = 1; i < 16; i++)
		printf("\tmov %%%s, save+%u(%%rip)\n", all[i], i * 8);
	puts("\tcall report");
}

int main(int argc, char **argv)
{
	unsigned blocks, insns;
	bool native = argc == 5 && !strcmp(argv[4], "native");

	if (argc != 4 && !native) {
		fprintf(stderr, "usage: gen_straight SEED BLOCKS INSNS [native]\n");
		return 2;
	}
	state = strtoull(argv[1], NULL, 0);
	blocks = (unsigned)strtoul(argv[2], NULL, 0);
	insns = (unsigned)strtoul(argv[3], NULL, 0);
	printf("/* gen_straight %s %u %u */\n", argv[1], blocks, insns);
	prologue(native);
	for (unsigned b = 0; b < blocks; b++)
		block(insns);
	if (native)   /* write(1, out, outp - out); exit_group(0) */
		puts("\tmov $1, %eax\n\tmov $1, %edi\n\tlea out(%rip), %rsi\n\tmov outp(%rip), %rdx\n"
		     "\tsub %rsi, %rdx\n\tsyscall\n\tmov $231, %eax\n\txor %edi, %edi\n\tsyscall");
	else
		puts("\tmov $0, %eax\n\tout %eax, $0xf4\n3:\tcli\n\thlt\n\tjmp 3b");
	puts("\t.data\n\t.balign 64\nwindow:\t.skip 64\nsave:\t.skip 136\noutp:\t.quad out\n"
	     "\t.bss\n\t.balign 16\n\t.skip 8192\nstack_top:\nout:\t.skip 1048576");
	return 0;
}
