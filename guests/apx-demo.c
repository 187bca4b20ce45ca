/* SPDX-License-Identifier: MIT */
/*
 * apx-demo: enables APX (CPUID check, CR4.OSXSAVE, XCR0 = x87|SSE|APX) and
 * checks the APX features one line each: "PASS name" or "FAIL name (...)".
 * Exit status: the number of failures; 77 (skip) when the CPU has no APX.
 * Register-pinned parts live in apx-demo.S; the rest uses the apx.h macros
 * from C inline asm with compiler-chosen registers.
 */
#include "apx.h"
#include "rt.h"
#include "trap.h"

#define EXIT_SKIP 77
#define CPUID_APX_F (1u << 21)		/* CPUID.(7,1).EDX */
#define CPUID_XSAVE (1u << 26)		/* CPUID.1.ECX */
#define CPUID_OSXSAVE (1u << 27)	/* CPUID.1.ECX */
#define XCR0_DEMO (XCR0_X87 | XCR0_SSE | XCR0_APX)
#define UNMAPPED 0x7fff0000ull		/* above guest RAM: not mapped */
#define APX_OFF 960			/* standard-format offset of component 19 */
#define XSTATE_BV_OFF 512

void egpr_set(uint64_t seed);
void egpr_get(uint64_t out[16]);
void egpr_across_calls(uint64_t out[16], uint64_t seed);
void ndd_egpr(uint64_t a, uint64_t b, uint64_t out[5]);
void push2_roundtrip(uint64_t out[6], uint64_t a, uint64_t b);
uint64_t jmpabs_test(void);
void xsave_area(void *area, uint64_t rfbm);
void xrstor_area(void *area, uint64_t rfbm);
void demo_callback(void);
int main(void);

static uint8_t xarea[4096] __attribute__((aligned(64)));
static volatile uint64_t callback_calls;

/* Plain C called while R16..R31 hold live values: the compiler cannot touch
 * them, the vCPU must not either. */
void demo_callback(void)
{
	callback_calls++;
}

/* RFLAGS after running INSN (operands %[x], %[y]) with RFLAGS = FIN */
#define FLAGS_AFTER(fin, insn, xv, yv) ({					\
	uint64_t fo_, x_ = (xv), y_ = (yv);				\
	__asm__ volatile("push %[fi]\n\tpopfq\n\t" insn "\n\tpushfq\n\tpop %[fo]" \
			 : [fo] "=&r"(fo_), [x] "+r"(x_), [y] "+r"(y_)	\
			 : [fi] "r"((uint64_t)(fin)) : "cc");		\
	fo_; })

static int egpr_equal(const char *name, const uint64_t *got, uint64_t seed)
{
	for (int i = 0; i < 16; i++)
		if (got[i] != seed + (uint64_t)i) {
			checks_failed++;
			printf("FAIL %s (r%d got 0x%lx, expected 0x%lx)\n", name, 16 + i,
			       got[i], seed + (uint64_t)i);
			return 0;
		}
	checks_passed++;
	printf("PASS %s\n", name);
	return 1;
}

static int enable_apx(void)
{
	if (cpuid(0, 0).a < 7 || !(cpuid(7, 1).d & CPUID_APX_F)) {
		printf("apx-demo: CPUID.(7,1).EDX[21] (APX_F) is clear: no APX, skipping\n");
		return 0;
	}
	if (!(cpuid(1, 0).c & CPUID_XSAVE)) {
		printf("apx-demo: no XSAVE (CPUID.1.ECX[26]), skipping\n");
		return 0;
	}
	write_cr4(read_cr4() | CR4_OSXSAVE);
	check_true("CPUID.1.ECX.OSXSAVE mirrors CR4.OSXSAVE",
		   (cpuid(1, 0).c & CPUID_OSXSAVE) != 0, "bit 27 clear");
	xsetbv(0, XCR0_DEMO);
	check_u64("XCR0 = x87|SSE|APX", xgetbv(0), XCR0_DEMO);
	return 1;
}

static void test_egprs(void)
{
	uint64_t out[16];
	egpr_across_calls(out, 0x1600000000000000ull);
	egpr_equal("R16..R31 preserved across calls (PUSH2P/POP2P, PUSHP/POPP callee)",
		   out, 0x1600000000000000ull);
	check_u64("C callback ran between", callback_calls, 1);
}

static void test_ndd(void)
{
	uint64_t o[5];
	ndd_egpr(0x1000000000000007ull, 5, o);
	check_true("NDD add r22, r20, r21 / sub r23, r20, r21",
		   o[2] == 0x100000000000000cull && o[3] == 0x1000000000000002ull,
		   "wrong result");
	check_true("NDD sources unchanged", o[0] == 0x1000000000000007ull && o[1] == 5,
		   "source modified");
	check_u64("NDD 32-bit add zeroes bits 63:32", o[4], 12);

	uint64_t a = 40, b = 2, r;
	__asm__ volatile("apx_sub %0, %1, %2" : "=&r"(r), "+r"(a), "+r"(b) : : "cc");
	check_true("NDD sub from C inline asm", r == 38 && a == 40 && b == 2, "wrong");
	a = 6, b = 7;
	__asm__ volatile("apx_imul %0, %1, %2" : "=&r"(r), "+r"(a), "+r"(b) : : "cc");
	check_u64("NDD imul", r, 42);
}

