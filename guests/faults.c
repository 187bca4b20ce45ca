/* SPDX-License-Identifier: MIT */
/*
 * faults: exception delivery through the guest's own IDT.  Every check runs
 * a probe (faults.S) that may raise an exception; the handler records vector,
 * error code, CR2 and RIP and resumes after the probe.  One PASS/FAIL line
 * per check; exit status = number of failures.
 */
#include "rt.h"
#include "trap.h"

#define V_DE 0
#define V_BP 3
#define V_UD 6
#define V_GP 13
#define V_PF 14
#define NO_CHECK ((uint64_t)-2)

#define PF_P 1		/* error code: protection violation (page present) */
#define PF_W 2		/* error code: write */

#define UNMAPPED 0x7fff0000ull		/* above guest RAM: not mapped */
#define NONCANON 0x8000000000000000ull
#define TEST_2M 0x400000ull		/* the 2 MiB region mapped with 4 KiB pages */
#define RO_PAGE TEST_2M			/* present, read-only */
#define NP_PAGE (TEST_2M + 0x1000)	/* not present */
#define RAM_2M_PAGES 32			/* identity map of the first 64 MiB */

#define PTE_P 1ull
#define PTE_RW 2ull
#define PTE_PS 0x80ull
#define CR0_WP (1ull << 16)

uint64_t probe_read(uint64_t addr);
void probe_write(uint64_t addr, uint64_t v);
void probe_div0(void);
void probe_int3(void);
void probe_rex2(void);
void probe_evex(void);
void probe_xsetbv(uint32_t xcr, uint64_t v);
void probe_xrstor(void *area, uint64_t rfbm);
extern const char probe_read_insn[], probe_write_insn[], probe_div0_div[],
	probe_int3_next[], probe_rex2_insn[], probe_evex_insn[], probe_xsetbv_insn[],
	probe_xrstor_insn[];
int main(void);

static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[512] __attribute__((aligned(4096)));
static uint64_t pt[512] __attribute__((aligned(4096)));
static uint8_t xarea[4096 + 64] __attribute__((aligned(64)));

static uint64_t addr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* The recorded exception must be VEC with error ERR (and CR2, RIP unless
 * NO_CHECK). */
static void expect(const char *name, uint64_t vec, uint64_t err, uint64_t cr2,
		   uint64_t rip)
{
	const volatile struct trap_info *t = &trap_last;
	if (t->vector == vec && t->error == err && (cr2 == NO_CHECK || t->cr2 == cr2) &&
	    (rip == NO_CHECK || t->rip == rip)) {
		checks_passed++;
		printf("PASS %s\n", name);
		return;
	}
	checks_failed++;
	if (t->vector == TRAP_NONE)
		printf("FAIL %s (no exception, expected vector %lu)\n", name, vec);
	else
		printf("FAIL %s (got vector %lu error 0x%lx cr2 0x%lx rip 0x%lx, "
		       "expected vector %lu error 0x%lx)\n", name, t->vector, t->error,
		       t->cr2, t->rip, vec, err);
}

static void expect_none(const char *name)
{
	if (trap_last.vector == TRAP_NONE) {
		checks_passed++;
		printf("PASS %s\n", name);
	} else {
		checks_failed++;
		printf("FAIL %s (vector %lu error 0x%lx at rip 0x%lx)\n", name,
		       trap_last.vector, trap_last.error, trap_last.rip);
	}
}

static void test_basic(void)
{
	trap_clear();
	probe_read(UNMAPPED);
	expect("#PF not-present read: error 0, CR2 = address, RIP = load", V_PF, 0,
	       UNMAPPED, addr(probe_read_insn));
	trap_clear();
	probe_write(UNMAPPED + 8, 1);
	expect("#PF not-present write (no PDPT entry): error W", V_PF, PF_W, UNMAPPED + 8,
	       addr(probe_write_insn));
	trap_clear();
	probe_read(NONCANON);
	expect("#GP(0) on a non-canonical address", V_GP, 0, NO_CHECK, addr(probe_read_insn));
	trap_clear();
	probe_div0();
	expect("#DE on divide by zero", V_DE, 0, NO_CHECK, addr(probe_div0_div));
	trap_clear();
	probe_int3();
	expect("#BP on INT3 (RIP after it)", V_BP, 0, NO_CHECK, addr(probe_int3_next));
	trap_clear();
	probe_rex2();
	expect("#UD for REX2 with CR4.OSXSAVE = 0", V_UD, 0, NO_CHECK, addr(probe_rex2_insn));
}

