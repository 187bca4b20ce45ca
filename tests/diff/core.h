/* SPDX-License-Identifier: MIT */
/*
 * Differential test core: random numbers, the two memories (native window
 * and the interpreter's RAM), running the interpreter, comparing the native
 * outcome with the interpreter's and reporting failures.
 */
#ifndef APXVM_TESTS_DIFF_CORE_H
#define APXVM_TESTS_DIFF_CORE_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86/interp.h"
#include "sandbox.h"

/* ---- random numbers: xoshiro256** ---- */

static uint64_t rng_s[4];

static uint64_t rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rnd(void)
{
	uint64_t r = rotl64(rng_s[1] * 5, 7) * 9, t = rng_s[1] << 17;

	rng_s[2] ^= rng_s[0];
	rng_s[3] ^= rng_s[1];
	rng_s[1] ^= rng_s[2];
	rng_s[0] ^= rng_s[3];
	rng_s[2] ^= t;
	rng_s[3] = rotl64(rng_s[3], 45);
	return r;
}

static void rnd_seed(uint64_t seed)
{
	for (int i = 0; i < 4; i++) {
		seed += UINT64_C(0x9e3779b97f4a7c15);
		uint64_t z = seed;
		z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
		z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
		rng_s[i] = z ^ (z >> 31);
	}
}

/* Uniform in [0, n). */
static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* True with probability num/den. */
static bool rnd_chance(unsigned num, unsigned den)
{
	return rnd_below(den) < num;
}

static uint64_t wmask(unsigned bits)
{
	return bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
}

/* An interesting value of `bits` bits: edges (0, 1, -1, sign boundaries...) or random. */
static uint64_t rnd_edge(unsigned bits)
{
	uint64_t m = wmask(bits), sign = UINT64_C(1) << (bits - 1);

	switch (rnd_below(16)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return m;               /* -1 */
	case 3: return m - 1;           /* -2 */
	case 4: return sign;            /* 0x80.. */
	case 5: return sign - 1;        /* 0x7f.. */
	case 6: return sign + 1;
	case 7: return rnd_below(256);
	case 8: return (UINT64_C(1) << rnd_below(bits)) & m;
	case 9: return (m - rnd_below(256)) & m;
	case 10: return rnd() & (m >> 1); /* positive */
	case 11: return (rnd() | sign) & m; /* negative */
	case 12: return 2;
	default: return rnd() & m;
	}
}

/* A 64-bit register value whose low `bits` are interesting. */
static uint64_t rnd_reg_value(unsigned bits)
{
	uint64_t lo, hi;

	if (rnd_chance(1, 4))
		return rnd();
	lo = rnd_edge(bits);
	if (bits >= 64)
		return lo;
	switch (rnd_below(4)) {
	case 0: hi = 0; break;
	case 1: hi = ~UINT64_C(0); break;
	default: hi = rnd(); break;
	}
	return (hi & ~wmask(bits)) | lo;
}

/* Shift/rotate counts: 0, 1, w-1, w, w+1, > w, and the 5/6-bit mask edges. */
static uint8_t rnd_count(unsigned w)
{
	static const uint8_t fixed[] = { 0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 0xff };

	switch (rnd_below(4)) {
	case 0: return (uint8_t)(w - 1);
	case 1: return (uint8_t)(rnd_below(3) + w - 1); /* w-1, w, w+1 */
	case 2: return fixed[rnd_below(sizeof(fixed))];
	default: return (uint8_t)rnd();
	}
}

/* ---- flags ---- */

#define FL_CF 0x1u
#define FL_PF 0x4u
#define FL_AF 0x10u
#define FL_ZF 0x40u
#define FL_SF 0x80u
#define FL_TF 0x100u
#define FL_IF 0x200u
#define FL_DF 0x400u
#define FL_OF 0x800u
#define FL_NT 0x4000u
#define FL_RF 0x10000u
#define FL_AC 0x40000u
#define FL_ARITH (FL_CF | FL_PF | FL_AF | FL_ZF | FL_SF | FL_OF)
/* Compared RFLAGS bits: everything but RF (set in the image of a faulting instruction). */
#define FL_COMPARE (0x3fffffu & ~FL_RF)

