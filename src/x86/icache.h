/* SPDX-License-Identifier: MIT */
/*
 * Decoded-instruction cache of the software vCPU.
 *
 * Decoding is a pure function of the instruction bytes, so a decoded
 * instruction (and its handler) can be reused as long as its bytes in guest
 * RAM are unchanged.  Entries are keyed by the guest-physical address of the
 * first byte; only instructions that lie within one 4 KiB page are cached.
 * Every page that holds a cached instruction is marked in code_page[], and
 * every write to guest RAM by the vCPU (x86_mem_write, accessed/dirty bits)
 * checks that mark: a write to a code page drops the whole cache
 * (self-modifying code is rare; a generation counter makes the drop O(pages
 * marked)).  Translation and permission checks of the fetch still happen on
 * every instruction, so paging changes need nothing here.
 *
 * Optional: c->icache == NULL means no caching (unit tests, apxvm exec), and
 * the interpreter behaves exactly as without it.
 */
#ifndef APXVM_X86_ICACHE_H
#define APXVM_X86_ICACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "x86/insn.h"

#define X86_ICACHE_ENTRIES 8192u   /* power of two */

struct x86_cpu;
typedef enum x86_exit (*x86_icache_handler)(struct x86_cpu *c, const struct x86_insn *in);

struct x86_icache_entry {
	uint64_t key;               /* pa | gen << 46; 0 = empty */
	x86_icache_handler h;
	struct x86_insn in;
};

struct x86_icache {
	struct x86_icache_entry *e;
	uint8_t *code_page;         /* 1 per 4 KiB page of guest RAM that holds cached code */
	uint64_t npages;
	uint64_t gen;               /* 1.. ; bumped by every flush */
};

/* Attach a cache to c (for c->ram_size bytes of RAM): 0, or -1 (out of memory). */
int x86_icache_init(struct x86_cpu *c);
void x86_icache_free(struct x86_cpu *c);
/* Drop every entry (also what a write to a code page does). */
void x86_icache_flush(struct x86_cpu *c);

static inline uint64_t x86_icache_key(const struct x86_icache *ic, uint64_t pa)
{
	return pa | ic->gen << 46;
}

static inline struct x86_icache_entry *x86_icache_slot(struct x86_icache *ic, uint64_t pa)
{
	return &ic->e[(pa ^ (pa >> 12)) & (X86_ICACHE_ENTRIES - 1)];
}

/* A write of len >= 1 bytes at guest-physical pa (inside RAM) is about to happen. */
static inline void x86_icache_note_write(struct x86_icache *ic, struct x86_cpu *c,
					 uint64_t pa, unsigned len)
{
	if (ic && (ic->code_page[pa >> 12] | ic->code_page[(pa + len - 1) >> 12]))
		x86_icache_flush(c);
}

#endif
