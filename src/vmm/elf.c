/* SPDX-License-Identifier: MIT */
/* ELF64 guest loader: see elf.h.  Written from the ELF-64 specification. */
#include "vmm/elf.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vcpu/errfmt.h"

/* Field layout of the ELF64 structures (offsets in bytes). */
#define EHDR_SIZE   64
#define PHDR_SIZE   56
#define SHDR_SIZE   64
#define SYM_SIZE    24

#define ET_EXEC     2
#define EM_X86_64   62
#define PT_LOAD     1
#define PT_NOTE     4
#define PF_X        1
#define SHT_SYMTAB  2
#define SHT_STRTAB  3

#define NOTE_TYPE_X86BENCH 1
#define NOTE_DESC_SIZE     24

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

/* The shared "format into err, return -1" helper of the vCPU ABI. */
#define fail(err, errlen, ...)	vcpu_errfmt(err, errlen, -1, __VA_ARGS__)

/* [off, off + len) lies within [0, limit): overflow-safe. */
static bool range_ok(uint64_t off, uint64_t len, uint64_t limit)
{
	return off <= limit && len <= limit - off;
}

/* The program or the section header table, as the ELF header describes it. */
struct hdr_table {
	const char *name;	/* "program", "section" */
	char x;			/* 'p', 's': e_Xhoff, e_Xhentsize, e_Xhnum */
	uint8_t off_at;		/* file offset of e_Xhoff */
	uint8_t entsize_at;	/* ... of e_Xhentsize; e_Xhnum follows it */
	uint16_t entsize, max;
};

static const struct hdr_table phdr_table = { "program", 'p', 0x20, 0x36, PHDR_SIZE, ELF_MAX_PHDRS };
static const struct hdr_table shdr_table = { "section", 's', 0x28, 0x3a, SHDR_SIZE, ELF_MAX_SHDRS };

/* Entry size as expected, at most t->max entries, the whole table in the file. */
static int check_table(const struct hdr_table *t, const uint8_t *file, size_t size,
		       char *err, size_t errlen)
{
	uint64_t off = rd64(file + t->off_at);
	unsigned entsize = rd16(file + t->entsize_at), num = rd16(file + t->entsize_at + 2);

	if (entsize != t->entsize)
		return fail(err, errlen, "e_%chentsize %u at file offset 0x%x, expected %u",
			    t->x, entsize, t->entsize_at, t->entsize);
	if (num > t->max)
		return fail(err, errlen, "e_%chnum %u at file offset 0x%x is more than %u",
			    t->x, num, t->entsize_at + 2, t->max);
	if (!range_ok(off, (uint64_t)num * t->entsize, size))
		return fail(err, errlen,
			    "%s headers at e_%choff 0x%llx (%u x %u bytes) run past the end of the file (size 0x%llx)",
			    t->name, t->x, (unsigned long long)off, num, t->entsize,
			    (unsigned long long)size);
	return 0;
}

const char *elf_entry_kind_name(enum elf_entry_kind k)
{
	switch (k) {
	case ELF_ENTRY_NOTE64:
		return "X86BENCH note";
	case ELF_ENTRY_SYM64:
		return "_start64 symbol";
	default:
		return "none";
	}
}

/* Look for the X86BENCH note in one PT_NOTE segment.  Returns 1 if found
 * (entry, image_start, image_end filled in), 0 if not, -1 on a bad note. */
