/* SPDX-License-Identifier: MIT */
/*
 * A VM to and from a snapshot file (format: snapshot.h, docs/snapshot.md).
 * The vCPU state goes through the state ABI (vcpu/abi.h), so a restore
 * obeys the same validation as KVM_SET_*; device state, RAM and the
 * instruction count are restored directly; the TLB and the decoded-
 * instruction cache are not stored (flushed on restore).
 */
#ifndef APXVM_VMM_SNAPSHOT_VM_H
#define APXVM_VMM_SNAPSHOT_VM_H

#include <stddef.h>
#include <stdio.h>

#include "vmm/snapshot.h"
#include "vmm/vm.h"

/*
 * Write vm to `path` (via path.tmp and rename, so a reader never sees half
 * a file).  0, or -1 with a message in err.
 */
int snap_save_vm(struct vm *vm, enum snap_run_state state, const char *path,
		 char *err, size_t errlen);

/*
 * Build *vm (vm_init'ed here; vm_destroy it on success) from a parsed
 * snapshot.  cpu: the CPU model name, NULL for the snapshot's own.
 * Refuses a model this build lacks and state the model cannot hold (XCR0
 * with APX on "noapx"), and whatever the ABI set functions refuse.
 * 0, or -1 with a message in err (vm is then destroyed).
 */
int snap_restore_vm(struct vm *vm, const struct snap_view *s, const char *cpu, FILE *trace,
		    char *err, size_t errlen);

/* Read a snapshot file (size-limited) into memory: the bytes (snap_free_file them) or NULL (*status 65/66). */
const uint8_t *snap_read_file(const char *path, size_t *len, int *status, char *err, size_t errlen);
void snap_free_file(const uint8_t *p);

#endif
