/* SPDX-License-Identifier: MIT */
/*
 * FXSAVE/FXRSTOR, XSAVE/XSAVEOPT/XSAVEC/XRSTOR on the software vCPU
 * (x86/exec_xsave.c): layouts (APX R16..R31 at 960, compacted at 576),
 * XSTATE_BV/XCOMP_BV written, the init optimization both ways, component
 * initialization, the XRSTOR header checks (#GP(0) with nothing changed),
 * alignment, #UD/#NM, and #PF in the middle of an area leaving memory and
 * registers untouched.  Oracle: Intel SDM Vol. 1 chapter 13 and Vol. 2.
 *
 * Flat memory (paging off) over 1 MiB: the first byte past RAM is #PF.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "vcpu/cpuid.h"
#include "vcpu/xstate.h"
#include "x86/interp.h"

#define RAM_SIZE (UINT64_C(1) << 20)
#define CODE     UINT64_C(0x1000)
#define AREA     UINT64_C(0x4000)
#define AREA_MAX 1088u

enum { RAX, RCX, RDX, RBX };

#include "vcpu_fixture.h"

#ifdef CONFIG_APX
#define XCR0_ALL ((uint64_t)(X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_APX))
#else
#define XCR0_ALL ((uint64_t)(X86_XCR0_X87 | X86_XCR0_SSE))
#endif

static void reset(void)
{
	memset(ram, 0, 0x10000);
	memset(&v, 0, sizeof(v));
	vcpu_regfile_init(&v.regs, NULL);
	v.regs.rflags = 0x2;
	v.cr0 = 0x33; /* PE MP ET NE, paging off: flat */
	v.cr4 = X86_CR4_OSXSAVE | (1u << 9) | (1u << 10);
	v.xcr0 = XCR0_ALL;
	v.model = vcpu_cpu_model_default();
	v.cpuid_apx = vcpu_cpu_model_has_apx(v.model);
	vcpu_update_apx(&v);
	/* A recognisable x87/SSE image: FCW 0x027F, MXCSR 0x1F80, XMMi bytes = 0x40+i. */
	v.fpu.fxsave[0] = 0x7f;
	v.fpu.fxsave[1] = 0x02;
	v.fpu.fxsave[24] = 0x80;
	v.fpu.fxsave[25] = 0x1f;
	for (unsigned i = 0; i < 16; i++)
		memset(v.fpu.fxsave + 160 + 16 * i, 0x40 + i, 16);
	memset(v.fpu.fxsave + 32, 0x11, 128); /* ST0..7 */
	attach_cpu();
}


/* Run `op` (4 or 3 bytes, [rbx] form) with EDX:EAX = mask. */
static enum x86_exit run(const uint8_t *op, unsigned n, uint64_t la, uint64_t mask)
{
	vcpu_gpr_index_write(&v.regs, RBX, la);
	vcpu_gpr_index_write(&v.regs, RAX, (uint32_t)mask);
	vcpu_gpr_index_write(&v.regs, RDX, mask >> 32);
	return step(op, n);
}

static const uint8_t FXSAVE64[] = { 0x48, 0x0f, 0xae, 0x03 };
static const uint8_t FXRSTOR64[] = { 0x48, 0x0f, 0xae, 0x0b };
static const uint8_t FXSAVE[] = { 0x0f, 0xae, 0x03 };
static const uint8_t XSAVE[] = { 0x0f, 0xae, 0x23 };
static const uint8_t XSAVE64[] = { 0x48, 0x0f, 0xae, 0x23 };
static const uint8_t XRSTOR[] = { 0x0f, 0xae, 0x2b };
static const uint8_t XRSTOR64[] = { 0x48, 0x0f, 0xae, 0x2b };
static const uint8_t XSAVEOPT[] = { 0x0f, 0xae, 0x33 };
static const uint8_t XSAVEC[] = { 0x0f, 0xc7, 0x23 };

#define RUN(op, la, mask) run(op, sizeof(op), la, mask)

static uint32_t rd32(uint64_t pa)
{
	uint32_t x;

	memcpy(&x, ram + pa, 4);
	return x;
}

