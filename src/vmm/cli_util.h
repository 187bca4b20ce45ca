/* SPDX-License-Identifier: MIT */
/* Command-line helpers shared by the subcommands (exec, run). */
#ifndef APXVM_VMM_CLI_UTIL_H
#define APXVM_VMM_CLI_UTIL_H

#include <stdint.h>
#include <stdio.h>

#include "vcpu/vcpu.h"

/* Decimal, 0x hex or 0 octal, optionally negative (two's complement); 0 or -1. */
int cli_parse_u64(const char *s, uint64_t *out);

/*
 * Apply "REG=VALUE" (REG: rax..r15, r16..r31 when nregs is 32, rip, rflags).
 * Returns 0, -1 for a malformed argument, -2 for an unknown register.
 */
int cli_set_reg(struct vcpu *v, const char *arg, unsigned nregs);

/* Print every GPR (the first nregs), RIP and RFLAGS as "name=0x..." lines. */
void cli_print_regs(FILE *f, struct vcpu *v, unsigned nregs);

#endif
