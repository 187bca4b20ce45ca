/* SPDX-License-Identifier: MIT */
/* Snapshot container: writer, checked reader, CRC-32 (see snapshot.h). */
#include <inttypes.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/snapshot.h"

/* ---- little-endian fields ---------------------------------------------- */

static uint64_t get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* ---- CRC-32 ------------------------------------------------------------ */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

uint32_t snap_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!crc_table[1])
		crc_init();
	crc = ~crc;
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* ---- section table ----------------------------------------------------- */

struct sec_info {
	const char *name;
	uint64_t min, max;	/* payload length bounds (equal: fixed size) */
};

static const struct sec_info sec_info[SNAP_SEC_COUNT] = {
	[SNAP_SEC_MACHINE] = { "machine", SNAP_MACHINE_SIZE, SNAP_MACHINE_SIZE },
	[SNAP_SEC_REGS]    = { "regs", sizeof(struct kvm_regs), sizeof(struct kvm_regs) },
	[SNAP_SEC_SREGS]   = { "sregs", sizeof(struct kvm_sregs), sizeof(struct kvm_sregs) },
	[SNAP_SEC_XSAVE]   = { "xsave", sizeof(struct kvm_xsave), sizeof(struct kvm_xsave) },
	[SNAP_SEC_XCRS]    = { "xcrs", sizeof(struct kvm_xcrs), sizeof(struct kvm_xcrs) },
	[SNAP_SEC_MSRS]    = { "msrs", sizeof(struct kvm_msrs),
			       sizeof(struct kvm_msrs) + SNAP_MAX_MSRS * sizeof(struct kvm_msr_entry) },
	[SNAP_SEC_RAM]     = { "ram", SNAP_RAM_HDR_SIZE, SNAP_MAX_RAM_SEC },
	[SNAP_SEC_UART]    = { "uart", SNAP_UART_SIZE, SNAP_UART_SIZE },
	[SNAP_SEC_EXITDEV] = { "exitdev", SNAP_EXITDEV_SIZE, SNAP_EXITDEV_SIZE },
};

_Static_assert(sizeof(struct kvm_msrs) == 8 && sizeof(struct kvm_msr_entry) == 16,
	       "the MSRS section layout is the x86-64 KVM one");

/* ---- small records ----------------------------------------------------- */

void snap_machine_encode(const struct snap_machine *m, uint8_t out[SNAP_MACHINE_SIZE])
{
	memset(out, 0, SNAP_MACHINE_SIZE);
	memcpy(out, m->model, strnlen(m->model, SNAP_MODEL_LEN - 1));
	put_le(out + 16, m->ram_size, 8);
	put_le(out + 24, m->icount, 8);
	put_le(out + 32, m->run_state, 4);
}

void snap_uart_encode(const struct uart16550 *u, uint8_t out[SNAP_UART_SIZE])
{
	memset(out, 0, SNAP_UART_SIZE);
	put_le(out, u->base, 2);
	out[2] = u->ier;
	out[3] = u->lcr;
	out[4] = u->mcr;
	out[5] = u->scr;
	out[6] = u->fcr;
	out[7] = u->dll;
	out[8] = u->dlm;
	out[9] = u->thre_pending;
	out[10] = u->rx_head;
	out[11] = u->rx_count;
	memcpy(out + 12, u->rx, UART_RX_FIFO);
}

void snap_exitdev_encode(const struct exitdev *e, uint8_t out[SNAP_EXITDEV_SIZE])
{
	memset(out, 0, SNAP_EXITDEV_SIZE);
	out[0] = e->requested;
	out[1] = e->status;
	out[2] = (uint8_t)e->bytes;
	put_le(out + 4, e->value, 4);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

static int decode_machine(const uint8_t *p, struct snap_machine *m, char *err, size_t errlen)
{
	size_t n = strnlen((const char *)p, SNAP_MODEL_LEN);

	if (n == 0 || n == SNAP_MODEL_LEN || !all_zero(p + n, SNAP_MODEL_LEN - n))
		FAIL("corrupted: the machine section's CPU model name is not a NUL-padded string");
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') ||
		      p[i] == '-' || p[i] == '_'))
			FAIL("corrupted: the CPU model name has a byte 0x%02x", p[i]);
	memset(m, 0, sizeof(*m));
	memcpy(m->model, p, n);
	m->ram_size = get_le(p + 16, 8);
	m->icount = get_le(p + 24, 8);
	m->run_state = (uint32_t)get_le(p + 32, 4);
	if (m->ram_size > SNAP_RAM_MAX)
		FAIL("oversized: RAM size %" PRIu64 " MiB is above the limit of %llu MiB",
		     m->ram_size >> 20, SNAP_RAM_MAX >> 20);
	if (m->ram_size < SNAP_RAM_MIN || m->ram_size % (2u << 20))
		FAIL("corrupted: RAM size 0x%" PRIx64 " is not a multiple of 2 MiB of at least 4 MiB",
		     m->ram_size);
	if (m->run_state >= SNAP_RUN_STATES || get_le(p + 36, 4))
		FAIL("corrupted: run state %" PRIu32 " or reserved bits", m->run_state);
	return 0;
}

