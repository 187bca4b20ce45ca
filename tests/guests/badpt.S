/* Garbage page tables: CR3 -> a page of 0xff bytes (every entry present
 * with reserved bits set), so the next fetch is #PF(RSVD) -> no IDT ->
 * triple fault. */
	.globl _start64
	.text
_start64:
	lea	garbage(%rip), %rdi
	mov	$0xff, %al
	mov	$4096, %ecx
	rep stosb
	lea	garbage(%rip), %rax
	mov	%rax, %cr3
	nop
	.bss
	.balign 4096
garbage:
	.skip 4096