/* R16..R31 = seed * i (no-op in an APX=0 build, which has no R16..R31). */
static void set_egprs(uint64_t seed)
{
#ifdef CONFIG_APX
	for (unsigned i = 16; i < 32; i++)
		vcpu_gpr_index_write(&v.regs, i, seed ? seed * i : 0);
#else
	(void)seed;
#endif
}

static bool egprs_are(uint64_t seed)
{
#ifdef CONFIG_APX
	for (unsigned i = 16; i < 32; i++)
		if (vcpu_gpr_index_read(&v.regs, i) != (seed ? seed * i : 0))
			return false;
#else
	(void)seed;
#endif
	return true;
}

/* ---- FXSAVE / FXRSTOR ---- */

static void test_fxsave(void)
{
	uint8_t img[512];

	reset();
	memset(ram + AREA, 0xcc, 512);
	ok(retired(RUN(FXSAVE64, AREA, 0), 4), "FXSAVE64 retires");
	ok(!memcmp(ram + AREA, v.fpu.fxsave, 24) && rd32(AREA + 28) == VCPU_MXCSR_MASK &&
	   !memcmp(ram + AREA + 32, v.fpu.fxsave + 32, 416 - 32),
	   "FXSAVE64 stores x87, MXCSR, MXCSR_MASK, ST0-7, XMM0-15");
	ok(ram[AREA + 464] == 0xcc && ram[AREA + 511] == 0xcc, "FXSAVE leaves bytes 511:464 alone");

	set64(AREA + 8, 0x1122334455667788);
	memcpy(img, v.fpu.fxsave, 512);
	ram[AREA + 160] = 0x99;
	ram[AREA] = 0x7f;
	ram[AREA + 1] = 0x03;
	ok(retired(RUN(FXRSTOR64, AREA, 0), 4) && v.fpu.fxsave[160] == 0x99 &&
	   v.fpu.fxsave[1] == 0x03 && get64(AREA + 8) == 0x1122334455667788 &&
	   !memcmp(v.fpu.fxsave + 8, ram + AREA + 8, 8), "FXRSTOR64 loads the image (64-bit FIP)");
	ok(retired(RUN(FXSAVE, AREA + 0x200, 0), 3) && rd32(AREA + 0x200 + 8) == 0x55667788 &&
	   rd32(AREA + 0x200 + 12) == 0, "FXSAVE (no REX.W): 32-bit FIP, FCS = 0");

	memcpy(img, v.fpu.fxsave, 512);
	ok(exc(RUN(FXSAVE64, AREA + 8, 0), X86_EXC_GP, 0), "FXSAVE misaligned (8): #GP(0)");
	ok(exc(RUN(FXRSTOR64, AREA + 4, 0), X86_EXC_GP, 0), "FXRSTOR misaligned (4): #GP(0)");
	set64(AREA + 24, 0x1f80 | (1u << 6)); /* DAZ: not in MXCSR_MASK */
	ok(exc(RUN(FXRSTOR64, AREA, 0), X86_EXC_GP, 0) && !memcmp(img, v.fpu.fxsave, 512),
	   "FXRSTOR with a reserved MXCSR bit: #GP(0), state unchanged");
	v.cr0 |= 8;
	ok(exc(RUN(FXSAVE64, AREA, 0), X86_EXC_NM, -1), "FXSAVE with CR0.TS: #NM");
	v.cr0 = 0x33 | 4;
	ok(exc(RUN(FXRSTOR64, AREA, 0), X86_EXC_NM, -1), "FXRSTOR with CR0.EM: #NM");
	v.cr0 = 0x33;
	memset(ram + RAM_SIZE - 256, 0xee, 256);
	ok(exc(RUN(FXSAVE64, RAM_SIZE - 256, 0), X86_EXC_PF, X86_PF_W) && c.exc.cr2 == RAM_SIZE &&
	   ram[RAM_SIZE - 256] == 0xee && ram[RAM_SIZE - 1] == 0xee,
	   "FXSAVE across the end of RAM: #PF, nothing written");
}

/* ---- XSAVE family ---- */

