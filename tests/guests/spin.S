/* Loops forever: apxvm run must stop it with --max-insns or --timeout. */
	.globl _start64
	.text
_start64:
	jmp	_start64
