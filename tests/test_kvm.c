/* SPDX-License-Identifier: MIT */
/*
 * The KVM backend (src/accel/kvm.h).  Without /dev/kvm: the pure parts
 * (register-cache conversions incl. the APX component from XSAVE buffers
 * built here, CPUID intersection, exit messages) and "ok # SKIP" for the rest.
 * With it: tiny guests given as bytes, entered through the VMM's _start64
 * boot state (vm_boot64): serial output and the exit port, the lazy cache
 * (N UART OUTs = N KVM_RUN, no GET/SET), registers set through the cache
 * and used by the guest, a triple fault, MMIO to no device, a state KVM
 * refuses, the timeout; both with and without the sync-regs area.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accel/kvm.h"
#include "vcpu/abi.h"
#include "vcpu/xstate.h"
#include "vmm/vm.h"
#include "tap.h"

#define CODE	0x100000u

static void skip(const char *why)
{
	printf("ok %d # SKIP %s\n", ++tap_n, why);
}

/* ---- pure parts ------------------------------------------------------------ */

static void test_regs_conversion(void)
{
	struct vcpu_regfile rf;
	struct kvm_regs r, back;

	memset(&r, 0, sizeof(r));
	r.rax = 1; r.rcx = 2; r.rdx = 3; r.rbx = 4; r.rsp = 5; r.rbp = 6; r.rsi = 7; r.rdi = 8;
	r.r8 = 9; r.r15 = 16; r.rip = 0x1234; r.rflags = 0x202;
	vcpu_regfile_init(&rf, NULL);
	rf.regs_avail = 0;
	rf.regs[VCPU_REGS_RBX] = 0xbb;
	vcpu_reg_mark_dirty(&rf, VCPU_REGS_RBX);     /* a write the fill must keep */
	kvm_regcache_fill_regs(&rf, &r);
	ok(rf.regs[VCPU_REGS_RAX] == 1 && rf.regs[VCPU_REGS_RCX] == 2 &&
	   rf.regs[VCPU_REGS_RDX] == 3 && rf.regs[VCPU_REGS_RSP] == 5 &&
	   rf.regs[VCPU_REGS_RDI] == 8 && rf.regs[VCPU_REGS_R8] == 9 &&
	   rf.regs[VCPU_REGS_R15] == 16 && rf.rip == 0x1234 && rf.rflags == 0x202,
	   "fill: kvm_regs fields land in encoding order");
	ok(rf.regs[VCPU_REGS_RBX] == 0xbb, "fill keeps an available (dirty) register");
	ok((rf.regs_avail & 0xffff) == 0xffff &&
	   vcpu_reg_is_available(&rf, VCPU_REG_RIP) && vcpu_reg_is_available(&rf, VCPU_REG_RFLAGS),
	   "fill marks RAX..R15, RIP, RFLAGS available");
	kvm_regcache_store_regs(&rf, &back);
	r.rbx = 0xbb;
	ok(!memcmp(&r, &back, sizeof(r)), "store: the inverse, with the dirty value");
}

