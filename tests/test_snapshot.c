/* SPDX-License-Identifier: MIT */
/*
 * Snapshot files (src/vmm/snapshot.h, snapshot_vm.h, docs/snapshot.md):
 * a VM round trip through a file (every register, R16..R31 included, RAM,
 * UART, exit device, instruction count), then the reader on hostile
 * buffers: every truncation, byte flips, and targeted field changes with a
 * recomputed checksum, each refused with the reason it names.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vcpu/abi.h"
#include "vcpu/xstate.h"
#include "vmm/snapshot.h"
#include "vmm/snapshot_vm.h"
#include "x86/interp.h"
#include "tap.h"

static char dir[64];

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void fix_crc(uint8_t *buf, size_t len)
{
	put32(buf + len - 4, snap_crc32(0, buf, len - 4));
}

/* Offset of the payload of section `type` in a well-formed buffer (0: none). */
static size_t sec_off(const uint8_t *buf, uint32_t type)
{
	uint32_t n;
	size_t off = SNAP_HDR_SIZE;

	memcpy(&n, buf + 12, 4);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t t;

		memcpy(&t, buf + off, 4);
		if (t == type)
			return off + SNAP_SEC_HDR_SIZE;
		off += SNAP_SEC_HDR_SIZE + get64(buf + off + 8);
	}
	return 0;
}

