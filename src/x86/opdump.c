/* SPDX-License-Identifier: MIT */
/*
 * The normalized operand list and attribute words of ../shared/vectors
 * (README.md there): what `apxvm decode` prints and the vector test compares.
 */
#include <inttypes.h>
#include <stdio.h>

#include "opdump.h"
#include "optab.h"

static const char *const acc_names[4] = { "?", "r", "w", "rw" };

/* Append with snprintf semantics; *pos may run past size (then output is cut). */
#define PUT(...) do { \
	int n_ = snprintf(out + (pos < size ? pos : size), pos < size ? size - pos : 0, __VA_ARGS__); \
	if (n_ > 0) pos += (unsigned)n_; \
} while (0)

static const char *mem_reg_name(struct x86_reg r, unsigned asize)
{
	if (r.cls == X86_RC_NONE)
		return "-";
	if (r.cls == X86_RC_RIP)
		return asize == 32 ? "eip" : "rip";
	return x86_reg_name(r);
}

int x86_format_operands(const struct x86_insn *in, char *out, unsigned size)
{
	unsigned pos = 0;

	if (size)
		out[0] = 0;
	if (!in->nops) {
		PUT("-");
		return (int)pos;
	}
	for (unsigned i = 0; i < in->nops; i++) {
		const struct x86_operand *op = &in->ops[i];

		if (i)
			PUT(" ; ");
		switch (op->kind) {
		case X86_OPK_REG:
			PUT("reg:%s", x86_reg_name(op->reg));
			break;
		case X86_OPK_MEM:
		case X86_OPK_AGEN:
			PUT("%s:%s:%s+", op->kind == X86_OPK_MEM ? "mem" : "agen",
			    op->mem.seg == X86_SEG_FS ? "fs" : op->mem.seg == X86_SEG_GS ? "gs" : "-",
			    mem_reg_name(op->mem.base, in->asize));
			if (op->mem.index.cls != X86_RC_NONE)
				PUT("%s*%u+", x86_reg_name(op->mem.index), op->mem.scale);
			else
				PUT("-*-+");
			if (!op->mem.has_disp)
				PUT("-");
			else if (op->mem.disp < 0)
				PUT("-0x%" PRIx64, (uint64_t)0 - (uint64_t)op->mem.disp);
			else
				PUT("0x%" PRIx64, (uint64_t)op->mem.disp);
			PUT("/%u", op->width);
			break;
		case X86_OPK_IMM:
			PUT("imm:0x%016" PRIx64, op->imm);
			break;
		case X86_OPK_REL:
			PUT("rel:%c%" PRIu64, op->rel < 0 ? '-' : '+',
			    op->rel < 0 ? (uint64_t)0 - (uint64_t)op->rel : (uint64_t)op->rel);
			break;
		default:
			PUT("?");
		}
		PUT(":%s", acc_names[op->access & 3]);
	}
	return (int)pos;
}

int x86_format_attrs(const struct x86_insn *in, char *out, unsigned size)
{
	const char *words[6];
	unsigned n = 0, pos = 0;

	if (in->nd && !in->zu && in->scc < 0)
		words[n++] = "ndd";
	if (in->nf)
		words[n++] = "nf";
	if (in->encoding == X86_ENC_REX2)
		words[n++] = "rex2";
	if (in->encoding == X86_ENC_EVEX)
		words[n++] = "evex";
	if (in->egpr)
		words[n++] = "egpr";
	if (in->zu)
		words[n++] = "zu";
	if (size)
		out[0] = 0;
	if (!n)
		PUT("-");
	for (unsigned i = 0; i < n; i++)
		PUT("%s%s", i ? "," : "", words[i]);
	return (int)pos;
}
