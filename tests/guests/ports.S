/* Unknown ports read all ones and swallow writes; a 32-bit write of
 * 0x12345600 | (in 0x80 == 0xff ? 7 : 1) to port 0xF4 ends the run. */
	.globl _start64
	.text
_start64:
	mov	$0x55, %al
	out	%al, $0x80
	in	$0x80, %al
	mov	$7, %ebx
	mov	$1, %ecx
	cmp	$0xff, %al
	cmovne	%ecx, %ebx
	mov	$0x12345600, %eax
	or	%ebx, %eax
	out	%eax, $0xf4
	hlt
