/* SPDX-License-Identifier: MIT */
/*
 * The vCPU register file (src/vcpu/regs.h): encoding-order numbering, the
 * generated accessors, x86 partial-write rules, the avail/dirty cache and the
 * range checks.  Builds with and without CONFIG_APX.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L	/* fork, dup2 */
#endif
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Count range-check hits instead of aborting, to test the release behaviour. */
static int bug_hits;
static bool bug_abort;
static bool test_bug_on(bool bad);
#define VCPU_REG_BUG_ON(cond)	test_bug_on(!!(cond))

#include "vcpu/regs.h"
#include "tap.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NR_GPRS		NR_VCPU_GENERAL_PURPOSE_REGS

static bool test_bug_on(bool bad)
{
	if (bug_abort)
		return vcpu_reg_bug_on(bad);	/* the real check */
	bug_hits += bad;
	return bad;
}

/* Distinct per register, and every byte distinct within one value. */
static uint64_t pat(unsigned int i)
{
	return UINT64_C(0x8877665544332211) + i * UINT64_C(0x0101010101010101);
}

struct named {
	const char *name;
	enum vcpu_reg reg;
	uint64_t (*read)(struct vcpu_regfile *);
	void (*write)(struct vcpu_regfile *, uint64_t);
	uint32_t (*read32)(struct vcpu_regfile *);
	void (*write32)(struct vcpu_regfile *, uint32_t);
	uint16_t (*read16)(struct vcpu_regfile *);
	void (*write16)(struct vcpu_regfile *, uint16_t);
	uint8_t (*read8)(struct vcpu_regfile *);
	void (*write8)(struct vcpu_regfile *, uint8_t);
};

