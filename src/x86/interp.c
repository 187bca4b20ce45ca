/* SPDX-License-Identifier: MIT */
/*
 * The interpreter loop: fetch, decode, gate (APX enabled? implemented?),
 * dispatch to the handler, commit RIP.  Exceptions leave RIP at the faulting
 * instruction (after it for software interrupts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86/interp.h"
#include "x86/interp_internal.h"
#include "x86/optab.h"

enum x86_exit x86_raise(struct x86_cpu *c, unsigned vector)
{
	c->exc.vector = (uint8_t)vector;
	c->exc.has_error = false;
	c->exc.soft = false;
	c->exc.error = 0;
	return X86_EXIT_EXCEPTION;
}

enum x86_exit x86_raise_err(struct x86_cpu *c, unsigned vector, uint32_t error)
{
	x86_raise(c, vector);
	c->exc.has_error = true;
	c->exc.error = error;
	return X86_EXIT_EXCEPTION;
}

const char *x86_exception_name(const struct x86_exception *e, char *buf, unsigned size)
{
	static const char *const names[32] = {
		[0] = "#DE", [1] = "#DB", [2] = "#NMI", [3] = "#BP", [4] = "#OF", [5] = "#BR",
		[6] = "#UD", [7] = "#NM", [8] = "#DF", [10] = "#TS", [11] = "#NP", [12] = "#SS",
		[13] = "#GP", [14] = "#PF", [16] = "#MF", [17] = "#AC", [18] = "#MC", [19] = "#XM",
		[20] = "#VE", [21] = "#CP",
	};

	if (!e)
		return "none";
	/* INT3, INTO and INT1 are traps with their exception's name; INT n is not. */
	if (e->vector < 32 && names[e->vector] &&
	    !(e->soft && e->vector != X86_EXC_BP && e->vector != X86_EXC_OF &&
	      e->vector != X86_EXC_DB))
		return names[e->vector];
	snprintf(buf, size, "#INT(0x%02x)", e->vector);
	return buf;
}

bool x86_cond(uint64_t f, unsigned cc)
{
	bool r;

	switch (cc >> 1) {
	case 0: r = f & X86_FLAGS_OF; break;
	case 1: r = f & X86_FLAGS_CF; break;
	case 2: r = f & X86_FLAGS_ZF; break;
	case 3: r = f & (X86_FLAGS_CF | X86_FLAGS_ZF); break;
	case 4: r = f & X86_FLAGS_SF; break;
	case 5: r = f & X86_FLAGS_PF; break;
	case 6: r = !(f & X86_FLAGS_SF) != !(f & X86_FLAGS_OF); break;
	default: r = (f & X86_FLAGS_ZF) || (!(f & X86_FLAGS_SF) != !(f & X86_FLAGS_OF)); break;
	}
	return (cc & 1) ? !r : r;
}

/* ---- handler lookup: the row's name -> handler, cached per row ---- */

static const struct x86_handler_entry *const families[] = {
	x86_handlers_alu, x86_handlers_data, x86_handlers_ctl, x86_handlers_apx, x86_handlers_sys,
	x86_handlers_xsave,
	x86_handlers_seg,
};

static struct x86_handler_entry *sorted;
static size_t nsorted;

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct x86_handler_entry *)a)->name,
		      ((const struct x86_handler_entry *)b)->name);
}

static void build_sorted(void)
{
	size_t n = 0, k = 0;

	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++)
		for (const struct x86_handler_entry *e = families[f]; e->name; e++)
			n++;
	sorted = malloc((n ? n : 1) * sizeof(*sorted));
	if (!sorted)
		abort();
	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++)
		for (const struct x86_handler_entry *e = families[f]; e->name; e++)
			sorted[k++] = *e;
	qsort(sorted, n, sizeof(*sorted), entry_cmp);
	nsorted = n;
}

const char *x86_handler_table_duplicate(void)
{
	if (!sorted)
		build_sorted();
	for (size_t i = 1; i < nsorted; i++)
		if (!strcmp(sorted[i - 1].name, sorted[i].name))
			return sorted[i].name;
	return NULL;
}

/* Row pointer -> handler cache (open addressing; rows are static, never freed). */
#define ROW_CACHE_SIZE 8192
static struct {
	const void *row;
	x86_handler h;
} row_cache[ROW_CACHE_SIZE];

