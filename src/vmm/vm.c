/* SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "accel/kvm.h"
#include "accel/soft.h"
#include "vcpu/msr.h"
#include "vmm/vm.h"
#include "x86/paging.h"

/* Boot area layout, from boot_base up (4 KiB pages). */
#define BOOT_PML4   0x0000
#define BOOT_PDPT   0x1000
#define BOOT_PD     0x2000      /* one page directory per GiB of RAM */
#define BOOT_GDT    0x0         /* in the last page: GDT at +0, TSS at +0x100 */
#define BOOT_TSS    0x100
#define BOOT_NPD(ram) (((ram) + (1ull << 30) - 1) >> 30)
#define BOOT_SIZE(ram) (BOOT_PD + BOOT_NPD(ram) * 0x1000 + 0x1000)

/* Instructions between two looks at the clock when --timeout is set. */
#define VM_TIMEOUT_SLICE 1000000u

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* CPUID from the CPU model; OSXSAVE and the XSAVE sizes follow CR4 and XCR0. */
static void cpuid_hook(struct x86_cpu *c, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	vcpu_cpuid(c->v->model, c->v->cr4, c->v->xcr0, leaf, sub, out);
}

static uint32_t io_in(struct x86_cpu *c, uint16_t port, unsigned bytes)
{
	return pio_in(&((struct vm *)c->opaque)->bus, port, bytes);
}

static void io_out(struct x86_cpu *c, uint16_t port, unsigned bytes, uint32_t val)
{
	struct vm *vm = c->opaque;

	pio_out(&vm->bus, port, bytes, val);
	if (vm->exitdev.requested)
		c->stop_request = true;
}

static void trace_port(void *opaque, bool is_write, uint16_t port, unsigned bytes, uint32_t val)
{
	struct vm *vm = opaque;

	fflush(stdout);   /* keep the guest's output and the trace in order */
	fprintf(vm->trace, "apxvm: trace: %s port 0x%x (%u byte%s) %s 0x%" PRIx32
		" at rip 0x%" PRIx64 ": no device, %s\n",
		is_write ? "out" : "in", port, bytes, bytes == 1 ? "" : "s",
		is_write ? "<-" : "->", val, vcpu_rip_read(&vm->vcpu.regs),
		is_write ? "ignored" : "all ones");
}

int vm_init(struct vm *vm, uint64_t ram_mib, const struct vcpu_cpu_model *model,
	    FILE *trace, char *err, size_t errlen)
{
	uint64_t size;
	void *p;

	memset(vm, 0, sizeof(*vm));
	if (ram_mib > (VM_RAM_MAX >> 20) || (ram_mib << 20) < VM_RAM_MIN) {
		snprintf(err, errlen, "RAM size %" PRIu64 " MiB is outside %llu..%llu MiB",
			 ram_mib, VM_RAM_MIN >> 20, VM_RAM_MAX >> 20);
		return -1;
	}
	size = ((ram_mib << 20) + VM_PAGE_2M - 1) & ~(VM_PAGE_2M - 1);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED) {
		snprintf(err, errlen, "cannot allocate %" PRIu64 " MiB of guest RAM", size >> 20);
		return -1;
	}
	vm->ram = p;
	vm->ram_size = size;
	vm->boot_base = size - BOOT_SIZE(size);
	vm->model = model;
	vm->trace = trace;

	pio_bus_init(&vm->bus);
	if (trace) {
		vm->bus.trace = trace_port;
		vm->bus.trace_opaque = vm;
	}
	uart_init(&vm->com1, COM1_BASE, NULL, NULL);
	exitdev_init(&vm->exitdev);
	if (uart_attach(&vm->com1, &vm->bus) || exitdev_attach(&vm->exitdev, &vm->bus)) {
		snprintf(err, errlen, "cannot attach the devices to the port bus");
		vm_destroy(vm);
		return -1;
	}

	vcpu_regfile_init(&vm->vcpu.regs, NULL);
	vm->vcpu.model = model;
	vm->vcpu.cpuid_apx = vcpu_cpu_model_has_apx(model);
	vm->cpu.v = &vm->vcpu;
	vm->cpu.ram = vm->ram;
	vm->cpu.ram_size = vm->ram_size;
	vm->cpu.cpuid = cpuid_hook;
	vm->cpu.io_in = io_in;
	vm->cpu.io_out = io_out;
	vm->cpu.opaque = vm;
	if (x86_icache_init(&vm->cpu)) {
		snprintf(err, errlen, "cannot allocate the decoded-instruction cache");
		vm_destroy(vm);
		return -1;
	}
	return 0;
}

