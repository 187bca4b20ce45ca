/* SPDX-License-Identifier: MIT */
/* Exception and interrupt delivery through the 64-bit IDT (placeholder). */
#include "x86/interp_internal.h"

enum x86_exit x86_deliver(struct x86_cpu *c)
{
	c->why = "IDT delivery is not implemented yet";
	return X86_EXIT_INTERNAL;
}
