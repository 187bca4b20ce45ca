/* SPDX-License-Identifier: MIT */
/* GPR names for the CLI and for dumps; the accessors are all in regs.h. */
#include <string.h>

#include "vcpu/regs.h"

static const char *const vcpu_gpr_names[NR_VCPU_GENERAL_PURPOSE_REGS] = {
	[VCPU_REGS_RAX] = "rax",
	[VCPU_REGS_RCX] = "rcx",
	[VCPU_REGS_RDX] = "rdx",
	[VCPU_REGS_RBX] = "rbx",
	[VCPU_REGS_RSP] = "rsp",
	[VCPU_REGS_RBP] = "rbp",
	[VCPU_REGS_RSI] = "rsi",
	[VCPU_REGS_RDI] = "rdi",
	[VCPU_REGS_R8]  = "r8",
	[VCPU_REGS_R9]  = "r9",
	[VCPU_REGS_R10] = "r10",
	[VCPU_REGS_R11] = "r11",
	[VCPU_REGS_R12] = "r12",
	[VCPU_REGS_R13] = "r13",
	[VCPU_REGS_R14] = "r14",
	[VCPU_REGS_R15] = "r15",
#ifdef CONFIG_APX
	[VCPU_REGS_R16] = "r16",
	[VCPU_REGS_R17] = "r17",
	[VCPU_REGS_R18] = "r18",
	[VCPU_REGS_R19] = "r19",
	[VCPU_REGS_R20] = "r20",
	[VCPU_REGS_R21] = "r21",
	[VCPU_REGS_R22] = "r22",
	[VCPU_REGS_R23] = "r23",
	[VCPU_REGS_R24] = "r24",
	[VCPU_REGS_R25] = "r25",
	[VCPU_REGS_R26] = "r26",
	[VCPU_REGS_R27] = "r27",
	[VCPU_REGS_R28] = "r28",
	[VCPU_REGS_R29] = "r29",
	[VCPU_REGS_R30] = "r30",
	[VCPU_REGS_R31] = "r31",
#endif
};

/* Not a bug to ask: the CLI passes whatever the user typed through here. */
const char *vcpu_gpr_name(unsigned int reg)
{
	if (reg >= NR_VCPU_GENERAL_PURPOSE_REGS)
		return "?";
	return vcpu_gpr_names[reg];
}

int vcpu_gpr_lookup(const char *name)
{
	for (int i = 0; i < NR_VCPU_GENERAL_PURPOSE_REGS; i++)
		if (!strcmp(name, vcpu_gpr_names[i]))
			return i;
	return -1;
}
