/* SPDX-License-Identifier: MIT */
/*
 * `apxvm restore FILE`: continue a VM from a snapshot (docs/snapshot.md)
 * with the run options of `apxvm run`, on either backend (--accel): the
 * snapshot holds the KVM structures, so a non-APX guest moves between the
 * software CPU and KVM both ways.  A refused snapshot is status 65, like a
 * refused guest file, and so is one KVM cannot host (APX on a host whose KVM
 * lacks it); the rest of the statuses are run's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vcpu/cpuid.h"
#include "vmm/commands.h"
#include "vmm/session.h"
#include "vmm/snapshot_vm.h"

static void restore_usage(void)
{
	fprintf(stderr,
		"usage: apxvm restore [--cpu apx|noapx] [--accel soft|kvm|auto] [--max-insns N]\n"
		"                     [--timeout SEC] [--trace] [--snapshot-at N FILE]\n"
		"                     [--snapshot-on-exit FILE] SNAPSHOT\n");
}

static int parse_opts(int argc, char **argv, struct session_opts *o, const char **cpu,
		      const char **path)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = session_opt("restore", argc, argv, &i, o);

		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (!strcmp(a, "--cpu") && i + 1 < argc)
			*cpu = argv[++i];
		else if (a[0] == '-' && a[1])
			return fprintf(stderr, "apxvm restore: unknown or incomplete option '%s'\n",
				       a), -1;
		else if (*path)
			return fprintf(stderr, "apxvm restore: more than one snapshot ('%s', '%s')\n",
				       *path, a), -1;
		else
			*path = a;
	}
	if (!*path)
		return fprintf(stderr, "apxvm restore: no snapshot file\n"), -1;
	if (*cpu && !vcpu_cpu_model_find(*cpu))
		return fprintf(stderr, "apxvm restore: unknown --cpu '%s'\n", *cpu), -1;
	return session_check_accel("restore", o);
}

int cmd_restore(int argc, char **argv)
{
	struct session_opts o;
	const char *cpu = NULL, *path = NULL;
	struct snap_view s;
	const uint8_t *buf;
	struct vm *vm;
	char err[512];
	size_t len = 0;
	int rc;

	session_stdout_init();
	memset(&o, 0, sizeof(o));
	if (parse_opts(argc, argv, &o, &cpu, &path)) {
		restore_usage();
		return RUN_EXIT_USAGE;
	}
	buf = snap_read_file(path, &len, &rc, err, sizeof(err));
	if (!buf) {
		fprintf(stderr, "apxvm restore: %s\n", err);
		return rc;
	}
	if (snap_parse(buf, len, &s, err, sizeof(err))) {
		fprintf(stderr, "apxvm restore: %s: refused: %s\n", path, err);
		snap_free_file(buf);
		return RUN_EXIT_BADGUEST;
	}
	if (o.has_snap_at && o.snap_at < s.machine.icount) {
		fprintf(stderr, "apxvm restore: --snapshot-at %" PRIu64 " is before the snapshot's "
			"instruction count %" PRIu64 "\n", o.snap_at, s.machine.icount);
		snap_free_file(buf);
		return RUN_EXIT_USAGE;
	}
	vm = calloc(1, sizeof(*vm));
	if (!vm || snap_restore_vm(vm, &s, cpu, o.trace ? stderr : NULL, err, sizeof(err))) {
		fprintf(stderr, "apxvm restore: %s: refused: %s\n", path, vm ? err : "out of memory");
		snap_free_file(buf);
		free(vm);
		return RUN_EXIT_BADGUEST;
	}
	snap_free_file(buf);
	/* KVM after the state is restored: its first run copies struct vcpu in. */
	rc = session_use_accel("restore", vm, &o, RUN_EXIT_BADGUEST);
	if (rc) {
		if (rc == RUN_EXIT_BADGUEST)
			fprintf(stderr, "apxvm restore: %s: refused on --accel kvm (CPU model '%s')\n",
				path, vm->model->name);
		vm_destroy(vm);
		free(vm);
		return rc;
	}
	if (o.trace)
		fprintf(stderr, "apxvm: trace: %s: cpu %s, %" PRIu64 " MiB RAM, instruction %" PRIu64
			", rip 0x%" PRIx64 "\n", path, vm->model->name, vm->ram_size >> 20,
			vm->cpu.icount, vm->vcpu.regs.rip);
	rc = session_run("restore", vm, &o, (enum snap_run_state)s.machine.run_state);
	vm_destroy(vm);
	free(vm);
	return rc;
}
