/* SPDX-License-Identifier: MIT */
/*
 * libapxvm through include/apxvm/apxvm.h only, with tiny guests given as
 * bytes: a guest loads all 32 GPRs and exits via OUT; its R16..R31 are
 * visible in the XSAVE buffer at 960; values the VMM writes there are what
 * the guest stores to memory after the next run.  Also: exits (IO, exit
 * port, HLT, limit, shutdown), serial output, guest memory bounds, code
 * rewritten by the host between runs, the ELF loader's refusal, and a
 * refused set call through the API.  Then the same guest on the software
 * CPU and on KVM (skipped without a usable /dev/kvm): the same exits,
 * registers, FPU and memory; state set through the API between runs (GPRs,
 * FS base, an MSR) is what the guest sees on both; a VM that moves from KVM
 * to the software CPU between two runs ends the same.
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

/* ---- the same guest on both backends -------------------------------- */

/*
 * Part A writes IA32_KERNEL_GS_BASE (state beyond the GPRs that the host
 * reads after the exit), uses RBX, RCX, RDI, R9 set by the host, ends with
 * OUT 0x80; part B
 * uses RDX, the FS base and IA32_STAR set by the host between the runs and
 * ends at the exit port (status 5); then HLT.  The last flag-writing
 * instruction of each part (sub, cmp) defines every flag.
 */
static const uint8_t both_code[] = {
	0x49, 0x89, 0xce,				/* mov r14, rcx */
	0xb9, 0x02, 0x01, 0x00, 0xc0,			/* mov ecx, IA32_KERNEL_GS_BASE */
	0xb8, 0x00, 0x70, 0x00, 0x00,			/* mov eax, 0x7000 */
	0x31, 0xd2,					/* xor edx, edx */
	0x0f, 0x30,					/* wrmsr */
	0x4c, 0x89, 0xf1,				/* mov rcx, r14 */
	0x48, 0x8d, 0x04, 0x5b,				/* lea rax, [rbx+rbx*2] */
	0x48, 0x01, 0xc8,				/* add rax, rcx */
	0x48, 0x6b, 0xd0, 0x07,				/* imul rdx, rax, 7 */
	0x48, 0x31, 0xd6,				/* xor rsi, rdx */
	0x48, 0xc1, 0xe7, 0x03,				/* shl rdi, 3 */
	0x49, 0x89, 0xf0,				/* mov r8, rsi */
	0x4d, 0x29, 0xc1,				/* sub r9, r8 */
	0x50, 0x41, 0x5a,				/* push rax; pop r10 */
	0x49, 0xbb, 0x00, 0x00, 0x20, 0, 0, 0, 0, 0,	/* mov r11, DATA */
	0x49, 0x89, 0x03,				/* mov [r11], rax */
	0xe6, 0x80,					/* out 0x80, al */
	0x49, 0x89, 0xd4,				/* mov r12, rdx */
	0x49, 0x83, 0xc4, 0x01,				/* add r12, 1 */
	0x4d, 0x89, 0x63, 0x08,				/* mov [r11+8], r12 */
	0x64, 0x4c, 0x8b, 0x2c, 0x25, 0, 0, 0, 0,	/* mov r13, fs:[0] */
	0x4d, 0x89, 0x6b, 0x18,				/* mov [r11+24], r13 */
	0xb9, 0x81, 0x00, 0x00, 0xc0,			/* mov ecx, IA32_STAR */
	0x0f, 0x32,					/* rdmsr */
	0x48, 0xc1, 0xe2, 0x20,				/* shl rdx, 32 */
	0x48, 0x09, 0xd0,				/* or rax, rdx */
	0x48, 0x39, 0xd0,				/* cmp rax, rdx */
	0x49, 0x89, 0x43, 0x10,				/* mov [r11+16], rax */
	0xb8, 0x05, 0x00, 0x00, 0x00, 0xe7, 0xf4,	/* mov eax, 5; out 0xf4, eax */
	0xf4,						/* hlt */
};

#define BOTH_STAR	0x0023001000000000ull
#define BOTH_FSVAL	0xfeedface12345678ull
#define BOTH_RDX	0x1234ull

struct both_result {
	struct apxvm_exit ex[3];	/* IO, exit port, HLT */
	struct kvm_regs regs[2];	/* after the IO exit, after the exit port */
	struct kvm_sregs sregs;		/* after the exit port */
	uint64_t kgs;			/* IA32_KERNEL_GS_BASE after the IO exit */
	uint16_t fcw;			/* after the IO exit (through get_fpu) */
	uint32_t mxcsr;
	uint64_t mem[4];
	int rc;				/* first failing call's errno, or 0 */
};

