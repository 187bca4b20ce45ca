/* SPDX-License-Identifier: MIT */
/*
 * System instructions.  The system-architecture issue implements them
 * (descriptor tables, control/debug registers, MSRs, TLB); until then the
 * privileged ones fault correctly outside ring 0 (#GP(0), checked before
 * anything else, as the CPU does) and are #UD in ring 0: not modelled.
 */
#include <stddef.h>

#include "x86/interp_internal.h"

static enum x86_exit sys_privileged(struct x86_cpu *c, const struct x86_insn *in)
{
	(void)in;
	if (c->v->cpl > 0)
		return x86_raise_err(c, X86_EXC_GP, 0);
	return x86_raise(c, X86_EXC_UD);
}

const struct x86_handler_entry x86_handlers_sys[] = {
	{ "clts", sys_privileged },
	{ "invd", sys_privileged },
	{ "invlpg", sys_privileged },
	{ "lgdt", sys_privileged },
	{ "lidt", sys_privileged },
	{ "lldt", sys_privileged },
	{ "lmsw", sys_privileged },
	{ "ltr", sys_privileged },
	{ "mov_cr", sys_privileged },
	{ "mov_dr", sys_privileged },
	{ "rdmsr", sys_privileged },
	{ "wbinvd", sys_privileged },
	{ "wbnoinvd", sys_privileged },
	{ "wrmsr", sys_privileged },
	{ NULL, NULL },
};
