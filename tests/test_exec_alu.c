/* SPDX-License-Identifier: MIT */
/*
 * The ALU family of the interpreter (src/x86/exec_alu.c) against the host
 * CPU.  Every case runs one instruction on the vCPU and the same operation
 * natively (through a small trampoline that loads all GPRs and RFLAGS, runs
 * the bytes and stores everything back), over edge values, count values and
 * random values, and compares all GPRs, the six arithmetic flags, DF, a
 * memory buffer and exceptions (#DE: the host's SIGFPE).
 *
 * APX forms cannot run on the host, so each is compared with an equivalent
 * legacy sequence:
 *   - REX2 / EVEX without ND or NF: the legacy instruction itself;
 *   - NDD  "op rbx, src1, src2":   mov(zx) rbx, src1 ; op rbx, src2;
 *   - {nf}:                        pushfq ; op ; popfq;
 *   - IMUL.ZU (16-bit):            imul ; movzx eax, ax;
 *   - EGPRs: every explicit register +16 in the vCPU (r16 for rax, ...),
 *     checked against the host's legacy register.
 * Undefined flags are compared too on an Intel host: the host is the
 * reference.  On another vendor's host (tests/host_cpu.h) the flags the Intel
 * SDM calls undefined for the instruction are masked, and a case whose
 * destination the SDM leaves undefined (SHLD/SHRD count > width) is skipped;
 * both are counted in the "# vendor" line.
 *
 * Usage: test_exec_alu [ITERATIONS [SEED]]; ALU_TRACE=1 names each case.
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

#include "host_cpu.h"
#include "tap.h"
#include "x86/interp.h"

#if !defined(__x86_64__)
int main(void)
{
	printf("1..0 # SKIP host is not x86-64\n");
	return 0;
}
#else

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define CMP_FLAGS (X86_FLAGS_ARITH | X86_FLAGS_DF)

/* ------------------------------------------------------------------ */
/* The host oracle                                                    */
/* ------------------------------------------------------------------ */

struct hstate {
	uint64_t r[16];   /* rsp (4) is not loaded */
	uint64_t flags;
	uint64_t code;
};

/* host_tramp(s): load s->r[] and s->flags, call s->code, store them back. */
__asm__(
	"	.text\n"
	"	.type host_tramp,@function\n"
	"host_tramp:\n"
	"	push %rbx\n	push %rbp\n	push %r12\n	push %r13\n	push %r14\n	push %r15\n"
	"	push %rdi\n"
	"	pushq 136(%rdi)\n"
	"	pushq 128(%rdi)\n"
	"	popfq\n"
	"	mov 0(%rdi),%rax\n	mov 8(%rdi),%rcx\n	mov 16(%rdi),%rdx\n	mov 24(%rdi),%rbx\n"
	"	mov 40(%rdi),%rbp\n	mov 48(%rdi),%rsi\n"
	"	mov 64(%rdi),%r8\n	mov 72(%rdi),%r9\n	mov 80(%rdi),%r10\n	mov 88(%rdi),%r11\n"
	"	mov 96(%rdi),%r12\n	mov 104(%rdi),%r13\n	mov 112(%rdi),%r14\n	mov 120(%rdi),%r15\n"
	"	mov 56(%rdi),%rdi\n"
	"	call *(%rsp)\n"
	"	pushfq\n"
	"	push %rdi\n"
	"	mov 24(%rsp),%rdi\n"
	"	mov %rax,0(%rdi)\n	mov %rcx,8(%rdi)\n	mov %rdx,16(%rdi)\n	mov %rbx,24(%rdi)\n"
	"	mov %rbp,40(%rdi)\n	mov %rsi,48(%rdi)\n"
	"	mov %r8,64(%rdi)\n	mov %r9,72(%rdi)\n	mov %r10,80(%rdi)\n	mov %r11,88(%rdi)\n"
	"	mov %r12,96(%rdi)\n	mov %r13,104(%rdi)\n	mov %r14,112(%rdi)\n	mov %r15,120(%rdi)\n"
	"	pop %rax\n	mov %rax,56(%rdi)\n"
	"	pop %rax\n	mov %rax,128(%rdi)\n"
	"	add $16,%rsp\n"
	"	cld\n"
	"	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n	pop %rbp\n	pop %rbx\n"
	"	ret\n"
	"	.size host_tramp, .-host_tramp\n");
void host_tramp(struct hstate *s);

static uint8_t *host_code;
static sigjmp_buf host_jmp;

static void on_sigfpe(int sig)
{
	(void)sig;
	siglongjmp(host_jmp, 1);
}

/* Run `code` natively; returns true if it raised #DE (SIGFPE). */
static bool host_run(struct hstate *s, const uint8_t *code, unsigned len)
{
	memcpy(host_code, code, len);
	host_code[len] = 0xc3; /* ret */
	s->code = (uint64_t)(uintptr_t)host_code;
	if (sigsetjmp(host_jmp, 1)) {
		__asm__ volatile("cld");
		return true;
	}
	host_tramp(s);
	return false;
}

/* ------------------------------------------------------------------ */
/* The vCPU                                                           */
/* ------------------------------------------------------------------ */

#define GRAM_SIZE 0x10000
#define GCODE     0x1000
#define GMEM      0x8000   /* 256-byte buffer; the base register points at GMEM + 128 */
#define GRSP      0xf000

static uint8_t gram[GRAM_SIZE];
static struct vcpu gv;
static struct x86_cpu gc;