/* Run both_code on `first`, switching to `second` (NULL: stay) after the IO exit. */
static int both_run(const char *first, const char *second, struct both_result *r)
{
	struct apxvm_vm *vm = new_vm("noapx");
	struct kvm_msrs *m = calloc(1, sizeof(*m) + sizeof(m->entries[0]));
	struct kvm_regs regs;
	struct kvm_sregs s;
	struct kvm_fpu f;
	uint64_t fsval = BOTH_FSVAL;
	int rc = -ENOMEM;

	memset(r, 0, sizeof(*r));
	if (!vm || !m)
		goto out;
	rc = apxvm_set_accel(vm, first);
	if (rc) {
		diag("apxvm_set_accel(%s): %s", first, apxvm_last_error(vm));
		goto out;
	}
	apxvm_write_mem(vm, CODE, both_code, sizeof(both_code));
	apxvm_write_mem(vm, DATA + 0x100, &fsval, 8);
	if ((rc = apxvm_boot64(vm, CODE)) || (rc = apxvm_get_regs(vm, &regs)))
		goto out;
	regs.rbx = 14;
	regs.rcx = 100;
	regs.rdi = 5;
	regs.r9 = 1000;
	if ((rc = apxvm_set_regs(vm, &regs)) || (rc = apxvm_run(vm, 0, &r->ex[0])))
		goto out;
	m->nmsrs = 1;
	m->entries[0].index = 0xc0000102;
	if ((rc = apxvm_get_msrs(vm, m)) != 1)
		goto out;
	r->kgs = m->entries[0].data;
	apxvm_get_regs(vm, &r->regs[0]);
	if ((rc = apxvm_get_fpu(vm, &f)))
		goto out;
	r->fcw = f.fcw;
	r->mxcsr = f.mxcsr;

	if (second && (rc = apxvm_set_accel(vm, second)))
		goto out;
	/* Between the runs: a GPR (cache), sregs and an MSR (whole-state sync). */
	regs = r->regs[0];
	regs.rdx = BOTH_RDX;
	if ((rc = apxvm_set_regs(vm, &regs)) || (rc = apxvm_get_sregs(vm, &s)))
		goto out;
	s.fs.base = DATA + 0x100;
	m->nmsrs = 1;
	m->entries[0].index = 0xc0000081;
	m->entries[0].data = BOTH_STAR;
	if ((rc = apxvm_set_sregs(vm, &s)) || (rc = apxvm_set_msrs(vm, m)) != 1 ||
	    (rc = apxvm_run(vm, 0, &r->ex[1])))
		goto out;
	apxvm_get_regs(vm, &r->regs[1]);
	apxvm_get_sregs(vm, &r->sregs);
	apxvm_read_mem(vm, DATA, r->mem, sizeof(r->mem));
	rc = apxvm_run(vm, 0, &r->ex[2]);
out:
	if (rc && vm)
		diag("%s/%s: %d: %s", first, second ? second : "-", rc, apxvm_last_error(vm));
	r->rc = rc;
	free(m);
	apxvm_destroy(vm);
	return rc;
}

/* Exits equal but for icount (KVM has none) and the message text. */
static int same_exit(const struct apxvm_exit *a, const struct apxvm_exit *b)
{
	if (a->reason != b->reason)
		return 0;
	if (a->reason == APXVM_EXIT_IO)
		return a->io.port == b->io.port && a->io.size == b->io.size &&
		       a->io.data == b->io.data && a->io.direction == b->io.direction;
	if (a->reason == APXVM_EXIT_EXIT_PORT)
		return a->exit_port.value == b->exit_port.value;
	return 1;
}

static void both_compare(const char *what, const struct both_result *a,
			 const struct both_result *b)
{
	ok(same_exit(&a->ex[0], &b->ex[0]) && same_exit(&a->ex[1], &b->ex[1]) &&
	   same_exit(&a->ex[2], &b->ex[2]), "%s: the same three exits (%u %u %u / %u %u %u)",
	   what, a->ex[0].reason, a->ex[1].reason, a->ex[2].reason, b->ex[0].reason,
	   b->ex[1].reason, b->ex[2].reason);
	ok(!memcmp(&a->regs[0], &b->regs[0], sizeof(a->regs[0])),
	   "%s: kvm_regs after the IO exit identical (rip 0x%llx / 0x%llx, rflags 0x%llx / 0x%llx)",
	   what, (unsigned long long)a->regs[0].rip, (unsigned long long)b->regs[0].rip,
	   (unsigned long long)a->regs[0].rflags, (unsigned long long)b->regs[0].rflags);
	ok(a->fcw == b->fcw && a->mxcsr == b->mxcsr && a->fcw == 0x37f && a->mxcsr == 0x1f80,
	   "%s: FCW 0x%x / 0x%x, MXCSR 0x%x / 0x%x after the IO exit (get_fpu)", what, a->fcw,
	   b->fcw, a->mxcsr, b->mxcsr);
	ok(!memcmp(&a->regs[1], &b->regs[1], sizeof(a->regs[1])),
	   "%s: kvm_regs after the exit port identical (rax 0x%llx / 0x%llx)", what,
	   (unsigned long long)a->regs[1].rax, (unsigned long long)b->regs[1].rax);
	ok(a->sregs.cr0 == b->sregs.cr0 && a->sregs.cr3 == b->sregs.cr3 &&
	   a->sregs.cr4 == b->sregs.cr4 && a->sregs.efer == b->sregs.efer &&
	   a->sregs.fs.base == b->sregs.fs.base && a->sregs.cs.selector == b->sregs.cs.selector,
	   "%s: CR0/CR3/CR4/EFER, FS base and CS identical", what);
	ok(!memcmp(a->mem, b->mem, sizeof(a->mem)), "%s: guest memory identical", what);
}