static int scan_notes(const uint8_t *file, unsigned idx, uint64_t off,
		      uint64_t len, uint64_t align, uint64_t d[3],
		      char *err, size_t errlen)
{
	uint64_t pos = 0;
	uint64_t a = align == 8 ? 8 : 4;

	/* Each iteration advances pos by at least 12, so this is bounded. */
	while (pos < len) {
		uint64_t at = off + pos;
		uint32_t namesz, descsz, type;
		uint64_t name_pad, desc_pad, name_at, desc_at;

		if (len - pos < 12)
			return fail(err, errlen,
				"note segment %u: note header at file offset 0x%llx is truncated (0x%llx bytes left)",
				idx, (unsigned long long)at,
				(unsigned long long)(len - pos));
		namesz = rd32(file + at);
		descsz = rd32(file + at + 4);
		type = rd32(file + at + 8);
		/* bytes from the name to the desc: the desc starts at the next
		 * a-aligned offset after header + name (a = 4, or 8 if the
		 * segment is 8-aligned) */
		name_pad = ((12 + (uint64_t)namesz + a - 1) & ~(a - 1)) - 12;
		desc_pad = ((uint64_t)descsz + a - 1) & ~(a - 1);
		if (name_pad > len - pos - 12 ||
		    descsz > len - pos - 12 - name_pad)
			return fail(err, errlen,
				"note segment %u: note at file offset 0x%llx: namesz 0x%x + descsz 0x%x run past the end of the segment (0x%llx bytes left)",
				idx, (unsigned long long)at, namesz, descsz,
				(unsigned long long)(len - pos - 12));
		name_at = at + 12;
		desc_at = name_at + name_pad;
		if (namesz == 9 && memcmp(file + name_at, "X86BENCH", 9) == 0 &&
		    type == NOTE_TYPE_X86BENCH) {
			if (descsz != NOTE_DESC_SIZE)
				return fail(err, errlen,
					"X86BENCH note at file offset 0x%llx: descsz 0x%x, expected 0x%x",
					(unsigned long long)at, descsz,
					NOTE_DESC_SIZE);
			d[0] = rd64(file + desc_at);
			d[1] = rd64(file + desc_at + 8);
			d[2] = rd64(file + desc_at + 16);
			return 1;
		}
		/* the last note's desc padding may be missing */
		if (desc_pad > len - pos - 12 - name_pad)
			break;
		pos += 12 + name_pad + desc_pad;
	}
	return 0;
}

/* Find _start64 in the symbol table.  Returns 1 found, 0 not, -1 error. */
static int find_start64(const uint8_t *file, size_t size, uint64_t *val,
			char *err, size_t errlen)
{
	uint64_t shoff = rd64(file + 0x28);
	uint16_t shnum = rd16(file + 0x3c);
	unsigned i;

	if (shnum == 0 || shoff == 0)
		return 0;
	if (check_table(&shdr_table, file, size, err, errlen))
		return -1;
	for (i = 0; i < shnum; i++) {
		const uint8_t *sh = file + shoff + (uint64_t)i * SHDR_SIZE;
		const uint8_t *st;
		uint64_t off, sz, entsz, stroff, strsz, n, k;
		uint32_t link;

		if (rd32(sh + 4) != SHT_SYMTAB)
			continue;
		off = rd64(sh + 0x18);
		sz = rd64(sh + 0x20);
		link = rd32(sh + 0x28);
		entsz = rd64(sh + 0x38);
		if (entsz != SYM_SIZE || sz % SYM_SIZE)
			return fail(err, errlen,
				"section %u (symtab, header at file offset 0x%llx): sh_entsize 0x%llx / sh_size 0x%llx not a multiple of %u",
				i, (unsigned long long)(shoff + (uint64_t)i * SHDR_SIZE),
				(unsigned long long)entsz, (unsigned long long)sz,
				SYM_SIZE);
		if (!range_ok(off, sz, size))
			return fail(err, errlen,
				"section %u (symtab): sh_offset 0x%llx + sh_size 0x%llx is past the end of the file (size 0x%llx)",
				i, (unsigned long long)off, (unsigned long long)sz,
				(unsigned long long)size);
		if (link == 0 || link >= shnum)
			return fail(err, errlen,
				"section %u (symtab): sh_link %u is not a valid section index (e_shnum %u)",
				i, link, shnum);
		st = file + shoff + (uint64_t)link * SHDR_SIZE;
		if (rd32(st + 4) != SHT_STRTAB)
			return fail(err, errlen,
				"section %u (symtab): sh_link %u (header at file offset 0x%llx) is not a string table",
				i, link,
				(unsigned long long)(shoff + (uint64_t)link * SHDR_SIZE));
		stroff = rd64(st + 0x18);
		strsz = rd64(st + 0x20);
		if (!range_ok(stroff, strsz, size))
			return fail(err, errlen,
				"section %u (strtab): sh_offset 0x%llx + sh_size 0x%llx is past the end of the file (size 0x%llx)",
				link, (unsigned long long)stroff,
				(unsigned long long)strsz,
				(unsigned long long)size);
		n = sz / SYM_SIZE;	/* bounded by the file size */
		for (k = 0; k < n; k++) {
			const uint8_t *sym = file + off + k * SYM_SIZE;
			uint32_t name = rd32(sym);
			static const char want[] = "_start64";

			/* name + "_start64\0" must fit in the string table */
			if (!range_ok(name, sizeof(want), strsz))
				continue;
			if (memcmp(file + stroff + name, want, sizeof(want)))
				continue;
			*val = rd64(sym + 8);
			return 1;
		}
		return 0;	/* only the first symbol table is used */
	}
	return 0;
}