static void guest_init(void)
{
	memset(&gv, 0, sizeof(gv));
	vcpu_regfile_init(&gv.regs, NULL);
	gv.cr4 = X86_CR4_OSXSAVE;
#ifdef CONFIG_APX
	gv.cpuid_apx = true;
	gv.xcr0 = X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_APX;
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

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static const uint64_t edges[] = {
	0, 1, 2, 3, 0x0f, 0x10, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x100, 0x7fff, 0x8000, 0x8001,
	0xfffe, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff,
	0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull,
	0xfffffffffffffffeull, 0xffffffffffffffffull, 0x5555555555555555ull,
	0xaaaaaaaaaaaaaaaaull, 0x0123456789abcdefull,
};

static const uint64_t counts[] = {
	0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 18, 23, 24, 31, 32, 33, 47, 48, 63, 64, 65, 0x7f,
	0x80, 0xe1, 0xff,
};

/* A register value: an edge, a count or random, maybe with garbage above bit 8/16/32. */
static uint64_t pick(void)
{
	uint64_t v, k = rnd() % 8;

	if (k < 3)
		v = edges[rnd() % ARRAY_SIZE(edges)];
	else if (k < 4)
		v = counts[rnd() % ARRAY_SIZE(counts)];
	else if (k < 5)
		v = rnd() & rnd() & rnd(); /* sparse */
	else if (k < 6)
		v = rnd() | rnd() | rnd(); /* dense */
	else
		v = rnd();
	if (rnd() % 3 == 0) {
		unsigned sh = 8u << (rnd() % 3);

		v = (v & ((UINT64_C(1) << sh) - 1)) | (rnd() << sh);
	}
	return v;
}

static uint64_t pick_count(void)
{
	uint64_t v = counts[rnd() % ARRAY_SIZE(counts)];

	if (rnd() % 2)
		v |= rnd() << 8;
	return v;
}

/* ------------------------------------------------------------------ */
/* Test cases                                                         */
/* ------------------------------------------------------------------ */

enum bias {
	B_NONE,
	B_CNT_RCX,   /* rcx is a shift count */
	B_CNT_RBX,   /* rbx is a shift count / index (BMI vvvv) */
	B_BEXTR_RBX, /* rbx = BEXTR control */
	B_DIV,       /* rdx:rax dividends that often do not overflow */
	B_BTMEM,     /* rdx is a small signed bit offset (memory BT with a register) */
	B_FLAGS_ALL, /* also randomise DF */
};

enum imm_kind { IMM_NONE, IMM_RAND, IMM_CNT };

struct tcase {
	char name[80];
	uint8_t g[32];
	unsigned glen;
	int gimm;          /* offset of the immediate in g, -1 if none */
	uint8_t h[64];
	unsigned hlen;
	int himm;
	unsigned immlen;
	uint8_t immkind;
	uint8_t bias;
	uint8_t bias_w;    /* operand width for B_BTMEM */
	bool egpr;         /* the vCPU registers are the host's + 16 */
	/* SDM-undefined flags, from the decoded guest instruction (see classify()) */
	uint8_t undef;     /* enum sdm_undef */
	bool unf;          /* {nf}: no flags written (the result may still be undefined) */
	uint8_t uwidth;    /* operand size in bits */
	int16_t ucount;    /* shift count: UCNT_CL, UCNT_IMM or the implicit count */
};

#define UCNT_CL  (-1)  /* CL (host and vCPU rcx) */
#define UCNT_IMM (-2)  /* the first immediate byte */

struct in_state {
	uint64_t r[16];
	uint64_t flags;
	uint8_t mem[256];
	uint8_t imm[8];
};

static unsigned mismatches_shown;

static void show(const struct tcase *t, const struct in_state *in, const char *what,
		 uint64_t gval, uint64_t hval)
{
	char gb[100], hb[140];
	unsigned n = 0;

	if (mismatches_shown >= 40)
		return;
	mismatches_shown++;
	for (unsigned i = 0; i < t->glen && n + 3 < sizeof(gb); i++) {
		bool imm = t->immlen && i >= (unsigned)t->gimm && i < t->gimm + t->immlen;

		n += (unsigned)snprintf(gb + n, sizeof(gb) - n, "%02x",
					imm ? in->imm[i - (unsigned)t->gimm] : t->g[i]);
	}
	n = 0;
	for (unsigned i = 0; i < t->hlen && n + 3 < sizeof(hb); i++) {
		bool imm = t->immlen && i >= (unsigned)t->himm && i < t->himm + t->immlen;

		n += (unsigned)snprintf(hb + n, sizeof(hb) - n, "%02x",
					imm ? in->imm[i - (unsigned)t->himm] : t->h[i]);
	}
	diag("%s [%s | host %s]: %s vcpu=%#" PRIx64 " host=%#" PRIx64, t->name, gb, hb, what,
	     gval, hval);
	diag("   in: rax=%#" PRIx64 " rcx=%#" PRIx64 " rdx=%#" PRIx64 " rbx=%#" PRIx64
	     " flags=%#" PRIx64 " mem[128..]=%02x%02x%02x%02x%02x%02x%02x%02x",
	     in->r[0], in->r[1], in->r[2], in->r[3], in->flags, in->mem[128], in->mem[129],
	     in->mem[130], in->mem[131], in->mem[132], in->mem[133], in->mem[134], in->mem[135]);
}

static uint8_t hmem[256];

static void apply_bias(const struct tcase *t, struct in_state *in)
{
	switch (t->bias) {
	case B_CNT_RCX:
		if (rnd() % 4)
			in->r[1] = pick_count();
		break;
	case B_CNT_RBX:
		if (rnd() % 4)
			in->r[3] = pick_count();
		break;
	case B_BEXTR_RBX:
		if (rnd() % 4)
			in->r[3] = (pick_count() & 0xff) | (pick_count() & 0xff) << 8 |
				   (rnd() % 2 ? rnd() << 16 : 0);
		break;
	case B_DIV:
		switch (rnd() % 4) {
		case 0: in->r[2] = 0; break;
		case 1: in->r[2] = ~UINT64_C(0); break;
		case 2: in->r[2] = rnd() % 3; break;
		default: break;
		}
		if (rnd() % 2)
			in->r[1] = rnd() % 3 ? pick() : (uint64_t)(int64_t)(int8_t)rnd();
		break;
	case B_BTMEM: {
		/* Bit offsets -512..511 keep the word inside the 256-byte buffer. */
		uint64_t off = (uint64_t)((int64_t)(rnd() % 1024) - 512);
		unsigned w = t->bias_w;

		in->r[2] = w < 64 ? (off & ((UINT64_C(1) << w) - 1)) | (rnd() << w) : off;
		break;
	}
	case B_FLAGS_ALL:
		if (rnd() % 2)
			in->flags |= X86_FLAGS_DF;
		break;
	}
}

/* Run one input on both; returns true if they agree. */
static bool run_one(const struct tcase *t, struct in_state *in)
{
	struct hstate hs;
	uint8_t hcode[64], gcode[32];
	bool hfault, good = true;
	enum x86_exit ex;
	struct vcpu_regfile *rf = &gv.regs;
	uint64_t cmp_flags = CMP_FLAGS;

	memcpy(hcode, t->h, t->hlen);
	memcpy(gcode, t->g, t->glen);
	if (t->immlen) {
		memcpy(hcode + t->himm, in->imm, t->immlen);
		memcpy(gcode + t->gimm, in->imm, t->immlen);
	}

	/* Host. */
	memset(&hs, 0, sizeof(hs));
	memcpy(hs.r, in->r, sizeof(hs.r));
	hs.r[6] = (uint64_t)(uintptr_t)(hmem + 128);
	hs.flags = in->flags;
	memcpy(hmem, in->mem, sizeof(hmem));
	hfault = host_run(&hs, hcode, t->hlen);

	/* vCPU. */
	vcpu_regfile_init(rf, NULL);
	for (unsigned k = 0; k < 16; k++)
		rf->regs[k] = in->r[k];
	rf->regs[6] = GMEM + 128;
	rf->regs[4] = GRSP;
#ifdef CONFIG_APX
	for (unsigned k = 16; k < 32; k++)
		rf->regs[k] = t->egpr ? rf->regs[k - 16] : in->r[k - 16] ^ 0x5a5a5a5a5a5a5a5aull;
#endif
	rf->rip = GCODE;
	rf->rflags = in->flags;
	memcpy(gram + GCODE, gcode, t->glen);
	memset(gram + GCODE + t->glen, 0xcc, 16);
	memcpy(gram + GMEM, in->mem, sizeof(in->mem));
	ex = x86_step(&gc);

	if (t->undef && !host_is_intel()) {
		/* Not Intel: the SDM-undefined flags (and results) are the vendor's. */
		unsigned count = t->ucount == UCNT_CL ? (unsigned)(in->r[1] & 0xff) :
				 t->ucount == UCNT_IMM ? in->imm[0] : (unsigned)t->ucount;
		bool dest_undef;
		uint32_t u = sdm_undef_flags((enum sdm_undef)t->undef, t->uwidth, count, &dest_undef);

		if (dest_undef && !hfault) {
			host_vendor_skip("SHLD/SHRD with a count above the width (result undefined, SDM)");
			return true;
		}
		if (u && !t->unf) {
			cmp_flags &= ~(uint64_t)u;
			host_vendor_mask(sdm_undef_name((enum sdm_undef)t->undef));
		}
	}
	if (hfault) {
		/* #DE: nothing changes. */
		if (ex != X86_EXIT_EXCEPTION || gc.exc.vector != X86_EXC_DE) {
			show(t, in, "host #DE, vcpu exit/vector", ex, gc.exc.vector);
			return false;
		}
		if (rf->rip != GCODE) {
			show(t, in, "#DE rip", rf->rip, GCODE);
			good = false;
		}
		for (unsigned k = 0; k < 16; k++) {
			uint64_t want = k == 6 ? GMEM + 128 : k == 4 ? GRSP : in->r[k];

			if (rf->regs[k] != want) {
				show(t, in, "#DE changed a register", rf->regs[k], want);
				good = false;
			}
		}
		if (rf->rflags != in->flags) {
			show(t, in, "#DE changed rflags", rf->rflags, in->flags);
			good = false;
		}
		if (memcmp(gram + GMEM, in->mem, sizeof(in->mem))) {
			show(t, in, "#DE changed memory", 0, 0);
			good = false;
		}
		return good;
	}
	if (ex != X86_EXIT_NONE) {
		show(t, in, "vcpu exit (vector)", ex, ex == X86_EXIT_EXCEPTION ? gc.exc.vector : 0);
		return false;
	}
	if (rf->rip != GCODE + t->glen) {
		show(t, in, "rip", rf->rip, GCODE + t->glen);
		good = false;
	}
	for (unsigned k = 0; k < 16; k++) {
		unsigned gk = t->egpr ? k + 16 : k;
		uint64_t gval = rf->regs[gk];
		char what[32];

		if (k == 4)
			continue;
		if (k == 6) {
			if (gval != GMEM + 128) {
				show(t, in, "memory base register changed", gval, GMEM + 128);
				good = false;
			}
			continue;
		}
		if (gval != hs.r[k]) {
			snprintf(what, sizeof(what), "%s%u", t->egpr ? "r" : "reg ", t->egpr ? gk : k);
			show(t, in, what, gval, hs.r[k]);
			good = false;
		}
	}
#ifdef CONFIG_APX
	for (unsigned k = 0; k < 16; k++) {
		/* The registers the instruction does not name stay as they were. */
		unsigned gk = t->egpr ? k : k + 16;
		uint64_t want = t->egpr ? in->r[k] : in->r[k] ^ 0x5a5a5a5a5a5a5a5aull;

		if (gk == 4 || gk == 6)
			continue;
		if (rf->regs[gk] != want) {
			show(t, in, "unrelated register changed", rf->regs[gk], want);
			good = false;
		}
	}
#endif
	if ((rf->rflags ^ hs.flags) & cmp_flags) {
		show(t, in, "rflags", rf->rflags, hs.flags);
		good = false;
	}
	if (memcmp(gram + GMEM, hmem, sizeof(hmem))) {
		unsigned i = 0;

		while (gram[GMEM + i] == hmem[i])
			i++;
		show(t, in, "memory byte", gram[GMEM + i], hmem[i]);
		good = false;
	}
	return good;
}

static unsigned iterations = 300;

static bool run_case(const struct tcase *t)
{
	bool good = true;

	for (unsigned it = 0; it < iterations; it++) {
		struct in_state in;

		for (unsigned k = 0; k < 16; k++)
			in.r[k] = pick();
		in.flags = (rnd() & X86_FLAGS_ARITH) | 0x202;
		if (it % 8 == 0)
			in.flags = it % 16 ? 0x202 : 0x202 | X86_FLAGS_ARITH;
		for (unsigned i = 0; i < sizeof(in.mem); i += 8) {
			uint64_t v = pick();

			memcpy(in.mem + i, &v, 8);
		}
		for (unsigned i = 0; i < sizeof(in.imm); i++)
			in.imm[i] = (uint8_t)(t->immkind == IMM_CNT ? pick_count() : pick());
		apply_bias(t, &in);
		if (!run_one(t, &in))
			good = false;
	}
	return good;
}

/* Results per group: one TAP line per group name. */
struct group {
	char name[64];
	unsigned cases, failed;
};
static struct group groups[400];
static unsigned ngroups;

static void record(const char *gname, bool good)
{
	unsigned i;

	for (i = 0; i < ngroups; i++)
		if (!strcmp(groups[i].name, gname))
			break;
	if (i == ngroups) {
		if (ngroups == ARRAY_SIZE(groups))
			abort();
		snprintf(groups[ngroups++].name, sizeof(groups[0].name), "%s", gname);
	}
	groups[i].cases++;
	if (!good)
		groups[i].failed++;
}

/* ------------------------------------------------------------------ */
/* Encoding generator                                                 */
/* ------------------------------------------------------------------ */

enum { IM_NONE, IM_8, IM_Z, IM_CNT8, IM_ONE };

/* Template flags. */
#define T_NDD      (1u << 0)   /* map-4 NDD form */
#define T_NF       (1u << 1)   /* map-4 {nf} form */
#define T_REX2     (1u << 2)   /* valid with REX2 */
#define T_M4       (1u << 3)   /* has a map-4 form */
#define T_NOMODRM  (1u << 4)   /* AL/rAX, imm forms */
#define T_IMPLICIT (1u << 5)   /* uses rAX/rDX implicitly: no EGPR remapping */
#define T_ZU       (1u << 6)   /* IMUL imm: ND=1 is ZU */
#define T_NOMEM    (1u << 7)   /* no memory form */
#define T_CNT      (1u << 8)   /* rcx (CL) is a count */
#define T_DIV      (1u << 9)
#define T_BTMEM    (1u << 10)  /* memory form with a register bit offset */
#define T_NOREG    (1u << 11)  /* no register form */

#define W8  1u
#define W16 2u
#define W32 4u
#define W64 8u
#define WALL (W8 | W16 | W32 | W64)
#define WV   (W16 | W32 | W64)

struct tmpl {
	const char *name;
	uint8_t map;     /* 0: one byte, 1: 0F, 2: 0F38 */
	uint8_t mand;    /* mandatory prefix 0, 0x66, 0xF2, 0xF3 */
	uint8_t opc, opc8;
	int8_t ext;      /* ModRM.reg extension, or -1 */
	bool dst_reg;    /* first operand in ModRM.reg */
	uint8_t imm;
	uint8_t widths;
	uint8_t m4, m48, m4pp;
	uint32_t fl;
	uint8_t rmreg;   /* ModRM.rm register of the register form (ext >= 0) */
};

/* Register roles: first operand rax (or [rsi]), second rdx, NDD destination rbx. */
#define R_FIRST 0
#define R_SECOND 2
#define R_NDD 3
#define R_BASE 6

static uint8_t modrm(unsigned mod, unsigned reg, unsigned rm)
{
	return (uint8_t)(mod << 6 | (reg & 7) << 3 | (rm & 7));
}

enum form { F_LEG, F_REX2, F_EVEX };

struct emit {
	uint8_t *p;
	unsigned n;
	int imm_at;
};

static void put(struct emit *e, uint8_t b)
{
	e->p[e->n++] = b;
}

static void put_imm(struct emit *e, unsigned immlen)
{
	e->imm_at = (int)e->n;
	for (unsigned i = 0; i < immlen; i++)
		put(e, 0);
}

static unsigned imm_len(const struct tmpl *t, unsigned w)
{
	switch (t->imm) {
	case IM_8:
	case IM_CNT8: return 1;
	case IM_Z: return w == 8 ? 1 : w == 16 ? 2 : 4;
	default: return 0;
	}
}

/*
 * One instruction of template t at width w.  reg/rm are the ModRM fields
 * (mem: rm = [rsi]); form selects the encoding; vvvv/nd/nf/egpr for EVEX.
 */
static void emit_insn(struct emit *e, const struct tmpl *t, unsigned w, enum form form,
		      unsigned reg, unsigned rm, bool mem, int vvvv, bool nd, bool nf, bool egpr)
{
	bool wbit = w == 64;
	uint8_t opc = w == 8 ? t->opc8 : t->opc;

	if (form == F_EVEX) {
		unsigned pp = w == 16 ? 1 : t->m4pp;
		unsigned v = vvvv < 0 ? 0 : (unsigned)vvvv;
		uint8_t p0 = 0xf4, p1, p2;

		if (egpr) {
			if (t->ext < 0)
				p0 &= (uint8_t)~0x10; /* R4 (inverted) */
			p0 |= 0x08;                   /* B4 */
			if (vvvv >= 0)
				v += 16;
		}
		p1 = (uint8_t)((wbit ? 0x80 : 0) | ((~v & 15) << 3) | 0x04 | pp);
		p2 = (uint8_t)((nd ? 0x10 : 0) | ((v & 16) ? 0 : 0x08) | (nf ? 0x04 : 0));
		put(e, 0x62);
		put(e, p0);
		put(e, p1);
		put(e, p2);
		put(e, w == 8 ? t->m48 : t->m4);
	} else {
		if (w == 16)
			put(e, 0x66);
		if (t->mand)
			put(e, t->mand);
		if (form == F_REX2) {
			uint8_t pl = (uint8_t)((t->map == 1 ? 0x80 : 0) | (wbit ? 0x08 : 0));

			if (egpr) {
				if (t->ext < 0 && !(t->fl & T_NOMODRM))
					pl |= 0x40; /* R4 */
				pl |= 0x10;         /* B4 */
			}
			put(e, 0xd5);
			put(e, pl);
		} else {
			if (wbit)
				put(e, 0x48);
			if (t->map >= 1)
				put(e, 0x0f);
			if (t->map == 2)
				put(e, 0x38);
		}
		put(e, opc);
	}
	if (!(t->fl & T_NOMODRM)) {
		unsigned r = t->ext >= 0 ? (unsigned)t->ext : reg;

		put(e, mem ? modrm(0, r, R_BASE) : modrm(3, r, rm));
	}
	put_imm(e, t->imm == IM_ONE ? 0 : imm_len(t, w));
}

/* mov(zx) dst, src: w-bit source (register or [rsi]), zero-extended into dst. */
static void emit_mov(struct emit *e, unsigned w, unsigned dst, unsigned src, bool mem)
{
	uint8_t m = mem ? modrm(0, dst, R_BASE) : modrm(3, dst, src);

	switch (w) {
	case 8: put(e, 0x0f); put(e, 0xb6); put(e, m); break;
	case 16: put(e, 0x0f); put(e, 0xb7); put(e, m); break;
	case 64: put(e, 0x48); /* fall through */
	default: put(e, 0x8b); put(e, m); break;
	}
}

static const char *const wname[] = { "8", "16", "32", "64" };

static unsigned nfailed_cases;

static bool trace;

/*
 * What the SDM leaves undefined for the case: from the decoded guest
 * instruction (iclass, operand size, count operand).  {nf} forms write no
 * flags (the host's equivalent keeps them with PUSHF/POPF), but an undefined
 * result stays undefined.
 */
static void classify(struct tcase *tc)
{
	struct x86_insn in;
	char base[sizeof(in.iclass)];
	size_t n;

	tc->undef = SDM_UNDEF_NONE;
	if (x86_decode(tc->g, tc->glen, X86_MODE_64, &in) != X86_OK)
		return;
	tc->unf = in.nf;
	snprintf(base, sizeof(base), "%s", in.iclass);
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, "_lock"))
		base[n - 5] = 0;
	tc->undef = (uint8_t)sdm_undef_of(base);
	tc->uwidth = in.osize;
	tc->ucount = 1;
	for (unsigned i = 1; i < in.nops; i++) {
		const struct x86_operand *op = &in.ops[i];

		if (op->kind == X86_OPK_REG && op->reg.cls == X86_RC_GPR8 && op->reg.num == 1 &&
		    i + 1 == in.nops)
			tc->ucount = UCNT_CL;
		else if (op->kind == X86_OPK_IMM)
			tc->ucount = in.imm_bytes ? UCNT_IMM : (int16_t)op->imm;
	}
}

