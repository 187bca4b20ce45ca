/* TEMPORARY STUB by the lead so the tree builds; the owner overwrites this whole file. */
#include "optab.h"
const struct x86_opcode_row x86_evex_map1[256];
const struct x86_opcode_row x86_evex_map2[256];
const struct x86_opcode_row x86_evex_map3[256];
const struct x86_opcode_row x86_evex_map5[256];
const struct x86_opcode_row x86_evex_map6[256];
