/* SPDX-License-Identifier: MIT */
/*
 * Guest memory and operand access for the interpreter.  Every guest memory
 * access goes through x86_mem_access(): canonical check, then translation
 * (flat RAM when CR0.PG is clear, else the page walk of paging.c), then the
 * copy.  Nothing outside [ram, ram + ram_size) is ever touched.
 */
#include <string.h>

#include "x86/interp.h"
#include "x86/interp_internal.h"

static bool canonical(uint64_t la)
{
	return (uint64_t)((int64_t)(la << 16) >> 16) == la;
}

static enum x86_exit page_fault(struct x86_cpu *c, uint64_t la, enum x86_access_kind kind)
{
	uint32_t err = 0;

	if (kind == X86_ACC_WRITE)
		err |= X86_PF_W;
	if (c->v->cpl == 3)
		err |= X86_PF_U;
	c->exc.cr2 = la;
	return x86_raise_err(c, X86_EXC_PF, err);
}

/*
 * Check [la, la+size) and return the host pointer, or NULL with the exception
 * raised.  A range that leaves RAM faults at the first byte outside it.
 */
static uint8_t *translate(struct x86_cpu *c, uint64_t la, unsigned size,
			  enum x86_access_kind kind, bool ss, enum x86_exit *ex)
{
	uint64_t last = la + size - 1;

	if (!canonical(la) || !canonical(last) || last < la) {
		*ex = x86_raise_err(c, ss ? X86_EXC_SS : X86_EXC_GP, 0);
		return NULL;
	}
	if (la >= c->ram_size) {
		*ex = page_fault(c, la, kind);
		return NULL;
	}
	if (last >= c->ram_size) {
		*ex = page_fault(c, c->ram_size, kind);
		return NULL;
	}
	*ex = X86_EXIT_NONE;
	return c->ram + la;
}

/*
 * Paging on: check every 4 KiB piece of [la, la+size) before any byte is
 * copied or any accessed/dirty bit is set, so a fault on a later page changes
 * nothing.  `dst`/`src` NULL = probe.  Then translate each piece for real
 * (sets A/D, fills the TLB; cannot fault, since setting A/D bits never
 * revokes a permission), and only then copy, so that data written to one
 * page cannot change the translation of the next.  Accesses of more than
 * PAGED_PIECES pages (none in the instruction set) translate and copy piece
 * by piece in the second pass.
 */
#define PAGED_PIECES 4u

/*
 * A read or write within one page: through the last-page entry of its kind
 * when it is still valid, else through the TLB (which fills the entry).
 */
static enum x86_exit paged_one(struct x86_cpu *c, uint64_t la, void *dst, const void *src,
			       unsigned size, enum x86_access_kind kind)
{
	uint64_t pa;
	uint8_t *p;

	if (x86_tlb_last_hit(c, kind, la, &pa)) {
		p = c->ram + pa;
	} else {
		enum x86_exit ex = x86_translate_host(c, la, size, kind, true, &p);

		if (ex)
			return ex;
		pa = (uint64_t)(p - c->ram);
		x86_tlb_last_fill(c, kind, la, pa);
	}
	if (dst) {
		memcpy(dst, p, size);
	} else {
		x86_icache_note_write(c->icache, c, pa, size);
		memcpy(p, src, size);
	}
	return X86_EXIT_NONE;
}

