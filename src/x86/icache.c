/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "x86/icache.h"
#include "x86/interp.h"

int x86_icache_init(struct x86_cpu *c)
{
	struct x86_icache *ic = calloc(1, sizeof(*ic));

	if (!ic)
		return -1;
	ic->npages = (c->ram_size + 4095) >> 12;
	ic->e = calloc(X86_ICACHE_ENTRIES, sizeof(*ic->e));
	ic->code_page = calloc(ic->npages ? ic->npages : 1, 1);
	if (!ic->e || !ic->code_page) {
		free(ic->e);
		free(ic->code_page);
		free(ic);
		return -1;
	}
	ic->gen = 1;
	c->icache = ic;
	return 0;
}

void x86_icache_free(struct x86_cpu *c)
{
	if (!c->icache)
		return;
	free(c->icache->e);
	free(c->icache->code_page);
	free(c->icache);
	c->icache = NULL;
}

void x86_icache_flush(struct x86_cpu *c)
{
	struct x86_icache *ic = c->icache;

	if (!ic)
		return;
	memset(ic->code_page, 0, ic->npages);
	/* Keys hold the generation in bits 46..63: on wrap-around clear for real. */
	if (++ic->gen >= (UINT64_C(1) << 18)) {
		memset(ic->e, 0, X86_ICACHE_ENTRIES * sizeof(*ic->e));
		ic->gen = 1;
	}
}