static void do_case(struct tcase *tc, const char *group)
{
	bool good;

	classify(tc);

	if (trace) {
		diag("case %s", tc->name);
		fflush(stdout);
	}
	good = run_case(tc);

	if (!good) {
		nfailed_cases++;
		diag("FAILED: %s", tc->name);
	}
	record(group, good);
}

/* All the forms of one template. */
static void run_tmpl(const struct tmpl *t)
{
	for (unsigned wi = 0; wi < 4; wi++) {
		unsigned w = 8u << wi;

		if (!(t->widths & (1u << wi)))
			continue;
		for (unsigned mem = 0; mem < 2; mem++) {
			struct tcase tc;
			struct emit g, h;
			unsigned reg, rm;
			uint8_t bias = B_NONE;

			if (mem && (t->fl & (T_NOMEM | T_NOMODRM)))
				continue;
			if (!mem && (t->fl & T_NOREG))
				continue;
			if (t->ext >= 0) {
				reg = 0;
				rm = t->rmreg;
			} else if (t->dst_reg) {
				reg = R_FIRST;
				rm = R_SECOND;
			} else {
				reg = R_SECOND;
				rm = R_FIRST;
			}
			if (t->fl & T_CNT)
				bias = B_CNT_RCX;
			if (t->fl & T_DIV)
				bias = B_DIV;
			if ((t->fl & T_BTMEM) && mem)
				bias = B_BTMEM;

			for (unsigned variant = 0; variant < 9; variant++) {
				/*
				 * 0 legacy, 1 REX2, 2 REX2+EGPR, 3 EVEX, 4 EVEX {nf},
				 * 5 EVEX NDD, 6 EVEX NDD {nf}, 7 EVEX NDD+EGPR, 8 IMUL.ZU
				 */
				static const char *const vname[] = {
					"legacy", "rex2", "rex2+egpr", "evex", "evex{nf}",
					"ndd", "ndd{nf}", "ndd+egpr", "zu",
				};
				bool nd = variant >= 5 && variant <= 7, nf = variant == 4 || variant == 6;
				bool egpr = variant == 2 || variant == 7;
				enum form form = variant == 0 ? F_LEG : variant <= 2 ? F_REX2 : F_EVEX;

#ifndef CONFIG_APX
				if (variant)
					break;
#endif
				if (form == F_REX2 && (!(t->fl & T_REX2) || t->map > 1))
					continue;
				if (form == F_EVEX && !(t->fl & T_M4))
					continue;
				if (nd && !(t->fl & T_NDD))
					continue;
				if (nf && !(t->fl & T_NF))
					continue;
				if (variant == 8 && !(t->fl & T_ZU))
					continue;
				if (egpr && (t->fl & (T_IMPLICIT | T_NOMODRM)))
					continue;

				memset(&tc, 0, sizeof(tc));
				g = (struct emit){ tc.g, 0, -1 };
				h = (struct emit){ tc.h, 0, -1 };
				emit_insn(&g, t, w, form, reg, rm, mem, nd ? R_NDD : -1, nd || variant == 8,
					  nf, egpr);
				if (nd) {
					/* mov(zx) rbx, first ; op rbx, second */
					emit_mov(&h, w, R_NDD, t->dst_reg ? reg : rm, mem && !t->dst_reg);
					if (nf)
						put(&h, 0x9c);
					if (!t->dst_reg)
						emit_insn(&h, t, w, F_LEG, reg, R_NDD, false, -1, false, false,
							  false);
					else
						emit_insn(&h, t, w, F_LEG, R_NDD, rm, mem, -1, false, false,
							  false);
					if (nf)
						put(&h, 0x9d);
				} else {
					if (nf)
						put(&h, 0x9c);
					emit_insn(&h, t, w, F_LEG, reg, rm, mem, -1, false, false, false);
					if (nf)
						put(&h, 0x9d);
					if (variant == 8 && w == 16) {
						/* movzx eax, ax */
						put(&h, 0x0f);
						put(&h, 0xb7);
						put(&h, 0xc0);
					}
				}
				tc.glen = g.n;
				tc.hlen = h.n;
				tc.gimm = g.imm_at;
				tc.himm = h.imm_at;
				tc.immlen = t->imm == IM_ONE ? 0 : imm_len(t, w);
				tc.immkind = t->imm == IM_CNT8 ? IMM_CNT : IMM_RAND;
				tc.bias = bias;
				tc.bias_w = (uint8_t)w;
				tc.egpr = egpr;
				snprintf(tc.name, sizeof(tc.name), "%s %s%s %s", t->name, wname[wi],
					 mem ? " mem" : "", vname[variant]);
				do_case(&tc, t->name);
			}
		}
	}
}

