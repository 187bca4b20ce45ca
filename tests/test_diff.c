/* SPDX-License-Identifier: MIT */
/*
 * Differential test of the software vCPU against the host CPU.
 *
 * 1. Legacy general-purpose instructions (templates from legacy.tsv, see
 *    tests/diff/legacy.h and the rule in tests/diff/iclass.h) run natively in
 *    a sandbox inside this process (tests/diff/sandbox.h) and in the
 *    interpreter (x86_step) from the same registers, flags and memory; all
 *    GPRs, RFLAGS (minus the flags the SDM calls undefined for the
 *    instruction, unless the interpreter is known to match this host),
 *    RIP, the exception and the memory are compared.
 * 2. APX equivalence (tests/diff/apx.h): REX2 with EGPRs = the legacy
 *    instruction on renamed registers; NDD = the legacy operation on a copy
 *    plus the zero-extending destination write; NF = the legacy operation
 *    with the flags kept.  The legacy instruction runs natively.
 *
 * Environment: DIFF_N (legacy comparisons, default 1000000), DIFF_APX_N
 * (APX comparisons, default 300000), DIFF_SEED, DIFF_STRICT=1 (compare
 * undefined flags too), DIFF_VERBOSE=N (full failure reports per group),
 * DIFF_ONLY=iclass (one iclass or APX family only), VECTORS (directory of legacy.tsv).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cpuid.h>

#include "host_cpu.h"
#include "tap.h"
#include "diff/sandbox.h"
#include "diff/core.h"
#include "diff/iclass.h"
#include "diff/legacy.h"
#include "diff/apx.h"

static bool diff_strict, diff_loose, diff_quirks_mask;

/*
 * Host features the generated instructions need.  Without them the host
 * would #UD or run something else (TZCNT is BSF without BMI1): such
 * iclasses are left out and reported.  Undefined flags are compared on an
 * Intel host only (tests/host_cpu.h).
 */
static bool host_popcnt, host_lzcnt, host_bmi1, host_adx, host_cx16, host_lahf;

static void host_features(void)
{
	unsigned a, b, c, d;

	if (__get_cpuid(1, &a, &b, &c, &d)) {
		host_popcnt = c & (1u << 23);
		host_cx16 = c & (1u << 13);
	}
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
		host_bmi1 = b & (1u << 3);
		host_adx = b & (1u << 19);
	}
	if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
		host_lzcnt = c & (1u << 5);
		host_lahf = c & 1;
	}
}

/* Is the iclass (or APX family) runnable on this host? */
static bool host_has(const char *name)
{
	if (!strcmp(name, "popcnt") || !strcmp(name, "cnt"))
		return host_popcnt && host_lzcnt && (host_bmi1 || strcmp(name, "cnt"));
	if (!strcmp(name, "lzcnt"))
		return host_lzcnt;
	if (!strcmp(name, "tzcnt"))
		return host_bmi1;
	if (!strcmp(name, "adx"))
		return host_adx;
	if (!strcmp(name, "cmpxchg16b") || !strcmp(name, "cmpxchg16b_lock"))
		return host_cx16;
	if (!strcmp(name, "lahf") || !strcmp(name, "sahf"))
		return host_lahf;
	return true;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : def;
}

/* The shift count as encoded (imm8, CL, or the implicit 1). */
static unsigned case_count(const struct gcase *g)
{
	const struct x86_insn *in = &g->in;

	for (unsigned i = 1; i < in->nops; i++) {
		if (in->ops[i].kind == X86_OPK_IMM)
			return (unsigned)in->ops[i].imm & 0xff;
		if (in->ops[i].kind == X86_OPK_REG && in->ops[i].reg.cls == X86_RC_GPR8 &&
		    in->ops[i].reg.num == 1 && i + 1 == in->nops)
			return (unsigned)(g->r[1] & 0xff);
	}
	return 1;
}

/*
 * DIFF_QUIRKS=mask: accept the interpreter's precise-exception state where
 * this host leaves implementation-specific state after a REP string
 * instruction faults (see the report in the test output):
 *  - REPE/REPNE CMPS/SCAS faulting after some iterations: the host's RFLAGS
 *    are those from before the instruction;
 *  - with a 67 prefix, a fault before the first iteration still writes ECX
 *    (zero-extending RCX), and for MOVS/STOS also ESI/EDI.
 * By default these are compared like everything else.
 */
