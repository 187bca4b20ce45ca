/* SPDX-License-Identifier: MIT */
/*
 * System instructions of 64-bit mode: MOV to/from CR0/2/3/4/8, LMSW/SMSW,
 * CLTS, LGDT/LIDT/SGDT/SIDT, LLDT/SLDT, LTR/STR, INVLPG, INVD/WBINVD/
 * WBNOINVD, SWAPGS, RDMSR/WRMSR, XSETBV/XGETBV.
 *
 * Each handler does the privilege check first (CPL > 0: #GP(0), as the CPU
 * does before anything else), then every other check and memory access,
 * then commits; a fault changes nothing.  SMSW/SGDT/SIDT/SLDT/STR are not
 * privileged (the models do not offer UMIP).  MOV DR is not modelled: #GP
 * at CPL > 0, #UD at CPL 0.
 */
#include <stddef.h>

#include "vcpu/cpuid.h"
#include "vcpu/msr.h"
#include "vcpu/xstate.h"
#include "x86/desc.h"
#include "x86/interp_internal.h"

/* CR0 bits that exist (the rest of 31:0 ignore writes, 63:32 are #GP). */
#define CR0_MP (1u << 1)
#define CR0_EM (1u << 2)
#define CR0_TS (1u << 3)
#define CR0_ET (1u << 4)
#define CR0_NE (1u << 5)
#define CR0_AM (1u << 18)
#define CR0_NW (1u << 29)
#define CR0_CD (1u << 30)
#define CR0_KNOWN (X86_CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | \
		   X86_CR0_WP | CR0_AM | CR0_NW | CR0_CD | X86_CR0_PG)

#define CR4_PGE   (1u << 7)
#define CR4_PCIDE (1u << 17)
/* CR4 changes that change translations: drop the TLB. */
#define CR4_FLUSH (X86_CR4_PSE | X86_CR4_PAE | CR4_PGE | X86_CR4_LA57 | CR4_PCIDE | \
		   X86_CR4_SMEP | X86_CR4_SMAP)

/* CPUID.(0DH,1):EAX[2]: XGETBV with ECX = 1 (XINUSE). */
#define CPUID_D_1_EAX_XGETBV_ECX1 (1u << 2)

static enum x86_exit gp0(struct x86_cpu *c)
{
	return x86_raise_err(c, X86_EXC_GP, 0);
}

/* The 64-bit operand of WRMSR/XSETBV, and the result of RDMSR/XGETBV. */
static uint64_t edx_eax(struct x86_cpu *c)
{
	return (x86_gpr(c, VCPU_REGS_RDX) << 32) | (uint32_t)x86_gpr(c, VCPU_REGS_RAX);
}

static void set_edx_eax(struct x86_cpu *c, uint64_t val)
{
	x86_set_gpr(c, VCPU_REGS_RAX, (uint32_t)val);
	x86_set_gpr(c, VCPU_REGS_RDX, val >> 32);
}

static uint64_t host_tsc(struct x86_cpu *c)
{
	return c->rdtsc ? c->rdtsc(c) : c->icount;
}

/* ---- control registers ---- */

/* CR4 bits the CPU model offers (vcpu/cpuid.c); PCIDE and LA57 have extra rules in set_cr4. */
static uint64_t cr4_allowed(const struct vcpu *v)
{
	return vcpu_cpu_model_cr4_valid(vcpu_model_of(v));
}

/* SDM Vol. 2B MOV (control registers) and Vol. 3A 2.5: #GP(0) rules of a CR0 load. */
static enum x86_exit set_cr0(struct x86_cpu *c, uint64_t val)
{
	struct vcpu *v = c->v;
	uint64_t old = v->cr0, efer = v->efer;