static const struct tmpl tmpls[] = {
	/* name              map mand opc   opc8  ext dreg imm     widths m4    m48   pp flags */
	{ "add r/m,r",         0, 0, 0x01, 0x00, -1, 0, IM_NONE, WALL, 0x01, 0x00, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "add r,r/m",         0, 0, 0x03, 0x02, -1, 1, IM_NONE, WALL, 0x03, 0x02, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "or r/m,r",          0, 0, 0x09, 0x08, -1, 0, IM_NONE, WALL, 0x09, 0x08, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "or r,r/m",          0, 0, 0x0b, 0x0a, -1, 1, IM_NONE, WALL, 0x0b, 0x0a, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "adc r/m,r",         0, 0, 0x11, 0x10, -1, 0, IM_NONE, WALL, 0x11, 0x10, 0, T_NDD | T_REX2 | T_M4, 0 },
	{ "adc r,r/m",         0, 0, 0x13, 0x12, -1, 1, IM_NONE, WALL, 0x13, 0x12, 0, T_NDD | T_REX2 | T_M4, 0 },
	{ "sbb r/m,r",         0, 0, 0x19, 0x18, -1, 0, IM_NONE, WALL, 0x19, 0x18, 0, T_NDD | T_REX2 | T_M4, 0 },
	{ "sbb r,r/m",         0, 0, 0x1b, 0x1a, -1, 1, IM_NONE, WALL, 0x1b, 0x1a, 0, T_NDD | T_REX2 | T_M4, 0 },
	{ "and r/m,r",         0, 0, 0x21, 0x20, -1, 0, IM_NONE, WALL, 0x21, 0x20, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "and r,r/m",         0, 0, 0x23, 0x22, -1, 1, IM_NONE, WALL, 0x23, 0x22, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "sub r/m,r",         0, 0, 0x29, 0x28, -1, 0, IM_NONE, WALL, 0x29, 0x28, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "sub r,r/m",         0, 0, 0x2b, 0x2a, -1, 1, IM_NONE, WALL, 0x2b, 0x2a, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "xor r/m,r",         0, 0, 0x31, 0x30, -1, 0, IM_NONE, WALL, 0x31, 0x30, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "xor r,r/m",         0, 0, 0x33, 0x32, -1, 1, IM_NONE, WALL, 0x33, 0x32, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "cmp r/m,r",         0, 0, 0x39, 0x38, -1, 0, IM_NONE, WALL, 0, 0, 0, T_REX2, 0 },
	{ "cmp r,r/m",         0, 0, 0x3b, 0x3a, -1, 1, IM_NONE, WALL, 0, 0, 0, T_REX2, 0 },
	{ "add a,imm",         0, 0, 0x05, 0x04, -1, 0, IM_Z, WALL, 0, 0, 0, T_NOMODRM | T_REX2, 0 },
	{ "or a,imm",          0, 0, 0x0d, 0x0c, -1, 0, IM_Z, WALL, 0, 0, 0, T_NOMODRM | T_REX2, 0 },
	{ "adc a,imm",         0, 0, 0x15, 0x14, -1, 0, IM_Z, WALL, 0, 0, 0, T_NOMODRM | T_REX2, 0 },
	{ "sbb a,imm",         0, 0, 0x1d, 0x1c, -1, 0, IM_Z, WALL, 0, 0, 0, T_NOMODRM | T_REX2, 0 },
	{ "and a,imm",         0, 0, 0x25, 0x24, -1, 0, IM_Z, WALL, 0, 0, 0, T_NOMODRM | T_REX2, 0 },
	{ "sub a,imm",         0, 0, 0x2d, 0x2c, -1, 0, IM_Z, WALL, 0, 0, 0, T_NOMODRM | T_REX2, 0 },
	{ "xor a,imm",         0, 0, 0x35, 0x34, -1, 0, IM_Z, WALL, 0, 0, 0, T_NOMODRM | T_REX2, 0 },
	{ "cmp a,imm",         0, 0, 0x3d, 0x3c, -1, 0, IM_Z, WALL, 0, 0, 0, T_NOMODRM | T_REX2, 0 },
	{ "test a,imm",        0, 0, 0xa9, 0xa8, -1, 0, IM_Z, WALL, 0, 0, 0, T_NOMODRM, 0 },
	{ "add r/m,imm",       0, 0, 0x81, 0x80, 0, 0, IM_Z, WALL, 0x81, 0x80, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "or r/m,imm",        0, 0, 0x81, 0x80, 1, 0, IM_Z, WALL, 0x81, 0x80, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "adc r/m,imm",       0, 0, 0x81, 0x80, 2, 0, IM_Z, WALL, 0x81, 0x80, 0, T_NDD | T_REX2 | T_M4, 0 },
	{ "sbb r/m,imm",       0, 0, 0x81, 0x80, 3, 0, IM_Z, WALL, 0x81, 0x80, 0, T_NDD | T_REX2 | T_M4, 0 },
	{ "and r/m,imm",       0, 0, 0x81, 0x80, 4, 0, IM_Z, WALL, 0x81, 0x80, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "sub r/m,imm",       0, 0, 0x81, 0x80, 5, 0, IM_Z, WALL, 0x81, 0x80, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "xor r/m,imm",       0, 0, 0x81, 0x80, 6, 0, IM_Z, WALL, 0x81, 0x80, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "cmp r/m,imm",       0, 0, 0x81, 0x80, 7, 0, IM_Z, WALL, 0, 0, 0, T_REX2, 0 },
	{ "add r/m,imm8",      0, 0, 0x83, 0x83, 0, 0, IM_8, WV, 0x83, 0x83, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "adc r/m,imm8",      0, 0, 0x83, 0x83, 2, 0, IM_8, WV, 0x83, 0x83, 0, T_NDD | T_REX2 | T_M4, 0 },
	{ "sbb r/m,imm8",      0, 0, 0x83, 0x83, 3, 0, IM_8, WV, 0x83, 0x83, 0, T_NDD | T_REX2 | T_M4, 0 },
	{ "and r/m,imm8",      0, 0, 0x83, 0x83, 4, 0, IM_8, WV, 0x83, 0x83, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "sub r/m,imm8",      0, 0, 0x83, 0x83, 5, 0, IM_8, WV, 0x83, 0x83, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "xor r/m,imm8",      0, 0, 0x83, 0x83, 6, 0, IM_8, WV, 0x83, 0x83, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "or r/m,imm8",       0, 0, 0x83, 0x83, 1, 0, IM_8, WV, 0x83, 0x83, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "cmp r/m,imm8",      0, 0, 0x83, 0x83, 7, 0, IM_8, WV, 0, 0, 0, T_REX2, 0 },
	{ "test r/m,r",        0, 0, 0x85, 0x84, -1, 0, IM_NONE, WALL, 0, 0, 0, T_REX2, 0 },
	{ "test r/m,imm",      0, 0, 0xf7, 0xf6, 0, 0, IM_Z, WALL, 0, 0, 0, T_REX2, 0 },
	{ "inc",               0, 0, 0xff, 0xfe, 0, 0, IM_NONE, WALL, 0xff, 0xfe, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "dec",               0, 0, 0xff, 0xfe, 1, 0, IM_NONE, WALL, 0xff, 0xfe, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "not",               0, 0, 0xf7, 0xf6, 2, 0, IM_NONE, WALL, 0xf7, 0xf6, 0, T_NDD | T_REX2 | T_M4, 0 },
	{ "neg",               0, 0, 0xf7, 0xf6, 3, 0, IM_NONE, WALL, 0xf7, 0xf6, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "mul",               0, 0, 0xf7, 0xf6, 4, 0, IM_NONE, WALL, 0xf7, 0xf6, 0, T_NF | T_REX2 | T_M4 | T_IMPLICIT, 1 },
	{ "imul1",             0, 0, 0xf7, 0xf6, 5, 0, IM_NONE, WALL, 0xf7, 0xf6, 0, T_NF | T_REX2 | T_M4 | T_IMPLICIT, 1 },
	{ "div",               0, 0, 0xf7, 0xf6, 6, 0, IM_NONE, WALL, 0xf7, 0xf6, 0, T_NF | T_REX2 | T_M4 | T_IMPLICIT | T_DIV, 1 },
	{ "idiv",              0, 0, 0xf7, 0xf6, 7, 0, IM_NONE, WALL, 0xf7, 0xf6, 0, T_NF | T_REX2 | T_M4 | T_IMPLICIT | T_DIV, 1 },
	{ "imul r,r/m",        1, 0, 0xaf, 0xaf, -1, 1, IM_NONE, WV, 0xaf, 0xaf, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "imul r,r/m,imm",    0, 0, 0x69, 0x69, -1, 1, IM_Z, WV, 0x69, 0x69, 0, T_NF | T_REX2 | T_M4 | T_ZU, 0 },
	{ "imul r,r/m,imm8",   0, 0, 0x6b, 0x6b, -1, 1, IM_8, WV, 0x6b, 0x6b, 0, T_NF | T_REX2 | T_M4 | T_ZU, 0 },
	{ "rol 1",             0, 0, 0xd1, 0xd0, 0, 0, IM_ONE, WALL, 0xd1, 0xd0, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "ror 1",             0, 0, 0xd1, 0xd0, 1, 0, IM_ONE, WALL, 0xd1, 0xd0, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "rcl 1",             0, 0, 0xd1, 0xd0, 2, 0, IM_ONE, WALL, 0xd1, 0xd0, 0, T_NDD | T_REX2 | T_M4, 0 },
	{ "rcr 1",             0, 0, 0xd1, 0xd0, 3, 0, IM_ONE, WALL, 0xd1, 0xd0, 0, T_NDD | T_REX2 | T_M4, 0 },
	{ "shl 1",             0, 0, 0xd1, 0xd0, 4, 0, IM_ONE, WALL, 0xd1, 0xd0, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "shr 1",             0, 0, 0xd1, 0xd0, 5, 0, IM_ONE, WALL, 0xd1, 0xd0, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "sal 1",             0, 0, 0xd1, 0xd0, 6, 0, IM_ONE, WALL, 0xd1, 0xd0, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "sar 1",             0, 0, 0xd1, 0xd0, 7, 0, IM_ONE, WALL, 0xd1, 0xd0, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "rol cl",            0, 0, 0xd3, 0xd2, 0, 0, IM_NONE, WALL, 0xd3, 0xd2, 0, T_NDD | T_NF | T_REX2 | T_M4 | T_CNT, 0 },
	{ "ror cl",            0, 0, 0xd3, 0xd2, 1, 0, IM_NONE, WALL, 0xd3, 0xd2, 0, T_NDD | T_NF | T_REX2 | T_M4 | T_CNT, 0 },
	{ "rcl cl",            0, 0, 0xd3, 0xd2, 2, 0, IM_NONE, WALL, 0xd3, 0xd2, 0, T_NDD | T_REX2 | T_M4 | T_CNT, 0 },
	{ "rcr cl",            0, 0, 0xd3, 0xd2, 3, 0, IM_NONE, WALL, 0xd3, 0xd2, 0, T_NDD | T_REX2 | T_M4 | T_CNT, 0 },
	{ "shl cl",            0, 0, 0xd3, 0xd2, 4, 0, IM_NONE, WALL, 0xd3, 0xd2, 0, T_NDD | T_NF | T_REX2 | T_M4 | T_CNT, 0 },
	{ "shr cl",            0, 0, 0xd3, 0xd2, 5, 0, IM_NONE, WALL, 0xd3, 0xd2, 0, T_NDD | T_NF | T_REX2 | T_M4 | T_CNT, 0 },
	{ "sal cl",            0, 0, 0xd3, 0xd2, 6, 0, IM_NONE, WALL, 0xd3, 0xd2, 0, T_NDD | T_NF | T_REX2 | T_M4 | T_CNT, 0 },
	{ "sar cl",            0, 0, 0xd3, 0xd2, 7, 0, IM_NONE, WALL, 0xd3, 0xd2, 0, T_NDD | T_NF | T_REX2 | T_M4 | T_CNT, 0 },
	{ "rol imm",           0, 0, 0xc1, 0xc0, 0, 0, IM_CNT8, WALL, 0xc1, 0xc0, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "ror imm",           0, 0, 0xc1, 0xc0, 1, 0, IM_CNT8, WALL, 0xc1, 0xc0, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "rcl imm",           0, 0, 0xc1, 0xc0, 2, 0, IM_CNT8, WALL, 0xc1, 0xc0, 0, T_NDD | T_REX2 | T_M4, 0 },
	{ "rcr imm",           0, 0, 0xc1, 0xc0, 3, 0, IM_CNT8, WALL, 0xc1, 0xc0, 0, T_NDD | T_REX2 | T_M4, 0 },
	{ "shl imm",           0, 0, 0xc1, 0xc0, 4, 0, IM_CNT8, WALL, 0xc1, 0xc0, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "shr imm",           0, 0, 0xc1, 0xc0, 5, 0, IM_CNT8, WALL, 0xc1, 0xc0, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "sal imm",           0, 0, 0xc1, 0xc0, 6, 0, IM_CNT8, WALL, 0xc1, 0xc0, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "sar imm",           0, 0, 0xc1, 0xc0, 7, 0, IM_CNT8, WALL, 0xc1, 0xc0, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "shld imm",          1, 0, 0xa4, 0xa4, -1, 0, IM_CNT8, WV, 0x24, 0x24, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "shld cl",           1, 0, 0xa5, 0xa5, -1, 0, IM_NONE, WV, 0xa5, 0xa5, 0, T_NDD | T_NF | T_REX2 | T_M4 | T_CNT, 0 },
	{ "shrd imm",          1, 0, 0xac, 0xac, -1, 0, IM_CNT8, WV, 0x2c, 0x2c, 0, T_NDD | T_NF | T_REX2 | T_M4, 0 },
	{ "shrd cl",           1, 0, 0xad, 0xad, -1, 0, IM_NONE, WV, 0xad, 0xad, 0, T_NDD | T_NF | T_REX2 | T_M4 | T_CNT, 0 },
	{ "bt r",              1, 0, 0xa3, 0xa3, -1, 0, IM_NONE, WV, 0, 0, 0, T_REX2 | T_BTMEM, 0 },
	{ "bts r",             1, 0, 0xab, 0xab, -1, 0, IM_NONE, WV, 0, 0, 0, T_REX2 | T_BTMEM, 0 },
	{ "btr r",             1, 0, 0xb3, 0xb3, -1, 0, IM_NONE, WV, 0, 0, 0, T_REX2 | T_BTMEM, 0 },
	{ "btc r",             1, 0, 0xbb, 0xbb, -1, 0, IM_NONE, WV, 0, 0, 0, T_REX2 | T_BTMEM, 0 },
	{ "bt imm",            1, 0, 0xba, 0xba, 4, 0, IM_CNT8, WV, 0, 0, 0, T_REX2, 0 },
	{ "bts imm",           1, 0, 0xba, 0xba, 5, 0, IM_CNT8, WV, 0, 0, 0, T_REX2, 0 },
	{ "btr imm",           1, 0, 0xba, 0xba, 6, 0, IM_CNT8, WV, 0, 0, 0, T_REX2, 0 },
	{ "btc imm",           1, 0, 0xba, 0xba, 7, 0, IM_CNT8, WV, 0, 0, 0, T_REX2, 0 },
	{ "bsf",               1, 0, 0xbc, 0xbc, -1, 1, IM_NONE, WV, 0, 0, 0, T_REX2, 0 },
	{ "bsr",               1, 0, 0xbd, 0xbd, -1, 1, IM_NONE, WV, 0, 0, 0, T_REX2, 0 },
	{ "popcnt",            1, 0xf3, 0xb8, 0xb8, -1, 1, IM_NONE, WV, 0x88, 0x88, 0, T_NF | T_REX2 | T_M4, 0 },
	{ "tzcnt",             1, 0xf3, 0xbc, 0xbc, -1, 1, IM_NONE, WV, 0xf4, 0xf4, 0, T_NF | T_REX2 | T_M4, 0 },
	{ "lzcnt",             1, 0xf3, 0xbd, 0xbd, -1, 1, IM_NONE, WV, 0xf5, 0xf5, 0, T_NF | T_REX2 | T_M4, 0 },
	{ "adcx",              2, 0x66, 0xf6, 0xf6, -1, 1, IM_NONE, W32 | W64, 0x66, 0x66, 1, T_NDD | T_M4, 0 },
	{ "adox",              2, 0xf3, 0xf6, 0xf6, -1, 1, IM_NONE, W32 | W64, 0x66, 0x66, 2, T_NDD | T_M4, 0 },
};