/* A VM with known, non-trivial state everywhere a snapshot looks. */
static void fill_vm(struct vm *vm)
{
	struct vcpu *v = &vm->vcpu;

	vm_boot64(vm, 0x100000);
	v->cr4 |= X86_CR4_OSXSAVE;
#ifdef CONFIG_APX
	v->xcr0 = VCPU_XCR0_X87 | VCPU_XCR0_SSE | VCPU_XCR0_APX;
#else
	v->xcr0 = VCPU_XCR0_X87 | VCPU_XCR0_SSE;
#endif
	vcpu_update_apx(v);
	for (unsigned r = 0; r < NR_VCPU_GENERAL_PURPOSE_REGS; r++)
		vcpu_gpr_index_write(&v->regs, r, 0x1111111111111111ull * (r % 15 + 1) + r);
	v->regs.rip = 0x100123;
	v->regs.rflags = X86_FLAGS_FIXED | X86_FLAGS_CF | X86_FLAGS_ZF;
	v->fs_base = 0x7000;
	v->msr.lstar = 0xffffffff81000000ull;
	v->msr.star = 0x0023001000000000ull;
	v->msr.tsc_offset = 12345;
	v->fpu.fxsave[160] = 0xaa;          /* XMM0 byte 0 */
	vm->cpu.icount = 987654321;
	memset(vm->ram + 0x1000, 0x5a, 4096);
	vm->ram[0x200000 + 17] = 1;
	vm->ram[vm->ram_size - 1] = 0xff;
	uart_write(&vm->com1, UART_IER, 0x03);
	uart_write(&vm->com1, UART_SCR, 0x42);
	uart_write(&vm->com1, UART_IIR_FCR, 0x01);
	(void)uart_receive(&vm->com1, 'x');
	(void)uart_receive(&vm->com1, 'y');
	(void)uart_read(&vm->com1, UART_RBR_THR);   /* head moves to 1 */
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static uint8_t *good;       /* the reference snapshot */
static size_t good_len;

/* Parse a copy of `good` changed by `edit`: 0 accepted, -1 refused (err has why). */
static int parse_edit(void (*edit)(uint8_t *, size_t *), bool crc, char *err, size_t errlen)
{
	size_t len = good_len;
	uint8_t *b = malloc(good_len + 64);
	struct snap_view v;
	int rc;

	memcpy(b, good, good_len);
	edit(b, &len);
	if (crc)
		fix_crc(b, len);
	rc = snap_parse(b, len, &v, err, errlen);
	free(b);
	return rc;
}

static void round_trip(void)
{
	struct vm *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct kvm_sregs sa, sb;
	struct vcpu_abi_gprs ga, gb;
	struct snap_view v;
	char path[96], err[512] = "";
	uint64_t used = 0;
	bool same;

	ok(!vm_init(a, 4, vcpu_cpu_model_default(), NULL, err, sizeof(err)), "vm_init: %s", err);
	fill_vm(a);
	snprintf(path, sizeof(path), "%s/a.snap", dir);
	ok(!snap_save_vm(a, SNAP_RUNNABLE, path, err, sizeof(err)), "save: %s", err);
	good = read_all(path, &good_len);
	ok(good && good_len > SNAP_HDR_SIZE && good_len < 64 * 1024,
	   "the file holds only the non-zero pages (%zu bytes for 4 MiB of RAM)", good_len);
	if (!good)
		exit(1);
	ok(!snap_parse(good, good_len, &v, err, sizeof(err)), "parse: %s", err);
	for (uint64_t pg = 0; pg < a->ram_size; pg += 4096)
		used += memcmp(a->ram + pg, a->ram + 0x3000, 4096) != 0;  /* page 3 is zero */
	ok(v.npages == used && used >= 3 && v.machine.icount == 987654321 && v.machine.ram_size == a->ram_size &&
	   !strcmp(v.machine.model, a->model->name), "machine section: model, RAM size, icount; %" PRIu64 " non-zero pages", used);
	ok(!snap_restore_vm(b, &v, NULL, NULL, err, sizeof(err)), "restore: %s", err);

	vcpu_abi_get_gprs(&a->vcpu, &ga);
	vcpu_abi_get_gprs(&b->vcpu, &gb);
	ok(!memcmp(&ga, &gb, sizeof(ga)), "all %d GPRs restored", NR_VCPU_GENERAL_PURPOSE_REGS);
#ifdef CONFIG_APX
	ok(vcpu_gpr_index_read(&b->vcpu.regs, 31) == vcpu_gpr_index_read(&a->vcpu.regs, 31) &&
	   vcpu_gpr_index_read(&b->vcpu.regs, 31) != 0 && b->vcpu.apx_enabled,
	   "R31 came back through XSAVE component 19, APX enabled");
#endif
	ok(b->vcpu.regs.rip == 0x100123 && b->vcpu.regs.rflags == a->vcpu.regs.rflags, "RIP, RFLAGS");
	vcpu_abi_get_sregs(&a->vcpu, &sa);
	vcpu_abi_get_sregs(&b->vcpu, &sb);
	ok(!memcmp(&sa, &sb, sizeof(sa)) && b->vcpu.cpl == a->vcpu.cpl, "sregs, CPL");
	ok(b->vcpu.xcr0 == a->vcpu.xcr0 && !memcmp(b->vcpu.fpu.fxsave, a->vcpu.fpu.fxsave, 512),
	   "XCR0 and the x87/SSE image");
	ok(!memcmp(&b->vcpu.msr, &a->vcpu.msr, sizeof(a->vcpu.msr)) &&
	   b->vcpu.fs_base == 0x7000, "MSRs (TSC offset relative to the instruction count)");
	ok(b->cpu.icount == a->cpu.icount && !memcmp(a->ram, b->ram, a->ram_size), "icount, RAM");
	/* Saving the restored VM gives the same bytes. */
	snprintf(path, sizeof(path), "%s/b.snap", dir);
	ok(!snap_save_vm(b, SNAP_RUNNABLE, path, err, sizeof(err)), "save again: %s", err);
	{
		size_t n = 0;
		uint8_t *again = read_all(path, &n);

		ok(again && n == good_len && !memcmp(again, good, n),
		   "saving the restored VM writes the same %zu bytes", n);
		free(again);
	}
	same = b->com1.ier == 0x03 && b->com1.scr == 0x42 && b->com1.fcr == 0x01 &&
	       b->com1.rx_head == 1 && b->com1.rx_count == 1 && b->com1.rx[1] == 'y' &&
	       b->com1.tx != NULL;
	ok(same && uart_read(&b->com1, UART_RBR_THR) == 'y', "UART registers and receive FIFO");
#ifdef CONFIG_APX
	{
		struct vm *c = calloc(1, sizeof(*c));

		err[0] = 0;
		ok(snap_restore_vm(c, &v, "noapx", NULL, err, sizeof(err)) &&
		   strstr(err, "APX") && strstr(err, "noapx"),
		   "XCR0 with APX on --cpu noapx refused: %s", err);
		free(c);
	}
#endif
	vm_destroy(a);
	vm_destroy(b);
	free(a);
	free(b);
	unlink(path);
	snprintf(path, sizeof(path), "%s/a.snap", dir);
	unlink(path);
}

/* ---- targeted edits of `good` -------------------------------------------- */

static void e_none(uint8_t *b, size_t *n) { (void)b; (void)n; }
static void e_version(uint8_t *b, size_t *n) { (void)n; put32(b + 8, 2); }
static void e_magic(uint8_t *b, size_t *n) { (void)n; b[0] = 'X'; }
static void e_nsec_big(uint8_t *b, size_t *n) { (void)n; put32(b + 12, 100000); }
static void e_nsec_more(uint8_t *b, size_t *n) { (void)n; put32(b + 12, 10); }
static void e_nsec_less(uint8_t *b, size_t *n) { (void)n; put32(b + 12, 8); }
static void e_size_huge(uint8_t *b, size_t *n) { (void)n; put64(b + 16, UINT64_MAX); }
static void e_trailing(uint8_t *b, size_t *n) { b[(*n)++] = 0; }
static void e_reserved(uint8_t *b, size_t *n) { (void)n; b[24] = 1; }
static void e_flip(uint8_t *b, size_t *n) { b[*n / 2] ^= 0x10; }

static void e_sec_len_huge(uint8_t *b, size_t *n)
{
	(void)n;
	put64(b + sec_off(b, SNAP_SEC_REGS) - 8, 1ull << 40);
}

static void e_sec_len_past(uint8_t *b, size_t *n)
{
	(void)n;
	put64(b + sec_off(b, SNAP_SEC_UART) - 8, 0);	/* shorter than the record */
}

static void e_unknown_mand(uint8_t *b, size_t *n) { (void)n; put32(b + sec_off(b, SNAP_SEC_EXITDEV) - 16, 99); }
static void e_dup(uint8_t *b, size_t *n) { (void)n; put32(b + sec_off(b, SNAP_SEC_EXITDEV) - 16, SNAP_SEC_UART); }
static void e_flags(uint8_t *b, size_t *n) { (void)n; put32(b + sec_off(b, SNAP_SEC_UART) - 12, 3); }

/* Insert an unknown section of 8 bytes after the header, with the given flags. */
static uint32_t ins_flags;
static void e_insert(uint8_t *b, size_t *n)
{
	uint32_t nsec;

	memmove(b + SNAP_HDR_SIZE + 24, b + SNAP_HDR_SIZE, *n - SNAP_HDR_SIZE);
	put32(b + SNAP_HDR_SIZE, 1000);
	put32(b + SNAP_HDR_SIZE + 4, ins_flags);
	put64(b + SNAP_HDR_SIZE + 8, 8);
	put64(b + SNAP_HDR_SIZE + 16, 0x0123456789abcdefull);
	*n += 24;
	memcpy(&nsec, b + 12, 4);
	put32(b + 12, nsec + 1);
	put64(b + 16, *n);
}

static void e_ram_big(uint8_t *b, size_t *n) { (void)n; put64(b + sec_off(b, SNAP_SEC_MACHINE) + 16, 32ull << 30); }
static void e_ram_odd(uint8_t *b, size_t *n) { (void)n; put64(b + sec_off(b, SNAP_SEC_MACHINE) + 16, 6ull << 20); }
static void e_ram_small(uint8_t *b, size_t *n) { (void)n; put64(b + sec_off(b, SNAP_SEC_MACHINE) + 16, 2ull << 20); }
static void e_model_nul(uint8_t *b, size_t *n) { (void)n; memset(b + sec_off(b, SNAP_SEC_MACHINE), 'a', 16); }
static void e_model_chr(uint8_t *b, size_t *n) { (void)n; b[sec_off(b, SNAP_SEC_MACHINE)] = '/'; }
static void e_model_unk(uint8_t *b, size_t *n)
{
	(void)n;
	memset(b + sec_off(b, SNAP_SEC_MACHINE), 0, SNAP_MODEL_LEN);
	memcpy(b + sec_off(b, SNAP_SEC_MACHINE), "zz9", 3);
}

static void e_state(uint8_t *b, size_t *n) { (void)n; b[sec_off(b, SNAP_SEC_MACHINE) + 32] = 9; }
static void e_ram_hdr_size(uint8_t *b, size_t *n) { (void)n; put64(b + sec_off(b, SNAP_SEC_RAM), 8ull << 20); }
static void e_ram_pgsz(uint8_t *b, size_t *n) { (void)n; put32(b + sec_off(b, SNAP_SEC_RAM) + 8, 8192); }
static void e_ram_np(uint8_t *b, size_t *n) { (void)n; put64(b + sec_off(b, SNAP_SEC_RAM) + 16, 4); }
static void e_ram_np_huge(uint8_t *b, size_t *n) { (void)n; put64(b + sec_off(b, SNAP_SEC_RAM) + 16, 1ull << 62); }
static void e_ram_order(uint8_t *b, size_t *n) { (void)n; put64(b + sec_off(b, SNAP_SEC_RAM) + 24 + SNAP_RAM_REC_SIZE, 0); }
static void e_ram_range(uint8_t *b, size_t *n) { (void)n; put64(b + sec_off(b, SNAP_SEC_RAM) + 24 + 2 * SNAP_RAM_REC_SIZE, 1024); }
static void e_uart_head(uint8_t *b, size_t *n) { (void)n; b[sec_off(b, SNAP_SEC_UART) + 10] = 16; }
static void e_uart_count(uint8_t *b, size_t *n) { (void)n; b[sec_off(b, SNAP_SEC_UART) + 11] = 17; }
static void e_uart_base(uint8_t *b, size_t *n) { (void)n; b[sec_off(b, SNAP_SEC_UART)] = 0; }
static void e_exit_req(uint8_t *b, size_t *n) { (void)n; b[sec_off(b, SNAP_SEC_EXITDEV)] = 2; }
static void e_exit_val(uint8_t *b, size_t *n) { (void)n; b[sec_off(b, SNAP_SEC_EXITDEV) + 4] = 7; }
static void e_msrs_n(uint8_t *b, size_t *n) { (void)n; put32(b + sec_off(b, SNAP_SEC_MSRS), 1000); }
static void e_msrs_pad(uint8_t *b, size_t *n) { (void)n; put32(b + sec_off(b, SNAP_SEC_MSRS) + 4, 1); }

struct edit_case {
	void (*edit)(uint8_t *, size_t *);
	bool crc;            /* recompute the checksum after the edit */
	const char *want;    /* substring of the message; NULL: accepted */
	const char *what;
};

static const struct edit_case cases[] = {
	{ e_none, false, NULL, "the reference snapshot is accepted" },
	{ e_magic, true, "bad magic", "wrong magic" },
	{ e_version, false, "version 2", "version 2 (checked before the checksum)" },
	{ e_nsec_big, false, "oversized: 100000 sections", "section count above the limit" },
	{ e_nsec_more, true, "runs past the end", "more sections announced than present" },
	{ e_nsec_less, true, "bytes between the last section", "fewer sections announced" },
	{ e_size_huge, false, "oversized", "file size field above the limit" },
	{ e_trailing, false, "the header says", "bytes after the end" },
	{ e_reserved, true, "reserved header", "reserved header field" },
	{ e_flip, false, "checksum mismatch", "one flipped bit in RAM data" },
	{ e_sec_len_huge, true, "oversized: the regs section", "section length above its limit" },
	{ e_sec_len_past, true, "uart section is 0 bytes", "section shorter than its record" },
	{ e_unknown_mand, true, "unknown mandatory section type 99", "unknown mandatory section" },
	{ e_dup, true, "a second uart section", "duplicate section" },
	{ e_flags, true, "unknown flags", "unknown section flags" },
	{ e_ram_big, true, "oversized: RAM size 32768 MiB", "RAM above 16 GiB" },
	{ e_ram_odd, true, "does not fit|holds 0x", "RAM size differs from the RAM section" },
	{ e_ram_small, true, "at least 4 MiB", "RAM below 4 MiB" },
	{ e_model_nul, true, "NUL-padded", "model name without NUL" },
	{ e_model_chr, true, "byte 0x2f", "model name with '/'" },
	{ e_model_unk, true, NULL, "unknown model parses (restore refuses it)" },
	{ e_state, true, "run state 9", "unknown run state" },
	{ e_ram_hdr_size, true, "RAM section holds", "RAM section size differs from the machine" },
	{ e_ram_pgsz, true, "page size 8192", "RAM page size" },
	{ e_ram_np, true, "do not fit", "RAM page count vs section length" },
	{ e_ram_np_huge, true, "do not fit", "RAM page count near 2^62 (no overflow)" },
	{ e_ram_order, true, "out of order", "RAM pages out of order" },
	{ e_ram_range, true, "out of range", "RAM page past the end of RAM" },
	{ e_uart_head, true, "UART state", "UART FIFO head 16" },
	{ e_uart_count, true, "UART state", "UART FIFO count 17" },
	{ e_uart_base, true, "UART state", "UART base not COM1" },
	{ e_exit_req, true, "exit device", "exit device flag 2" },
	{ e_exit_val, true, "exit device", "exit device value without a request" },
	{ e_msrs_n, true, "msrs section", "MSR count vs section length" },
	{ e_msrs_pad, true, "msrs section", "MSR header padding" },
};

static bool match(const char *err, const char *want)
{
	char alt[128];
	const char *bar = strchr(want, '|');

	if (!bar)
		return strstr(err, want) != NULL;
	snprintf(alt, sizeof(alt), "%.*s", (int)(bar - want), want);
	return strstr(err, alt) || strstr(err, bar + 1);
}

static void edits(void)
{
	char err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct edit_case *c = &cases[i];
		int rc;

		err[0] = 0;
		rc = parse_edit(c->edit, c->crc, err, sizeof(err));
		if (c->want)
			ok(rc == -1 && match(err, c->want), "%s: refused (%s)", c->what, err);
		else
			ok(rc == 0, "%s%s%s", c->what, err[0] ? ": " : "", err);
	}
	ins_flags = 0;
	ok(!parse_edit(e_insert, true, err, sizeof(err)), "unknown optional section skipped");
	ins_flags = SNAP_SEC_MANDATORY;
	ok(parse_edit(e_insert, true, err, sizeof(err)) && strstr(err, "mandatory section type 1000"),
	   "the same section marked mandatory refused: %s", err);
}