#define NAMED(l, u)							\
	{ #l, VCPU_REGS_##u, vcpu_##l##_read, vcpu_##l##_write,		\
	  vcpu_##l##_read32, vcpu_##l##_write32, vcpu_##l##_read16,	\
	  vcpu_##l##_write16, vcpu_##l##_read8, vcpu_##l##_write8 }

static const struct named named[] = {
	NAMED(rax, RAX), NAMED(rcx, RCX), NAMED(rdx, RDX), NAMED(rbx, RBX),
	NAMED(rsp, RSP), NAMED(rbp, RBP), NAMED(rsi, RSI), NAMED(rdi, RDI),
	NAMED(r8, R8),   NAMED(r9, R9),   NAMED(r10, R10), NAMED(r11, R11),
	NAMED(r12, R12), NAMED(r13, R13), NAMED(r14, R14), NAMED(r15, R15),
#ifdef CONFIG_APX
	NAMED(r16, R16), NAMED(r17, R17), NAMED(r18, R18), NAMED(r19, R19),
	NAMED(r20, R20), NAMED(r21, R21), NAMED(r22, R22), NAMED(r23, R23),
	NAMED(r24, R24), NAMED(r25, R25), NAMED(r26, R26), NAMED(r27, R27),
	NAMED(r28, R28), NAMED(r29, R29), NAMED(r30, R30), NAMED(r31, R31),
#endif
};

static const struct {
	const char *name;
	uint8_t (*read)(struct vcpu_regfile *);
	void (*write)(struct vcpu_regfile *, uint8_t);
} named8h[] = {
	{ "ah", vcpu_ah_read, vcpu_ah_write },
	{ "ch", vcpu_ch_read, vcpu_ch_write },
	{ "dh", vcpu_dh_read, vcpu_dh_write },
	{ "bh", vcpu_bh_read, vcpu_bh_write },
};

static void test_layout(void)
{
#ifdef CONFIG_APX
	ok(NR_GPRS == 32, "APX: 32 GPRs (%d)", NR_GPRS);
	ok(VCPU_REGS_R16 == 16 && VCPU_REGS_R31 == 31, "R16 = 16, R31 = 31");
	ok(VCPU_REG_RIP == 32 && VCPU_REG_RFLAGS == 33,
	   "RIP and RFLAGS are bits 32 and 33, past the GPRs");
#else
	ok(NR_GPRS == 16, "no APX: 16 GPRs (%d)", NR_GPRS);
	ok(VCPU_REG_RIP == 16 && VCPU_REG_RFLAGS == 17,
	   "RIP and RFLAGS are bits 16 and 17, past the GPRs");
#endif
	ok(VCPU_REGS_RAX == 0 && VCPU_REGS_RCX == 1 && VCPU_REGS_RDX == 2 &&
	   VCPU_REGS_RBX == 3 && VCPU_REGS_RSP == 4 && VCPU_REGS_RBP == 5 &&
	   VCPU_REGS_RSI == 6 && VCPU_REGS_RDI == 7 && VCPU_REGS_R8 == 8 &&
	   VCPU_REGS_R15 == 15, "encoding order");
	ok(sizeof(((struct vcpu_regfile *)0)->regs) == NR_GPRS * sizeof(uint64_t),
	   "regs[] holds exactly the GPRs");
	ok(VCPU_REGS_ALL == VCPU_REG_BIT(VCPU_REG_RFLAGS + 1) - 1,
	   "VCPU_REGS_ALL covers GPRs, RIP and RFLAGS");
}

static void test_names(void)
{
	int bad = 0;

	ok(ARRAY_SIZE(named) == NR_GPRS, "one named accessor set per GPR (%zu)",
	   ARRAY_SIZE(named));
	for (unsigned int i = 0; i < ARRAY_SIZE(named); i++) {
		if (named[i].reg != i || strcmp(vcpu_gpr_name(i), named[i].name) ||
		    vcpu_gpr_lookup(named[i].name) != (int)i) {
			diag("%u: %s / %s", i, named[i].name, vcpu_gpr_name(i));
			bad++;
		}
	}
	ok(!bad, "vcpu_gpr_name/lookup agree with the accessor names");
	ok(!strcmp(vcpu_gpr_name(NR_GPRS), "?") && !strcmp(vcpu_gpr_name(UINT_MAX), "?"),
	   "vcpu_gpr_name out of range is \"?\"");
	ok(vcpu_gpr_lookup("r32") == -1 && vcpu_gpr_lookup("RAX") == -1 &&
	   vcpu_gpr_lookup("") == -1 && vcpu_gpr_lookup("eax") == -1,
	   "vcpu_gpr_lookup rejects other names");
#ifndef CONFIG_APX
	ok(vcpu_gpr_lookup("r16") == -1 && vcpu_gpr_lookup("r31") == -1,
	   "no APX: r16..r31 are unknown");
#endif
}

/* Every other GPR still holds ~pat(j). */
static int others_intact(struct vcpu_regfile *rf, unsigned int k)
{
	int bad = 0;

	for (unsigned int j = 0; j < NR_GPRS; j++)
		if (j != k && rf->regs[j] != ~pat(j))
			bad++;
	return bad;
}

static void fill_inverse(struct vcpu_regfile *rf)
{
	for (unsigned int j = 0; j < NR_GPRS; j++)
		vcpu_gpr_write64(rf, j, ~pat(j));
}

static void test_roundtrip(void)
{
	struct vcpu_regfile rf;
	int bad_named = 0, bad_index = 0, bad_store = 0, bad_iso = 0;

	vcpu_regfile_init(&rf, NULL);
	for (unsigned int k = 0; k < ARRAY_SIZE(named); k++)
		named[k].write(&rf, pat(k));
	for (unsigned int k = 0; k < ARRAY_SIZE(named); k++) {
		bad_store += rf.regs[k] != pat(k);
		bad_named += named[k].read(&rf) != pat(k);
		bad_index += vcpu_gpr_read64(&rf, k) != pat(k) ||
			     vcpu_gpr_index_read(&rf, k) != pat(k);
	}
	ok(!bad_store, "named writes land in regs[reg]");
	ok(!bad_named, "named write -> named read");
	ok(!bad_index, "named write -> index read");

	bad_named = bad_index = 0;
	for (unsigned int k = 0; k < NR_GPRS; k++)
		vcpu_gpr_index_write(&rf, k, ~pat(k));
	for (unsigned int k = 0; k < ARRAY_SIZE(named); k++) {
		bad_named += named[k].read(&rf) != ~pat(k);
		bad_index += vcpu_gpr_read64(&rf, k) != ~pat(k);
	}
	ok(!bad_named, "index write -> named read");
	ok(!bad_index, "index write -> index read");

	/* Distinct storage: one write changes exactly one register. */
	for (unsigned int k = 0; k < ARRAY_SIZE(named); k++) {
		fill_inverse(&rf);
		named[k].write(&rf, pat(k));
		if (rf.regs[k] != pat(k) || others_intact(&rf, k)) {
			diag("named write to %s", named[k].name);
			bad_iso++;
		}
		fill_inverse(&rf);
		vcpu_gpr_write64(&rf, k, pat(k));
		if (rf.regs[k] != pat(k) || others_intact(&rf, k)) {
			diag("index write to %u", k);
			bad_iso++;
		}
	}
	ok(!bad_iso, "each write changes only its own register");
}

/* Expected value after writing `val` of `bytes` over `old`. */
static uint64_t x86_merge(uint64_t old, unsigned int bytes, uint64_t val)
{
	switch (bytes) {
	case 1: return (old & ~UINT64_C(0xff)) | (val & 0xff);
	case 2: return (old & ~UINT64_C(0xffff)) | (val & 0xffff);
	case 4: return val & 0xffffffff;	/* zero-extends */
	}
	return val;
}

static void test_widths(void)
{
	static const unsigned int sizes[] = { 1, 2, 4, 8 };
	const uint64_t v = UINT64_C(0xfedcba9876543210);
	struct vcpu_regfile rf;
	int bad_named = 0, bad_index = 0, bad_sized = 0, bad_read = 0;
	int bad_h = 0;

	vcpu_regfile_init(&rf, NULL);
	for (unsigned int k = 0; k < ARRAY_SIZE(named); k++) {
		const struct named *n = &named[k];
		uint64_t old = pat(k);

		/* Narrow reads are the low bits. */
		n->write(&rf, old);
		bad_read += n->read32(&rf) != (uint32_t)old ||
			    n->read16(&rf) != (uint16_t)old ||
			    n->read8(&rf) != (uint8_t)old ||
			    vcpu_gpr_read32(&rf, k) != (uint32_t)old ||
			    vcpu_gpr_read16(&rf, k) != (uint16_t)old ||
			    vcpu_gpr_read8(&rf, k) != (uint8_t)old;

		n->write(&rf, old); n->write32(&rf, (uint32_t)v);
		bad_named += rf.regs[k] != x86_merge(old, 4, v);
		n->write(&rf, old); n->write16(&rf, (uint16_t)v);
		bad_named += rf.regs[k] != x86_merge(old, 2, v);
		n->write(&rf, old); n->write8(&rf, (uint8_t)v);
		bad_named += rf.regs[k] != x86_merge(old, 1, v);

		vcpu_gpr_write64(&rf, k, old); vcpu_gpr_write32(&rf, k, (uint32_t)v);
		bad_index += rf.regs[k] != x86_merge(old, 4, v);
		vcpu_gpr_write64(&rf, k, old); vcpu_gpr_write16(&rf, k, (uint16_t)v);
		bad_index += rf.regs[k] != x86_merge(old, 2, v);
		vcpu_gpr_write64(&rf, k, old); vcpu_gpr_write8(&rf, k, (uint8_t)v);
		bad_index += rf.regs[k] != x86_merge(old, 1, v);

		for (unsigned int s = 0; s < ARRAY_SIZE(sizes); s++) {
			unsigned int b = sizes[s];

			vcpu_gpr_write64(&rf, k, old);
			bad_sized += vcpu_gpr_read_sized(&rf, k, b) != x86_merge(0, b, old);
			vcpu_gpr_write_sized(&rf, k, b, v);
			bad_sized += rf.regs[k] != x86_merge(old, b, v);
		}
		if (bad_named + bad_index + bad_sized + bad_read)
			diag("widths wrong at %s", n->name);
	}
	ok(!bad_read, "32/16/8-bit reads return the low bits, all GPRs");
	ok(!bad_named, "named write32 zero-extends, write16/8 keep the rest, all GPRs");
	ok(!bad_index, "index write32 zero-extends, write16/8 keep the rest, all GPRs");
	ok(!bad_sized, "sized reads/writes follow the same rules");

	/* SPL..DIL by index are low bytes; bits 15:8 stay. */
	vcpu_gpr_write64(&rf, VCPU_REGS_RSP, pat(4));
	vcpu_gpr_write8(&rf, VCPU_REGS_RSP, 0x5a);
	ok(rf.regs[VCPU_REGS_RSP] == ((pat(4) & ~UINT64_C(0xff)) | 0x5a),
	   "index 4 byte write is SPL, not AH");

	for (unsigned int j = 0; j < NR_GPRS; j++)
		vcpu_gpr_write64(&rf, j, pat(j));
	for (unsigned int k = 0; k < 4; k++) {
		uint64_t old = pat(k);
		uint64_t want = (old & ~UINT64_C(0xff00)) | 0x5a00;

		vcpu_gpr_write64(&rf, k, old);
		bad_h += named8h[k].read(&rf) != (uint8_t)(old >> 8) ||
			 vcpu_gpr_read8h(&rf, k) != (uint8_t)(old >> 8);
		named8h[k].write(&rf, 0x5a);
		bad_h += rf.regs[k] != want;
		vcpu_gpr_write64(&rf, k, old);
		vcpu_gpr_write8h(&rf, k, 0x5a);
		bad_h += rf.regs[k] != want;
		/* ...and no other register moved. */
		for (unsigned int j = 0; j < NR_GPRS; j++)
			bad_h += j != k && rf.regs[j] != pat(j);
		if (bad_h)
			diag("high byte wrong at %s", named8h[k].name);
		vcpu_gpr_write64(&rf, k, pat(k));
	}
	ok(!bad_h, "AH/CH/DH/BH read bits 15:8 and write only bits 15:8");
}

static unsigned int hook_calls[NR_VCPU_REGS];

static uint64_t backend_val(enum vcpu_reg reg)
{
	return UINT64_C(0xb0b0b0b0b0b0b000) | reg;
}

static void test_cache_reg(struct vcpu_regfile *rf, enum vcpu_reg reg)
{
	if ((unsigned int)reg >= NR_VCPU_REGS)
		return;
	hook_calls[reg]++;
	if (reg == VCPU_REG_RIP)
		rf->rip = backend_val(reg);
	else if (reg == VCPU_REG_RFLAGS)
		rf->rflags = backend_val(reg);
	else
		rf->regs[reg] = backend_val(reg);
}

static unsigned int total_calls(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < NR_VCPU_REGS; i++)
		n += hook_calls[i];
	return n;
}

