/* SPDX-License-Identifier: MIT */
/*
 * `apxvm run`: load an ELF64 guest, build the _start64 state, run it on the
 * backend --accel picks (session.c) and turn the way it stopped into the
 * process exit status (the table is in README.md, "Exit statuses of apxvm run").
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vcpu/cpuid.h"
#include "vmm/cli_util.h"
#include "vmm/commands.h"
#include "vmm/elf.h"
#include "vmm/session.h"
#include "vmm/vm.h"


#define RUN_DEFAULT_MIB  64
#define RUN_MAX_FILE     (256u << 20)
#define RUN_MAX_SETS     64

static void run_usage(void)
{
	fprintf(stderr,
		"usage: apxvm run [-m MiB] [--cpu apx|noapx] [--accel soft|kvm|auto]\n"
		"                 [--max-insns N] [--timeout SEC]\n"
		"                 [--trace] [-s REG=VALUE ...] [--snapshot-at N FILE]\n"
		"                 [--snapshot-on-exit FILE] GUEST.elf\n");
}

/* Read the whole file (bounded); NULL with a message on failure. */
static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *buf;

	if (!f) {
		fprintf(stderr, "apxvm run: cannot open '%s': ", path);
		perror(NULL);
		return NULL;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > RUN_MAX_FILE) {
		fprintf(stderr, "apxvm run: '%s' is not a regular file of at most %u MiB\n",
			path, RUN_MAX_FILE >> 20);
		fclose(f);
		return NULL;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		fprintf(stderr, "apxvm run: cannot read '%s'\n", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*size = (size_t)st.st_size;
	return buf;
}

struct run_opts {
	uint64_t ram_mib;
	struct session_opts s;     /* --max-insns, --timeout, --trace, snapshots */
	const char *cpu, *path;
	const char *sets[RUN_MAX_SETS];
	unsigned nsets;
};

static int parse_opts(int argc, char **argv, struct run_opts *o)
{
	o->ram_mib = RUN_DEFAULT_MIB;
	o->cpu = vcpu_cpu_model_default()->name;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		int r = session_opt("run", argc, argv, &i, &o->s);

		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (!strcmp(a, "-m") && val) {
			if (cli_parse_u64(val, &o->ram_mib))
				return fprintf(stderr, "apxvm run: bad -m '%s'\n", val), -1;
			i++;
		} else if (!strcmp(a, "--cpu") && val) {
			o->cpu = val;
			i++;
		} else if (!strcmp(a, "-s") && val) {
			if (o->nsets == RUN_MAX_SETS)
				return fprintf(stderr, "apxvm run: more than %d -s\n", RUN_MAX_SETS), -1;
			o->sets[o->nsets++] = val;
			i++;
		} else if (a[0] == '-' && a[1]) {
			return fprintf(stderr, "apxvm run: unknown or incomplete option '%s'\n", a), -1;
		} else if (o->path) {
			return fprintf(stderr, "apxvm run: more than one guest ('%s', '%s')\n",
				       o->path, a), -1;
		} else {
			o->path = a;
		}
	}
	if (!o->path)
		return fprintf(stderr, "apxvm run: no guest file\n"), -1;
	return session_check_accel("run", &o->s);
}

int cmd_run(int argc, char **argv)
{
	const struct vcpu_cpu_model *model;
	struct run_opts o;
	struct elf_image img;
	struct vm *vm;
	char err[512];
	uint8_t *file;
	size_t size;
	int rc;

	session_stdout_init();
	memset(&o, 0, sizeof(o));
	if (parse_opts(argc, argv, &o)) {
		run_usage();
		return RUN_EXIT_USAGE;
	}
	model = vcpu_cpu_model_find(o.cpu);
	if (!model) {
		fprintf(stderr, "apxvm run: unknown --cpu '%s' (this build has: %s)\n", o.cpu,
#ifdef CONFIG_APX
			"apx, noapx"
#else
			"noapx"
#endif
		);
		return RUN_EXIT_USAGE;
	}
	vm = calloc(1, sizeof(*vm));
	if (!vm || vm_init(vm, o.ram_mib, model, o.s.trace ? stderr : NULL, err, sizeof(err))) {
		fprintf(stderr, "apxvm run: %s\n", vm ? err : "out of memory");
		free(vm);
		return RUN_EXIT_USAGE;
	}
	file = read_file(o.path, &size);
	if (!file) {
		vm_destroy(vm);
		free(vm);
		return RUN_EXIT_NOINPUT;
	}
	/* Segments must stay below the VMM's boot tables at the top of RAM. */
	rc = elf_load(file, size, vm->ram, vm->boot_base, &img, err, sizeof(err));
	free(file);
	/* elf_load already refused a file without a 64-bit entry or with an
	 * image extent past boot_base (its "RAM" here). */
	if (rc) {
		fprintf(stderr, "apxvm run: %s: %s (guest RAM for the image: [0, 0x%" PRIx64
			"), the boot page tables take [0x%" PRIx64 ", 0x%" PRIx64 "))\n", o.path, err,
			vm->boot_base, vm->boot_base, vm->ram_size);
		vm_destroy(vm);
		free(vm);
		return RUN_EXIT_BADGUEST;
	}
	vm_boot64(vm, img.entry);
	for (unsigned k = 0; k < o.nsets; k++) {
		int r = cli_set_reg(&vm->vcpu, o.sets[k],
				    vm->vcpu.cpuid_apx ? NR_VCPU_GENERAL_PURPOSE_REGS : 16);

		if (r) {
			fprintf(stderr, "apxvm run: -s '%s': %s\n", o.sets[k],
				r == -1 ? "wants REG=VALUE" : "unknown register (r16..r31 need --cpu apx)");
			vm_destroy(vm);
			free(vm);
			return RUN_EXIT_USAGE;
		}
	}
	/* auto: KVM when it works and offers the model, unless instructions must be counted. */
	rc = session_use_accel("run", vm, &o.s, RUN_EXIT_USAGE);
	if (rc) {
		vm_destroy(vm);
		free(vm);
		return rc;
	}
	if (o.s.trace)
		fprintf(stderr, "apxvm: trace: %s: entry 0x%" PRIx64 " (%s), %" PRIu64 " MiB RAM, "
			"cpu %s, boot tables at 0x%" PRIx64 "\n", o.path, img.entry,
			elf_entry_kind_name(img.entry_kind), vm->ram_size >> 20, model->name,
			vm->boot_base);

	rc = session_run("run", vm, &o.s, SNAP_RUNNABLE);
	vm_destroy(vm);
	free(vm);
	return rc;
}
