/* HLT with interrupts disabled: nothing can wake the vCPU. */
	.globl _start64
	.text
_start64:
	cli
	hlt
	jmp	_start64