int elf_load(const uint8_t *file, size_t size, uint8_t *ram, uint64_t ram_size,
	     struct elf_image *out, char *err, size_t errlen)
{
	struct elf_image img;
	uint64_t phoff, d[3] = { 0, 0, 0 };
	uint16_t phnum;
	unsigned i, j;
	bool have_note = false;
	int r;

	memset(&img, 0, sizeof(img));
	if (err && errlen)
		err[0] = 0;
	if (!file || !out || (!ram && ram_size))
		return fail(err, errlen, "elf_load: bad arguments");
	if (size < EHDR_SIZE)
		return fail(err, errlen,
			"file is truncated: size 0x%llx is smaller than the ELF header (0x%x bytes)",
			(unsigned long long)size, EHDR_SIZE);
	if (memcmp(file, "\x7f" "ELF", 4))
		return fail(err, errlen, "bad ELF magic at file offset 0 (not an ELF file)");
	if (file[4] != 2)
		return fail(err, errlen,
			"EI_CLASS %u at file offset 0x4: not ELFCLASS64 (only 64-bit ELF is supported)",
			file[4]);
	if (file[5] != 1)
		return fail(err, errlen,
			"EI_DATA %u at file offset 0x5: not little-endian", file[5]);
	if (file[6] != 1)
		return fail(err, errlen,
			"EI_VERSION %u at file offset 0x6: expected 1", file[6]);
	if (rd16(file + 0x10) != ET_EXEC)
		return fail(err, errlen,
			"e_type %u at file offset 0x10: not ET_EXEC (2)",
			rd16(file + 0x10));
	if (rd16(file + 0x12) != EM_X86_64)
		return fail(err, errlen,
			"e_machine %u at file offset 0x12: not EM_X86_64 (62)",
			rd16(file + 0x12));
	if (rd32(file + 0x14) != 1)
		return fail(err, errlen,
			"e_version %u at file offset 0x14: expected 1",
			rd32(file + 0x14));
	if (rd16(file + 0x34) < EHDR_SIZE)
		return fail(err, errlen,
			"e_ehsize %u at file offset 0x34 is smaller than %u",
			rd16(file + 0x34), EHDR_SIZE);
	img.e_entry = rd64(file + 0x18);
	phoff = rd64(file + 0x20);
	phnum = rd16(file + 0x38);
	if (phnum == 0)
		return fail(err, errlen, "e_phnum is 0 at file offset 0x38: no program headers");
	if (check_table(&phdr_table, file, size, err, errlen))
		return -1;