static int decode_uart(const uint8_t *p, struct uart16550 *u, char *err, size_t errlen)
{
	memset(u, 0, sizeof(*u));
	u->base = (uint16_t)get_le(p, 2);
	u->ier = p[2];
	u->lcr = p[3];
	u->mcr = p[4];
	u->scr = p[5];
	u->fcr = p[6];
	u->dll = p[7];
	u->dlm = p[8];
	u->thre_pending = p[9];
	u->rx_head = p[10];
	u->rx_count = p[11];
	memcpy(u->rx, p + 12, UART_RX_FIFO);
	/* Only values the device itself can reach (devices.h). */
	if (u->base != COM1_BASE || u->ier > 0x0f || u->mcr > 0x1f || (u->fcr & ~0xC1) ||
	    p[9] > 1 || u->rx_head >= UART_RX_FIFO || u->rx_count > UART_RX_FIFO ||
	    !all_zero(p + 28, 4))
		FAIL("corrupted: UART state out of range (base 0x%x ier 0x%x mcr 0x%x fcr 0x%x "
		     "rx head %u count %u)", u->base, u->ier, u->mcr, u->fcr, u->rx_head, u->rx_count);
	return 0;
}

static int decode_exitdev(const uint8_t *p, struct exitdev *e, char *err, size_t errlen)
{
	memset(e, 0, sizeof(*e));
	e->requested = p[0];
	e->status = p[1];
	e->bytes = p[2];
	e->value = (uint32_t)get_le(p + 4, 4);
	if (p[0] > 1 || p[3] ||
	    (p[0] ? (e->bytes != 1 && e->bytes != 2 && e->bytes != 4) ||
		    (e->value & ~pio_size_mask(e->bytes)) || e->status != (e->value & 0xff)
		  : (e->bytes || e->value || e->status)))
		FAIL("corrupted: exit device state out of range");
	return 0;
}

static int decode_ram(struct snap_view *v, char *err, size_t errlen)
{
	const uint8_t *p = v->sec[SNAP_SEC_RAM];
	uint64_t len = v->len[SNAP_SEC_RAM], size = get_le(p, 8), n = get_le(p + 16, 8);
	uint64_t max_pages = v->machine.ram_size / SNAP_PAGE, prev = 0;

	if (size != v->machine.ram_size)
		FAIL("corrupted: the RAM section holds 0x%" PRIx64 " bytes, the machine 0x%" PRIx64,
		     size, v->machine.ram_size);
	if (get_le(p + 8, 4) != SNAP_PAGE || get_le(p + 12, 4))
		FAIL("corrupted: RAM page size %" PRIu64 " (want %u)", get_le(p + 8, 4), SNAP_PAGE);
	if (n > max_pages || len != SNAP_RAM_HDR_SIZE + n * SNAP_RAM_REC_SIZE)
		FAIL("corrupted: %" PRIu64 " RAM pages do not fit a %" PRIu64 "-byte section of %"
		     PRIu64 " MiB of RAM", n, len, size >> 20);
	p += SNAP_RAM_HDR_SIZE;
	for (uint64_t i = 0; i < n; i++, p += SNAP_RAM_REC_SIZE) {
		uint64_t pn = get_le(p, 8);

		if (pn >= max_pages || (i && pn <= prev))
			FAIL("corrupted: RAM page number %" PRIu64 " (record %" PRIu64 ") is out of "
			     "range or out of order", pn, i);
		prev = pn;
	}
	v->npages = n;
	v->pages = v->sec[SNAP_SEC_RAM] + SNAP_RAM_HDR_SIZE;
	return 0;
}

static const char *sec_name(uint32_t type)
{
	return type < SNAP_SEC_COUNT && sec_info[type].name ? sec_info[type].name : "unknown";
}

