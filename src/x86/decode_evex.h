/* SPDX-License-Identifier: MIT */
/*
 * EVEX rules for the vector maps (1, 2, 3, 5, 6): what XED checks beyond the
 * table walk, and the compressed disp8 scale (SDM Vol. 2 2.7.5).
 */
#ifndef APXVM_X86_DECODE_EVEX_H
#define APXVM_X86_DECODE_EVEX_H

#include <stdbool.h>

#include "insn.h"

struct x86_opcode_row;

/*
 * XED's length-decoder checks for any EVEX map (1-7), made before the table
 * walk, in this order of precedence (from the vectors):
 *   L'L = 3 with a memory operand, or with registers and EVEX.b = 0
 *     -> X86_ERR_BAD_EVEX_LL: wins over everything, a bad legacy/REX
 *        prefix included;
 *   z = 1 with aaa = 0 -> X86_ERR_BAD_EVEX_Z_NO_MASKING: loses to a bad
 *        legacy/REX prefix, wins over the rest (undefined opcode, LOCK, ...).
 * `ll` is the raw EVEX.L'L; call it once ModRM is known.
 */
enum x86_status x86_evex_ild_check(const struct x86_insn *insn, unsigned ll, bool has_modrm,
				   uint8_t modrm);

/*
 * The EVEX rules of a leaf of maps 1, 2, 3, 5, 6: masking and zeroing, EVEX.b
 * (broadcast / rounding / SAE), register forms with EVEX.U (X4) = 0, vvvv and
 * V' when no operand uses them, mask or tile registers with R/R' set, VSIB and
 * AMX memory without SIB, NF (aaa = 100) on the APX-promoted rows.
 * X86_OK when the encoding is valid.
 */
enum x86_status x86_evex_check(const struct x86_insn *insn, const struct x86_opcode_row *row);

/* N for compressed disp8 from row->tuple / row->elsz, W, EVEX.b and VL; 1 for T_NONE. */
unsigned x86_evex_disp8_scale(const struct x86_insn *insn, const struct x86_opcode_row *row);

/*
 * After the operands of a map 1/2/3/5/6 leaf are built, apply what EVEX does
 * to them as XED shows it:
 *  - embedded broadcast: the memory operand's width is one element;
 *  - merge masking (aaa != 0, z = 0): a vector register destination is read
 *    as well (w -> rw);
 *  - rounding / SAE on packed register forms: the vector length is 512 bits
 *    whatever L'L (which holds the rounding control), registers are resized.
 */
void x86_evex_fixup_operands(struct x86_insn *insn, const struct x86_opcode_row *row);

#endif