static void test_xcr0(void)
{
	if (!(cpuid(1, 0).c & (1u << 26))) {
		printf("faults: no XSAVE, XCR0 checks skipped\n");
		return;
	}
	write_cr4(read_cr4() | CR4_OSXSAVE);
	trap_clear();
	probe_xsetbv(0, XCR0_X87 | XCR0_SSE);
	expect_none("XSETBV XCR0 = x87|SSE is accepted");
	check_u64("XGETBV reads it back", xgetbv(0), XCR0_X87 | XCR0_SSE);

	static const struct { const char *name, *after; uint32_t xcr; uint64_t v; } bad[] = {
		{ "XSETBV with x87 clear: #GP(0)", "XCR0 unchanged after x87-clear XSETBV",
		  0, XCR0_SSE },
		{ "XSETBV AVX without SSE: #GP(0)", "XCR0 unchanged after AVX-only XSETBV",
		  0, XCR0_X87 | XCR0_AVX },
		{ "XSETBV APX together with MPX: #GP(0)", "XCR0 unchanged after APX|MPX XSETBV",
		  0, XCR0_X87 | XCR0_SSE | XCR0_APX | XCR0_BNDREGS | XCR0_BNDCSR },
		{ "XSETBV reserved bit 63: #GP(0)", "XCR0 unchanged after bit-63 XSETBV",
		  0, XCR0_X87 | (1ull << 63) },
		{ "XSETBV ECX = 1: #GP(0)", "XCR0 unchanged after XSETBV to XCR1",
		  1, XCR0_X87 },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		trap_clear();
		probe_xsetbv(bad[i].xcr, bad[i].v);
		expect(bad[i].name, V_GP, 0, NO_CHECK, addr(probe_xsetbv_insn));
		check_u64(bad[i].after, xgetbv(0), XCR0_X87 | XCR0_SSE);
	}

	trap_clear();
	probe_rex2();
	expect("#UD for REX2 with XCR0.APX = 0", V_UD, 0, NO_CHECK, addr(probe_rex2_insn));
	trap_clear();
	probe_evex();
	expect("#UD for APX-EVEX (NDD add) with XCR0.APX = 0", V_UD, 0, NO_CHECK,
	       addr(probe_evex_insn));

	/* XRSTOR header checks (standard format) */
	memset(xarea, 0, sizeof(xarea));
	trap_clear();
	probe_xrstor(xarea, XCR0_X87 | XCR0_SSE);
	expect_none("XRSTOR of a zeroed header is accepted");
	xarea[512 + 16] = 1;		/* reserved header byte */
	trap_clear();
	probe_xrstor(xarea, XCR0_X87 | XCR0_SSE);
	expect("XRSTOR with a reserved header bit: #GP(0)", V_GP, 0, NO_CHECK,
	       addr(probe_xrstor_insn));
	xarea[512 + 16] = 0;
	xarea[512] = (uint8_t)XCR0_AVX;	/* XSTATE_BV bit not in XCR0 */
	trap_clear();
	probe_xrstor(xarea, XCR0_X87 | XCR0_SSE);
	expect("XRSTOR with XSTATE_BV outside XCR0: #GP(0)", V_GP, 0, NO_CHECK,
	       addr(probe_xrstor_insn));
	xarea[512] = 0;
	trap_clear();
	probe_xrstor(xarea + 16, XCR0_X87 | XCR0_SSE);
	expect("XRSTOR of a misaligned area: #GP(0)", V_GP, 0, NO_CHECK,
	       addr(probe_xrstor_insn));
}

/* Own page tables: identity map of 64 MiB with 2 MiB pages, except the
 * region at TEST_2M, mapped with 4 KiB pages: RO_PAGE read-only, NP_PAGE
 * not present.  CR0.WP makes supervisor writes honour R/W. */
static void test_paging(void)
{
	for (uint64_t i = 0; i < RAM_2M_PAGES; i++)
		pd[i] = (i << 21) | PTE_P | PTE_RW | PTE_PS;
	for (uint64_t i = 0; i < 512; i++)
		pt[i] = (TEST_2M + (i << 12)) | PTE_P | PTE_RW;
	pt[0] = RO_PAGE | PTE_P;
	pt[1] = 0;
	pd[TEST_2M >> 21] = addr(pt) | PTE_P | PTE_RW;
	pdpt[0] = addr(pd) | PTE_P | PTE_RW;
	pml4[0] = addr(pdpt) | PTE_P | PTE_RW;
	uint64_t cr0;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_WP) : "memory");
	__asm__ volatile("mov %0, %%cr3" : : "r"(addr(pml4)) : "memory");

	trap_clear();
	probe_write(RO_PAGE + 0x10, 0);
	expect("#PF write to a read-only 4 KiB page: error P|W, CR2", V_PF, PF_P | PF_W,
	       RO_PAGE + 0x10, addr(probe_write_insn));
	trap_clear();
	probe_read(RO_PAGE + 0x10);
	expect_none("read of the read-only page works");
	trap_clear();
	probe_write(NP_PAGE + 0x18, 0);
	expect("#PF write to an unmapped 4 KiB page: error W, CR2", V_PF, PF_W,
	       NP_PAGE + 0x18, addr(probe_write_insn));
	trap_clear();
	probe_read(NP_PAGE + 0xff8);
	expect("#PF read of an unmapped 4 KiB page: error 0", V_PF, 0, NP_PAGE + 0xff8,
	       addr(probe_read_insn));
	trap_clear();
	probe_write(TEST_2M + 0x2000, 0x1122334455667788ull);
	check_u64("write to the next (writable) page works", probe_read(TEST_2M + 0x2000),
		  0x1122334455667788ull);
}

int main(void)
{
	printf("faults: exceptions through the guest IDT\n");
	trap_install();
	test_basic();
	test_xcr0();
	test_paging();
	printf("faults: %u passed, %u failed\n", checks_passed, checks_failed);
	return (int)checks_failed;
}
