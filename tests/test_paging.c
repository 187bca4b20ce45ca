/* SPDX-License-Identifier: MIT */
/*
 * 4-level paging: translations of 4 KiB, 2 MiB and 1 GiB pages, accessed and
 * dirty bits, #PF error codes and CR2, reserved bits, CR0.WP, SMEP/SMAP,
 * cross-page accesses that fault with nothing written, the software TLB and
 * its invalidation, and page tables that point outside guest RAM.
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "x86/interp.h"
#include "x86/interp_internal.h"
#include "x86/paging.h"

#define RAM_SIZE (4u << 20)
#define PML4 0x1000u
#define PDPT 0x2000u
#define PD   0x3000u
#define PT   0x4000u
#define P  X86_PTE_P
#define RW X86_PTE_RW
#define US X86_PTE_US
#define PS X86_PTE_PS
#define A  X86_PTE_A
#define D  X86_PTE_D
#define XD X86_PTE_XD

#include "vcpu_fixture.h"


static void reset(void)
{
	memset(ram, 0, RAM_SIZE);
	memset(&v, 0, sizeof(v));
	vcpu_regfile_init(&v.regs, NULL);
	v.regs.rflags = X86_FLAGS_FIXED;
	v.cr0 = X86_CR0_PE | X86_CR0_PG;
	v.cr4 = X86_CR4_PAE;
	v.efer = X86_EFER_LME | X86_EFER_LMA;
	v.cr3 = PML4;
	memset(&c, 0, sizeof(c));
	c.v = &v;
	c.ram = ram;
	c.ram_size = RAM_SIZE;

	set64(PML4 + 0 * 8, PDPT | P | RW | US);
	set64(PML4 + 1 * 8, UINT64_C(0x7ff000000) | P | RW | US); /* table outside RAM */
	set64(PML4 + 2 * 8, PDPT | P | RW | US | PS);             /* PS reserved in a PML4E */
	set64(PDPT + 0 * 8, PD | P | RW | US);
	set64(PDPT + 1 * 8, 0 | P | RW | US | PS);                 /* 1 GiB at 0x40000000 -> 0 */
	set64(PD + 0 * 8, PT | P | RW | US);
	set64(PD + 1 * 8, 0x200000 | P | RW | US | PS);            /* 2 MiB at 0x200000 */
	set64(PT + 16 * 8, 0x20000 | P | RW | US);                 /* 0x10000 */
	/* 17 (0x11000): not present */
	set64(PT + 18 * 8, 0x21000 | P | US);                      /* read-only */
	set64(PT + 19 * 8, 0x22000 | P | RW);                      /* supervisor */
	set64(PT + 20 * 8, 0x23000 | P | RW | US | XD);            /* no-execute */
	set64(PT + 21 * 8, 0x24000 | P | RW | US | (UINT64_C(1) << 50)); /* reserved bit */
	set64(PT + 22 * 8, 0x25000 | P | RW | US);
	set64(PT + 23 * 8, UINT64_C(0x10000000) | P | RW | US);   /* frame outside RAM */
}

static int is_pf(enum x86_exit ex, uint32_t err, uint64_t cr2)
{
	return ex == X86_EXIT_EXCEPTION && c.exc.vector == X86_EXC_PF && c.exc.has_error &&
	       c.exc.error == err && c.exc.cr2 == cr2;
}

static void show(enum x86_exit ex)
{
	if (ex == X86_EXIT_EXCEPTION)
		diag("exit %d vector %u error 0x%x cr2 0x%llx", ex, c.exc.vector, c.exc.error,
		     (unsigned long long)c.exc.cr2);
	else
		diag("exit %d why %s", ex, c.why ? c.why : "-");
}

