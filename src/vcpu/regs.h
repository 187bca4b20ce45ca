/* SPDX-License-Identifier: MIT */
/*
 * The vCPU register file: R0..R31 (R0..R15 with APX=0), RIP and RFLAGS, and
 * the cache state that lets a backend keep the values elsewhere (in KVM's
 * kvm_run/XSAVE area) until the VMM first looks at them.  Modelled on KVM's
 * regs.h after the APX prep series: GPRs in encoding order in regs[], RIP and
 * RFLAGS beside the array, one bitmap bit per register.
 */
#ifndef APXVM_VCPU_REGS_H
#define APXVM_VCPU_REGS_H

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>

/* Encoding order: the number in ModRM/SIB/REX/REX2/EVEX is the index. */
enum vcpu_reg {
	VCPU_REGS_RAX = 0,
	VCPU_REGS_RCX = 1,
	VCPU_REGS_RDX = 2,
	VCPU_REGS_RBX = 3,
	VCPU_REGS_RSP = 4,
	VCPU_REGS_RBP = 5,
	VCPU_REGS_RSI = 6,
	VCPU_REGS_RDI = 7,
	VCPU_REGS_R8 = 8,
	VCPU_REGS_R9 = 9,
	VCPU_REGS_R10 = 10,
	VCPU_REGS_R11 = 11,
	VCPU_REGS_R12 = 12,
	VCPU_REGS_R13 = 13,
	VCPU_REGS_R14 = 14,
	VCPU_REGS_R15 = 15,
#ifdef CONFIG_APX
	VCPU_REGS_R16 = 16,
	VCPU_REGS_R17 = 17,
	VCPU_REGS_R18 = 18,
	VCPU_REGS_R19 = 19,
	VCPU_REGS_R20 = 20,
	VCPU_REGS_R21 = 21,
	VCPU_REGS_R22 = 22,
	VCPU_REGS_R23 = 23,
	VCPU_REGS_R24 = 24,
	VCPU_REGS_R25 = 25,
	VCPU_REGS_R26 = 26,
	VCPU_REGS_R27 = 27,
	VCPU_REGS_R28 = 28,
	VCPU_REGS_R29 = 29,
	VCPU_REGS_R30 = 30,
	VCPU_REGS_R31 = 31,
#endif
	NR_VCPU_GENERAL_PURPOSE_REGS,

	/* Not in regs[], but cached like the GPRs: these are bitmap bits. */
	VCPU_REG_RIP = NR_VCPU_GENERAL_PURPOSE_REGS,
	VCPU_REG_RFLAGS,

	NR_VCPU_REGS
};

_Static_assert(NR_VCPU_REGS <= 64, "regs_avail/regs_dirty are 64 bits");

#define VCPU_REG_BIT(reg)	(UINT64_C(1) << (reg))
#define VCPU_REGS_ALL		(VCPU_REG_BIT(NR_VCPU_REGS) - 1)

struct vcpu_regfile;

/*
 * Backend hook: load `reg` into the register file (regs[reg], rip or rflags)
 * from wherever the backend keeps it.  Called only for a register that is
 * not available; the caller marks it available afterwards.  NULL means the
 * backend keeps nothing elsewhere (the software CPU).  A backend that needs
 * its vCPU embeds the regfile and uses container_of.
 */
typedef void (*vcpu_cache_reg_fn)(struct vcpu_regfile *rf, enum vcpu_reg reg);

struct vcpu_regfile {
	uint64_t regs[NR_VCPU_GENERAL_PURPOSE_REGS];
	uint64_t rip;
	uint64_t rflags;

	/*
	 * avail  dirty
	 *   0      0	the value lives in the backend, regs[] is stale
	 *   1      0	cached: regs[] holds the value
	 *   1      1	cached and changed: the backend must write it back
	 *   0      1	invalid: a dirty register is also available
	 */
	uint64_t regs_avail;
	uint64_t regs_dirty;