x86_handler x86_handler_for(const struct x86_insn *in)
{
	const struct x86_opcode_row *row = in->row;
	size_t slot = ((uintptr_t)row >> 3) * 2654435761u % ROW_CACHE_SIZE;
	struct x86_handler_entry key, *e;

	if (!row || !row->name)
		return NULL;
	for (unsigned probe = 0; probe < 16; probe++) {
		size_t s = (slot + probe) % ROW_CACHE_SIZE;

		if (row_cache[s].row == row)
			return row_cache[s].h;
		if (!row_cache[s].row) {
			if (!sorted)
				build_sorted();
			key.name = row->name;
			e = bsearch(&key, sorted, nsorted, sizeof(*sorted), entry_cmp);
			row_cache[s].row = row;
			row_cache[s].h = e ? e->fn : NULL;
			return row_cache[s].h;
		}
	}
	key.name = row->name; /* cache full around here: look up without caching */
	if (!sorted)
		build_sorted();
	e = bsearch(&key, sorted, nsorted, sizeof(*sorted), entry_cmp);
	return e ? e->fn : NULL;
}

/* ---- the loop ---- */

/* Is this encoding part of APX (REX2, or EVEX which only APX gives this vCPU)? */
static bool needs_apx(const struct x86_insn *in)
{
	return in->encoding == X86_ENC_REX2 || in->encoding == X86_ENC_EVEX;
}

/*
 * Guest-physical address of the instruction at rip for the decoded-
 * instruction cache, or false (fault, page not in RAM, ...: the uncached
 * path then raises whatever is due).
 */
static bool fetch_pa(struct x86_cpu *c, uint64_t rip, uint64_t *pa)
{
	if (!x86_paging_on(c->v)) {
		*pa = rip;
		return rip < c->ram_size;
	}
	if (x86_tlb_last_hit(c, X86_ACC_FETCH, rip, pa))
		return true;
	if (x86_translate(c, rip, X86_ACC_FETCH, pa) != X86_EXIT_NONE) {
		c->why = NULL;
		return false;
	}
	if (*pa >= c->ram_size)
		return false;
	x86_tlb_last_fill(c, X86_ACC_FETCH, rip, *pa);
	return true;
}

/* Fetch and decode at rip (uncached); *h is the handler. */
static enum x86_exit fetch_decode(struct x86_cpu *c, uint64_t rip, struct x86_insn *in,
				  x86_handler *h)
{
	uint8_t buf[X86_MAX_INSN_LEN];
	unsigned n = 0;
	enum x86_status st;
	enum x86_exit ex = x86_fetch(c, rip, buf, &n);

	if (ex)
		return ex;
	st = x86_decode(buf, n, X86_MODE_64, in);
	if (st == X86_ERR_TRUNCATED)
		return x86_fetch_fault(c, rip + n);
	if (st != X86_OK)
		return x86_raise(c, X86_EXC_UD);
	*h = x86_handler_for(in);
	return X86_EXIT_NONE;
}

enum x86_exit x86_step(struct x86_cpu *c)
{
	struct vcpu *v = c->v;
	uint64_t rip = v->regs.rip, pa = 0;
	struct x86_icache *ic = c->icache;
	struct x86_icache_entry *e = NULL;
	const struct x86_insn *in;
	struct x86_insn local;
	enum x86_exit ex;
	x86_handler h = NULL;

	if (c->has_stop && rip == c->stop_rip)
		return X86_EXIT_STOP;
	if (ic && fetch_pa(c, rip, &pa)) {
		e = x86_icache_slot(ic, pa);
		if (e->key == x86_icache_key(ic, pa)) {
			in = &e->in;
			h = e->h;
			goto decoded;
		}
	}
	ex = fetch_decode(c, rip, &local, &h);
	if (ex)
		return ex;
	in = &local;
	if (e && (pa & 0xfff) + local.len <= 4096) {
		/* Within one page: cache it, and watch the page for writes. */
		e->in = local;
		e->h = h;
		e->key = x86_icache_key(ic, pa);
		ic->code_page[pa >> 12] = 1;
		in = &e->in;
	}
decoded:
	if (needs_apx(in) && !v->apx_enabled)
		return x86_raise(c, X86_EXC_UD);
	if (!h)
		return x86_raise(c, X86_EXC_UD); /* not implemented by this vCPU: #UD */
	c->next_rip = rip + in->len;
	ex = h(c, in);
	if (ex == X86_EXIT_NONE || ex == X86_EXIT_HLT || ex == X86_EXIT_IO) {
		v->regs.rip = c->next_rip;
		c->icount++;
	} else if (ex == X86_EXIT_EXCEPTION && c->exc.soft) {
		c->exc.insn_rip = rip;
		v->regs.rip = c->next_rip; /* a trap: it retired */
		c->icount++;
	}
	return ex;
}

enum x86_exit x86_run(struct x86_cpu *c, uint64_t max)
{
	for (uint64_t i = 0; i < max; i++) {
		enum x86_exit ex = x86_step(c);

		if (ex != X86_EXIT_NONE)
			return ex;
	}
	return X86_EXIT_LIMIT;
}