static enum x86_exit paged(struct x86_cpu *c, uint64_t la, void *dst, const void *src,
			   unsigned size, enum x86_access_kind kind, bool ss)
{
	uint64_t last = la + size - 1;
	uint8_t *host[PAGED_PIECES];
	unsigned off, chunk, i;
	enum x86_exit ex;
	uint8_t *p;

	if (!canonical(la) || !canonical(last) || last < la)
		return x86_raise_err(c, ss ? X86_EXC_SS : X86_EXC_GP, 0);
	if (!((la ^ last) >> 12) && (dst || src))
		return paged_one(c, la, dst, src, size, kind);
	if ((la ^ last) >> 12) {
		for (off = 0; off < size; off += chunk) {
			chunk = 4096u - (unsigned)((la + off) & 0xfff);
			if (chunk > size - off)
				chunk = size - off;
			ex = x86_translate_host(c, la + off, chunk, kind, false, &p);
			if (ex)
				return ex;
		}
	}
	for (off = 0, i = 0; off < size && i < PAGED_PIECES; off += chunk, i++) {
		chunk = 4096u - (unsigned)((la + off) & 0xfff);
		if (chunk > size - off)
			chunk = size - off;
		ex = x86_translate_host(c, la + off, chunk, kind, true, &host[i]);
		if (ex)
			return ex;
	}
	for (off = 0, i = 0; off < size; off += chunk, i++) {
		chunk = 4096u - (unsigned)((la + off) & 0xfff);
		if (chunk > size - off)
			chunk = size - off;
		if (i < PAGED_PIECES) {
			p = host[i];
		} else {
			ex = x86_translate_host(c, la + off, chunk, kind, true, &p);
			if (ex)
				return ex;
		}
		if (dst)
			memcpy((uint8_t *)dst + off, p, chunk);
		else if (src) {
			x86_icache_note_write(c->icache, c, (uint64_t)(p - c->ram), chunk);
			memcpy(p, (const uint8_t *)src + off, chunk);
		}
	}
	return X86_EXIT_NONE;
}

enum x86_exit x86_mem_read(struct x86_cpu *c, uint64_t la, void *dst, unsigned size, bool ss)
{
	enum x86_exit ex;
	uint8_t *p;

	if (x86_paging_on(c->v))
		return paged(c, la, dst, NULL, size, X86_ACC_READ, ss);
	p = translate(c, la, size, X86_ACC_READ, ss, &ex);
	if (p)
		memcpy(dst, p, size);
	return ex;
}

enum x86_exit x86_mem_write(struct x86_cpu *c, uint64_t la, const void *src, unsigned size, bool ss)
{
	enum x86_exit ex;
	uint8_t *p;

	if (x86_paging_on(c->v))
		return paged(c, la, NULL, src, size, X86_ACC_WRITE, ss);
	p = translate(c, la, size, X86_ACC_WRITE, ss, &ex);
	if (p) {
		x86_icache_note_write(c->icache, c, (uint64_t)(p - c->ram), size);
		memcpy(p, src, size);
	}
	return ex;
}

enum x86_exit x86_mem_probe(struct x86_cpu *c, uint64_t la, unsigned size,
			    enum x86_access_kind kind, bool ss)
{
	enum x86_exit ex;

	if (x86_paging_on(c->v))
		return paged(c, la, NULL, NULL, size, kind, ss);
	translate(c, la, size, kind, ss, &ex);
	return ex;
}

/*
 * Paging on: the bytes up to the end of rip's page, plus the next page's if
 * it translates; if it does not, fewer bytes are returned and the decoder's
 * x86_fetch_fault() raises that page's fault only if the instruction needs it.
 */
static enum x86_exit paged_fetch(struct x86_cpu *c, uint64_t rip, uint8_t *buf, unsigned *n)
{
	unsigned first = 4096u - (unsigned)(rip & 0xfff);
	uint64_t next;
	uint8_t *p;
	enum x86_exit ex;

	if (first > X86_MAX_INSN_LEN)
		first = X86_MAX_INSN_LEN;
	ex = x86_translate_host(c, rip, first, X86_ACC_FETCH, true, &p);
	if (ex)
		return ex;
	memcpy(buf, p, first);
	*n = first;
	next = rip + first;
	if (first < X86_MAX_INSN_LEN && next > rip && canonical(next)) {
		struct x86_exception saved = c->exc;
		const char *why = c->why;

		if (x86_translate_host(c, next, X86_MAX_INSN_LEN - first, X86_ACC_FETCH, true, &p) ==
		    X86_EXIT_NONE) {
			memcpy(buf + first, p, X86_MAX_INSN_LEN - first);
			*n = X86_MAX_INSN_LEN;
		}
		c->exc = saved;
		c->why = why;
	}
	return X86_EXIT_NONE;
}