/* Walk the section table: bounds, limits, duplicates, unknown types. */
static int walk_sections(const uint8_t *buf, uint64_t end, uint32_t nsec, struct snap_view *v,
			 char *err, size_t errlen)
{
	uint64_t off = SNAP_HDR_SIZE;

	for (uint32_t i = 0; i < nsec; i++) {
		uint32_t type, flags;
		uint64_t len;

		if (end - off < SNAP_SEC_HDR_SIZE)
			FAIL("corrupted: section %" PRIu32 " header at offset %" PRIu64
			     " runs past the end of the sections", i, off);
		type = (uint32_t)get_le(buf + off, 4);
		flags = (uint32_t)get_le(buf + off + 4, 4);
		len = get_le(buf + off + 8, 8);
		off += SNAP_SEC_HDR_SIZE;
		if (flags & ~SNAP_SEC_MANDATORY)
			FAIL("corrupted: section %" PRIu32 " (type %" PRIu32 ") has unknown flags 0x%"
			     PRIx32, i, type, flags);
		if (type < SNAP_SEC_COUNT && sec_info[type].name) {
			const struct sec_info *si = &sec_info[type];

			if (v->sec[type])
				FAIL("corrupted: a second %s section", si->name);
			if (len > si->max)
				FAIL("oversized: the %s section is %" PRIu64 " bytes, the limit is %"
				     PRIu64, si->name, len, si->max);
			if (len < si->min)
				FAIL("corrupted: the %s section is %" PRIu64 " bytes, it needs %" PRIu64,
				     si->name, len, si->min);
		} else if (flags & SNAP_SEC_MANDATORY) {
			FAIL("unknown mandatory section type %" PRIu32 " (written by a newer apxvm?)",
			     type);
		} else if (len > SNAP_MAX_SMALL_SEC) {
			FAIL("oversized: optional section type %" PRIu32 " is %" PRIu64 " bytes",
			     type, len);
		}
		if (len > end - off)
			FAIL("corrupted: the %s section (%" PRIu64 " bytes at offset %" PRIu64
			     ") runs past the end of the file", sec_name(type), len, off);
		if (type < SNAP_SEC_COUNT && sec_info[type].name) {
			v->sec[type] = buf + off;
			v->len[type] = len;
		}
		off += len;
	}
	if (off != end)
		FAIL("corrupted: %" PRIu64 " bytes between the last section and the checksum",
		     end - off);
	return 0;
}

int snap_parse(const uint8_t *buf, size_t len, struct snap_view *v, char *err, size_t errlen)
{
	uint64_t size, end;
	uint32_t version, nsec, crc, want, nmsrs;

	memset(v, 0, sizeof(*v));
	if (len < 8 || memcmp(buf, SNAP_MAGIC, 8)) {
		if (!len || (len < 8 && !memcmp(buf, SNAP_MAGIC, len)))
			FAIL("truncated: %zu bytes, shorter than the header", len);
		FAIL("not an apxvm snapshot (bad magic)");
	}
	if (len < SNAP_HDR_SIZE)
		FAIL("truncated: %zu bytes, shorter than the %u-byte header", len, SNAP_HDR_SIZE);
	version = (uint32_t)get_le(buf + 8, 4);
	if (version != SNAP_VERSION)
		FAIL("unsupported snapshot format version %" PRIu32 " (this apxvm reads version %u)",
		     version, SNAP_VERSION);
	nsec = (uint32_t)get_le(buf + 12, 4);
	size = get_le(buf + 16, 8);
	if (size > SNAP_MAX_FILE)
		FAIL("oversized: the header says %" PRIu64 " bytes, the limit is %" PRIu64,
		     size, (uint64_t)SNAP_MAX_FILE);
	if (nsec > SNAP_MAX_SECTIONS)
		FAIL("oversized: %" PRIu32 " sections, the limit is %u", nsec, SNAP_MAX_SECTIONS);
	if (len < size)
		FAIL("truncated: %zu bytes of the %" PRIu64 " the header announces", len, size);
	if (len > size || size < SNAP_HDR_SIZE + SNAP_TRAILER_SIZE)
		FAIL("corrupted: the file is %zu bytes, the header says %" PRIu64, len, size);
	end = size - SNAP_TRAILER_SIZE;
	want = (uint32_t)get_le(buf + end, 4);
	crc = snap_crc32(0, buf, end);
	if (crc != want)
		FAIL("corrupted: checksum mismatch (stored 0x%08" PRIx32 ", computed 0x%08" PRIx32 ")",
		     want, crc);
	if (get_le(buf + 24, 8))
		FAIL("corrupted: reserved header field is not zero");
	if (walk_sections(buf, end, nsec, v, err, errlen))
		return -1;
	for (uint32_t t = 1; t < SNAP_SEC_COUNT; t++)
		if (!v->sec[t])
			FAIL("corrupted: no %s section", sec_info[t].name);
	if (decode_machine(v->sec[SNAP_SEC_MACHINE], &v->machine, err, errlen) ||
	    decode_uart(v->sec[SNAP_SEC_UART], &v->uart, err, errlen) ||
	    decode_exitdev(v->sec[SNAP_SEC_EXITDEV], &v->exitdev, err, errlen) ||
	    decode_ram(v, err, errlen))
		return -1;
	nmsrs = (uint32_t)get_le(v->sec[SNAP_SEC_MSRS], 4);
	if (get_le(v->sec[SNAP_SEC_MSRS] + 4, 4) || nmsrs > SNAP_MAX_MSRS ||
	    v->len[SNAP_SEC_MSRS] != sizeof(struct kvm_msrs) +
				     (uint64_t)nmsrs * sizeof(struct kvm_msr_entry))
		FAIL("corrupted: the msrs section (%" PRIu64 " bytes) does not hold %" PRIu32
		     " entries", v->len[SNAP_SEC_MSRS], nmsrs);
	return 0;
}