	vcpu_cache_reg_fn cache_reg;
};

/*
 * A register number out of range is a VMM bug (for a decoded number, the
 * decoder let through what should have been #UD), so stop in debug builds.
 * Guest bytes reach these paths, so release (NDEBUG) builds carry on and make
 * the access harmless instead: reads give 0, writes are dropped.  Tests may
 * define VCPU_REG_BUG_ON before including this file to count the hits.
 */
static inline bool vcpu_reg_bug_on(bool bad)
{
	assert(!bad);
	return bad;
}

#ifndef VCPU_REG_BUG_ON
#define VCPU_REG_BUG_ON(cond)	vcpu_reg_bug_on(!!(cond))
#endif

/* No cache hook: everything is available from the start. */
static inline void vcpu_regfile_init(struct vcpu_regfile *rf,
				     vcpu_cache_reg_fn cache_reg)
{
	*rf = (struct vcpu_regfile){
		.regs_avail = cache_reg ? 0 : VCPU_REGS_ALL,
		.cache_reg = cache_reg,
	};
}

/* 0 for a bad number, so the bitmap helpers below never shift past 63. */
static inline uint64_t vcpu_reg_bit(enum vcpu_reg reg)
{
	if (VCPU_REG_BUG_ON((unsigned int)reg >= NR_VCPU_REGS))
		return 0;
	return VCPU_REG_BIT(reg);
}

static inline bool vcpu_reg_is_available(const struct vcpu_regfile *rf,
					 enum vcpu_reg reg)
{
	return rf->regs_avail & vcpu_reg_bit(reg);
}

static inline bool vcpu_reg_is_dirty(const struct vcpu_regfile *rf,
				     enum vcpu_reg reg)
{
	return rf->regs_dirty & vcpu_reg_bit(reg);
}

static inline void vcpu_reg_mark_available(struct vcpu_regfile *rf,
					   enum vcpu_reg reg)
{
	rf->regs_avail |= vcpu_reg_bit(reg);
}

static inline void vcpu_reg_mark_dirty(struct vcpu_regfile *rf,
				       enum vcpu_reg reg)
{
	uint64_t bit = vcpu_reg_bit(reg);

	rf->regs_avail |= bit;
	rf->regs_dirty |= bit;
}

/* After the backend has written every dirty register back. */
static inline void vcpu_regs_mark_clean(struct vcpu_regfile *rf)
{
	rf->regs_dirty = 0;
}

/*
 * After the backend ran the vCPU: regs[] is stale again.  Dropping a dirty
 * register would lose a write, so release builds keep those cached.
 */
static inline void vcpu_regs_invalidate(struct vcpu_regfile *rf)
{
	VCPU_REG_BUG_ON(rf->regs_dirty);
	rf->regs_avail = rf->regs_dirty;
}

/* Make `reg` available, asking the backend on first use. */
static inline void vcpu_reg_cache(struct vcpu_regfile *rf, enum vcpu_reg reg)
{
	if (vcpu_reg_is_available(rf, reg))
		return;
	if (!VCPU_REG_BUG_ON(!rf->cache_reg))
		rf->cache_reg(rf, reg);
	vcpu_reg_mark_available(rf, reg);
}

/* Inner helpers: no range check, `reg` is known good (a constant). */
static inline uint64_t __vcpu_gpr_read(struct vcpu_regfile *rf,
				       enum vcpu_reg reg)
{
	vcpu_reg_cache(rf, reg);
	return rf->regs[reg];
}

static inline void __vcpu_gpr_write(struct vcpu_regfile *rf, enum vcpu_reg reg,
				    uint64_t val)
{
	rf->regs[reg] = val;
	vcpu_reg_mark_dirty(rf, reg);
}

/* 16-bit and 8-bit writes keep the bits outside `mask`. */
static inline void __vcpu_gpr_merge(struct vcpu_regfile *rf, enum vcpu_reg reg,
				    uint64_t mask, uint64_t val)
{
	__vcpu_gpr_write(rf, reg, (__vcpu_gpr_read(rf, reg) & ~mask) | (val & mask));
}

