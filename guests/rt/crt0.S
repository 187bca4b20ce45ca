/* SPDX-License-Identifier: MIT */
/* Guest entry (_start64 contract): own stack, zero .bss, exit(main()). */
	.section .text.entry64, "ax", @progbits
	.globl _start64
	.type _start64, @function
_start64:
	cld
	lea __stack_top(%rip), %rsp
	xor %ebp, %ebp
	lea __bss_start(%rip), %rdi
	lea __bss_end(%rip), %rcx
	sub %rdi, %rcx
	xor %eax, %eax
	rep stosb
	call main
	mov %eax, %edi
	call exit
1:	cli
	hlt
	jmp 1b
	.size _start64, . - _start64
