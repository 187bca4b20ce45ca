/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: decode + format + operand dump on arbitrary bytes.
 * The input is copied into a buffer of exactly its size, so ASan catches a
 * read past the end; each decoded instruction must fit what was given.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "x86/insn.h"
#include "x86/opdump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0;
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	while (off < size) {
		struct x86_insn in;
		char text[256], ops[512], attrs[64];
		size_t avail = size - off;
		enum x86_status st = x86_decode(copy + off, avail > 15 ? 15 : (unsigned)avail,
						X86_MODE_64, &in);

		if (st == X86_OK) {
			if (in.len == 0 || in.len > avail || in.len > 15)
				abort();
			x86_format_intel(&in, off, text, sizeof(text));
			x86_format_intel(&in, off, text, 8); /* truncation path */
			x86_format_operands(&in, ops, sizeof(ops));
			x86_format_attrs(&in, attrs, sizeof(attrs));
			off += in.len;
		} else {
			if (in.len != 0)
				abort();
			off++;
		}
	}
	free(copy);
	return 0;
}