static void test_xsave_std(void)
{
	reset();
	set_egprs(0x0101010101010101);
	memset(ram + AREA, 0xcc, AREA_MAX);
	set64(AREA + 520, 0); /* a clean header besides XSTATE_BV */
	set64(AREA + 528, 0);
	ok(retired(RUN(XSAVE, AREA, ~UINT64_C(0)), 3), "XSAVE retires");
	ok(get64(AREA + 512) == ((0xcccccccccccccccc & ~XCR0_ALL) | XCR0_ALL),
	   "XSTATE_BV: RFBM bits = XINUSE, others kept (%#llx)", (unsigned long long)get64(AREA + 512));
	ok(!memcmp(ram + AREA + 160, v.fpu.fxsave + 160, 256) && rd32(AREA + 24) == 0x1f80 &&
	   rd32(AREA + 28) == VCPU_MXCSR_MASK, "XSAVE legacy region: XMM, MXCSR, MXCSR_MASK");
	ok(ram[AREA + 464] == 0xcc, "XSAVE leaves bytes 511:464 alone");
#ifdef CONFIG_APX
	{
		bool all = true;

		for (unsigned i = 0; i < 16; i++)
			all &= get64(AREA + 960 + 8 * i) == 0x0101010101010101 * (16 + i);
		ok(all, "XSAVE: R16..R31 at 960 + 8*i");
	}
	/* Round trip: change R16..R31, XRSTOR brings them back. */
	set64(AREA + 512, XCR0_ALL);
	set_egprs(7);
	ok(retired(RUN(XRSTOR, AREA, ~UINT64_C(0)), 3) && egprs_are(0x0101010101010101),
	   "XSAVE -> modify -> XRSTOR restores R16..R31");
	/* RFBM without APX: R16..R31 untouched. */
	set_egprs(7);
	ok(retired(RUN(XRSTOR, AREA, 3), 3) && egprs_are(7), "XRSTOR with RFBM = 3 leaves R16..R31 alone");
	/* XRSTOR init optimization: XSTATE_BV[19] = 0 -> R16..R31 = 0 (area not read for them). */
	set64(AREA + 512, 3);
	memset(ram + AREA + 960, 0x5a, 128);
	ok(retired(RUN(XRSTOR, AREA, ~UINT64_C(0)), 3) && egprs_are(0), "XRSTOR with XSTATE_BV[19] = 0 zeroes R16..R31");
	/* XSAVE of an all-zero APX state: XSTATE_BV[19] = 0 (XINUSE), data written. */
	ok(retired(RUN(XSAVE, AREA, ~UINT64_C(0)), 3) && get64(AREA + 512) == 3 && get64(AREA + 960) == 0,
	   "XSAVE with R16..R31 = 0: XSTATE_BV[19] = 0, zeros stored");
	/* XSAVEOPT init optimization: not in use -> not written. */
	memset(ram + AREA + 960, 0x5a, 128);
	set64(AREA + 512, XCR0_ALL);
	ok(retired(RUN(XSAVEOPT, AREA, ~UINT64_C(0)), 3) && get64(AREA + 512) == 3 &&
	   ram[AREA + 960] == 0x5a && ram[AREA + 1087] == 0x5a,
	   "XSAVEOPT with R16..R31 = 0: XSTATE_BV[19] = 0, APX area not written");
	set_egprs(3);
	ok(retired(RUN(XSAVEOPT, AREA, ~UINT64_C(0)), 3) && get64(AREA + 512) == XCR0_ALL &&
	   get64(AREA + 960 + 8) == 3 * 17, "XSAVEOPT with R17 != 0 stores the component");
	/* XSAVE64 = same layout for APX. */
	ok(retired(RUN(XSAVE64, AREA, UINT64_C(1) << 19), 4) && get64(AREA + 960 + 120) == 3 * 31,
	   "XSAVE64 with RFBM = APX only");
#else
	ok(retired(RUN(XSAVE64, AREA, 3), 4) && (get64(AREA + 512) & 3) == 3, "XSAVE64 (APX=0 build)");
#endif
	/* x87 / SSE init through XRSTOR: XSTATE_BV[1:0] = 0. */
	reset();
	memset(ram + AREA, 0, AREA_MAX);
	set64(AREA + 24, 0x1f00); /* MXCSR in the area: loaded because RFBM[1] (standard form) */
	ok(retired(RUN(XRSTOR64, AREA, 3), 4) && v.fpu.fxsave[0] == 0x7f && v.fpu.fxsave[1] == 0x03 &&
	   v.fpu.fxsave[160] == 0 && v.fpu.fxsave[415] == 0 && v.fpu.fxsave[32] == 0 &&
	   rd32(AREA + 24) == 0x1f00 && v.fpu.fxsave[24] == 0x00 && v.fpu.fxsave[25] == 0x1f,
	   "XRSTOR with XSTATE_BV = 0: x87 init (FCW 037FH), XMM = 0, MXCSR from the area");
}

