/* SPDX-License-Identifier: MIT */
/* faults: one probe per exception.  Each probe sets trap_resume to its end
 * label, so an exception resumes there (trap.h); the *_insn labels mark the
 * instruction expected to fault (or, for INT3, the return address). */
#include "apx.h"

.macro probe name
	.globl \name
\name:
	lea 9f(%rip), %rax
	mov %rax, trap_resume(%rip)
	.globl \name\()_insn
.endm
.macro probe_end
9:	movq $0, trap_resume(%rip)
	ret
.endm

	.text
/* uint64_t probe_read(uint64_t addr) */
	probe probe_read
probe_read_insn:
	mov (%rdi), %rax
	probe_end

/* void probe_write(uint64_t addr, uint64_t v) */
	probe probe_write
probe_write_insn:
	mov %rsi, (%rdi)
	probe_end

/* divide by zero */
	probe probe_div0
probe_div0_insn:
	xor %edx, %edx
	mov $1, %eax
	xor %ecx, %ecx
	.globl probe_div0_div
probe_div0_div:
	div %ecx
	probe_end

/* INT3: a trap, the saved RIP is the next instruction */
	probe probe_int3
probe_int3_insn:
	int3
	.globl probe_int3_next
probe_int3_next:
	nop
	probe_end

/* a REX2 instruction: mov r16, rax */
	probe probe_rex2
probe_rex2_insn:
	rex2_mov r16, rax
	probe_end

/* an APX-EVEX instruction: add rax, rbx, rcx */
	probe probe_evex
probe_evex_insn:
	apx_add rax, rbx, rcx
	probe_end

/* void probe_xsetbv(uint32_t xcr, uint64_t value) */
	probe probe_xsetbv
	mov %edi, %ecx
	mov %rsi, %rax
	mov %rsi, %rdx
	shr $32, %rdx
probe_xsetbv_insn:
	xsetbv
	probe_end

/* void probe_xrstor(void *area, uint64_t rfbm) */
	probe probe_xrstor
	mov %rsi, %rax
	mov %rsi, %rdx
	shr $32, %rdx
probe_xrstor_insn:
	xrstor64 (%rdi)
	probe_end