void snap_load_ram(const struct snap_view *v, uint8_t *ram)
{
	const uint8_t *p = v->pages;

	for (uint64_t i = 0; i < v->npages; i++, p += SNAP_RAM_REC_SIZE)
		memcpy(ram + get_le(p, 8) * SNAP_PAGE, p + 8, SNAP_PAGE);
}

/* ---- writer ------------------------------------------------------------ */

struct wr {
	FILE *f;
	uint32_t crc;
	int err;
};

static void wr_bytes(struct wr *w, const void *p, size_t n)
{
	if (w->err || !n)
		return;
	w->crc = snap_crc32(w->crc, p, n);
	if (fwrite(p, 1, n, w->f) != n)
		w->err = -1;
}

static void wr_sec_hdr(struct wr *w, uint32_t type, uint64_t len)
{
	uint8_t h[SNAP_SEC_HDR_SIZE];

	put_le(h, type, 4);
	put_le(h + 4, SNAP_SEC_MANDATORY, 4);
	put_le(h + 8, len, 8);
	wr_bytes(w, h, sizeof(h));
}

static bool page_used(const uint8_t *p)
{
	static const uint8_t zero[SNAP_PAGE];

	return memcmp(p, zero, SNAP_PAGE) != 0;
}

int snap_write(FILE *f, const struct snap_out *secs, unsigned nsecs,
	       const uint8_t *ram, uint64_t ram_size)
{
	struct wr w = { f, 0, 0 };
	uint8_t h[SNAP_HDR_SIZE > SNAP_RAM_HDR_SIZE ? SNAP_HDR_SIZE : SNAP_RAM_HDR_SIZE];
	uint64_t npages = 0, size = SNAP_HDR_SIZE + SNAP_TRAILER_SIZE, ram_len;
	uint64_t total = ram_size / SNAP_PAGE;
	/* One bit per page: the header needs the count, so scan RAM once, not twice. */
	uint64_t *used = calloc(total / 64 + 1, sizeof(*used));

	if (!used)
		return -1;
	for (uint64_t pn = 0; pn < total; pn++)
		if (page_used(ram + pn * SNAP_PAGE)) {
			used[pn / 64] |= UINT64_C(1) << (pn % 64);
			npages++;
		}
	ram_len = SNAP_RAM_HDR_SIZE + npages * SNAP_RAM_REC_SIZE;
	for (unsigned i = 0; i < nsecs; i++)
		size += SNAP_SEC_HDR_SIZE + secs[i].len;
	size += SNAP_SEC_HDR_SIZE + ram_len;

	memset(h, 0, sizeof(h));
	memcpy(h, SNAP_MAGIC, 8);
	put_le(h + 8, SNAP_VERSION, 4);
	put_le(h + 12, nsecs + 1, 4);
	put_le(h + 16, size, 8);
	wr_bytes(&w, h, SNAP_HDR_SIZE);
	for (unsigned i = 0; i < nsecs; i++) {
		wr_sec_hdr(&w, secs[i].type, secs[i].len);
		wr_bytes(&w, secs[i].data, secs[i].len);
	}
	wr_sec_hdr(&w, SNAP_SEC_RAM, ram_len);
	memset(h, 0, sizeof(h));
	put_le(h, ram_size, 8);
	put_le(h + 8, SNAP_PAGE, 4);
	put_le(h + 16, npages, 8);
	wr_bytes(&w, h, SNAP_RAM_HDR_SIZE);
	for (uint64_t pn = 0; pn < total; pn++) {
		if (!(used[pn / 64] >> (pn % 64) & 1))
			continue;
		put_le(h, pn, 8);
		wr_bytes(&w, h, 8);
		wr_bytes(&w, ram + pn * SNAP_PAGE, SNAP_PAGE);
	}
	free(used);
	put_le(h, w.crc, 4);
	if (!w.err && fwrite(h, 1, SNAP_TRAILER_SIZE, f) != SNAP_TRAILER_SIZE)
		w.err = -1;
	return w.err;
}
