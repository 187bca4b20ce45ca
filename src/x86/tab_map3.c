/* TEMPORARY STUB by the lead so the tree builds; the owner overwrites this whole file. */
#include "optab.h"
const struct x86_opcode_row x86_map3[256];
