/* SPDX-License-Identifier: MIT */
/* Long-mode 4-level page walker and software TLB (see paging.h). */
#include <stdio.h>
#include <string.h>

#include "x86/paging.h"

#define ADDR_MASK (((UINT64_C(1) << X86_MAXPHYADDR) - 1) & ~UINT64_C(0xfff))
/* Bits 51:MAXPHYADDR must be zero in every entry. */
#define RSVD_HIGH ((((UINT64_C(1) << 52) - 1)) & ~((UINT64_C(1) << X86_MAXPHYADDR) - 1))

void x86_tlb_flush(struct x86_cpu *c)
{
	memset(c->tlb.e, 0, sizeof(c->tlb.e));
	c->tlb.cr3 = c->v->cr3;
	c->tlb.nxe = (c->v->efer & X86_EFER_NXE) != 0;
	c->tlb.keyed = true;
	c->tlb.gen++;
}

void x86_tlb_invlpg(struct x86_cpu *c, uint64_t la)
{
	unsigned i;

	c->tlb.gen++;
	/* An entry from a large page is dropped whatever 4 KiB part of it `la` names. */
	for (i = 0; i < X86_TLB_SIZE; i++) {
		struct x86_tlb_entry *e = &c->tlb.e[i];

		if ((e->flags & X86_TLBF_VALID) &&
		    ((e->vpn << 12) >> e->shift) == (la >> e->shift))
			e->flags = 0;
	}
}

static enum x86_exit internal(struct x86_cpu *c, const char *what, uint64_t la, uint64_t pa)
{
	snprintf(c->tlb.why, sizeof(c->tlb.why),
		 "%s: linear 0x%llx, guest physical 0x%llx is outside RAM (0x%llx bytes)",
		 what, (unsigned long long)la, (unsigned long long)pa,
		 (unsigned long long)c->ram_size);
	c->why = c->tlb.why;
	return X86_EXIT_INTERNAL;
}

static enum x86_exit pf(struct x86_cpu *c, uint64_t la, enum x86_access_kind kind, uint32_t err)
{
	const struct vcpu *v = c->v;
	enum x86_exit ex;

	if (kind == X86_ACC_WRITE)
		err |= X86_PF_W;
	if (v->cpl == 3)
		err |= X86_PF_U;
	if (kind == X86_ACC_FETCH && ((v->efer & X86_EFER_NXE) || (v->cr4 & X86_CR4_SMEP)))
		err |= X86_PF_I;
	ex = x86_raise_err(c, X86_EXC_PF, err);
	c->exc.cr2 = la;
	return ex;
}

/* Permission check of the combined flags of a translation at the current CPL. */
static bool allowed(const struct x86_cpu *c, unsigned flags, enum x86_access_kind kind)
{
	const struct vcpu *v = c->v;
	bool user = v->cpl == 3;

	if (user && !(flags & X86_TLBF_U))
		return false;
	if (kind == X86_ACC_WRITE && !(flags & X86_TLBF_W) && (user || (v->cr0 & X86_CR0_WP)))
		return false;
	if (kind == X86_ACC_FETCH) {
		if (flags & X86_TLBF_NX)
			return false;
		if (!user && (flags & X86_TLBF_U) && (v->cr4 & X86_CR4_SMEP))
			return false;
	} else if (!user && (flags & X86_TLBF_U) && (v->cr4 & X86_CR4_SMAP) &&
		   !(v->regs.rflags & X86_FLAGS_AC)) {
		return false;
	}
	return true;
}

static enum x86_exit read_entry(struct x86_cpu *c, uint64_t ea, uint64_t la, uint64_t *val)
{
	if (ea > c->ram_size || c->ram_size - ea < 8)
		return internal(c, "page-table entry", la, ea);
	memcpy(val, c->ram + ea, 8);
	return X86_EXIT_NONE;
}

