/* SPDX-License-Identifier: MIT */
/*
 * Which iclasses the differential test covers, and what it must know about
 * each: implicit memory operands (so that every access stays inside the
 * sandbox), special operand values, and the flags the Intel SDM leaves
 * undefined.
 *
 * THE RULE ("general-purpose iclass"), printed by the test:
 *   an iclass of an `ok` line of legacy.tsv whose isa_set is a base integer
 *   set (gp_isa_sets[] below), except the iclasses in gp_excluded[]:
 *   privileged or system instructions that cannot run at CPL 3 (or depend on
 *   descriptor tables/MSRs), far transfers, interrupts and system calls,
 *   segment loads, and instructions whose result depends on the host
 *   environment rather than on the register state (RDTSC, CPUID).
 *   x87/MMX/SSE/AVX, VMX, XSAVE, cache control, RDRAND... are other isa_sets.
 * The lock, rep and repe/repne forms are iclasses of their own.
 */
#ifndef APXVM_TESTS_DIFF_ICLASS_H
#define APXVM_TESTS_DIFF_ICLASS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core.h"
#include "../host_cpu.h"

static const char *const gp_isa_sets[] = {
	"i86", "i186", "i286real", "i286protected", "i386", "i486", "i486real",
	"pentiumreal", "ppro", "ppro_ud0_short", "longmode", "cmov", "lahf",
	"popcnt", "lzcnt", "bmi1", "bmi2", "movbe", "adox_adcx", "cmpxchg16b",
	"fat_nop", "pause", "sep", NULL,
};

static const char *const gp_excluded[] = {
	/* privileged / I/O / descriptor tables / MSRs (CPL 0 or system state) */
	"cli", "sti", "hlt", "in", "out", "insb", "insw", "insd", "outsb", "outsw", "outsd",
	"rep_insb", "rep_insw", "rep_insd", "rep_outsb", "rep_outsw", "rep_outsd",
	"lgdt", "lidt", "lldt", "ltr", "sgdt", "sidt", "sldt", "str", "smsw", "lmsw", "clts",
	"mov_cr", "mov_dr", "invd", "wbinvd", "invlpg", "rdmsr", "wrmsr", "rdpmc", "rsm",
	"lar", "lsl", "verr", "verw", "sysenter", "sysexit",
	/* far transfers, interrupts, system calls */
	"call_far", "jmp_far", "ret_far", "iret", "iretd", "iretq", "int", "int1", "int3",
	"into", "syscall", "sysret", "sysret64",
	/* segment register loads */
	"lfs", "lgs", "lss",
	/* results from the host environment, not from the register state */
	"rdtsc", "cpuid",
	NULL,
};

/*
 * Excluded from the coverage rule but still compared: privileged at CPL 3,
 * so both the host and the interpreter (CPL 3, IOPL 0) must raise #GP (#UD
 * for RSM) with nothing changed.  Not here: SGDT/SIDT/SLDT/SMSW/STR (the
 * kernel emulates them under UMIP), LAR/LSL/VERR/VERW (descriptor tables),
 * RDPMC (CR4.PCE is the kernel's choice), INT n (the gate DPL is the
 * guest's), and anything that would enter the host kernel (SYSCALL,
 * SYSENTER, INT 0x80).
 */
static const char *const cpl3_faulting[] = {
	"cli", "sti", "hlt", "in", "out", "insb", "insw", "insd", "outsb", "outsw", "outsd",
	"rep_insb", "rep_insw", "rep_insd", "rep_outsb", "rep_outsw", "rep_outsd",
	"lgdt", "lidt", "lldt", "ltr", "lmsw", "clts", "mov_cr", "mov_dr", "invd", "wbinvd",
	"invlpg", "rdmsr", "wrmsr", "rsm",
	NULL,
};

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

static bool gp_isa_set(const char *isa)
{
	return in_list(gp_isa_sets, isa);
}

static bool gp_iclass(const char *iclass)
{
	return !in_list(gp_excluded, iclass);
}

/* What the generator must know about an instruction (by base name). */
enum {
	IF_STACK   = 1u << 0,  /* implicit stack access at RSP */
	IF_SI      = 1u << 1,  /* string source [RSI] (segment override applies) */
	IF_DI      = 1u << 2,  /* string destination ES:[RDI] */
	IF_XLAT    = 1u << 3,  /* [RBX + AL] */
	IF_ENTER   = 1u << 4,  /* reads [RBP - 8*i] for nesting levels */
	IF_LEAVE   = 1u << 5,  /* RSP = RBP, then pop */
	IF_COUNT   = 1u << 6,  /* shift/rotate count in CL or imm8 */
	IF_BT      = 1u << 7,  /* bit offset in a register addresses memory beyond the operand */
	IF_BRANCH  = 1u << 8,  /* near branch: rel, or target in operand 0 */
	IF_RET     = 1u << 9,  /* target popped from [RSP] */
	IF_POPF    = 1u << 10, /* pops RFLAGS: never TF/AC (the sandbox needs them clear) */
	IF_DIV     = 1u << 11, /* make most divisions not overflow */
	IF_CMPXCHG = 1u << 12, /* make the accumulator equal the destination half the time */
	IF_CX8     = 1u << 13, /* cmpxchg8b/16b: make EDX:EAX equal memory half the time */
	IF_SCAN    = 1u << 14, /* cmps/scas: make the data equal for a while */
	IF_RCX     = 1u << 15, /* loop/jrcxz: interesting RCX */
};

