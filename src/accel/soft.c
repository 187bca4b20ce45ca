/* SPDX-License-Identifier: MIT */
#include <inttypes.h>

#include "accel/soft.h"

/*
 * Every delivered exception costs one unit of the budget, like an
 * instruction: a handler that faults on its own first fetch would otherwise
 * loop without retiring anything, unbounded.
 */
enum x86_exit soft_run(struct x86_cpu *c, uint64_t budget, FILE *trace, uint64_t *used)
{
	uint64_t left = budget;
	enum x86_exit ex = X86_EXIT_LIMIT;

	while (left) {
		uint64_t start = c->icount, done;
		char name[32];

		ex = x86_run(c, left);
		done = c->icount - start;
		left -= done < left ? done : left;
		if (ex != X86_EXIT_EXCEPTION)
			break;
		if (trace) {
			fflush(stdout);   /* the guest's output so far, before the trace line */
			fprintf(trace, "apxvm: trace: %s", x86_exception_name(&c->exc, name, sizeof(name)));
			if (c->exc.has_error)
				fprintf(trace, " error 0x%" PRIx32, c->exc.error);
			if (c->exc.vector == X86_EXC_PF)
				fprintf(trace, " cr2 0x%" PRIx64, c->exc.cr2);
			fprintf(trace, " at rip 0x%" PRIx64 " (instruction %" PRIu64 ")\n",
				c->v->regs.rip, c->icount);
		}
		/* Delivered even at the end of the budget: a trap's RIP has moved on. */
		ex = x86_deliver(c);
		if (ex != X86_EXIT_NONE)
			break;
		ex = X86_EXIT_LIMIT;
		if (left)
			left--;
	}
	*used = budget - left;
	return ex;
}
