/* SPDX-License-Identifier: MIT */
/* Messages for the KVM exits the VMM does not handle (kvm_exit_describe). */
#include <inttypes.h>
#include <stdio.h>

#include "accel/kvm.h"

static const char *const exit_names[] = {
	[KVM_EXIT_UNKNOWN] = "UNKNOWN",
	[KVM_EXIT_EXCEPTION] = "EXCEPTION",
	[KVM_EXIT_IO] = "IO",
	[KVM_EXIT_HYPERCALL] = "HYPERCALL",
	[KVM_EXIT_DEBUG] = "DEBUG",
	[KVM_EXIT_HLT] = "HLT",
	[KVM_EXIT_MMIO] = "MMIO",
	[KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
	[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
	[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
	[KVM_EXIT_INTR] = "INTR",
	[KVM_EXIT_SET_TPR] = "SET_TPR",
	[KVM_EXIT_TPR_ACCESS] = "TPR_ACCESS",
	[KVM_EXIT_NMI] = "NMI",
	[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
	[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
	[KVM_EXIT_IOAPIC_EOI] = "IOAPIC_EOI",
	[KVM_EXIT_X86_RDMSR] = "X86_RDMSR",
	[KVM_EXIT_X86_WRMSR] = "X86_WRMSR",
	[KVM_EXIT_DIRTY_RING_FULL] = "DIRTY_RING_FULL",
	[KVM_EXIT_X86_BUS_LOCK] = "X86_BUS_LOCK",
	[KVM_EXIT_NOTIFY] = "NOTIFY",
};

static const char *const internal_names[] = {
	[KVM_INTERNAL_ERROR_EMULATION] = "instruction emulation failed",
	[KVM_INTERNAL_ERROR_SIMUL_EX] = "exception while delivering an exception",
	[KVM_INTERNAL_ERROR_DELIVERY_EV] = "event delivery failed",
	[KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON] = "unexpected hardware exit reason",
};

static const char *name_of(const char *const *tab, size_t n, uint32_t i)
{
	return i < n && tab[i] ? tab[i] : "?";
}

void kvm_exit_describe(const struct kvm_run *run, char *buf, size_t len)
{
	uint32_t r = run->exit_reason;
	const char *name = name_of(exit_names, sizeof(exit_names) / sizeof(exit_names[0]), r);
	int n;

	switch (r) {
	case KVM_EXIT_INTERNAL_ERROR: {
		uint32_t nd = run->internal.ndata;

		n = snprintf(buf, len, "KVM_EXIT_INTERNAL_ERROR: %s (suberror %u)",
			     name_of(internal_names, sizeof(internal_names) / sizeof(internal_names[0]),
				     run->internal.suberror), run->internal.suberror);
		/* ndata comes from the kernel, but the array is fixed: bound it. */
		if (nd > sizeof(run->internal.data) / sizeof(run->internal.data[0]))
			nd = sizeof(run->internal.data) / sizeof(run->internal.data[0]);
		for (uint32_t i = 0; i < nd && n > 0 && (size_t)n < len; i++)
			n += snprintf(buf + n, len - (size_t)n, "%s0x%llx", i ? " " : ", data ",
				      (unsigned long long)run->internal.data[i]);
		return;
	}
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(buf, len, "KVM_EXIT_FAIL_ENTRY: the CPU refused the guest state "
			 "(hardware reason 0x%llx, cpu %u)",
			 (unsigned long long)run->fail_entry.hardware_entry_failure_reason,
			 run->fail_entry.cpu);
		return;
	case KVM_EXIT_MMIO:
		snprintf(buf, len, "KVM_EXIT_MMIO: %s of %u bytes at guest-physical 0x%llx: "
			 "no RAM and no MMIO device there",
			 run->mmio.is_write ? "write" : "read", run->mmio.len,
			 (unsigned long long)run->mmio.phys_addr);
		return;
	case KVM_EXIT_SHUTDOWN:
		snprintf(buf, len, "triple fault (KVM_EXIT_SHUTDOWN)");
		return;
	case KVM_EXIT_SYSTEM_EVENT:
		snprintf(buf, len, "KVM_EXIT_SYSTEM_EVENT type %u", run->system_event.type);
		return;
	case KVM_EXIT_EXCEPTION:
		snprintf(buf, len, "KVM_EXIT_EXCEPTION: exception %u, error code 0x%x",
			 run->ex.exception, run->ex.error_code);
		return;
	}
	snprintf(buf, len, "unexpected KVM exit reason %u (KVM_EXIT_%s)", r, name);
}
