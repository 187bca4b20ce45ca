/* SPDX-License-Identifier: MIT */
/* XSAVE area layout, header checks and the APX component (see xstate.h). */
#include <string.h>

#include "vcpu/cpuid.h"
#include "vcpu/xstate.h"

/*
 * The components this vCPU can have.  x87 and SSE live in the legacy
 * region (SDM Vol. 1, 13.4.1); APX: CPUID.(0DH,19) EAX=128 EBX=960 ECX=0.
 */
static const struct vcpu_xstate_comp xstate_x87 = { 0, 160, false };
static const struct vcpu_xstate_comp xstate_sse = { 160, 256, false };
#ifdef CONFIG_APX
static const struct vcpu_xstate_comp xstate_apx = {
	VCPU_XSAVE_APX_OFFSET, VCPU_XSAVE_APX_SIZE, false
};
#endif

/* Highest component number that exists at all (XCR0 bits 0..62). */
#define XSTATE_MAX_COMP	62u

const struct vcpu_xstate_comp *vcpu_xstate_comp_info(unsigned int comp)
{
	switch (comp) {
	case 0: return &xstate_x87;
	case 1: return &xstate_sse;
#ifdef CONFIG_APX
	case 19: return &xstate_apx;
#endif
	}
	return NULL;
}

/*
 * The next known extended component (>= 2) of `mask` from *i on, or NULL;
 * *i is left at its number.  Both layouts below walk the mask with it.
 */
static const struct vcpu_xstate_comp *next_ext(uint64_t mask, unsigned int *i)
{
	for (; *i <= XSTATE_MAX_COMP; (*i)++) {
		const struct vcpu_xstate_comp *c;

		if (((mask >> *i) & 1) && (c = vcpu_xstate_comp_info(*i)))
			return c;
	}
	return NULL;
}

uint32_t vcpu_xstate_std_size(uint64_t mask)
{
	const struct vcpu_xstate_comp *c;
	uint32_t size = VCPU_XSAVE_EXT_OFFSET;
	unsigned int i;

	for (i = 2; (c = next_ext(mask, &i)); i++)
		if (c->offset + c->size > size)
			size = c->offset + c->size;
	return size;
}

/*
 * Walk the compacted layout (SDM Vol. 1, 13.4.3): components 2.. in order,
 * each at the end of the previous one, rounded up to 64 if align64.
 * Returns the offset of `want` (or the total size for want = ~0u).
 */
static uint32_t compacted_walk(uint64_t mask, unsigned int want)
{
	const struct vcpu_xstate_comp *c;
	uint32_t off = VCPU_XSAVE_EXT_OFFSET;
	unsigned int i;

	for (i = 2; (c = next_ext(mask, &i)); i++) {
		if (c->align64)
			off = (off + 63u) & ~63u;
		if (i == want)
			return off;
		off += c->size;
	}
	return want == ~0u ? off : 0;
}

uint32_t vcpu_xstate_compacted_size(uint64_t mask)
{
	return compacted_walk(mask, ~0u);
}