/* Bytes of guest code readable at `rip` (0..15), or an exception. */
enum x86_exit x86_fetch(struct x86_cpu *c, uint64_t rip, uint8_t *buf, unsigned *n)
{
	uint64_t avail;

	if (!canonical(rip))
		return x86_raise_err(c, X86_EXC_GP, 0);
	if (x86_paging_on(c->v))
		return paged_fetch(c, rip, buf, n);
	if (rip >= c->ram_size)
		return page_fault(c, rip, X86_ACC_FETCH);
	avail = c->ram_size - rip;
	*n = avail < X86_MAX_INSN_LEN ? (unsigned)avail : X86_MAX_INSN_LEN;
	memcpy(buf, c->ram + rip, *n);
	return X86_EXIT_NONE;
}

/* Raise the #PF (or report the internal error) of a fetch that ran out of mapped code at `la`. */
enum x86_exit x86_fetch_fault(struct x86_cpu *c, uint64_t la)
{
	if (!canonical(la))
		return x86_raise_err(c, X86_EXC_GP, 0);
	if (x86_paging_on(c->v)) {
		uint8_t *p;
		enum x86_exit ex = x86_translate_host(c, la, 1, X86_ACC_FETCH, true, &p);

		if (ex)
			return ex;
	}
	return page_fault(c, la, X86_ACC_FETCH);
}

static uint64_t reg_value(struct x86_cpu *c, struct x86_reg r)
{
	switch (r.cls) {
	case X86_RC_GPR8: return x86_gpr(c, r.num) & 0xff;
	case X86_RC_GPR8H: return (x86_gpr(c, r.num - 4u) >> 8) & 0xff;
	case X86_RC_GPR16: return x86_gpr(c, r.num) & 0xffff;
	case X86_RC_GPR32: return x86_gpr(c, r.num) & 0xffffffff;
	case X86_RC_GPR64: return x86_gpr(c, r.num);
	}
	return 0;
}

uint64_t x86_ea(struct x86_cpu *c, const struct x86_insn *in, const struct x86_operand *op)
{
	uint64_t ea = (uint64_t)op->mem.disp;

	if (op->mem.base.cls == X86_RC_RIP)
		ea += c->next_rip;
	else if (op->mem.base.cls != X86_RC_NONE)
		ea += reg_value(c, op->mem.base);
	if (op->mem.index.cls != X86_RC_NONE)
		ea += reg_value(c, op->mem.index) * op->mem.scale;
	if (in->asize == 32)
		ea &= 0xffffffff;
	if (op->kind == X86_OPK_MEM) {
		if (op->mem.seg == X86_SEG_FS)
			ea += c->v->fs_base;
		else if (op->mem.seg == X86_SEG_GS)
			ea += c->v->gs_base;
	}
	return ea;
}

bool x86_op_is_ss(const struct x86_operand *op)
{
	if (op->mem.seg != X86_SEG_NONE || op->mem.base.cls == X86_RC_RIP ||
	    op->mem.base.cls == X86_RC_NONE)
		return false;
	return op->mem.base.num == 4 || op->mem.base.num == 5; /* RSP, RBP */
}

enum x86_exit x86_op_read(struct x86_cpu *c, const struct x86_insn *in, unsigned i, uint64_t *val)
{
	const struct x86_operand *op = &in->ops[i];

	switch (op->kind) {
	case X86_OPK_REG:
		*val = reg_value(c, op->reg);
		return X86_EXIT_NONE;
	case X86_OPK_IMM:
		*val = op->imm;
		return X86_EXIT_NONE;
	case X86_OPK_MEM: {
		uint64_t v = 0;
		unsigned bytes = op->width / 8;
		enum x86_exit ex;

		if (bytes > 8)
			bytes = 8;
		ex = x86_mem_read(c, x86_ea(c, in, op), &v, bytes, x86_op_is_ss(op));
		*val = v; /* little-endian host: the low bytes are the value */
		return ex;
	}
	case X86_OPK_AGEN:
		*val = x86_ea(c, in, op);
		return X86_EXIT_NONE;
	}
	c->why = "operand kind cannot be read";
	return X86_EXIT_INTERNAL;
}

