/* SPDX-License-Identifier: MIT */
/*
 * ELF64 guest loader.
 *
 * elf_load() checks every header field it uses against the file size and the
 * guest RAM size (with overflow-safe arithmetic), then copies each PT_LOAD
 * segment's p_filesz bytes to guest-physical p_paddr and zeroes the rest up
 * to p_memsz.  Nothing is written to guest RAM unless the whole file passed
 * the checks, and nothing outside [0, ram_size) is ever touched.
 *
 * The 64-bit entry (../shared/bench/README.md, "_start64" contract) comes
 * from the X86BENCH note (PT_NOTE, name "X86BENCH", type 1, desc = entry64,
 * image_start, image_end) or else from the symbol "_start64" in the symbol
 * table.  It must lie inside a loaded executable segment.  Guests are
 * identity-mapped, so PT_LOAD segments must have p_vaddr == p_paddr.
 *
 * The file is untrusted: every failure returns -1 with a message in err that
 * names the file offset or guest address involved.
 */
#ifndef APXVM_VMM_ELF_H
#define APXVM_VMM_ELF_H

#include <stddef.h>
#include <stdint.h>

/* Limits (sanity bounds on hostile files). */
#define ELF_MAX_PHDRS    64	/* program headers in the file */
#define ELF_MAX_SEGMENTS 16	/* PT_LOAD segments */
#define ELF_MAX_SHDRS    4096	/* section headers (only read for _start64) */

/* How the entry was found.  A later issue adds the 32-bit Multiboot entry
 * (ELF_ENTRY_MULTIBOOT32: e_entry of an ELF32/ELF64 with a Multiboot
 * header, entered in 32-bit protected mode). */
enum elf_entry_kind {
	ELF_ENTRY_NONE = 0,
	ELF_ENTRY_NOTE64,	/* X86BENCH note, entry64 */
	ELF_ENTRY_SYM64,	/* symbol _start64 */
};

struct elf_segment {
	uint64_t paddr;		/* guest-physical load address (== p_vaddr) */
	uint64_t filesz;
	uint64_t memsz;
	uint64_t offset;	/* file offset */
	uint32_t flags;		/* PF_X = 1, PF_W = 2, PF_R = 4 */
};

struct elf_image {
	enum elf_entry_kind entry_kind;
	uint64_t entry;		/* 64-bit entry (RIP) */
	uint64_t e_entry;	/* ELF header entry (e.g. a 32-bit entry) */
	/* Extent of guest memory the image uses: from the note if present,
	 * else [lowest p_paddr, highest p_paddr + p_memsz) of PT_LOAD. */
	uint64_t image_start, image_end;
	uint64_t load_start, load_end;	/* PT_LOAD extent */
	unsigned nsegs;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/* Validate and load an ELF64 x86-64 executable into ram[0, ram_size).
 * Returns 0 on success (out filled in), -1 on error (message in err, which
 * may be NULL; guest RAM untouched). */
int elf_load(const uint8_t *file, size_t size, uint8_t *ram, uint64_t ram_size,
	     struct elf_image *out, char *err, size_t errlen);

/* "X86BENCH note", "_start64 symbol" or "none". */
const char *elf_entry_kind_name(enum elf_entry_kind k);

#endif