/* Model the build lacks / --cpu of another model (restore side). */
static void restore_refusals(void)
{
	uint8_t *b = malloc(good_len);
	struct snap_view v;
	struct vm *vm = calloc(1, sizeof(*vm));
	char err[512] = "";
	size_t off;

	memcpy(b, good, good_len);
	e_model_unk(b, NULL);
	fix_crc(b, good_len);
	ok(!snap_parse(b, good_len, &v, err, sizeof(err)) &&
	   snap_restore_vm(vm, &v, NULL, NULL, err, sizeof(err)) && strstr(err, "model mismatch"),
	   "unknown CPU model refused at restore: %s", err);

	/* An EFER with LMA but not LME: the ABI's sregs check refuses it. */
	memcpy(b, good, good_len);
	off = sec_off(b, SNAP_SEC_SREGS) + offsetof(struct kvm_sregs, efer);
	put64(b + off, X86_EFER_LMA);
	fix_crc(b, good_len);
	err[0] = 0;
	ok(!snap_parse(b, good_len, &v, err, sizeof(err)) &&
	   snap_restore_vm(vm, &v, NULL, NULL, err, sizeof(err)) && strstr(err, "sregs"),
	   "inconsistent EFER refused by the ABI validation: %s", err);

	/* XSTATE_BV with a bit the model lacks. */
	memcpy(b, good, good_len);
	off = sec_off(b, SNAP_SEC_XSAVE) + VCPU_XSAVE_XSTATE_BV_OFFSET;
	b[off + 1] |= 0x80;   /* bit 15 */
	fix_crc(b, good_len);
	err[0] = 0;
	ok(!snap_parse(b, good_len, &v, err, sizeof(err)) &&
	   snap_restore_vm(vm, &v, NULL, NULL, err, sizeof(err)) && strstr(err, "xsave"),
	   "XSTATE_BV bit 15 refused by the ABI validation: %s", err);
	free(b);
	free(vm);
}

