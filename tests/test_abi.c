/* SPDX-License-Identifier: MIT */
/*
 * The vCPU state ABI (vcpu/abi.h) on a bare struct vcpu.
 *  - Round trip in the spirit of KVM's state_test: random GPRs (all 32),
 *    RIP, RFLAGS, sregs, XCR0, XSAVE area, FPU and MSRs are set, read back
 *    and compared; the whole state is then moved to a second vCPU through
 *    the get/set pairs and must read back identical.
 *  - Every validation rule: the call fails with the expected errno and a
 *    message, and struct vcpu (and the CPUID table) are byte-for-byte what
 *    they were before the call.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "vcpu/abi.h"
#include "vcpu/msr.h"
#include "vcpu/xstate.h"

#define ITERS 50

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void vcpu_new(struct vcpu *v, const struct vcpu_cpu_model *m)
{
	memset(v, 0, sizeof(*v));
	vcpu_regfile_init(&v->regs, NULL);
	v->model = m;
	v->cpuid_apx = vcpu_cpu_model_has_apx(m);
	v->regs.rflags = X86_FLAGS_FIXED;
	v->xcr0 = VCPU_XCR0_X87;
	vcpu_msr_reset(v);
	v->fpu.fxsave[VCPU_XSAVE_MXCSR_OFFSET] = 0x80;
	v->fpu.fxsave[VCPU_XSAVE_MXCSR_OFFSET + 1] = 0x1f;
}

/* Long mode at CPL 0 with random bases, limits and selectors. */
static void random_sregs(struct kvm_sregs *s)
{
	struct kvm_segment *segs[] = { &s->cs, &s->ds, &s->es, &s->fs, &s->gs, &s->ss,
				       &s->tr, &s->ldt };

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		uint64_t r = rnd();

		*segs[i] = (struct kvm_segment){
			.base = rnd(), .limit = (uint32_t)rnd(), .selector = (uint16_t)r,
			.type = r >> 16 & 15, .present = r >> 20 & 1, .dpl = r >> 21 & 3,
			.db = r >> 23 & 1, .s = r >> 24 & 1, .l = 0, .g = r >> 25 & 1,
			.avl = r >> 26 & 1, .unusable = r >> 27 & 1,
		};
	}
	s->cs.l = 1;
	s->cs.db = 0;
	s->fs.base = (uint64_t)((int64_t)(s->fs.base << 16) >> 16);
	s->gs.base = (uint64_t)((int64_t)(s->gs.base << 16) >> 16);
	s->gdt = (struct kvm_dtable){ .base = rnd(), .limit = (uint16_t)rnd() };
	s->idt = (struct kvm_dtable){ .base = rnd(), .limit = (uint16_t)rnd() };
	s->cr0 = X86_CR0_PE | X86_CR0_PG | (rnd() & (X86_CR0_WP | 0x3e | (1u << 18)));
	s->cr2 = rnd();
	s->cr3 = rnd() & ((UINT64_C(1) << 46) - 1);
	s->cr4 = X86_CR4_PAE | X86_CR4_OSXSAVE | (rnd() & ((1u << 2) | (1u << 8) | (3u << 9)));
	s->cr8 = rnd() & 15;
	s->efer = X86_EFER_LME | X86_EFER_LMA | (rnd() & (X86_EFER_SCE | X86_EFER_NXE));
	s->apic_base = VCPU_MSR_APIC_BASE_VALUE;
}

/* A valid XSAVE buffer with random x87, SSE and (with APX) R16..R31. */
static void random_xsave(struct kvm_xsave *x, uint64_t supported)
{
	uint8_t *a = (uint8_t *)x->region;
	uint64_t bv = VCPU_XCR0_X87 | VCPU_XCR0_SSE;
	uint32_t mxcsr = (uint32_t)rnd() & VCPU_MXCSR_MASK;

	memset(x, 0, sizeof(*x));
	for (unsigned i = 0; i < 512; i++)
		a[i] = (uint8_t)rnd();
	a[5] = 0;
	memcpy(a + VCPU_XSAVE_MXCSR_OFFSET, &mxcsr, 4);
	memset(a + VCPU_XSAVE_MXCSR_MASK_OFFSET, 0, 4);
	a[VCPU_XSAVE_MXCSR_MASK_OFFSET] = (uint8_t)VCPU_MXCSR_MASK;
	a[VCPU_XSAVE_MXCSR_MASK_OFFSET + 1] = (uint8_t)(VCPU_MXCSR_MASK >> 8);
	if (supported & VCPU_XCR0_APX) {
		for (unsigned i = 0; i < VCPU_XSAVE_APX_SIZE; i++)
			a[VCPU_XSAVE_APX_OFFSET + i] = (uint8_t)rnd();
		bv |= VCPU_XCR0_APX;
	}
	vcpu_xsave_set_xstate_bv(a, bv);
}

