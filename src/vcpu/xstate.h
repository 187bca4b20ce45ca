/* SPDX-License-Identifier: MIT */
/*
 * The XSAVE area: layout of the components this vCPU supports (x87, SSE,
 * APX), the header, the checks XRSTOR and KVM_SET_XSAVE make on it, and the
 * conversion of the APX component (XSAVE component 19) from and to regs[].
 *
 * Standard (non-compacted) format, SDM Vol. 1, 13.4:
 *     0..511    legacy region (FXSAVE layout; MXCSR at 24, MXCSR_MASK at 28)
 *   512..575    XSAVE header: XSTATE_BV at 512, XCOMP_BV at 520, 528..575 reserved
 *   576..       extended components at the offsets of CPUID.(0DH,i):EBX
 *   960..1087   APX: R16..R31, 8 bytes each, little-endian (the old MPX area)
 * Compacted format (XSAVEC, XCOMP_BV[63] = 1, SDM Vol. 1, 13.4.3):
 * components 2.. in index order from 576, each 64-byte aligned only if
 * CPUID.(0DH,i):ECX[1]; APX is not aligned.
 *
 * Every function that takes a buffer and a length checks the length; the
 * APX save/load take an area of at least VCPU_XSAVE_STD_MAX_SIZE bytes.
 */
#ifndef APXVM_VCPU_XSTATE_H
#define APXVM_VCPU_XSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vcpu/regs.h"

#define VCPU_XSAVE_LEGACY_SIZE		512u
#define VCPU_XSAVE_HDR_OFFSET		512u
#define VCPU_XSAVE_HDR_SIZE		64u
#define VCPU_XSAVE_XSTATE_BV_OFFSET	512u
#define VCPU_XSAVE_XCOMP_BV_OFFSET	520u
#define VCPU_XSAVE_HDR_RSVD_OFFSET	528u	/* 528..575 */
#define VCPU_XSAVE_EXT_OFFSET		576u	/* first extended component */
#define VCPU_XSAVE_MXCSR_OFFSET		24u
#define VCPU_XSAVE_MXCSR_MASK_OFFSET	28u
#define VCPU_XSAVE_APX_OFFSET		960u
#define VCPU_XSAVE_APX_SIZE		128u
#define VCPU_XSAVE_APX_NR_REGS		16u
/* The largest standard-format area of any model: 960 + 128. */
#define VCPU_XSAVE_STD_MAX_SIZE		(VCPU_XSAVE_APX_OFFSET + VCPU_XSAVE_APX_SIZE)

#define VCPU_XCOMP_BV_COMPACTED		(UINT64_C(1) << 63)

/*
 * MXCSR bits the vCPU implements, written to MXCSR_MASK by FXSAVE/XSAVE.
 * 0xFFBF: everything but DAZ (bit 6), which the SSE code does not model
 * (SDM Vol. 1, 11.6.6 "Guidelines for Writing to the MXCSR Register").
 * XRSTOR/FXRSTOR/LDMXCSR of a value with a bit outside it is #GP(0).
 */
#define VCPU_MXCSR_MASK			0xFFBFu
#define VCPU_MXCSR_RESET		0x1F80u

/* Offset and size of state component `comp` in the standard format. */
struct vcpu_xstate_comp {
	uint32_t offset;
	uint32_t size;
	bool align64;		/* CPUID.(0DH,i):ECX[1] */
};

/* Layout of a component this code knows (0, 1, 19), or NULL. */
const struct vcpu_xstate_comp *vcpu_xstate_comp_info(unsigned int comp);

/*
 * Standard-format size for the components in `mask` (at least 576): the
 * value of CPUID.(0DH,0):EBX for XCR0 = mask, and of ECX for the supported
 * mask.  Unknown bits in `mask` are ignored.
 */
uint32_t vcpu_xstate_std_size(uint64_t mask);

/* Compacted-format size for `mask` (CPUID.(0DH,1):EBX with IA32_XSS = 0). */
uint32_t vcpu_xstate_compacted_size(uint64_t mask);

/*
 * Offset of component `comp` (>= 2) in a compacted area whose XCOMP_BV is
 * `xcomp_bv`; 0 if the component is not in it or unknown.
 */
