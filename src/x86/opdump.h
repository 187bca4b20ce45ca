/* SPDX-License-Identifier: MIT */
#ifndef APXVM_X86_OPDUMP_H
#define APXVM_X86_OPDUMP_H

#include "insn.h"

/* "reg:rax:rw ; mem:-:rbx+-*-+0x8/64:r", or "-" without operands (snprintf-style). */
int x86_format_operands(const struct x86_insn *in, char *out, unsigned size);

/* "ndd,nf,rex2,evex,egpr,zu" subset in that order, or "-". */
int x86_format_attrs(const struct x86_insn *in, char *out, unsigned size);

#endif