/* ------------------------------------------------------------------ */
/* VEX / EVEX-promoted BMI1/BMI2                                      */
/* ------------------------------------------------------------------ */

/* Roles: reg = rax, vvvv = rbx, rm = rcx or [rsi]. */
struct vtmpl {
	const char *name;
	uint8_t map, pp, opc;
	int8_t ext;       /* BLS*: ModRM.reg extension */
	bool imm;         /* RORX (no vvvv operand) */
	bool nf;          /* EVEX {nf} allowed */
	uint8_t bias;
};

static const struct vtmpl vtmpls[] = {
	{ "andn", 2, 0, 0xf2, -1, false, true, B_NONE },
	{ "bextr", 2, 0, 0xf7, -1, false, true, B_BEXTR_RBX },
	{ "blsr", 2, 0, 0xf3, 1, false, true, B_NONE },
	{ "blsmsk", 2, 0, 0xf3, 2, false, true, B_NONE },
	{ "blsi", 2, 0, 0xf3, 3, false, true, B_NONE },
	{ "bzhi", 2, 0, 0xf5, -1, false, true, B_CNT_RBX },
	{ "pext", 2, 2, 0xf5, -1, false, false, B_NONE },
	{ "pdep", 2, 3, 0xf5, -1, false, false, B_NONE },
	{ "mulx", 2, 3, 0xf6, -1, false, false, B_NONE },
	{ "shlx", 2, 1, 0xf7, -1, false, false, B_CNT_RBX },
	{ "sarx", 2, 2, 0xf7, -1, false, false, B_CNT_RBX },
	{ "shrx", 2, 3, 0xf7, -1, false, false, B_CNT_RBX },
	{ "rorx", 3, 3, 0xf0, -1, true, false, B_NONE },
};