void vm_destroy(struct vm *vm)
{
	kvm_backend_destroy(vm->kvm);
	vm->kvm = NULL;
	x86_icache_free(&vm->cpu);
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	vm->ram = NULL;
}

/* A code or data segment register as the boot GDT describes it. */
static void boot_seg(struct vcpu_segment *s, uint16_t sel, bool code, unsigned dpl)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffff;
	s->type = code ? 0xb : 0x3;   /* execute/read accessed; read/write accessed */
	s->present = 1;
	s->s = 1;
	s->dpl = (uint8_t)dpl;
	s->g = 1;
	s->l = code;
	s->db = !code;
}

/* GDT descriptor for a flat segment: access byte and L/D bits. */
static uint64_t gdt_flat(unsigned access, bool code64)
{
	uint64_t flags = code64 ? 0xa : 0xc;   /* G|L or G|D/B */

	return 0xffffull | (0xfull << 48) | ((uint64_t)access << 40) | (flags << 52);
}

void vm_boot64(struct vm *vm, uint64_t entry)
{
	uint8_t *b = vm->ram + vm->boot_base;
	uint64_t base = vm->boot_base, npd = BOOT_NPD(vm->ram_size);
	uint64_t gdt = base + BOOT_SIZE(vm->ram_size) - 0x1000, tss = gdt + BOOT_TSS;
	uint8_t *g = vm->ram + gdt;
	struct vcpu *v = &vm->vcpu;
	uint64_t pa;

	memset(b, 0, BOOT_SIZE(vm->ram_size));
	put64(b + BOOT_PML4, (base + BOOT_PDPT) | X86_PTE_P | X86_PTE_RW | X86_PTE_US);
	for (uint64_t i = 0; i < npd; i++)
		put64(b + BOOT_PDPT + i * 8,
		      (base + BOOT_PD + i * 0x1000) | X86_PTE_P | X86_PTE_RW | X86_PTE_US);
	for (pa = 0; pa < vm->ram_size; pa += VM_PAGE_2M)
		put64(b + BOOT_PD + (pa >> 21) * 8,
		      pa | X86_PTE_P | X86_PTE_RW | X86_PTE_US | X86_PTE_PS);

	/* GDT: null, code64, data, user data, user code64, TSS (16 bytes). */
	put64(g + 0x08, gdt_flat(0x9b, true));
	put64(g + 0x10, gdt_flat(0x93, false));
	put64(g + 0x18, gdt_flat(0xf3, false));
	put64(g + 0x20, gdt_flat(0xfb, true));
	put64(g + 0x28, 0x67 | ((tss & 0xffffff) << 16) | (0x8bull << 40) |
			((tss >> 24 & 0xff) << 56));
	put64(g + 0x30, tss >> 32);
	put64(g + BOOT_TSS + 4, base);     /* RSP0: below the boot area */
	g[BOOT_TSS + 0x66] = 0x68;         /* I/O map base = limit + 1: no bitmap */

	vcpu_msr_reset(v);                 /* power-on MSRs (PAT, APIC_BASE, ...); EFER below */
	v->cr0 = X86_CR0_PE | 0x2 /* MP */ | 0x10 /* ET */ | 0x20 /* NE */ | X86_CR0_WP |
		 X86_CR0_PG;
	v->cr3 = base + BOOT_PML4;
	v->cr4 = X86_CR4_PAE | (1u << 9) /* OSFXSR */ | (1u << 10) /* OSXMMEXCPT */;
	v->efer = X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE;
	v->xcr0 = X86_XCR0_X87;
	v->cpl = 0;
	vcpu_update_apx(v);
	boot_seg(&v->seg[VCPU_SEG_CS], VM_SEL_CODE64, true, 0);
	boot_seg(&v->seg[VCPU_SEG_SS], VM_SEL_DATA, false, 0);
	boot_seg(&v->seg[VCPU_SEG_DS], VM_SEL_DATA, false, 0);
	boot_seg(&v->seg[VCPU_SEG_ES], VM_SEL_DATA, false, 0);
	boot_seg(&v->seg[VCPU_SEG_FS], VM_SEL_DATA, false, 0);
	boot_seg(&v->seg[VCPU_SEG_GS], VM_SEL_DATA, false, 0);
	memset(&v->seg[VCPU_SEG_TR], 0, sizeof(v->seg[0]));
	v->seg[VCPU_SEG_TR].selector = VM_SEL_TSS;
	v->seg[VCPU_SEG_TR].base = tss;
	v->seg[VCPU_SEG_TR].limit = 0x67;
	v->seg[VCPU_SEG_TR].type = 0xb;
	v->seg[VCPU_SEG_TR].present = 1;
	v->seg[VCPU_SEG_LDTR].unusable = 1;
	v->gdt.base = gdt;
	v->gdt.limit = 0x37;
	v->idt.base = 0;
	v->idt.limit = 0;
	v->fpu.fxsave[0] = 0x7f;           /* FCW = 0x37F */
	v->fpu.fxsave[1] = 0x03;
	v->fpu.fxsave[24] = 0x80;          /* MXCSR = 0x1F80 */
	v->fpu.fxsave[25] = 0x1f;
	v->regs.rflags = X86_FLAGS_FIXED;
	v->regs.rip = entry;
	v->regs.regs[VCPU_REGS_RSP] = base;
	/* New paging state, and RAM written behind the vCPU's back. */
	x86_tlb_flush(&vm->cpu);
	x86_icache_flush(&vm->cpu);
}

