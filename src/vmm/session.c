/* SPDX-License-Identifier: MIT */
/* The run, the snapshots and the exit status shared by run and restore. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "accel/kvm.h"
#include "vmm/cli_util.h"
#include "vmm/session.h"
#include "vmm/snapshot_vm.h"

int session_opt(const char *cmd, int argc, char **argv, int *i, struct session_opts *o)
{
	const char *a = argv[*i], *val = *i + 1 < argc ? argv[*i + 1] : NULL;
	char *end;

	if (!strcmp(a, "--trace")) {
		o->trace = true;
		return 1;
	}
	if (strcmp(a, "--max-insns") && strcmp(a, "--timeout") && strcmp(a, "--snapshot-at") &&
	    strcmp(a, "--snapshot-on-exit") && strcmp(a, "--accel"))
		return 0;
	if (!val)
		return fprintf(stderr, "apxvm %s: %s needs a value\n", cmd, a), -1;
	(*i)++;
	if (!strcmp(a, "--accel")) {
		if (strcmp(val, "soft") && strcmp(val, "kvm") && strcmp(val, "auto"))
			return fprintf(stderr, "apxvm %s: --accel wants soft, kvm or auto\n", cmd), -1;
		o->accel = val;
	} else if (!strcmp(a, "--max-insns")) {
		if (cli_parse_u64(val, &o->max_insns))
			return fprintf(stderr, "apxvm %s: bad --max-insns '%s'\n", cmd, val), -1;
	} else if (!strcmp(a, "--timeout")) {
		o->timeout = strtod(val, &end);
		if (end == val || *end || !(o->timeout >= 0) || o->timeout > 1e9)
			return fprintf(stderr, "apxvm %s: bad --timeout '%s'\n", cmd, val), -1;
	} else if (!strcmp(a, "--snapshot-on-exit")) {
		o->snap_exit_file = val;
	} else {
		if (val[0] == '-' || cli_parse_u64(val, &o->snap_at) || *i + 1 >= argc)
			return fprintf(stderr, "apxvm %s: --snapshot-at wants N FILE\n", cmd), -1;
		o->has_snap_at = true;
		o->snap_at_file = argv[++*i];
	}
	return 1;
}

int session_check_accel(const char *cmd, const struct session_opts *o)
{
	if (o->accel && !strcmp(o->accel, "kvm") && (o->max_insns || o->has_snap_at))
		return fprintf(stderr, "apxvm %s: --max-insns and --snapshot-at count instructions, "
			       "which KVM cannot do; use --timeout, or --accel soft\n", cmd), -1;
	return 0;
}

int session_use_accel(const char *cmd, struct vm *vm, const struct session_opts *o,
		      int refused)
{
	bool counted = o->max_insns || o->has_snap_at;
	char err[512];

	if (!o->accel || !strcmp(o->accel, "soft"))
		return 0;
	if (counted)
		snprintf(err, sizeof(err), "--max-insns/--snapshot-at need instruction counts");
	if (!counted && !vm_use_kvm(vm, err, sizeof(err))) {
		if (o->trace)
			fprintf(stderr, "apxvm: trace: --accel %s: KVM\n", o->accel);
		return 0;
	}
	if (strcmp(o->accel, "kvm")) {
		if (o->trace)
			fprintf(stderr, "apxvm: trace: --accel auto: software CPU (%s)\n", err);
		return 0;
	}
	fprintf(stderr, "apxvm %s: --accel kvm: %s\n", cmd, err);
	/* APX state cannot move: no --cpu makes it fit a KVM without APX. */
	if (vm->vcpu.xcr0 & VCPU_XCR0_APX)
		fprintf(stderr, "apxvm %s: the guest has APX enabled (XCR0 0x%" PRIx64 "): it can "
			"only go on with --accel soft\n", cmd, (uint64_t)vm->vcpu.xcr0);
	/* /dev/kvm itself unusable: the environment, not the guest. */
	return kvm_backend_available(err, sizeof(err)) ? RUN_EXIT_USAGE : refused;
}

static enum snap_run_state stop_state(enum vm_stop stop)
{
	switch (stop) {
	case VM_STOP_EXIT_PORT:
		return SNAP_EXITED;
	case VM_STOP_HLT:
		return SNAP_HALTED;
	case VM_STOP_SHUTDOWN:
		return SNAP_SHUTDOWN;
	case VM_STOP_INTERNAL:
		return SNAP_FAILED;
	default:
		return SNAP_RUNNABLE;
	}
}