static void test_cache(void)
{
	const uint64_t gprs = VCPU_REG_BIT(NR_GPRS) - 1;
	struct vcpu_regfile rf;
	int bad = 0;
	uint64_t want;

	memset(hook_calls, 0, sizeof(hook_calls));
	vcpu_regfile_init(&rf, test_cache_reg);
	ok(rf.regs_avail == 0 && rf.regs_dirty == 0,
	   "with a cache hook nothing starts available");

	for (unsigned int k = 0; k < NR_GPRS; k++) {
		bad += vcpu_gpr_read64(&rf, k) != backend_val(k);
		bad += vcpu_gpr_read8(&rf, k) != (uint8_t)backend_val(k);
		bad += named[k].read(&rf) != backend_val(k);
		bad += hook_calls[k] != 1;
		bad += !vcpu_reg_is_available(&rf, k) || vcpu_reg_is_dirty(&rf, k);
	}
	ok(!bad, "first read of each GPR calls the hook once and returns its value");
	ok(rf.regs_avail == gprs && rf.regs_dirty == 0,
	   "reads mark exactly the GPRs available, none dirty (%#llx)",
	   (unsigned long long)rf.regs_avail);
	ok(total_calls() == NR_GPRS, "no other hook calls (%u)", total_calls());

	ok(vcpu_rip_read(&rf) == backend_val(VCPU_REG_RIP) &&
	   vcpu_rip_read(&rf) == backend_val(VCPU_REG_RIP) &&
	   hook_calls[VCPU_REG_RIP] == 1, "RIP read calls the hook once");
	ok(vcpu_rflags_read(&rf) == backend_val(VCPU_REG_RFLAGS) &&
	   vcpu_rflags_read(&rf) == backend_val(VCPU_REG_RFLAGS) &&
	   hook_calls[VCPU_REG_RFLAGS] == 1, "RFLAGS read calls the hook once");
	ok(rf.regs_avail == VCPU_REGS_ALL && rf.regs_dirty == 0,
	   "RIP and RFLAGS have their own bits (%#llx)",
	   (unsigned long long)rf.regs_avail);
#ifdef CONFIG_APX
	ok((rf.regs_avail >> 32) == 3, "RIP/RFLAGS bits sit above bit 31");
#endif

	/* Writes: available and dirty; only partial writes need the old value. */
	memset(hook_calls, 0, sizeof(hook_calls));
	vcpu_regs_invalidate(&rf);
	ok(rf.regs_avail == 0, "invalidate drops every cached register");
	vcpu_gpr_write64(&rf, VCPU_REGS_RCX, 1);
	vcpu_gpr_write32(&rf, VCPU_REGS_RBX, 2);
	vcpu_rip_write(&rf, 0x1000);
	vcpu_rflags_write(&rf, 0x202);
	named[NR_GPRS - 1].write(&rf, 3);
	ok(total_calls() == 0, "64/32-bit, RIP and RFLAGS writes do not call the hook");
	vcpu_gpr_write16(&rf, VCPU_REGS_RDX, 0x1234);
	vcpu_gpr_write8h(&rf, VCPU_REGS_RAX, 0x56);
	ok(hook_calls[VCPU_REGS_RDX] == 1 && hook_calls[VCPU_REGS_RAX] == 1 &&
	   total_calls() == 2, "16-bit and high-byte writes fetch the old value once");
	ok(rf.regs[VCPU_REGS_RDX] == ((backend_val(VCPU_REGS_RDX) & ~UINT64_C(0xffff)) | 0x1234) &&
	   rf.regs[VCPU_REGS_RAX] == ((backend_val(VCPU_REGS_RAX) & ~UINT64_C(0xff00)) | 0x5600),
	   "partial writes merge into the backend's value");
	want = VCPU_REG_BIT(VCPU_REGS_RAX) | VCPU_REG_BIT(VCPU_REGS_RCX) |
	       VCPU_REG_BIT(VCPU_REGS_RDX) | VCPU_REG_BIT(VCPU_REGS_RBX) |
	       VCPU_REG_BIT(NR_GPRS - 1) | VCPU_REG_BIT(VCPU_REG_RIP) |
	       VCPU_REG_BIT(VCPU_REG_RFLAGS);
	ok(rf.regs_dirty == want && rf.regs_avail == want,
	   "writes mark exactly those registers available and dirty (%#llx)",
	   (unsigned long long)rf.regs_dirty);
	ok(vcpu_rip_read(&rf) == 0x1000 && vcpu_rflags_read(&rf) == 0x202 &&
	   total_calls() == 2, "written RIP/RFLAGS read back without the hook");

	vcpu_regs_mark_clean(&rf);
	ok(rf.regs_dirty == 0 && rf.regs_avail == want,
	   "mark_clean keeps them cached, not dirty");
	vcpu_reg_mark_dirty(&rf, VCPU_REGS_RSI);
	ok(vcpu_reg_is_dirty(&rf, VCPU_REGS_RSI) &&
	   vcpu_reg_is_available(&rf, VCPU_REGS_RSI),
	   "mark_dirty also marks available");

	/* Invalidating with a dirty register is a bug; keep it cached. */
	bug_hits = 0;
	vcpu_regs_invalidate(&rf);
	ok(bug_hits == 1 && rf.regs_avail == VCPU_REG_BIT(VCPU_REGS_RSI),
	   "invalidate with dirty registers is caught and keeps them");
	vcpu_regs_mark_clean(&rf);
	vcpu_regs_invalidate(&rf);
	bug_hits = 0;
	memset(hook_calls, 0, sizeof(hook_calls));
	ok(vcpu_gpr_read64(&rf, VCPU_REGS_RCX) == backend_val(VCPU_REGS_RCX) &&
	   hook_calls[VCPU_REGS_RCX] == 1 && !bug_hits,
	   "after invalidate the next read asks the backend again");

	/* The software CPU: no hook, all available, never a bug. */
	vcpu_regfile_init(&rf, NULL);
	ok(rf.regs_avail == VCPU_REGS_ALL && rf.regs_dirty == 0,
	   "no hook: everything available from the start");
	vcpu_gpr_write16(&rf, VCPU_REGS_R15, 7);
	ok(vcpu_gpr_read64(&rf, VCPU_REGS_R15) == 7 && vcpu_rip_read(&rf) == 0 &&
	   !bug_hits, "no hook: reads and partial writes work");
	rf.regs_avail = 0;
	ok(vcpu_gpr_read64(&rf, VCPU_REGS_R15) == 7 && bug_hits == 1 &&
	   vcpu_reg_is_available(&rf, VCPU_REGS_R15),
	   "unavailable without a hook is caught, then treated as cached");
	bug_hits = 0;
}

