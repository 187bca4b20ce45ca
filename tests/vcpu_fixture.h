/* SPDX-License-Identifier: MIT */
/*
 * Shared fixture of the system-level vCPU tests: one vCPU on a heap buffer of
 * guest RAM (the test allocates RAM_SIZE bytes into `ram`), little-endian
 * 64-bit RAM accessors, flat segment registers (set_cpl for tests that
 * define KCS/KDS/UCS/UDS), exception checks, and running a few code bytes
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

#ifdef RAM_SIZE
/* Point the interpreter at v and the RAM_SIZE bytes of `ram`, nothing else set. */
static inline void attach_cpu(void)
{
	memset(&c, 0, sizeof(c));
	c.v = &v;
	c.ram = ram;
	c.ram_size = RAM_SIZE;
}
#endif

/* The step raised `vec` with error code `err` (err < 0: no error code). */
static inline bool exc(enum x86_exit ex, unsigned vec, int err)
{
	if (ex != X86_EXIT_EXCEPTION || c.exc.vector != vec)
		return false;
	return err < 0 ? !c.exc.has_error : (c.exc.has_error && c.exc.error == (uint32_t)err);
}

#if defined(KCS) && defined(KDS) && defined(UCS) && defined(UDS)
/* CPL 0 or 3 with the matching flat CS/SS. */
static inline void set_cpl(unsigned cpl)
{
	v.cpl = (uint8_t)cpl;
	load_seg(VCPU_SEG_CS, cpl ? UCS : KCS, cpl, true);
	load_seg(VCPU_SEG_SS, cpl ? UDS : KDS, cpl, false);
}
#endif

#ifdef CODE
/* The instruction at CODE, `len` bytes long, retired. */
static inline bool retired(enum x86_exit ex, unsigned len)
{
	return ex == X86_EXIT_NONE && v.regs.rip == CODE + len;
}

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