static int save(const char *cmd, struct vm *vm, enum snap_run_state st, const char *path,
		const struct session_opts *o)
{
	char err[512] = "";

	if (snap_save_vm(vm, st, path, err, sizeof(err))) {
		fprintf(stderr, "apxvm %s: snapshot: %s\n", cmd, err);
		return -1;
	}
	if (o->trace)
		fprintf(stderr, "apxvm: trace: snapshot '%s' written at instruction %" PRIu64
			" (rip 0x%" PRIx64 ")\n", path, vm->cpu.icount, vm->vcpu.regs.rip);
	return 0;
}

/* A snapshot written after the guest had stopped: the same stop again. */
static enum vm_stop replay_stop(struct vm *vm, enum snap_run_state st, uint8_t *status,
				const char **why)
{
	*why = "the snapshot was written after the guest had stopped";
	switch (st) {
	case SNAP_EXITED:
		*status = vm->exitdev.status;
		return VM_STOP_EXIT_PORT;
	case SNAP_HALTED:
		*why = "HLT (the snapshot was written after it)";
		return VM_STOP_HLT;
	case SNAP_SHUTDOWN:
		*why = "triple fault (the snapshot was written after it)";
		return VM_STOP_SHUTDOWN;
	default:
		*why = "internal error (the snapshot was written after it)";
		return VM_STOP_INTERNAL;
	}
}

static int report(const char *cmd, struct vm *vm, const struct session_opts *o,
		  enum vm_stop stop, uint8_t status, const char *why)
{
	switch (stop) {
	case VM_STOP_EXIT_PORT:
		if (o->trace)
			fprintf(stderr, "apxvm: trace: exit port 0x%x written with 0x%" PRIx32
				" at rip 0x%" PRIx64 " after %" PRIu64 " instructions: exit status %u\n",
				EXITDEV_PORT, vm->exitdev.value, vm->vcpu.regs.rip, vm->cpu.icount,
				status);
		return status;
	case VM_STOP_HLT:
		fprintf(stderr, "apxvm %s: guest stopped: %s at rip 0x%" PRIx64 "\n",
			cmd, why, vm->vcpu.regs.rip);
		return RUN_EXIT_HLT;
	case VM_STOP_SHUTDOWN:
		fprintf(stderr, "apxvm %s: triple fault at rip 0x%" PRIx64 " (%s); state:\n",
			cmd, vm->vcpu.regs.rip, why);
		vm_dump_state(vm, stderr);
		return RUN_EXIT_TRIPLE;
	case VM_STOP_LIMIT:
		fprintf(stderr, "apxvm %s: instruction limit (%" PRIu64 ") reached at rip 0x%" PRIx64
			"\n", cmd, o->max_insns, vm->vcpu.regs.rip);
		return RUN_EXIT_LIMIT;
	case VM_STOP_TIMEOUT:
		fprintf(stderr, "apxvm %s: timeout (%g s) at rip 0x%" PRIx64 " after %" PRIu64
			" instructions\n", cmd, o->timeout, vm->vcpu.regs.rip, vm->cpu.icount);
		return RUN_EXIT_TIMEOUT;
	case VM_STOP_AT:
		return 0;
	default:
		fprintf(stderr, "apxvm %s: internal error at rip 0x%" PRIx64 ": %s; state:\n",
			cmd, vm->vcpu.regs.rip, why);
		vm_dump_state(vm, stderr);
		return RUN_EXIT_INTERNAL;
	}
}

int session_run(const char *cmd, struct vm *vm, const struct session_opts *o,
		enum snap_run_state state)
{
	const char *why = NULL;
	enum vm_stop stop;
	uint8_t status = 0;
	int rc;

	vm->has_stop_at = o->has_snap_at;
	vm->stop_at = o->snap_at;
	if (state != SNAP_RUNNABLE)
		stop = replay_stop(vm, state, &status, &why);
	else
		stop = vm_run(vm, o->max_insns, o->timeout, &status, &why);
	fflush(stdout);
	if (stop == VM_STOP_AT && save(cmd, vm, SNAP_RUNNABLE, o->snap_at_file, o))
		return RUN_EXIT_SNAPWRITE;
	if (stop != VM_STOP_AT && o->has_snap_at)
		fprintf(stderr, "apxvm %s: the run ended at instruction %" PRIu64 " without "
			"reaching --snapshot-at %" PRIu64 ": '%s' not written\n", cmd, vm->cpu.icount,
			o->snap_at, o->snap_at_file);
	rc = report(cmd, vm, o, stop, status, why);
	if (o->snap_exit_file && save(cmd, vm, stop_state(stop), o->snap_exit_file, o))
		return RUN_EXIT_SNAPWRITE;
	return rc;
}

void session_stdout_init(void)
{
	static char buf[1 << 16];

	setvbuf(stdout, buf, _IOLBF, sizeof(buf));
}
