/* SPDX-License-Identifier: MIT */
/* Exception entry stubs for vectors 0-31 and the common handler (trap.h). */
	.text
/* vectors for which the CPU pushes an error code */
.macro stub v
	.p2align 4
trap_stub_\v:
	.if (\v == 8) || (\v == 10) || (\v == 11) || (\v == 12) || (\v == 13) || (\v == 14) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
	.else
	pushq $0
	.endif
	pushq $\v
	jmp trap_common
.endm

	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	stub \v
	.endr

/* stack: vector, error, RIP, CS, RFLAGS, RSP, SS */
trap_common:
	push %rax
	mov 8(%rsp), %rax
	mov %rax, trap_last(%rip)
	mov 16(%rsp), %rax
	mov %rax, trap_last+8(%rip)
	mov %cr2, %rax
	mov %rax, trap_last+16(%rip)
	mov 24(%rsp), %rax
	mov %rax, trap_last+24(%rip)
	incq trap_last+32(%rip)
	mov trap_resume(%rip), %rax
	test %rax, %rax
	jz 1f
	mov %rax, 24(%rsp)
	movq $0, trap_resume(%rip)
	pop %rax
	add $16, %rsp
	iretq
1:	and $-16, %rsp
	call trap_fatal
2:	cli
	hlt
	jmp 2b

	.section .rodata
	.p2align 3
	.globl trap_stub_table
trap_stub_table:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad trap_stub_\v
	.endr
