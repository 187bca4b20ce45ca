/* SPDX-License-Identifier: MIT */
/*
 * The data-movement and stack family of the interpreter (src/x86/exec_data.c)
 * against the host CPU, then directed tests of what the host cannot show.
 *
 * Host oracle.  The same 64 KiB window [0x200000, 0x210000) exists in both
 * worlds: the guest RAM ends there, and the host maps it at the same address
 * (MAP_FIXED_NOREPLACE).  Code runs at WIN+0x1000 in both, so RIP-relative
 * addresses agree; RSP points into the window in both, so stack
 * instructions (PUSH/POP/ENTER/LEAVE/PUSHF/POPF, even POP RSP) run natively
 * on the same addresses.  Above the window nothing is mapped on the host and
 * nothing is RAM in the guest, so accesses past its end fault in both.
 *
 * The trampoline loads every GPR but R15 (which keeps the host's real RSP)
 * and RFLAGS, jumps to the code, and the code ends with "xchg rsp, r15; ret".
 * Compared afterwards: all GPRs (R15 excepted), RFLAGS, RIP, the 4 KiB data
 * part of the window, and faults (a host signal: the vCPU must raise an
 * exception and change nothing).  The vCPU runs at CPL 3 like the host.
 *
 * APX forms cannot run on the host: each case names a legacy equivalent and
 * a register map (host register k is guest register map[k]); guest
 * registers outside the map keep random values that must not change.
 *
 * Usage: test_exec_data [ITERATIONS [SEED]]; DATA_TRACE=1 names each case.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include "host_cpu.h"
#include "tap.h"
#include "x86/interp.h"
#include "x86/interp_internal.h"

#if !defined(__x86_64__)
int main(void)
{
	printf("1..0 # SKIP host is not x86-64\n");
	return 0;
}
#else

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define WIN        0x200000ull
#define WIN_SIZE   0x10000ull
#define CODE       (WIN + 0x1000)
#define DATA       (WIN + 0x8000)
#define DATA_SIZE  0x1000
#define MEMPTR     (DATA + 0x400)   /* rsi, and the other pointer registers */
#define STK        (DATA + 0xc00)   /* rsp */
#define GRAM_SIZE  (WIN + WIN_SIZE)

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* ------------------------------------------------------------------ */
/* The host                                                           */
/* ------------------------------------------------------------------ */

struct hstate {
	uint64_t r[16];   /* r15 is not loaded */
	uint64_t flags;
};

uint64_t data_host_target; /* the code address, jumped to by the trampoline */

/* data_host_tramp(s): load s, run the code (which ends with xchg rsp, r15; ret), store s. */
__asm__(
	"	.text\n"
	"	.type data_host_tramp,@function\n"
	"data_host_tramp:\n"
	"	push %rbx\n	push %rbp\n	push %r12\n	push %r13\n	push %r14\n	push %r15\n"
	"	push %rdi\n"
	"	lea 1f(%rip),%rax\n"
	"	push %rax\n"
	"	pushq 128(%rdi)\n"
	"	popfq\n"
	"	mov %rsp,%r15\n"
	"	mov 32(%rdi),%rsp\n"
	"	mov 0(%rdi),%rax\n	mov 8(%rdi),%rcx\n	mov 16(%rdi),%rdx\n	mov 24(%rdi),%rbx\n"
	"	mov 40(%rdi),%rbp\n	mov 48(%rdi),%rsi\n"
	"	mov 64(%rdi),%r8\n	mov 72(%rdi),%r9\n	mov 80(%rdi),%r10\n	mov 88(%rdi),%r11\n"
	"	mov 96(%rdi),%r12\n	mov 104(%rdi),%r13\n	mov 112(%rdi),%r14\n"
	"	mov 56(%rdi),%rdi\n"
	"	jmp *data_host_target(%rip)\n"
	"1:\n"
	"	pushfq\n"
	"	push %rdi\n"
	"	mov 16(%rsp),%rdi\n"
	"	mov %rax,0(%rdi)\n	mov %rcx,8(%rdi)\n	mov %rdx,16(%rdi)\n	mov %rbx,24(%rdi)\n"
	"	mov %r15,32(%rdi)\n"
	"	mov %rbp,40(%rdi)\n	mov %rsi,48(%rdi)\n"
	"	mov %r8,64(%rdi)\n	mov %r9,72(%rdi)\n	mov %r10,80(%rdi)\n	mov %r11,88(%rdi)\n"
	"	mov %r12,96(%rdi)\n	mov %r13,104(%rdi)\n	mov %r14,112(%rdi)\n"
	"	pop %rax\n	mov %rax,56(%rdi)\n"
	"	pop %rax\n	mov %rax,128(%rdi)\n"
	"	add $8,%rsp\n"
	"	pushq $0x202\n"
	"	popfq\n"
	"	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n	pop %rbp\n	pop %rbx\n"
	"	ret\n"
	"	.size data_host_tramp, .-data_host_tramp\n"
	"	.type data_host_flags_reset,@function\n"
	"data_host_flags_reset:\n"
	"	pushq $0x202\n"
	"	popfq\n"
	"	ret\n"
	"	.size data_host_flags_reset, .-data_host_flags_reset\n");
void data_host_tramp(struct hstate *s);
void data_host_flags_reset(void);

static uint8_t *hwin; /* == (uint8_t *)WIN */
static uint8_t altstack[1 << 16]; /* signal stack: RSP points into the window when it faults */
static sigjmp_buf host_jmp;
static volatile sig_atomic_t host_sig;

static void on_fault(int sig)
{
	host_sig = sig;
	siglongjmp(host_jmp, 1);
}