static void apply_rep_fault_quirks(const struct gcase *g, struct outcome *exp,
				   const struct outcome *got)
{
	static const unsigned regs[] = { 1, 6, 7 };

	exp->rflags = (exp->rflags & ~(uint64_t)FL_ARITH) | (got->rflags & FL_ARITH);
	for (unsigned i = 0; i < 3; i++) {
		unsigned r = regs[i];

		if (g->in.asize == 32 && (exp->r[r] & 0xffffffff) == (got->r[r] & 0xffffffff))
			exp->r[r] = got->r[r];
	}
}

/*
 * Not Intel: encodings whose defined behaviour differs by vendor, not run
 * on the host (counted in the "# vendor" line).  Returns the reason or NULL.
 *  - 66 on a near JMP/Jcc/CALL/RET/LOOPcc/JrCXZ in 64-bit mode (without
 *    REX.W): Intel ignores it (operand size 64, rel32 stays rel32), AMD makes
 *    the operand size 16 (rel16, 2-byte pushes/pops, RIP truncated to 16
 *    bits).  Intel SDM Vol. 2 JMP/Jcc/CALL/RET; AMD APM Vol. 3 (near branches
 *    in 64-bit mode); intelxed/xed#64.
 *  - F3 REX.B 90: Intel decodes PAUSE (XED: XCHG needs "not_refining_f3",
 *    intelxed/xed#297), AMD executes XCHG r8, rAX (DynamoRIO#5442 lists both
 *    decodings).
 *  - F2/F3 on LOOPE/LOOPNE: ignored by Intel; this AMD host (EPYC) uses the
 *    prefix's condition instead (F3: loop while ZF=1, F2: while ZF=0),
 *    measured.  Neither manual defines a REP prefix on LOOPcc.
 *  - An FS/GS access whose offset (base + index + disp, before the segment
 *    base) is non-canonical but whose linear address is canonical: Intel
 *    checks the linear address only (SDM Vol. 3 3.4.4: "the resulting linear
 *    address must be canonical"), AMD raises #GP for the offset (measured).
 *  - 16-bit MOVSXD (66 63 /r) from memory: Intel reads 2 bytes (SDM: MOVSXD
 *    r16, r/m16), AMD 4 (APM: MOVSXD reg, reg/mem32; measured) and keeps the
 *    low 16 bits, so they fault differently when only the 4-byte read
 *    crosses into the next page.
 */
static const char *vendor_skip(const struct gcase *g)
{
	const struct x86_insn *in = &g->in;

	if (host_is_intel() || !g->info)
		return NULL;
	if ((g->info->flags & (IF_BRANCH | IF_RET)) && in->p66 && !in->w)
		return "66-prefixed near branches (Intel ignores 66, AMD truncates RIP)";
	if (!strcmp(g->info->name, "pause") && in->b3)
		return "F3 REX.B 90 (Intel: PAUSE, AMD: XCHG r8, rAX)";
	if ((!strcmp(g->info->name, "loope") || !strcmp(g->info->name, "loopne")) && in->rep)
		return "F2/F3 on LOOPE/LOOPNE (Intel ignores it, AMD uses its condition)";
	if (g->has_mem && (in->seg == X86_SEG_FS || in->seg == X86_SEG_GS) &&
	    canonical64(g->mem_lin) &&
	    !canonical64(g->mem_lin - (in->seg == X86_SEG_FS ? dn_fs_base : dn_gs_base)))
		return "FS/GS offset non-canonical, linear address canonical (Intel #PF, AMD #GP)";
	if (!strcmp(g->info->name, "movsxd") && in->osize == 16 && g->has_mem &&
	    (g->mem_lin + 1) >> 12 == g->mem_lin >> 12 && (g->mem_lin + 3) >> 12 != g->mem_lin >> 12)
		return "66 MOVSXD from memory at a page end (Intel reads 2 bytes, AMD 4)";
	return NULL;
}

/*
 * Not Intel: REP string state the SDM does not define, where the vCPU models
 * the Intel host (see apply_rep_fault_quirks and tests/diff/README.md):
 *  - REPE/REPNE CMPS/SCAS faulting after some iterations: Intel leaves the
 *    flags from before the instruction, AMD those of the last comparison;
 *  - with a 67 prefix and no iteration done (ECX = 0, or a fault in the
 *    first one), Intel still writes ECX (and ESI/EDI for MOVS/STOS) as
 *    32-bit registers, AMD does not.
 * The interpreter's value is accepted for exactly those bits.  Returns the
 * reason when something was accepted.
 */
