/* SPDX-License-Identifier: MIT */
/*
 * What `apxvm run` and `apxvm restore` share once the VM is set up: the run
 * options (--max-insns, --timeout, --trace, --snapshot-at, --snapshot-on-exit),
 * the run itself, writing the snapshots asked for, and turning the way the
 * guest stopped into the process exit status (README.md, "Exit statuses").
 */
#ifndef APXVM_VMM_SESSION_H
#define APXVM_VMM_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "vmm/snapshot.h"
#include "vmm/vm.h"

enum {
	RUN_EXIT_USAGE = 64,     /* bad command line */
	RUN_EXIT_BADGUEST = 65,  /* the ELF file or the snapshot was refused */
	RUN_EXIT_NOINPUT = 66,   /* the file cannot be read */
	RUN_EXIT_INTERNAL = 70,  /* unsupported guest state or emulator bug */
	RUN_EXIT_HLT = 71,       /* HLT that nothing can wake */
	RUN_EXIT_TRIPLE = 72,    /* triple fault */
	RUN_EXIT_LIMIT = 73,     /* --max-insns */
	RUN_EXIT_TIMEOUT = 74,   /* --timeout */
	RUN_EXIT_SNAPWRITE = 75, /* a snapshot file could not be written */
};

struct session_opts {
	uint64_t max_insns;          /* 0: none */
	double timeout;              /* 0: none */
	bool trace;
	bool has_snap_at;
	uint64_t snap_at;            /* retired-instruction count (vm->cpu.icount) */
	const char *snap_at_file;
	const char *snap_exit_file;  /* NULL: no --snapshot-on-exit */
};

/*
 * Parse the shared option at argv[*i] (advancing *i past its values):
 * 1 if it was one, 0 if not, -1 (message printed, prefixed with cmd) if its
 * value is bad or missing.
 */
int session_opt(const char *cmd, int argc, char **argv, int *i, struct session_opts *o);

/*
 * Run the VM (unless `state` says the snapshot it came from was written
 * after the guest had stopped: then report that stop again), write the
 * snapshots asked for and report; returns the process exit status.
 */
int session_run(const char *cmd, struct vm *vm, const struct session_opts *o,
		enum snap_run_state state);

#endif