	if (val >> 32)
		return gp0(c);
	val = (val & CR0_KNOWN) | CR0_ET; /* reserved 31:0 ignored, ET hardwired */
	if ((val & CR0_NW) && !(val & CR0_CD))
		return gp0(c);
	if ((val & X86_CR0_PG) && !(val & X86_CR0_PE))
		return gp0(c);
	if (!(val & X86_CR0_PG) && (efer & X86_EFER_LMA))
		return gp0(c); /* cannot leave long mode from 64-bit code */
	if ((val & X86_CR0_PG) && !(old & X86_CR0_PG) && (efer & X86_EFER_LME)) {
		if (!(v->cr4 & X86_CR4_PAE))
			return gp0(c);
		efer |= X86_EFER_LMA; /* IA-32e mode activation */
	}
	v->cr0 = val;
	v->efer = efer;
	if ((old ^ val) & (X86_CR0_PG | X86_CR0_WP | X86_CR0_PE))
		x86_tlb_flush(c);
	return X86_EXIT_NONE;
}

static enum x86_exit set_cr4(struct x86_cpu *c, uint64_t val)
{
	struct vcpu *v = c->v;
	uint64_t old = v->cr4;

	if (val & ~cr4_allowed(v))
		return gp0(c);
	if ((v->efer & X86_EFER_LMA) && !(val & X86_CR4_PAE))
		return gp0(c);
	if ((v->efer & X86_EFER_LMA) && ((old ^ val) & X86_CR4_LA57))
		return gp0(c);
	if (val & CR4_PCIDE)
		return gp0(c); /* PCID is not implemented (and not offered) */
	v->cr4 = val;
	if ((old ^ val) & CR4_FLUSH)
		x86_tlb_flush(c);
	vcpu_update_apx(v); /* CR4.OSXSAVE gates REX2/APX-EVEX */
	return X86_EXIT_NONE;
}

static enum x86_exit set_cr3(struct x86_cpu *c, uint64_t val)
{
	unsigned maxphy = vcpu_model_of(c->v)->phys_addr_bits;

	/* Bits 63:MAXPHYADDR are reserved (bit 63 is a hint only with CR4.PCIDE). */
	if (maxphy < 64 && (val >> maxphy))
		return gp0(c);
	c->v->cr3 = val;
	x86_tlb_flush(c);
	return X86_EXIT_NONE;
}

static enum x86_exit write_cr(struct x86_cpu *c, unsigned n, uint64_t val)
{
	switch (n) {
	case 0: return set_cr0(c, val);
	case 2: c->v->cr2 = val; return X86_EXIT_NONE;
	case 3: return set_cr3(c, val);
	case 4: return set_cr4(c, val);
	case 8:
		if (val >> 4)
			return gp0(c); /* TPR: bits 63:4 reserved */
		c->v->cr8 = val;
		return X86_EXIT_NONE;
	}
	return x86_raise(c, X86_EXC_UD);
}

static enum x86_exit sys_mov_cr(struct x86_cpu *c, const struct x86_insn *in)
{
	struct vcpu *v = c->v;
	const struct x86_operand *dst = &in->ops[0];
	uint64_t val;

	if (v->cpl > 0)
		return gp0(c);
	if (dst->kind == X86_OPK_REG && dst->reg.cls == X86_RC_CR)
		return write_cr(c, dst->reg.num, x86_gpr(c, in->ops[1].reg.num));
	switch (in->ops[1].reg.num) {
	case 0: val = v->cr0; break;
	case 2: val = v->cr2; break;
	case 3: val = v->cr3; break;
	case 4: val = v->cr4; break;
	case 8: val = v->cr8; break;
	default: return x86_raise(c, X86_EXC_UD);
	}
	x86_set_gpr(c, dst->reg.num, val);
	return X86_EXIT_NONE;
}

/* LMSW: loads CR0[3:0] but cannot clear PE. */
static enum x86_exit sys_lmsw(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t src, cr0 = c->v->cr0;
	enum x86_exit ex;

	if (c->v->cpl > 0)
		return gp0(c);
	ex = x86_op_read(c, in, 0, &src);
	if (ex)
		return ex;
	return set_cr0(c, (cr0 & ~UINT64_C(0xf)) | (src & 0xf) | (cr0 & X86_CR0_PE));
}