static void test_nf(void)
{
	const uint64_t fin = 0x2 | FL_SF | FL_PF;	/* not what 1 + -1 gives */
	uint64_t f = FLAGS_AFTER(fin, "apx_add_nf %[x], %[x], %[y]", 1, -1ull);
	check_u64("NF add leaves flags (pushfq before/after)", f & FL_ARITH, fin & FL_ARITH);
	f = FLAGS_AFTER(fin, "apx_add %[x], %[x], %[y]", 1, -1ull);
	check_u64("same add without NF sets ZF|CF|PF|AF", f & FL_ARITH,
		  FL_ZF | FL_CF | FL_PF | FL_AF);
	f = FLAGS_AFTER(fin, "apx_xor_nf %[x], %[y]", 3, 3);
	check_u64("NF xor leaves flags", f & FL_ARITH, fin & FL_ARITH);
	f = FLAGS_AFTER(fin, "apx_imul_nf %[x], %[x], %[y]", 1ull << 62, 4);
	check_u64("NF imul (overflowing) leaves flags", f & FL_ARITH, fin & FL_ARITH);
	uint64_t r = 1, s = -1ull;
	__asm__ volatile("apx_add_nf %0, %1" : "+r"(r) : "r"(s));
	check_u64("NF add result", r, 0);
}

static void test_ccmp(void)
{
	const uint64_t zf = 0x2 | FL_ZF, nz = 0x2;
	const uint64_t m4 = FL_OF | FL_SF | FL_ZF | FL_CF;
	uint64_t got = FLAGS_AFTER(zf, "apx_ccmp z, 0, %[x], %[y]", 5, 7);
	uint64_t want = FLAGS_AFTER(zf, "cmp %[y], %[x]", 5, 7);
	check_u64("CCMPZ true: flags of cmp 5, 7", got & FL_ARITH, want & FL_ARITH);
	got = FLAGS_AFTER(nz, "apx_ccmp z, 9, %[x], %[y]", 5, 7);
	check_u64("CCMPZ false: flags = DFV {of,cf}", got & m4, FL_OF | FL_CF);
	got = FLAGS_AFTER(nz, "apx_ccmp t, 0, %k[x], %k[y]", 0x80000000, 1);
	want = FLAGS_AFTER(nz, "cmp %k[y], %k[x]", 0x80000000, 1);
	check_u64("CCMPT 32-bit: flags of cmp", got & FL_ARITH, want & FL_ARITH);
	got = FLAGS_AFTER(zf, "apx_ctest z, 0, %[x], %[y]", 0xf0, 0x0f);
	want = FLAGS_AFTER(zf, "test %[y], %[x]", 0xf0, 0x0f);
	check_u64("CTESTZ true: flags of test 0xf0, 0x0f",
		  got & (m4 | FL_PF), want & (m4 | FL_PF));
	got = FLAGS_AFTER(nz, "apx_ctest z, 6, %[x], %[y]", 0xf0, 0x0f);
	check_u64("CTESTZ false: flags = DFV {sf,zf}", got & m4, FL_SF | FL_ZF);
	/* a == 3 && b == 4 as cmp + CCMPZ: ZF answers both */
#define CHAIN "cmp $3, %[x]\n\tmov $4, %[x]\n\tapx_ccmp z, 0, %[y], %[x]"
	got = FLAGS_AFTER(nz, CHAIN, 3, 4);
	check_true("cmp + CCMPZ chain: 3 == 3 && 4 == 4 sets ZF", (got & FL_ZF) != 0, "ZF clear");
	got = FLAGS_AFTER(nz, CHAIN, 2, 4);
	check_true("cmp + CCMPZ chain: 2 == 3 && 4 == 4 clears ZF", (got & FL_ZF) == 0, "ZF set");
#undef CHAIN
}

/* CFCMOV with a resume point: an exception there is recorded, not fatal */
#define CFCMOV_TRY(insn, ...)							\
	__asm__ volatile("lea 1f(%%rip), %%rax\n\tmov %%rax, trap_resume(%%rip)\n\t" \
			 insn "\n1:\tmovq $0, trap_resume(%%rip)"		\
			 __VA_ARGS__)