static const char *vendor_rep_quirks(const struct gcase *g, struct outcome *exp,
				     const struct outcome *got)
{
	struct outcome before = *exp;

	if (host_is_intel() || !g->rep)
		return NULL;
	if (exp->kind == OUT_EXC && got->kind == OUT_EXC && exp->vector == got->vector) {
		apply_rep_fault_quirks(g, exp, got);
	} else if (exp->kind == OUT_DONE && got->kind == OUT_DONE && g->in.asize == 32 &&
		   !(g->r[1] & 0xffffffff)) {
		/* No iteration: only the 67 register writes. */
		uint64_t fl = exp->rflags;

		apply_rep_fault_quirks(g, exp, got);
		exp->rflags = fl;
	}
	if (!memcmp(&before, exp, sizeof(before)))
		return NULL;
	return "REP string state after a fault / with no iteration (Intel-specific, not in the SDM)";
}

/* Run one legacy case natively and in the interpreter; compare. */
static bool run_legacy_case(struct gcase *g, struct group_stat *st, int inject)
{
	struct dn_ctx nctx;
	struct dn_result nres;
	struct outcome exp, got;
	uint64_t ir[32];
	struct diff_report d;
	bool dest_undef = false;
	uint64_t undef;
	const char *vwhy;

	vwhy = vendor_skip(g);
	if (vwhy) {
		host_vendor_skip(vwhy);
		st->tests++;
		st->skip++;
		skip_count(vwhy);
		return true;
	}
	memset(&d, 0, sizeof(d));
	if (g->has_mem && g->mem_lin >= DIFF_DATA_BASE && g->mem_lin + 16 <= DIFF_RAM_SIZE) {
		d.has_mem_in = true;
		d.mem_in_addr = g->mem_lin;
		memcpy(d.mem_in, dm_native(g->mem_lin), 16);
	}
	dm_put_insn(g->b, g->len);
	memcpy(nctx.r, g->r, sizeof(nctx.r));
	nctx.rflags = g->rflags;
	dn_run(&nctx, &nres);
	native_outcome(&nres, g->len, &exp);

	memcpy(ir, g->r, sizeof(g->r));
	for (int i = 16; i < 32; i++)
		ir[i] = rnd();
	memcpy(exp.r + 16, ir + 16, 16 * sizeof(uint64_t));
	interp_run(ir, g->rflags, &got);
	dm_clear_insn(g->len);
	switch (inject) {  /* harness self-test: a wrong interpreter must be caught */
	case 0: got.r[rnd_below(16)] ^= UINT64_C(1) << rnd_below(64); break;
	case 1: got.rflags ^= FL_CF; break;
	case 2: got.rip++; break;
	case 3: dm_ram[DATA_CENTER + rnd_below(64)] ^= 0x20; break;
	case 4: got.kind = OUT_EXC; got.vector = X86_EXC_UD; break;
	}

	undef = undef_mask(g->info, g->width, case_count(g), &dest_undef);
	if (dest_undef && exp.kind == OUT_DONE) {
		exp.kind = OUT_SKIP;
		exp.why = "result undefined (SDM)";
	}
	/* A native #PF below the window: the interpreter's RAM is there. */
	if (exp.kind == OUT_EXC && exp.vector == 14 && exp.cr2 < DIFF_DATA_BASE &&
	    !(got.kind == OUT_EXC && got.vector == 14)) {
		exp.kind = OUT_SKIP;
		exp.why = "outside the sandbox";
	}
	/*
	 * Host quirk, not architectural state: a near CALL whose target is
	 * non-canonical raises #GP with RSP unchanged, but this host has already
	 * stored the return address below RSP.  Those 8 bytes are not compared.
	 */
	if (exp.kind == OUT_EXC && exp.vector == 13 && !strcmp(g->info->name, "call_near") &&
	    g->r[4] - 8 >= DIFF_DATA_BASE && g->r[4] <= DIFF_RAM_SIZE)
		memcpy(dm_ram + g->r[4] - 8, dm_native(g->r[4] - 8), 8);
	if (diff_quirks_mask && exp.kind == OUT_EXC && got.kind == OUT_EXC &&
	    exp.vector == got.vector && g->rep)
		apply_rep_fault_quirks(g, &exp, &got);
	vwhy = vendor_rep_quirks(g, &exp, &got);
	if (vwhy)
		host_vendor_mask(vwhy);
	d.group = st->name;
	d.nbytes = d.ibytes = g->b;
	d.nlen = d.ilen = g->len;
	d.nin = g->r;
	d.iin = ir;
	d.rflags_in = g->rflags;
	d.exp = &exp;
	d.got = &got;
	d.flag_mask = FL_COMPARE & ~((!diff_loose && (diff_strict || g->info->strict)) ? 0 : undef);
	if (!host_is_intel() && (undef & FL_COMPARE) && inject < 0)
		host_vendor_mask(sdm_undef_name((enum sdm_undef)g->info->undef));
	return compare_outcomes(&d, st, undef);
}

