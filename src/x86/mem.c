/* SPDX-License-Identifier: MIT */
/*
 * Guest memory and operand access for the interpreter.  Every guest memory
 * access goes through x86_mem_access(): canonical check, then translation
 * (flat RAM for now; the paging issue adds the page walk here), then the
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

enum x86_exit x86_mem_read(struct x86_cpu *c, uint64_t la, void *dst, unsigned size, bool ss)
{
	enum x86_exit ex;
	uint8_t *p = translate(c, la, size, X86_ACC_READ, ss, &ex);

	if (p)
		memcpy(dst, p, size);
	return ex;
}

enum x86_exit x86_mem_write(struct x86_cpu *c, uint64_t la, const void *src, unsigned size, bool ss)
{
	enum x86_exit ex;
	uint8_t *p = translate(c, la, size, X86_ACC_WRITE, ss, &ex);

	if (p)
		memcpy(p, src, size);
	return ex;
}

enum x86_exit x86_mem_probe(struct x86_cpu *c, uint64_t la, unsigned size,
			    enum x86_access_kind kind, bool ss)
{
	enum x86_exit ex;

	translate(c, la, size, kind, ss, &ex);
	return ex;
}

/* Bytes of guest code readable at `rip` (0..15), or an exception. */
enum x86_exit x86_fetch(struct x86_cpu *c, uint64_t rip, uint8_t *buf, unsigned *n)
{
	uint64_t avail;

	if (!canonical(rip))
		return x86_raise_err(c, X86_EXC_GP, 0);
	if (rip >= c->ram_size)
		return page_fault(c, rip, X86_ACC_FETCH);
	avail = c->ram_size - rip;
	*n = avail < X86_MAX_INSN_LEN ? (unsigned)avail : X86_MAX_INSN_LEN;
	memcpy(buf, c->ram + rip, *n);
	return X86_EXIT_NONE;
}

/* Raise the #PF of a fetch that ran out of mapped code at `la`. */
enum x86_exit x86_fetch_fault(struct x86_cpu *c, uint64_t la)
{
	if (!canonical(la))
		return x86_raise_err(c, X86_EXC_GP, 0);
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