static enum x86_exit sys_smsw(struct x86_cpu *c, const struct x86_insn *in)
{
	return x86_op_write(c, in, 0, c->v->cr0);
}

static enum x86_exit sys_clts(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	if (c->v->cpl > 0)
		return gp0(c);
	c->v->cr0 &= ~(uint64_t)CR0_TS;
	return X86_EXIT_NONE;
}

/* ---- descriptor tables ---- */

static bool canonical(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

/* LGDT/LIDT: m16&64 (limit, then base); a non-canonical base is #GP(0). */
static enum x86_exit load_dtable(struct x86_cpu *c, const struct x86_insn *in,
				 struct vcpu_dtable *t)
{
	const struct x86_operand *op = &in->ops[0];
	uint8_t m[10];
	enum x86_exit ex;
	uint64_t base;

	if (c->v->cpl > 0)
		return gp0(c);
	ex = x86_mem_read(c, x86_ea(c, in, op), m, sizeof(m), x86_op_is_ss(op));
	if (ex)
		return ex;
	base = le(m + 2, 8);
	if (!canonical(base))
		return gp0(c);
	t->limit = (uint16_t)le(m, 2);
	t->base = base;
	return X86_EXIT_NONE;
}

static enum x86_exit store_dtable(struct x86_cpu *c, const struct x86_insn *in,
				  const struct vcpu_dtable *t)
{
	const struct x86_operand *op = &in->ops[0];
	uint8_t m[10];

	for (unsigned i = 0; i < 2; i++)
		m[i] = (uint8_t)(t->limit >> (8 * i));
	for (unsigned i = 0; i < 8; i++)
		m[2 + i] = (uint8_t)(t->base >> (8 * i));
	return x86_mem_write(c, x86_ea(c, in, op), m, sizeof(m), x86_op_is_ss(op));
}

static enum x86_exit sys_lgdt(struct x86_cpu *c, const struct x86_insn *in)
{
	return load_dtable(c, in, &c->v->gdt);
}

static enum x86_exit sys_lidt(struct x86_cpu *c, const struct x86_insn *in)
{
	return load_dtable(c, in, &c->v->idt);
}

static enum x86_exit sys_sgdt(struct x86_cpu *c, const struct x86_insn *in)
{
	return store_dtable(c, in, &c->v->gdt);
}

static enum x86_exit sys_sidt(struct x86_cpu *c, const struct x86_insn *in)
{
	return store_dtable(c, in, &c->v->idt);
}

/*
 * Read the 16-byte system descriptor `sel` names in the GDT and check it
 * (SDM Vol. 2A LLDT/LTR, 64-bit mode exceptions): TI = 0, within the GDT
 * limit, S = 0 with type `type`, upper type field 0, canonical base:
 * otherwise #GP(selector); not present: #NP(selector).  The low half is
 * decoded by desc.c; the high half holds base 63:32.
 */
static enum x86_exit read_sys_desc(struct x86_cpu *c, uint16_t sel, uint8_t type,
				   struct x86_desc *d, struct vcpu_segment *seg)
{
	uint32_t err = x86_sel_err(sel, false);
	uint64_t hi;
	enum x86_exit ex;

	if ((sel & 4) || (sel & ~7u) + 15u > c->v->gdt.limit)
		return x86_raise_err(c, X86_EXC_GP, err);
	ex = x86_desc_read(c, sel, false, d);
	if (ex)
		return ex;
	ex = x86_mem_read_sys(c, d->la + 8, &hi, 8); /* implicit supervisor access */
	if (ex)
		return ex;
	if (d->s || d->type != type || ((hi >> 40) & 0x1f))
		return x86_raise_err(c, X86_EXC_GP, err);
	if (!d->p)
		return x86_raise_err(c, X86_EXC_NP, err);
	x86_desc_to_seg(d, sel, seg);
	seg->base |= hi << 32;
	if (!canonical(seg->base))
		return x86_raise_err(c, X86_EXC_GP, err);
	return X86_EXIT_NONE;
}

#define DESC_LDT       0x02
#define DESC_TSS_AVAIL 0x09
#define DESC_TSS_BUSY  0x0b

/* The common start of LLDT/LTR: CPL 0, then the selector operand. */
static enum x86_exit read_sel_op(struct x86_cpu *c, const struct x86_insn *in, uint16_t *sel)
{
	uint64_t v = 0;
	enum x86_exit ex = c->v->cpl > 0 ? gp0(c) : x86_op_read(c, in, 0, &v);

	*sel = (uint16_t)v;
	return ex;
}

static enum x86_exit sys_lldt(struct x86_cpu *c, const struct x86_insn *in)
{
	struct vcpu_segment seg;
	struct x86_desc d;
	uint16_t sel;
	enum x86_exit ex = read_sel_op(c, in, &sel);

	if (ex)
		return ex;
	if ((sel & 0xfffc) == 0) {
		/* Null selector: LDTR becomes unusable (later references #GP). */
		x86_seg_null(&c->v->seg[VCPU_SEG_LDTR], sel, 0);
		return X86_EXIT_NONE;
	}
	ex = read_sys_desc(c, sel, DESC_LDT, &d, &seg);
	if (ex)
		return ex;
	c->v->seg[VCPU_SEG_LDTR] = seg;
	return X86_EXIT_NONE;
}

/* LTR: an available 64-bit TSS; marks it busy in the GDT, then loads TR. */
static enum x86_exit sys_ltr(struct x86_cpu *c, const struct x86_insn *in)
{
	struct vcpu_segment seg;
	struct x86_desc d;
	uint16_t sel;
	uint8_t busy;
	enum x86_exit ex = read_sel_op(c, in, &sel);

	if (ex)
		return ex;
	if ((sel & 0xfffc) == 0)
		return gp0(c);
	ex = read_sys_desc(c, sel, DESC_TSS_AVAIL, &d, &seg);
	if (ex)
		return ex;
	busy = (uint8_t)(d.raw >> 40) | 0x02;
	ex = x86_mem_cpl(c, 0, true, d.la + 5, NULL, &busy, 1, X86_ACC_WRITE, false);
	if (ex)
		return ex;
	seg.type = DESC_TSS_BUSY;
	c->v->seg[VCPU_SEG_TR] = seg;
	return X86_EXIT_NONE;
}

/* SLDT/STR: the selector, zero-extended into a 32/64-bit register, 16 bits to memory. */
static enum x86_exit sys_sldt(struct x86_cpu *c, const struct x86_insn *in)
{
	return x86_op_write(c, in, 0, c->v->seg[VCPU_SEG_LDTR].selector);
}

static enum x86_exit sys_str(struct x86_cpu *c, const struct x86_insn *in)
{
	return x86_op_write(c, in, 0, c->v->seg[VCPU_SEG_TR].selector);
}

/* ---- TLB, caches, SWAPGS ---- */

/* INVLPG of a non-canonical address is a no-op (SDM Vol. 2A INVLPG). */
static enum x86_exit sys_invlpg(struct x86_cpu *c, const struct x86_insn *in)
{
	if (c->v->cpl > 0)
		return gp0(c);
	x86_tlb_invlpg(c, x86_ea(c, in, &in->ops[0]));
	return X86_EXIT_NONE;
}

/* INVD/WBINVD/WBNOINVD: no caches are modelled. */
static enum x86_exit sys_cache_nop(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	if (c->v->cpl > 0)
		return gp0(c);
	return X86_EXIT_NONE;
}

static enum x86_exit sys_swapgs(struct x86_cpu *c, const struct x86_insn *in)
{
	struct vcpu *v = c->v;
	uint64_t t;

	(void)in;
	if (v->cpl > 0)
		return gp0(c);
	t = v->gs_base;
	v->gs_base = v->msr.kernel_gs_base;
	v->msr.kernel_gs_base = t;
	return X86_EXIT_NONE;
}

/* ---- MSRs ---- */

static enum x86_exit sys_rdmsr(struct x86_cpu *c, const struct x86_insn *in)
{
	uint64_t val;

	(void)in;
	if (c->v->cpl > 0)
		return gp0(c);
	if (vcpu_msr_read_at(c->v, (uint32_t)x86_gpr(c, VCPU_REGS_RCX), host_tsc(c), &val))
		return gp0(c);
	set_edx_eax(c, val);
	return X86_EXIT_NONE;
}

static enum x86_exit sys_wrmsr(struct x86_cpu *c, const struct x86_insn *in)
{
	struct vcpu *v = c->v;
	uint64_t val = edx_eax(c);
	uint64_t old_efer = v->efer;

	(void)in;
	if (v->cpl > 0)
		return gp0(c);
	if (vcpu_msr_write_at(v, (uint32_t)x86_gpr(c, VCPU_REGS_RCX), host_tsc(c), val))
		return gp0(c);
	if ((old_efer ^ v->efer) & X86_EFER_NXE)
		x86_tlb_flush(c);
	return X86_EXIT_NONE;
}

/* ---- XCR0 ---- */

/* SDM Vol. 2C XSETBV: #UD without CR4.OSXSAVE, then #GP(0) at CPL > 0 or a refused value. */
static enum x86_exit sys_xsetbv(struct x86_cpu *c, const struct x86_insn *in)
{
	struct vcpu *v = c->v;
	uint64_t val = edx_eax(c);

	(void)in;
	if (!(v->cr4 & X86_CR4_OSXSAVE))
		return x86_raise(c, X86_EXC_UD);
	if (v->cpl > 0)
		return gp0(c);
	if (vcpu_xsetbv_check(vcpu_model_of(v), (uint32_t)x86_gpr(c, VCPU_REGS_RCX), val))
		return gp0(c);
	v->xcr0 = val;
	vcpu_update_apx(v);
	return X86_EXIT_NONE;
}

static enum x86_exit sys_xgetbv(struct x86_cpu *c, const struct x86_insn *in)
{
	struct vcpu *v = c->v;
	uint32_t idx = (uint32_t)x86_gpr(c, VCPU_REGS_RCX), out[4];
	uint64_t val;

	(void)in;
	if (!(v->cr4 & X86_CR4_OSXSAVE))
		return x86_raise(c, X86_EXC_UD);
	if (idx == 0) {
		val = v->xcr0;
	} else if (idx == 1) {
		vcpu_cpuid(vcpu_model_of(v), v->cr4, v->xcr0, 0xd, 1, out);
		if (!(out[0] & CPUID_D_1_EAX_XGETBV_ECX1))
			return gp0(c);
		val = x86_xinuse(v);
	} else {
		return gp0(c);
	}
	set_edx_eax(c, val);
	return X86_EXIT_NONE;
}

/* MOV DR: debug registers are not modelled. */
static enum x86_exit sys_privileged(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	if (c->v->cpl > 0)
		return gp0(c);
	return x86_raise(c, X86_EXC_UD);
}

const struct x86_handler_entry x86_handlers_sys[] = {
	{ "clts", sys_clts },
	{ "invd", sys_cache_nop },
	{ "invlpg", sys_invlpg },
	{ "lgdt", sys_lgdt },
	{ "lidt", sys_lidt },
	{ "lldt", sys_lldt },
	{ "lmsw", sys_lmsw },
	{ "ltr", sys_ltr },
	{ "mov_cr", sys_mov_cr },
	{ "mov_dr", sys_privileged },
	{ "rdmsr", sys_rdmsr },
	{ "sgdt", sys_sgdt },
	{ "sidt", sys_sidt },
	{ "sldt", sys_sldt },
	{ "smsw", sys_smsw },
	{ "str", sys_str },
	{ "swapgs", sys_swapgs },
	{ "wbinvd", sys_cache_nop },
	{ "wbnoinvd", sys_cache_nop },
	{ "wrmsr", sys_wrmsr },
	{ "xgetbv", sys_xgetbv },
	{ "xsetbv", sys_xsetbv },
	{ NULL, NULL },
};
