/* SPDX-License-Identifier: MIT */
/*
 * Long-mode 4-level paging for the software vCPU: the page walker and a
 * small software TLB.  x86/mem.c calls x86_translate() for every guest
 * access when CR0.PG is set; with PG clear the flat path is unchanged.
 *
 * Supported: CR0.PG + CR4.PAE + EFER.LMA (4-level), 4 KiB / 2 MiB / 1 GiB
 * pages, P/RW/US/PS/XD (EFER.NXE), reserved-bit checks (MAXPHYADDR 46, the
 * CPU model's value), CR0.WP, CR4.SMEP, CR4.SMAP (EFLAGS.AC honoured; every
 * access counts as explicit), accessed/dirty bits.  Not supported: 5-level
 * paging (CR4.LA57), legacy 32-bit and PAE paging, protection keys, PCID,
 * global pages (every flush drops everything, which is always allowed).
 *
 * Page-table entries and mapped frames outside guest RAM are never read:
 * they end the access with X86_EXIT_INTERNAL and c->why naming the linear
 * and guest-physical addresses ("garbage page tables end the run").
 *
 * Accessed/dirty bits are written only after the whole walk and every
 * permission check succeeded, and only when they change, so a faulting
 * access leaves guest memory untouched.
 */
#ifndef APXVM_X86_PAGING_H
#define APXVM_X86_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#define X86_TLB_SIZE 256u          /* direct-mapped, indexed by the low VPN bits */
#define X86_MAXPHYADDR 46u         /* matches CPUID 0x80000008 of the CPU models */

/* Page-table entry bits. */
#define X86_PTE_P   (UINT64_C(1) << 0)
#define X86_PTE_RW  (UINT64_C(1) << 1)
#define X86_PTE_US  (UINT64_C(1) << 2)
#define X86_PTE_A   (UINT64_C(1) << 5)
#define X86_PTE_D   (UINT64_C(1) << 6)
#define X86_PTE_PS  (UINT64_C(1) << 7)
#define X86_PTE_XD  (UINT64_C(1) << 63)

/* TLB entry flags: the combined permissions of every level walked. */
#define X86_TLBF_VALID 0x01u
#define X86_TLBF_W     0x02u   /* RW set at every level */
#define X86_TLBF_U     0x04u   /* US set at every level */
#define X86_TLBF_NX    0x08u   /* XD set at some level (with EFER.NXE) */
#define X86_TLBF_D     0x10u   /* the leaf's dirty bit is known to be set */

struct x86_tlb_entry {
	uint64_t vpn;   /* linear address >> 12 */
	uint64_t pa;    /* guest-physical address of the 4 KiB frame */
	uint8_t flags;
	uint8_t shift;  /* 12, 21 or 30: the size of the page it came from */
};

struct x86_tlb {
	struct x86_tlb_entry e[X86_TLB_SIZE];
	/* The state the entries were filled under; a change flushes. */
	uint64_t cr3;
	bool nxe;
	bool keyed;
	uint64_t gen;          /* bumped by every flush and INVLPG (keys derived caches) */
	/*
	 * The last page translated per access kind (READ, WRITE, FETCH), kept
	 * outside the TLB so that straight-line code and repeated accesses to one
	 * page skip the lookup.  Valid while gen and every input of the permission
	 * check (CR0, CR3, CR4, EFER, CPL, EFLAGS.AC) are unchanged; a WRITE entry
	 * exists only once the walk has set the dirty bit.
	 */
	struct x86_tlb_last {
		uint64_t vpn, pa, gen, cr0, cr3, cr4, efer;
		uint8_t cpl;
		bool ac, valid;
	} last[3];
	uint64_t hits, walks;  /* statistics for tests and --trace */
	char why[160];         /* X86_EXIT_INTERNAL messages that name addresses */
};

#include "x86/interp.h"

/*
 * Paging is on: every access is translated.  CR0.PG with CR4.PAE clear counts
 * as off (flat): in long mode that state is unreachable (MOV CR0/CR4 must #GP
 * on it), legacy 32-bit paging is not implemented, and test harnesses that
 * describe a host-like CR0 (tests/diff/core.h: PG set, PAE clear, flat RAM)
 * keep their flat memory.  PG+PAE without EFER.LMA (legacy PAE paging) is
 * X86_EXIT_INTERNAL.
 */
static inline bool x86_paging_on(const struct vcpu *v)
{
	return (v->cr0 & X86_CR0_PG) && (v->cr4 & X86_CR4_PAE);
}

/*
 * Translate linear address `la` (canonical, checked by the caller) for one
 * access of `kind` at the current CPL.  On success *pa is the guest-physical
 * address of `la` (not range-checked against RAM).  Otherwise returns
 * X86_EXIT_EXCEPTION (#PF, c->exc.error and c->exc.cr2 = la) or
 * X86_EXIT_INTERNAL (unsupported paging mode or a table outside RAM).
 */
enum x86_exit x86_translate(struct x86_cpu *c, uint64_t la, enum x86_access_kind kind,
			    uint64_t *pa);

/*
 * x86_translate, then check that the n bytes at the result (n must not cross
 * the 4 KiB page of `la`) are in guest RAM and return their host address.
 * A frame outside RAM is X86_EXIT_INTERNAL with c->why naming both addresses.
 * commit=false only checks: no accessed/dirty update, no TLB fill (the first
 * pass over a multi-page access, so that a fault on a later page leaves even
 * the earlier pages' A/D bits alone).
 */
enum x86_exit x86_translate_host(struct x86_cpu *c, uint64_t la, unsigned n,
				 enum x86_access_kind kind, bool commit, uint8_t **host);

/* Drop every TLB entry (MOV CR3, and CR0/CR4/EFER writes that change paging). */
void x86_tlb_flush(struct x86_cpu *c);
/* Drop the entry for the page holding `la` (INVLPG). */
void x86_tlb_invlpg(struct x86_cpu *c, uint64_t la);

#endif
