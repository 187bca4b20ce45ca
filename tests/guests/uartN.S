/* The UART round-trip guest of `make bench`: writes RDI bytes ('.') to COM1's
 * THR (port 0x3F8, DLAB = 0 after reset) without polling LSR, so every byte
 * is exactly one OUT exit; then status 0 to port 0xF4.  RDI = 0 writes none. */
	.globl _start64
	.text
_start64:
	mov	%rdi, %rcx
	mov	$0x3f8, %dx
	mov	$0x2e, %al
	test	%rcx, %rcx
	jz	2f
1:	out	%al, %dx
	dec	%rcx
	jnz	1b
2:	xor	%eax, %eax
	out	%al, $0xf4
	hlt