/* Every prefix is refused; random damage is refused or restores cleanly. */
static void hostile(void)
{
	uint8_t *b = malloc(good_len);
	struct snap_view v;
	char err[512];
	size_t bad = 0, step = good_len / 997 + 1;
	unsigned accepted = 0, restored = 0, silent = 0;

	for (size_t n = 0; n < good_len; n++)
		if (!snap_parse(good, n, &v, err, sizeof(err)) || !strstr(err, "truncated"))
			bad++;
	ok(bad == 0, "all %zu truncations refused as truncated", good_len);

	bad = 0;
	for (size_t i = 0; i < good_len; i += step) {
		memcpy(b, good, good_len);
		b[i] ^= (uint8_t)(1u << (i % 8));
		if (!snap_parse(b, good_len, &v, err, sizeof(err)))
			bad++;
	}
	ok(bad == 0, "single-bit flips at %zu offsets all refused", good_len / step);

	/* Random damage to the section headers and small sections, checksum fixed. */
	for (int it = 0; it < 400; it++) {
		size_t lim = sec_off(good, SNAP_SEC_RAM) + 64;

		memcpy(b, good, good_len);
		for (int k = 0, nk = (int)(rnd() % 4) + 1; k < nk; k++)
			b[rnd() % lim] = (uint8_t)rnd();
		fix_crc(b, good_len);
		err[0] = 0;
		if (snap_parse(b, good_len, &v, err, sizeof(err))) {
			silent += !err[0];
			continue;
		}
		accepted++;
		if (v.machine.ram_size <= (64u << 20)) {
			struct vm vm;

			err[0] = 0;
			if (!snap_restore_vm(&vm, &v, NULL, NULL, err, sizeof(err))) {
				restored++;
				vm_destroy(&vm);
			} else {
				silent += !err[0];
			}
		}
	}
	ok(accepted > 0 && !silent,
	   "400 random edits with a valid checksum: %u parsed, %u restored, every refusal "
	   "says why (%u silent)", accepted, restored, silent);
	free(b);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_snapshot.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	ok(snap_crc32(0, "123456789", 9) == 0xCBF43926u, "CRC-32 check value");
	round_trip();
	edits();
	restore_refusals();
	hostile();
	rmdir(dir);
	free(good);
	return done_testing();
}