static void test_xsavec(void)
{
	reset();
	memset(ram + AREA, 0xcc, AREA_MAX);
#ifdef CONFIG_APX
	set_egprs(0x10);
	ok(retired(RUN(XSAVEC, AREA, ~UINT64_C(0)), 3), "XSAVEC retires");
	ok(get64(AREA + 512) == XCR0_ALL && get64(AREA + 520) == (XCR0_ALL | (UINT64_C(1) << 63)) &&
	   ram[AREA + 528] == 0xcc, "XSAVEC header: XSTATE_BV, XCOMP_BV = RFBM | bit 63, rest untouched");
	ok(get64(AREA + 576) == 0x100 && get64(AREA + 576 + 120) == 0x10 * 31 && ram[AREA + 960] == 0xcc,
	   "XSAVEC: APX compacted at 576");
	set_egprs(1);
	memset(ram + AREA + 528, 0, 48);
	ok(retired(RUN(XRSTOR, AREA, ~UINT64_C(0)), 3) && egprs_are(0x10), "compacted XRSTOR round trip");
	/* Compacted, XSTATE_BV[1] = 0: SSE init and MXCSR = 1F80H. */
	v.fpu.fxsave[24] = 0;
	v.fpu.fxsave[25] = 0;
	set64(AREA + 512, 1 | X86_XCR0_APX);
	ok(retired(RUN(XRSTOR, AREA, ~UINT64_C(0)), 3) && v.fpu.fxsave[24] == 0x80 &&
	   v.fpu.fxsave[25] == 0x1f && v.fpu.fxsave[200] == 0, "compacted XRSTOR SSE init: MXCSR = 1F80H");
	/* XSAVEC with R16..R31 = 0: XSTATE_BV[19] = 0, nothing written at 576. */
	set_egprs(0);
	memset(ram + AREA + 576, 0x77, 128);
	ok(retired(RUN(XSAVEC, AREA, ~UINT64_C(0)), 3) && get64(AREA + 512) == 3 && ram[AREA + 576] == 0x77,
	   "XSAVEC init optimization: APX not in use, not written");
#else
	ok(retired(RUN(XSAVEC, AREA, ~UINT64_C(0)), 3) && get64(AREA + 512) == 3 &&
	   get64(AREA + 520) == (3 | (UINT64_C(1) << 63)), "XSAVEC (APX=0 build): x87|SSE");
#endif
}

/* ---- faults ---- */