#ifdef CONFIG_APX
static void test_apx_conversion(void)
{
	static uint8_t area[VCPU_ABI_XSAVE_MIN_SIZE];
	struct vcpu_regfile rf;
	bool good = true;

	/* An XSAVE2 buffer as KVM would return it: XSTATE_BV[19], R16..R31 at 960. */
	memset(area, 0, sizeof(area));
	vcpu_xsave_set_xstate_bv(area, VCPU_XCR0_X87 | VCPU_XCR0_SSE | VCPU_XCR0_APX);
	for (unsigned i = 0; i < 16; i++) {
		uint64_t v = 0x1600000000000000ull + i * 0x0101;

		memcpy(area + VCPU_XSAVE_APX_OFFSET + 8 * i, &v, 8);
	}
	vcpu_regfile_init(&rf, NULL);
	rf.regs_avail = 0;
	vcpu_r20_write(&rf, 0x2020);                  /* dirty: must survive the fill */
	kvm_regcache_apx_fill(&rf, area);
	for (unsigned i = 16; i < 32; i++)
		if (i != 20 && rf.regs[i] != 0x1600000000000000ull + (i - 16) * 0x0101)
			good = false;
	ok(good && rf.regs[20] == 0x2020, "APX fill: R16..R31 from offset 960, dirty R20 kept");
	ok((rf.regs_avail & 0xffff0000ull) == 0xffff0000ull && !(rf.regs_avail & 0xffff),
	   "APX fill marks only R16..R31 available");
	ok(vcpu_reg_is_dirty(&rf, VCPU_REGS_R20) && !vcpu_reg_is_dirty(&rf, VCPU_REGS_R21),
	   "APX fill leaves the dirty bits alone");

	/* XSTATE_BV[19] = 0 is the initial state: zeros, whatever the bytes say. */
	vcpu_xsave_set_xstate_bv(area, VCPU_XCR0_X87);
	vcpu_regfile_init(&rf, NULL);
	rf.regs_avail = 0;
	kvm_regcache_apx_fill(&rf, area);
	good = true;
	for (unsigned i = 16; i < 32; i++)
		good &= rf.regs[i] == 0;
	ok(good, "APX fill with XSTATE_BV[19] clear gives R16..R31 = 0");

	/* Store: into a KVM-like buffer, header bit set, other bytes untouched. */
	memset(area, 0xee, sizeof(area));
	vcpu_xsave_set_xstate_bv(area, VCPU_XCR0_X87 | VCPU_XCR0_SSE);
	for (unsigned i = 16; i < 32; i++)
		rf.regs[i] = 0xa000 + i;
	kvm_regcache_apx_store(&rf, area);
	good = true;
	for (unsigned i = 16; i < 32; i++) {
		uint64_t v;

		memcpy(&v, area + VCPU_XSAVE_APX_OFFSET + 8 * (i - 16), 8);
		good &= v == 0xa000 + i;
	}
	ok(good && (vcpu_xsave_get_xstate_bv(area) & VCPU_XCR0_APX) &&
	   area[VCPU_XSAVE_APX_OFFSET - 1] == 0xee &&
	   area[VCPU_XSAVE_APX_OFFSET + VCPU_XSAVE_APX_SIZE] == 0xee,
	   "APX store: R16..R31 at 960..1087, XSTATE_BV[19] set, neighbours untouched");
}
#endif

/* A KVM_GET_SUPPORTED_CPUID stand-in (kvm_cpuid2 ends in a flexible array). */
union cpuid_tab {
	struct kvm_cpuid2 c;
	uint8_t bytes[sizeof(struct kvm_cpuid2) + 256 * sizeof(struct kvm_cpuid_entry2)];
};

static void tab_add(union cpuid_tab *t, uint32_t f, uint32_t i, uint32_t a, uint32_t b,
		    uint32_t c, uint32_t d)
{
	t->c.entries[t->c.nent++] = (struct kvm_cpuid_entry2){
		.function = f, .index = i, .flags = (f == 7 || f == 0xd) ?
			KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0,
		.eax = a, .ebx = b, .ecx = c, .edx = d,
	};
}

static const struct kvm_cpuid_entry2 *entry(const struct kvm_cpuid2 *c, uint32_t f, uint32_t i)
{
	for (uint32_t k = 0; k < c->nent; k++)
		if (c->entries[k].function == f && c->entries[k].index == i)
			return &c->entries[k];
	return NULL;
}