/* Input RFLAGS: random arithmetic flags and DF; IF=1 (CPL 3), never TF/AC. */
static uint64_t rnd_rflags(void)
{
	uint64_t f = 0x202 | (rnd() & FL_ARITH);

	if (rnd_chance(1, 4))
		f |= FL_DF;
	return f;
}

static void flags_str(uint64_t f, char *buf)
{
	static const struct { uint64_t bit; const char *name; } names[] = {
		{ FL_OF, "OF" }, { FL_DF, "DF" }, { FL_SF, "SF" }, { FL_ZF, "ZF" },
		{ FL_AF, "AF" }, { FL_PF, "PF" }, { FL_CF, "CF" }, { FL_TF, "TF" },
		{ FL_NT, "NT" }, { FL_AC, "AC" }, { FL_RF, "RF" }, { 1u << 21, "ID" },
	};

	buf[0] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (f & names[i].bit) {
			if (buf[0])
				strcat(buf, " ");
			strcat(buf, names[i].name);
		}
	}
	if (!buf[0])
		strcpy(buf, "-");
}

/* ---- the two memories ---- */

/* Regions compared after every test (everything the generator points at). */
#define HOT1_BASE  UINT64_C(0x116000)
#define HOT1_END   UINT64_C(0x11c000)
#define HOT2_BASE  UINT64_C(0x1fe000)
#define HOT2_END   DIFF_RAM_SIZE
#define DATA_CENTER UINT64_C(0x118800)  /* memory operands around here */
#define STACK_TOP   UINT64_C(0x11a800)  /* RSP around here */

static uint8_t *dm_ram;  /* the interpreter's RAM: [0, DIFF_RAM_SIZE) */
static uint64_t dm_diff_at;              /* last memory difference, for reports */
static uint8_t dm_diff_host[24], dm_diff_interp[24];

static uint8_t *dm_native(uint64_t addr)
{
	return (uint8_t *)(uintptr_t)addr;
}

/* Write the same bytes at `addr` in both memories (inside the data window). */
static void dm_write(uint64_t addr, const void *src, size_t n)
{
	if (addr < DIFF_DATA_BASE || addr + n > DIFF_RAM_SIZE || addr + n < addr)
		return;
	memcpy(dm_native(addr), src, n);
	memcpy(dm_ram + addr, src, n);
}

static void dm_randomize(uint64_t addr, size_t n)
{
	uint8_t buf[512];

	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);

		for (size_t i = 0; i < k; i += 8) {
			uint64_t v = rnd_chance(1, 8) ? rnd_reg_value(64) : rnd();

			memcpy(buf + i, &v, k - i < 8 ? k - i : 8);
		}
		/* Clip to the data window. */
		uint64_t lo = addr < DIFF_DATA_BASE ? DIFF_DATA_BASE : addr;
		uint64_t hi = addr + k > DIFF_RAM_SIZE ? DIFF_RAM_SIZE : addr + k;

		if (lo < hi)
			dm_write(lo, buf + (lo - addr), hi - lo);
		addr += k;
		n -= k;
	}
}

static void dm_write64(uint64_t addr, uint64_t v)
{
	dm_write(addr, &v, 8);
}

static void dm_init(void)
{
	dm_ram = calloc(1, DIFF_RAM_SIZE);
	if (!dm_ram)
		abort();
	memset(dm_ram + DIFF_CODE_BASE, 0xcc, DIFF_CODE_SIZE);
	dm_randomize(DIFF_DATA_BASE, DIFF_RAM_SIZE - DIFF_DATA_BASE);
}

/* Place the instruction under test in both memories. */
static void dm_put_insn(const uint8_t *b, unsigned len)
{
	memcpy(dm_native(DIFF_INSN_ADDR), b, len);
	memcpy(dm_ram + DIFF_INSN_ADDR, b, len);
}

static void dm_clear_insn(unsigned len)
{
	memset(dm_native(DIFF_INSN_ADDR), 0xcc, len);
	memset(dm_ram + DIFF_INSN_ADDR, 0xcc, len);
}

/*
 * Compare [lo, hi) of both memories.  Returns true when equal; otherwise
 * fills *where with the first differing address and copies native -> RAM.
 */