static void test_translations(void)
{
	uint64_t x = 0, y;
	enum x86_exit ex;

	reset();
	y = UINT64_C(0x1122334455667788);
	ok(x86_mem_write(&c, 0x10008, &y, 8, false) == X86_EXIT_NONE &&
	   get64(0x20008) == y, "4 KiB page: write lands in its frame");
	ok(x86_mem_read(&c, 0x10008, &x, 8, false) == X86_EXIT_NONE && x == y, "4 KiB page: read back");
	ok((get64(PML4) & A) && (get64(PDPT) & A) && (get64(PD) & A) && (get64(PT + 16 * 8) & A),
	   "A set on every level walked");
	ok(get64(PT + 16 * 8) & D, "D set on the leaf after a write");
	ok(!(get64(PD) & D) && !(get64(PDPT) & D), "D not set on non-leaf entries");

	set64(0x25010, 0xabcdef);
	ok(x86_mem_read(&c, 0x16010, &x, 4, false) == X86_EXIT_NONE && (x & 0xffffffff) == 0xabcdef,
	   "read through another 4 KiB page");
	ok((get64(PT + 22 * 8) & A) && !(get64(PT + 22 * 8) & D), "read sets A, not D");

	set64(0x212340, 0x5a5a);
	x = 0;
	ex = x86_mem_read(&c, 0x212340, &x, 2, false);
	ok(ex == X86_EXIT_NONE && x == 0x5a5a, "2 MiB page translation");
	ok((get64(PD + 8) & A) && !(get64(PD + 8) & D), "2 MiB leaf: A set, D clear after read");
	ok(x86_mem_write(&c, 0x212340, &y, 2, false) == X86_EXIT_NONE && (get64(PD + 8) & D),
	   "2 MiB leaf: D set after write");

	set64(0x30018, 0x77);
	x = 0;
	ok(x86_mem_read(&c, 0x40030018, &x, 1, false) == X86_EXIT_NONE && x == 0x77,
	   "1 GiB page translation");
	ok((get64(PDPT + 8) & A) && !(get64(PDPT + 8) & D), "1 GiB leaf: A set");

	{
		static uint8_t big[5 * 4096];
		unsigned i;

		for (i = 0; i < sizeof(big); i++)
			ram[0x200800 + i] = (uint8_t)(i * 7);
		ok(x86_mem_read(&c, 0x200800, big, sizeof(big), false) == X86_EXIT_NONE &&
		   !memcmp(big, ram + 0x200800, sizeof(big)), "a read over six 4 KiB pieces");
	}

	/* A/D written back only when they change: clear A in the guest, a TLB hit leaves it. */
	set64(PT + 16 * 8, get64(PT + 16 * 8) & ~A);
	ok(x86_mem_read(&c, 0x10008, &x, 8, false) == X86_EXIT_NONE &&
	   !(get64(PT + 16 * 8) & A), "a TLB hit does not touch the page tables");
}