/*
 * Flags the Intel SDM (Vol. 2 instruction pages, "Flags Affected") calls
 * undefined: the kinds of tests/host_cpu.h (enum sdm_undef), shared with
 * test_exec_alu.  The kind decides the mask for one execution
 * (count-dependent for shifts); see undef_mask().
 */
#define U_NONE  SDM_UNDEF_NONE
#define U_LOGIC SDM_UNDEF_LOGIC  /* AND OR XOR TEST: AF */
#define U_MUL   SDM_UNDEF_MUL    /* MUL IMUL: SF ZF AF PF */
#define U_DIV   SDM_UNDEF_DIV    /* DIV IDIV: CF OF SF ZF AF PF */
#define U_SHIFT SDM_UNDEF_SHIFT  /* SHL SHR: AF; OF for count > 1; CF for count >= width */
#define U_SAR   SDM_UNDEF_SAR    /* SAR: AF; OF for count > 1 */
#define U_ROT   SDM_UNDEF_ROT    /* ROL ROR RCL RCR: OF for (masked) count > 1 */
#define U_SHXD  SDM_UNDEF_SHXD   /* SHLD SHRD: AF; OF for count > 1; count > width: all */
#define U_BT    SDM_UNDEF_BT     /* BT BTS BTR BTC: OF SF AF PF (ZF unaffected) */
#define U_BSX   SDM_UNDEF_BSX    /* BSF BSR: CF OF SF AF PF */
#define U_CNT   SDM_UNDEF_CNT    /* LZCNT TZCNT: OF SF AF PF */

struct iinfo {
	const char *name;   /* base name: no _lock / rep_ / repe_ / repne_ */
	unsigned flags;
	uint8_t undef;      /* enum sdm_undef */
	/*
	 * Compare the undefined flags anyway: the interpreter reproduces what
	 * an Intel host does.  Measured with DIFF_STRICT=1 (compare all) and
	 * the "undefined flags (masked) differed" notes: every row matches the
	 * Intel host (Sapphire Rapids class Xeon), so every row is strict; set a
	 * row to false to mask its SDM-undefined flags again (DIFF_LOOSE=1 does
	 * it for all rows, and so does a non-Intel host: tests/host_cpu.h).
	 */
	bool strict;
};