static struct kvm_msrs *msrs_alloc(unsigned n)
{
	struct kvm_msrs *m = calloc(1, sizeof(*m) + n * sizeof(m->entries[0]));

	if (!m)
		abort();
	m->nmsrs = n;
	return m;
}

/* Everything the ABI exposes, for comparing two vCPUs. */
struct full_state {
	struct kvm_regs regs;
	struct vcpu_abi_gprs gprs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
	struct kvm_xcrs xcrs;
	struct kvm_vcpu_events events;
	uint64_t msr[32];
	size_t nmsr;
	union {
		struct kvm_xsave xsave;
		uint8_t bytes[VCPU_ABI_XSAVE_MIN_SIZE];
	} xs;
};

/* 0, or -1 if the MSRs could not be read. */
static int get_all(struct vcpu *v, struct full_state *f)
{
	uint32_t idx[32];
	struct kvm_msrs *m;
	int rc;

	memset(f, 0, sizeof(*f));
	vcpu_abi_get_regs(v, &f->regs);
	vcpu_abi_get_gprs(v, &f->gprs);
	vcpu_abi_get_sregs(v, &f->sregs);
	vcpu_abi_get_fpu(v, &f->fpu);
	vcpu_abi_get_xcrs(v, &f->xcrs);
	vcpu_abi_get_events(v, &f->events);
	vcpu_abi_get_xsave(v, &f->xs.xsave);
	/* The list's total may exceed what idx[] got: compare only those. */
	f->nmsr = vcpu_msr_index_list(idx, 32);
	if (f->nmsr > 32)
		f->nmsr = 32;
	m = msrs_alloc((unsigned)f->nmsr);
	for (size_t i = 0; i < f->nmsr; i++)
		m->entries[i].index = idx[i];
	rc = vcpu_abi_get_msrs(v, 1000, m, NULL, 0) == (int)f->nmsr ? 0 : -1;
	for (size_t i = 0; !rc && i < f->nmsr; i++)
		f->msr[i] = m->entries[i].data;
	free(m);
	return rc;
}

/* Restore in Firecracker's order: sregs, xcrs, regs, xsave (R16..R31 last), MSRs. */
static int set_all(struct vcpu *v, const struct full_state *f)
{
	uint32_t idx[32];
	struct kvm_msrs *m = msrs_alloc((unsigned)f->nmsr);
	char err[VCPU_ABI_ERRLEN] = "";
	int rc = 0;

	vcpu_msr_index_list(idx, 32);
	for (size_t i = 0; i < f->nmsr; i++) {
		m->entries[i].index = idx[i];
		m->entries[i].data = f->msr[i];
	}
	rc |= vcpu_abi_set_sregs(v, &f->sregs, err, sizeof(err));
	rc |= vcpu_abi_set_xcrs(v, &f->xcrs, err, sizeof(err));
	rc |= vcpu_abi_set_regs(v, &f->regs, err, sizeof(err));
	rc |= vcpu_abi_set_xsave(v, &f->xs.xsave, err, sizeof(err));
	rc |= vcpu_abi_set_events(v, &f->events, err, sizeof(err));
	rc |= vcpu_abi_set_msrs(v, 1000, m, err, sizeof(err)) < 0;
	if (rc)
		diag("set_all: %s", err);
	free(m);
	return rc;
}