static void test_faults(void)
{
	uint64_t x = 0, y = 0x99;
	enum x86_exit ex;

	reset();
	ex = x86_mem_read(&c, 0x11234, &x, 4, false);
	ok(is_pf(ex, 0, 0x11234), "not present: #PF error 0, CR2 the address");
	v.cpl = 3;
	ex = x86_mem_write(&c, 0x11000, &y, 1, false);
	ok(is_pf(ex, X86_PF_W | X86_PF_U, 0x11000), "not present, user write: error W|U");
	ok(!(get64(PT + 17 * 8) & A), "a fault sets no A bit on the failing entry");

	v.cpl = 0;
	ok(x86_mem_write(&c, 0x12000, &y, 1, false) == X86_EXIT_NONE && ram[0x21000] == 0x99,
	   "supervisor write to read-only page with CR0.WP=0 succeeds");
	v.cr0 |= X86_CR0_WP;
	ex = x86_mem_write(&c, 0x12001, &y, 1, false);
	ok(is_pf(ex, X86_PF_P | X86_PF_W, 0x12001), "CR0.WP=1: supervisor write #PF P|W");
	ok(ram[0x21001] == 0, "nothing written");
	v.cpl = 3;
	ex = x86_mem_write(&c, 0x12002, &y, 1, false);
	ok(is_pf(ex, X86_PF_P | X86_PF_W | X86_PF_U, 0x12002), "user write to read-only: P|W|U");
	ok(x86_mem_read(&c, 0x12002, &x, 1, false) == X86_EXIT_NONE, "user read of read-only page ok");
	ex = x86_mem_read(&c, 0x13000, &x, 1, false);
	ok(is_pf(ex, X86_PF_P | X86_PF_U, 0x13000), "user read of supervisor page: P|U");
	v.cpl = 0;
	ok(x86_mem_read(&c, 0x13000, &x, 1, false) == X86_EXIT_NONE, "supervisor read of it ok");

	/* XD without EFER.NXE is a reserved bit. */
	ex = x86_mem_read(&c, 0x14000, &x, 1, false);
	ok(is_pf(ex, X86_PF_P | X86_PF_RSVD, 0x14000), "XD with NXE=0: P|RSVD");
	v.efer |= X86_EFER_NXE;
	ok(x86_mem_read(&c, 0x14000, &x, 1, false) == X86_EXIT_NONE, "NXE=1: data read of NX page ok");
	ex = x86_mem_probe(&c, 0x14000, 1, X86_ACC_FETCH, false);
	ok(is_pf(ex, X86_PF_P | X86_PF_I, 0x14000), "fetch from NX page: P|I");
	ex = x86_mem_probe(&c, 0x11000, 1, X86_ACC_FETCH, false);
	ok(is_pf(ex, X86_PF_I, 0x11000), "fetch from not-present page with NXE: I");
	ex = x86_mem_read(&c, 0x15000, &x, 1, false);
	ok(is_pf(ex, X86_PF_P | X86_PF_RSVD, 0x15000), "bit 50 (above MAXPHYADDR): P|RSVD");
	v.cpl = 3;
	ex = x86_mem_write(&c, 0x15008, &y, 1, false);
	ok(is_pf(ex, X86_PF_P | X86_PF_RSVD | X86_PF_W | X86_PF_U, 0x15008),
	   "reserved bit, user write: P|W|U|RSVD");
	v.cpl = 0;
	ex = x86_mem_read(&c, UINT64_C(0x10000000000), &x, 1, false);
	ok(is_pf(ex, X86_PF_P | X86_PF_RSVD, UINT64_C(0x10000000000)), "PS in a PML4E: RSVD");
	set64(PD + 2 * 8, 0x400000 | P | RW | PS | (1u << 13));
	ex = x86_mem_read(&c, 0x400000, &x, 1, false);
	ok(is_pf(ex, X86_PF_P | X86_PF_RSVD, 0x400000), "2 MiB PDE with bit 13 set: RSVD");
	set64(PDPT + 2 * 8, UINT64_C(0x80000000) | P | RW | PS | (1u << 20));
	ex = x86_mem_read(&c, 0x80000000, &x, 1, false);
	ok(is_pf(ex, X86_PF_P | X86_PF_RSVD, 0x80000000), "1 GiB PDPTE with bit 20 set: RSVD");

	/* SMEP / SMAP. */
	v.cr4 |= X86_CR4_SMEP;
	ex = x86_mem_probe(&c, 0x10000, 1, X86_ACC_FETCH, false);
	ok(is_pf(ex, X86_PF_P | X86_PF_I, 0x10000), "SMEP: supervisor fetch from user page");
	v.cr4 = (v.cr4 & ~(uint64_t)X86_CR4_SMEP) | X86_CR4_SMAP;
	ex = x86_mem_read(&c, 0x10000, &x, 1, false);
	ok(is_pf(ex, X86_PF_P, 0x10000), "SMAP: supervisor read of user page");
	v.regs.rflags |= X86_FLAGS_AC;
	ok(x86_mem_read(&c, 0x10000, &x, 1, false) == X86_EXIT_NONE, "SMAP with EFLAGS.AC: allowed");
}

static void test_cross_page(void)
{
	uint64_t y = UINT64_C(0x0102030405060708), x = 0;
	enum x86_exit ex;

	reset();
	ex = x86_mem_write(&c, 0x10ffc, &y, 8, false);
	ok(is_pf(ex, X86_PF_W, 0x11000), "cross-page write faults on the second page");
	ok(get64(0x20ff8) == 0, "nothing written to the first page");
	ok(!(get64(PT + 16 * 8) & (A | D)) && !(get64(PML4) & A),
	   "no accessed/dirty bit set by the faulting cross-page write");
	ex = x86_mem_probe(&c, 0x10ffc, 8, X86_ACC_WRITE, false);
	ok(is_pf(ex, X86_PF_W, 0x11000), "probe reports the same fault");

	/* Across two mapped pages with different frames. */
	set64(PT + 17 * 8, 0x30000 | P | RW | US);
	ok(x86_mem_write(&c, 0x10ffc, &y, 8, false) == X86_EXIT_NONE, "cross-page write, both mapped");
	memcpy(&x, ram + 0x20ffc, 4);
	ok((uint32_t)x == 0x05060708, "first half in the first frame");
	memcpy(&x, ram + 0x30000, 4);
	ok((uint32_t)x == 0x01020304, "second half in the second frame");
	x = 0;
	ok(x86_mem_read(&c, 0x10ffc, &x, 8, false) == X86_EXIT_NONE && x == y, "cross-page read back");
}

