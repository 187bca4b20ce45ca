/* SPDX-License-Identifier: MIT */
/*
 * `apxvm exec`: run code bytes on the software vCPU in a flat 64-bit
 * environment and print the final state.
 *
 *   1 MiB of RAM (linear = physical), code at 0x1000, RSP = 0x80000, other
 *   GPRs 0, RFLAGS = 0x2, CPL 0, CR4.OSXSAVE = 1, XCR0 = x87|SSE|APX.
 *   Stops when RIP reaches the end of the code, at the first exception or
 *   HLT, or after --max-insns instructions.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/cli_util.h"
#include "vmm/commands.h"
#include "x86/interp.h"

#define EXEC_RAM_SIZE   (1u << 20)
#define EXEC_CODE_ADDR  0x1000u
#define EXEC_STACK_TOP  0x80000u
#define EXEC_MAX_DUMPS  64
#define EXEC_DEFAULT_MAX_INSNS 1000000u

static void exec_usage(void)
{
	fprintf(stderr,
		"usage: apxvm exec [--apx|--no-apx] [-s REG=VALUE ...] [--mem ADDR=HEX ...]\n"
		"                  [--dump ADDR,LEN ...] [--max-insns N] HEX...\n");
}

struct dump { uint64_t addr, len; };

int cmd_exec(int argc, char **argv)
{
	static uint8_t ram[EXEC_RAM_SIZE];
	static unsigned char code[EXEC_RAM_SIZE];
	struct dump dumps[EXEC_MAX_DUMPS];
	unsigned ndumps = 0;
	size_t code_len = 0;
	uint64_t max_insns = EXEC_DEFAULT_MAX_INSNS;
	bool apx = true;
	struct vcpu v;
	struct x86_cpu c;
	enum x86_exit ex;
	char nbuf[32];
	int i;

	memset(ram, 0, sizeof(ram));
	memset(&v, 0, sizeof(v));
	vcpu_regfile_init(&v.regs, NULL);
	v.regs.regs[VCPU_REGS_RSP] = EXEC_STACK_TOP;
	v.regs.rip = EXEC_CODE_ADDR;
	v.regs.rflags = X86_FLAGS_FIXED;
	v.cr4 = X86_CR4_OSXSAVE;

	/* First pass: options that do not depend on the others. */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--apx")) {
			apx = true;
		} else if (!strcmp(a, "--no-apx")) {
			apx = false;
		} else if (!strcmp(a, "--max-insns") && i + 1 < argc) {
			if (cli_parse_u64(argv[++i], &max_insns)) {
				fprintf(stderr, "apxvm exec: bad --max-insns '%s'\n", argv[i]);
				return 2;
			}
		} else if ((!strcmp(a, "-s") || !strcmp(a, "--mem") || !strcmp(a, "--dump")) &&
			   i + 1 < argc) {
			i++; /* second pass */
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "apxvm exec: unknown or incomplete option '%s'\n", a);
			exec_usage();
			return 2;
		} else {
			int n = parse_hex(a, code + code_len,
					  (unsigned)(EXEC_RAM_SIZE - EXEC_CODE_ADDR - code_len));

			if (n < 0) {
				fprintf(stderr, "apxvm exec: code '%s' is not an even number of hex digits "
					"(or does not fit below 1 MiB)\n", a);
				return 2;
			}
			code_len += (size_t)n;
		}
	}
#ifndef CONFIG_APX
	if (apx) {
		apx = false; /* a 16-GPR build has no APX to offer */
	}