static bool dm_compare(uint64_t lo, uint64_t hi, uint64_t *where)
{
	if (!memcmp(dm_native(lo), dm_ram + lo, hi - lo))
		return true;
	for (uint64_t a = lo; a < hi; a++) {
		if (*dm_native(a) != dm_ram[a]) {
			*where = a;
			break;
		}
	}
	/* Keep a copy of both sides around the first difference for the report. */
	dm_diff_at = *where;
	for (unsigned i = 0; i < sizeof(dm_diff_host); i++) {
		uint64_t a = *where - 8 + i;

		dm_diff_host[i] = a >= lo && a < hi ? *dm_native(a) : 0;
		dm_diff_interp[i] = a >= lo && a < hi ? dm_ram[a] : 0;
	}
	memcpy(dm_ram + lo, dm_native(lo), hi - lo);
	return false;
}

/* ---- the interpreter ---- */

static struct vcpu di_v;
static struct x86_cpu di_c;

static void di_init(void)
{
	memset(&di_v, 0, sizeof(di_v));
	memset(&di_c, 0, sizeof(di_c));
	vcpu_regfile_init(&di_v.regs, NULL);
	di_v.cpl = 3;
	di_v.cr0 = 0x80050033; /* PE MP ET NE WP AM PG, as Linux runs */
	di_v.cr4 = X86_CR4_OSXSAVE;
	di_v.efer = 0xd01;     /* SCE LME LMA NXE */
	di_v.cpuid_apx = true;
	di_v.xcr0 = X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_APX;
	vcpu_update_apx(&di_v);
	di_v.fs_base = dn_fs_base;
	di_v.gs_base = dn_gs_base;
	di_c.v = &di_v;
	di_c.ram = dm_ram;
	di_c.ram_size = DIFF_RAM_SIZE;
}

/* ---- outcomes ---- */

enum out_kind {
	OUT_DONE,      /* retired; rip is the next instruction */
	OUT_EXC,       /* exception `vector` (state as the handler would see it) */
	OUT_SKIP,      /* not comparable (outside the sandbox, watchdog) */
	OUT_INTERNAL,  /* interpreter: X86_EXIT_INTERNAL or did not finish */
	OUT_OTHER,     /* interpreter: HLT/LIMIT/STOP */
};

struct outcome {
	int kind;
	int vector;
	uint64_t r[32];
	uint64_t rflags, rip;
	uint64_t cr2;        /* #PF address */
	uint32_t err;        /* error code when known */
	const char *why;     /* OUT_SKIP / OUT_INTERNAL reason */
};

static int trap_vector(uint64_t trapno)
{
	return (int)trapno;
}

/*
 * Turn a native signal into an outcome.  `len` is the length of the
 * instruction at DIFF_INSN_ADDR.
 */
static void native_outcome(const struct dn_result *n, unsigned len, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	memcpy(o->r, n->r, sizeof(n->r));
	o->rflags = n->rflags;
	o->rip = n->rip;
	if (n->kind == DN_TIMEOUT) {
		o->kind = OUT_SKIP;
		o->why = "native watchdog (loops)";
		return;
	}
	if (n->signo == SIGTRAP && n->trapno == 3) {
		uint64_t at = n->rip - 1;

		if (at - DIFF_INSN_ADDR < len) {
			/* The instruction itself was an INT3: a trap, RIP after it. */
			o->kind = OUT_EXC;
			o->vector = 3;
			return;
		}
		/* The INT3 filler behind the instruction (or at a branch target). */
		o->kind = OUT_DONE;
		o->rip = at;
		return;
	}
	o->vector = trap_vector(n->trapno);
	o->err = (uint32_t)n->err;
	if (o->vector == 14) {
		o->cr2 = n->addr;
		if ((n->err & 0x10) && n->rip != DIFF_INSN_ADDR) {
			/* Fetch fault at a branch target: the instruction retired. */
			o->kind = OUT_DONE;
			return;
		}
	}
	o->kind = OUT_EXC;
}

