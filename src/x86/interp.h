/* SPDX-License-Identifier: MIT */
/*
 * The software vCPU: executes 64-bit code on struct vcpu, one decoded
 * instruction at a time, with precise exceptions.
 *
 * Contract for instruction handlers (x86_handler):
 *   - c->next_rip is preset to the address after the instruction; branches
 *     change it.  The core commits RIP = next_rip only when the handler
 *     returns X86_EXIT_NONE.
 *   - A handler that raises an exception (x86_raise*, or a faulting memory
 *     access) must not have changed anything: do every read and every check
 *     first, then the memory writes (probe all of them first when there are
 *     several), then registers, then RFLAGS.  Register writes cannot fault.
 *   - Operand i of the instruction is in->ops[i]; x86_op_read/x86_op_write
 *     handle registers (all classes of GPR, with the x86 write rules),
 *     memory (segment base, address size, canonical checks) and immediates.
 */
#ifndef APXVM_X86_INTERP_H
#define APXVM_X86_INTERP_H

#include <stdbool.h>
#include <stdint.h>

#include "vcpu/vcpu.h"
#include "x86/insn.h"

enum x86_vector {
	X86_EXC_DE = 0, X86_EXC_DB = 1, X86_EXC_NMI = 2, X86_EXC_BP = 3, X86_EXC_OF = 4,
	X86_EXC_BR = 5, X86_EXC_UD = 6, X86_EXC_NM = 7, X86_EXC_DF = 8, X86_EXC_TS = 10,
	X86_EXC_NP = 11, X86_EXC_SS = 12, X86_EXC_GP = 13, X86_EXC_PF = 14, X86_EXC_MF = 16,
	X86_EXC_AC = 17, X86_EXC_MC = 18, X86_EXC_XM = 19, X86_EXC_VE = 20, X86_EXC_CP = 21,
};

/* #PF error code bits. */
#define X86_PF_P    (1u << 0)
#define X86_PF_W    (1u << 1)
#define X86_PF_U    (1u << 2)
#define X86_PF_RSVD (1u << 3)
#define X86_PF_I    (1u << 4)

struct x86_exception {
	uint8_t vector;
	bool has_error;
	bool soft;        /* INT n / INT3 / INTO: a trap, RIP is after the instruction */
	uint32_t error;
	uint64_t cr2;     /* #PF: the faulting linear address */
	uint64_t insn_rip; /* soft: the instruction's address (a fault while delivering it points there) */
};

/* Why x86_step/x86_run stopped. */
enum x86_exit {
	X86_EXIT_NONE = 0,   /* instruction retired, keep going */
	X86_EXIT_EXCEPTION,  /* c->exc; RIP is the faulting instruction (after it for traps) */
	X86_EXIT_HLT,
	X86_EXIT_LIMIT,      /* the instruction budget ran out */
	X86_EXIT_STOP,       /* RIP reached c->stop_rip */
	X86_EXIT_INTERNAL,   /* an emulator bug or unsupported state (message in c->why) */
	X86_EXIT_IO,         /* an OUT retired and an io_out hook set c->stop_request */
	X86_EXIT_SHUTDOWN,   /* triple fault (x86_deliver could not deliver #DF) */
};

/* Memory access kinds for x86_mem_*. */
enum x86_access_kind { X86_ACC_READ, X86_ACC_WRITE, X86_ACC_FETCH };

struct x86_cpu;
/* struct x86_tlb (needs the enums above; paging.h includes this file back). */
#include "x86/paging.h"
#include "x86/icache.h"
typedef enum x86_exit (*x86_handler)(struct x86_cpu *c, const struct x86_insn *in);

struct x86_cpu {
	struct vcpu *v;
	/* Guest physical memory: flat RAM at [0, ram_size); the paging issue adds translation. */
	uint8_t *ram;
	uint64_t ram_size;

	uint64_t next_rip;
	uint64_t icount;      /* retired instructions */
	uint64_t stop_rip;    /* X86_EXIT_STOP when RIP == stop_rip (if has_stop) */
	bool has_stop;
	struct x86_exception exc;
	const char *why;      /* X86_EXIT_INTERNAL message */
	struct x86_tlb tlb;   /* paging.h: software TLB (all-zero = empty) */
	struct x86_icache *icache; /* icache.h: decoded instructions, NULL = none */

