/* SPDX-License-Identifier: MIT */
/* Segment descriptors: read from GDT/LDT, accessed bit, register cache (desc.h). */
#include <string.h>

#include "x86/desc.h"
#include "x86/interp_internal.h"

static void decode(uint64_t raw, struct x86_desc *d)
{
	d->raw = raw;
	d->base = ((raw >> 16) & 0xffffff) | (((raw >> 56) & 0xff) << 24);
	d->limit = (uint32_t)((raw & 0xffff) | (((raw >> 48) & 0xf) << 16));
	d->type = (uint8_t)((raw >> 40) & 0xf);
	d->s = (uint8_t)((raw >> 44) & 1);
	d->dpl = (uint8_t)((raw >> 45) & 3);
	d->p = (uint8_t)((raw >> 47) & 1);
	d->avl = (uint8_t)((raw >> 52) & 1);
	d->l = (uint8_t)((raw >> 53) & 1);
	d->db = (uint8_t)((raw >> 54) & 1);
	d->g = (uint8_t)((raw >> 55) & 1);
	if (d->g)
		d->limit = (d->limit << 12) | 0xfff;
}

enum x86_exit x86_desc_read(struct x86_cpu *c, uint16_t sel, bool ext, struct x86_desc *d)
{
	const struct vcpu *v = c->v;
	uint64_t base = v->gdt.base, limit = v->gdt.limit, off = sel & 0xfff8u, raw;
	enum x86_exit ex;

	if (sel & 4) {
		const struct vcpu_segment *ldt = &v->seg[VCPU_SEG_LDTR];

		if (ldt->unusable || !(ldt->selector & 0xfffc))
			return x86_raise_err(c, X86_EXC_GP, x86_sel_err(sel, ext));
		base = ldt->base;
		limit = ldt->limit;
	}
	if (off + 7 > limit)
		return x86_raise_err(c, X86_EXC_GP, x86_sel_err(sel, ext));
	ex = x86_mem_read_sys(c, base + off, &raw, 8);
	if (ex)
		return ex;
	decode(raw, d);
	d->la = base + off;
	return X86_EXIT_NONE;
}

enum x86_exit x86_desc_probe_accessed(struct x86_cpu *c, const struct x86_desc *d)
{
	if (!d->s || (d->type & X86_DESC_ACCESSED))
		return X86_EXIT_NONE;
	return x86_mem_cpl(c, 0, true, d->la + 5, NULL, NULL, 1, X86_ACC_WRITE, false);
}

enum x86_exit x86_desc_set_accessed(struct x86_cpu *c, struct x86_desc *d)
{
	uint8_t b;

	if (!d->s || (d->type & X86_DESC_ACCESSED))
		return X86_EXIT_NONE;
	d->type |= X86_DESC_ACCESSED;
	d->raw |= (uint64_t)X86_DESC_ACCESSED << 40;
	b = (uint8_t)(d->raw >> 40);
	return x86_mem_cpl(c, 0, true, d->la + 5, NULL, &b, 1, X86_ACC_WRITE, false);
}

void x86_desc_to_seg(const struct x86_desc *d, uint16_t sel, struct vcpu_segment *s)
{
	memset(s, 0, sizeof(*s));
	s->base = d->base;
	s->limit = d->limit;
	s->selector = sel;
	s->type = d->type;
	s->present = d->p;
	s->dpl = d->dpl;
	s->db = d->db;
	s->s = d->s;
	s->l = d->l;
	s->g = d->g;
	s->avl = d->avl;
}

void x86_seg_null(struct vcpu_segment *s, uint16_t sel, unsigned dpl)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->dpl = (uint8_t)dpl;
	s->unusable = 1;
}

void x86_seg_flat(struct vcpu_segment *s, uint16_t sel, bool code, unsigned dpl)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->limit = 0xffffffffu;
	s->type = code ? 0xb : 0x3;  /* execute/read or read/write, accessed */
	s->s = 1;
	s->present = 1;
	s->dpl = (uint8_t)dpl;
	s->l = code;
	s->db = !code;
	s->g = 1;
}
