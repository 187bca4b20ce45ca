/* SPDX-License-Identifier: MIT */
/*
 * FXSAVE/FXRSTOR and the XSAVE feature set (XSAVE, XSAVEOPT, XSAVEC,
 * XRSTOR, each also with REX.W) for the components this vCPU has: x87 and
 * SSE (the 512-byte image in v->fpu, kept in the 64-bit FXSAVE64 layout)
 * and APX (component 19, R16..R31 at 960).  SDM Vol. 1, chapter 13 and
 * Vol. 2 for each instruction.
 *
 * Simplifications (documented, guest-visible only in corner cases):
 *   - XINUSE[0] and XINUSE[1] are always 1 (x87/SSE are not tracked); APX
 *     is in use iff some of R16..R31 is non-zero.
 *   - XSAVEOPT uses the init optimization only (no modified optimization).
 *   - FXSAVE/FXRSTOR: CR0.EM or CR0.TS is #NM; CR4.OSFXSR is ignored (XMM
 *     always saved); no #AC for misalignment, always #GP(0).
 *   - The 32-bit-pointer forms (no REX.W) store FCS = FDS = 0 (FPU CS/DS
 *     deprecated) and load the low 32 bits of FIP/FDP.
 * Every write is probed over the whole area first, then the area is read,
 * changed in a local copy and written back in one access, so a fault
 * anywhere leaves memory and registers unchanged.
 */
#include <string.h>

#include "vcpu/cpuid.h"
#include "vcpu/xstate.h"
#include "x86/interp_internal.h"

#define CR0_EM (1u << 2)
#define CR0_TS (1u << 3)

/* The x87 state component occupies bytes 23:0 and 159:32 of the legacy region, SSE 415:160. */
#define X87_HEAD_END 24u
#define X87_REGS_OFF 32u
#define X87_REGS_END 160u
#define SSE_OFF      160u
#define SSE_END      416u

#define FXSAVE_SIZE  512u