static void test_cfcmov(void)
{
	static volatile uint64_t val = 0xfeedfacecafebeefull;
	uint64_t n0 = trap_last.count, r = 0x1234;
	CFCMOV_TRY("test %[p], %[p]\n\tapx_cfcmov_ld z, %[r], %[p]",
		   : [r] "+r"(r) : [p] "r"(UNMAPPED) : "rax", "cc", "memory");
	check_true("CFCMOVZ load, false, unmapped address: no fault",
		   trap_last.count == n0, "exception raised");
	check_u64("CFCMOVZ load, false: destination zeroed", r, 0);
	r = 0x1234;
	CFCMOV_TRY("cmp %[p], %[p]\n\tapx_cfcmov_ld z, %[r], %[p]",
		   : [r] "+r"(r) : [p] "r"(&val) : "rax", "cc", "memory");
	check_u64("CFCMOVZ load, true, mapped memory", r, val);
	r = 0x5678;
	CFCMOV_TRY("test %[p], %[p]\n\tapx_cfcmov_st z, %[r], %[p]",
		   : : [r] "r"(r), [p] "r"(UNMAPPED) : "rax", "cc", "memory");
	check_true("CFCMOVZ store, false, unmapped address: no fault",
		   trap_last.count == n0, "exception raised");
	uint64_t d = 0, a = 0x77;
	CFCMOV_TRY("test %[p], %[p]\n\tapx_cfcmov3_ld z, %[d], %[a], %[p]",
		   : [d] "=&r"(d) : [a] "r"(a), [p] "r"(UNMAPPED) : "rax", "cc", "memory");
	check_true("CFCMOVZ NDD, false: d = a, no fault",
		   d == 0x77 && trap_last.count == n0, "wrong value or exception");
}

static void test_push2(void)
{
	uint64_t o[6];
	const uint64_t a = 0xaaaa0000aaaa0001ull, b = 0xbbbb0000bbbb0002ull;
	push2_roundtrip(o, a, b);
	check_u64("PUSH2 moves RSP by 16", o[0], 16);
	check_true("PUSH2 r16, r17 stores r16 at RSP+8, r17 at RSP", o[1] == a && o[2] == b,
		   "wrong order");
	check_true("POP2 r18, r19 loads r18 = [RSP], r19 = [RSP+8]", o[3] == b && o[4] == a,
		   "wrong order");
	check_u64("PUSH2/POP2 round trip restores RSP", o[5], 0);
}

static void test_setzu(void)
{
	uint64_t r = -1ull;
	__asm__ volatile("cmp %0, %0\n\tapx_setzu z, %0" : "+r"(r) : : "cc");
	check_u64("SETZU.Z true: whole register = 1", r, 1);
	r = -1ull;
	__asm__ volatile("test %0, %0\n\tapx_setzu z, %0" : "+r"(r) : : "cc");
	check_u64("SETZU.Z false: whole register = 0", r, 0);
	r = -1ull;
	__asm__ volatile("cmp %0, %0\n\tapx_setcc z, %0" : "+r"(r) : : "cc");
	check_u64("map-4 SETZ without ZU merges the byte", r, 0xffffffffffffff01ull);
}

static void test_xsave(void)
{
	struct cpuid_regs c = cpuid(0xd, 19);
	check_true("CPUID.(0xD,19): 128 bytes at offset 960", c.a == 128 && c.b == APX_OFF,
		   "wrong size/offset");
	c = cpuid(0xd, 0);
	check_true("CPUID.(0xD,0): XSAVE size for XCR0 covers the APX area",
		   c.b >= APX_OFF + 128 && c.b <= sizeof(xarea), "EBX out of range");

	uint64_t out[16], *q = (uint64_t *)(void *)(xarea + APX_OFF);
	uint64_t *bv = (uint64_t *)(void *)(xarea + XSTATE_BV_OFF);
	const uint64_t seed = 0x5a00000000000000ull;
	memset(xarea, 0, sizeof(xarea));
	egpr_set(seed);
	xsave_area(xarea, XCR0_DEMO);
	check_true("XSAVE sets XSTATE_BV[19]", (*bv & XCR0_APX) != 0, "bit 19 clear");
	egpr_equal("XSAVE stores R16..R31 at offset 960", q, seed);
	egpr_set(0x6600000000000000ull);
	xrstor_area(xarea, XCR0_DEMO);
	egpr_get(out);
	egpr_equal("XRSTOR restores R16..R31", out, seed);
	*bv &= ~XCR0_APX;
	egpr_set(0x7700000000000000ull);
	xrstor_area(xarea, XCR0_DEMO);
	egpr_get(out);
	int zero = 1;
	for (int i = 0; i < 16; i++)
		zero &= out[i] == 0;
	check_true("XRSTOR with XSTATE_BV[19] = 0 zeroes R16..R31", zero, "not zero");
}

int main(void)
{
	printf("apx-demo: Intel APX on the apxvm software vCPU\n");
	trap_install();
	if (!enable_apx())
		return EXIT_SKIP;
	test_egprs();
	test_ndd();
	test_nf();
	test_ccmp();
	test_cfcmov();
	test_push2();
	check_u64("JMPABS to a 64-bit absolute target", jmpabs_test(), 2);
	test_setzu();
	test_xsave();
	printf("apx-demo: %u passed, %u failed\n", checks_passed, checks_failed);
	return (int)checks_failed;
}