#endif
	v.cpuid_apx = apx;
	v.xcr0 = X86_XCR0_X87 | X86_XCR0_SSE | (apx ? X86_XCR0_APX : 0);
	vcpu_update_apx(&v);
	memcpy(ram + EXEC_CODE_ADDR, code, code_len);

	/* Second pass: registers, memory contents, dumps (after the code is placed). */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--max-insns")) {
			i++;
		} else if (!strcmp(a, "-s") && i + 1 < argc) {
			int r = cli_set_reg(&v, argv[++i], apx ? NR_VCPU_GENERAL_PURPOSE_REGS : 16);

			if (r == -1) {
				fprintf(stderr, "apxvm exec: -s wants REG=VALUE, got '%s'\n", argv[i]);
				return 2;
			}
			if (r == -2) {
				fprintf(stderr, "apxvm exec: unknown register in '%s'%s\n", argv[i],
					apx ? "" : " (r16..r31 need APX)");
				return 2;
			}
		} else if (!strcmp(a, "--mem") && i + 1 < argc) {
			char *eq = strchr(argv[++i], '='), addr_s[32];
			uint64_t addr;
			int n;
			unsigned char *tmp;

			if (!eq || (size_t)(eq - argv[i]) >= sizeof(addr_s)) {
				fprintf(stderr, "apxvm exec: --mem wants ADDR=HEX, got '%s'\n", argv[i]);
				return 2;
			}
			memcpy(addr_s, argv[i], (size_t)(eq - argv[i]));
			addr_s[eq - argv[i]] = 0;
			tmp = malloc(EXEC_RAM_SIZE);
			n = tmp ? parse_hex(eq + 1, tmp, EXEC_RAM_SIZE) : -1;
			if (cli_parse_u64(addr_s, &addr) || n < 0 || addr > EXEC_RAM_SIZE ||
			    (uint64_t)n > EXEC_RAM_SIZE - addr) {
				fprintf(stderr, "apxvm exec: --mem '%s': bad address or bytes, or outside "
					"the 1 MiB of RAM\n", argv[i]);
				free(tmp);
				return 2;
			}
			memcpy(ram + addr, tmp, (size_t)n);
			free(tmp);
		} else if (!strcmp(a, "--dump") && i + 1 < argc) {
			char *comma = strchr(argv[++i], ','), addr_s[32];
			struct dump d;

			if (!comma || (size_t)(comma - argv[i]) >= sizeof(addr_s) || ndumps >= EXEC_MAX_DUMPS) {
				fprintf(stderr, "apxvm exec: --dump wants ADDR,LEN (at most %d), got '%s'\n",
					EXEC_MAX_DUMPS, argv[i]);
				return 2;
			}
			memcpy(addr_s, argv[i], (size_t)(comma - argv[i]));
			addr_s[comma - argv[i]] = 0;
			if (cli_parse_u64(addr_s, &d.addr) || cli_parse_u64(comma + 1, &d.len) ||
			    d.addr > EXEC_RAM_SIZE || d.len > EXEC_RAM_SIZE - d.addr) {
				fprintf(stderr, "apxvm exec: --dump '%s' is outside the 1 MiB of RAM\n", argv[i]);
				return 2;
			}
			dumps[ndumps++] = d;
		}
	}
	if (!code_len) {
		exec_usage();
		return 2;
	}

	memset(&c, 0, sizeof(c));
	c.v = &v;
	c.ram = ram;
	c.ram_size = EXEC_RAM_SIZE;
	c.has_stop = true;
	c.stop_rip = EXEC_CODE_ADDR + code_len;
	ex = x86_run(&c, max_insns);

	cli_print_regs(stdout, &v, apx ? NR_VCPU_GENERAL_PURPOSE_REGS : 16);
	printf("exception=%s\n", ex == X86_EXIT_EXCEPTION ?
	       x86_exception_name(&c.exc, nbuf, sizeof(nbuf)) : "none");
	for (unsigned k = 0; k < ndumps; k++) {
		printf("mem@0x%" PRIx64 "=", dumps[k].addr);
		for (uint64_t b = 0; b < dumps[k].len; b++)
			printf("%02x", ram[dumps[k].addr + b]);
		putchar('\n');
	}
	if (ex == X86_EXIT_INTERNAL) {
		fprintf(stderr, "apxvm exec: internal error at rip 0x%" PRIx64 ": %s\n",
			v.regs.rip, c.why ? c.why : "?");
		return 1;
	}
	return 0;
}
