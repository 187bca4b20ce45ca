/* SPDX-License-Identifier: MIT */
/* apx-demo: the parts that need fixed registers R16..R31 (see apx-demo.c). */
#include "apx.h"

	.text

/* void egpr_set(uint64_t seed): R(16+i) = seed + i */
	.globl egpr_set
egpr_set:
	.irp i, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	lea \i-16(%rdi), %rax
	rex2_mov r\i, rax
	.endr
	ret

/* void egpr_get(uint64_t out[16]) */
	.globl egpr_get
egpr_get:
	.irp i, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	rex2_store r\i, rdi, (\i-16)*8
	.endr
	ret

/* A callee that uses every EGPR but gives them back: saves them in pairs
 * with PUSH2P (16-byte aligned stack), one more with PUSHP/POPP, clobbers
 * them with NDD arithmetic, restores with POP2P in reverse order. */
egpr_clobber:
	push %rbp		/* entered with RSP = 8 mod 16: now aligned */
	mov %rsp, %rbp
	apx_push2p r16, r17
	apx_push2p r18, r19
	apx_push2p r20, r21
	apx_push2p r22, r23
	apx_push2p r24, r25
	apx_push2p r26, r27
	apx_push2p r28, r29
	apx_push2p r30, r31
	apx_pushp r16
	.irp i, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	apx_xor r\i, r\i, r\i
	apx_add r\i, r\i, rbp
	.endr
	apx_popp r16
	apx_pop2p r31, r30
	apx_pop2p r29, r28
	apx_pop2p r27, r26
	apx_pop2p r25, r24
	apx_pop2p r23, r22
	apx_pop2p r21, r20
	apx_pop2p r19, r18
	apx_pop2p r17, r16
	cmp %rsp, %rbp		/* balanced? */
	jne 1f
	pop %rbp
	ret
1:	ud2

/* void egpr_across_calls(uint64_t out[16], uint64_t seed): sets R16..R31,
 * calls egpr_clobber and the C function demo_callback, stores R16..R31. */
	.globl egpr_across_calls
egpr_across_calls:
	push %rbx
	mov %rdi, %rbx
	mov %rsi, %rdi
	call egpr_set
	call egpr_clobber
	call demo_callback
	mov %rbx, %rdi
	call egpr_get
	pop %rbx
	ret

/* void ndd_egpr(uint64_t a, uint64_t b, uint64_t out[5]):
 * out = { r20 (a), r21 (b), r22 = a + b, r23 = a - b, ecx = a + b (32-bit,
 * RCX was all ones) } */
	.globl ndd_egpr
ndd_egpr:
	rex2_mov r20, rdi
	rex2_mov r21, rsi
	apx_add r22, r20, r21
	apx_sub r23, r20, r21
	mov $-1, %rcx
	apx_add ecx, edi, esi
	rex2_store r20, rdx, 0
	rex2_store r21, rdx, 8
	rex2_store r22, rdx, 16
	rex2_store r23, rdx, 24
	mov %rcx, 32(%rdx)
	ret

/* void push2_roundtrip(uint64_t out[6], uint64_t a, uint64_t b):
 * out = { RSP drop by PUSH2, [RSP+8], [RSP], POP2 first operand, POP2
 * second operand, RSP change over PUSH2+POP2 } */
	.globl push2_roundtrip
push2_roundtrip:
	push %rbp
	mov %rsp, %rbp
	and $-16, %rsp
	mov %rsp, %r8
	rex2_mov r16, rsi
	rex2_mov r17, rdx
	apx_push2 r16, r17	/* push r16; push r17 */
	mov %r8, %rax
	sub %rsp, %rax
	mov %rax, 0(%rdi)
	mov 8(%rsp), %rax
	mov %rax, 8(%rdi)
	mov (%rsp), %rax
	mov %rax, 16(%rdi)
	apx_pop2 r18, r19	/* pop r18; pop r19 */
	rex2_store r18, rdi, 24
	rex2_store r19, rdi, 32
	mov %rsp, %rax
	sub %r8, %rax
	mov %rax, 40(%rdi)
	mov %rbp, %rsp
	pop %rbp
	ret

/* uint64_t jmpabs_test(void): 2 if JMPABS reached its 64-bit target */
	.globl jmpabs_test
jmpabs_test:
	mov $1, %eax
	apx_jmpabs 1f
	mov $0xbad, %eax
	ret
1:	add $1, %eax
	ret

/* void xsave_area(void *area, uint64_t rfbm) / xrstor_area: 64-bit forms */
	.globl xsave_area
xsave_area:
	mov %rsi, %rax
	mov %rsi, %rdx
	shr $32, %rdx
	xsave64 (%rdi)
	ret
	.globl xrstor_area
xrstor_area:
	mov %rsi, %rax
	mov %rsi, %rdx
	shr $32, %rdx
	xrstor64 (%rdi)
	ret