/* commit: set A/D in guest RAM (otherwise only check; *out is filled either way). */
static enum x86_exit walk(struct x86_cpu *c, uint64_t la, enum x86_access_kind kind,
			  bool commit, struct x86_tlb_entry *out)
{
	const struct vcpu *v = c->v;
	bool nxe = (v->efer & X86_EFER_NXE) != 0;
	uint64_t rsvd_all = RSVD_HIGH | (nxe ? 0 : X86_PTE_XD);
	uint64_t ent_addr[4], ent[4];
	uint64_t table = v->cr3 & ADDR_MASK;
	unsigned flags = X86_TLBF_W | X86_TLBF_U, level, n = 0, shift = 12;
	uint64_t frame = 0;
	enum x86_exit ex;

	if (!(v->efer & X86_EFER_LMA)) {
		snprintf(c->tlb.why, sizeof(c->tlb.why),
			 "paging mode not supported (only 4-level long mode): CR0 0x%llx CR4 0x%llx EFER 0x%llx, linear 0x%llx",
			 (unsigned long long)v->cr0, (unsigned long long)v->cr4,
			 (unsigned long long)v->efer, (unsigned long long)la);
		c->why = c->tlb.why;
		return X86_EXIT_INTERNAL;
	}
	if (v->cr4 & X86_CR4_LA57) {
		c->why = "5-level paging (CR4.LA57) is not supported";
		return X86_EXIT_INTERNAL;
	}
	c->tlb.walks++;
	for (level = 4; level >= 1; level--) {
		unsigned s = 12 + 9 * (level - 1);
		uint64_t ea = table + ((la >> s) & 0x1ff) * 8;
		uint64_t e, rsvd = rsvd_all;
		bool leaf;

		ex = read_entry(c, ea, la, &e);
		if (ex)
			return ex;
		if (!(e & X86_PTE_P))
			return pf(c, la, kind, 0);
		leaf = level == 1 || (level <= 3 && (e & X86_PTE_PS));
		if (level == 4)
			rsvd |= X86_PTE_PS;
		else if (leaf && level == 3)
			rsvd |= UINT64_C(0x3fffe000);   /* bits 29:13 of a 1 GiB page */
		else if (leaf && level == 2)
			rsvd |= UINT64_C(0x1fe000);     /* bits 20:13 of a 2 MiB page */
		if (e & rsvd)
			return pf(c, la, kind, X86_PF_P | X86_PF_RSVD);
		if (!(e & X86_PTE_RW))
			flags &= ~X86_TLBF_W;
		if (!(e & X86_PTE_US))
			flags &= ~X86_TLBF_U;
		if (nxe && (e & X86_PTE_XD))
			flags |= X86_TLBF_NX;
		ent_addr[n] = ea;
		ent[n++] = e;
		if (leaf) {
			uint64_t page_mask = (UINT64_C(1) << s) - 1;

			shift = s;
			frame = ((e & ADDR_MASK & ~page_mask) | (la & page_mask)) & ~UINT64_C(0xfff);
			break;
		}
		table = e & ADDR_MASK;
	}
	if (!allowed(c, flags, kind))
		return pf(c, la, kind, X86_PF_P);
	/* Success: set A on every entry used and D on the leaf for writes. */
	for (level = 0; level < n; level++) {
		uint64_t e = ent[level] | X86_PTE_A;

		if (level == n - 1 && kind == X86_ACC_WRITE)
			e |= X86_PTE_D;
		if (commit && e != ent[level]) {
			x86_icache_note_write(c->icache, c, ent_addr[level], 8);
			memcpy(c->ram + ent_addr[level], &e, 8);
		}
		if (level == n - 1 && (e & X86_PTE_D))
			flags |= X86_TLBF_D;
	}
	out->vpn = la >> 12;
	out->pa = frame;
	out->flags = (uint8_t)(flags | X86_TLBF_VALID);
	out->shift = (uint8_t)shift;
	return X86_EXIT_NONE;
}

static enum x86_exit lookup(struct x86_cpu *c, uint64_t la, enum x86_access_kind kind,
			    bool commit, uint64_t *pa)
{
	const struct vcpu *v = c->v;
	uint64_t vpn = la >> 12;
	struct x86_tlb_entry *e = &c->tlb.e[vpn & (X86_TLB_SIZE - 1)], tmp;
	enum x86_exit ex;

	if (!c->tlb.keyed || c->tlb.cr3 != v->cr3 ||
	    c->tlb.nxe != ((v->efer & X86_EFER_NXE) != 0))
		x86_tlb_flush(c);
	if ((e->flags & X86_TLBF_VALID) && e->vpn == vpn && allowed(c, e->flags, kind) &&
	    (kind != X86_ACC_WRITE || (e->flags & X86_TLBF_D))) {
		c->tlb.hits++;
		*pa = e->pa | (la & 0xfff);
		return X86_EXIT_NONE;
	}
	/* Miss, or a hit that would fault or must set D: the walk decides. */
	if (!commit) {
		ex = walk(c, la, kind, false, &tmp);
		if (ex)
			return ex;
		*pa = tmp.pa | (la & 0xfff);
		return X86_EXIT_NONE;
	}
	e->flags = 0;
	ex = walk(c, la, kind, true, e);
	if (ex)
		return ex;
	*pa = e->pa | (la & 0xfff);
	return X86_EXIT_NONE;
}

enum x86_exit x86_translate(struct x86_cpu *c, uint64_t la, enum x86_access_kind kind,
			    uint64_t *pa)
{
	return lookup(c, la, kind, true, pa);
}

enum x86_exit x86_translate_host(struct x86_cpu *c, uint64_t la, unsigned n,
				 enum x86_access_kind kind, bool commit, uint8_t **host)
{
	uint64_t pa;
	enum x86_exit ex = lookup(c, la, kind, commit, &pa);

	if (ex)
		return ex;
	if (pa >= c->ram_size || c->ram_size - pa < n)
		return internal(c, "mapped page", la, pa);
	*host = c->ram + pa;
	return X86_EXIT_NONE;
}
