/* Self-modifying code: the decoded-instruction cache must see every write.
 * Runs `mov $imm32, %eax` at `patch`, rewrites its immediate (and once the
 * opcode itself), runs it again; exit status = number of wrong results. */
	.globl _start64
	.text
_start64:
	xor	%ebx, %ebx
	lea	stack_top(%rip), %rsp
	call	patch               /* eax = 1 */
	cmp	$1, %eax
	setne	%cl
	add	%ecx, %ebx
	movl	$2, patch+1(%rip)   /* imm32 of the mov */
	call	patch
	cmp	$2, %eax
	setne	%cl
	movzbl	%cl, %ecx
	add	%ecx, %ebx
	movb	$0xb9, patch(%rip)  /* mov $imm32, %ecx instead of %eax */
	mov	$7, %eax
	call	patch
	cmp	$7, %eax
	setne	%cl
	movzbl	%cl, %ecx
	add	%ecx, %ebx
	mov	%ebx, %eax
	out	%eax, $0xf4
	hlt

	.section .data.code, "awx"
	.balign 64
patch:
	mov	$1, %eax
	ret

	.bss
	.balign 16
	.skip 4096
stack_top:
