/* SPDX-License-Identifier: MIT */
/*
 * Snapshot files, the container layer (docs/snapshot.md has the format):
 * a header with magic, version and file size, self-describing sections
 * (type, flags, length, payload) and a CRC-32 of everything before it as
 * the last 4 bytes.  This layer writes and checks the container, the RAM
 * encoding (non-zero 4 KiB pages) and the small device/machine records;
 * the vCPU sections are the KVM ABI structures, whose contents the ABI's
 * set functions validate on restore (snapshot_vm.c).
 *
 * The reader takes an untrusted buffer: every length is checked against
 * what remains and against the limits below before it is used.
 */
#ifndef APXVM_VMM_SNAPSHOT_H
#define APXVM_VMM_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmm/devices.h"

#define SNAP_MAGIC		"APXVMSNP"
#define SNAP_VERSION		1u
#define SNAP_HDR_SIZE		32u
#define SNAP_SEC_HDR_SIZE	16u
#define SNAP_TRAILER_SIZE	4u	/* CRC-32 (IEEE, as zlib's crc32) */

/* Section types; all are mandatory in version 1. */
enum snap_sec {
	SNAP_SEC_MACHINE = 1,	/* struct snap_machine, 40 bytes */
	SNAP_SEC_REGS = 2,	/* struct kvm_regs */
	SNAP_SEC_SREGS = 3,	/* struct kvm_sregs */
	SNAP_SEC_XSAVE = 4,	/* struct kvm_xsave (R16..R31 at 960) */
	SNAP_SEC_XCRS = 5,	/* struct kvm_xcrs */
	SNAP_SEC_MSRS = 6,	/* struct kvm_msrs + nmsrs struct kvm_msr_entry */
	SNAP_SEC_RAM = 7,	/* header + (page number, 4 KiB) records */
	SNAP_SEC_UART = 8,	/* COM1 16550 state, 32 bytes */
	SNAP_SEC_EXITDEV = 9,	/* exit device state, 8 bytes */
	SNAP_SEC_COUNT
};
#define SNAP_SEC_MANDATORY	1u	/* section flag: a reader that lacks the type must refuse */

/* Limits the reader enforces. */
#define SNAP_MAX_SECTIONS	64u
#define SNAP_MAX_SMALL_SEC	(1u << 20)	/* every section but RAM */
#define SNAP_MAX_MSRS		256u
#define SNAP_RAM_MIN		(4ull << 20)
#define SNAP_RAM_MAX		(16ull << 30)
#define SNAP_PAGE		4096u
#define SNAP_RAM_HDR_SIZE	24u
#define SNAP_RAM_REC_SIZE	(8u + SNAP_PAGE)
#define SNAP_MAX_RAM_SEC	(SNAP_RAM_HDR_SIZE + (SNAP_RAM_MAX / SNAP_PAGE) * SNAP_RAM_REC_SIZE)
#define SNAP_MAX_FILE		(SNAP_HDR_SIZE + SNAP_MAX_SECTIONS * (uint64_t)SNAP_SEC_HDR_SIZE + \
				 SNAP_MAX_RAM_SEC + (SNAP_MAX_SECTIONS - 1) * (uint64_t)SNAP_MAX_SMALL_SEC + \
				 SNAP_TRAILER_SIZE)

/* Why the run had stopped when the snapshot was written. */
enum snap_run_state {
	SNAP_RUNNABLE = 0,	/* --snapshot-at, --max-insns, --timeout: it can go on */
	SNAP_EXITED = 1,	/* exit port written (status in the exit device) */
	SNAP_HALTED = 2,	/* HLT nothing can wake */
	SNAP_SHUTDOWN = 3,	/* triple fault */
	SNAP_FAILED = 4,	/* internal error / unsupported state */
	SNAP_RUN_STATES
};

#define SNAP_MODEL_LEN		16u
#define SNAP_MACHINE_SIZE	40u
#define SNAP_UART_SIZE		32u
#define SNAP_EXITDEV_SIZE	8u

struct snap_machine {
	char model[SNAP_MODEL_LEN];	/* NUL-terminated CPU model name ("apx") */
	uint64_t ram_size;
	uint64_t icount;		/* retired instructions */
	uint32_t run_state;		/* enum snap_run_state */
};

/* A parsed, checked file.  Pointers point into the caller's buffer. */
struct snap_view {
	struct snap_machine machine;
	const uint8_t *sec[SNAP_SEC_COUNT];	/* payload of each known section */
	uint64_t len[SNAP_SEC_COUNT];
	uint64_t npages;			/* RAM records */
	const uint8_t *pages;			/* the first record */
	struct uart16550 uart;			/* state fields only */
	struct exitdev exitdev;
};

/* CRC-32 (reflected 0xEDB88320, init and final xor ~0): zlib's crc32(). */
uint32_t snap_crc32(uint32_t crc, const void *buf, size_t len);

/*
 * Check buf[0..len) and fill *v: 0, or -1 with a one-line reason in err
 * (truncated, checksum, version, oversized, unknown mandatory section,
 * missing or duplicate section, bad field).  Never reads outside buf.
 */
int snap_parse(const uint8_t *buf, size_t len, struct snap_view *v, char *err, size_t errlen);

/* Copy the RAM records of a parsed view into ram (v->machine.ram_size bytes, zeroed). */
void snap_load_ram(const struct snap_view *v, uint8_t *ram);

/* ---- writer -------------------------------------------------------------- */

/* An in-memory section (everything but RAM). */
struct snap_out {
	uint32_t type;
	const void *data;
	uint64_t len;
};

/* Encoders for the small records (little-endian, layouts in docs/snapshot.md). */
void snap_machine_encode(const struct snap_machine *m, uint8_t out[SNAP_MACHINE_SIZE]);
void snap_uart_encode(const struct uart16550 *u, uint8_t out[SNAP_UART_SIZE]);
void snap_exitdev_encode(const struct exitdev *e, uint8_t out[SNAP_EXITDEV_SIZE]);

/*
 * Write a whole file to f: the header, the sections of `secs`, a RAM
 * section with the non-zero pages of ram[0..ram_size), the CRC.  0, or -1
 * (write error or out of memory; errno is set).
 */
int snap_write(FILE *f, const struct snap_out *secs, unsigned nsecs,
	       const uint8_t *ram, uint64_t ram_size);

#endif