static uint32_t kvm_io_in(void *opaque, uint16_t port, unsigned bytes)
{
	return pio_in(&((struct vm *)opaque)->bus, port, bytes);
}

static void kvm_io_out(void *opaque, uint16_t port, unsigned bytes, uint32_t val)
{
	pio_out(&((struct vm *)opaque)->bus, port, bytes, val);
}

static bool kvm_io_stop(void *opaque)
{
	return ((struct vm *)opaque)->exitdev.requested;
}

int vm_use_kvm(struct vm *vm, char *err, size_t errlen)
{
	const struct kvm_backend_io io = { kvm_io_in, kvm_io_out, kvm_io_stop, vm };

	vm->kvm = kvm_backend_create(&vm->vcpu, vm->ram, vm->ram_size, &io, 0, err, errlen);
	return vm->kvm ? 0 : -1;
}

static const char *hlt_why(struct vm *vm)
{
	return vm->vcpu.regs.rflags & X86_FLAGS_IF ?
	       "HLT with interrupts enabled, but no device can interrupt" :
	       "HLT with interrupts disabled";
}

static enum vm_stop vm_run_kvm(struct vm *vm, double timeout_sec, uint8_t *status,
			       const char **why)
{
	static _Thread_local char err[320];
	enum x86_exit ex = kvm_backend_run(vm->kvm, timeout_sec);

	*why = kvm_backend_why(vm->kvm);
	/* Reports and snapshots read struct vcpu: bring all of it back from KVM. */
	if (kvm_backend_sync_out(vm->kvm, err, sizeof(err)) && ex != X86_EXIT_INTERNAL) {
		*why = err;
		return VM_STOP_INTERNAL;
	}
	switch (ex) {
	case X86_EXIT_IO:
		*status = vm->exitdev.status;
		return VM_STOP_EXIT_PORT;
	case X86_EXIT_HLT:
		*why = hlt_why(vm);
		return VM_STOP_HLT;
	case X86_EXIT_SHUTDOWN:
		return VM_STOP_SHUTDOWN;
	case X86_EXIT_LIMIT:
		return VM_STOP_TIMEOUT;
	default:
		return VM_STOP_INTERNAL;
	}
}

static double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum vm_stop run_loop(struct vm *vm, uint64_t max_insns, double timeout_sec,
			     uint8_t *status, const char **why);

/* Guest output is buffered (uart16550.c): out with it whenever the guest stops. */
enum vm_stop vm_run(struct vm *vm, uint64_t max_insns, double timeout_sec,
		    uint8_t *status, const char **why)
{
	enum vm_stop stop = run_loop(vm, max_insns, timeout_sec, status, why);

	fflush(stdout);
	return stop;
}