static void test_xrstor_faults(void)
{
	static const uint64_t compact = UINT64_C(1) << 63;
	static const struct { uint64_t xcomp; unsigned off; uint64_t val; const char *why; } bad[] = {
		{ 0, 512, 1u << 2, "XSTATE_BV bit 2 (AVX) not in XCR0" },
		{ 0, 512, UINT64_C(1) << 62, "XSTATE_BV bit 62" },
		{ 0, 520, 1, "standard form with XCOMP_BV != 0" },
		{ 0, 528, 1, "header bytes 23:16 not zero" },
		{ 0, 24, 0x1f80 | (1u << 6), "MXCSR.DAZ (not in MXCSR_MASK)" },
		{ 0, 24, 0x11f80, "MXCSR bit 16" },
		{ compact | 3, 520, compact | 4 | 3, "compacted, XCOMP_BV bit 2 not in XCR0" },
		{ compact | 3, 520, compact | 1, "compacted, XSTATE_BV not within XCOMP_BV" },
		{ compact | 3, 560, 1, "compacted, header bytes 63:16 not zero" },
		{ compact | 3, 24, 0x1f80 | (1u << 6), "compacted, MXCSR.DAZ with XSTATE_BV[1]" },
	};
	uint8_t img[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reset();
		set_egprs(9);
		memset(ram + AREA, 0, AREA_MAX);
		set64(AREA + 24, 0x1f80);
		set64(AREA + 512, 3);
		set64(AREA + 520, bad[i].xcomp);
		set64(AREA + bad[i].off, bad[i].val);
		memcpy(img, v.fpu.fxsave, 512);
		ok(exc(RUN(XRSTOR, AREA, ~UINT64_C(0)), X86_EXC_GP, 0) && egprs_are(9) &&
		   !memcmp(img, v.fpu.fxsave, 512) && v.regs.rip == CODE,
		   "XRSTOR %s: #GP(0), state unchanged", bad[i].why);
	}
	/* Bytes 63:24 of a standard header are not checked by XRSTOR (only 23:8). */
	reset();
	memset(ram + AREA, 0, AREA_MAX);
	set64(AREA + 24, 0x1f80);
	set64(AREA + 512, 3);
	set64(AREA + 540, 0xff);
	ok(retired(RUN(XRSTOR, AREA, ~UINT64_C(0)), 3), "standard XRSTOR ignores header bytes 63:24");

	reset();
	ok(exc(RUN(XRSTOR, AREA + 32, ~UINT64_C(0)), X86_EXC_GP, 0), "XRSTOR misaligned (32): #GP(0)");
	ok(exc(RUN(XSAVE, AREA + 16, ~UINT64_C(0)), X86_EXC_GP, 0), "XSAVE misaligned (16): #GP(0)");
	ok(exc(RUN(XSAVEC, AREA + 48, ~UINT64_C(0)), X86_EXC_GP, 0), "XSAVEC misaligned: #GP(0)");
	v.cr4 &= ~(uint64_t)X86_CR4_OSXSAVE;
	vcpu_update_apx(&v);
	ok(exc(RUN(XSAVE, AREA, ~UINT64_C(0)), X86_EXC_UD, -1) &&
	   exc(RUN(XRSTOR, AREA, ~UINT64_C(0)), X86_EXC_UD, -1) &&
	   exc(RUN(XSAVEOPT, AREA, ~UINT64_C(0)), X86_EXC_UD, -1) &&
	   exc(RUN(XSAVEC, AREA, ~UINT64_C(0)), X86_EXC_UD, -1), "XSAVE family with CR4.OSXSAVE = 0: #UD");
	reset();
	v.cr0 |= 8;
	ok(exc(RUN(XSAVE, AREA, ~UINT64_C(0)), X86_EXC_NM, -1), "XSAVE with CR0.TS: #NM");

	/* #PF in the middle of the area: nothing written. */
	reset();
	set_egprs(5);
	memset(ram + RAM_SIZE - 1024, 0xee, 1024);
#ifdef CONFIG_APX
	ok(exc(RUN(XSAVE, RAM_SIZE - 1024, ~UINT64_C(0)), X86_EXC_PF, X86_PF_W) && c.exc.cr2 == RAM_SIZE,
	   "XSAVE whose APX component is past the end of RAM: #PF");
	{
		bool untouched = true;

		for (unsigned i = 0; i < 1024; i++)
			untouched &= ram[RAM_SIZE - 1024 + i] == 0xee;
		ok(untouched, "... and no byte of the area was written");
	}
#endif
	memset(ram + RAM_SIZE - 512, 0xee, 512);
	ok(exc(RUN(XSAVE, RAM_SIZE - 512, 1), X86_EXC_PF, X86_PF_W) && c.exc.cr2 == RAM_SIZE &&
	   ram[RAM_SIZE - 512] == 0xee, "XSAVE whose header is past the end: #PF, legacy region not written");
	ok(exc(RUN(XRSTOR, RAM_SIZE - 512, ~UINT64_C(0)), X86_EXC_PF, 0) && egprs_are(5),
	   "XRSTOR of an area past the end: #PF, registers unchanged");
}

int main(void)
{
	ram = calloc(1, RAM_SIZE);
	if (!ram)
		return 1;
	test_fxsave();
	test_xsave_std();
	test_xsavec();
	test_xrstor_faults();
	free(ram);
	return done_testing();
}
