/* SPDX-License-Identifier: MIT */
/*
 * ELF64 guest loader (src/vmm/elf.h): a valid file built in memory loads
 * where expected and zeroes bss; hostile variants each fail with a clear
 * message and leave guest RAM (and the guard bytes around it) untouched.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/elf.h"
#include "tap.h"

#define RAM_SIZE 0x10000u
#define GUARD    256u
#define FSIZE    0x600u

static uint8_t ram_buf[GUARD + RAM_SIZE + GUARD];
static uint8_t *const ram = ram_buf + GUARD;
static uint8_t f[FSIZE];

static void w16(size_t o, uint16_t v) { f[o] = (uint8_t)v; f[o + 1] = (uint8_t)(v >> 8); }
static void w32(size_t o, uint32_t v) { w16(o, (uint16_t)v); w16(o + 2, (uint16_t)(v >> 16)); }
static void w64(size_t o, uint64_t v) { w32(o, (uint32_t)v); w32(o + 4, (uint32_t)(v >> 32)); }

#define PH(i) (0x40u + (i) * 56u)

static void phdr(unsigned i, uint32_t type, uint32_t flags, uint64_t off,
		 uint64_t addr, uint64_t filesz, uint64_t memsz)
{
	w32(PH(i), type);
	w32(PH(i) + 4, flags);
	w64(PH(i) + 8, off);
	w64(PH(i) + 0x10, addr);
	w64(PH(i) + 0x18, addr);
	w64(PH(i) + 0x20, filesz);
	w64(PH(i) + 0x28, memsz);
	w64(PH(i) + 0x30, 4);
}

/*
 * Layout of the valid file:
 *   0x000 ELF header, 0x040 3 program headers
 *   0x200 text (0x40 bytes, 0xA0..) -> 0x1000, R+X
 *   0x240 data (0x10 bytes, 0xD0..) -> 0x2000, memsz 0x100 (bss), R+W
 *   0x260 X86BENCH note (48 bytes): entry 0x1010, image [0x1000, 0x3000)
 *   0x300 symtab (2 syms), 0x340 strtab "\0_start64\0" (_start64 = 0x1020)
 *   0x400 section headers: null, symtab, strtab
 */
static void build(int with_note)
{
	unsigned i;

	memset(f, 0, sizeof(f));
	memcpy(f, "\x7f" "ELF", 4);
	f[4] = 2; f[5] = 1; f[6] = 1;
	w16(0x10, 2);
	w16(0x12, 62);
	w32(0x14, 1);
	w64(0x18, 0x1004);	/* e_entry: a "32-bit" entry */
	w64(0x20, 0x40);
	w64(0x28, 0x400);
	w16(0x34, 64);
	w16(0x36, 56);
	w16(0x38, 3);
	w16(0x3a, 64);
	w16(0x3c, 3);
	phdr(0, 1, 5, 0x200, 0x1000, 0x40, 0x40);
	phdr(1, 1, 6, 0x240, 0x2000, 0x10, 0x100);
	phdr(2, with_note ? 4 : 6 /* PT_PHDR: ignored */, 4, 0x260, 0, 48, 48);
	for (i = 0; i < 0x40; i++)
		f[0x200 + i] = (uint8_t)(0xA0 + i);
	for (i = 0; i < 0x10; i++)
		f[0x240 + i] = (uint8_t)(0xD0 + i);
	w32(0x260, 9); w32(0x264, 24); w32(0x268, 1);
	memcpy(f + 0x26c, "X86BENCH", 9);
	w64(0x278, 0x1010); w64(0x280, 0x1000); w64(0x288, 0x3000);
	/* symtab: null symbol + _start64 */
	w32(0x318, 1); w64(0x318 + 8, 0x1020);
	memcpy(f + 0x341, "_start64", 9);
	/* section 1: symtab */
	w32(0x440 + 4, 2); w64(0x440 + 0x18, 0x300); w64(0x440 + 0x20, 48);
	w32(0x440 + 0x28, 2); w64(0x440 + 0x38, 24);
	/* section 2: strtab */
	w32(0x480 + 4, 3); w64(0x480 + 0x18, 0x340); w64(0x480 + 0x20, 10);
}

