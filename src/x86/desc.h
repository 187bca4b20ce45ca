/* SPDX-License-Identifier: MIT */
/*
 * Segment descriptors for the 64-bit-mode segment loads (MOV Sreg, far
 * transfers, IRET, event delivery): reading a selector's descriptor from
 * the GDT or LDT (implicit supervisor accesses), setting its accessed bit,
 * and turning it into the cached vcpu_segment.
 */
#ifndef APXVM_X86_DESC_H
#define APXVM_X86_DESC_H

#include <stdbool.h>
#include <stdint.h>

#include "x86/interp.h"

/* Descriptor type bits (S = 1). */
#define X86_DESC_ACCESSED   0x1u
#define X86_DESC_WRITABLE   0x2u  /* data: writable; code: readable */
#define X86_DESC_CONFORMING 0x4u  /* code */
#define X86_DESC_CODE       0x8u

struct x86_desc {
	uint64_t la;       /* linear address of the descriptor */
	uint64_t raw;
	uint64_t base;     /* 32 bits */
	uint32_t limit;    /* scaled by G */
	uint8_t type, s, dpl, p, avl, l, db, g;
};

/* Error code of a selector fault: index and TI, with the EXT bit. */
static inline uint32_t x86_sel_err(uint16_t sel, bool ext)
{
	return (uint32_t)(sel & 0xfffc) | (ext ? 1u : 0u);
}

static inline bool x86_desc_is_code(const struct x86_desc *d)
{
	return d->s && (d->type & X86_DESC_CODE);
}

static inline bool x86_desc_is_data(const struct x86_desc *d)
{
	return d->s && !(d->type & X86_DESC_CODE);
}

/*
 * Read the 8-byte descriptor of the non-null selector `sel` (TI = 1: the LDT
 * of LDTR).  Outside the table (or no usable LDT): #GP(sel + ext).  A fault of
 * the read itself (#PF) is returned as raised.
 */
enum x86_exit x86_desc_read(struct x86_cpu *c, uint16_t sel, bool ext, struct x86_desc *d);

/* Check that setting d's accessed bit can be written (nothing if already set). */
enum x86_exit x86_desc_probe_accessed(struct x86_cpu *c, const struct x86_desc *d);
/* Set it (after x86_desc_probe_accessed and every other check). */
enum x86_exit x86_desc_set_accessed(struct x86_cpu *c, struct x86_desc *d);

/* The segment-register cache for selector `sel` loaded from `d`. */
void x86_desc_to_seg(const struct x86_desc *d, uint16_t sel, struct vcpu_segment *s);
/* A null selector (RPL kept): unusable, DPL = `dpl` (for SS: the CPL). */
void x86_seg_null(struct vcpu_segment *s, uint16_t sel, unsigned dpl);
/* The fixed flat segments SYSCALL/SYSRET load: 64-bit code or writable data. */
void x86_seg_flat(struct vcpu_segment *s, uint16_t sel, bool code, unsigned dpl);

#endif
