/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture of the system-level vCPU tests: one vCPU on a heap buffer of
 * guest RAM (the test allocates RAM_SIZE bytes into `ram`), little-endian
 * 64-bit RAM accessors, flat segment registers, and running a few code bytes
 * at CODE (with NOPs after them, so that a fetch never runs out).
 */
#ifndef APXVM_TESTS_VCPU_FIXTURE_H
#define APXVM_TESTS_VCPU_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "x86/interp.h"

static uint8_t *ram;
static struct vcpu v;
static struct x86_cpu c;

static inline uint64_t get64(uint64_t pa)
{
	uint64_t x;

	memcpy(&x, ram + pa, 8);
	return x;
}

static inline void set64(uint64_t pa, uint64_t x)
{
	memcpy(ram + pa, &x, 8);
}

/* A flat 64-bit code (L=1) or data (D/B=1) segment register. */
static inline void load_seg(unsigned r, uint16_t sel, unsigned dpl, bool code)
{
	struct vcpu_segment *s = &v.seg[r];

	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->type = code ? 0xb : 0x3;
	s->s = s->present = s->g = 1;
	s->dpl = (uint8_t)dpl;
	s->l = code;
	s->db = !code;
	s->limit = 0xffffffff;
}

#ifdef CODE
/* One instruction: `code` at CODE, RIP = CODE, x86_step. */
static inline enum x86_exit step(const uint8_t *code, unsigned n)
{
	memcpy(ram + CODE, code, n);
	memset(ram + CODE + n, 0x90, 16);
	v.regs.rip = CODE;
	return x86_step(&c);
}
#endif

#endif
