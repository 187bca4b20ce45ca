/* SPDX-License-Identifier: MIT */
/* apxvm: one binary, one subcommand per job (kvmtool style command table). */
#include <stdio.h>
#include <string.h>

#include "vmm/commands.h"

static const struct apxvm_command commands[] = {
	{ "dis",          cmd_dis,          "dis HEX... | dis -f FILE [--base ADDR]  disassemble (Intel syntax, XED style)" },
	{ "decode",       cmd_decode,       "decode [--full]   hex per line on stdin -> status len iclass operands intel" },
	{ "exec",         cmd_exec,         "exec [--apx|--no-apx] [-s REG=VAL] [--mem ADDR=HEX] [--dump ADDR,LEN] [--max-insns N] HEX  run code on the software vCPU" },
	{ "run",          cmd_run,          "run [-m MiB] [--cpu apx|noapx] [--accel soft|kvm|auto] [--max-insns N] [--timeout SEC] [--trace] [-s REG=VAL] [--snapshot-at N FILE] [--snapshot-on-exit FILE] GUEST.elf  boot a guest" },
	{ "restore",      cmd_restore,      "restore [--cpu apx|noapx] [--accel soft|kvm|auto] [--max-insns N] [--timeout SEC] [--trace] [--snapshot-at N FILE] [--snapshot-on-exit FILE] SNAPSHOT  continue a VM from a snapshot" },
	{ "bench-decode", cmd_bench_decode, "bench-decode FILE.tsv...  decoder throughput on vector files" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: apxvm COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].help);
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "apxvm: unknown command '%s' (try 'apxvm help')\n", argv[1]);
	return 2;
}