/*
 * One set per register: vcpu_rax_read/write (64 bits), _read32/_write32
 * (a 32-bit write zero-extends to 64), _read16/_write16 and _read8/_write8
 * (the other bits are kept).
 */
#define BUILD_VCPU_GPR_ACCESSORS(lname, uname)					\
static inline uint64_t vcpu_##lname##_read(struct vcpu_regfile *rf)		\
{										\
	return __vcpu_gpr_read(rf, VCPU_REGS_##uname);				\
}										\
static inline void vcpu_##lname##_write(struct vcpu_regfile *rf, uint64_t val)	\
{										\
	__vcpu_gpr_write(rf, VCPU_REGS_##uname, val);				\
}										\
static inline uint32_t vcpu_##lname##_read32(struct vcpu_regfile *rf)		\
{										\
	return (uint32_t)__vcpu_gpr_read(rf, VCPU_REGS_##uname);		\
}										\
static inline void vcpu_##lname##_write32(struct vcpu_regfile *rf, uint32_t val)\
{										\
	__vcpu_gpr_write(rf, VCPU_REGS_##uname, val);				\
}										\
static inline uint16_t vcpu_##lname##_read16(struct vcpu_regfile *rf)		\
{										\
	return (uint16_t)__vcpu_gpr_read(rf, VCPU_REGS_##uname);		\
}										\
static inline void vcpu_##lname##_write16(struct vcpu_regfile *rf, uint16_t val)\
{										\
	__vcpu_gpr_merge(rf, VCPU_REGS_##uname, 0xffff, val);			\
}										\
static inline uint8_t vcpu_##lname##_read8(struct vcpu_regfile *rf)		\
{										\
	return (uint8_t)__vcpu_gpr_read(rf, VCPU_REGS_##uname);			\
}										\
static inline void vcpu_##lname##_write8(struct vcpu_regfile *rf, uint8_t val)	\
{										\
	__vcpu_gpr_merge(rf, VCPU_REGS_##uname, 0xff, val);			\
}

BUILD_VCPU_GPR_ACCESSORS(rax, RAX)
BUILD_VCPU_GPR_ACCESSORS(rcx, RCX)
BUILD_VCPU_GPR_ACCESSORS(rdx, RDX)
BUILD_VCPU_GPR_ACCESSORS(rbx, RBX)
BUILD_VCPU_GPR_ACCESSORS(rsp, RSP)
BUILD_VCPU_GPR_ACCESSORS(rbp, RBP)
BUILD_VCPU_GPR_ACCESSORS(rsi, RSI)
BUILD_VCPU_GPR_ACCESSORS(rdi, RDI)
BUILD_VCPU_GPR_ACCESSORS(r8, R8)
BUILD_VCPU_GPR_ACCESSORS(r9, R9)
BUILD_VCPU_GPR_ACCESSORS(r10, R10)
BUILD_VCPU_GPR_ACCESSORS(r11, R11)
BUILD_VCPU_GPR_ACCESSORS(r12, R12)
BUILD_VCPU_GPR_ACCESSORS(r13, R13)
BUILD_VCPU_GPR_ACCESSORS(r14, R14)
BUILD_VCPU_GPR_ACCESSORS(r15, R15)
#ifdef CONFIG_APX
BUILD_VCPU_GPR_ACCESSORS(r16, R16)
BUILD_VCPU_GPR_ACCESSORS(r17, R17)
BUILD_VCPU_GPR_ACCESSORS(r18, R18)
BUILD_VCPU_GPR_ACCESSORS(r19, R19)
BUILD_VCPU_GPR_ACCESSORS(r20, R20)
BUILD_VCPU_GPR_ACCESSORS(r21, R21)
BUILD_VCPU_GPR_ACCESSORS(r22, R22)
BUILD_VCPU_GPR_ACCESSORS(r23, R23)
BUILD_VCPU_GPR_ACCESSORS(r24, R24)
BUILD_VCPU_GPR_ACCESSORS(r25, R25)
BUILD_VCPU_GPR_ACCESSORS(r26, R26)
BUILD_VCPU_GPR_ACCESSORS(r27, R27)
BUILD_VCPU_GPR_ACCESSORS(r28, R28)
BUILD_VCPU_GPR_ACCESSORS(r29, R29)
BUILD_VCPU_GPR_ACCESSORS(r30, R30)
BUILD_VCPU_GPR_ACCESSORS(r31, R31)
#endif

/* AH, CH, DH, BH: bits 15:8 of RAX..RBX.  No other register has a high byte. */
#define BUILD_VCPU_GPR8H_ACCESSORS(lname, uname)				\
static inline uint8_t vcpu_##lname##_read(struct vcpu_regfile *rf)		\
{										\
	return (uint8_t)(__vcpu_gpr_read(rf, VCPU_REGS_##uname) >> 8);		\
}										\
static inline void vcpu_##lname##_write(struct vcpu_regfile *rf, uint8_t val)	\
{										\
	__vcpu_gpr_merge(rf, VCPU_REGS_##uname, 0xff00, (uint64_t)val << 8);	\
}

BUILD_VCPU_GPR8H_ACCESSORS(ah, RAX)
BUILD_VCPU_GPR8H_ACCESSORS(ch, RCX)
BUILD_VCPU_GPR8H_ACCESSORS(dh, RDX)
BUILD_VCPU_GPR8H_ACCESSORS(bh, RBX)

static inline uint64_t vcpu_rip_read(struct vcpu_regfile *rf)
{
	vcpu_reg_cache(rf, VCPU_REG_RIP);
	return rf->rip;
}

static inline void vcpu_rip_write(struct vcpu_regfile *rf, uint64_t val)
{
	rf->rip = val;
	vcpu_reg_mark_dirty(rf, VCPU_REG_RIP);
}

static inline uint64_t vcpu_rflags_read(struct vcpu_regfile *rf)
{
	vcpu_reg_cache(rf, VCPU_REG_RFLAGS);
	return rf->rflags;
}

static inline void vcpu_rflags_write(struct vcpu_regfile *rf, uint64_t val)
{
	rf->rflags = val;
	vcpu_reg_mark_dirty(rf, VCPU_REG_RFLAGS);
}

/*
 * By number, for decoded register fields (0..31).  The number is checked
 * against NR_VCPU_GENERAL_PURPOSE_REGS, so with APX=0 16..31 are bugs.
 */
static inline bool vcpu_gpr_index_ok(unsigned int reg)
{
	return !VCPU_REG_BUG_ON(reg >= NR_VCPU_GENERAL_PURPOSE_REGS);
}

static inline uint64_t vcpu_gpr_index_read(struct vcpu_regfile *rf,
					   unsigned int reg)
{
	if (!vcpu_gpr_index_ok(reg))
		return 0;
	return __vcpu_gpr_read(rf, (enum vcpu_reg)reg);
}

static inline void vcpu_gpr_index_write(struct vcpu_regfile *rf,
					unsigned int reg, uint64_t val)
{
	if (vcpu_gpr_index_ok(reg))
		__vcpu_gpr_write(rf, (enum vcpu_reg)reg, val);
}

static inline void vcpu_gpr_index_merge(struct vcpu_regfile *rf,
					unsigned int reg, uint64_t mask,
					uint64_t val)
{
	if (vcpu_gpr_index_ok(reg))
		__vcpu_gpr_merge(rf, (enum vcpu_reg)reg, mask, val);
}

static inline uint64_t vcpu_gpr_read64(struct vcpu_regfile *rf, unsigned int reg)
{
	return vcpu_gpr_index_read(rf, reg);
}

static inline uint32_t vcpu_gpr_read32(struct vcpu_regfile *rf, unsigned int reg)
{
	return (uint32_t)vcpu_gpr_index_read(rf, reg);
}

static inline uint16_t vcpu_gpr_read16(struct vcpu_regfile *rf, unsigned int reg)
{
	return (uint16_t)vcpu_gpr_index_read(rf, reg);
}

/* The low byte: 4..7 are SPL..DIL here, never AH..BH. */
static inline uint8_t vcpu_gpr_read8(struct vcpu_regfile *rf, unsigned int reg)
{
	return (uint8_t)vcpu_gpr_index_read(rf, reg);
}

static inline void vcpu_gpr_write64(struct vcpu_regfile *rf, unsigned int reg,
				    uint64_t val)
{
	vcpu_gpr_index_write(rf, reg, val);
}

/* Zero-extends, as every 32-bit GPR write does in 64-bit mode. */
static inline void vcpu_gpr_write32(struct vcpu_regfile *rf, unsigned int reg,
				    uint32_t val)
{
	vcpu_gpr_index_write(rf, reg, val);
}

static inline void vcpu_gpr_write16(struct vcpu_regfile *rf, unsigned int reg,
				    uint16_t val)
{
	vcpu_gpr_index_merge(rf, reg, 0xffff, val);
}

static inline void vcpu_gpr_write8(struct vcpu_regfile *rf, unsigned int reg,
				   uint8_t val)
{
	vcpu_gpr_index_merge(rf, reg, 0xff, val);
}

/*
 * Legacy high bytes, by the number of the full register: 0..3 give
 * AH, CH, DH, BH.  (The encoded numbers 4..7 without REX are reg + 4.)
 */
static inline bool vcpu_gpr8h_ok(unsigned int reg)
{
	return !VCPU_REG_BUG_ON(reg > VCPU_REGS_RBX);
}

static inline uint8_t vcpu_gpr_read8h(struct vcpu_regfile *rf, unsigned int reg)
{
	if (!vcpu_gpr8h_ok(reg))
		return 0;
	return (uint8_t)(__vcpu_gpr_read(rf, (enum vcpu_reg)reg) >> 8);
}

static inline void vcpu_gpr_write8h(struct vcpu_regfile *rf, unsigned int reg,
				    uint8_t val)
{
	if (vcpu_gpr8h_ok(reg))
		__vcpu_gpr_merge(rf, (enum vcpu_reg)reg, 0xff00, (uint64_t)val << 8);
}

/* By operand size in bytes (1, 2, 4, 8), with the same write rules. */
static inline uint64_t vcpu_gpr_read_sized(struct vcpu_regfile *rf,
					   unsigned int reg, unsigned int bytes)
{
	switch (bytes) {
	case 1: return vcpu_gpr_read8(rf, reg);
	case 2: return vcpu_gpr_read16(rf, reg);
	case 4: return vcpu_gpr_read32(rf, reg);
	case 8: return vcpu_gpr_read64(rf, reg);
	}
	VCPU_REG_BUG_ON(true);
	return 0;
}

static inline void vcpu_gpr_write_sized(struct vcpu_regfile *rf,
					unsigned int reg, unsigned int bytes,
					uint64_t val)
{
	switch (bytes) {
	case 1: vcpu_gpr_write8(rf, reg, (uint8_t)val); return;
	case 2: vcpu_gpr_write16(rf, reg, (uint16_t)val); return;
	case 4: vcpu_gpr_write32(rf, reg, (uint32_t)val); return;
	case 8: vcpu_gpr_write64(rf, reg, val); return;
	}
	VCPU_REG_BUG_ON(true);
}

/* "rax".."r31" for 0..NR_VCPU_GENERAL_PURPOSE_REGS-1, "?" otherwise. */
const char *vcpu_gpr_name(unsigned int reg);

/* The inverse, for the 64-bit lowercase names: the number, or -1. */
int vcpu_gpr_lookup(const char *name);

#endif