	/* Hooks (NULL = defaults: CPUID all zero, TSC = icount, IN reads all ones, OUT ignored). */
	void (*cpuid)(struct x86_cpu *c, uint32_t leaf, uint32_t sub, uint32_t out[4]);
	uint64_t (*rdtsc)(struct x86_cpu *c);
	uint32_t (*io_in)(struct x86_cpu *c, uint16_t port, unsigned bytes);
	void (*io_out)(struct x86_cpu *c, uint16_t port, unsigned bytes, uint32_t val);
	void *opaque;
	bool stop_request;    /* set by an io_out hook: OUT returns X86_EXIT_IO after retiring */
};

/* Execute one instruction / up to max instructions. */
enum x86_exit x86_step(struct x86_cpu *c);
enum x86_exit x86_run(struct x86_cpu *c, uint64_t max);

/*
 * Deliver c->exc (after X86_EXIT_EXCEPTION) through the 64-bit IDT, as the
 * CPU does: returns X86_EXIT_NONE when the handler is entered (RIP = handler),
 * X86_EXIT_SHUTDOWN on a triple fault, X86_EXIT_INTERNAL on unsupported
 * state.  Callers that want exceptions to stop the run (apxvm exec) simply
 * do not call it.  x86/deliver.c.
 */
enum x86_exit x86_deliver(struct x86_cpu *c);

/* Exceptions: fill c->exc and return X86_EXIT_EXCEPTION. */
enum x86_exit x86_raise(struct x86_cpu *c, unsigned vector);
enum x86_exit x86_raise_err(struct x86_cpu *c, unsigned vector, uint32_t error);
/* "#UD", "#GP", ...; "none" for no exception; "#INT(0xNN)" style for other vectors. */
const char *x86_exception_name(const struct x86_exception *e, char *buf, unsigned size);

/*
 * Memory.  `la` is a linear address (segment base already added).  `ss`
 * selects #SS instead of #GP for a non-canonical address.  Return
 * X86_EXIT_NONE or X86_EXIT_EXCEPTION.  probe checks without accessing.
 */
enum x86_exit x86_mem_read(struct x86_cpu *c, uint64_t la, void *dst, unsigned size, bool ss);
enum x86_exit x86_mem_write(struct x86_cpu *c, uint64_t la, const void *src, unsigned size, bool ss);
enum x86_exit x86_mem_probe(struct x86_cpu *c, uint64_t la, unsigned size,
			    enum x86_access_kind kind, bool ss);

/* Operands. */
uint64_t x86_ea(struct x86_cpu *c, const struct x86_insn *in, const struct x86_operand *op);
bool x86_op_is_ss(const struct x86_operand *op); /* memory operand based on RSP/RBP */
enum x86_exit x86_op_read(struct x86_cpu *c, const struct x86_insn *in, unsigned i, uint64_t *val);
enum x86_exit x86_op_write(struct x86_cpu *c, const struct x86_insn *in, unsigned i, uint64_t val);
/* Probe operand i (memory) for writing; registers always pass. */
enum x86_exit x86_op_probe_write(struct x86_cpu *c, const struct x86_insn *in, unsigned i);

/* Stack helpers (64-bit mode, SS-based, RSP not changed by these). */
enum x86_exit x86_push_probe(struct x86_cpu *c, unsigned bytes);

/* Condition codes 0..15 in Jcc order (o no b nb z nz be nbe s ns p np l nl le nle). */
bool x86_cond(uint64_t rflags, unsigned cc);

/* Handler lookup by the row's name ("add", "cbw|cwde|cdqe", "ccmp"): NULL if none. */
x86_handler x86_handler_for(const struct x86_insn *in);

/* Fast GPR access for handlers: numbers come from the decoder (0..31) and
 * REX2/EVEX are #UD before dispatch when APX is off, so they are in range. */
static inline uint64_t x86_gpr(struct x86_cpu *c, unsigned num)
{
	return vcpu_gpr_index_read(&c->v->regs, num);
}

static inline void x86_set_gpr(struct x86_cpu *c, unsigned num, uint64_t val)
{
	vcpu_gpr_index_write(&c->v->regs, num, val);
}

/* Replace the flags in `mask` with `val`, unless the instruction is {nf}. */
static inline void x86_flags_update(struct x86_cpu *c, const struct x86_insn *in,
				    uint64_t mask, uint64_t val)
{
	if (!in->nf)
		c->v->regs.rflags = (c->v->regs.rflags & ~mask) | (val & mask);
}

/* Mask of an operand width in bits (8..64). */
static inline uint64_t x86_width_mask(unsigned bits)
{
	return bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
}
#endif