static void test_round_trip(const struct vcpu_cpu_model *m)
{
	uint64_t supported = vcpu_cpu_model_xcr0_supported(m);
	static struct full_state a, b;
	struct vcpu v, w;
	int bad_regs = 0, bad_sregs = 0, bad_xcr = 0, bad_xsave = 0, bad_gprs = 0;
	int bad_fpu = 0, bad_msr = 0, bad_move = 0, rc_fail = 0;

	for (int it = 0; it < ITERS; it++) {
		struct kvm_regs r, r2;
		struct kvm_sregs s, s2;
		struct kvm_xcrs x = { .nr_xcrs = 1 }, x2;
		static struct kvm_xsave xs, xs2;
		struct vcpu_abi_gprs g, g2;
		struct kvm_fpu f, f2;
		struct kvm_msrs *ms = msrs_alloc(3), *ms2 = msrs_alloc(3);
		char err[VCPU_ABI_ERRLEN] = "";

		vcpu_new(&v, m);
		/* All 32 GPRs through the direct accessor (16 without APX). */
		for (unsigned i = 0; i < 32; i++)
			g.r[i] = i < 16 || (supported & VCPU_XCR0_APX) ? rnd() : 0;
		rc_fail |= vcpu_abi_set_gprs(&v, &g, err, sizeof(err));
		vcpu_abi_get_gprs(&v, &g2);
		bad_gprs += memcmp(&g, &g2, sizeof(g)) != 0;

		random_sregs(&s);
		rc_fail |= vcpu_abi_set_sregs(&v, &s, err, sizeof(err));
		x.xcrs[0].value = VCPU_XCR0_X87 | VCPU_XCR0_SSE |
				  ((rnd() & 1) ? supported & VCPU_XCR0_APX : 0);
		rc_fail |= vcpu_abi_set_xcrs(&v, &x, err, sizeof(err));
		for (unsigned i = 0; i < 16; i++)	/* kvm_regs: 16 GPRs first */
			memcpy((uint8_t *)&r + 8 * i, &(uint64_t){ rnd() }, 8);
		r.rip = rnd();
		r.rflags = (rnd() & 0x3f7fd7) | X86_FLAGS_FIXED;
		rc_fail |= vcpu_abi_set_regs(&v, &r, err, sizeof(err));
		random_xsave(&xs, supported);
		rc_fail |= vcpu_abi_set_xsave(&v, &xs, err, sizeof(err));
		if (rc_fail && err[0]) {
			diag("iteration %d: %s", it, err);
			err[0] = '\0';
		}

		vcpu_abi_get_regs(&v, &r2);
		bad_regs += memcmp(&r, &r2, sizeof(r)) != 0;
		vcpu_abi_get_sregs(&v, &s2);
		bad_sregs += memcmp(&s, &s2, sizeof(s)) != 0;
		vcpu_abi_get_xcrs(&v, &x2);
		bad_xcr += x2.nr_xcrs != 1 || x2.xcrs[0].value != x.xcrs[0].value;
		vcpu_abi_get_xsave(&v, &xs2);
		bad_xsave += memcmp(&xs, &xs2, sizeof(xs)) != 0;
		/* R16..R31 from the XSAVE buffer are the GPRs 16..31 now. */
		vcpu_abi_get_gprs(&v, &g2);
		if (supported & VCPU_XCR0_APX)
			bad_gprs += memcmp(&g2.r[16], (uint8_t *)xs.region + VCPU_XSAVE_APX_OFFSET,
					   128) != 0;
		bad_gprs += g2.r[0] != r.rax ||
			    g2.r[1] != r.rcx || g2.r[4] != r.rsp || g2.r[15] != r.r15;

		/* FPU: set random fields, read back. */
		vcpu_abi_get_fpu(&v, &f);
		for (unsigned i = 0; i < 8; i++)
			for (unsigned k = 0; k < 16; k++)
				f.fpr[i][k] = (uint8_t)rnd();
		f.fcw = (uint16_t)rnd();
		f.fsw = (uint16_t)rnd();
		f.ftwx = (uint8_t)rnd();
		f.last_opcode = (uint16_t)rnd();
		f.last_ip = rnd();
		f.last_dp = rnd();
		f.mxcsr = (uint32_t)rnd() & VCPU_MXCSR_MASK;
		rc_fail |= vcpu_abi_set_fpu(&v, &f, err, sizeof(err));
		vcpu_abi_get_fpu(&v, &f2);
		bad_fpu += memcmp(&f, &f2, sizeof(f)) != 0;

		/* MSRs: any value, a canonical one, the TSC relative to host_now. */
		ms->entries[0] = (struct kvm_msr_entry){ .index = VCPU_MSR_STAR, .data = rnd() };
		ms->entries[1] = (struct kvm_msr_entry){ .index = VCPU_MSR_LSTAR,
			.data = (uint64_t)((int64_t)(rnd() << 16) >> 16) };
		ms->entries[2] = (struct kvm_msr_entry){ .index = VCPU_MSR_TSC, .data = rnd() };
		rc_fail |= vcpu_abi_set_msrs(&v, 5000, ms, err, sizeof(err)) != 3;
		for (unsigned i = 0; i < 3; i++)
			ms2->entries[i].index = ms->entries[i].index;
		bad_msr += vcpu_abi_get_msrs(&v, 5000, ms2, err, sizeof(err)) != 3;
		for (unsigned i = 0; i < 3; i++)
			bad_msr += ms2->entries[i].data != ms->entries[i].data;
		free(ms);
		free(ms2);

		/* state_test: save everything, restore into a fresh vCPU, compare. */
		rc_fail |= get_all(&v, &a);
		vcpu_new(&w, m);
		rc_fail |= set_all(&w, &a);
		rc_fail |= get_all(&w, &b);
		bad_move += memcmp(&a, &b, sizeof(a)) != 0;
		bad_move += w.cpl != v.cpl || w.apx_enabled != v.apx_enabled;
	}
	ok(!rc_fail, "%s: every set call of the round trip succeeded", m->name);
	ok(!bad_gprs, "%s: all 32 GPRs read back (and R16..R31 = the XSAVE buffer's)", m->name);
	ok(!bad_regs, "%s: kvm_regs (GPRs, RIP, RFLAGS) read back", m->name);
	ok(!bad_sregs, "%s: kvm_sregs read back", m->name);
	ok(!bad_xcr, "%s: XCR0 read back", m->name);
	ok(!bad_xsave, "%s: the whole 4096-byte XSAVE buffer reads back", m->name);
	ok(!bad_fpu, "%s: kvm_fpu reads back", m->name);
	ok(!bad_msr, "%s: MSRs (STAR, LSTAR, TSC) read back", m->name);
	ok(!bad_move, "%s: state moved to a second vCPU reads back identical", m->name);
}