#define STR_SI IF_SI
#define STR_DI IF_DI
static const struct iinfo iinfo_table[] = {
	{ "adc", 0, U_NONE, true },  { "add", 0, U_NONE, true },
	{ "sbb", 0, U_NONE, true },  { "sub", 0, U_NONE, true },
	{ "cmp", 0, U_NONE, true },  { "neg", 0, U_NONE, true },
	{ "inc", 0, U_NONE, true },  { "dec", 0, U_NONE, true },
	{ "not", 0, U_NONE, true },
	{ "and", 0, U_LOGIC, true }, { "or", 0, U_LOGIC, true },
	{ "xor", 0, U_LOGIC, true }, { "test", 0, U_LOGIC, true },
	{ "cbw", 0, U_NONE, true },  { "cwde", 0, U_NONE, true }, { "cdqe", 0, U_NONE, true },
	{ "cwd", 0, U_NONE, true },  { "cdq", 0, U_NONE, true },  { "cqo", 0, U_NONE, true },
	{ "clc", 0, U_NONE, true },  { "stc", 0, U_NONE, true },  { "cmc", 0, U_NONE, true },
	{ "cld", 0, U_NONE, true },  { "std", 0, U_NONE, true },
	{ "lahf", 0, U_NONE, true }, { "sahf", 0, U_NONE, true },
	{ "movsb", STR_SI | STR_DI, U_NONE, true }, { "movsw", STR_SI | STR_DI, U_NONE, true },
	{ "movsd", STR_SI | STR_DI, U_NONE, true }, { "movsq", STR_SI | STR_DI, U_NONE, true },
	{ "cmpsb", STR_SI | STR_DI | IF_SCAN, U_NONE, true },
	{ "cmpsw", STR_SI | STR_DI | IF_SCAN, U_NONE, true },
	{ "cmpsd", STR_SI | STR_DI | IF_SCAN, U_NONE, true },
	{ "cmpsq", STR_SI | STR_DI | IF_SCAN, U_NONE, true },
	{ "scasb", STR_DI | IF_SCAN, U_NONE, true }, { "scasw", STR_DI | IF_SCAN, U_NONE, true },
	{ "scasd", STR_DI | IF_SCAN, U_NONE, true }, { "scasq", STR_DI | IF_SCAN, U_NONE, true },
	{ "lodsb", STR_SI, U_NONE, true }, { "lodsw", STR_SI, U_NONE, true },
	{ "lodsd", STR_SI, U_NONE, true }, { "lodsq", STR_SI, U_NONE, true },
	{ "stosb", STR_DI, U_NONE, true }, { "stosw", STR_DI, U_NONE, true },
	{ "stosd", STR_DI, U_NONE, true }, { "stosq", STR_DI, U_NONE, true },
	{ "div", IF_DIV, U_DIV, true }, { "idiv", IF_DIV, U_DIV, true },
	{ "mul", 0, U_MUL, true }, { "imul", 0, U_MUL, true },
	{ "jo", IF_BRANCH, U_NONE, true }, { "jno", IF_BRANCH, U_NONE, true },
	{ "jb", IF_BRANCH, U_NONE, true }, { "jnb", IF_BRANCH, U_NONE, true },
	{ "jz", IF_BRANCH, U_NONE, true }, { "jnz", IF_BRANCH, U_NONE, true },
	{ "jbe", IF_BRANCH, U_NONE, true }, { "jnbe", IF_BRANCH, U_NONE, true },
	{ "js", IF_BRANCH, U_NONE, true }, { "jns", IF_BRANCH, U_NONE, true },
	{ "jp", IF_BRANCH, U_NONE, true }, { "jnp", IF_BRANCH, U_NONE, true },
	{ "jl", IF_BRANCH, U_NONE, true }, { "jnl", IF_BRANCH, U_NONE, true },
	{ "jle", IF_BRANCH, U_NONE, true }, { "jnle", IF_BRANCH, U_NONE, true },
	{ "jmp", IF_BRANCH, U_NONE, true },
	{ "call_near", IF_BRANCH | IF_STACK, U_NONE, true },
	{ "ret_near", IF_RET | IF_STACK, U_NONE, true },
	{ "loop", IF_BRANCH | IF_RCX, U_NONE, true }, { "loope", IF_BRANCH | IF_RCX, U_NONE, true },
	{ "loopne", IF_BRANCH | IF_RCX, U_NONE, true },
	{ "jrcxz", IF_BRANCH | IF_RCX, U_NONE, true }, { "jecxz", IF_BRANCH | IF_RCX, U_NONE, true },
	{ "lea", 0, U_NONE, true }, { "mov", 0, U_NONE, true },
	{ "nop", 0, U_NONE, true }, { "pause", 0, U_NONE, true },
	{ "push", IF_STACK, U_NONE, true }, { "pop", IF_STACK, U_NONE, true },
	{ "pushf", IF_STACK, U_NONE, true }, { "pushfq", IF_STACK, U_NONE, true },
	{ "popf", IF_STACK | IF_POPF, U_NONE, true }, { "popfq", IF_STACK | IF_POPF, U_NONE, true },
	{ "enter", IF_STACK | IF_ENTER, U_NONE, true }, { "leave", IF_STACK | IF_LEAVE, U_NONE, true },
	{ "rol", IF_COUNT, U_ROT, true }, { "ror", IF_COUNT, U_ROT, true },
	{ "rcl", IF_COUNT, U_ROT, true }, { "rcr", IF_COUNT, U_ROT, true },
	{ "shl", IF_COUNT, U_SHIFT, true }, { "shr", IF_COUNT, U_SHIFT, true },
	{ "sar", IF_COUNT, U_SAR, true },
	{ "shld", IF_COUNT, U_SHXD, true }, { "shrd", IF_COUNT, U_SHXD, true },
	{ "bt", IF_BT, U_BT, true }, { "bts", IF_BT, U_BT, true },
	{ "btr", IF_BT, U_BT, true }, { "btc", IF_BT, U_BT, true },
	{ "bsf", 0, U_BSX, true }, { "bsr", 0, U_BSX, true },
	{ "lzcnt", 0, U_CNT, true }, { "tzcnt", 0, U_CNT, true },
	{ "popcnt", 0, U_NONE, true },
	{ "movsx", 0, U_NONE, true }, { "movzx", 0, U_NONE, true }, { "movsxd", 0, U_NONE, true },
	{ "bswap", 0, U_NONE, true }, { "xchg", 0, U_NONE, true }, { "xadd", 0, U_NONE, true },
	{ "xlat", IF_XLAT, U_NONE, true },
	{ "cmpxchg", IF_CMPXCHG, U_NONE, true },
	{ "cmpxchg8b", IF_CX8, U_NONE, true }, { "cmpxchg16b", IF_CX8, U_NONE, true },
	/* privileged at CPL 3 (cpl3_faulting[]): #GP expected on both sides */
	{ "cli", 0, U_NONE, true }, { "sti", 0, U_NONE, true }, { "hlt", 0, U_NONE, true },
	{ "in", 0, U_NONE, true }, { "out", 0, U_NONE, true },
	{ "insb", STR_DI, U_NONE, true }, { "insw", STR_DI, U_NONE, true },
	{ "insd", STR_DI, U_NONE, true }, { "outsb", STR_SI, U_NONE, true },
	{ "outsw", STR_SI, U_NONE, true }, { "outsd", STR_SI, U_NONE, true },
	{ "lgdt", 0, U_NONE, true }, { "lidt", 0, U_NONE, true }, { "lldt", 0, U_NONE, true },
	{ "ltr", 0, U_NONE, true }, { "lmsw", 0, U_NONE, true }, { "clts", 0, U_NONE, true },
	{ "mov_cr", 0, U_NONE, true }, { "mov_dr", 0, U_NONE, true }, { "invd", 0, U_NONE, true },
	{ "wbinvd", 0, U_NONE, true }, { "invlpg", 0, U_NONE, true }, { "rdmsr", 0, U_NONE, true },
	{ "wrmsr", 0, U_NONE, true }, { "rsm", 0, U_NONE, true },
	{ "ud0", 0, U_NONE, true }, { "ud1", 0, U_NONE, true }, { "ud2", 0, U_NONE, true },
	{ "udb", 0, U_NONE, true },
	{ "seto", 0, U_NONE, true }, { "setno", 0, U_NONE, true },
	{ "setb", 0, U_NONE, true }, { "setnb", 0, U_NONE, true },
	{ "setz", 0, U_NONE, true }, { "setnz", 0, U_NONE, true },
	{ "setbe", 0, U_NONE, true }, { "setnbe", 0, U_NONE, true },
	{ "sets", 0, U_NONE, true }, { "setns", 0, U_NONE, true },
	{ "setp", 0, U_NONE, true }, { "setnp", 0, U_NONE, true },
	{ "setl", 0, U_NONE, true }, { "setnl", 0, U_NONE, true },
	{ "setle", 0, U_NONE, true }, { "setnle", 0, U_NONE, true },
	{ "cmovo", 0, U_NONE, true }, { "cmovno", 0, U_NONE, true },
	{ "cmovb", 0, U_NONE, true }, { "cmovnb", 0, U_NONE, true },
	{ "cmovz", 0, U_NONE, true }, { "cmovnz", 0, U_NONE, true },
	{ "cmovbe", 0, U_NONE, true }, { "cmovnbe", 0, U_NONE, true },
	{ "cmovs", 0, U_NONE, true }, { "cmovns", 0, U_NONE, true },
	{ "cmovp", 0, U_NONE, true }, { "cmovnp", 0, U_NONE, true },
	{ "cmovl", 0, U_NONE, true }, { "cmovnl", 0, U_NONE, true },
	{ "cmovle", 0, U_NONE, true }, { "cmovnle", 0, U_NONE, true },
	{ NULL, 0, 0, false },
};