/* Run the interpreter on the instruction at DIFF_INSN_ADDR. */
static void interp_run(const uint64_t r[32], uint64_t rflags, struct outcome *o)
{
	enum x86_exit ex = X86_EXIT_NONE;
	unsigned steps = 0;

	memset(o, 0, sizeof(*o));
	vcpu_regfile_init(&di_v.regs, NULL);
	for (unsigned i = 0; i < NR_VCPU_GENERAL_PURPOSE_REGS && i < 32; i++)
		di_v.regs.regs[i] = r[i];
	di_v.regs.rflags = rflags;
	di_v.regs.rip = DIFF_INSN_ADDR;
	memset(&di_c.exc, 0, sizeof(di_c.exc));
	di_c.why = NULL;
	/* REP string instructions may retire one iteration per step: run until RIP moves. */
	do {
		ex = x86_step(&di_c);
		steps++;
	} while (ex == X86_EXIT_NONE && di_v.regs.rip == DIFF_INSN_ADDR && steps < 100000);

	for (unsigned i = 0; i < NR_VCPU_GENERAL_PURPOSE_REGS && i < 32; i++)
		o->r[i] = di_v.regs.regs[i];
	o->rflags = di_v.regs.rflags;
	o->rip = di_v.regs.rip;
	switch (ex) {
	case X86_EXIT_NONE:
		o->kind = di_v.regs.rip == DIFF_INSN_ADDR ? OUT_INTERNAL : OUT_DONE;
		if (o->kind == OUT_INTERNAL)
			o->why = "did not leave the instruction in 100000 steps";
		break;
	case X86_EXIT_EXCEPTION:
		o->kind = OUT_EXC;
		o->vector = di_c.exc.vector;
		o->err = di_c.exc.error;
		o->cr2 = di_c.exc.cr2;
		break;
	case X86_EXIT_INTERNAL:
		o->kind = OUT_INTERNAL;
		o->why = di_c.why ? di_c.why : "internal";
		break;
	default:
		o->kind = OUT_OTHER;
		o->why = ex == X86_EXIT_HLT ? "HLT" : ex == X86_EXIT_LIMIT ? "LIMIT" : "STOP";
		break;
	}
}

/* ---- per-group statistics and reporting ---- */

enum mis_cat {
	MIS_UD,        /* interpreter #UD where the host executed it (not implemented?) */
	MIS_EXC,       /* exception differs (vector, or one side faulted) */
	MIS_REG,       /* a GPR differs */
	MIS_FLAGS,     /* RFLAGS differ (defined flags) */
	MIS_RIP,
	MIS_MEM,
	MIS_INTERNAL,  /* interpreter internal error / did not finish */
	MIS_NR
};

static const char *const mis_names[MIS_NR] = {
	"#UD-in-interp", "exception", "gpr", "flags", "rip", "memory", "internal",
};

struct group_stat {
	char name[32];
	uint64_t tests, pass, skip;
	uint64_t mis[MIS_NR];
	uint64_t mismatches;
	uint64_t undef_diff;      /* tests where only masked (undefined) flags differed */
	uint64_t undef_bits;      /* which masked flags differed */
	uint64_t done, exc[32];   /* host outcomes: retired, exceptions by vector */
	unsigned printed;
};

#define MAX_GROUPS 512
static struct group_stat groups[MAX_GROUPS];
static unsigned ngroups;

static struct group_stat *group_get(const char *name)
{
	for (unsigned i = 0; i < ngroups; i++)
		if (!strcmp(groups[i].name, name))
			return &groups[i];
	if (ngroups == MAX_GROUPS)
		abort();
	snprintf(groups[ngroups].name, sizeof(groups[ngroups].name), "%s", name);
	return &groups[ngroups++];
}

static unsigned diff_print_limit = 2;  /* full failure reports per group */
static unsigned diff_print_total;
static unsigned diff_print_max = 60;   /* full failure reports overall */

static const char *const gpr_names[32] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	"r16", "r17", "r18", "r19", "r20", "r21", "r22", "r23",
	"r24", "r25", "r26", "r27", "r28", "r29", "r30", "r31",
};

static void outcome_str(const struct outcome *o, char *buf, size_t n)
{
	char fl[96];

	flags_str(o->rflags, fl);
	switch (o->kind) {
	case OUT_DONE:
		snprintf(buf, n, "retired, rip=0x%" PRIx64 " rflags=0x%" PRIx64 " [%s]", o->rip,
			 o->rflags, fl);
		break;
	case OUT_EXC:
		snprintf(buf, n, "exception vector %d err=0x%x cr2=0x%" PRIx64 " rip=0x%" PRIx64
			 " rflags=0x%" PRIx64 " [%s]", o->vector, o->err, o->cr2, o->rip, o->rflags, fl);
		break;
	default:
		snprintf(buf, n, "%s (%s) rip=0x%" PRIx64, o->kind == OUT_SKIP ? "skip" :
			 o->kind == OUT_INTERNAL ? "internal" : "other", o->why ? o->why : "",
			 o->rip);
		break;
	}
}

