/* TEMPORARY STUB by the lead so the tree builds; the owner overwrites this whole file. */
#ifndef APXVM_X86_DECODE_EVEX_H
#define APXVM_X86_DECODE_EVEX_H
#include "insn.h"
struct x86_opcode_row;
enum x86_status x86_evex_check(const struct x86_insn *insn, const struct x86_opcode_row *row);
unsigned x86_evex_disp8_scale(const struct x86_insn *insn, const struct x86_opcode_row *row);
#endif