static enum vm_stop run_loop(struct vm *vm, uint64_t max_insns, double timeout_sec,
			     uint8_t *status, const char **why)
{
	struct x86_cpu *c = &vm->cpu;
	double deadline = timeout_sec > 0 ? now_sec() + timeout_sec : 0;
	uint64_t left = max_insns ? max_insns : UINT64_MAX;

	*why = NULL;
	if (vm->kvm)
		return vm_run_kvm(vm, timeout_sec, status, why);
	for (;;) {
		uint64_t slice = deadline > 0 && left > VM_TIMEOUT_SLICE ? VM_TIMEOUT_SLICE : left;
		uint64_t used;
		enum x86_exit ex;

		/*
		 * The budget counts delivered exceptions too, so a slice can retire
		 * fewer instructions than it allows: slice again until icount is
		 * exactly stop_at (every slice is >= 1 unit, so --max-insns and
		 * --timeout still bound a guest that only faults).
		 */
		if (vm->has_stop_at) {
			if (c->icount >= vm->stop_at) {
				*why = "snapshot point reached";
				return VM_STOP_AT;
			}
			if (slice > vm->stop_at - c->icount)
				slice = vm->stop_at - c->icount;
		}
		ex = soft_run(c, slice, vm->trace, &used);

		if (max_insns)
			left -= used;
		switch (ex) {
		case X86_EXIT_IO:
			c->stop_request = false;
			if (vm->exitdev.requested) {
				*status = vm->exitdev.status;
				return VM_STOP_EXIT_PORT;
			}
			break;
		case X86_EXIT_HLT:
			*why = hlt_why(vm);
			return VM_STOP_HLT;
		case X86_EXIT_SHUTDOWN:
			*why = c->why ? c->why : "triple fault";
			return VM_STOP_SHUTDOWN;
		case X86_EXIT_LIMIT:
			if (vm->has_stop_at && c->icount >= vm->stop_at)
				break;          /* VM_STOP_AT at the top, before --max-insns */
			if (max_insns && !left) {
				*why = "instruction limit reached";
				return VM_STOP_LIMIT;
			}
			if (deadline > 0 && now_sec() >= deadline) {
				*why = "timeout";
				return VM_STOP_TIMEOUT;
			}
			break;
		default:
			*why = c->why ? c->why : "internal error";
			return VM_STOP_INTERNAL;
		}
	}
}

void vm_dump_state(struct vm *vm, FILE *f)
{
	struct vcpu *v = &vm->vcpu;
	unsigned n = v->cpuid_apx ? NR_VCPU_GENERAL_PURPOSE_REGS : 16;
	char name[32];

	if (vm->kvm) {
		kvm_backend_dump(vm->kvm, f);
		return;
	}
	for (unsigned r = 0; r < n; r++)
		fprintf(f, "  %-3s 0x%016" PRIx64 "%s", vcpu_gpr_name(r),
			vcpu_gpr_index_read(&v->regs, r), r % 4 == 3 ? "\n" : "  ");
	fprintf(f, "  rip 0x%016" PRIx64 "  rflags 0x%" PRIx64 "  cpl %u\n",
		v->regs.rip, v->regs.rflags, v->cpl);
	fprintf(f, "  cr0 0x%" PRIx64 "  cr2 0x%" PRIx64 "  cr3 0x%" PRIx64 "  cr4 0x%" PRIx64
		"  efer 0x%" PRIx64 "  xcr0 0x%" PRIx64 "\n",
		v->cr0, v->cr2, v->cr3, v->cr4, v->efer, v->xcr0);
	fprintf(f, "  idt base 0x%" PRIx64 " limit 0x%x  gdt base 0x%" PRIx64 " limit 0x%x\n",
		v->idt.base, v->idt.limit, v->gdt.base, v->gdt.limit);
	fprintf(f, "  last exception %s", x86_exception_name(&vm->cpu.exc, name, sizeof(name)));
	if (vm->cpu.exc.has_error)
		fprintf(f, " error 0x%" PRIx32, vm->cpu.exc.error);
	fprintf(f, "  instructions %" PRIu64 "\n", vm->cpu.icount);
}
