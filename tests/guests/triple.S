/* #UD with no IDT: #UD -> #GP (IDT limit) -> #DF -> triple fault. */
	.globl _start64
	.text
_start64:
	mov	$0x1234, %r12
	ud2