static void test_out_of_range(void)
{
	static const unsigned int bad_regs[] = {
#ifndef CONFIG_APX
		16, 17, 24, 31,
#endif
		32, 33, 63, 64, 255, UINT_MAX,
	};
	struct vcpu_regfile rf, snap;
	int bad_read = 0, hits;

	vcpu_regfile_init(&rf, NULL);
	for (unsigned int k = 0; k < NR_GPRS; k++)
		vcpu_gpr_write64(&rf, k, pat(k));
	snap = rf;

	bug_hits = 0;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_regs); i++) {
		unsigned int r = bad_regs[i];

		bad_read += vcpu_gpr_index_read(&rf, r) != 0;
		bad_read += vcpu_gpr_read64(&rf, r) != 0;
		bad_read += vcpu_gpr_read32(&rf, r) != 0;
		bad_read += vcpu_gpr_read16(&rf, r) != 0;
		bad_read += vcpu_gpr_read8(&rf, r) != 0;
		bad_read += vcpu_gpr_read_sized(&rf, r, 8) != 0;
		vcpu_gpr_index_write(&rf, r, ~0ull);
		vcpu_gpr_write64(&rf, r, ~0ull);
		vcpu_gpr_write32(&rf, r, ~0u);
		vcpu_gpr_write16(&rf, r, 0xffff);
		vcpu_gpr_write8(&rf, r, 0xff);
		vcpu_gpr_write_sized(&rf, r, 4, ~0ull);
	}
	hits = bug_hits;
	ok(!bad_read, "out-of-range index reads return 0");
	ok(!memcmp(&rf, &snap, sizeof(rf)), "out-of-range index writes are dropped");
	ok(hits == (int)(12 * ARRAY_SIZE(bad_regs)),
	   "every out-of-range access is caught (%d)", hits);

	/* Only RAX..RBX have a high byte; R16B..R31B never do. */
	bug_hits = 0;
	bad_read = 0;
	for (unsigned int r = 4; r < 40; r++) {
		bad_read += vcpu_gpr_read8h(&rf, r) != 0;
		vcpu_gpr_write8h(&rf, r, 0xff);
	}
	ok(!bad_read && !memcmp(&rf, &snap, sizeof(rf)) && bug_hits == 2 * 36,
	   "high byte of register 4 and up is caught, reads 0, writes dropped");

	bug_hits = 0;
	ok(vcpu_gpr_read_sized(&rf, 0, 3) == 0 && bug_hits == 1,
	   "bad operand size read is caught, reads 0");
	vcpu_gpr_write_sized(&rf, 0, 16, 0);
	ok(!memcmp(&rf, &snap, sizeof(rf)) && bug_hits == 2,
	   "bad operand size write is caught and dropped");

	bug_hits = 0;
	ok(!vcpu_reg_is_available(&rf, NR_VCPU_REGS) &&
	   !vcpu_reg_is_dirty(&rf, 64) && bug_hits == 2,
	   "bitmap helpers catch bad numbers");
	vcpu_reg_mark_dirty(&rf, 64);
	vcpu_reg_mark_available(&rf, NR_VCPU_REGS);
	ok(!memcmp(&rf, &snap, sizeof(rf)) && bug_hits == 4,
	   "marking a bad number changes nothing");
	bug_hits = 0;
}

/* The real check stops a debug build; NDEBUG builds carry on. */
static void test_assert(void)
{
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct vcpu_regfile rf;
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0)
			dup2(null, STDERR_FILENO);	/* the assert message */
		vcpu_regfile_init(&rf, NULL);
		bug_abort = true;
		_exit(vcpu_gpr_index_read(&rf, NR_GPRS) == 0 ? 0 : 1);
	}
	ok(pid > 0 && waitpid(pid, &status, 0) == pid, "forked a child");
#ifndef NDEBUG
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	   "debug build: index %d asserts (status %#x)", NR_GPRS, status);
#else
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "NDEBUG build: index %d reads 0 (status %#x)", NR_GPRS, status);
#endif
}

int main(void)
{
	test_layout();
	test_names();
	test_roundtrip();
	test_widths();
	ok(bug_hits == 0, "in-range accesses never trip the range check (%d)",
	   bug_hits);
	test_cache();
	test_out_of_range();
	test_assert();
	return done_testing();
}
