/* SPDX-License-Identifier: MIT */
/*
 * libapxvm through include/apxvm/apxvm.h only, with tiny guests given as
 * bytes: a guest loads all 32 GPRs and exits via OUT; its R16..R31 are
 * visible in the XSAVE buffer at 960; values the VMM writes there are what
 * the guest stores to memory after the next run.  Also: exits (IO, exit
 * port, HLT, limit, shutdown), serial output, guest memory bounds, code
 * rewritten by the host between runs, the ELF loader's refusal, and a
 * refused set call through the API.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apxvm/apxvm.h"
#include "tap.h"

#define CODE	0x100000u
#define DATA	0x200000u
#define CODE2	0x300000u

struct buf {
	uint8_t b[1024];
	size_t n;
};

static void emit(struct buf *c, const void *p, size_t n)
{
	if (c->n + n > sizeof(c->b))
		abort();
	memcpy(c->b + c->n, p, n);
	c->n += n;
}

static void emit_imm64(struct buf *c, uint64_t v)
{
	emit(c, &v, 8);
}

static void emit_bytes(struct buf *c, unsigned n, const uint8_t *b)
{
	emit(c, b, n);
}

/* mov reg64, imm64 for reg 0..31 (REX.W B8+r, or REX2 with B4 (and B3) set). */
static void mov_imm64(struct buf *c, unsigned reg, uint64_t v)
{
	if (reg < 16)
		emit_bytes(c, 2, (const uint8_t[]){ reg < 8 ? 0x48 : 0x49, 0xb8 + (reg & 7) });
	else
		emit_bytes(c, 3, (const uint8_t[]){ 0xd5, 0x18 | (reg & 8 ? 1 : 0), 0xb8 + (reg & 7) });
	emit_imm64(c, v);
}

static struct apxvm_vm *new_vm(const char *model)
{
	char err[256] = "";
	struct apxvm_vm *vm = apxvm_create(16, model, err, sizeof(err));

	if (!vm)
		diag("apxvm_create(%s): %s", model, err);
	return vm;
}

#ifdef CONFIG_APX
/* mov [rax + disp32], R16+k: REX2 with R4 (and R3), W. */
static void store_egpr(struct buf *c, unsigned k, uint32_t disp)
{
	emit_bytes(c, 4, (const uint8_t[]){ 0xd5, 0x48 | (k & 8 ? 4 : 0), 0x89,
					    0x80 | (k & 7) << 3 });
	emit(c, &disp, 4);
}

static const uint8_t out80_al[] = { 0xe6, 0x80 };			/* out 0x80, al */
static const uint8_t exit7[] = { 0xb8, 7, 0, 0, 0, 0xe7, 0xf4 };	/* exit port, status 7 */

static uint64_t val(unsigned i)
{
	return 0x0123456789abcdefull * (i + 3) ^ ((uint64_t)i << 56);
}

/* CR4.OSXSAVE on through set_sregs, then XCR0 through set_xcrs. */
static int enable_xcr0(struct apxvm_vm *vm, uint64_t xcr0)
{
	struct kvm_sregs s;
	struct kvm_xcrs x = { .nr_xcrs = 1 };

	apxvm_get_sregs(vm, &s);
	s.cr4 |= 1u << 18;
	if (apxvm_set_sregs(vm, &s))
		return -1;
	x.xcrs[0].value = xcr0;
	return apxvm_set_xcrs(vm, &x);
}