/* "add_lock" -> "add", "rep_movsb" -> "movsb", "repne_scasb" -> "scasb". */
static const char *iclass_base(const char *iclass, char *buf, size_t n)
{
	size_t len;

	if (!strncmp(iclass, "repne_", 6))
		iclass += 6;
	else if (!strncmp(iclass, "repe_", 5))
		iclass += 5;
	else if (!strncmp(iclass, "rep_", 4))
		iclass += 4;
	snprintf(buf, n, "%s", iclass);
	len = strlen(buf);
	if (len > 5 && !strcmp(buf + len - 5, "_lock"))
		buf[len - 5] = 0;
	return buf;
}

static const struct iinfo *iinfo_find(const char *iclass)
{
	char base[32];

	iclass_base(iclass, base, sizeof(base));
	for (const struct iinfo *p = iinfo_table; p->name; p++)
		if (!strcmp(p->name, base))
			return p;
	return NULL;
}

/*
 * The undefined flags of one execution.  `w` is the operand width, `count`
 * the shift/rotate count as encoded (before masking).
 */
static uint64_t undef_mask(const struct iinfo *ii, unsigned w, unsigned count, bool *dest_undef)
{
	return sdm_undef_flags(ii ? (enum sdm_undef)ii->undef : SDM_UNDEF_NONE, w, count, dest_undef);
}

#endif