uint32_t vcpu_xstate_compacted_offset(uint64_t xcomp_bv, unsigned int comp);

/* Little-endian header fields. */
uint64_t vcpu_xsave_get_xstate_bv(const uint8_t *area);
void vcpu_xsave_set_xstate_bv(uint8_t *area, uint64_t v);
uint64_t vcpu_xsave_get_xcomp_bv(const uint8_t *area);
void vcpu_xsave_set_xcomp_bv(uint8_t *area, uint64_t v);
uint32_t vcpu_xsave_get_mxcsr(const uint8_t *area);

/* Why a standard-format area is refused: 0 = good. */
enum vcpu_xsave_err {
	VCPU_XSAVE_OK = 0,
	VCPU_XSAVE_SHORT,		/* buffer smaller than the area */
	VCPU_XSAVE_XSTATE_BV,		/* XSTATE_BV bit outside `allowed` */
	VCPU_XSAVE_COMPACTED,		/* XCOMP_BV[63] = 1 */
	VCPU_XSAVE_XCOMP_BV,		/* other XCOMP_BV bits set */
	VCPU_XSAVE_HDR_RESERVED,	/* 528..535 (or with the ABI 528..575) not zero */
	VCPU_XSAVE_MXCSR,		/* MXCSR bit outside VCPU_MXCSR_MASK */
};

/* flags for vcpu_xsave_check_std */
#define VCPU_XSAVE_CHECK_ABI	(1u << 0)	/* all of 528..575 must be zero */

/*
 * Check a standard-format area as the standard form of XRSTOR does
 * (flags 0; SDM Vol. 1, 13.8.1 "Standard Form of XRSTOR"; Vol. 2C XRSTOR
 * exceptions) or as KVM_SET_XSAVE does (VCPU_XSAVE_CHECK_ABI):
 *  - len must cover vcpu_xstate_std_size(allowed);
 *  - XSTATE_BV may only have bits of `allowed` (XCR0 for XRSTOR, the
 *    model's supported XCR0 for the ABI);
 *  - XCOMP_BV[63] must be 0 (a 1 selects the compacted form: for XRSTOR
 *    the caller handles that form before calling this);
 *  - header bytes 520..535 (XCOMP_BV and the next 8) must be zero; with
 *    VCPU_XSAVE_CHECK_ABI all of 528..575 too (Linux/KVM rule);
 *  - if `rfbm` has SSE or AVX, MXCSR (offset 24) must be within
 *    VCPU_MXCSR_MASK (XRSTOR loads MXCSR for RFBM[1] or RFBM[2]; the ABI
 *    caller passes XSTATE_BV as rfbm).
 * Returns an enum vcpu_xsave_err; *bad_off (if not NULL) gets the offset
 * of the offending field or byte (len for VCPU_XSAVE_SHORT).
 */
int vcpu_xsave_check_std(const uint8_t *area, size_t len, uint64_t allowed,
			 uint64_t rfbm, unsigned int flags, uint32_t *bad_off);

const char *vcpu_xsave_strerror(int err);

#ifdef CONFIG_APX
/*
 * APX component <-> regs[R16..R31].  `area` is a standard-format area of
 * at least VCPU_XSAVE_STD_MAX_SIZE bytes.
 *
 * save: R16 at 960, R17 at 968 ... R31 at 1080, little-endian.  Registers
 *   are read through the regs.h cache (a backend hook may be asked, which
 *   is why rf is not const).  The
 *   header is left alone: the caller sets XSTATE_BV[19].
 * load: the reverse; init (XSTATE_BV[19] = 0 on XRSTOR, SDM 13.8.1) sets
 *   R16..R31 to their initial value 0 and reads nothing (area may then be
 *   NULL).  Every register
 *   is marked dirty (and so available).
 */
void vcpu_xstate_apx_save(struct vcpu_regfile *rf, uint8_t *area);
void vcpu_xstate_apx_load(struct vcpu_regfile *rf, const uint8_t *area,
			  bool init);

/*
 * R16..R31 are not all in their initial state (zero): the XINUSE bit 19
 * that XSAVEOPT/XSAVEC use for the init optimization.
 */
bool vcpu_xstate_apx_in_use(struct vcpu_regfile *rf);
#endif

#endif