static void test_egprs(void)
{
	struct apxvm_vm *vm = new_vm("apx");
	size_t xsize;
	struct kvm_xsave *xs;
	uint8_t *area;
	struct kvm_regs r;
	struct apxvm_gprs g;
	struct apxvm_exit ex;
	struct buf c = { .n = 0 };
	uint64_t seen[16], want[16], xstate_bv;
	int bad = 0, rc;

	if (!ok(vm != NULL, "create an apx VM"))
		return;
	/* Part 1: load R0..R31, OUT 0x80 (AL = low byte of RAX). */
	for (unsigned i = 0; i < 32; i++)
		mov_imm64(&c, i, val(i));
	emit(&c, out80_al, sizeof(out80_al));
	/* Part 2: store R16..R31 to DATA, exit with status 7. */
	mov_imm64(&c, 0, DATA);
	for (unsigned k = 0; k < 16; k++)
		store_egpr(&c, k, 8 * k);
	emit(&c, exit7, sizeof(exit7));

	ok(!apxvm_write_mem(vm, CODE, c.b, c.n) && !apxvm_boot64(vm, CODE),
	   "guest code (%zu bytes) written, boot state built", c.n);
	rc = enable_xcr0(vm, 0x3 | (1u << 19));
	ok(!rc, "CR4.OSXSAVE and XCR0 = x87|SSE|APX set (%s)",
	   apxvm_last_error(vm));
	rc = apxvm_run(vm, 1000, &ex);
	ok(!rc && ex.reason == APXVM_EXIT_IO &&
	   ex.io.direction == APXVM_EXIT_IO_OUT && ex.io.port == 0x80 && ex.io.size == 1 &&
	   ex.io.data == (val(0) & 0xff),
	   "IO exit: out 0x80 of 0x%x (reason %u, port 0x%x, size %u)", ex.io.data, ex.reason,
	   ex.io.port, ex.io.size);
	ok(ex.icount == 33, "33 instructions retired (%llu)", (unsigned long long)ex.icount);

	apxvm_get_regs(vm, &r);
	ok(r.rax == val(0) && r.rcx == val(1) && r.rsp == val(4) && r.r15 == val(15),
	   "kvm_regs: RAX, RCX, RSP, R15 hold the guest's values");
	apxvm_get_gprs(vm, &g);
	for (unsigned i = 0; i < 32; i++)
		bad += g.r[i] != val(i);
	ok(!bad, "apxvm_get_gprs: all 32 GPRs hold the guest's values");

	xsize = apxvm_xsave_size(vm);
	xs = calloc(1, xsize);
	area = (uint8_t *)xs->region;
	rc = apxvm_get_xsave2(vm, xs, xsize);
	ok(xsize >= 4096 && !rc, "get_xsave2 (%zu bytes)", xsize);
	memcpy(&xstate_bv, area + 512, 8);
	memcpy(seen, area + 960, sizeof(seen));
	bad = 0;
	for (unsigned k = 0; k < 16; k++)
		bad += seen[k] != val(16 + k);
	ok(!bad && (xstate_bv & (1u << 19)),
	   "XSAVE buffer: R16..R31 at 960..1087, XSTATE_BV[19] set (0x%llx)",
	   (unsigned long long)xstate_bv);

	/* The VMM writes new EGPR values into the buffer; the guest must see them. */
	for (unsigned k = 0; k < 16; k++)
		want[k] = ~val(16 + k) + k;
	memcpy(area + 960, want, sizeof(want));
	ok(!apxvm_set_xsave2(vm, xs, xsize), "set_xsave2 with new R16..R31");
	rc = apxvm_run(vm, 1000, &ex);
	ok(!rc && ex.reason == APXVM_EXIT_EXIT_PORT &&
	   ex.exit_port.status == 7, "exit-port exit, status %u", ex.exit_port.status);
	memset(seen, 0, sizeof(seen));
	apxvm_read_mem(vm, DATA, seen, sizeof(seen));
	ok(!memcmp(seen, want, sizeof(want)), "the guest stored the VMM's R16..R31 to memory");

	/* A refused set changes nothing and says why. */
	memcpy(area + 520, &(uint64_t){ 1ull << 63 }, 8);
	rc = apxvm_set_xsave2(vm, xs, xsize);
	ok(rc == -EINVAL && apxvm_last_error(vm)[0],
	   "compacted XCOMP_BV refused: \"%s\"", apxvm_last_error(vm));
	apxvm_get_gprs(vm, &g);
	ok(!memcmp(&g.r[16], want, sizeof(want)), "R16..R31 unchanged by the refused call");
	free(xs);
	apxvm_destroy(vm);
}
#endif