static void put32(uint8_t *p, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t edx_eax(struct x86_cpu *c)
{
	return (x86_gpr(c, VCPU_REGS_RDX) << 32) | (uint32_t)x86_gpr(c, VCPU_REGS_RAX);
}

/* x87 part of the image -> area; w64 = false is the FXSAVE/XSAVE (no REX.W) pointer format. */
static void x87_store(const uint8_t *img, uint8_t *area, bool w64)
{
	memcpy(area, img, X87_HEAD_END);
	memcpy(area + X87_REGS_OFF, img + X87_REGS_OFF, X87_REGS_END - X87_REGS_OFF);
	if (!w64) {
		memset(area + 12, 0, 4); /* FCS and reserved */
		memset(area + 20, 0, 4); /* FDS and reserved */
	}
}

static void x87_load(uint8_t *img, const uint8_t *area, bool w64)
{
	memcpy(img, area, X87_HEAD_END);
	memcpy(img + X87_REGS_OFF, area + X87_REGS_OFF, X87_REGS_END - X87_REGS_OFF);
	if (!w64) {
		memset(img + 12, 0, 4); /* FIP bits 63:32 */
		memset(img + 20, 0, 4); /* FDP bits 63:32 */
	}
}

/* x87 initial state (SDM Vol. 1, 13.6): FCW 037FH, everything else 0 (abridged FTW 0 = all empty). */
static void x87_init(uint8_t *img)
{
	memset(img, 0, X87_HEAD_END);
	memset(img + X87_REGS_OFF, 0, X87_REGS_END - X87_REGS_OFF);
	img[0] = 0x7f;
	img[1] = 0x03;
}

static void mxcsr_store(const uint8_t *img, uint8_t *area)
{
	memcpy(area + VCPU_XSAVE_MXCSR_OFFSET, img + VCPU_XSAVE_MXCSR_OFFSET, 4);
	put32(area + VCPU_XSAVE_MXCSR_MASK_OFFSET, VCPU_MXCSR_MASK);
}

/* Checks common to the XSAVE family: #UD without CR4.OSXSAVE, #NM with CR0.TS, 64-byte alignment. */
static enum x86_exit xs_precheck(struct x86_cpu *c, const struct x86_insn *in, uint64_t *la)
{
	if (!(c->v->cr4 & X86_CR4_OSXSAVE))
		return x86_raise(c, X86_EXC_UD);
	if (c->v->cr0 & CR0_TS)
		return x86_raise(c, X86_EXC_NM);
	*la = x86_ea(c, in, &in->ops[0]);
	if (*la & 63)
		return x86_raise_err(c, X86_EXC_GP, 0);
	return X86_EXIT_NONE;
}

/* XINUSE for the enabled components (see the header comment): x87 and SSE
 * are always reported in use (not tracked); APX when any of R16..R31 is non-zero. */
uint64_t x86_xinuse(struct vcpu *v)
{
	uint64_t in_use = X86_XCR0_X87 | X86_XCR0_SSE;

#ifdef CONFIG_APX
	if (vcpu_xstate_apx_in_use(&v->regs))
		in_use |= X86_XCR0_APX;
#endif
	return v->xcr0 & in_use;
}

/* Probe the whole area for writing, then read its current bytes (kept where not written). */
static enum x86_exit area_fetch(struct x86_cpu *c, const struct x86_insn *in, uint64_t la,
				uint8_t *buf, uint32_t size)
{
	bool ss = x86_op_is_ss(&in->ops[0]);
	enum x86_exit ex = x86_mem_probe(c, la, size, X86_ACC_WRITE, ss);

	if (ex)
		return ex;
	return x86_mem_read(c, la, buf, size, ss);
}

/* ---- FXSAVE / FXRSTOR ---- */

static enum x86_exit fx_precheck(struct x86_cpu *c, const struct x86_insn *in, uint64_t *la)
{
	if (c->v->cr0 & (CR0_EM | CR0_TS))
		return x86_raise(c, X86_EXC_NM);
	*la = x86_ea(c, in, &in->ops[0]);
	if (*la & 15)
		return x86_raise_err(c, X86_EXC_GP, 0);
	return X86_EXIT_NONE;
}

/* Writes bytes 415:0 (FXSAVE leaves 511:464 alone; 463:416 are reserved). */
static enum x86_exit xs_fxsave(struct x86_cpu *c, const struct x86_insn *in)
{
	const uint8_t *img = c->v->fpu.fxsave;
	uint8_t buf[FXSAVE_SIZE];
	uint64_t la;
	enum x86_exit ex = fx_precheck(c, in, &la);

	if (ex)
		return ex;
	ex = area_fetch(c, in, la, buf, FXSAVE_SIZE);
	if (ex)
		return ex;
	x87_store(img, buf, in->w);
	mxcsr_store(img, buf);
	memcpy(buf + SSE_OFF, img + SSE_OFF, SSE_END - SSE_OFF);
	return x86_mem_write(c, la, buf, FXSAVE_SIZE, x86_op_is_ss(&in->ops[0]));
}

static enum x86_exit xs_fxrstor(struct x86_cpu *c, const struct x86_insn *in)
{
	uint8_t *img = c->v->fpu.fxsave;
	uint8_t buf[FXSAVE_SIZE];
	uint64_t la;
	enum x86_exit ex = fx_precheck(c, in, &la);

	if (ex)
		return ex;
	ex = x86_mem_read(c, la, buf, FXSAVE_SIZE, x86_op_is_ss(&in->ops[0]));
	if (ex)
		return ex;
	if (vcpu_xsave_get_mxcsr(buf) & ~(uint32_t)VCPU_MXCSR_MASK)
		return x86_raise_err(c, X86_EXC_GP, 0);
	x87_load(img, buf, in->w);
	memcpy(img + VCPU_XSAVE_MXCSR_OFFSET, buf + VCPU_XSAVE_MXCSR_OFFSET, 4);
	memcpy(img + SSE_OFF, buf + SSE_OFF, SSE_END - SSE_OFF);
	return X86_EXIT_NONE;
}

/* ---- XSAVE / XSAVEOPT (standard format) ---- */

/*
 * SDM Vol. 1, 13.7 and 13.9: components of RFBM are written (XSAVEOPT skips
 * those not in use), XSTATE_BV[i] = XINUSE[i] for i in RFBM, other header
 * bytes untouched; MXCSR/MXCSR_MASK if RFBM[1] or RFBM[2].
 */
static enum x86_exit xsave_std(struct x86_cpu *c, const struct x86_insn *in, bool opt)
{
	struct vcpu *v = c->v;
	uint8_t buf[VCPU_XSAVE_STD_MAX_SIZE];
	uint64_t la, rfbm, inuse, bv;
	uint32_t size;
	enum x86_exit ex = xs_precheck(c, in, &la);

	if (ex)
		return ex;
	rfbm = v->xcr0 & edx_eax(c);
	inuse = x86_xinuse(v);
	size = vcpu_xstate_std_size(rfbm);
	ex = area_fetch(c, in, la, buf, size);
	if (ex)
		return ex;
	if ((rfbm & X86_XCR0_X87) && (!opt || (inuse & X86_XCR0_X87)))
		x87_store(v->fpu.fxsave, buf, in->w);
	if ((rfbm & X86_XCR0_SSE) && (!opt || (inuse & X86_XCR0_SSE)))
		memcpy(buf + SSE_OFF, v->fpu.fxsave + SSE_OFF, SSE_END - SSE_OFF);
	if (rfbm & (VCPU_XCR0_SSE | VCPU_XCR0_AVX))
		mxcsr_store(v->fpu.fxsave, buf);
#ifdef CONFIG_APX
	if ((rfbm & X86_XCR0_APX) && (!opt || (inuse & X86_XCR0_APX)))
		vcpu_xstate_apx_save(&v->regs, buf);
#endif
	bv = vcpu_xsave_get_xstate_bv(buf);
	vcpu_xsave_set_xstate_bv(buf, (bv & ~rfbm) | (inuse & rfbm));
	return x86_mem_write(c, la, buf, size, x86_op_is_ss(&in->ops[0]));
}

static enum x86_exit xs_xsave(struct x86_cpu *c, const struct x86_insn *in)
{
	return xsave_std(c, in, false);
}

static enum x86_exit xs_xsaveopt(struct x86_cpu *c, const struct x86_insn *in)
{
	return xsave_std(c, in, true);
}

/* ---- XSAVEC (compacted format) ---- */

/*
 * SDM Vol. 1, 13.10: only components with RFBM[i] & XINUSE[i] are written;
 * XSTATE_BV = RFBM & XINUSE, XCOMP_BV = RFBM | bit 63 (IA32_XSS is 0);
 * nothing else of the header.
 */
static enum x86_exit xs_xsavec(struct x86_cpu *c, const struct x86_insn *in)
{
	struct vcpu *v = c->v;
	uint8_t buf[VCPU_XSAVE_STD_MAX_SIZE];
	uint64_t la, rfbm, bv;
	uint32_t size;
	enum x86_exit ex = xs_precheck(c, in, &la);

	if (ex)
		return ex;
	rfbm = v->xcr0 & edx_eax(c);
	bv = rfbm & x86_xinuse(v);
	size = vcpu_xstate_compacted_size(rfbm);
	ex = area_fetch(c, in, la, buf, size);
	if (ex)
		return ex;
	if (bv & X86_XCR0_X87)
		x87_store(v->fpu.fxsave, buf, in->w);
	if (bv & X86_XCR0_SSE) {
		memcpy(buf + SSE_OFF, v->fpu.fxsave + SSE_OFF, SSE_END - SSE_OFF);
		mxcsr_store(v->fpu.fxsave, buf);
	}
#ifdef CONFIG_APX
	if (bv & X86_XCR0_APX) {
		uint8_t tmp[VCPU_XSAVE_STD_MAX_SIZE];
		uint32_t off = vcpu_xstate_compacted_offset(rfbm, 19);

		vcpu_xstate_apx_save(&v->regs, tmp);
		memcpy(buf + off, tmp + VCPU_XSAVE_APX_OFFSET, VCPU_XSAVE_APX_SIZE);
	}
#endif
	vcpu_xsave_set_xstate_bv(buf, bv);
	vcpu_xsave_set_xcomp_bv(buf, rfbm | VCPU_XCOMP_BV_COMPACTED);
	return x86_mem_write(c, la, buf, size, x86_op_is_ss(&in->ops[0]));
}

/* ---- XRSTOR ---- */

/*
 * Compacted-form header checks (SDM Vol. 2C XRSTOR, #GP(0)): XCOMP_BV[62:0]
 * within XCR0 (| IA32_XSS = 0), XSTATE_BV within XCOMP_BV, header bytes
 * 63:16 zero.
 */
static bool compacted_hdr_ok(const uint8_t *buf, uint64_t xcr0)
{
	uint64_t xcomp = vcpu_xsave_get_xcomp_bv(buf) & ~VCPU_XCOMP_BV_COMPACTED;

	if (xcomp & ~xcr0)
		return false;
	if (vcpu_xsave_get_xstate_bv(buf) & ~xcomp)
		return false;
	for (uint32_t i = VCPU_XSAVE_HDR_RSVD_OFFSET; i < VCPU_XSAVE_EXT_OFFSET; i++)
		if (buf[i])
			return false;
	return true;
}

/*
 * SDM Vol. 1, 13.8: for i in RFBM, XSTATE_BV[i] = 0 initializes component
 * i, else loads it.  Standard form: MXCSR is loaded whenever RFBM[1] or
 * RFBM[2]; compacted form: from the area if RFBM[1] & XSTATE_BV[1], else
 * 1F80H when RFBM[1].  All reads and checks come before any change.
 */
static enum x86_exit xs_xrstor(struct x86_cpu *c, const struct x86_insn *in)
{
	struct vcpu *v = c->v;
	uint8_t buf[VCPU_XSAVE_STD_MAX_SIZE] = { 0 };
	uint8_t img[FXSAVE_SIZE];
	bool ss = x86_op_is_ss(&in->ops[0]), compacted;
	uint64_t la, rfbm, bv, xcomp;
	uint32_t size, mxcsr;
	enum x86_exit ex = xs_precheck(c, in, &la);

	if (ex)
		return ex;
	rfbm = v->xcr0 & edx_eax(c);
	ex = x86_mem_read(c, la, buf, VCPU_XSAVE_EXT_OFFSET, ss);
	if (ex)
		return ex;
	xcomp = vcpu_xsave_get_xcomp_bv(buf);
	bv = vcpu_xsave_get_xstate_bv(buf);
	compacted = (xcomp & VCPU_XCOMP_BV_COMPACTED) != 0;
	if (compacted) {
		if (!compacted_hdr_ok(buf, v->xcr0))
			return x86_raise_err(c, X86_EXC_GP, 0);
		size = vcpu_xstate_compacted_size(xcomp & ~VCPU_XCOMP_BV_COMPACTED);
	} else {
		size = vcpu_xstate_std_size(rfbm);
	}
	if (size > VCPU_XSAVE_EXT_OFFSET) {
		ex = x86_mem_read(c, la + VCPU_XSAVE_EXT_OFFSET, buf + VCPU_XSAVE_EXT_OFFSET,
				  size - VCPU_XSAVE_EXT_OFFSET, ss);
		if (ex)
			return ex;
	}
	if (!compacted && vcpu_xsave_check_std(buf, sizeof(buf), v->xcr0, rfbm, 0, NULL))
		return x86_raise_err(c, X86_EXC_GP, 0);
	mxcsr = vcpu_xsave_get_mxcsr(v->fpu.fxsave);
	if (compacted ? (rfbm & bv & X86_XCR0_SSE) : (rfbm & (VCPU_XCR0_SSE | VCPU_XCR0_AVX)))
		mxcsr = vcpu_xsave_get_mxcsr(buf);
	else if (compacted && (rfbm & X86_XCR0_SSE))
		mxcsr = VCPU_MXCSR_RESET;
	if (mxcsr & ~(uint32_t)VCPU_MXCSR_MASK)
		return x86_raise_err(c, X86_EXC_GP, 0);

	/* Commit: nothing below can fault. */
	memcpy(img, v->fpu.fxsave, sizeof(img));
	if (rfbm & X86_XCR0_X87) {
		if (bv & X86_XCR0_X87)
			x87_load(img, buf, in->w);
		else
			x87_init(img);
	}
	if (rfbm & X86_XCR0_SSE) {
		if (bv & X86_XCR0_SSE)
			memcpy(img + SSE_OFF, buf + SSE_OFF, SSE_END - SSE_OFF);
		else
			memset(img + SSE_OFF, 0, SSE_END - SSE_OFF);
	}
	put32(img + VCPU_XSAVE_MXCSR_OFFSET, mxcsr);
	memcpy(v->fpu.fxsave, img, sizeof(img));
#ifdef CONFIG_APX
	if (rfbm & X86_XCR0_APX) {
		if (!(bv & X86_XCR0_APX)) {
			vcpu_xstate_apx_load(&v->regs, NULL, true);
		} else if (!compacted) {
			vcpu_xstate_apx_load(&v->regs, buf, false);
		} else {
			uint8_t tmp[VCPU_XSAVE_STD_MAX_SIZE];
			uint32_t off = vcpu_xstate_compacted_offset(xcomp, 19);

			memcpy(tmp + VCPU_XSAVE_APX_OFFSET, buf + off, VCPU_XSAVE_APX_SIZE);
			vcpu_xstate_apx_load(&v->regs, tmp, false);
		}
	}
#endif
	return X86_EXIT_NONE;
}

const struct x86_handler_entry x86_handlers_xsave[] = {
	{ "fxrstor|fxrstor|fxrstor64", xs_fxrstor },
	{ "fxsave|fxsave|fxsave64", xs_fxsave },
	{ "xrstor|xrstor|xrstor64", xs_xrstor },
	{ "xsave|xsave|xsave64", xs_xsave },
	{ "xsavec|xsavec|xsavec64", xs_xsavec },
	{ "xsaveopt|xsaveopt|xsaveopt64", xs_xsaveopt },
	{ NULL, NULL },
};