static void test_cpuid(void)
{
	static union cpuid_tab host, out;
	const struct kvm_cpuid_entry2 *e;
	uint32_t model[4];
	int n;

	memset(&host, 0, sizeof(host));
	tab_add(&host, 1, 0, 0, 0, ~(1u << 23) /* no POPCNT */, ~0u);
	tab_add(&host, 7, 0, 0, ~(1u << 3) /* no BMI1 */, ~0u, ~0u);
	tab_add(&host, 7, 1, 0, 0, 0, VCPU_CPUID_7_1_EDX_APX_F);
	tab_add(&host, 0xd, 0, 0x80007, 0, 0, 0);      /* x87 SSE AVX APX */
	tab_add(&host, 0x80000001u, 0, 0, 0, ~0u, ~0u);
	tab_add(&host, 0x80000008u, 0, 0x3027, 0, 0, 0); /* 39 physical, 48 linear */
	ok(kvm_cpuid_has_apx(&host.c), "has_apx: APX_F and XCR0[19]");

	n = kvm_cpuid_build(&vcpu_cpu_model_noapx, &host.c, &out.c, 256);
	ok(n > 0 && (unsigned)n == out.c.nent, "build: %d entries", n);
	e = entry(&out.c, 0, 0);
	vcpu_cpuid(&vcpu_cpu_model_noapx, 0, 1, 0, 0, model);
	ok(e && e->eax == model[0] && e->ebx == model[1] && e->ecx == model[2] &&
	   e->edx == model[3], "leaf 0 (vendor, max leaf) is the model's");
	e = entry(&out.c, 1, 0);
	vcpu_cpuid(&vcpu_cpu_model_noapx, 0, 1, 1, 0, model);
	ok(e && !(e->ecx & (1u << 23)) && (model[2] & (1u << 23)) &&
	   e->ecx == (model[2] & ~(1u << 23)) && e->edx == model[3] && e->eax == model[0],
	   "leaf 1: POPCNT dropped (host lacks it), the rest as the model");
	e = entry(&out.c, 7, 0);
	ok(e && !(e->ebx & (1u << 3)) && (e->ebx & (1u << 8)) &&
	   (e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX), "leaf 7.0: BMI1 dropped, BMI2 kept, indexed");
	e = entry(&out.c, 0x80000008u, 0);
	ok(e && (e->eax & 0xff) == 39 && ((e->eax >> 8) & 0xff) == 48,
	   "0x80000008: MAXPHYADDR the smaller (39), linear 48");
	e = entry(&out.c, 0xd, 0);
	ok(e && e->eax == 3 && e->edx == 0, "noapx: XCR0 x87|SSE (the host's AVX not offered)");
	ok(entry(&out.c, 0xd, 2) == NULL && entry(&out.c, 0xd, 19) == NULL,
	   "no 0xD subleaf for components the model lacks");
	n = kvm_cpuid_build(&vcpu_cpu_model_noapx, &host.c, &out.c, 4);
	ok(n == -E2BIG, "a table that does not fit: -E2BIG");
#ifdef CONFIG_APX
	n = kvm_cpuid_build(&vcpu_cpu_model_apx, &host.c, &out.c, 256);
	e = entry(&out.c, 7, 1);
	ok(n > 0 && e && (e->edx & VCPU_CPUID_7_1_EDX_APX_F), "apx model on an APX host: APX_F");
	e = entry(&out.c, 0xd, 19);
	ok(e && e->eax == 128 && e->ebx == 960, "apx: 0xD.19 is 128 bytes at 960");
	host.c.entries[2].edx = 0;                              /* the host loses APX_F */
	ok(!kvm_cpuid_has_apx(&host.c), "has_apx: false without APX_F");
	kvm_cpuid_build(&vcpu_cpu_model_apx, &host.c, &out.c, 256);
	e = entry(&out.c, 7, 1);
	ok(e && !(e->edx & VCPU_CPUID_7_1_EDX_APX_F), "intersection drops APX_F");
#endif
}

static void test_exit_messages(void)
{
	static struct kvm_run run;
	char buf[320];

	memset(&run, 0, sizeof(run));
	run.exit_reason = KVM_EXIT_INTERNAL_ERROR;
	run.internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	run.internal.ndata = 1000;                      /* bogus: must be bounded */
	run.internal.data[0] = 0xabc;
	kvm_exit_describe(&run, buf, sizeof(buf));
	ok(strstr(buf, "INTERNAL_ERROR") && strstr(buf, "emulation") && strstr(buf, "0xabc"),
	   "internal error: %s", buf);
	memset(&run, 0, sizeof(run));
	run.exit_reason = KVM_EXIT_FAIL_ENTRY;
	run.fail_entry.hardware_entry_failure_reason = 0x21;
	kvm_exit_describe(&run, buf, sizeof(buf));
	ok(strstr(buf, "FAIL_ENTRY") && strstr(buf, "0x21"), "fail entry: %s", buf);
	run.exit_reason = 9999;
	kvm_exit_describe(&run, buf, sizeof(buf));
	ok(strstr(buf, "9999") != NULL, "unknown reason: %s", buf);
	kvm_exit_describe(&run, buf, 8);
	ok(strlen(buf) == 7, "a short buffer is not overrun");
}