/* The same REX2 code on a model without APX: #UD, no IDT -> triple fault. */
static void test_noapx(void)
{
	struct apxvm_vm *vm = new_vm("noapx");
	struct apxvm_exit ex;
	struct buf c = { .n = 0 };
	struct kvm_xcrs x = { .nr_xcrs = 1 };
	int rc;

	if (!ok(vm != NULL, "create a noapx VM"))
		return;
	mov_imm64(&c, 16, 1);
	apxvm_write_mem(vm, CODE, c.b, c.n);
	apxvm_boot64(vm, CODE);
	x.xcrs[0].value = 0x3 | (1u << 19);
	rc = apxvm_set_xcrs(vm, &x);
	ok(rc == -EINVAL, "noapx: XCR0.APX refused: \"%s\"",
	   apxvm_last_error(vm));
	rc = apxvm_run(vm, 100, &ex);
	ok(!rc && ex.reason == APXVM_EXIT_SHUTDOWN,
	   "noapx: REX2 mov r16 -> #UD -> triple fault (reason %u: %s)", ex.reason, ex.message);
	apxvm_destroy(vm);
}

static char serial[64];
static size_t nserial;

static void tx(void *opaque, uint8_t byte)
{
	(void)opaque;
	if (nserial < sizeof(serial) - 1)
		serial[nserial++] = (char)byte;
}

static void set_rip(struct apxvm_vm *vm, uint64_t rip)
{
	struct kvm_regs r;

	apxvm_get_regs(vm, &r);
	r.rip = rip;
	apxvm_set_regs(vm, &r);
}

static void test_exits_and_memory(void)
{
	struct apxvm_vm *vm = new_vm(NULL);
	struct apxvm_exit ex;
	/* mov dx, 0x3f8; mov al, 'h'; out dx, al; mov al, 'i'; out dx, al; in al, 0x99; hlt */
	static const uint8_t serial_code[] = { 0x66, 0xba, 0xf8, 0x03, 0xb0, 'h', 0xee, 0xb0, 'i',
					       0xee, 0xe4, 0x99, 0xf4 };
	static const uint8_t loop[] = { 0xeb, 0xfe };				/* jmp $ */
	/* mov eax, 1; out 0x80, eax; jmp back to the mov */
	uint8_t smc[] = { 0xb8, 1, 0, 0, 0, 0xe7, 0x80, 0xeb, 0xf7 };
	struct kvm_regs r;
	uint8_t b[4];
	int rc;

	if (!ok(vm != NULL, "create a VM with the default model"))
		return;
	apxvm_set_serial_tx(vm, tx, NULL);
	apxvm_write_mem(vm, CODE, serial_code, sizeof(serial_code));
	apxvm_boot64(vm, CODE);
	rc = apxvm_run(vm, 100, &ex);
	ok(!rc && ex.reason == APXVM_EXIT_HLT && ex.message[0],
	   "HLT exit (%s)", ex.message);
	apxvm_get_regs(vm, &r);
	ok(nserial == 2 && !memcmp(serial, "hi", 2), "serial output 'hi' went to the callback");
	ok((r.rax & 0xff) == 0xff, "IN from an unclaimed port read all ones, no exit");

	apxvm_write_mem(vm, CODE, loop, sizeof(loop));
	set_rip(vm, CODE);
	rc = apxvm_run(vm, 500, &ex);
	ok(!rc && ex.reason == APXVM_EXIT_LIMIT,
	   "jmp $ stops after max_insns (reason %u)", ex.reason);

	/* Code the vCPU has run (and cached), rewritten by the host. */
	apxvm_write_mem(vm, CODE2, smc, sizeof(smc));
	set_rip(vm, CODE2);
	apxvm_run(vm, 100, &ex);
	ok(ex.reason == APXVM_EXIT_IO && ex.io.data == 1 && ex.io.size == 4, "first run: OUT 1");
	apxvm_run(vm, 100, &ex);
	ok(ex.reason == APXVM_EXIT_IO && ex.io.data == 1, "second run (cached code): OUT 1");
	smc[1] = 2;
	apxvm_write_mem(vm, CODE2, smc, sizeof(smc));
	apxvm_run(vm, 100, &ex);
	ok(ex.reason == APXVM_EXIT_IO && ex.io.data == 2,
	   "after apxvm_write_mem the guest runs the new bytes: OUT %u", ex.io.data);

	rc = apxvm_write_mem(vm, apxvm_ram_size(vm) - 2, b, 4);
	ok(rc == -EFAULT, "write_mem past the end: -EFAULT (\"%s\")", apxvm_last_error(vm));
	ok(apxvm_read_mem(vm, UINT64_MAX - 1, b, 4) == -EFAULT &&
	   apxvm_read_mem(vm, apxvm_ram_size(vm) - 4, b, 4) == 0,
	   "read_mem: wrapping range refused, the last 4 bytes readable");
	rc = apxvm_load_elf(vm, "\177ELF garbage", 12);
	ok(rc == -EINVAL && apxvm_last_error(vm)[0],
	   "a truncated ELF is refused: \"%s\"", apxvm_last_error(vm));
	ok(apxvm_boot_base(vm) < apxvm_ram_size(vm), "boot tables at the top of RAM");
	apxvm_destroy(vm);
}