/* Inject each kind of difference into cases that retire: all must be caught. */
static void harness_selftest(void)
{
	static const char *const names[] = { "add", "mov", "imul", "sar" };
	struct group_stat st;
	unsigned injected = 0, caught = 0, saved = diff_print_limit;

	diff_print_limit = 0;
	for (unsigned k = 0; k < 500; k++) {
		struct gp_iclass *gi = NULL;
		struct gcase g;

		for (unsigned i = 0; i < ngp; i++)
			if (!strcmp(gp[i].name, names[k % 4]))
				gi = &gp[i];
		if (!gi || !gi->nt || !gen_case(&g, gi, &gi->t[rnd_below(gi->nt)]))
			continue;
		memset(&st, 0, sizeof(st));
		snprintf(st.name, sizeof(st.name), "selftest");
		if (!run_legacy_case(&g, &st, (int)(k % 5)))
			caught++;
		if (!st.skip)
			injected++;
		else if (!st.mismatches)
			caught--;
	}
	diff_print_limit = saved;
	ok(injected > 400 && caught == injected,
	   "harness self-test: %u of %u injected differences (gpr, flag, rip, memory, exception) caught",
	   caught, injected);
}

/*
 * An extra group (privileged at CPL 3, not in the coverage rule) whose only
 * mismatches are "the interpreter has no handler": a TAP TODO, not a failure.
 */
static bool group_todo(const struct group_stat *s)
{
	for (unsigned i = 0; i < ngp; i++)
		if (gp[i].extra && !strcmp(gp[i].name, s->name))
			return s->mismatches && s->mismatches == s->mis[MIS_UD];
	return false;
}

static const char *vectors_path(char *buf, size_t n)
{
	const char *dir = getenv("VECTORS");
	static const char *const tries[] = { "../shared/vectors", "/work/shared/vectors",
					     "../../shared/vectors" };
	FILE *f;

	if (dir && *dir) {
		snprintf(buf, n, "%s/legacy.tsv", dir);
		return buf;
	}
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		snprintf(buf, n, "%s/legacy.tsv", tries[i]);
		f = fopen(buf, "r");
		if (f) {
			fclose(f);
			return buf;
		}
	}
	return buf;
}

static int cmp_gp(const void *a, const void *b)
{
	return strcmp(((const struct gp_iclass *)a)->name, ((const struct gp_iclass *)b)->name);
}

static void print_group_line(const struct group_stat *s)
{
	char buf[256];
	int n = 0;

	buf[0] = 0;
	for (int c = 0; c < MIS_NR; c++)
		if (s->mis[c])
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, " %s=%" PRIu64, mis_names[c],
				      s->mis[c]);
	diag("FAIL %-14s %7" PRIu64 " of %7" PRIu64 " mismatched:%s", s->name, s->mismatches,
	     s->tests - s->skip, buf);
}

