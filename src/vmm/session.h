/* SPDX-License-Identifier: MIT */
/*
 * What `apxvm run` and `apxvm restore` share once the VM is set up: the run
 * options (--accel, --max-insns, --timeout, --trace, --snapshot-at,
 * --snapshot-on-exit), the choice of backend, the run itself, writing the snapshots asked for, and turning the way the
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
	const char *accel;           /* "soft" (also NULL), "kvm" or "auto" */
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
 * After parsing: --accel kvm with an option that counts instructions
 * (--max-insns, --snapshot-at) is a usage error.  0, or -1 (message printed).
 */
int session_check_accel(const char *cmd, const struct session_opts *o);

/*
 * Put the VM on the backend --accel asks for, once its state is final (after
 * vm_boot64 or a restore; the first KVM run copies struct vcpu in).  `auto`
 * takes KVM when it works, can offer the CPU model and nothing needs an
 * instruction count, else the software CPU (said with --trace).  Returns 0,
 * or an exit status with the message printed: RUN_EXIT_USAGE when KVM was
 * asked for and /dev/kvm is not usable, `refused` when KVM works but cannot
 * host the VM's CPU model (APX without KVM APX): run passes RUN_EXIT_USAGE
 * (the --cpu option), restore RUN_EXIT_BADGUEST (the snapshot's model/state).
 */
int session_use_accel(const char *cmd, struct vm *vm, const struct session_opts *o,
		      int refused);

/*
 * Run the VM (unless `state` says the snapshot it came from was written
 * after the guest had stopped: then report that stop again), write the
 * snapshots asked for and report; returns the process exit status.
 */
int session_run(const char *cmd, struct vm *vm, const struct session_opts *o,
		enum snap_run_state state);

/*
 * Guest output (COM1 -> stdout) is line-buffered even into a pipe or file:
 * one write(2) per line instead of per byte, yet a killed run loses at most
 * a partial line.  Call before anything is printed.
 */
void session_stdout_init(void);

#endif