static int ram_untouched(void)
{
	size_t i;

	for (i = 0; i < sizeof(ram_buf); i++)
		if (ram_buf[i] != 0xCC)
			return 0;
	return 1;
}

static int guards_ok(void)
{
	size_t i;

	for (i = 0; i < GUARD; i++)
		if (ram_buf[i] != 0xCC || ram[RAM_SIZE + i] != 0xCC)
			return 0;
	return 1;
}

/* Load f[0, size) and expect failure with `phrase` in the message. */
static void expect_fail(const char *what, size_t size, uint64_t ram_size,
			const char *phrase)
{
	struct elf_image img;
	char err[256];
	int r;

	memset(ram_buf, 0xCC, sizeof(ram_buf));
	r = elf_load(f, size, ram, ram_size, &img, err, sizeof(err));
	ok(r == -1 && strstr(err, phrase) != NULL, "%s: fails with \"%s\"", what, phrase);
	if (r != -1 || !strstr(err, phrase))
		diag("got %d: %s", r, err);
	ok(ram_untouched(), "%s: guest RAM and guards untouched", what);
}

static void test_valid(void)
{
	struct elf_image img;
	char err[256];
	int r, good;
	unsigned i;

	build(1);
	memset(ram_buf, 0xCC, sizeof(ram_buf));
	r = elf_load(f, FSIZE, ram, RAM_SIZE, &img, err, sizeof(err));
	ok(r == 0, "valid: loads (%s)", r ? err : "ok");
	ok(img.entry_kind == ELF_ENTRY_NOTE64 && img.entry == 0x1010,
	   "valid: entry 0x%llx from %s", (unsigned long long)img.entry,
	   elf_entry_kind_name(img.entry_kind));
	ok(img.image_start == 0x1000 && img.image_end == 0x3000 &&
	   img.e_entry == 0x1004 && img.nsegs == 2,
	   "valid: image extent, e_entry and segment count");
	good = 1;
	for (i = 0; i < 0x40; i++)
		good &= ram[0x1000 + i] == (uint8_t)(0xA0 + i);
	for (i = 0; i < 0x10; i++)
		good &= ram[0x2000 + i] == (uint8_t)(0xD0 + i);
	ok(good, "valid: file bytes copied to p_paddr");
	good = 1;
	for (i = 0x10; i < 0x100; i++)
		good &= ram[0x2000 + i] == 0;
	ok(good, "valid: bss zeroed up to p_memsz");
	ok(ram[0xfff] == 0xCC && ram[0x1040] == 0xCC && ram[0x2100] == 0xCC &&
	   guards_ok(), "valid: nothing written outside the segments");

	/* no note: falls back to the _start64 symbol */
	build(0);
	memset(ram_buf, 0xCC, sizeof(ram_buf));
	r = elf_load(f, FSIZE, ram, RAM_SIZE, &img, err, sizeof(err));
	ok(r == 0 && img.entry_kind == ELF_ENTRY_SYM64 && img.entry == 0x1020,
	   "symbol: entry 0x%llx from %s (%s)", (unsigned long long)img.entry,
	   elf_entry_kind_name(img.entry_kind), r ? err : "ok");
	ok(img.image_start == 0x1000 && img.image_end == 0x2100,
	   "symbol: image extent from PT_LOAD");
}