/* ---- validation: error, message, nothing changed ------------------------ */

static struct vcpu v0, vsave;
static char err[VCPU_ABI_ERRLEN];

static void before(void)
{
	err[0] = '\0';
	memcpy(&vsave, &v0, sizeof(v0));
}

static void expect(int rc, int want, const char *what)
{
	ok(rc == want && err[0] && !memcmp(&vsave, &v0, sizeof(v0)),
	   "%s: %d (want %d), \"%s\", state unchanged", what, rc, want, err);
}

/* A good long-mode vCPU to start each check from. */
static void base_state(const struct vcpu_cpu_model *m)
{
	struct kvm_sregs s;

	vcpu_new(&v0, m);
	random_sregs(&s);
	s.cr3 = 0x1000;
	if (vcpu_abi_set_sregs(&v0, &s, err, sizeof(err)))
		diag("base_state: %s", err);
	for (unsigned i = 0; i < (vcpu_cpu_model_has_apx(m) ? NR_VCPU_GENERAL_PURPOSE_REGS : 16); i++)
		v0.regs.regs[i] = 0x1111111111111111ull * (i % 15 + 1);
}

static void test_xsave_rules(const struct vcpu_cpu_model *m)
{
	static struct kvm_xsave xs;
	uint8_t *a = (uint8_t *)xs.region;
	uint64_t supported = vcpu_cpu_model_xcr0_supported(m);
	struct {
		const char *what;
		unsigned off;
		uint64_t val;
		unsigned bytes;
	} bad[] = {
		{ "XSTATE_BV with AVX (bit 2), outside the supported XCR0", 512, 0x7, 8 },
		{ "XSTATE_BV with MPX (bit 3)", 512, 0xb, 8 },
		{ "XCOMP_BV[63] (compacted)", 520, UINT64_C(1) << 63, 8 },
		{ "XCOMP_BV = 3", 520, 3, 8 },
		{ "header byte 528 reserved", 528, 1, 1 },
		{ "header byte 575 reserved", 575, 0x80, 1 },
		{ "MXCSR DAZ (bit 6) reserved for this vCPU", 24, 0x1fc0, 4 },
		{ "MXCSR bit 16", 24, 0x11f80, 4 },
	};

	base_state(m);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		random_xsave(&xs, supported);
		memcpy(a + bad[i].off, &bad[i].val, bad[i].bytes);
		before();
		expect(vcpu_abi_set_xsave(&v0, &xs, err, sizeof(err)), -EINVAL, bad[i].what);
	}
	if (!(supported & VCPU_XCR0_APX)) {
		random_xsave(&xs, supported);
		vcpu_xsave_set_xstate_bv(a, 3 | VCPU_XCR0_APX);
		before();
		expect(vcpu_abi_set_xsave(&v0, &xs, err, sizeof(err)), -EINVAL,
		       "XSTATE_BV[19] with a model that has no APX");
	}
	random_xsave(&xs, supported);
	before();
	expect(vcpu_abi_set_xsave2(&v0, &xs, 1024, err, sizeof(err)), -E2BIG,
	       "set_xsave2 with a buffer smaller than the model's size");
	before();
	expect(vcpu_abi_get_xsave2(&v0, &xs, 2048, err, sizeof(err)), -E2BIG,
	       "get_xsave2 with a buffer smaller than KVM_CAP_XSAVE2's size");
	ok(vcpu_abi_xsave_size(&v0) == 4096, "XSAVE2 size is max(4096, model size) = %zu",
	   vcpu_abi_xsave_size(&v0));

	/* MXCSR is only loaded (and checked) with XSTATE_BV[1], as XRSTOR. */
	random_xsave(&xs, supported);
	memcpy(a + 24, &(uint32_t){ 0xffffffff }, 4);
	vcpu_xsave_set_xstate_bv(a, VCPU_XCR0_X87);
	ok(!vcpu_abi_set_xsave(&v0, &xs, err, sizeof(err)) &&
	   vcpu_xsave_get_mxcsr(v0.fpu.fxsave) == VCPU_MXCSR_RESET,
	   "XSTATE_BV without SSE: MXCSR not checked, SSE state initialised (MXCSR 0x%x)",
	   vcpu_xsave_get_mxcsr(v0.fpu.fxsave));
