/* SPDX-License-Identifier: MIT */
/*
 * kvm_bare [--write] GUEST.elf N: the yardstick of `make bench` for apxvm's KVM exit
 * handling.  The same guest image and the same _start64 boot state as
 * `apxvm run --accel kvm --cpu noapx -s rdi=N` (built by libapxvm's vm_init,
 * elf_load and vm_boot64, converted by the state-ABI code), CPUID = all KVM
 * supports, and then the barest possible run loop: KVM_RUN; an OUT to 0x3F8
 * counts bytes, an OUT to 0xF4 stops; anything else is an error.  No
 * device model, no output, no register cache.  --write also write(2)s each
 * OUT's bytes to stdout, as apxvm's COM1 does: it separates the cost of the
 * output from the cost of the VMM's exit handling.
 *
 * Prints "kvm_bare: B bytes, status S"; exit 0 when the guest reached port
 * 0xF4, 1 on any other exit, 2 when the setup failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "vcpu/abi.h"
#include "vmm/elf.h"
#include "vmm/vm.h"

#define BARE_RAM_MIB	64	/* apxvm run's default */
#define BARE_MAX_FILE	(64u << 20)
#define BARE_CPUID_CAP	256u

static int die(const char *what)
{
	fprintf(stderr, "kvm_bare: %s: %s\n", what, errno ? strerror(errno) : "failed");
	return 2;
}

/* The guest as libapxvm's `apxvm run` loads it; 0 or -1 (message printed). */
static int load_guest(struct vm *vm, const char *path, uint64_t rdi)
{
	static char err[512];
	struct elf_image img;
	struct stat st;
	uint8_t *file;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -1;

	if (fd < 0 || fstat(fd, &st) || st.st_size <= 0 || st.st_size > BARE_MAX_FILE) {
		fprintf(stderr, "kvm_bare: cannot read '%s'\n", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	file = malloc((size_t)st.st_size);
	if (file && read(fd, file, (size_t)st.st_size) == st.st_size &&
	    !elf_load(file, (size_t)st.st_size, vm->ram, vm->boot_base, &img, err, sizeof(err)) &&
	    img.entry_kind != ELF_ENTRY_NONE && img.image_end <= vm->boot_base) {
		vm_boot64(vm, img.entry);
		vm->vcpu.regs.regs[VCPU_REGS_RDI] = rdi;
		rc = 0;
	} else {
		fprintf(stderr, "kvm_bare: '%s' is not a _start64 guest: %s\n", path, err);
	}
	free(file);
	close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	static struct vm vm;
	struct kvm_userspace_memory_region slot = { 0 };
	struct kvm_cpuid2 *cpuid;
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	char err[256], *end;
	uint64_t n, bytes = 0;
	int kvm, vmfd, vcpu, sz;
	int out = argc == 4 && !strcmp(argv[1], "--write");

	argv += out;
	argc -= out;
	if (argc != 3 || (n = strtoull(argv[2], &end, 0), *end) || !argv[2][0]) {
		fprintf(stderr, "usage: kvm_bare [--write] GUEST.elf N\n");
		return 2;
	}
	if (vm_init(&vm, BARE_RAM_MIB, &vcpu_cpu_model_noapx, NULL, err, sizeof(err))) {
		fprintf(stderr, "kvm_bare: %s\n", err);
		return 2;
	}
	if (load_guest(&vm, argv[1], n))
		return 2;

	errno = 0;
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return die("open /dev/kvm");
	vmfd = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vmfd < 0)
		return die("KVM_CREATE_VM");
	slot.memory_size = vm.ram_size;
	slot.userspace_addr = (uint64_t)(uintptr_t)vm.ram;
	if (ioctl(vmfd, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
		return die("KVM_SET_USER_MEMORY_REGION");
	vcpu = ioctl(vmfd, KVM_CREATE_VCPU, 0);
	sz = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vcpu < 0 || sz < (int)sizeof(*run))
		return die("KVM_CREATE_VCPU");
	run = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		return die("mmap kvm_run");

	/* Long mode must be visible in CPUID before EFER.LME is accepted. */
	cpuid = calloc(1, sizeof(*cpuid) + BARE_CPUID_CAP * sizeof(cpuid->entries[0]));
	if (!cpuid)
		return die("calloc");
	cpuid->nent = BARE_CPUID_CAP;
	if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, cpuid) < 0 ||
	    ioctl(vcpu, KVM_SET_CPUID2, cpuid) < 0)
		return die("KVM_SET_CPUID2");
	vcpu_abi_get_sregs(&vm.vcpu, &sregs);
	vcpu_abi_get_regs(&vm.vcpu, &regs);
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0 || ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return die("KVM_SET_SREGS/REGS");

	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return die("KVM_RUN");
		}
		if (run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT) {
			if (run->io.port == 0x3f8) {
				bytes += run->io.count;
				if (out && run->io.data_offset < (uint64_t)sz &&
				    (uint64_t)run->io.size * run->io.count <= sz - run->io.data_offset)
					(void)!write(1, (uint8_t *)run + run->io.data_offset,
						     (size_t)run->io.size * run->io.count);
				continue;
			}
			if (run->io.port == 0xf4 && run->io.size == 1 &&
			    run->io.data_offset < (uint64_t)sz) {
				printf("kvm_bare: %" PRIu64 " bytes, status %u\n", bytes,
				       *((uint8_t *)run + run->io.data_offset));
				return 0;
			}
		}
		fprintf(stderr, "kvm_bare: unexpected exit %u (port 0x%x) after %" PRIu64 " bytes\n",
			run->exit_reason, run->exit_reason == KVM_EXIT_IO ? run->io.port : 0, bytes);
		return 1;
	}
}