/* ---- guests on /dev/kvm --------------------------------------------------- */

struct tvm {
	struct vm vm;
	struct kvm_backend *kb;
	char out[256];
	size_t nout;
};

static void tx(void *opaque, uint8_t byte)
{
	struct tvm *t = opaque;

	if (t->nout < sizeof(t->out) - 1)
		t->out[t->nout++] = (char)byte;
}

static uint32_t io_in(void *opaque, uint16_t port, unsigned bytes)
{
	return pio_in(&((struct tvm *)opaque)->vm.bus, port, bytes);
}

static void io_out(void *opaque, uint16_t port, unsigned bytes, uint32_t val)
{
	pio_out(&((struct tvm *)opaque)->vm.bus, port, bytes, val);
}

static bool io_stop(void *opaque)
{
	return ((struct tvm *)opaque)->vm.exitdev.requested;
}

/* A 4 MiB VM with `code` at CODE, booted with the VMM's _start64 state. */
static struct tvm *tvm_new(const uint8_t *code, size_t len, unsigned flags, char *err,
			   size_t errlen)
{
	const struct kvm_backend_io io = { io_in, io_out, io_stop, NULL };
	struct kvm_backend_io io2 = io;
	struct tvm *t = calloc(1, sizeof(*t));

	if (!t || vm_init(&t->vm, 4, &vcpu_cpu_model_noapx, NULL, err, errlen)) {
		free(t);
		return NULL;
	}
	t->vm.com1.tx = tx;
	t->vm.com1.tx_opaque = t;
	memcpy(t->vm.ram + CODE, code, len);
	vm_boot64(&t->vm, CODE);
	io2.opaque = t;
	t->kb = kvm_backend_create(&t->vm.vcpu, t->vm.ram, t->vm.ram_size, &io2, flags, err,
				   errlen);
	if (!t->kb) {
		vm_destroy(&t->vm);
		free(t);
		return NULL;
	}
	return t;
}

static void tvm_free(struct tvm *t)
{
	if (!t)
		return;
	kvm_backend_destroy(t->kb);
	vm_destroy(&t->vm);
	free(t);
}

static const char *mode_name(unsigned flags)
{
	return flags & KVM_BACKEND_SYNC_REGS ? "sync-regs" : "ioctl";
}

/* mov dx, 0x3f8; mov al, 'h'; out dx, al; mov al, 'i'; out dx, al; mov al, 0x2a; out 0xf4, al; hlt */
static const uint8_t g_hello[] = {
	0x66, 0xba, 0xf8, 0x03, 0xb0, 'h', 0xee, 0xb0, 'i', 0xee, 0xb0, 0x2a, 0xe6, 0xf4, 0xf4,
};