	/* Pass 1: validate every program header we use. */
	for (i = 0; i < phnum; i++) {
		const uint8_t *ph = file + phoff + (uint64_t)i * PHDR_SIZE;
		uint32_t type = rd32(ph);
		uint64_t off = rd64(ph + 0x08), vaddr = rd64(ph + 0x10);
		uint64_t paddr = rd64(ph + 0x18), filesz = rd64(ph + 0x20);
		uint64_t memsz = rd64(ph + 0x28), align = rd64(ph + 0x30);
		struct elf_segment *s;

		if (type != PT_LOAD && type != PT_NOTE)
			continue;
		if (!range_ok(off, filesz, size))
			return fail(err, errlen,
				"segment %u: p_offset 0x%llx + p_filesz 0x%llx is past the end of the file (size 0x%llx)",
				i, (unsigned long long)off,
				(unsigned long long)filesz,
				(unsigned long long)size);
		if (type == PT_NOTE) {
			if (have_note)
				continue;
			r = scan_notes(file, i, off, filesz, align, d, err, errlen);
			if (r < 0)
				return -1;
			if (r > 0)
				have_note = true;
			continue;
		}
		if (filesz > memsz)
			return fail(err, errlen,
				"segment %u: p_filesz 0x%llx is larger than p_memsz 0x%llx",
				i, (unsigned long long)filesz,
				(unsigned long long)memsz);
		if (vaddr != paddr)
			return fail(err, errlen,
				"segment %u: p_vaddr 0x%llx differs from p_paddr 0x%llx (guests are identity-mapped)",
				i, (unsigned long long)vaddr,
				(unsigned long long)paddr);
		if (!range_ok(paddr, memsz, ram_size))
			return fail(err, errlen,
				"segment %u: guest address 0x%llx + p_memsz 0x%llx is outside guest RAM (size 0x%llx)",
				i, (unsigned long long)paddr,
				(unsigned long long)memsz,
				(unsigned long long)ram_size);
		if (memsz == 0)
			continue;
		if (img.nsegs >= ELF_MAX_SEGMENTS)
			return fail(err, errlen,
				"segment %u: more than %u PT_LOAD segments",
				i, ELF_MAX_SEGMENTS);
		for (j = 0; j < img.nsegs; j++) {
			const struct elf_segment *o = &img.seg[j];

			if (paddr < o->paddr + o->memsz &&
			    o->paddr < paddr + memsz)
				return fail(err, errlen,
					"segment %u: guest range [0x%llx, 0x%llx) overlaps an earlier PT_LOAD segment at [0x%llx, 0x%llx)",
					i, (unsigned long long)paddr,
					(unsigned long long)(paddr + memsz),
					(unsigned long long)o->paddr,
					(unsigned long long)(o->paddr + o->memsz));
		}
		s = &img.seg[img.nsegs++];
		s->paddr = paddr;
		s->filesz = filesz;
		s->memsz = memsz;
		s->offset = off;
		s->flags = rd32(ph + 4);
		if (img.nsegs == 1 || paddr < img.load_start)
			img.load_start = paddr;
		if (paddr + memsz > img.load_end)
			img.load_end = paddr + memsz;
	}
	if (img.nsegs == 0)
		return fail(err, errlen, "no PT_LOAD segment with p_memsz > 0");

	/* The 64-bit entry. */
	if (have_note) {
		img.entry_kind = ELF_ENTRY_NOTE64;
		img.entry = d[0];
		img.image_start = d[1];
		img.image_end = d[2];
		if (d[1] > d[2] || d[2] > ram_size)
			return fail(err, errlen,
				"X86BENCH note: image [0x%llx, 0x%llx) is not a range inside guest RAM (size 0x%llx)",
				(unsigned long long)d[1],
				(unsigned long long)d[2],
				(unsigned long long)ram_size);
	} else {
		uint64_t v = 0;

		r = find_start64(file, size, &v, err, errlen);
		if (r < 0)
			return -1;
		if (r == 0)
			return fail(err, errlen,
				"no 64-bit entry: neither an X86BENCH note nor a _start64 symbol (e_entry 0x%llx)",
				(unsigned long long)img.e_entry);
		img.entry_kind = ELF_ENTRY_SYM64;
		img.entry = v;
		img.image_start = img.load_start;
		img.image_end = img.load_end;
	}
	if (img.entry >= ram_size)
		return fail(err, errlen,
			"entry 0x%llx (%s) is outside guest RAM (size 0x%llx)",
			(unsigned long long)img.entry,
			elf_entry_kind_name(img.entry_kind),
			(unsigned long long)ram_size);
	for (j = 0; j < img.nsegs; j++) {
		const struct elf_segment *s = &img.seg[j];

		if (img.entry >= s->paddr && img.entry - s->paddr < s->memsz)
			break;
	}
	if (j == img.nsegs)
		return fail(err, errlen,
			"entry 0x%llx (%s) is not inside any loaded segment",
			(unsigned long long)img.entry,
			elf_entry_kind_name(img.entry_kind));
	if (!(img.seg[j].flags & PF_X))
		return fail(err, errlen,
			"entry 0x%llx (%s) is in a segment at 0x%llx that is not executable",
			(unsigned long long)img.entry,
			elf_entry_kind_name(img.entry_kind),
			(unsigned long long)img.seg[j].paddr);

	/* Pass 2: everything checked; copy and zero. */
	for (j = 0; j < img.nsegs; j++) {
		const struct elf_segment *s = &img.seg[j];

		memcpy(ram + s->paddr, file + s->offset, (size_t)s->filesz);
		memset(ram + s->paddr + s->filesz, 0,
		       (size_t)(s->memsz - s->filesz));
	}
	*out = img;
	return 0;
}