static void test_tlb(void)
{
	uint64_t x = 0, walks;

	reset();
	set64(0x25000, 0x1111);
	set64(0x26000, 0x2222);
	ok(x86_mem_read(&c, 0x16000, &x, 8, false) == X86_EXIT_NONE && x == 0x1111, "first read walks");
	walks = c.tlb.walks;
	set64(PT + 22 * 8, 0x26000 | P | RW | US);
	ok(x86_mem_read(&c, 0x16000, &x, 8, false) == X86_EXIT_NONE && x == 0x1111 &&
	   c.tlb.walks == walks && c.tlb.hits > 0, "TLB hit: the old translation until invalidated");
	x86_tlb_invlpg(&c, 0x16abc);
	ok(x86_mem_read(&c, 0x16000, &x, 8, false) == X86_EXIT_NONE && x == 0x2222,
	   "INVLPG: the new translation");
	set64(PT + 22 * 8, 0x25000 | P | RW | US);
	ok(x86_mem_read(&c, 0x16000, &x, 8, false) == X86_EXIT_NONE && x == 0x2222, "cached again");
	x86_tlb_flush(&c);
	ok(x86_mem_read(&c, 0x16000, &x, 8, false) == X86_EXIT_NONE && x == 0x1111, "flush: the new translation");

	/* A cached read-only translation does not let a write through without D: the walk sets D. */
	set64(PT + 22 * 8, get64(PT + 22 * 8) & ~D);
	x86_tlb_flush(&c);
	ok(x86_mem_read(&c, 0x16000, &x, 8, false) == X86_EXIT_NONE && !(get64(PT + 22 * 8) & D), "read: no D");
	ok(x86_mem_write(&c, 0x16000, &x, 8, false) == X86_EXIT_NONE && (get64(PT + 22 * 8) & D),
	   "write after a read-filled TLB entry sets D");

	/* A TLB entry that no longer allows the access is re-walked, the walk faults. */
	set64(PT + 22 * 8, 0x25000 | P | US | A | D);
	x86_tlb_flush(&c);
	v.cpl = 3;
	ok(x86_mem_read(&c, 0x16000, &x, 8, false) == X86_EXIT_NONE, "user read (cached read-only)");
	ok(is_pf(x86_mem_write(&c, 0x16000, &x, 1, false), X86_PF_P | X86_PF_W | X86_PF_U, 0x16000),
	   "user write on a read-only cached entry faults");
	v.cpl = 0;

	/* INVLPG of any address inside a 2 MiB page drops its cached 4 KiB pieces. */
	set64(0x200000, 0x3333);
	set64(0x000000, 0x4444);
	ok(x86_mem_read(&c, 0x200000, &x, 8, false) == X86_EXIT_NONE && x == 0x3333, "2 MiB cached");
	set64(PD + 8, 0 | P | RW | US | PS);
	x86_tlb_invlpg(&c, 0x3ff000);
	ok(x86_mem_read(&c, 0x200000, &x, 8, false) == X86_EXIT_NONE && x == 0x4444,
	   "INVLPG elsewhere in the 2 MiB page invalidates it");

	/* A CR3 change flushes even without an explicit call. */
	set64(0x5000, get64(PML4));
	set64(0x5000 + 8 * 0, PDPT | P | RW | US);
	ok(x86_mem_read(&c, 0x200000, &x, 8, false) == X86_EXIT_NONE, "before CR3 change");
	v.cr3 = 0x5000;
	set64(PD + 8, 0x200000 | P | RW | US | PS);
	ok(x86_mem_read(&c, 0x200000, &x, 8, false) == X86_EXIT_NONE && x == 0x3333,
	   "a new CR3 value flushes the TLB");
}