#ifdef CONFIG_APX
	if (supported & VCPU_XCR0_APX) {
		struct vcpu_abi_gprs g;
		int nz = 0;

		random_xsave(&xs, supported);
		vcpu_xsave_set_xstate_bv(a, VCPU_XCR0_X87 | VCPU_XCR0_SSE);
		ok(!vcpu_abi_set_xsave(&v0, &xs, err, sizeof(err)), "XSTATE_BV[19] clear: accepted");
		vcpu_abi_get_gprs(&v0, &g);
		for (unsigned i = 16; i < 32; i++)
			nz |= g.r[i] != 0;
		ok(!nz && g.r[15] != 0, "XSTATE_BV[19] clear: R16..R31 = 0 (init), R15 kept");
		vcpu_abi_get_xsave(&v0, &xs);
		ok(!(vcpu_xsave_get_xstate_bv(a) & VCPU_XCR0_APX),
		   "get_xsave: XSTATE_BV[19] clear while R16..R31 are all 0");
	}
#endif
}

static void test_xcr_rules(const struct vcpu_cpu_model *m)
{
	struct kvm_xcrs x;
	struct {
		const char *what;
		uint32_t xcr;
		uint64_t val;
	} bad[] = {
		{ "XCR0 without x87", 0, VCPU_XCR0_SSE },
		{ "XCR0 with AVX (not offered)", 0, 7 },
		{ "XCR0 with MPX (not offered)", 0, 0x1b },
		{ "XCR0 with APX and MPX", 0, 3 | VCPU_XCR0_APX | VCPU_XCR0_MPX },
		{ "XCR0 bit 62", 0, 3 | (UINT64_C(1) << 62) },
		{ "XCR1 (index 1)", 1, 3 },
	};

	base_state(m);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&x, 0, sizeof(x));
		/* The good first entry must not be applied either. */
		x.nr_xcrs = 2;
		x.xcrs[0].value = 3;
		x.xcrs[1].xcr = bad[i].xcr;
		x.xcrs[1].value = bad[i].val;
		before();
		expect(vcpu_abi_set_xcrs(&v0, &x, err, sizeof(err)), -EINVAL, bad[i].what);
	}
	if (!vcpu_cpu_model_has_apx(m)) {
		memset(&x, 0, sizeof(x));
		x.nr_xcrs = 1;
		x.xcrs[0].value = 3 | VCPU_XCR0_APX;
		before();
		expect(vcpu_abi_set_xcrs(&v0, &x, err, sizeof(err)), -EINVAL,
		       "XCR0 with APX on a model without APX");
	}
	memset(&x, 0, sizeof(x));
	x.nr_xcrs = KVM_MAX_XCRS + 1;
	before();
	expect(vcpu_abi_set_xcrs(&v0, &x, err, sizeof(err)), -EINVAL, "nr_xcrs > KVM_MAX_XCRS");
	memset(&x, 0, sizeof(x));
	x.flags = 1;
	before();
	expect(vcpu_abi_set_xcrs(&v0, &x, err, sizeof(err)), -EINVAL, "xcrs flags != 0");
#ifdef CONFIG_APX
	if (vcpu_cpu_model_has_apx(m)) {
		memset(&x, 0, sizeof(x));
		x.nr_xcrs = 1;
		x.xcrs[0].value = 3 | VCPU_XCR0_APX;
		ok(!vcpu_abi_set_xcrs(&v0, &x, err, sizeof(err)) && v0.apx_enabled,
		   "XCR0 = x87|SSE|APX with CR4.OSXSAVE: accepted, apx_enabled updated");
	}
#endif
}