int main(void)
{
	char why[256], path[512];
	uint64_t seed = env_u64("DIFF_SEED", 0x5eed2026);
	uint64_t nleg = env_u64("DIFF_N", 1000000), napx = env_u64("DIFF_APX_N", 300000);
	const char *only = getenv("DIFF_ONLY");
	uint64_t total = 0, total_apx = 0, mism = 0, skipped = 0, todo_mism = 0;
	unsigned covered = 0, universe = 0, passing = 0;
	double t0, t1, t2;
	int ntpl;

	setvbuf(stdout, NULL, _IOLBF, 0);
	host_features();
	diff_strict = env_u64("DIFF_STRICT", 0) != 0;
	diff_loose = env_u64("DIFF_LOOSE", 0) != 0 || !host_is_intel();
	diff_quirks_mask = getenv("DIFF_QUIRKS") && !strcmp(getenv("DIFF_QUIRKS"), "mask");
	diff_print_limit = (unsigned)env_u64("DIFF_VERBOSE", 2);
	rnd_seed(seed);
	if (dn_init(why, sizeof(why))) {
		ok(0, "native sandbox: %s", why);
		return done_testing();
	}
	dm_init();
	di_init();
	ok(1, "native sandbox at 0x%" PRIx64 "..0x%" PRIx64 " (code, data), guard to 0x%" PRIx64
	   ", fs_base 0x%" PRIx64, DIFF_CODE_BASE, DIFF_RAM_SIZE, DIFF_RAM_SIZE + DIFF_GUARD_SIZE,
	   dn_fs_base);

	ntpl = load_templates(vectors_path(path, sizeof(path)));
	if (ntpl < 0) {
		ok(0, "cannot open %s", path);
		return done_testing();
	}
	qsort(gp, ngp, sizeof(gp[0]), cmp_gp);
	diag("seed 0x%" PRIx64 ", %" PRIu64 " legacy + %" PRIu64 " APX comparisons; undefined flags: %s%s",
	     seed, nleg, napx, !host_is_intel() ? "masked (host is not Intel)" :
	     diff_loose ? "masked (DIFF_LOOSE)" : diff_strict ? "compared (DIFF_STRICT)" :
	     "per iclass table (iclass.h)", diff_quirks_mask ? "; REP fault quirks masked" : "");
	diag("general-purpose iclass rule: iclasses of ok lines of legacy.tsv whose isa_set is one of");
	{
		char buf[512];
		int n = 0;

		for (const char *const *p = gp_isa_sets; *p; p++)
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, " %s", *p);
		diag(" %s,", buf);
		n = 0;
		for (const char *const *p = gp_excluded; *p; p++) {
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, " %s", *p);
			if (n > 90) {
				diag("   excluding%s", buf);
				n = 0;
			}
		}
		if (n)
			diag("   excluding%s", buf);
		diag(" (privileged/system at CPL 3, far transfers, interrupts, system calls, segment loads,");
		diag("  host-environment results); forms with segment/control/debug register operands are");
		diag("  not generated.  %u templates from %s (%u rejected).", (unsigned)ntpl, path,
		     gp_templates_rejected);
	}

	harness_selftest();

	/* ---- legacy ---- */
	unsigned nact = 0, nextra = 0, *act = calloc(ngp ? ngp : 1, sizeof(unsigned));
	unsigned *extra = calloc(ngp ? ngp : 1, sizeof(unsigned));

	for (unsigned i = 0; i < ngp; i++) {
		if (!host_has(gp[i].name)) {
			diag("host lacks %s: not compared", gp[i].name);
			continue;
		}
		if (gp[i].nt && (!only || !strcmp(only, gp[i].name))) {
			if (gp[i].extra)
				extra[nextra++] = i;
			else
				act[nact++] = i;
		}
	}
	t0 = now();
	for (uint64_t k = 0; k < nleg && (nact || nextra); k++) {
		/* the privileged extras (always #GP) get a small share */
		bool ex = nextra && (!nact || rnd_chance(1, 16));
		struct gp_iclass *gi = ex ? &gp[extra[rnd_below(nextra)]] : &gp[act[rnd_below(nact)]];
		struct group_stat *st = group_get(gi->name);
		struct gcase g;
		bool okc = false;

		for (int tries = 0; tries < 32 && !okc; tries++)
			okc = gen_case(&g, gi, &gi->t[rnd_below(gi->nt)]);
		if (!okc) {
			st->tests++;
			st->skip++;
			continue;
		}
		run_legacy_case(&g, st, -1);
		if ((k & 0xffff) == 0xffff) {
			uint64_t where;

			if (!dm_compare(DIFF_DATA_BASE, DIFF_RAM_SIZE, &where))
				diag("data window differed at 0x%" PRIx64 " (resynchronised)", where);
			/* The 0xCC filler must be intact on both sides (nothing writes code). */
			for (uint64_t a = DIFF_CODE_BASE; a < DIFF_CODE_BASE + DIFF_CODE_SIZE; a++) {
				if (*dm_native(a) != 0xcc || dm_ram[a] != 0xcc) {
					diag("code filler changed at 0x%" PRIx64 " (restored)", a);
					*dm_native(a) = dm_ram[a] = 0xcc;
				}
			}
		}
	}
	t1 = now();

	/* ---- APX equivalence ---- */
	run_apx(napx, only, host_has);
	t2 = now();

	/* ---- report ---- */
	diag("legacy iclass results (general-purpose iclasses of legacy.tsv):");
	for (unsigned i = 0; i < ngp; i++) {
		struct group_stat *s = NULL;

		if (gp[i].extra)
			continue;
		universe++;
		for (unsigned j = 0; j < ngroups; j++)
			if (!strcmp(groups[j].name, gp[i].name))
				s = &groups[j];
		if (!s || s->tests == s->skip) {
			if (nleg && !only)
				diag("NOT COVERED %s (%u lines, %u templates%s)", gp[i].name, gp[i].lines,
			     gp[i].nt, gp[i].info ? "" : ", no generator");
			continue;
		}
		covered++;
		if (!s->mismatches)
			passing++;
	}
	for (unsigned j = 0; j < ngroups; j++) {
		struct group_stat *s = &groups[j];

		total += s->tests - s->skip;
		if (!strncmp(s->name, "apx.", 4))
			total_apx += s->tests - s->skip;
		skipped += s->skip;
		if (group_todo(s))
			todo_mism += s->mismatches;
		else
			mism += s->mismatches;
		if (s->mismatches)
			print_group_line(s);
		if (s->undef_diff) {
			char fl[96];

			flags_str(s->undef_bits, fl);
			diag("note %-14s undefined flags (masked) differed in %" PRIu64 " of %" PRIu64
			     ": %s", s->name, s->undef_diff, s->pass, fl);
		}
	}
	for (unsigned j = 0; j < ngroups; j++) {
		struct group_stat *s = &groups[j];

		ok(s->mismatches == 0, "%s: %" PRIu64 " compared, %" PRIu64 " mismatches, %" PRIu64
		   " skipped%s", s->name, s->tests - s->skip, s->mismatches, s->skip,
		   group_todo(s) ? " # TODO privileged at CPL 3: the interpreter has no handler (#UD, "
				   "the host #GP)" : "");
	}
	diag("comparisons: %" PRIu64 " (legacy %" PRIu64 ", APX equivalence %" PRIu64 "; %" PRIu64
	     " skipped), mismatches: %" PRIu64 " (+ %" PRIu64 " in TODO groups: privileged "
	     "instructions without a handler)", total, total - total_apx, total_apx, skipped, mism,
	     todo_mism);
	for (unsigned i = 0; i < 16 && skip_why[i].why; i++)
		diag("  skipped: %" PRIu64 " %s", skip_why[i].n, skip_why[i].why);
	{
		uint64_t done = 0, exc[32] = { 0 };
		char buf[512];
		int n;

		for (unsigned j = 0; j < ngroups; j++) {
			done += groups[j].done;
			for (int v = 0; v < 32; v++)
				exc[v] += groups[j].exc[v];
		}
		n = snprintf(buf, sizeof(buf), "host outcomes: retired %" PRIu64, done);
		for (int v = 0; v < 32; v++)
			if (exc[v])
				n += snprintf(buf + n, sizeof(buf) - (size_t)n, ", vector %d: %" PRIu64, v, exc[v]);
		diag("%s", buf);
	}
	diag("iclass coverage: %u of %u general-purpose iclasses compared (%.1f%%), %u without "
	     "mismatches (%.1f%%)", covered, universe, universe ? 100.0 * covered / universe : 0,
	     passing, universe ? 100.0 * passing / universe : 0);
	diag("time: legacy %.1f s, APX %.1f s", t1 - t0, t2 - t1);
	ok(only || total >= 1000000, "at least one million comparisons (%" PRIu64 ")", total);
	ok(only || (universe && covered * 100 >= universe * 95),
	   "iclass coverage >= 95%% (%u of %u, %.1f%%)", covered, universe,
	   universe ? 100.0 * covered / universe : 0);
	ok(mism == 0, "no mismatches (%" PRIu64 ")", mism);
	host_vendor_report();
	dn_fini();
	free(act);
	free(extra);
	free_templates();
	free(dm_ram);
	return done_testing();
}
