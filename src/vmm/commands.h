/* SPDX-License-Identifier: MIT */
#ifndef APXVM_VMM_COMMANDS_H
#define APXVM_VMM_COMMANDS_H

/* A subcommand gets argv from its own name on and returns the exit status. */
struct apxvm_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

int cmd_dis(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_bench_decode(int argc, char **argv);
int cmd_exec(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_restore(int argc, char **argv);

/* Parse hex digits (spaces allowed) into buf; returns bytes or -1 on bad input. */
int parse_hex(const char *s, unsigned char *buf, unsigned size);

#endif