static void test_sregs_rules(const struct vcpu_cpu_model *m)
{
	struct kvm_sregs s;

	base_state(m);
#define SREGS_BAD(what, stmt)						\
	do {								\
		vcpu_abi_get_sregs(&v0, &s);				\
		stmt;							\
		before();						\
		expect(vcpu_abi_set_sregs(&v0, &s, err, sizeof(err)), -EINVAL, what); \
	} while (0)
	SREGS_BAD("EFER.LMA without LME (paging on)", s.efer &= ~(uint64_t)X86_EFER_LME);
	SREGS_BAD("EFER.LMA without CR0.PG", (s.cr0 &= ~(uint64_t)X86_CR0_PG, s.cs.l = 0));
	SREGS_BAD("EFER.LME|PG without CR4.PAE", s.cr4 &= ~(uint64_t)X86_CR4_PAE);
	SREGS_BAD("EFER.LME|PG without LMA", s.efer &= ~(uint64_t)X86_EFER_LMA);
	SREGS_BAD("CS.L outside long mode",
		  (s.efer = 0, s.cr0 &= ~(uint64_t)X86_CR0_PG));
	SREGS_BAD("CR0.PG without PE", (s.cr0 &= ~(uint64_t)X86_CR0_PE));
	SREGS_BAD("CR0.NW without CD", s.cr0 |= UINT64_C(1) << 29);
	SREGS_BAD("CR0 bit 32", s.cr0 |= UINT64_C(1) << 32);
	SREGS_BAD("CR4.PSE (not offered by the model)", s.cr4 |= X86_CR4_PSE);
	SREGS_BAD("CR4.LA57 (not offered)", s.cr4 |= X86_CR4_LA57);
	SREGS_BAD("CR4 bit 15 (reserved)", s.cr4 |= 1u << 15);
	SREGS_BAD("CR3 bit 46 (above MAXPHYADDR) in long mode", s.cr3 |= UINT64_C(1) << 46);
	SREGS_BAD("EFER bit 9 (reserved)", s.efer |= 1u << 9);
	SREGS_BAD("CR8 bit 4", s.cr8 = 0x10);
	SREGS_BAD("apic_base moved", s.apic_base = 0xfec00900);
	SREGS_BAD("interrupt_bitmap with a pending IRQ", s.interrupt_bitmap[1] = 4);
	SREGS_BAD("segment type 16", s.ds.type = 16);
	SREGS_BAD("segment dpl 4", s.ss.dpl = 4);
	SREGS_BAD("segment flag 2", s.tr.present = 2);
	SREGS_BAD("CS.L and CS.D both set", s.cs.db = 1);
	SREGS_BAD("FS base not canonical", s.fs.base = UINT64_C(1) << 47);
	SREGS_BAD("GS base not canonical", s.gs.base = UINT64_C(0xfff0) << 48);
#undef SREGS_BAD
	vcpu_abi_get_sregs(&v0, &s);
	s.cs.dpl = 3;
	ok(!vcpu_abi_set_sregs(&v0, &s, err, sizeof(err)) && v0.cpl == 3,
	   "set_sregs: CPL follows CS.DPL (3)");
}

static void test_other_rules(const struct vcpu_cpu_model *m)
{
	struct kvm_regs r;
	struct kvm_fpu f;
	struct vcpu_abi_gprs g;
	struct kvm_vcpu_events e;
	struct kvm_msrs *ms = msrs_alloc(2);

	base_state(m);
	vcpu_abi_get_regs(&v0, &r);
	r.rax = 1;
	r.rflags = 0x2 | (1u << 3);
	before();
	expect(vcpu_abi_set_regs(&v0, &r, err, sizeof(err)), -EINVAL, "RFLAGS bit 3 (reserved)");
	r.rflags = 0x2 | (UINT64_C(1) << 22);
	before();
	expect(vcpu_abi_set_regs(&v0, &r, err, sizeof(err)), -EINVAL, "RFLAGS bit 22 (reserved)");
	r.rflags = 0;
	ok(!vcpu_abi_set_regs(&v0, &r, err, sizeof(err)) && v0.regs.rflags == X86_FLAGS_FIXED,
	   "set_regs forces RFLAGS bit 1, as KVM");

	vcpu_abi_get_gprs(&v0, &g);
	g.r[20] = 5;
	if (!vcpu_cpu_model_has_apx(m)) {
		before();
		expect(vcpu_abi_set_gprs(&v0, &g, err, sizeof(err)), -EINVAL,
		       "R20 != 0 on a model without APX");
	}
#ifdef CONFIG_APX
	else {
		ok(!vcpu_abi_set_gprs(&v0, &g, err, sizeof(err)) && v0.regs.regs[20] == 5,
		   "set_gprs writes R20");
	}
#endif

	vcpu_abi_get_fpu(&v0, &f);
	f.mxcsr = 0x1f80 | (1u << 6);
	before();
	expect(vcpu_abi_set_fpu(&v0, &f, err, sizeof(err)), -EINVAL, "kvm_fpu MXCSR DAZ (reserved here)");

	ms->entries[0] = (struct kvm_msr_entry){ .index = VCPU_MSR_STAR, .data = 0x1234 };
	ms->entries[1] = (struct kvm_msr_entry){ .index = 0x12345678, .data = 1 };
	before();
	expect(vcpu_abi_set_msrs(&v0, 0, ms, err, sizeof(err)), -EINVAL,
	       "set_msrs: unknown MSR in entry 1, entry 0 (STAR) not applied");
	ms->entries[1] = (struct kvm_msr_entry){ .index = VCPU_MSR_LSTAR, .data = UINT64_C(1) << 60 };
	before();
	expect(vcpu_abi_set_msrs(&v0, 0, ms, err, sizeof(err)), -EINVAL,
	       "set_msrs: non-canonical LSTAR");
	ms->entries[1] = (struct kvm_msr_entry){ .index = VCPU_MSR_PAT, .data = 2 };
	before();
	expect(vcpu_abi_set_msrs(&v0, 0, ms, err, sizeof(err)), -EINVAL,
	       "set_msrs: PAT memory type 2 (reserved)");
	ms->nmsrs = VCPU_ABI_MSRS_MAX + 1;
	before();
	expect(vcpu_abi_set_msrs(&v0, 0, ms, err, sizeof(err)), -E2BIG, "set_msrs: nmsrs too large");
	ms->nmsrs = 2;
	ms->entries[1].index = 0x12345678;
	err[0] = '\0';
	ok(vcpu_abi_get_msrs(&v0, 0, ms, err, sizeof(err)) == -EINVAL && err[0],
	   "get_msrs: unknown MSR -> -EINVAL (\"%s\")", err);
	free(ms);

	vcpu_abi_get_events(&v0, &e);
	ok(!vcpu_abi_set_events(&v0, &e, err, sizeof(err)), "events: nothing pending is accepted");
	e.exception.pending = 1;
	e.exception.nr = 13;
	before();
	expect(vcpu_abi_set_events(&v0, &e, err, sizeof(err)), -EINVAL, "events: a pending #GP");
	memset(&e, 0, sizeof(e));
	e.nmi.pending = 1;
	before();
	expect(vcpu_abi_set_events(&v0, &e, err, sizeof(err)), -EINVAL, "events: a pending NMI");
}

