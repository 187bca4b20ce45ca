/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/cli_util.h"

int cli_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	int neg = *s == '-';

	/* a digit must follow: strtoull would take "--5" or " 5" too */
	if (!isdigit((unsigned char)s[neg]))
		return -1;
	errno = 0;
	*out = strtoull(s + neg, &end, 0);
	if (errno || *end || end == s + neg)
		return -1;
	if (neg)
		*out = (uint64_t)0 - *out;
	return 0;
}

int cli_set_reg(struct vcpu *v, const char *arg, unsigned nregs)
{
	char name[16];
	const char *eq = strchr(arg, '=');
	size_t nl = eq ? (size_t)(eq - arg) : 0;
	uint64_t val;

	if (!eq || nl == 0 || nl >= sizeof(name) || cli_parse_u64(eq + 1, &val))
		return -1;
	memcpy(name, arg, nl);
	name[nl] = 0;
	if (!strcmp(name, "rip")) {
		v->regs.rip = val;
		return 0;
	}
	if (!strcmp(name, "rflags")) {
		v->regs.rflags = val;
		return 0;
	}
	for (unsigned r = 0; r < nregs; r++) {
		if (!strcmp(name, vcpu_gpr_name(r))) {
			vcpu_gpr_index_write(&v->regs, r, val);
			return 0;
		}
	}
	return -2;
}

void cli_print_regs(FILE *f, struct vcpu *v, unsigned nregs)
{
	for (unsigned r = 0; r < nregs; r++)
		fprintf(f, "%s=0x%" PRIx64 "\n", vcpu_gpr_name(r), vcpu_gpr_index_read(&v->regs, r));
	fprintf(f, "rip=0x%" PRIx64 "\nrflags=0x%" PRIx64 "\n", v->regs.rip, v->regs.rflags);
}