static void write_reg(struct x86_cpu *c, const struct x86_insn *in, unsigned i, uint64_t val)
{
	const struct x86_operand *op = &in->ops[i];
	struct vcpu_regfile *rf = &c->v->regs;
	unsigned n = op->reg.num;

	/* NDD and ZU destinations: bits [63:OSIZE] are zeroed for every size. */
	if (i == 0 && (in->nd || in->zu) && op->reg.cls != X86_RC_GPR8H) {
		x86_set_gpr(c, n, val & x86_width_mask(op->width));
		return;
	}
	switch (op->reg.cls) {
	case X86_RC_GPR8: vcpu_gpr_write8(rf, n, (uint8_t)val); break;
	case X86_RC_GPR8H: vcpu_gpr_write8h(rf, n - 4u, (uint8_t)val); break;
	case X86_RC_GPR16: vcpu_gpr_write16(rf, n, (uint16_t)val); break;
	case X86_RC_GPR32: vcpu_gpr_write32(rf, n, (uint32_t)val); break;
	case X86_RC_GPR64: x86_set_gpr(c, n, val); break;
	}
}

enum x86_exit x86_op_write(struct x86_cpu *c, const struct x86_insn *in, unsigned i, uint64_t val)
{
	const struct x86_operand *op = &in->ops[i];

	switch (op->kind) {
	case X86_OPK_REG:
		if (op->reg.cls < X86_RC_GPR8 || op->reg.cls > X86_RC_GPR64)
			break;
		write_reg(c, in, i, val);
		return X86_EXIT_NONE;
	case X86_OPK_MEM: {
		unsigned bytes = op->width / 8;

		if (bytes > 8)
			bytes = 8;
		return x86_mem_write(c, x86_ea(c, in, op), &val, bytes, x86_op_is_ss(op));
	}
	}
	c->why = "operand kind cannot be written";
	return X86_EXIT_INTERNAL;
}

enum x86_exit x86_op_probe_write(struct x86_cpu *c, const struct x86_insn *in, unsigned i)
{
	const struct x86_operand *op = &in->ops[i];

	if (op->kind != X86_OPK_MEM)
		return X86_EXIT_NONE;
	return x86_mem_probe(c, x86_ea(c, in, op), op->width / 8, X86_ACC_WRITE,
			     x86_op_is_ss(op));
}

enum x86_exit x86_push_probe(struct x86_cpu *c, unsigned bytes)
{
	return x86_mem_probe(c, x86_gpr(c, VCPU_REGS_RSP) - bytes, bytes, X86_ACC_WRITE, true);
}

/*
 * An access made as if at privilege level `cpl`: the stack pushes of an
 * event delivery that changes CPL, and (sys) the implicit supervisor
 * accesses to the GDT/LDT/IDT/TSS, which are supervisor accesses even at
 * CPL 3 and obey SMAP whatever EFLAGS.AC says.  dst: read; src: write;
 * neither: probe `kind`.
 */
enum x86_exit x86_mem_cpl(struct x86_cpu *c, unsigned cpl, bool sys, uint64_t la, void *dst,
			  const void *src, unsigned size, enum x86_access_kind kind, bool ss)
{
	struct vcpu *v = c->v;
	uint8_t saved_cpl = v->cpl;
	uint64_t saved_flags = v->regs.rflags;
	enum x86_exit ex;

	v->cpl = (uint8_t)cpl;
	if (sys)
		v->regs.rflags &= ~(uint64_t)X86_FLAGS_AC;
	if (dst)
		ex = x86_mem_read(c, la, dst, size, ss);
	else if (src)
		ex = x86_mem_write(c, la, src, size, ss);
	else
		ex = x86_mem_probe(c, la, size, kind, ss);
	v->cpl = saved_cpl;
	v->regs.rflags = saved_flags;
	return ex;
}

enum x86_exit x86_mem_read_sys(struct x86_cpu *c, uint64_t la, void *dst, unsigned size)
{
	return x86_mem_cpl(c, 0, true, la, dst, NULL, size, X86_ACC_READ, false);
}
