/* TEMPORARY STUB by the lead so the tree builds; the owner overwrites this whole file. */
#include "decode_evex.h"
enum x86_status x86_evex_check(const struct x86_insn *insn, const struct x86_opcode_row *row)
{ (void)insn; (void)row; return X86_OK; }
unsigned x86_evex_disp8_scale(const struct x86_insn *insn, const struct x86_opcode_row *row)
{ (void)insn; (void)row; return 1; }