/* One comparison's full description, for a failure report. */
struct diff_report {
	const char *group;
	const uint8_t *nbytes;   /* native instruction */
	unsigned nlen;
	const uint8_t *ibytes;   /* interpreter instruction (same as native for legacy) */
	unsigned ilen;
	const uint64_t *nin;     /* native input GPRs (16) */
	const uint64_t *iin;     /* interpreter input GPRs (32) */
	uint64_t rflags_in;
	const struct outcome *exp, *got;
	uint64_t flag_mask;      /* compared flags */
	uint64_t mem_where;      /* first differing byte, if memory differed */
	bool mem_bad;
	const char *note;        /* what "expected" means (APX transform) */
	bool has_mem_in;         /* input bytes of the explicit memory operand */
	uint64_t mem_in_addr;
	uint8_t mem_in[16];
};

static void hex_str(const uint8_t *b, unsigned n, char *out)
{
	for (unsigned i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	out[2 * n] = 0;
}

static void disasm(const uint8_t *b, unsigned n, char *out, unsigned size)
{
	struct x86_insn in;

	if (x86_decode(b, n, X86_MODE_64, &in) != X86_OK)
		snprintf(out, size, "(does not decode)");
	else
		x86_format_intel(&in, DIFF_INSN_ADDR, out, size);
}

static void report_failure(const struct diff_report *d, unsigned cats)
{
	char hex[40], dis[128], ob[256], fl[96];

	hex_str(d->nbytes, d->nlen, hex);
	disasm(d->nbytes, d->nlen, dis, sizeof(dis));
	printf("# MISMATCH [%s]", d->group);
	for (int c = 0; c < MIS_NR; c++)
		if (cats & (1u << c))
			printf(" %s", mis_names[c]);
	printf("\n#   native insn: %s  %s\n", hex, dis);
	if (d->ibytes != d->nbytes) {
		hex_str(d->ibytes, d->ilen, hex);
		disasm(d->ibytes, d->ilen, dis, sizeof(dis));
		printf("#   interp insn: %s  %s\n", hex, dis);
	}
	if (d->note)
		printf("#   expected = %s\n", d->note);
	flags_str(d->rflags_in, fl);
	printf("#   input: rflags=0x%" PRIx64 " [%s]\n", d->rflags_in, fl);
	for (int i = 0; i < 16; i += 4)
		printf("#     %-3s=%016" PRIx64 " %-3s=%016" PRIx64 " %-3s=%016" PRIx64 " %-3s=%016" PRIx64 "\n",
		       gpr_names[i], d->nin[i], gpr_names[i + 1], d->nin[i + 1],
		       gpr_names[i + 2], d->nin[i + 2], gpr_names[i + 3], d->nin[i + 3]);
	if (d->ibytes != d->nbytes)
		for (int i = 0; i < (int)NR_VCPU_GENERAL_PURPOSE_REGS; i++)
			if (i >= 16 || d->iin[i] != d->nin[i])
				if (i < 16 || d->iin[i])
					printf("#     interp %s=%016" PRIx64 "\n", gpr_names[i], d->iin[i]);
	if (d->has_mem_in) {
		hex_str(d->mem_in, sizeof(d->mem_in), ob);
		printf("#     memory operand at 0x%" PRIx64 ": %s\n", d->mem_in_addr, ob);
	}
	outcome_str(d->exp, ob, sizeof(ob));
	printf("#   expected (host): %s\n", ob);
	printf("#     %s changed:", d->ibytes != d->nbytes ? "expected" : "host");
	for (int i = 0; i < (int)NR_VCPU_GENERAL_PURPOSE_REGS; i++)
		if (d->exp->r[i] != d->iin[i])
			printf(" %s=%" PRIx64, gpr_names[i], d->exp->r[i]);
	printf("\n");
	outcome_str(d->got, ob, sizeof(ob));
	printf("#   interpreter:     %s\n", ob);
	for (int i = 0; i < (int)NR_VCPU_GENERAL_PURPOSE_REGS; i++) {
		if (d->exp->r[i] != d->got->r[i])
			printf("#     %-3s expected %016" PRIx64 " got %016" PRIx64 "\n", gpr_names[i],
			       d->exp->r[i], d->got->r[i]);
	}
	if ((d->exp->rflags ^ d->got->rflags) & d->flag_mask) {
		flags_str((d->exp->rflags ^ d->got->rflags) & d->flag_mask, fl);
		printf("#     flags differ: %s (compared mask 0x%" PRIx64 ")\n", fl, d->flag_mask);
	}
	if (d->mem_bad) {
		printf("#     memory differs first at 0x%" PRIx64 "; bytes from 0x%" PRIx64 ":\n",
		       d->mem_where, d->mem_where - 8);
		hex_str(dm_diff_host, sizeof(dm_diff_host), ob);
		printf("#       host   %s\n", ob);
		hex_str(dm_diff_interp, sizeof(dm_diff_interp), ob);
		printf("#       interp %s\n", ob);
	}
}

/* Why cases were skipped (reasons are static strings). */
static struct { const char *why; uint64_t n; } skip_why[16];

static void skip_count(const char *why)
{
	for (unsigned i = 0; i < 16; i++) {
		if (!skip_why[i].why || !strcmp(skip_why[i].why, why ? why : "?")) {
			skip_why[i].why = why ? why : "?";
			skip_why[i].n++;
			return;
		}
	}
}

/*
 * Compare expected (host-derived) and interpreter outcomes.  `flag_mask` is the
 * set of RFLAGS bits compared; `undef` the flags masked as undefined (only
 * counted).  Memory is compared over the hot regions.  Returns true on match.
 */
static bool compare_outcomes(struct diff_report *d, struct group_stat *g, uint64_t undef)
{
	const struct outcome *e = d->exp, *o = d->got;
	unsigned cats = 0;
	uint64_t where = 0;

	g->tests++;
	if (e->kind == OUT_SKIP) {
		skip_count(e->why);
		/* Not comparable: resynchronise the memories so the next case starts equal. */
		dm_compare(HOT1_BASE, HOT1_END, &where);
		dm_compare(HOT2_BASE, HOT2_END, &where);
		g->skip++;
		return true;
	}
	if (e->kind == OUT_DONE)
		g->done++;
	else if (e->kind == OUT_EXC)
		g->exc[e->vector & 31]++;
	if (o->kind == OUT_INTERNAL || o->kind == OUT_OTHER) {
		cats |= 1u << MIS_INTERNAL;
	} else if (e->kind != o->kind || (e->kind == OUT_EXC && e->vector != o->vector)) {
		if (o->kind == OUT_EXC && o->vector == X86_EXC_UD)
			cats |= 1u << MIS_UD;
		else
			cats |= 1u << MIS_EXC;
	} else {
		if (e->kind == OUT_EXC && e->vector == 14 && e->cr2 != o->cr2)
			cats |= 1u << MIS_EXC;
		for (unsigned i = 0; i < NR_VCPU_GENERAL_PURPOSE_REGS; i++)
			if (e->r[i] != o->r[i])
				cats |= 1u << MIS_REG;
		if ((e->rflags ^ o->rflags) & d->flag_mask)
			cats |= 1u << MIS_FLAGS;
		if (e->rip != o->rip)
			cats |= 1u << MIS_RIP;
	}
	d->mem_bad = false;
	if (!dm_compare(HOT1_BASE, HOT1_END, &where) || !dm_compare(HOT2_BASE, HOT2_END, &where)) {
		if (!cats || !(cats & ((1u << MIS_UD) | (1u << MIS_INTERNAL))))
			cats |= 1u << MIS_MEM;
		d->mem_bad = true;
		d->mem_where = where;
	}
	if (!cats) {
		g->pass++;
		if ((e->rflags ^ o->rflags) & undef) {
			g->undef_diff++;
			g->undef_bits |= (e->rflags ^ o->rflags) & undef;
		}
		return true;
	}
	g->mismatches++;
	for (int c = 0; c < MIS_NR; c++)
		if (cats & (1u << c))
			g->mis[c]++;
	if (g->printed < diff_print_limit && diff_print_total < diff_print_max) {
		g->printed++;
		diff_print_total++;
		report_failure(d, cats);
	}
	return false;
}

#endif