static void emit_vex(struct emit *e, const struct vtmpl *t, unsigned w, bool mem, bool evex,
		     bool nf, bool egpr)
{
	unsigned v = t->imm ? 0 : R_NDD + (egpr ? 16 : 0); /* RORX: vvvv unused (1111) */
	unsigned reg = t->ext >= 0 ? (unsigned)t->ext : 0;

	if (evex) {
		uint8_t p0 = (uint8_t)(0xf0 | t->map);

		if (egpr) {
			if (t->ext < 0)
				p0 &= (uint8_t)~0x10;
			p0 |= 0x08;
		}
		put(e, 0x62);
		put(e, p0);
		put(e, (uint8_t)((w == 64 ? 0x80 : 0) | ((~v & 15) << 3) | 0x04 | t->pp));
		put(e, (uint8_t)(((v & 16) ? 0 : 0x08) | (nf ? 0x04 : 0)));
	} else {
		put(e, 0xc4);
		put(e, (uint8_t)(0xe0 | t->map));
		put(e, (uint8_t)((w == 64 ? 0x80 : 0) | ((~v & 15) << 3) | t->pp));
	}
	put(e, t->opc);
	put(e, mem ? modrm(0, reg, R_BASE) : modrm(3, reg, 1));
	if (t->imm)
		put_imm(e, 1);
}