static void test_bad(void)
{
	static const size_t cuts[] = { 0, 3, 63, 0x40 + 56 * 3 - 1, 0x220, 0x255, 0x270 };
	char name[64];
	unsigned i;

	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		build(1);
		snprintf(name, sizeof(name), "truncated at 0x%zx", cuts[i]);
		expect_fail(name, cuts[i], RAM_SIZE,
			    i < 3 ? "truncated" : "past the end of the file");
	}
	/* symbol path with the file cut inside the section headers */
	build(0);
	expect_fail("truncated in section headers", 0x450, RAM_SIZE,
		    "section headers at e_shoff 0x400");

	build(1); f[1] = 'X';
	expect_fail("bad magic", FSIZE, RAM_SIZE, "bad ELF magic");
	build(1); f[4] = 1;
	expect_fail("ELFCLASS32", FSIZE, RAM_SIZE, "not ELFCLASS64");
	build(1); f[5] = 2;
	expect_fail("big-endian", FSIZE, RAM_SIZE, "not little-endian");
	build(1); w16(0x12, 3);
	expect_fail("EM_386", FSIZE, RAM_SIZE, "not EM_X86_64");
	build(1); w16(0x10, 3);
	expect_fail("ET_DYN", FSIZE, RAM_SIZE, "not ET_EXEC");
	build(1); w32(0x14, 2);
	expect_fail("e_version 2", FSIZE, RAM_SIZE, "e_version 2");
	build(1); w64(0x20, 0x5f0);
	expect_fail("phoff past EOF", FSIZE, RAM_SIZE, "e_phoff 0x5f0");
	build(1); w64(0x20, UINT64_MAX - 8);
	expect_fail("phoff overflows", FSIZE, RAM_SIZE, "run past the end of the file");
	build(1); w16(0x38, 0xffff);
	expect_fail("phnum huge", FSIZE, RAM_SIZE, "e_phnum 65535");
	build(1); w16(0x38, 0);
	expect_fail("phnum 0", FSIZE, RAM_SIZE, "no program headers");
	build(1); w16(0x36, 32);
	expect_fail("phentsize", FSIZE, RAM_SIZE, "e_phentsize 32");

	build(1); phdr(1, 1, 6, 0x240, 0x1030, 0x10, 0x100);
	expect_fail("overlapping segments", FSIZE, RAM_SIZE, "overlaps an earlier PT_LOAD");
	build(1); phdr(1, 1, 6, 0x240, 0xff80, 0x10, 0x100);
	expect_fail("segment outside RAM", FSIZE, RAM_SIZE,
		    "segment 1: guest address 0xff80 + p_memsz 0x100 is outside guest RAM");
	build(1); phdr(1, 1, 6, 0x240, UINT64_MAX - 0x10, 0x10, 0x100);
	expect_fail("segment address wraps", FSIZE, RAM_SIZE, "outside guest RAM");
	build(1); phdr(1, 1, 6, 0x240, 0x2000, 0x10, UINT64_MAX);
	expect_fail("memsz huge", FSIZE, RAM_SIZE, "outside guest RAM");
	build(1); phdr(1, 1, 6, 0x240, 0x2000, 0x200, 0x100);
	expect_fail("filesz > memsz", FSIZE, RAM_SIZE, "p_filesz 0x200 is larger than p_memsz 0x100");
	build(1); phdr(1, 1, 6, UINT64_MAX - 4, 0x2000, 0x10, 0x100);
	expect_fail("p_offset overflows", FSIZE, RAM_SIZE,
		    "segment 1: p_offset 0xfffffffffffffffb + p_filesz 0x10 is past the end of the file");
	build(1); phdr(1, 1, 6, 0x240, 0x2000, UINT64_MAX, UINT64_MAX);
	expect_fail("p_filesz overflows", FSIZE, RAM_SIZE, "past the end of the file");
	build(1); w64(PH(1) + 0x10, 0x4000);
	expect_fail("vaddr != paddr", FSIZE, RAM_SIZE, "differs from p_paddr");

	/* small RAM: text fits, data does not */
	build(1);
	expect_fail("RAM too small", FSIZE, 0x1800, "segment 1: guest address 0x2000");

	build(1); w64(0x278, 0x20000);
	expect_fail("entry outside RAM", FSIZE, RAM_SIZE, "entry 0x20000 (X86BENCH note) is outside guest RAM");
	build(1); w64(0x278, 0x1800);
	expect_fail("entry outside segments", FSIZE, RAM_SIZE, "not inside any loaded segment");
	build(1); w64(0x278, 0x2008);
	expect_fail("entry in data", FSIZE, RAM_SIZE, "not executable");
	build(1); w64(0x288, 0x20000);
	expect_fail("note image_end outside RAM", FSIZE, RAM_SIZE, "image [0x1000, 0x20000)");
	build(0); w64(0x318 + 8, 0x9000);
	expect_fail("symbol entry outside segments", FSIZE, RAM_SIZE,
		    "entry 0x9000 (_start64 symbol) is not inside any loaded segment");

	/* 8-aligned note segment: same layout for namesz 9 */
	build(1); w64(PH(2) + 0x30, 8);
	memset(ram_buf, 0xCC, sizeof(ram_buf));
	{
		struct elf_image img;
		char err[256];
		int r = elf_load(f, FSIZE, ram, RAM_SIZE, &img, err, sizeof(err));

		ok(r == 0 && img.entry == 0x1010 && guards_ok(),
		   "8-aligned note: entry 0x%llx (%s)",
		   (unsigned long long)img.entry, r ? err : "ok");
	}
	build(1); w32(0x264, 16);
	expect_fail("note descsz 16", FSIZE, RAM_SIZE, "descsz 0x10, expected 0x18");
	build(1); w32(0x264, 0x7fffffff);
	expect_fail("note descsz huge", FSIZE, RAM_SIZE, "run past the end of the segment");
	build(1); w32(0x260, 0xffffffff);
	expect_fail("note namesz huge", FSIZE, RAM_SIZE, "note at file offset 0x260");
	build(1); w64(PH(2) + 0x20, 8);
	expect_fail("note segment too small", FSIZE, RAM_SIZE, "is truncated");

	/* no note, no symbol */
	build(0); memcpy(f + 0x341, "_start65", 9);
	expect_fail("no entry", FSIZE, RAM_SIZE, "no 64-bit entry");
	build(0); w16(0x3c, 0);
	expect_fail("no entry, no sections", FSIZE, RAM_SIZE, "no 64-bit entry");
	build(0); w64(0x480 + 0x20, UINT64_MAX);
	expect_fail("strtab size huge", FSIZE, RAM_SIZE, "(strtab): sh_offset 0x340");
	build(0); w32(0x440 + 0x28, 7);
	expect_fail("symtab bad link", FSIZE, RAM_SIZE, "sh_link 7");
	build(0); w32(0x318, 0xfffffff0);
	expect_fail("symbol name out of strtab", FSIZE, RAM_SIZE, "no 64-bit entry");
	build(0); w16(0x3c, 0xffff);
	expect_fail("shnum huge", FSIZE, RAM_SIZE, "e_shnum 65535");

	/* more PT_LOAD segments than the limit (within the phnum limit) */
	build(1);
	w16(0x38, 20);
	for (i = 0; i < 20; i++)
		phdr(i, 1, 5, 0x200, 0x1000 + 0x100 * i, 0x10, 0x10);
	expect_fail("too many segments", FSIZE, RAM_SIZE, "more than 16 PT_LOAD");
}

static void test_bench_guest(void)
{
	const char *path = "/work/shared/bench/build/guest64.elf";
	FILE *fp = fopen(path, "rb");
	static uint8_t *gram;
	struct elf_image img;
	uint8_t *buf;
	long n;
	char err[256];
	int r;

	if (!fp) {
		printf("ok %d # SKIP %s not built\n", ++tap_n, path);
		return;
	}
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	gram = calloc(1, 4u << 20);
	if (!buf || !gram || n <= 0 || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		ok(0, "read %s", path);
	} else {
		r = elf_load(buf, (size_t)n, gram, 4u << 20, &img, err, sizeof(err));
		ok(r == 0 && img.entry == 0x100040,
		   "guest64.elf: entry 0x%llx from %s (%s)",
		   (unsigned long long)img.entry,
		   elf_entry_kind_name(img.entry_kind), r ? err : "ok");
	}
	fclose(fp);
	free(buf);
	free(gram);
}

int main(void)
{
	test_valid();
	test_bad();
	test_bench_guest();
	return done_testing();
}
