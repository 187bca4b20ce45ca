/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the snapshot reader (snap_parse) and, for what it
 * accepts, the restore into a VM (the ABI set functions, RAM, devices).
 * A checksum almost never matches by chance, so the first byte picks a
 * mode: 0 the input as is; 1 the input with its last 4 bytes replaced by
 * the right CRC; 2 the input behind a valid header (magic, version 1, the
 * section count from the input, the right file size) and the right CRC,
 * which is where the section walker and the decoders get exercised;
 * 3 the rest are (offset:16, byte) patches to a valid snapshot of a booted
 * 4 MiB VM built at start-up (the make check runs use inputs of at most
 * 512 bytes, too small for a whole snapshot), CRC fixed: this drives the
 * restore and its validation.
 * The buffer is exactly the data's size, so ASan sees any overread.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmm/snapshot.h"
#include "vmm/snapshot_vm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *ref;        /* a valid snapshot */
static size_t ref_len;

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[] = "/tmp/fuzz_snapshot.XXXXXX", err[512];
	static struct vm vm;
	FILE *f;
	int fd = mkstemp(path);

	(void)argc;
	(void)argv;
	if (fd < 0 || vm_init(&vm, 4, vcpu_cpu_model_default(), NULL, err, sizeof(err)))
		abort();
	close(fd);
	vm_boot64(&vm, 0x100000);
	vm.vcpu.cr4 |= X86_CR4_OSXSAVE;
	vm.vcpu.xcr0 = vcpu_cpu_model_xcr0_supported(vm.model) & (VCPU_XCR0_X87 | VCPU_XCR0_SSE |
								  VCPU_XCR0_APX);
	vcpu_update_apx(&vm.vcpu);
	for (unsigned r = 0; r < NR_VCPU_GENERAL_PURPOSE_REGS; r++)
		vcpu_gpr_index_write(&vm.vcpu.regs, r, 0x0101010101010101ull * r);
	if (snap_save_vm(&vm, SNAP_RUNNABLE, path, err, sizeof(err)))
		abort();
	vm_destroy(&vm);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (ref_len = (size_t)ftell(f)) < SNAP_HDR_SIZE ||
	    fseek(f, 0, SEEK_SET) || !(ref = malloc(ref_len)) || fread(ref, 1, ref_len, f) != ref_len)
		abort();
	fclose(f);
	unlink(path);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned mode;
	size_t len;
	uint8_t *buf;
	struct snap_view v;
	char err[512];

	if (!size)
		return 0;
	mode = data[0] % 4;
	data++;
	size--;
	len = mode == 2 ? SNAP_HDR_SIZE + size + SNAP_TRAILER_SIZE : mode == 3 ? ref_len : size;
	buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	if (mode == 2) {
		memset(buf, 0, SNAP_HDR_SIZE);
		memcpy(buf, SNAP_MAGIC, 8);
		put_le(buf + 8, SNAP_VERSION, 4);
		put_le(buf + 12, size ? data[0] % 12 : 0, 4);
		put_le(buf + 16, len, 8);
		memcpy(buf + SNAP_HDR_SIZE, data, size);
	} else if (mode == 3) {
		/* Patch the header, the small sections and the RAM section's start. */
		size_t lim = ref_len - SNAP_TRAILER_SIZE < 8192 ? ref_len - SNAP_TRAILER_SIZE : 8192;

		memcpy(buf, ref, ref_len);
		for (size_t i = 0; i + 3 <= size; i += 3)
			buf[(data[i] | (size_t)data[i + 1] << 8) % lim] = data[i + 2];
	} else {
		memcpy(buf, data, size);
	}
	if (mode != 0 && len >= SNAP_TRAILER_SIZE)
		put_le(buf + len - 4, snap_crc32(0, buf, len - 4), 4);

	if (!snap_parse(buf, len, &v, err, sizeof(err))) {
		struct vm vm;

		if (!memchr(err, 0, sizeof(err)))
			abort();
		/* Large RAM is fine for the reader but slow to map per input. */
		if (v.machine.ram_size <= (64u << 20) &&
		    !snap_restore_vm(&vm, &v, NULL, NULL, err, sizeof(err)))
			vm_destroy(&vm);
	} else if (!memchr(err, 0, sizeof(err)) || !err[0]) {
		abort();   /* every refusal carries a message */
	}
	free(buf);
	return 0;
}