static void test_hello(unsigned flags)
{
	char err[256];
	struct tvm *t = tvm_new(g_hello, sizeof(g_hello), flags, err, sizeof(err));
	enum x86_exit ex;

	if (!ok(t != NULL, "%s: create: %s", mode_name(flags), t ? "ok" : err))
		return;
	ex = kvm_backend_run(t->kb, 10);
	t->out[t->nout] = 0;
	ok(ex == X86_EXIT_IO && t->vm.exitdev.requested && t->vm.exitdev.status == 0x2a,
	   "%s: hello stops at the exit port with status 0x2a (exit %d: %s)", mode_name(flags),
	   ex, kvm_backend_why(t->kb));
	ok(!strcmp(t->out, "hi"), "%s: serial output '%s'", mode_name(flags), t->out);
	ok(vcpu_rip_read(&t->vm.vcpu.regs) == CODE + sizeof(g_hello) - 1,
	   "%s: RIP after the completed OUT (0x%" PRIx64 "), as on the software CPU",
	   mode_name(flags), vcpu_rip_read(&t->vm.vcpu.regs));
	err[0] = 0;
	ok(kvm_backend_sync_out(t->kb, err, sizeof(err)) == 0, "%s: sync_out %s",
	   mode_name(flags), err);
	ok(t->vm.vcpu.cr3 == t->vm.boot_base && (t->vm.vcpu.efer & X86_EFER_LMA) &&
	   t->vm.vcpu.seg[VCPU_SEG_CS].selector == VM_SEL_CODE64 &&
	   vcpu_rax_read(&t->vm.vcpu.regs) == 0x2a,
	   "%s: state back from KVM: CR3, EFER.LMA, CS, RAX", mode_name(flags));
	tvm_free(t);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* mov ecx, N; mov dx, 0x3f8; L: mov al, 'x'; out dx, al; dec ecx; jnz L; out 0xf4, al */
static void test_lazy(unsigned flags, uint32_t n)
{
	uint8_t g[] = { 0xb9, 0, 0, 0, 0, 0x66, 0xba, 0xf8, 0x03,
			0xb0, 'x', 0xee, 0xff, 0xc9, 0x75, 0xf9, 0xe6, 0xf4 };
	struct kvm_backend_stats a, b;
	char err[256];
	struct tvm *t;
	enum x86_exit ex;
	double t0, t1;

	memcpy(g + 1, &n, 4);
	t = tvm_new(g, sizeof(g), flags, err, sizeof(err));
	if (!ok(t != NULL, "%s: create: %s", mode_name(flags), t ? "ok" : err))
		return;
	err[0] = 0;
	ok(kvm_backend_sync_in(t->kb, err, sizeof(err)) == 0, "%s: sync_in %s",
	   mode_name(flags), err);
	a = *kvm_backend_stats(t->kb);
	t0 = now();
	ex = kvm_backend_run(t->kb, 60);
	t1 = now();
	b = *kvm_backend_stats(t->kb);
	ok(ex == X86_EXIT_IO && t->nout == (n < sizeof(t->out) - 1 ? n : sizeof(t->out) - 1),
	   "%s: %u UART bytes then the exit port (exit %d: %s)", mode_name(flags), n, ex,
	   kvm_backend_why(t->kb));
	ok(b.run - a.run == n + 1 && b.exit_io - a.exit_io == n + 1,
	   "%s: %u OUTs = %" PRIu64 " KVM_RUN round trips (+1 for the exit port)",
	   mode_name(flags), n, b.run - a.run);
	ok(b.get_regs == a.get_regs && b.set_regs == a.set_regs && b.get_sregs == a.get_sregs &&
	   b.set_sregs == a.set_sregs && b.get_xsave == a.get_xsave && b.set_xsave == a.set_xsave &&
	   b.other == a.other && b.sync_fill == a.sync_fill && b.sync_flush == a.sync_flush,
	   "%s: no GET/SET ioctl and no sync-area access for UART exits", mode_name(flags));
	ok(b.run_complete - a.run_complete == 1, "%s: one immediate_exit KVM_RUN completes the "
	   "final OUT", mode_name(flags));
	diag("%s: %u UART OUT round trips in %.3f s: %.2f us each, %.0f per second "
	     "(guest at CPL 0)", mode_name(flags), n, t1 - t0, (t1 - t0) * 1e6 / (n + 1),
	     (n + 1) / (t1 - t0));
	/* Reading one register after the stop costs one fill, the rest come with it. */
	a = *kvm_backend_stats(t->kb);
	ok(vcpu_rcx_read(&t->vm.vcpu.regs) == 0 && vcpu_rdx_read(&t->vm.vcpu.regs) == 0x3f8 &&
	   (vcpu_rax_read(&t->vm.vcpu.regs) & 0xff) == 'x', "%s: RCX = 0, RDX = 0x3f8, AL = 'x'",
	   mode_name(flags));
	b = *kvm_backend_stats(t->kb);
	ok(b.get_regs - a.get_regs + b.sync_fill - a.sync_fill == 1,
	   "%s: three reads = one fill (%s)", mode_name(flags),
	   flags & KVM_BACKEND_SYNC_REGS ? "from the sync area" : "KVM_GET_REGS");
	tvm_free(t);
}

/*
 * mov dx, 0x3f8; mov al, 'a'; out dx, al; out 0xf4, al;      (stop 1)
 * mov al, bl; out dx, al; mov al, cl; out 0xf4, al          (stop 2)
 */
static void test_set_regs(unsigned flags)
{
	static const uint8_t g[] = { 0x66, 0xba, 0xf8, 0x03, 0xb0, 'a', 0xee, 0xe6, 0xf4,
				     0x88, 0xd8, 0xee, 0x88, 0xc8, 0xe6, 0xf4 };
	struct kvm_backend_stats a, b;
	char err[256];
	struct tvm *t = tvm_new(g, sizeof(g), flags, err, sizeof(err));
	enum x86_exit ex;

	if (!ok(t != NULL, "%s: create: %s", mode_name(flags), t ? "ok" : err))
		return;
	ex = kvm_backend_run(t->kb, 10);
	ok(ex == X86_EXIT_IO && t->nout == 1, "%s: first stop after one byte", mode_name(flags));
	t->vm.exitdev.requested = false;
	a = *kvm_backend_stats(t->kb);
	vcpu_rbx_write(&t->vm.vcpu.regs, 'B');
	vcpu_rcx_write(&t->vm.vcpu.regs, 0x77);
	ex = kvm_backend_run(t->kb, 10);
	b = *kvm_backend_stats(t->kb);
	t->out[t->nout] = 0;
	ok(ex == X86_EXIT_IO && !strcmp(t->out, "aB") && t->vm.exitdev.status == 0x77,
	   "%s: the guest used RBX and RCX written by the VMM ('%s', status 0x%x)",
	   mode_name(flags), t->out, t->vm.exitdev.status);
	if (flags & KVM_BACKEND_SYNC_REGS)
		ok(b.set_regs == a.set_regs && b.get_regs == a.get_regs &&
		   b.sync_flush - a.sync_flush == 1,
		   "sync-regs: written back through the sync area, no ioctl");
	else
		ok(b.set_regs - a.set_regs == 1 && b.get_regs - a.get_regs == 1,
		   "ioctl: one KVM_GET_REGS (complete the group) + one KVM_SET_REGS");
	tvm_free(t);
}

static void test_triple_fault(void)
{
	static const uint8_t g[] = { 0x0f, 0x0b };    /* ud2, and there is no IDT */
	char err[256];
	struct tvm *t = tvm_new(g, sizeof(g), 0, err, sizeof(err));
	enum x86_exit ex;
	FILE *f;

	if (!ok(t != NULL, "create: %s", t ? "ok" : err))
		return;
	ex = kvm_backend_run(t->kb, 10);
	ok(ex == X86_EXIT_SHUTDOWN && strstr(kvm_backend_why(t->kb), "triple fault"),
	   "ud2 without IDT: SHUTDOWN (%s)", kvm_backend_why(t->kb));
	f = tmpfile();
	if (f) {
		char line[256] = "";

		kvm_backend_dump(t->kb, f);
		rewind(f);
		ok(fgets(line, sizeof(line), f) && strstr(line, "rax"), "register dump: %.*s",
		   (int)strcspn(line, "\n"), line);
		fclose(f);
	}
	tvm_free(t);
}

/* mov [0x400000], eax with a page table entry that maps it beyond RAM. */
static void test_mmio(void)
{
	static const uint8_t g[] = { 0x89, 0x04, 0x25, 0x00, 0x00, 0x40, 0x00, 0xe6, 0xf4 };
	char err[256];
	struct tvm *t = tvm_new(g, sizeof(g), 0, err, sizeof(err));
	uint64_t pde = 0x400000 | 0x83;                  /* P | RW | PS */
	enum x86_exit ex;

	if (!ok(t != NULL, "create: %s", t ? "ok" : err))
		return;
	/* Boot PD for the first GiB at boot_base + 0x2000; entry 2 = VA 4 MiB. */
	memcpy(t->vm.ram + t->vm.boot_base + 0x2000 + 2 * 8, &pde, 8);
	ex = kvm_backend_run(t->kb, 10);
	ok(ex == X86_EXIT_INTERNAL && strstr(kvm_backend_why(t->kb), "MMIO") &&
	   strstr(kvm_backend_why(t->kb), "0x400000"),
	   "store beyond RAM: INTERNAL, %s", kvm_backend_why(t->kb));
	tvm_free(t);
}

static void test_refused_state(void)
{
	static const uint8_t g[] = { 0xe6, 0xf4 };
	char err[256];
	struct tvm *t = tvm_new(g, sizeof(g), 0, err, sizeof(err));
	enum x86_exit ex;

	if (!ok(t != NULL, "create: %s", t ? "ok" : err))
		return;
	t->vm.vcpu.cr0 &= ~(uint64_t)X86_CR0_PE;         /* PG without PE */
	ex = kvm_backend_run(t->kb, 10);
	ok(ex == X86_EXIT_INTERNAL && strstr(kvm_backend_why(t->kb), "KVM_SET_SREGS"),
	   "CR0.PG without PE: INTERNAL, %s", kvm_backend_why(t->kb));
	t->vm.vcpu.cr0 |= X86_CR0_PE;
	kvm_backend_mark_stale(t->kb);
	ex = kvm_backend_run(t->kb, 10);
	ok(ex == X86_EXIT_IO, "fixed and marked stale: runs (exit %d: %s)", ex,
	   kvm_backend_why(t->kb));
	tvm_free(t);
}

static void test_timeout(void)
{
	static const uint8_t g[] = { 0xeb, 0xfe };    /* jmp $ */
	char err[256];
	struct tvm *t = tvm_new(g, sizeof(g), 0, err, sizeof(err));
	enum x86_exit ex;
	double t0, t1;

	if (!ok(t != NULL, "create: %s", t ? "ok" : err))
		return;
	t0 = now();
	ex = kvm_backend_run(t->kb, 0.2);
	t1 = now();
	ok(ex == X86_EXIT_LIMIT && !strcmp(kvm_backend_why(t->kb), "timeout") && t1 - t0 < 5,
	   "jmp $ with a 0.2 s timeout: stops after %.3f s (%s)", t1 - t0, kvm_backend_why(t->kb));
	ok(vcpu_rip_read(&t->vm.vcpu.regs) == CODE, "RIP is the loop (0x%" PRIx64 ")",
	   vcpu_rip_read(&t->vm.vcpu.regs));
	tvm_free(t);
}

static void test_models(void)
{
	char err[256] = "", err2[256] = "";
	int rc;

	ok(kvm_backend_check_model(&vcpu_cpu_model_noapx, err, sizeof(err)) == 0,
	   "noapx can be offered: %s", err);
#ifdef CONFIG_APX
	{
		struct vm vm;
		struct kvm_backend *kb = NULL;
		const struct kvm_backend_io io = { io_in, io_out, io_stop, NULL };

		rc = kvm_backend_check_model(&vcpu_cpu_model_apx, err, sizeof(err));
		if (!vm_init(&vm, 4, &vcpu_cpu_model_apx, NULL, err2, sizeof(err2))) {
			kb = kvm_backend_create(&vm.vcpu, vm.ram, vm.ram_size, &io, 0, err2,
						sizeof(err2));
			ok((rc == 0) == (kb != NULL) && (rc == 0 || (strstr(err, "APX") &&
			   strstr(err2, "APX"))), "apx model: %s", rc ? err2 : "offered by this host");
			kvm_backend_destroy(kb);
			vm_destroy(&vm);
		}
	}
#else
	(void)rc;
	(void)err2;
#endif
}

static void kvm_tests(void)
{
	char err[256];
	struct tvm *t;

	if (kvm_backend_available(err, sizeof(err))) {
		skip(err);
		return;
	}
	t = tvm_new(g_hello, sizeof(g_hello), 0, err, sizeof(err));
	if (!t) {
		char why[300];

		snprintf(why, sizeof(why), "/dev/kvm is not usable: %s", err);
		skip(why);
		return;
	}
	tvm_free(t);
	test_models();
	for (unsigned flags = 0; flags <= KVM_BACKEND_SYNC_REGS; flags += KVM_BACKEND_SYNC_REGS) {
		test_hello(flags);
		test_lazy(flags, 2000);
		test_set_regs(flags);
	}
	test_triple_fault();
	test_mmio();
	test_refused_state();
	test_timeout();
}

int main(void)
{
	test_regs_conversion();
#ifdef CONFIG_APX
	test_apx_conversion();
#endif
	test_cpuid();
	test_exit_messages();
	kvm_tests();
	return done_testing();
}