/* What the guest must have computed from the host's values, on any backend. */
static void both_expect(const char *what, const struct both_result *r)
{
	ok(r->ex[0].reason == APXVM_EXIT_IO && r->ex[0].io.port == 0x80 &&
	   r->ex[0].io.data == 142 && r->regs[0].rax == 142 && r->regs[0].r10 == 142 &&
	   r->regs[0].rdi == 40 && r->regs[0].rip == CODE + 62 && r->kgs == 0x7000,
	   "%s: IO exit, out 0x80 of %u; RAX = 3*14+100, RDI = 5<<3, RIP after the OUT, "
	   "the guest's WRMSR seen by get_msrs",
	   what, r->ex[0].io.data);
	ok(r->ex[1].reason == APXVM_EXIT_EXIT_PORT && r->ex[1].exit_port.status == 5 &&
	   r->ex[2].reason == APXVM_EXIT_HLT, "%s: then exit port 5, then HLT", what);
	ok(r->mem[0] == 142 && r->mem[1] == BOTH_RDX + 1 && r->mem[2] == BOTH_STAR &&
	   r->mem[3] == BOTH_FSVAL,
	   "%s: the guest used the RDX, FS base and IA32_STAR set between the runs", what);
}

static void test_both_backends(void)
{
	struct both_result soft, kvm, mixed;
	struct apxvm_vm *vm;
	struct apxvm_exit ex;
	struct kvm_cpuid2 *c;
	int rc;

	ok(!both_run("soft", NULL, &soft), "the guest on the software CPU");
	both_expect("soft", &soft);
	rc = both_run("kvm", NULL, &kvm);
	if (rc == -ENODEV) {
		ok(1, "# SKIP KVM not usable: the cross-backend API checks");
		return;
	}
	ok(!rc, "the guest on KVM");
	both_expect("kvm", &kvm);
	both_compare("soft vs kvm", &soft, &kvm);
	ok(!both_run("kvm", "soft", &mixed), "the guest on KVM, then on the software CPU");
	both_expect("kvm then soft", &mixed);
	both_compare("soft vs kvm-then-soft", &soft, &mixed);
	ok(!both_run("soft", "kvm", &mixed), "the guest on the software CPU, then on KVM");
	both_compare("soft vs soft-then-kvm", &soft, &mixed);

	vm = new_vm("noapx");
	if (!vm)
		return;
	ok(!apxvm_set_accel(vm, "kvm") && !strcmp(apxvm_get_accel(vm), "kvm"),
	   "apxvm_get_accel says kvm");
	apxvm_write_mem(vm, CODE, both_code, sizeof(both_code));
	apxvm_boot64(vm, CODE);
	rc = apxvm_run(vm, 1000, &ex);
	ok(rc == -EINVAL && strstr(apxvm_last_error(vm), "instruction count"),
	   "kvm: max_insns != 0 refused: \"%s\"", apxvm_last_error(vm));
	c = calloc(1, sizeof(*c) + sizeof(c->entries[0]));
	if (c)
		c->nent = 1;
	rc = c ? apxvm_set_cpuid2(vm, c) : -ENOMEM;
	ok(rc == -EOPNOTSUPP, "kvm: CPUID overrides refused: \"%s\"", apxvm_last_error(vm));
	free(c);
	ok(apxvm_set_accel(vm, "bogus") == -EINVAL, "unknown accelerator refused: \"%s\"",
	   apxvm_last_error(vm));
	apxvm_destroy(vm);

#ifdef CONFIG_APX
	vm = new_vm("apx");
	if (!vm)
		return;
	rc = apxvm_set_accel(vm, "kvm");
	if (!rc) {
		ok(1, "# SKIP this host's KVM offers APX: no refusal to check");
	} else {
		ok(rc == -ENODEV && strstr(apxvm_last_error(vm), "APX") &&
		   !strcmp(apxvm_get_accel(vm), "soft"),
		   "apx model on a KVM without APX: -ENODEV, \"%.80s...\"", apxvm_last_error(vm));
		ok(!apxvm_set_accel(vm, "auto") && !strcmp(apxvm_get_accel(vm), "soft"),
		   "auto falls back to the software CPU");
	}
	apxvm_destroy(vm);
#endif
}

int main(void)
{
#ifdef CONFIG_APX
	test_egprs();
#endif
	test_noapx();
	test_exits_and_memory();
	test_state_api();
	test_both_backends();
	return done_testing();
}