/* ---- CPUID table --------------------------------------------------------- */

static struct vcpu_cpuid_table t0, tsave;

static struct kvm_cpuid2 *cpuid_alloc(unsigned n)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));

	if (!c)
		abort();
	c->nent = n;
	return c;
}

static void expect_cpuid(const struct kvm_cpuid2 *c, int want, const char *what)
{
	int rc;

	err[0] = '\0';
	memcpy(&vsave, &v0, sizeof(v0));
	memcpy(&tsave, &t0, sizeof(t0));
	rc = vcpu_abi_set_cpuid2(&v0, &t0, c, err, sizeof(err));
	ok(rc == want && err[0] && !memcmp(&vsave, &v0, sizeof(v0)) &&
	   !memcmp(&tsave, &t0, sizeof(t0)),
	   "%s: %d (want %d), \"%s\", vCPU and table unchanged", what, rc, want, err);
}

static void test_cpuid(const struct vcpu_cpu_model *m)
{
	struct kvm_cpuid2 *c = cpuid_alloc(VCPU_ABI_CPUID_MAX_ENTRIES + 1);
	struct kvm_cpuid2 *sup = cpuid_alloc(200);
	uint32_t out[4];
	int rc;

	base_state(m);
	vcpu_abi_cpuid_init(&t0, &v0);
	/* One entry with a changed brand leaf is a valid table. */
	c->nent = VCPU_ABI_CPUID_MAX_ENTRIES + 1;
	expect_cpuid(c, -E2BIG, "nent > 256");
	c->nent = 1;
	c->entries[0] = (struct kvm_cpuid_entry2){ .function = 0x80000002u, .eax = 0x41414141,
						   .flags = KVM_CPUID_FLAG_STATEFUL_FUNC };
	expect_cpuid(c, -EINVAL, "entry with the STATEFUL flag");
	c->nent = 2;
	c->entries[0].flags = 0;
	c->entries[1] = c->entries[0];
	expect_cpuid(c, -EINVAL, "two entries for the same leaf");
	c->nent = 1;
	c->entries[0] = (struct kvm_cpuid_entry2){ .function = 0xd, .index = 0,
		.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = VCPU_XCR0_X87 };
	expect_cpuid(c, -EINVAL, "CPUID.(0DH,0) without SSE");
	c->entries[0].eax = 3 | (1u << 2);
	expect_cpuid(c, -EINVAL, "CPUID.(0DH,0) with AVX, outside the model");
	if (!vcpu_cpu_model_has_apx(m)) {
		c->entries[0] = (struct kvm_cpuid_entry2){ .function = 7, .index = 1,
			.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .edx = VCPU_CPUID_7_1_EDX_APX_F };
		expect_cpuid(c, -EINVAL, "APX_F on a model without APX");
	}
#ifdef CONFIG_APX
	if (vcpu_cpu_model_has_apx(m)) {
		struct kvm_xcrs x = { .nr_xcrs = 1 };

		/* Hide APX: 7.1 without APX_F, 0xD.0 without bit 19. */
		c->nent = 1;
		c->entries[0] = (struct kvm_cpuid_entry2){ .function = 7, .index = 1,
			.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX };
		x.xcrs[0].value = 3 | VCPU_XCR0_APX;
		vcpu_abi_set_xcrs(&v0, &x, err, sizeof(err));
		expect_cpuid(c, -EINVAL, "table hides APX while XCR0.APX = 1");
		x.xcrs[0].value = 3;
		vcpu_abi_set_xcrs(&v0, &x, err, sizeof(err));
		c->nent = 2;
		c->entries[1] = (struct kvm_cpuid_entry2){ .function = 0xd, .index = 0,
			.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 3 | VCPU_XCR0_APX };
		expect_cpuid(c, -EINVAL, "CPUID.(0DH,0) bit 19 while APX_F is hidden");
		c->entries[1].eax = 3;
		err[0] = '\0';
		rc = vcpu_abi_set_cpuid2(&v0, &t0, c, err, sizeof(err));
		ok(!rc && !v0.cpuid_apx && v0.model == &vcpu_cpu_model_noapx,
		   "hiding APX: accepted, the vCPU follows the noapx rules (%d %s)", rc, err);
		vcpu_abi_cpuid(&v0, &t0, 7, 1, out);
		ok(!(out[3] & VCPU_CPUID_7_1_EDX_APX_F), "CPUID.(7,1):EDX[21] now 0");
		vcpu_abi_cpuid(&v0, &t0, VCPU_CPUID_LEAF_APX, 0, out);
		ok(!out[0] && !out[1] && !out[2] && !out[3], "leaf 0x29 now empty");
		x.xcrs[0].value = 3 | VCPU_XCR0_APX;
		before();
		expect(vcpu_abi_set_xcrs(&v0, &x, err, sizeof(err)), -EINVAL,
		       "XCR0.APX refused once the table hides APX");
		c->nent = 0;
		ok(!vcpu_abi_set_cpuid2(&v0, &t0, c, err, sizeof(err)) && v0.cpuid_apx &&
		   v0.model == m, "an empty table shows APX again (the model's)");
	}
#endif
	/* A table entry replaces the leaf; OSXSAVE stays dynamic. */
	c->nent = 2;
	c->entries[0] = (struct kvm_cpuid_entry2){ .function = 0x80000002u, .eax = 0x41414141 };
	c->entries[1] = (struct kvm_cpuid_entry2){ .function = 1, .ecx = 0, .eax = 0x906a0 };
	ok(!vcpu_abi_set_cpuid2(&v0, &t0, c, err, sizeof(err)), "override table accepted");
	vcpu_abi_cpuid(&v0, &t0, 0x80000002u, 0, out);
	ok(out[0] == 0x41414141, "CPUID 0x80000002 comes from the table");
	vcpu_abi_cpuid(&v0, &t0, 1, 0, out);
	ok(out[0] == 0x906a0 && (out[2] & VCPU_CPUID_1_ECX_OSXSAVE),
	   "CPUID.1 from the table, OSXSAVE still mirrors CR4");
	c->nent = 1;
	ok(vcpu_abi_get_cpuid2(&t0, c) == -E2BIG && c->nent == 2,
	   "get_cpuid2: too small -> -E2BIG with the count");
	ok(!vcpu_abi_get_cpuid2(&t0, c) && c->nent == 2 && c->entries[0].eax == 0x41414141,
	   "get_cpuid2 returns the table");
	sup->nent = 200;
	rc = vcpu_abi_supported_cpuid2(&v0, &t0, sup);
	ok(!rc && sup->nent > 20, "supported cpuid lists %u entries", sup->nent);
	sup->nent = 3;
	ok(vcpu_abi_supported_cpuid2(&v0, &t0, sup) == -E2BIG && sup->nent > 20,
	   "supported cpuid: too small -> -E2BIG");
	free(c);
	free(sup);
}

int main(void)
{
	const struct vcpu_cpu_model *models[] = {
#ifdef CONFIG_APX
		&vcpu_cpu_model_apx,
#endif
		&vcpu_cpu_model_noapx,
	};

	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		diag("CPU model %s", models[i]->name);
		test_round_trip(models[i]);
		test_xsave_rules(models[i]);
		test_xcr_rules(models[i]);
		test_sregs_rules(models[i]);
		test_other_rules(models[i]);
		test_cpuid(models[i]);
	}
	return done_testing();
}