static void test_outside_ram(void)
{
	uint64_t x = 0x5a;
	enum x86_exit ex;

	reset();
	ex = x86_mem_read(&c, UINT64_C(0x8000000000), &x, 1, false);
	ok(ex == X86_EXIT_INTERNAL && c.why && strstr(c.why, "0x7ff000000") &&
	   strstr(c.why, "0x8000000000"), "table pointer outside RAM: internal exit naming it");
	if (ex == X86_EXIT_INTERNAL)
		diag("%s", c.why);
	ex = x86_mem_write(&c, 0x17000, &x, 1, false);
	ok(ex == X86_EXIT_INTERNAL && c.why && strstr(c.why, "0x10000000"),
	   "mapped frame outside RAM: internal exit naming it");
	/* A table at the very end of RAM: the entry is checked, not read past RAM. */
	set64(PD + 3 * 8, (RAM_SIZE - 0x1000) | P | RW);
	memset(ram + RAM_SIZE - 0x1000, 0, 0x1000);
	ex = x86_mem_read(&c, 0x7ff000, &x, 1, false);
	ok(is_pf(ex, 0, 0x7ff000), "page table in the last RAM page: its last entry is read (not present)");
	c.ram_size = RAM_SIZE - 4; /* now that entry straddles the end of RAM */
	x86_tlb_flush(&c);
	ok(is_pf(x86_mem_read(&c, 0x600000, &x, 1, false), 0, 0x600000), "the table's first entry still read");
	ex = x86_mem_read(&c, 0x7ff000, &x, 1, false);
	ok(ex == X86_EXIT_INTERNAL, "entry straddling the end of RAM: internal exit, never read");
	c.ram_size = RAM_SIZE;

	v.efer &= ~(uint64_t)X86_EFER_LMA;
	x86_tlb_flush(&c);
	ok(x86_mem_read(&c, 0x10000, &x, 1, false) == X86_EXIT_INTERNAL && c.why,
	   "PG without long mode: internal exit (unsupported)");
	v.efer |= X86_EFER_LMA;
	v.cr4 &= ~(uint64_t)X86_CR4_PAE;
	ram[0x10000] = 0x42;
	ok(x86_mem_read(&c, 0x10000, &x, 1, false) == X86_EXIT_NONE && x == 0x42,
	   "PG with PAE clear (unreachable in long mode) is the flat path");
	v.cr4 |= X86_CR4_PAE | X86_CR4_LA57;
	ok(x86_mem_read(&c, 0x10000, &x, 1, false) == X86_EXIT_INTERNAL, "LA57: internal exit (not supported)");
}

static void test_exec(void)
{
	enum x86_exit ex;
	uint8_t buf[16];
	unsigned n = 0;

	reset();
	ram[0x20000] = 0x90; /* nop at linear 0x10000 */
	v.regs.rip = 0x10000;
	ex = x86_step(&c);
	ok(ex == X86_EXIT_NONE && v.regs.rip == 0x10001, "fetch through paging");
	/* mov rax, imm64 (10 bytes) starting 2 bytes before a not-present page. */
	ram[0x20ffe] = 0x48;
	ram[0x20fff] = 0xb8;
	v.regs.rip = 0x10ffe;
	ex = x86_step(&c);
	ok(is_pf(ex, 0, 0x11000), "instruction crossing into a not-present page: #PF at the page");
	if (!is_pf(ex, 0, 0x11000))
		show(ex);
	v.efer |= X86_EFER_NXE;
	ex = x86_step(&c);
	ok(is_pf(ex, X86_PF_I, 0x11000), "same with NXE: I bit");
	/* A short instruction before the unmapped page runs. */
	ram[0x20fff] = 0x90;
	v.regs.rip = 0x10fff;
	ok(x86_fetch(&c, 0x10fff, buf, &n) == X86_EXIT_NONE && n == 1, "fetch returns the bytes before the hole");
	ex = x86_step(&c);
	ok(ex == X86_EXIT_NONE && v.regs.rip == 0x11000, "one-byte instruction at the page end runs");
	ex = x86_step(&c);
	ok(is_pf(ex, X86_PF_I, 0x11000), "then the fetch #PF");
	v.regs.rip = 0x14000;
	ok(is_pf(x86_step(&c), X86_PF_P | X86_PF_I, 0x14000), "execute from an NX page");
	/* User code in supervisor page */
	v.cpl = 3;
	v.regs.rip = 0x13000;
	ok(is_pf(x86_step(&c), X86_PF_P | X86_PF_U | X86_PF_I, 0x13000), "user fetch from supervisor page");
	v.cpl = 0;
	v.regs.rip = 0x17000;
	ok(x86_step(&c) == X86_EXIT_INTERNAL, "fetch from a frame outside RAM: internal exit");
}

int main(void)
{
	ram = calloc(1, RAM_SIZE);
	if (!ram)
		return 1;
	test_translations();
	test_faults();
	test_cross_page();
	test_tlb();
	test_outside_ram();
	test_exec();
	free(ram);
	return done_testing();
}