static void test_state_api(void)
{
	struct apxvm_vm *vm = new_vm(NULL);
	struct kvm_sregs s, s2;
	struct kvm_vcpu_events e;
	struct kvm_msrs *m = calloc(1, sizeof(*m) + 2 * sizeof(m->entries[0]));
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 200 * sizeof(c->entries[0]));
	uint32_t idx[64];
	size_t n;
	char err[128] = "";
	int rc;

	ok(apxvm_create(16, "pentium", err, sizeof(err)) == NULL && err[0],
	   "unknown CPU model refused: \"%s\"", err);
	if (!vm || !m || !c)
		return;
	apxvm_boot64(vm, CODE);
	apxvm_get_sregs(vm, &s);
	ok(s.efer & (1u << 10) && s.cs.l && s.cr0 & (1u << 31), "boot64: long mode in sregs");
	s2 = s;
	s2.efer &= ~(1ull << 8);	/* LMA without LME */
	rc = apxvm_set_sregs(vm, &s2);
	ok(rc == -EINVAL, "set_sregs refuses LMA without LME: \"%s\"",
	   apxvm_last_error(vm));
	apxvm_get_sregs(vm, &s2);
	ok(!memcmp(&s, &s2, sizeof(s)), "sregs unchanged");

	n = apxvm_msr_index_list(idx, 64);
	ok(n >= 10, "MSR index list: %zu MSRs", n);
	m->nmsrs = 2;
	m->entries[0].index = 0xc0000081;	/* STAR */
	m->entries[0].data = 0x0023001000000000ull;
	m->entries[1].index = 0xc0000080;	/* EFER */
	rc = apxvm_set_msrs(vm, m);
	ok(rc == -EINVAL, "set_msrs refuses EFER = 0 while paging: \"%s\"",
	   apxvm_last_error(vm));
	m->entries[0].data = 0;
	ok(apxvm_get_msrs(vm, m) == 2 && m->entries[0].data == 0 && (m->entries[1].data & 0x500),
	   "get_msrs: STAR not set by the refused call, EFER has LME|LMA");

	apxvm_get_vcpu_events(vm, &e);
	ok(!e.exception.pending && !apxvm_set_vcpu_events(vm, &e), "no pending events");
	c->nent = 200;
	rc = apxvm_get_supported_cpuid(vm, c);
	ok(!rc && c->nent > 10, "supported CPUID: %u entries",
	   c->nent);
	c->nent = 200;
	ok(!apxvm_get_cpuid2(vm, c) && c->nent == 0, "no CPUID overrides set yet");
	free(m);
	free(c);
	apxvm_destroy(vm);
}

int main(void)
{
#ifdef CONFIG_APX
	test_egprs();
#endif
	test_noapx();
	test_exits_and_memory();
	test_state_api();
	return done_testing();
}