uint32_t vcpu_xstate_compacted_offset(uint64_t xcomp_bv, unsigned int comp)
{
	if (comp < 2 || comp > XSTATE_MAX_COMP)
		return 0;
	return compacted_walk(xcomp_bv, comp);
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

uint64_t vcpu_xsave_get_xstate_bv(const uint8_t *area)
{
	return get_le64(area + VCPU_XSAVE_XSTATE_BV_OFFSET);
}

void vcpu_xsave_set_xstate_bv(uint8_t *area, uint64_t v)
{
	put_le64(area + VCPU_XSAVE_XSTATE_BV_OFFSET, v);
}

uint64_t vcpu_xsave_get_xcomp_bv(const uint8_t *area)
{
	return get_le64(area + VCPU_XSAVE_XCOMP_BV_OFFSET);
}

void vcpu_xsave_set_xcomp_bv(uint8_t *area, uint64_t v)
{
	put_le64(area + VCPU_XSAVE_XCOMP_BV_OFFSET, v);
}

uint32_t vcpu_xsave_get_mxcsr(const uint8_t *area)
{
	const uint8_t *p = area + VCPU_XSAVE_MXCSR_OFFSET;

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int xsave_fail(int err, uint32_t off, uint32_t *bad_off)
{
	if (bad_off)
		*bad_off = off;
	return err;
}

int vcpu_xsave_check_std(const uint8_t *area, size_t len, uint64_t allowed,
			 uint64_t rfbm, unsigned int flags, uint32_t *bad_off)
{
	uint32_t need = vcpu_xstate_std_size(allowed);
	uint32_t rsvd_end, i;
	uint64_t xcomp;

	if (bad_off)
		*bad_off = 0;
	if (!area || len < need)
		return xsave_fail(VCPU_XSAVE_SHORT, (uint32_t)(len < need ? len : need),
				  bad_off);
	/* SDM 13.8.1: "XSTATE_BV ... sets a bit that is not set in XCR0". */
	if (vcpu_xsave_get_xstate_bv(area) & ~allowed)
		return xsave_fail(VCPU_XSAVE_XSTATE_BV, VCPU_XSAVE_XSTATE_BV_OFFSET,
				  bad_off);
	/* SDM 13.8.1: "Bytes 23:8 of the XSAVE header are not all 0". */
	xcomp = vcpu_xsave_get_xcomp_bv(area);
	if (xcomp & VCPU_XCOMP_BV_COMPACTED)
		return xsave_fail(VCPU_XSAVE_COMPACTED, VCPU_XSAVE_XCOMP_BV_OFFSET,
				  bad_off);
	if (xcomp)
		return xsave_fail(VCPU_XSAVE_XCOMP_BV, VCPU_XSAVE_XCOMP_BV_OFFSET,
				  bad_off);
	rsvd_end = (flags & VCPU_XSAVE_CHECK_ABI) ?
		   VCPU_XSAVE_HDR_OFFSET + VCPU_XSAVE_HDR_SIZE : 536u;
	for (i = VCPU_XSAVE_HDR_RSVD_OFFSET; i < rsvd_end; i++)
		if (area[i])
			return xsave_fail(VCPU_XSAVE_HDR_RESERVED, i, bad_off);
	/* SDM Vol. 2C XRSTOR: #GP "if ... attempt to write 1 to a reserved MXCSR bit". */
	if ((rfbm & (VCPU_XCR0_SSE | VCPU_XCR0_AVX)) &&
	    (vcpu_xsave_get_mxcsr(area) & ~(uint32_t)VCPU_MXCSR_MASK))
		return xsave_fail(VCPU_XSAVE_MXCSR, VCPU_XSAVE_MXCSR_OFFSET, bad_off);
	return VCPU_XSAVE_OK;
}

const char *vcpu_xsave_strerror(int err)
{
	switch (err) {
	case VCPU_XSAVE_OK: return "ok";
	case VCPU_XSAVE_SHORT: return "XSAVE area too short";
	case VCPU_XSAVE_XSTATE_BV: return "XSTATE_BV has a component that is not enabled/supported";
	case VCPU_XSAVE_COMPACTED: return "XCOMP_BV[63] set: compacted format where the standard format is required";
	case VCPU_XSAVE_XCOMP_BV: return "XCOMP_BV not zero in the standard format";
	case VCPU_XSAVE_HDR_RESERVED: return "reserved XSAVE header bytes not zero";
	case VCPU_XSAVE_MXCSR: return "MXCSR has reserved bits set";
	}
	return "unknown XSAVE area error";
}

#ifdef CONFIG_APX
void vcpu_xstate_apx_save(struct vcpu_regfile *rf, uint8_t *area)
{
	unsigned int i;

	for (i = 0; i < VCPU_XSAVE_APX_NR_REGS; i++)
		put_le64(area + VCPU_XSAVE_APX_OFFSET + 8u * i,
			 __vcpu_gpr_read(rf, (enum vcpu_reg)(VCPU_REGS_R16 + i)));
}

void vcpu_xstate_apx_load(struct vcpu_regfile *rf, const uint8_t *area,
			  bool init)
{
	unsigned int i;

	for (i = 0; i < VCPU_XSAVE_APX_NR_REGS; i++)
		__vcpu_gpr_write(rf, (enum vcpu_reg)(VCPU_REGS_R16 + i),
				 init ? 0 :
				 get_le64(area + VCPU_XSAVE_APX_OFFSET + 8u * i));
}

bool vcpu_xstate_apx_in_use(struct vcpu_regfile *rf)
{
	unsigned int i;

	for (i = 0; i < VCPU_XSAVE_APX_NR_REGS; i++)
		if (__vcpu_gpr_read(rf, (enum vcpu_reg)(VCPU_REGS_R16 + i)))
			return true;
	return false;
}

_Static_assert(VCPU_REGS_R31 - VCPU_REGS_R16 + 1 == VCPU_XSAVE_APX_NR_REGS,
	       "APX component is R16..R31");
_Static_assert(VCPU_XSAVE_APX_NR_REGS * 8 == VCPU_XSAVE_APX_SIZE,
	       "8 bytes per EGPR");
#endif