static void run_vtmpl(const struct vtmpl *t)
{
	for (unsigned w = 32; w <= 64; w += 32) {
		for (unsigned mem = 0; mem < 2; mem++) {
			for (unsigned variant = 0; variant < 4; variant++) {
				/* 0 VEX, 1 EVEX, 2 EVEX {nf}, 3 EVEX + EGPRs */
				static const char *const vname[] = { "vex", "evex", "evex{nf}", "evex+egpr" };
				struct tcase tc;
				struct emit g, h;

#ifndef CONFIG_APX
				if (variant)
					break;
#endif
				if (variant == 2 && !t->nf)
					continue;
				memset(&tc, 0, sizeof(tc));
				g = (struct emit){ tc.g, 0, -1 };
				h = (struct emit){ tc.h, 0, -1 };
				emit_vex(&g, t, w, mem, variant > 0, variant == 2, variant == 3);
				if (variant == 2)
					put(&h, 0x9c);
				emit_vex(&h, t, w, mem, false, false, false);
				if (variant == 2)
					put(&h, 0x9d);
				tc.glen = g.n;
				tc.hlen = h.n;
				tc.gimm = g.imm_at;
				tc.himm = h.imm_at;
				tc.immlen = t->imm ? 1 : 0;
				tc.immkind = IMM_CNT;
				tc.bias = t->bias;
				tc.egpr = variant == 3;
				snprintf(tc.name, sizeof(tc.name), "%s %u%s %s", t->name, w,
					 mem ? " mem" : "", vname[variant]);
				do_case(&tc, t->name);
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* Fixed encodings: high-byte registers, CRC32, flag instructions     */
/* ------------------------------------------------------------------ */

/* Hex bytes (spaces ignored); "ii" is an immediate byte: *imm_at is the first, *imm_n the count. */
static int parse_hex(const char *s, uint8_t *out, int *imm_at, unsigned *imm_n)
{
	int n = 0;

	if (imm_at)
		*imm_at = -1;
	if (imm_n)
		*imm_n = 0;
	while (s[0] && s[1]) {
		unsigned v;

		if (s[0] == ' ') {
			s++;
			continue;
		}
		if (s[0] == 'i' && s[1] == 'i') {
			if (imm_at && *imm_at < 0)
				*imm_at = n;
			if (imm_n)
				(*imm_n)++;
			v = 0;
		} else if (sscanf(s, "%2x", &v) != 1) {
			return -1;
		}
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

struct fixed {
	const char *name;
	const char *g, *h;   /* h NULL: same bytes; "ii" marks immediate bytes (randomised) */
	uint8_t bias;
	bool apx;
	bool egpr;
};

static const struct fixed fixeds[] = {
	/* legacy high-byte registers */
	{ "add dh, ah", "00e6", NULL, B_NONE, false, false },
	{ "sub bh, ch", "28ef", NULL, B_NONE, false, false },
	{ "adc ah, [rsi]", "1226", NULL, B_NONE, false, false },
	{ "cmp ch, bh", "38fd", NULL, B_NONE, false, false },
	{ "test ah, dh", "84f4", NULL, B_NONE, false, false },
	{ "xor ah, imm", "80f4ii", NULL, B_NONE, false, false },
	{ "inc ah", "fec4", NULL, B_NONE, false, false },
	{ "neg bh", "f6df", NULL, B_NONE, false, false },
	{ "not ch", "f6d5", NULL, B_NONE, false, false },
	{ "mul ah", "f6e4", NULL, B_NONE, false, false },
	{ "imul ch", "f6ed", NULL, B_NONE, false, false },
	{ "div ch", "f6f5", NULL, B_DIV, false, false },
	{ "idiv bh", "f6ff", NULL, B_DIV, false, false },
	{ "shl ah, cl", "d2e4", NULL, B_CNT_RCX, false, false },
	{ "rcr ch, cl", "d2dd", NULL, B_CNT_RCX, false, false },
	{ "sar dh, imm", "c0feii", NULL, B_NONE, false, false },
	/* REX makes 4..7 spl..dil */
	{ "add dil, bpl (REX)", "4000ef", NULL, B_NONE, false, false },
	/* memory forms of the one-operand group */
	{ "mul qword [rsi]", "48f726", NULL, B_NONE, false, false },
	{ "idiv dword [rsi]", "f73e", NULL, B_DIV, false, false },
	{ "shl word [rsi], cl", "66d326", NULL, B_CNT_RCX, false, false },
	{ "rcl byte [rsi], imm", "c016ii", NULL, B_NONE, false, false },
	{ "shrd [rsi], edx, cl", "0fad16", NULL, B_CNT_RCX, false, false },
	{ "imul rax, [rsi], imm", "486b06ii", NULL, B_NONE, false, false },
	{ "bt qword [rsi], imm", "480fba26ii", NULL, B_NONE, false, false },
	/* LOCK (a no-op for a single vCPU) and the F6/F7 /1 TEST alias */
	{ "lock add [rsi], edx", "f00116", NULL, B_NONE, false, false },
	{ "lock sbb byte [rsi], imm", "f0801eii", NULL, B_NONE, false, false },
	{ "lock neg qword [rsi]", "f048f71e", NULL, B_NONE, false, false },
	{ "lock btc [rsi], rdx", "f0480fbb16", NULL, B_BTMEM, false, false },
	{ "lock inc word [rsi]", "f066ff06", NULL, B_NONE, false, false },
	{ "test al, imm (F6 /1)", "f6c8ii", NULL, B_NONE, false, false },
	{ "test ecx, imm (F7 /1)", "f7c9iiiiiiii", NULL, B_NONE, false, false },
	/* CRC32 (CRC-32C) */
	{ "crc32 eax, dl", "f20f38f0c2", NULL, B_NONE, false, false },
	{ "crc32 eax, dx", "66f20f38f1c2", NULL, B_NONE, false, false },
	{ "crc32 eax, edx", "f20f38f1c2", NULL, B_NONE, false, false },
	{ "crc32 rax, dl", "f2480f38f0c2", NULL, B_NONE, false, false },
	{ "crc32 rax, rdx", "f2480f38f1c2", NULL, B_NONE, false, false },
	{ "crc32 eax, byte [rsi]", "f20f38f006", NULL, B_NONE, false, false },
	{ "crc32 rax, qword [rsi]", "f2480f38f106", NULL, B_NONE, false, false },
	{ "crc32 eax, ah", "f20f38f0c4", NULL, B_NONE, false, false },
	{ "evex crc32 eax, dl", "62f47c08f0c2", "f20f38f0c2", B_NONE, true, false },
	{ "evex crc32 eax, dx", "62f47d08f1c2", "66f20f38f1c2", B_NONE, true, false },
	{ "evex crc32 eax, edx", "62f47c08f1c2", "f20f38f1c2", B_NONE, true, false },
	{ "evex crc32 rax, rdx", "62f4fc08f1c2", "f2480f38f1c2", B_NONE, true, false },
	{ "evex crc32 rax, byte [rsi]", "62f4fc08f006", "f2480f38f006", B_NONE, true, false },
	{ "evex crc32 r16, r18", "62ecfc08f1c2", "f2480f38f1c2", B_NONE, true, true },
	/* flag instructions */
	{ "lahf", "9f", NULL, B_NONE, false, false },
	{ "sahf", "9e", NULL, B_NONE, false, false },
	{ "clc", "f8", NULL, B_FLAGS_ALL, false, false },
	{ "stc", "f9", NULL, B_FLAGS_ALL, false, false },
	{ "cmc", "f5", NULL, B_FLAGS_ALL, false, false },
	{ "cld", "fc", NULL, B_FLAGS_ALL, false, false },
	{ "std", "fd", NULL, B_FLAGS_ALL, false, false },
	/* map-4 NDD with the destination also a source (read before write) */
	{ "ndd add rax, rax, rdx", "62f4fc1801d0", "4801d0", B_NONE, true, false },
	{ "ndd sub rdx, rax, rdx", "62f4ec1829d0", "50 4829d0 4889c2 58", B_NONE, true, false },
	{ "ndd sub dx, ax, dx (16-bit, zero upper)", "62f46d1829d0", "50 6629d0 0fb7d0 58", B_NONE, true, false },
	{ "ndd shl ecx, eax, cl", "62f47418d3e0", "50 d3e0 89c1 58", B_CNT_RCX, true, false },
	{ "ndd imul rdx, rdx, rax", "62f4ec18afd0", "480fafd0", B_NONE, true, false },
	{ "ndd adcx rdx, rdx, rax", "62f4ed1866d0", "66480f38f6d0", B_NONE, true, false },
	/* map-4 {nf} forms of the implicit-register group, imul.zu with an EGPR */
	{ "{nf} imul rcx", "62f4fc0cf7e9", "9c 48f7e9 9d", B_NONE, true, false },
	{ "{nf} idiv rcx", "62f4fc0cf7f9", "9c 48f7f9 9d", B_DIV, true, false },
	{ "imulzu r16w, r17w, imm", "62ec7d1869c1iiii", "66 69c1 iiii 0fb7c0", B_NONE, true, true },
	{ "rex2 mul rcx", "d508f7e1", "48f7e1", B_NONE, true, false },
	{ "rex2 div ecx", "d500f7f1", "f7f1", B_DIV, true, false },
};

static void run_fixed(const struct fixed *f)
{
	struct tcase tc;
	int n;

#ifndef CONFIG_APX
	if (f->apx)
		return;
#endif
	memset(&tc, 0, sizeof(tc));
	n = parse_hex(f->g, tc.g, &tc.gimm, &tc.immlen);
	tc.glen = (unsigned)n;
	n = parse_hex(f->h ? f->h : f->g, tc.h, &tc.himm, NULL);
	tc.hlen = (unsigned)n;
	tc.immkind = IMM_RAND;
	tc.bias = f->bias;
	tc.bias_w = 64; /* B_BTMEM in the fixed cases: 64-bit offsets */
	tc.egpr = f->egpr;
	snprintf(tc.name, sizeof(tc.name), "%s", f->name);
	do_case(&tc, f->name);
}

/* ------------------------------------------------------------------ */
/* Directed tests: exceptions, EGPR aliasing, values                  */
/* ------------------------------------------------------------------ */

static void guest_reset(void)
{
	vcpu_regfile_init(&gv.regs, NULL);
	gv.regs.rip = GCODE;
	gv.regs.rflags = 0x202;
	gv.regs.regs[4] = GRSP;
}

static enum x86_exit guest_exec(const char *hex)
{
	uint8_t code[32];
	int n = parse_hex(hex, code, NULL, NULL);

	memcpy(gram + GCODE, code, (size_t)n);
	gv.regs.rip = GCODE;
	return x86_step(&gc);
}

static void directed(void)
{
	enum x86_exit ex;
	struct vcpu_regfile before;

	/* A memory destination outside RAM: #PF, nothing written. */
	guest_reset();
	gv.regs.regs[6] = GRAM_SIZE + 0x100;
	gv.regs.regs[0] = 5;
	gv.regs.rflags = 0x202 | X86_FLAGS_CF;
	before = gv.regs;
	ex = guest_exec("0106"); /* add [rsi], eax */
	ok(ex == X86_EXIT_EXCEPTION && gc.exc.vector == X86_EXC_PF &&
	   !memcmp(&before, &gv.regs, sizeof(before)), "add [rsi], eax outside RAM: #PF, no change");

	/* BTS with a register offset far beyond the operand: the word moves, and may fault. */
	guest_reset();
	gv.regs.regs[6] = GMEM;
	gv.regs.regs[2] = (uint64_t)GRAM_SIZE * 8; /* bit offset: one RAM size further */
	memset(gram + GMEM, 0, 16);
	before = gv.regs;
	ex = guest_exec("480fab16"); /* bts [rsi], rdx */
	ok(ex == X86_EXIT_EXCEPTION && gc.exc.vector == X86_EXC_PF &&
	   gc.exc.cr2 >= GRAM_SIZE && !memcmp(&before, &gv.regs, sizeof(before)),
	   "bts [rsi], rdx with a huge offset: #PF at the selected word");
	guest_reset();
	gv.regs.regs[6] = GMEM + 64;
	gv.regs.regs[2] = (uint64_t)-65; /* bit -65: qword at -16 bytes, bit 63 */
	memset(gram + GMEM, 0, 128);
	ex = guest_exec("480fab16");
	ok(ex == X86_EXIT_NONE && gram[GMEM + 64 - 16 + 7] == 0x80 && !(gv.regs.rflags & 1),
	   "bts [rsi], rdx with offset -65 sets bit 63 of the qword at -16");

	/* DIV by zero: #DE, RIP stays. */
	guest_reset();
	gv.regs.regs[0] = 1;
	gv.regs.regs[1] = 0;
	before = gv.regs;
	ex = guest_exec("48f7f1");
	ok(ex == X86_EXIT_EXCEPTION && gc.exc.vector == X86_EXC_DE && gv.regs.rip == GCODE &&
	   !memcmp(&before, &gv.regs, sizeof(before)), "div rcx by zero: #DE, no change");
	/* IDIV quotient overflow: INT64_MIN / -1. */
	guest_reset();
	gv.regs.regs[0] = 0x8000000000000000ull;
	gv.regs.regs[2] = ~0ull;
	gv.regs.regs[1] = ~0ull;
	ex = guest_exec("48f7f9");
	ok(ex == X86_EXIT_EXCEPTION && gc.exc.vector == X86_EXC_DE, "idiv: INT64_MIN / -1 is #DE");
	/* IDIV: quotient exactly INT64_MIN is fine. */
	guest_reset();
	gv.regs.regs[0] = 0x8000000000000000ull;
	gv.regs.regs[2] = ~0ull;
	gv.regs.regs[1] = 1;
	ex = guest_exec("48f7f9");
	ok(ex == X86_EXIT_NONE && gv.regs.regs[0] == 0x8000000000000000ull && gv.regs.regs[2] == 0,
	   "idiv: INT64_MIN / 1");

#ifdef CONFIG_APX
	/* NDD with a faulting memory source: the destination is not written. */
	guest_reset();
	gv.regs.regs[6] = GRAM_SIZE;
	gv.regs.regs[3] = 0x1234;
	before = gv.regs;
	ex = guest_exec("62f4e41803 06"); /* add rbx, rax, [rsi] */
	ok(ex == X86_EXIT_EXCEPTION && gc.exc.vector == X86_EXC_PF &&
	   !memcmp(&before, &gv.regs, sizeof(before)), "ndd add rbx, rax, [rsi] faulting: no change");

	/* MULX with both destinations the same register: the high half wins. */
	guest_reset();
	gv.regs.regs[2] = 0xffffffffffffffffull;
	gv.regs.regs[1] = 3;
	ex = guest_exec("c4e2fbf6c1"); /* mulx rax, rax, rcx */
	ok(ex == X86_EXIT_NONE && gv.regs.regs[0] == 2, "mulx rax, rax, rcx: high half");

	/* EGPR NDD: add r31, r17, r25 (apx.md example). */
	guest_reset();
	gv.regs.regs[17] = 40;
	gv.regs.regs[25] = 2;
	gv.regs.regs[31] = ~0ull;
	ex = guest_exec("626c8410 01c9");
	ok(ex == X86_EXIT_NONE && gv.regs.regs[31] == 42, "add r31, r17, r25");
	/* 8-bit NDD zeroes bits 63:8: neg cl, al. */
	guest_reset();
	gv.regs.regs[0] = 0x1111111111111101ull;
	gv.regs.regs[1] = ~0ull;
	ex = guest_exec("62f47418f6d8");
	ok(ex == X86_EXIT_NONE && gv.regs.regs[1] == 0xff && (gv.regs.rflags & X86_FLAGS_CF),
	   "neg cl, al: 0xff, upper bits zero, CF");
	/* {nf} add keeps every flag. */
	guest_reset();
	gv.regs.rflags = 0x202 | X86_FLAGS_ARITH;
	gv.regs.regs[0] = 1;
	gv.regs.regs[3] = 2;
	ex = guest_exec("62f4fc0c01d8"); /* {nf} add rax, rbx */
	ok(ex == X86_EXIT_NONE && gv.regs.regs[0] == 3 && gv.regs.rflags == (0x202 | X86_FLAGS_ARITH),
	   "{nf} add rax, rbx: flags kept");
	/* shl with count 0 in NDD form copies the source, flags unchanged. */
	guest_reset();
	gv.regs.rflags = 0x202 | X86_FLAGS_CF | X86_FLAGS_OF;
	gv.regs.regs[0] = 0xffffffff12345678ull;
	gv.regs.regs[1] = 0;
	gv.regs.regs[3] = ~0ull;
	ex = guest_exec("62f46418d3e0"); /* shl ebx, eax, cl */
	ok(ex == X86_EXIT_NONE && gv.regs.regs[3] == 0x12345678 &&
	   gv.regs.rflags == (0x202 | X86_FLAGS_CF | X86_FLAGS_OF), "shl ebx, eax, 0: copy, flags kept");

	/* APX off: REX2 and EVEX map 4 are #UD. */
	guest_reset();
	gv.apx_enabled = false;
	ex = guest_exec("d51101c8");
	ok(ex == X86_EXIT_EXCEPTION && gc.exc.vector == X86_EXC_UD, "rex2 add with APX off: #UD");
	vcpu_update_apx(&gv);
#endif
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	if (argc > 1)
		iterations = (unsigned)strtoul(argv[1], NULL, 0);
	if (argc > 2)
		rng_state = strtoull(argv[2], NULL, 0) | 1;
	trace = getenv("ALU_TRACE") != NULL;
	host_code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (host_code == MAP_FAILED) {
		printf("1..0 # SKIP cannot map executable memory\n");
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigfpe;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGFPE, &sa, NULL);
	guest_init();

	for (unsigned i = 0; i < ARRAY_SIZE(tmpls); i++)
		run_tmpl(&tmpls[i]);
	for (unsigned i = 0; i < ARRAY_SIZE(vtmpls); i++)
		run_vtmpl(&vtmpls[i]);
	for (unsigned i = 0; i < ARRAY_SIZE(fixeds); i++)
		run_fixed(&fixeds[i]);
	for (unsigned i = 0; i < ngroups; i++)
		ok(!groups[i].failed, "%s (%u/%u encodings agree with the host over %u inputs each)",
		   groups[i].name, groups[i].cases - groups[i].failed, groups[i].cases, iterations);
	directed();
	host_vendor_report();
	return done_testing();
}
#endif