/* Run `code` natively at CODE; returns the signal it raised, 0 if none. */
static int host_run(struct hstate *s, const uint8_t *code, unsigned len)
{
	static const uint8_t tail[] = { 0x4c, 0x87, 0xfc, 0xc3 }; /* xchg rsp, r15; ret */

	memcpy(hwin + (CODE - WIN), code, len);
	memcpy(hwin + (CODE - WIN) + len, tail, sizeof(tail));
	data_host_target = CODE;
	host_sig = 0;
	if (sigsetjmp(host_jmp, 1)) {
		data_host_flags_reset();
		return host_sig ? host_sig : -1;
	}
	data_host_tramp(s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The vCPU                                                           */
/* ------------------------------------------------------------------ */

static uint8_t *gram; /* GRAM_SIZE bytes */
static struct vcpu gv;
static struct x86_cpu gc;
static unsigned nregs = 16; /* guest GPRs */

static void guest_init(void)
{
	memset(&gv, 0, sizeof(gv));
	vcpu_regfile_init(&gv.regs, NULL);
	gv.cr4 = X86_CR4_OSXSAVE;
#ifdef CONFIG_APX
	gv.cpuid_apx = true;
	gv.xcr0 = X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_APX;
	nregs = 32;
#else
	gv.xcr0 = X86_XCR0_X87 | X86_XCR0_SSE;
#endif
	vcpu_update_apx(&gv);
	memset(&gc, 0, sizeof(gc));
	gc.v = &gv;
	gc.ram = gram;
	gc.ram_size = GRAM_SIZE;
}

/* ------------------------------------------------------------------ */
/* Values                                                             */
/* ------------------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static unsigned iterations = 300;
static bool trace;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static const uint64_t edges[] = {
	0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff,
	0x80000000, 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
	0xffffffffffffffffull, 0x0123456789abcdefull, 0xfedcba9876543210ull,
};

static uint64_t pick(void)
{
	uint64_t v, k = rnd() % 8;

	if (k < 3)
		v = edges[rnd() % ARRAY_SIZE(edges)];
	else if (k < 4)
		v = rnd() & 0xff;
	else
		v = rnd();
	if (rnd() % 3 == 0) {
		unsigned sh = 8u << (rnd() % 3);

		v = (v & ((UINT64_C(1) << sh) - 1)) | (rnd() << sh);
	}
	return v;
}

/* ------------------------------------------------------------------ */
/* Cases                                                              */
/* ------------------------------------------------------------------ */

enum setup {
	S_NONE,
	S_EQ_MEM,    /* rax (and rdx) often equal the qwords at MEMPTR (CMPXCHG*) */
	S_EQ_RCX,    /* rax often equals rcx (cmpxchg ecx, edx) */
	S_EQ_MEM16,  /* rdx:rax often equal the 16 bytes at MEMPTR (CMPXCHG16B / 8B) */
	S_EQ_MEM_RDI,/* as S_EQ_MEM16, at the rdi pointer */
	S_RBP,       /* rbp points into the stack area (ENTER/LEAVE) */
	S_POPF,      /* the qword at RSP: random flags without TF */
	S_XLAT,      /* rbx near MEMPTR */
	S_XLAT67,    /* rbx = MEMPTR | garbage << 32 */
	S_HIGH_RSP,  /* rsp near the end of the window: pushes/pops may cross it */
	S_SMALL_RBX, /* rbx is a small index */
};

struct tcase {
	const char *name;
	const char *g;      /* guest bytes in hex ("xx": a random byte, shared with h) */
	const char *h;      /* host bytes; NULL = g */
	const char *map;    /* "0>16 1>17": host register -> guest register; NULL = identity */
	unsigned ptr;       /* host registers set to MEMPTR (bit mask) */
	unsigned setup;
};

#define P(r) (1u << (r))
#define RAX 0
#define RCX 1
#define RDX 2
#define RBX 3
#define RDI 7

/* MEMPTR = 0x208400 as an 8-byte little-endian moffs / 4-byte absolute address. */
#define MOFFS "00842000 00000000"
#define ABS32 "00842000"

static const struct tcase cases[] = {
	/* ---- MOV ---- */
	{ "mov [rsi], cl", "880e" },
	{ "mov al, cl", "88c8" },
	{ "mov al, ch", "88e8" },
	{ "mov ah, bl", "88dc" },
	{ "mov sil, dl", "4088d6" },
	{ "mov cl, [rsi+1]", "8a4e01" },
	{ "mov ch, [rsi]", "8a2e" },
	{ "mov [rsi], ecx", "890e" },
	{ "mov [rsi], cx", "66890e" },
	{ "mov [rsi], rcx", "48890e" },
	{ "mov eax, ecx", "89c8" },
	{ "mov ax, cx", "6689c8" },
	{ "mov rax, rcx", "4889c8" },
	{ "mov r9d, r10d", "4589d1" },
	{ "mov ecx, [rsi]", "8b0e" },
	{ "mov cx, [rsi-2]", "668b4efe" },
	{ "mov rax, [rip+x]", "488b05f9730000" },
	{ "mov eax, [abs]", "8b0425" ABS32 },
	{ "mov byte [rsi], imm", "c606xx" },
	{ "mov word [rsi], imm", "66c706xxxx" },
	{ "mov dword [rsi], imm", "c706xxxxxxxx" },
	{ "mov qword [rsi], simm32", "48c706xxxxxxxx" },
	{ "mov al, imm (c6)", "c6c0xx" },
	{ "mov rax, simm32 (c7)", "48c7c0xxxxxxxx" },
	{ "mov cx, imm (c7)", "66c7c1xxxx" },
	{ "mov al, imm", "b0xx" },
	{ "mov ah, imm", "b4xx" },
	{ "mov r9b, imm", "41b1xx" },
	{ "mov ecx, imm", "b9xxxxxxxx" },
	{ "mov cx, imm", "66b9xxxx" },
	{ "mov rcx, imm64", "48b9xxxxxxxxxxxxxxxx" },
	{ "mov r13d, imm", "41bdxxxxxxxx" },
	{ "mov al, moffs", "a0" MOFFS },
	{ "mov eax, moffs", "a1" MOFFS },
	{ "mov ax, moffs", "66a1" MOFFS },
	{ "mov rax, moffs", "48a1" MOFFS },
	{ "mov moffs, al", "a2" MOFFS },
	{ "mov moffs, eax", "a3" MOFFS },
	{ "mov moffs, ax", "66a3" MOFFS },
	{ "mov moffs, rax", "48a3" MOFFS },
	{ "mov eax, moffs32 (67)", "67a1" ABS32 },
	{ "mov moffs32, rax (67)", "6748a3" ABS32 },
	{ "mov eax, ds", "8cd8" },
	{ "mov rax, es", "488cc0" },
	{ "mov ax, ds", "668cd8" },
	{ "mov ecx, fs", "8ce1" },
	{ "mov rdx, gs", "488cea" },
	{ "mov [rsi], ds", "8c1e" },
	{ "mov [rsi], es (REX.W)", "488c06" },
	{ "mov eax, [rsi+0x7bfe] (crosses the end)", "8b86fe7b0000" },
	{ "mov [rsi+0x8000], cl (past the end)", "888e00800000" },
	/* REX2 */
	{ "rex2 mov r17d, edx", "d51089d1", "89d1", "1>17" },
	{ "rex2 mov r16, [r17]", "d5588b01", "488b01", "0>16 1>17", P(RCX) },
	{ "rex2 mov r30b, imm", "d511b6xx", "41b6xx", "14>30" },
	{ "rex2 mov r28, imm64", "d519bcxxxxxxxxxxxxxxxx", "49bcxxxxxxxxxxxxxxxx", "12>28" },
	{ "rex2 mov [r18+r19*2+5], r29w", "66d574896c5a05", "6644896c5a05", "2>18 3>19 13>29",
	  P(RDX), S_SMALL_RBX },

	/* ---- MOVZX / MOVSX / MOVSXD ---- */
	{ "movzx eax, cl", "0fb6c1" },
	{ "movzx eax, ch", "0fb6c5" },
	{ "movzx ax, cl", "660fb6c1" },
	{ "movzx rax, cl", "480fb6c1" },
	{ "movzx ecx, byte [rsi]", "0fb60e" },
	{ "movzx eax, cx", "0fb7c1" },
	{ "movzx rcx, word [rsi]", "480fb70e" },
	{ "movzx cx, word [rsi] (66 0fb7)", "660fb70e" },
	{ "movsx eax, cl", "0fbec1" },
	{ "movsx eax, ch", "0fbec5" },
	{ "movsx ax, cl", "660fbec1" },
	{ "movsx rcx, byte [rsi]", "480fbe0e" },
	{ "movsx eax, cx", "0fbfc1" },
	{ "movsx rcx, word [rsi]", "480fbf0e" },
	{ "movsx cx, word [rsi]", "660fbf0e" },
	{ "movsxd rax, ecx", "4863c1" },
	{ "movsxd eax, ecx", "63c1" },
	{ "movsxd ax, cx", "6663c1" },
	{ "movsxd rcx, [rsi]", "48630e" },
	{ "movsxd ecx, [rsi]", "630e" },
	{ "movsxd cx, [rsi]", "66630e" },
	{ "rex2 movzx r16d, byte [r17]", "d5d0b601", "0fb601", "0>16 1>17", P(RCX) },
	{ "rex2 movsx r25, r26w", "d5ddbfca", "4d0fbfca", "9>25 10>26" },
	{ "rex2 movsxd r16, dword [r17]", "d5586301", "486301", "0>16 1>17", P(RCX) },

	/* ---- XCHG ---- */
	{ "xchg [rsi], cl", "860e" },
	{ "xchg al, cl", "86c8" },
	{ "xchg al, ch", "86e8" },
	{ "xchg cl, cl", "86c9" },
	{ "xchg [rsi], ecx", "870e" },
	{ "xchg [rsi+1], cx", "66874e01" },
	{ "xchg [rsi], rcx", "48870e" },
	{ "lock xchg [rsi], rcx", "f048870e" },
	{ "xchg eax, ecx (87)", "87c8" },
	{ "xchg eax, eax (87: zero-extends)", "87c0" },
	{ "xchg ax, cx", "6687c8" },
	{ "xchg rax, rcx", "4887c8" },
	{ "xchg ecx, eax (91)", "91" },
	{ "xchg cx, ax (66 91)", "6691" },
	{ "xchg rcx, rax (48 91)", "4891" },
	{ "xchg r9d, eax", "4191" },
	{ "xchg r8, rax", "4990" },
	{ "xchg r8d, eax (41 90)", "4190" },
	{ "xchg ax, ax (66 90: nop)", "6690" },
	{ "xchg [rsi+0x7bfe], ecx (crosses the end)", "878efe7b0000" },
	{ "rex2 xchg r17d, eax", "d51091", "91", "1>17" },
	{ "rex2 xchg r24, rax", "d51990", "4990", "8>24" },
	{ "rex2 xchg [r16], r17", "d5588708", "488708", "0>16 1>17", P(RAX) },

	/* ---- BSWAP ---- */
	{ "bswap eax", "0fc8" },
	{ "bswap ecx", "0fc9" },
	{ "bswap rax", "480fc8" },
	{ "bswap r10", "490fca" },
	{ "bswap ax", "660fc8" },
	{ "bswap r11w", "66410fcb" },
	{ "bswap rax (66 48)", "66480fc8" },
	{ "rex2 bswap r16d", "d590c8", "0fc8", "0>16" },
	{ "rex2 bswap r25", "d599c9", "490fc9", "9>25" },

	/* ---- LEA ---- */
	{ "lea eax, [rsi+rcx*4+0x10]", "8d448e10" },
	{ "lea rax, [rsi+rcx*4+0x10]", "488d448e10" },
	{ "lea ax, [rsi+rcx*4+0x10]", "668d448e10" },
	{ "lea eax, [esi+ecx*4+0x10] (67)", "678d448e10" },
	{ "lea rax, [ecx+edx*8-0x10] (67)", "67488d44d1f0" },
	{ "lea ax, [ecx+edx] (66 67)", "66678d0411" },
	{ "lea rax, [rip+x]", "488d05xxxxxxxx" },
	{ "lea rax, [eip+x] (67)", "67488d05xxxxxxxx" },
	{ "lea rax, [abs32]", "488d0425xxxxxxxx" },
	{ "lea ecx, [rdx*2+x]", "8d0c55xxxxxxxx" },
	{ "lea rcx, [rcx+rcx]", "488d0c09" },
	{ "lea rsp, [rsp+8]", "488d642408" },
	{ "lea rax, fs:[rcx]", "64488d01" },
	{ "rex2 lea r18, [r16+r17*4+0x10]", "d5788d548810", "488d548810", "0>16 1>17 2>18" },

	/* ---- CBW family ---- */
	{ "cwde", "98" }, { "cbw", "6698" }, { "cdqe", "4898" },
	{ "cdq", "99" }, { "cwd", "6699" }, { "cqo", "4899" },

	/* ---- XADD ---- */
	{ "xadd [rsi], cl", "0fc00e" },
	{ "xadd al, cl", "0fc0c8" },
	{ "xadd al, al", "0fc0c0" },
	{ "xadd ah, al", "0fc0c4" },
	{ "xadd [rsi], ecx", "0fc10e" },
	{ "xadd [rsi], cx", "660fc10e" },
	{ "xadd [rsi], rcx", "480fc10e" },
	{ "lock xadd [rsi], rcx", "f0480fc10e" },
	{ "xadd eax, ecx", "0fc1c8" },
	{ "xadd eax, eax", "0fc1c0" },
	{ "xadd ax, cx", "660fc1c8" },
	{ "xadd rax, rcx", "480fc1c8" },
	{ "rex2 xadd [r16], r17d", "d5d0c108", "0fc108", "0>16 1>17", P(RAX) },

	/* ---- CMPXCHG ---- */
	{ "cmpxchg [rsi], cl", "0fb00e", NULL, NULL, 0, S_EQ_MEM },
	{ "cmpxchg cl, dl", "0fb0d1", NULL, NULL, 0, S_EQ_RCX },
	{ "cmpxchg al, cl", "0fb0c8" },
	{ "cmpxchg ah, cl", "0fb0cc" },
	{ "cmpxchg [rsi], ecx", "0fb10e", NULL, NULL, 0, S_EQ_MEM },
	{ "cmpxchg [rsi], cx", "660fb10e", NULL, NULL, 0, S_EQ_MEM },
	{ "cmpxchg [rsi], rcx", "480fb10e", NULL, NULL, 0, S_EQ_MEM },
	{ "lock cmpxchg [rsi], rcx", "f0480fb10e", NULL, NULL, 0, S_EQ_MEM },
	{ "cmpxchg ecx, edx", "0fb1d1", NULL, NULL, 0, S_EQ_RCX },
	{ "cmpxchg cx, dx", "660fb1d1", NULL, NULL, 0, S_EQ_RCX },
	{ "cmpxchg rcx, rdx", "480fb1d1", NULL, NULL, 0, S_EQ_RCX },
	{ "cmpxchg eax, ecx", "0fb1c8" },
	{ "cmpxchg ecx, ecx", "0fb1c9", NULL, NULL, 0, S_EQ_RCX },
	{ "cmpxchg [rsi+0x7bfe], ecx (crosses the end)", "0fb18efe7b0000" },
	{ "rex2 cmpxchg [r18], r17", "d5d8b10a", "480fb10a", "1>17 2>18", P(RDX), S_NONE },
	{ "cmpxchg8b [rsi]", "0fc70e", NULL, NULL, 0, S_EQ_MEM16 },
	{ "lock cmpxchg8b [rsi]", "f00fc70e", NULL, NULL, 0, S_EQ_MEM16 },
	{ "cmpxchg16b [rsi]", "480fc70e", NULL, NULL, 0, S_EQ_MEM16 },
	{ "lock cmpxchg16b [rsi]", "f0480fc70e", NULL, NULL, 0, S_EQ_MEM16 },
	{ "cmpxchg16b [rsi+8] (misaligned: #GP)", "480fc74e08", NULL, NULL, 0, S_EQ_MEM16 },
	{ "cmpxchg16b [rsi+0x7c00] (past the end)", "480fc78e007c0000" },
	{ "rex2 cmpxchg8b [r23]", "d590c70f", "0fc70f", "7>23", P(RDI), S_EQ_MEM_RDI },
	{ "rex2 cmpxchg16b [r23]", "d598c70f", "480fc70f", "7>23", P(RDI), S_EQ_MEM_RDI },

	/* ---- MOVBE, MOVNTI, MOVDIRI ---- */
	{ "movbe ecx, [rsi]", "0f38f00e" },
	{ "movbe cx, [rsi]", "660f38f00e" },
	{ "movbe rcx, [rsi]", "480f38f00e" },
	{ "movbe [rsi], ecx", "0f38f10e" },
	{ "movbe [rsi], cx", "660f38f10e" },
	{ "movbe [rsi], rcx", "480f38f10e" },
	{ "movnti [rsi], ecx", "0fc30e" },
	{ "movnti [rsi], rcx", "480fc30e" },
	{ "movdiri [rsi], ecx", "0f38f90e" },
	{ "movdiri [rsi], rcx", "480f38f90e" },
	{ "evex movbe ecx, [rsi]", "62f47c08600e", "0f38f00e" },
	{ "evex movbe cx, [rsi]", "62f47d08600e", "660f38f00e" },
	{ "evex movbe [rsi], rcx", "62f4fc08610e", "480f38f10e" },
	{ "evex movbe eax, ecx", "62f47c0860c1", "8bc10fc8" },
	{ "evex movbe rax, rcx", "62f4fc0860c1", "488bc1480fc8" },
	{ "evex movbe ax, cx", "62f47d0860c1", "668bc186c4" },
	{ "evex movbe ecx, eax (61)", "62f47c0861c1", "8bc80fc9" },
	{ "evex movbe r16, [r17]", "62ecfc086001", "480f38f001", "0>16 1>17", P(RCX) },
	{ "evex movdiri [rsi], ecx", "62f47c08f90e", "0f38f90e" },
	{ "evex movdiri [rsi], rcx", "62f4fc08f90e", "480f38f90e" },
	{ "rex2 movnti [r16], r17d", "d5d0c308", "0fc308", "0>16 1>17", P(RAX) },

	/* ---- XLAT ---- */
	{ "xlat", "d7", NULL, NULL, 0, S_XLAT },
	{ "xlat (REX.W)", "48d7", NULL, NULL, 0, S_XLAT },
	{ "xlat (67)", "67d7", NULL, NULL, 0, S_XLAT67 },

	/* ---- PUSH / POP ---- */
	{ "push rax", "50" },
	{ "push rcx", "51" },
	{ "push r8", "4150" },
	{ "push ax", "6650" },
	{ "push rsp", "54" },
	{ "push sp", "6654" },
	{ "push rax (48 50)", "4850" },
	{ "push qword [rsi]", "ff36" },
	{ "push word [rsi]", "66ff36" },
	{ "push qword [rsp+8]", "ff742408" },
	{ "push qword [rsp]", "ff3424" },
	{ "push qword [rsp-8]", "ff7424f8" },
	{ "push rcx (ff /6)", "fff1" },
	{ "push simm32", "68xxxxxxxx" },
	{ "push imm16", "6668xxxx" },
	{ "push simm8", "6axx" },
	{ "push simm8 (16-bit)", "666axx" },
	{ "push fs", "0fa0" },
	{ "push gs", "0fa8" },
	{ "push fs (16-bit)", "660fa0" },
	{ "pop rax", "58" },
	{ "pop rcx", "59" },
	{ "pop r8", "4158" },
	{ "pop ax", "6658" },
	{ "pop rsp", "5c" },
	{ "pop sp", "665c" },
	{ "pop qword [rsi]", "8f06" },
	{ "pop word [rsi]", "668f06" },
	{ "pop qword [rsp]", "8f0424" },
	{ "pop qword [rsp+8]", "8f442408" },
	{ "pop qword [rsp-8]", "8f4424f8" },
	{ "pop word [rsp-2]", "668f4424fe" },
	{ "pop qword [esp] (67)", "678f0424" },
	{ "pop rcx (8f /0)", "8fc1" },
	{ "push qword [rsi+0x8000] (past the end)", "ffb600800000" },
	{ "pop qword [rsi+0x8000] (past the end)", "8f8600800000" },
	{ "push rax (high rsp)", "50", NULL, NULL, 0, S_HIGH_RSP },
	{ "pop rax (high rsp)", "58", NULL, NULL, 0, S_HIGH_RSP },
	{ "push word [rsi] (high rsp)", "66ff36", NULL, NULL, 0, S_HIGH_RSP },
	{ "rex2 push r16", "d51050", "50", "0>16" },
	{ "rex2 pop r30", "d5115e", "415e", "14>30" },
	{ "rex2 push [r16]", "d510ff30", "ff30", "0>16", P(RAX) },
	{ "rex2 pop [r16+8]", "d5108f4008", "8f4008", "0>16", P(RAX) },

	/* ---- PUSHF / POPF ---- */
	{ "pushfq", "9c" },
	{ "pushf (16-bit)", "669c" },
	{ "popfq", "9d", NULL, NULL, 0, S_POPF },
	{ "popf (16-bit)", "669d", NULL, NULL, 0, S_POPF },
	{ "popfq (REX.W)", "489d", NULL, NULL, 0, S_POPF },

	/* ---- ENTER / LEAVE ---- */
	{ "enter 0x10, 0", "c8100000", NULL, NULL, 0, S_RBP },
	{ "enter 0, 1", "c8000001", NULL, NULL, 0, S_RBP },
	{ "enter 0x20, 2", "c8200002", NULL, NULL, 0, S_RBP },
	{ "enter 0x123, 5", "c8230105", NULL, NULL, 0, S_RBP },
	{ "enter 8, 31", "c808001f", NULL, NULL, 0, S_RBP },
	{ "enter 8, 33 (mod 32)", "c8080021", NULL, NULL, 0, S_RBP },
	{ "enter 0x10, 0 (16-bit)", "66c8100000", NULL, NULL, 0, S_RBP },
	{ "enter 0x10, 0 (16-bit, any RBP)", "66c8100000" },
	{ "enter 0x10, 0 (any RBP)", "c8100000" },
	{ "enter 0x7000, 1 (new top far below)", "c8007001", NULL, NULL, 0, S_RBP },
	{ "enter 4, 3 (16-bit)", "66c8040003", NULL, NULL, 0, S_RBP },
	{ "leave", "c9", NULL, NULL, 0, S_RBP },
	{ "leave (16-bit)", "66c9", NULL, NULL, 0, S_RBP },
	{ "enter; leave", "c8100003c9", NULL, NULL, 0, S_RBP },

	/* ---- NOPs (no memory access), ENDBR, invalid LOCK (#UD) ---- */
	{ "nop", "90" },
	{ "nop dword [rax] (random rax)", "0f1f00" },
	{ "nop word [rsi+0x8000] (past the end, not accessed)", "660f1f8600800000" },
	{ "nop [rax], ecx (0f 19)", "0f1908" },
	{ "nop [rax] (0f 18 /4)", "0f1820" },
	{ "nop [rax], ecx (0f 1d)", "0f1d08" },
	{ "endbr64", "f30f1efa" },
	{ "endbr32", "f30f1efb" },
	{ "lock xchg eax, ecx: #UD", "f087c8" },
	{ "lock cmpxchg ecx, edx: #UD", "f00fb1d1" },
	{ "lock mov [rsi], ecx: #UD", "f0890e" },
	{ "lock cmpxchg8b with a register: #UD", "f00fc7c8" },
};

/* CMOVcc / SETcc for every condition: generated. */
struct cc_tmpl {
	const char *name; /* with %s for the condition */
	const char *g;    /* with "%X" where the condition goes as one hex digit of the opcode */
	const char *h;
	bool h_inverted;  /* the host sequence uses the inverse condition */
	const char *map;
	unsigned ptr;
};

static const struct cc_tmpl cc_tmpls[] = {
	{ "cmov%s eax, ecx", "0f4%Xc1", NULL, false, NULL, 0 },
	{ "cmov%s rax, rcx", "480f4%Xc1", NULL, false, NULL, 0 },
	{ "cmov%s ax, cx", "660f4%Xc1", NULL, false, NULL, 0 },
	{ "cmov%s ecx, [rsi]", "0f4%X0e", NULL, false, NULL, 0 },
	{ "cmov%s rcx, [rsi+0x8000] (faults when false)", "480f4%X8e00800000", NULL, false, NULL, 0 },
	{ "cmov%s ecx, ecx", "0f4%Xc9", NULL, false, NULL, 0 },
	{ "set%s al", "0f9%Xc0", NULL, false, NULL, 0 },
	{ "set%s ah", "0f9%Xc4", NULL, false, NULL, 0 },
	{ "set%s sil", "400f9%Xc6", NULL, false, NULL, 0 },
	{ "set%s [rsi]", "0f9%X06", NULL, false, NULL, 0 },
	{ "rex2 cmov%s r16d, r17d", "d5d04%Xc1", "0f4%Xc1", false, "0>16 1>17", 0 },
	{ "rex2 set%s r16b", "d5909%Xc0", "0f9%Xc0", false, "0>16", 0 },
	{ "ndd cmov%s ecx, eax, ecx", "62f474184%Xc1", "0f4%Xc8", true, NULL, 0 },
	{ "ndd cmov%s rcx, rax, rcx", "62f4f4184%Xc1", "480f4%Xc8", true, NULL, 0 },
	{ "ndd cmov%s cx, ax, cx", "62f475184%Xc1", "660f4%Xc80fb7c9", true, NULL, 0 },
	{ "ndd cmov%s ecx, eax, [rsi]", "62f474184%X06", "8bc80f4%X0e", false, NULL, 0 },
	{ "ndd cmov%s r18d, r17d, [r16]", "62ec6c104%X08", "8bd10f4%X10", false, "0>16 1>17 2>18",
	  P(RAX) },
	{ "set%s al (map 4)", "62f47f084%Xc0", "0f9%Xc0", false, NULL, 0 },
	{ "setzu%s al", "62f47f184%Xc0", "0f9%Xc00fb6c0", false, NULL, 0 },
	{ "setzu%s [rsi]", "62f47f184%X06", "0f9%X06", false, NULL, 0 },
	{ "setzu%s r17b", "62fc7f184%Xc1", "0f9%Xc10fb6c9", false, "1>17", 0 },
	{ "setzu%s r25b", "62dc7f184%Xc1", "410f9%Xc1450fb6c9", false, "9>25", 0 },
};

static const char *const cc_names[16] = {
	"o", "no", "b", "nb", "z", "nz", "be", "nbe", "s", "ns", "p", "np", "l", "nl", "le", "nle",
};

/* ------------------------------------------------------------------ */
/* Running one case                                                   */
/* ------------------------------------------------------------------ */

struct code {
	uint8_t b[48];
	unsigned len;
	int rnd_at[16]; /* offsets of the "xx" bytes */
	unsigned nrnd;
};

static bool parse_hex(const char *s, struct code *c)
{
	c->len = 0;
	c->nrnd = 0;
	while (*s) {
		unsigned v;

		if (*s == ' ') {
			s++;
			continue;
		}
		if (!s[1] || c->len >= sizeof(c->b))
			return false;
		if (s[0] == 'x' && s[1] == 'x') {
			if (c->nrnd >= ARRAY_SIZE(c->rnd_at))
				return false;
			c->rnd_at[c->nrnd++] = (int)c->len;
			c->b[c->len++] = 0;
		} else {
			if (sscanf(s, "%2x", &v) != 1)
				return false;
			c->b[c->len++] = (uint8_t)v;
		}
		s += 2;
	}
	return true;
}

static bool parse_map(const char *s, uint8_t map[16])
{
	for (unsigned k = 0; k < 16; k++)
		map[k] = (uint8_t)k;
	while (s && *s) {
		unsigned from, to;
		int n = 0;

		if (sscanf(s, " %u>%u%n", &from, &to, &n) != 2 || from >= 16 || to >= 32)
			return false;
		map[from] = (uint8_t)to;
		s += n;
		while (*s == ' ')
			s++;
	}
	return true;
}

/* Does the encoding need APX (REX2 or EVEX after the legacy prefixes)? */
static bool needs_apx(const struct code *c)
{
	for (unsigned i = 0; i < c->len; i++) {
		uint8_t b = c->b[i];

		if (b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e ||
		    b == 0x3e || b == 0x26 || b == 0x36 || b == 0x64 || b == 0x65)
			continue;
		return b == 0xd5 || b == 0x62;
	}
	return false;
}

struct in_state {
	uint64_t r[16];   /* host numbering */
	uint64_t gr[32];  /* guest registers before the mapped ones are applied */
	uint64_t flags;
	uint8_t mem[DATA_SIZE];
	uint8_t rb[16];   /* the "xx" bytes */
};

static unsigned mismatches_shown;
static unsigned host_faults; /* per case */
static struct in_state cur_in;
static struct hstate cur_hs;

static void show(const char *name, const char *what, uint64_t gval, uint64_t hval)
{
	const struct in_state *in = &cur_in;

	if (mismatches_shown >= 60)
		return;
	mismatches_shown++;
	diag("%s: %s vcpu=%#" PRIx64 " host=%#" PRIx64, name, what, gval, hval);
	diag("   in: rax=%#" PRIx64 " rcx=%#" PRIx64 " rdx=%#" PRIx64 " rbx=%#" PRIx64
	     " rsp=%#" PRIx64 " rbp=%#" PRIx64 " flags=%#" PRIx64,
	     in->r[0], in->r[1], in->r[2], in->r[3], in->r[4], in->r[5], in->flags);
}

#define TOP 64 /* bytes at the end of the window also compared */

static bool all_zero(const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static void wr64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void make_input(struct in_state *in, const struct tcase *t, const struct code *g)
{
	for (unsigned k = 0; k < 16; k++)
		in->r[k] = pick();
	for (unsigned k = 0; k < 32; k++)
		in->gr[k] = pick();
	for (unsigned i = 0; i < DATA_SIZE; i += 8)
		wr64(in->mem + i, rnd());
	for (unsigned i = 0; i < g->nrnd; i++)
		in->rb[i] = (uint8_t)pick();
	in->flags = (rnd() & X86_FLAGS_ARITH) | 0x202;
	if (rnd() % 4 == 0)
		in->flags |= X86_FLAGS_DF;
	in->r[4] = STK;
	if (rnd() % 4 == 0)
		in->r[4] -= rnd() % 16;
	in->r[6] = MEMPTR;
	for (unsigned k = 0; k < 16; k++)
		if (t->ptr & (1u << k))
			in->r[k] = MEMPTR;

	switch (t->setup) {
	case S_EQ_MEM:
	case S_EQ_RCX: {
		uint64_t d = t->setup == S_EQ_MEM ? rd64(in->mem + (MEMPTR - DATA)) : in->r[1];

		switch (rnd() % 4) {
		case 0: in->r[0] = d; break;
		case 1: in->r[0] = (d & 0xffffffff) | (rnd() << 32); break;
		case 2: in->r[0] = (d & 0xffff) | (rnd() << 16); break;
		default: break;
		}
		break;
	}
	case S_EQ_MEM16:
	case S_EQ_MEM_RDI: {
		const uint8_t *p = in->mem + (MEMPTR - DATA);

		switch (rnd() % 4) {
		case 0: /* equal for both widths */
			in->r[0] = rd64(p);
			in->r[2] = rd64(p + 8);
			break;
		case 1: /* equal for CMPXCHG8B: EDX:EAX = the qword, upper halves random */
			in->r[0] = (rd64(p) & 0xffffffff) | (rnd() << 32);
			in->r[2] = (rd64(p) >> 32) | (rnd() << 32);
			break;
		case 2: /* rax equal only */
			in->r[0] = rd64(p);
			break;
		default:
			break;
		}
		break;
	}
	case S_RBP:
		in->r[5] = STK + 0x100 - (rnd() % 16) * 8 - (rnd() % 4 == 0 ? rnd() % 8 : 0);
		break;
	case S_POPF: {
		uint64_t f = rnd() & ~(uint64_t)X86_FLAGS_TF;

		wr64(in->mem + (in->r[4] - DATA), f);
		break;
	}
	case S_XLAT:
		in->r[3] = MEMPTR - (rnd() % 2 ? 0x80 : 0);
		break;
	case S_XLAT67:
		in->r[3] = MEMPTR | (rnd() << 32);
		break;
	case S_HIGH_RSP:
		in->r[4] = GRAM_SIZE - 16 + rnd() % 24; /* the end of the window (and of RAM) */
		break;
	case S_SMALL_RBX:
		in->r[3] = rnd() % 64;
		break;
	}
}

/* The window beyond DATA+DATA_SIZE (up to WIN_SIZE) is also mapped; keep it zero in both. */
static void clear_upper(void)
{
	memset(hwin + (DATA - WIN) + DATA_SIZE, 0, WIN_SIZE - (DATA - WIN) - DATA_SIZE);
	memset(gram + DATA + DATA_SIZE, 0, WIN_SIZE - (DATA - WIN) - DATA_SIZE);
}

/* Run `in` on both; true if they agree. */
static bool run_one(const char *name, const struct code *g, const struct code *h,
		    const uint8_t map[16], const struct in_state *in)
{
	struct vcpu_regfile *rf = &gv.regs;
	uint8_t gcode[48], hcode[64];
	bool mapped[32] = { false }, good = true;
	struct hstate hs;
	enum x86_exit ex;
	int sig;

	memcpy(gcode, g->b, g->len);
	for (unsigned i = 0; i < g->nrnd; i++)
		gcode[g->rnd_at[i]] = in->rb[i];
	memcpy(hcode, h->b, h->len);
	for (unsigned i = 0; i < h->nrnd && i < g->nrnd; i++)
		hcode[h->rnd_at[i]] = in->rb[i];

	/* The top of the window (stack tests near the end of RAM) starts zero in both. */
	memset(hwin + WIN_SIZE - TOP, 0, TOP);
	memset(gram + GRAM_SIZE - TOP, 0, TOP);

	/* Host. */
	memcpy(hs.r, in->r, sizeof(hs.r));
	hs.flags = in->flags;
	memcpy(hwin + (DATA - WIN), in->mem, DATA_SIZE);
	sig = host_run(&hs, hcode, h->len);
	cur_hs = hs;
	if (sig)
		host_faults++;

	/* vCPU. */
	vcpu_regfile_init(rf, NULL);
	for (unsigned k = 0; k < nregs; k++)
		rf->regs[k] = in->gr[k];
	for (unsigned k = 0; k < 16; k++) {
		if (k == 15)
			continue;
		rf->regs[map[k]] = in->r[k];
		mapped[map[k]] = true;
	}
	rf->rip = CODE;
	rf->rflags = in->flags;
	gv.cpl = 3;
	memcpy(gram + CODE, gcode, g->len);
	memset(gram + CODE + g->len, 0xcc, 16);
	memcpy(gram + DATA, in->mem, DATA_SIZE);
	gc.has_stop = true;
	gc.stop_rip = CODE + g->len;
	ex = x86_run(&gc, 8);
	gc.has_stop = false;
	if (ex == X86_EXIT_STOP)
		ex = X86_EXIT_NONE;

	if (sig) {
		bool vec_ok = ex == X86_EXIT_EXCEPTION &&
			      ((sig == SIGSEGV && (gc.exc.vector == X86_EXC_GP ||
						   gc.exc.vector == X86_EXC_PF)) ||
			       (sig == SIGBUS && (gc.exc.vector == X86_EXC_SS ||
						  gc.exc.vector == X86_EXC_GP)) ||
			       (sig == SIGILL && gc.exc.vector == X86_EXC_UD));

		if (!vec_ok) {
			show(name, "host signal vs vcpu exit/vector", ex * 256u + gc.exc.vector,
			     (uint64_t)sig);
			return false;
		}
		if (rf->rip != CODE) {
			show(name, "fault: rip", rf->rip, CODE);
			good = false;
		}
		for (unsigned k = 0; k < nregs; k++) {
			uint64_t want = in->gr[k];

			for (unsigned j = 0; j < 15; j++)
				if (map[j] == k)
					want = in->r[j];
			if (rf->regs[k] != want) {
				show(name, "fault changed a register", rf->regs[k], want);
				good = false;
			}
		}
		if (rf->rflags != in->flags) {
			show(name, "fault changed rflags", rf->rflags, in->flags);
			good = false;
		}
		if (memcmp(gram + DATA, in->mem, DATA_SIZE) || !all_zero(gram + GRAM_SIZE - TOP, TOP)) {
			show(name, "fault changed memory", 0, 0);
			good = false;
		}
		return good;
	}
	if (ex != X86_EXIT_NONE) {
		show(name, "vcpu exit (vector) where the host ran", ex,
		     ex == X86_EXIT_EXCEPTION ? gc.exc.vector : 0);
		return false;
	}
	if (rf->rip != CODE + g->len) {
		show(name, "rip", rf->rip, CODE + g->len);
		good = false;
	}
	for (unsigned k = 0; k < 15; k++) {
		char what[32];

		if (rf->regs[map[k]] != hs.r[k]) {
			snprintf(what, sizeof(what), "host reg %u (guest %u)", k, map[k]);
			show(name, what, rf->regs[map[k]], hs.r[k]);
			good = false;
		}
	}
	for (unsigned k = 0; k < nregs; k++) {
		if (mapped[k] || rf->regs[k] == in->gr[k])
			continue;
		show(name, "an unmapped guest register changed", rf->regs[k], in->gr[k]);
		good = false;
	}
	if (rf->rflags != hs.flags) {
		show(name, "rflags", rf->rflags, hs.flags);
		good = false;
	}
	if (memcmp(gram + DATA, hwin + (DATA - WIN), DATA_SIZE)) {
		for (unsigned i = 0; i < DATA_SIZE; i++) {
			if (gram[DATA + i] != hwin[DATA - WIN + i]) {
				char what[48];

				snprintf(what, sizeof(what), "memory byte at %#" PRIx64, (uint64_t)(DATA + i));
				show(name, what, gram[DATA + i], hwin[DATA - WIN + i]);
				break;
			}
		}
		good = false;
	}
	if (memcmp(gram + GRAM_SIZE - TOP, hwin + WIN_SIZE - TOP, TOP)) {
		show(name, "memory at the top of the window", 0, 0);
		good = false;
	}
	return good;
}

/*
 * A feature the host equivalent needs and this host may lack (it would raise
 * #UD natively): NULL if the host can run `h`, else the feature's name.
 * MOVDIRI (CPUID.(7,0):ECX[27]) is missing on AMD before Zen 5, for example.
 */
static const char *host_lacks(const struct code *h)
{
	static const struct { const char *iclass; unsigned leaf, sub, reg, bit; const char *name; } f[] = {
		{ "movdiri", 7, 0, 2, 27, "MOVDIRI (CPUID.(7,0):ECX[27])" },
		{ "movbe", 1, 0, 2, 22, "MOVBE (CPUID.1:ECX[22])" },
		{ "cmpxchg16b", 1, 0, 2, 13, "CMPXCHG16B (CPUID.1:ECX[13])" },
	};
	struct x86_insn in;

	if (x86_decode(h->b, h->len, X86_MODE_64, &in) != X86_OK)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(f); i++)
		if (!strncmp(in.iclass, f[i].iclass, strlen(f[i].iclass)) &&
		    !host_cpuid_bit(f[i].leaf, f[i].sub, f[i].reg, f[i].bit))
			return f[i].name;
	return NULL;
}

static void run_case(const char *name, const char *gs, const char *hs_, const char *maps,
		     const struct tcase *t)
{
	const char *lacks;

	struct code g, h;
	uint8_t map[16];
	unsigned bad = 0;

	if (!parse_hex(gs, &g) || !parse_hex(hs_ ? hs_ : gs, &h) || !parse_map(maps, map)) {
		ok(0, "%s: bad test case", name);
		return;
	}
	if (needs_apx(&g)) {
#ifndef CONFIG_APX
		struct in_state *in = &cur_in;
		enum x86_exit ex;

		make_input(in, t, &g);
		vcpu_regfile_init(&gv.regs, NULL);
		gv.regs.rip = CODE;
		memcpy(gram + CODE, g.b, g.len);
		ex = x86_step(&gc);
		ok(ex == X86_EXIT_EXCEPTION && gc.exc.vector == X86_EXC_UD,
		   "%s: #UD without APX", name);
		return;
#endif
	}
	lacks = host_lacks(&h);
	if (lacks) {
		/* Not a vendor difference: the host cannot run it (the directed tests cover the vCPU). */
		host_vendor_skip_n("host lacks the feature (MOVDIRI...): no host comparison", iterations);
		ok(1, "%s # SKIP host lacks %s", name, lacks);
		return;
	}
	if (trace)
		diag("case %s", name);
	host_faults = 0;
	for (unsigned it = 0; it < iterations; it++) {
		make_input(&cur_in, t, &g);
		if (!run_one(name, &g, &h, map, &cur_in))
			bad++;
		if (bad >= 3)
			break;
	}
	if (host_faults)
		ok(!bad, "%s (%u inputs, %u faulted)", name, iterations, host_faults);
	else
		ok(!bad, "%s (%u inputs)", name, iterations);
}

static void run_cc_tmpl(const struct cc_tmpl *t)
{
	static const struct tcase plain = { 0 };

	for (unsigned cc = 0; cc < 16; cc++) {
		char name[96], g[64], h[64], digit[2];
		const char *hsrc = t->h ? t->h : t->g;
		unsigned hcc = t->h_inverted ? cc ^ 1 : cc;
		struct tcase tc = plain;
		unsigned n;

		snprintf(name, sizeof(name), t->name, cc_names[cc]);
		/* Replace "%X" by the condition digit. */
		n = 0;
		for (const char *p = t->g; *p && n + 2 < sizeof(g); p++) {
			if (p[0] == '%' && p[1] == 'X') {
				snprintf(digit, sizeof(digit), "%x", cc);
				g[n++] = digit[0];
				p++;
			} else {
				g[n++] = *p;
			}
		}
		g[n] = 0;
		n = 0;
		for (const char *p = hsrc; *p && n + 2 < sizeof(h); p++) {
			if (p[0] == '%' && p[1] == 'X') {
				snprintf(digit, sizeof(digit), "%x", t->h ? hcc : cc);
				h[n++] = digit[0];
				p++;
			} else {
				h[n++] = *p;
			}
		}
		h[n] = 0;
		tc.ptr = t->ptr;
		run_case(name, g, h, t->map, &tc);
	}
}

/* ------------------------------------------------------------------ */
/* Directed tests (CPL 0, faults, what the host cannot show)          */
/* ------------------------------------------------------------------ */

static void guest_reset(void)
{
	vcpu_regfile_init(&gv.regs, NULL);
	gv.regs.rip = CODE;
	gv.regs.rflags = 0x2;
	gv.regs.regs[4] = STK;
	gv.cpl = 0;
	gv.fs_base = gv.gs_base = 0;
	memset(gram + DATA, 0, DATA_SIZE);
}

static enum x86_exit guest_exec(const char *hex)
{
	struct code c;

	if (!parse_hex(hex, &c))
		abort();
	memcpy(gram + CODE, c.b, c.len);
	memset(gram + CODE + c.len, 0xcc, 16);
	gv.regs.rip = CODE;
	return x86_step(&gc);
}

static bool same_regs(const struct vcpu_regfile *a, const struct vcpu_regfile *b)
{
	return !memcmp(a->regs, b->regs, sizeof(a->regs)) && a->rip == b->rip &&
	       a->rflags == b->rflags;
}

static bool fault_is(enum x86_exit ex, unsigned vec)
{
	return ex == X86_EXIT_EXCEPTION && gc.exc.vector == vec;
}

static void directed_popf(void)
{
	enum x86_exit ex;
	uint64_t all = 0xffffffffffffffffull & ~(uint64_t)X86_FLAGS_TF;

	/* CPL 0: IOPL and IF change; VM/RF/VIP/VIF and reserved bits never. */
	guest_reset();
	wr64(gram + STK, all);
	ex = guest_exec("9d");
	ok(ex == X86_EXIT_NONE && gv.regs.rflags == 0x247ed7 && gv.regs.regs[4] == STK + 8,
	   "popfq at CPL 0 of all ones (but TF): %#" PRIx64, gv.regs.rflags);
	guest_reset();
	gv.regs.rflags = 0x2 | X86_FLAGS_RF | X86_FLAGS_IF | X86_FLAGS_IOPL | (1u << 19) | (1u << 20);
	wr64(gram + STK, 0);
	ex = guest_exec("9d");
	ok(ex == X86_EXIT_NONE && gv.regs.rflags == (0x2 | (1u << 19) | (1u << 20)),
	   "popfq of 0 at CPL 0: IF/IOPL cleared, RF cleared, VIP/VIF kept: %#" PRIx64,
	   gv.regs.rflags);
	/* CPL 3, IOPL 3: IF changes, IOPL does not. */
	guest_reset();
	gv.cpl = 3;
	gv.regs.rflags = 0x2 | X86_FLAGS_IOPL;
	wr64(gram + STK, X86_FLAGS_IF);
	ex = guest_exec("9d");
	ok(ex == X86_EXIT_NONE && gv.regs.rflags == (0x2 | X86_FLAGS_IOPL | X86_FLAGS_IF),
	   "popfq at CPL 3 with IOPL 3: IF set, IOPL kept");
	/* CPL 3, IOPL 0: IF kept. */
	guest_reset();
	gv.cpl = 3;
	gv.regs.rflags = 0x2 | X86_FLAGS_IF;
	wr64(gram + STK, X86_FLAGS_IOPL | X86_FLAGS_CF);
	ex = guest_exec("9d");
	ok(ex == X86_EXIT_NONE && gv.regs.rflags == (0x2 | X86_FLAGS_IF | X86_FLAGS_CF),
	   "popfq at CPL 3 with IOPL 0: IF and IOPL kept");
	/* 16-bit at CPL 0: bits 15:0 only (AC, ID, RF untouched), RSP += 2. */
	guest_reset();
	gv.regs.rflags = 0x2 | X86_FLAGS_AC | X86_FLAGS_RF;
	wr64(gram + STK, 0xffffffffffff0000ull | X86_FLAGS_IOPL | X86_FLAGS_IF | X86_FLAGS_ZF);
	ex = guest_exec("669d");
	ok(ex == X86_EXIT_NONE && gv.regs.regs[4] == STK + 2 &&
	   gv.regs.rflags == (0x2 | X86_FLAGS_AC | X86_FLAGS_RF | X86_FLAGS_IOPL | X86_FLAGS_IF |
			      X86_FLAGS_ZF),
	   "popf (16-bit) at CPL 0: low 16 bits incl. IOPL/IF, RSP += 2: %#" PRIx64,
	   gv.regs.rflags);
	/* PUSHFQ clears RF and VM in the image. */
	guest_reset();
	gv.regs.rflags = 0x2 | X86_FLAGS_RF | X86_FLAGS_VM | X86_FLAGS_ID | X86_FLAGS_CF;
	ex = guest_exec("9c");
	ok(ex == X86_EXIT_NONE && rd64(gram + STK - 8) == (0x2 | X86_FLAGS_ID | X86_FLAGS_CF) &&
	   gv.regs.regs[4] == STK - 8, "pushfq: RF and VM read as 0");
	/* POPF faulting (RSP non-canonical): #SS, nothing changes. */
	guest_reset();
	gv.regs.regs[4] = 0x0000800000000000ull;
	{
		struct vcpu_regfile before = gv.regs;

		ex = guest_exec("9d");
		ok(fault_is(ex, X86_EXC_SS) && same_regs(&before, &gv.regs),
		   "popfq with a non-canonical RSP: #SS, no change");
	}
}

static void directed_sreg(void)
{
	enum x86_exit ex;
	struct vcpu_regfile before;

	guest_reset();
	gv.regs.regs[0] = ~0ull;
	ex = guest_exec("8cc8"); /* mov eax, cs */
	ok(ex == X86_EXIT_NONE && gv.regs.regs[0] == 0, "mov eax, cs reads selector 0");
	guest_reset();
	gv.regs.regs[0] = ~0ull;
	ex = guest_exec("668cd0"); /* mov ax, ss */
	ok(ex == X86_EXIT_NONE && gv.regs.regs[0] == 0xffffffffffff0000ull,
	   "mov ax, ss merges selector 0");
	guest_reset();
	gv.regs.regs[6] = MEMPTR;
	memset(gram + MEMPTR, 0xaa, 8);
	ex = guest_exec("488c16"); /* mov [rsi], ss */
	ok(ex == X86_EXIT_NONE && rd64(gram + MEMPTR) == 0xaaaaaaaaaaaa0000ull,
	   "mov [rsi], ss stores 2 bytes even with REX.W");
	/* Selector loads (tests/test_seg.c has the rest): no GDT here, so #GP(sel). */
	guest_reset();
	gv.regs.regs[0] = 0x10;
	before = gv.regs;
	ex = guest_exec("8ed8"); /* mov ds, ax */
	ok(fault_is(ex, X86_EXC_GP) && gc.exc.error == 0x10 && same_regs(&before, &gv.regs),
	   "mov ds, ax: selector outside the GDT: #GP(sel), no change");
	guest_reset();
	wr64(gram + STK, 0x1b);
	before = gv.regs;
	ex = guest_exec("0fa1"); /* pop fs */
	ok(fault_is(ex, X86_EXC_GP) && gc.exc.error == 0x18 && same_regs(&before, &gv.regs),
	   "pop fs: selector outside the GDT: #GP(sel), no change");
	guest_reset();
	memset(gram + STK - 8, 0xaa, 8);
	ex = guest_exec("0fa8"); /* push gs */
	ok(ex == X86_EXIT_NONE && gv.regs.regs[4] == STK - 8 && rd64(gram + STK - 8) == 0,
	   "push gs: RSP -= 8, selector 0 zero-extended to 8 bytes");
	/* FS segment override on a moffs MOV and on XLAT. */
	guest_reset();
	gv.fs_base = 0x100;
	wr64(gram + MEMPTR + 0x100, 0x1122334455667788ull);
	ex = guest_exec("6448a1" MOFFS);
	ok(ex == X86_EXIT_NONE && gv.regs.regs[0] == 0x1122334455667788ull,
	   "mov rax, fs:moffs adds the FS base");
	guest_reset();
	gv.gs_base = 0x10;
	gv.regs.regs[3] = MEMPTR;
	gv.regs.regs[0] = 0xffffffffffffff03ull;
	gram[MEMPTR + 0x13] = 0x5a;
	ex = guest_exec("65d7");
	ok(ex == X86_EXIT_NONE && gv.regs.regs[0] == 0xffffffffffffff5aull, "xlat gs:");
}

static void directed_stack(void)
{
	enum x86_exit ex;
	struct vcpu_regfile before;

	/* PUSH with RSP non-canonical: #SS; with the stack outside RAM: #PF; nothing changes. */
	guest_reset();
	gv.regs.regs[4] = 0x0000800000000008ull;
	before = gv.regs;
	ex = guest_exec("50");
	ok(fault_is(ex, X86_EXC_SS) && same_regs(&before, &gv.regs),
	   "push rax with a non-canonical stack: #SS, no change");
	guest_reset();
	gv.regs.regs[4] = GRAM_SIZE + 8;
	gv.regs.regs[6] = MEMPTR;
	before = gv.regs;
	ex = guest_exec("ff36");
	ok(fault_is(ex, X86_EXC_PF) && (gc.exc.error & X86_PF_W) && same_regs(&before, &gv.regs),
	   "push [rsi] with the stack outside RAM: #PF(W), no change");
	/* PUSH of a memory source outside RAM: the read faults first. */
	guest_reset();
	gv.regs.regs[6] = GRAM_SIZE;
	before = gv.regs;
	ex = guest_exec("ff36");
	ok(fault_is(ex, X86_EXC_PF) && !(gc.exc.error & X86_PF_W) && same_regs(&before, &gv.regs) &&
	   rd64(gram + STK - 8) == 0, "push [rsi] with rsi outside RAM: #PF(R), no change");
	/* POP to memory outside RAM: RSP unchanged. */
	guest_reset();
	gv.regs.regs[6] = GRAM_SIZE;
	before = gv.regs;
	ex = guest_exec("8f06");
	ok(fault_is(ex, X86_EXC_PF) && same_regs(&before, &gv.regs),
	   "pop [rsi] with rsi outside RAM: #PF, RSP unchanged");
	/* POP [RSP+d] with the destination just past the end because of the increment. */
	guest_reset();
	gv.regs.regs[4] = GRAM_SIZE - 8;
	wr64(gram + GRAM_SIZE - 8, 0x1234);
	before = gv.regs;
	ex = guest_exec("8f0424");
	ok(fault_is(ex, X86_EXC_PF) && gc.exc.cr2 == GRAM_SIZE && same_regs(&before, &gv.regs),
	   "pop [rsp] at the end of RAM: the address uses RSP+8 and faults");
	/* POP RSP / POP SP. */
	guest_reset();
	wr64(gram + STK, 0x123456789abcdef0ull);
	ex = guest_exec("5c");
	ok(ex == X86_EXIT_NONE && gv.regs.regs[4] == 0x123456789abcdef0ull, "pop rsp loads the value");
	guest_reset();
	wr64(gram + STK, 0x1234);
	ex = guest_exec("665c");
	ok(ex == X86_EXIT_NONE && gv.regs.regs[4] == ((STK + 2) & ~0xffffull) + 0x1234,
	   "pop sp: merged into the incremented RSP");
	/* PUSH RSP pushes the old value; 16-bit pushes move RSP by 2. */
	guest_reset();
	ex = guest_exec("54");
	ok(ex == X86_EXIT_NONE && rd64(gram + STK - 8) == STK && gv.regs.regs[4] == STK - 8,
	   "push rsp pushes the old RSP");
	guest_reset();
	ex = guest_exec("666aff");
	ok(ex == X86_EXIT_NONE && gv.regs.regs[4] == STK - 2 && rd64(gram + STK - 2) == 0xffff,
	   "push word -1: RSP -= 2, 2 bytes written");
	/* ENTER: a faulting outer-frame read changes nothing. */
	guest_reset();
	gv.regs.regs[5] = GRAM_SIZE + 0x10;
	before = gv.regs;
	ex = guest_exec("c8100003");
	ok(fault_is(ex, X86_EXC_PF) && same_regs(&before, &gv.regs) && rd64(gram + STK - 8) == 0,
	   "enter 0x10, 3 with RBP outside RAM: #PF, nothing written");
	/* ENTER: the final stack top is checked (RSP - 8 - alloc outside RAM: below 0). */
	guest_reset();
	gv.regs.regs[4] = 0x10;
	gv.regs.regs[5] = 0x55;
	before = gv.regs;
	ex = guest_exec("c8000100");
	ok(fault_is(ex, X86_EXC_PF) && same_regs(&before, &gv.regs) && rd64(gram + 8) == 0,
	   "enter 0x100, 0 with the new stack top outside RAM: #PF, nothing written");
	guest_reset();
	gv.regs.regs[5] = 0x1122334455667788ull;
	ex = guest_exec("c8200000");
	ok(ex == X86_EXIT_NONE && gv.regs.regs[5] == STK - 8 && gv.regs.regs[4] == STK - 8 - 0x20 &&
	   rd64(gram + STK - 8) == 0x1122334455667788ull, "enter 0x20, 0");
	/* LEAVE with RBP outside RAM: nothing changes. */
	guest_reset();
	gv.regs.regs[5] = GRAM_SIZE;
	before = gv.regs;
	ex = guest_exec("c9");
	ok(fault_is(ex, X86_EXC_PF) && same_regs(&before, &gv.regs), "leave with RBP outside RAM");
	/* LEAVE with a non-canonical RBP: #SS. */
	guest_reset();
	gv.regs.regs[5] = 0x8000000000000000ull;
	before = gv.regs;
	ex = guest_exec("c9");
	ok(fault_is(ex, X86_EXC_SS) && same_regs(&before, &gv.regs), "leave with a non-canonical RBP: #SS");
}

static void directed_misc(void)
{
	enum x86_exit ex;
	struct vcpu_regfile before;

	ok(x86_handler_table_duplicate() == NULL, "no row name is registered twice");

	/* CMPXCHG16B: alignment is checked before the access. */
	guest_reset();
	gv.regs.regs[6] = GRAM_SIZE + 8;
	before = gv.regs;
	ex = guest_exec("480fc70e");
	ok(fault_is(ex, X86_EXC_GP) && gc.exc.has_error && gc.exc.error == 0 &&
	   same_regs(&before, &gv.regs), "cmpxchg16b misaligned outside RAM: #GP(0) first");
	/* CMPXCHG failing on memory at the end of RAM: a precise #PF. */
	guest_reset();
	gv.regs.regs[6] = GRAM_SIZE - 2;
	before = gv.regs;
	ex = guest_exec("0fb10e");
	ok(fault_is(ex, X86_EXC_PF) && same_regs(&before, &gv.regs),
	   "cmpxchg [rsi] crossing the end of RAM: #PF, no change");
	/* CMOV with a false condition still reads (and faults on) its source. */
	guest_reset();
	gv.regs.regs[6] = GRAM_SIZE;
	before = gv.regs;
	ex = guest_exec("0f440e"); /* cmovz ecx, [rsi], ZF = 0 */
	ok(fault_is(ex, X86_EXC_PF) && same_regs(&before, &gv.regs),
	   "cmovz ecx, [rsi] false, source outside RAM: #PF");
	guest_reset();
	gv.regs.regs[1] = ~0ull;
	gv.regs.regs[2] = 5;
	ex = guest_exec("0f44ca"); /* cmovz ecx, edx, ZF = 0 */
	ok(ex == X86_EXIT_NONE && gv.regs.regs[1] == 0xffffffff, "cmovz ecx, edx false: zero-extends");
	/* XCHG with memory outside RAM. */
	guest_reset();
	gv.regs.regs[6] = GRAM_SIZE - 4;
	gv.regs.regs[1] = 0x1234;
	before = gv.regs;
	ex = guest_exec("48870e");
	ok(fault_is(ex, X86_EXC_PF) && same_regs(&before, &gv.regs),
	   "xchg [rsi], rcx crossing the end of RAM: no change");
	/* MOV to memory through a non-canonical address: #GP(0); RSP-based: #SS(0). */
	guest_reset();
	gv.regs.regs[6] = 0x0000800000000000ull;
	ex = guest_exec("890e");
	ok(fault_is(ex, X86_EXC_GP), "mov [rsi] non-canonical: #GP");
	guest_reset();
	gv.regs.regs[4] = 0x0000800000000000ull;
	ex = guest_exec("890c24");
	ok(fault_is(ex, X86_EXC_SS), "mov [rsp] non-canonical: #SS");
	/* LEA with 67 truncates; 16-bit destination merges. */
	guest_reset();
	gv.regs.regs[1] = 0xfffffffffffffff0ull;
	gv.regs.regs[0] = ~0ull;
	ex = guest_exec("67488d4120"); /* lea rax, [ecx+0x20] */
	ok(ex == X86_EXIT_NONE && gv.regs.regs[0] == 0x10, "lea rax, [ecx+0x20] wraps at 32 bits");
	guest_reset();
	gv.regs.regs[1] = 0x12345;
	gv.regs.regs[0] = ~0ull;
	ex = guest_exec("668d4101"); /* lea ax, [rcx+1] */
	ok(ex == X86_EXIT_NONE && gv.regs.regs[0] == 0xffffffffffff2346ull, "lea ax, [rcx+1] merges");
	/* BSWAP r16 clears the low word. */
	guest_reset();
	gv.regs.regs[0] = 0x1122334455667788ull;
	ex = guest_exec("660fc8");
	ok(ex == X86_EXIT_NONE && gv.regs.regs[0] == 0x1122334455660000ull, "bswap ax: low word 0");
	/* CMPXCHG8B success keeps RDX/RAX whole; failure zero-extends them. */
	guest_reset();
	gv.regs.regs[6] = MEMPTR;
	wr64(gram + MEMPTR, 0x1111111122222222ull);
	gv.regs.regs[0] = 0xaaaaaaaa22222222ull;
	gv.regs.regs[2] = 0xbbbbbbbb11111111ull;
	gv.regs.regs[1] = 0x33;
	gv.regs.regs[3] = 0x44;
	ex = guest_exec("0fc70e");
	ok(ex == X86_EXIT_NONE && rd64(gram + MEMPTR) == 0x0000003300000044ull &&
	   gv.regs.regs[0] == 0xaaaaaaaa22222222ull && (gv.regs.rflags & X86_FLAGS_ZF),
	   "cmpxchg8b success");
	ex = guest_exec("0fc70e");
	ok(ex == X86_EXIT_NONE && gv.regs.regs[0] == 0x44 && gv.regs.regs[2] == 0x33 &&
	   !(gv.regs.rflags & X86_FLAGS_ZF), "cmpxchg8b failure loads EDX:EAX zero-extended");
	/* MOVDIRI / MOVNTI are plain stores. */
	guest_reset();
	gv.regs.regs[6] = MEMPTR;
	gv.regs.regs[1] = 0x8877665544332211ull;
	ex = guest_exec("480f38f90e");
	ok(ex == X86_EXIT_NONE && rd64(gram + MEMPTR) == 0x8877665544332211ull, "movdiri [rsi], rcx");

#ifdef CONFIG_APX
	/* SETcc.ZU with a memory destination writes one byte. */
	guest_reset();
	gv.regs.regs[6] = MEMPTR;
	memset(gram + MEMPTR, 0xaa, 8);
	ex = guest_exec("62f47f184406"); /* setzuz [rsi], ZF = 0 */
	ok(ex == X86_EXIT_NONE && rd64(gram + MEMPTR) == 0xaaaaaaaaaaaaaa00ull,
	   "setzuz byte [rsi] writes one byte");
	guest_reset();
	gv.regs.regs[0] = ~0ull;
	gv.regs.rflags |= X86_FLAGS_ZF;
	ex = guest_exec("62f47f1844c0");
	ok(ex == X86_EXIT_NONE && gv.regs.regs[0] == 1, "setzuz al: rax = 1");
	guest_reset();
	gv.regs.regs[0] = ~0ull;
	gv.regs.rflags |= X86_FLAGS_ZF;
	ex = guest_exec("62f47f0844c0");
	ok(ex == X86_EXIT_NONE && gv.regs.regs[0] == 0xffffffffffffff01ull, "setz al (map 4, no ZU)");
	/* CMOVcc NDD: the memory source is read when false; 16-bit zero-extends. */
	guest_reset();
	gv.regs.regs[6] = GRAM_SIZE;
	before = gv.regs;
	ex = guest_exec("62f474184406"); /* cmovz ecx, eax, [rsi] */
	ok(fault_is(ex, X86_EXC_PF) && same_regs(&before, &gv.regs),
	   "ndd cmovz ecx, eax, [rsi] false: the source is still read");
	guest_reset();
	gv.regs.regs[0] = 0x1234;
	gv.regs.regs[1] = ~0ull;
	ex = guest_exec("62f4751844c1"); /* cmovz cx, ax, cx: ZF = 0 -> ax */
	ok(ex == X86_EXIT_NONE && gv.regs.regs[1] == 0x1234, "ndd cmovz cx, ax, cx: zero-extended");
	/* APX off: REX2 PUSH is #UD. */
	guest_reset();
	gv.apx_enabled = false;
	before = gv.regs;
	ex = guest_exec("d51050");
	ok(fault_is(ex, X86_EXC_UD) && same_regs(&before, &gv.regs), "rex2 push r16 with APX off: #UD");
	vcpu_update_apx(&gv);
#endif
}

/*
 * Host only: ENTER with the new stack top (after the allocation) in an
 * unmapped page faults although nothing is written there.  The window's
 * first page is mapped and the page below it is not.
 */
static void host_enter_check(void)
{
	struct hstate hs;
	struct code c;
	int sig;

	memset(&hs, 0, sizeof(hs));
	hs.r[4] = WIN + 0x10;
	hs.r[5] = 0x55;
	hs.flags = 0x202;
	parse_hex("c8000100", &c); /* enter 0x100, 0: push at WIN+8, top at WIN-0xf8 */
	sig = host_run(&hs, c.b, c.len);
	ok(sig == SIGSEGV, "host: enter 0x100, 0 faults when only the new stack top is unmapped "
	   "(signal %d)", sig);
	memset(&hs, 0, sizeof(hs));
	hs.r[4] = WIN + 0x10;
	hs.r[5] = 0x55;
	hs.flags = 0x202;
	parse_hex("c8080000", &c); /* enter 8, 0: the new top is WIN, mapped */
	sig = host_run(&hs, c.b, c.len);
	ok(sig == 0 && hs.r[4] == WIN && hs.r[5] == WIN + 8, "host: enter 8, 0 inside the window runs");
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	stack_t ss;
	void *p;

	if (argc > 1)
		iterations = (unsigned)strtoul(argv[1], NULL, 0);
	if (argc > 2)
		rng_state = strtoull(argv[2], NULL, 0) | 1;
	trace = getenv("DATA_TRACE") != NULL;
	setvbuf(stdout, NULL, _IOLBF, 0);

	gram = calloc(1, GRAM_SIZE);
	if (!gram)
		return 1;
	guest_init();

	p = mmap((void *)(uintptr_t)WIN, WIN_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED || p != (void *)(uintptr_t)WIN) {
		diag("cannot map the host window at %#llx: host comparison skipped", WIN);
		if (p != MAP_FAILED)
			munmap(p, WIN_SIZE);
		hwin = NULL;
	} else {
		hwin = p;
	}

	if (hwin) {
		ss.ss_sp = altstack;
		ss.ss_size = sizeof(altstack);
		ss.ss_flags = 0;
		if (sigaltstack(&ss, NULL))
			return 1;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_fault;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_NODEFER | SA_ONSTACK;
		sigaction(SIGSEGV, &sa, NULL);
		sigaction(SIGBUS, &sa, NULL);
		sigaction(SIGILL, &sa, NULL);
		clear_upper();
		for (unsigned i = 0; i < ARRAY_SIZE(cases); i++)
			run_case(cases[i].name, cases[i].g, cases[i].h, cases[i].map, &cases[i]);
		for (unsigned i = 0; i < ARRAY_SIZE(cc_tmpls); i++)
			run_cc_tmpl(&cc_tmpls[i]);
		host_enter_check();
	}

	directed_popf();
	directed_sreg();
	directed_stack();
	directed_misc();
	host_vendor_report();
	return done_testing();
}
#endif
