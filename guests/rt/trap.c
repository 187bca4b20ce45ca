/* SPDX-License-Identifier: MIT */
/* The IDT for trap.h. */
#include "rt.h"
#include "trap.h"

#define NVEC 32
#define KERNEL_CS 0x08		/* boot contract: 64-bit code, DPL0 */
#define GATE_INTR64 0x8e	/* present, DPL0, 64-bit interrupt gate */

struct gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, zero;
};

struct __attribute__((packed)) dtr {
	uint16_t limit;
	uint64_t base;
};

extern const uint64_t trap_stub_table[NVEC];
volatile struct trap_info trap_last = { TRAP_NONE, 0, 0, 0, 0 };
volatile uint64_t trap_resume;
static struct gate idt[NVEC] __attribute__((aligned(16)));

void trap_fatal(void);
void trap_fatal(void)
{
	printf("FAIL unexpected exception: vector %lu error 0x%lx at rip 0x%lx (cr2 0x%lx)\n",
	       trap_last.vector, trap_last.error, trap_last.rip, trap_last.cr2);
	exit(TRAP_FATAL_STATUS);
}

void trap_clear(void)
{
	trap_last.vector = TRAP_NONE;
	trap_last.error = 0;
	trap_last.cr2 = 0;
	trap_last.rip = 0;
}

void trap_install(void)
{
	for (int v = 0; v < NVEC; v++) {
		uint64_t a = trap_stub_table[v];
		idt[v] = (struct gate){
			.off_lo = (uint16_t)a, .sel = KERNEL_CS, .type = GATE_INTR64,
			.off_mid = (uint16_t)(a >> 16), .off_hi = (uint32_t)(a >> 32),
		};
	}
	struct dtr d = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	__asm__ volatile("lidt %0" : : "m"(d) : "memory");
}
