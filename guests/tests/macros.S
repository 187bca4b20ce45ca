/* Test cases for guests/include/apx.h, checked by tests/test_guest_macros.sh:
 * each "T" line puts one macro invocation into a section of its own, and the
 * text after the comment marker is what `apxvm decode` (Intel syntax, as XED
 * prints it) must say about those bytes. */
#include "apx.h"

.macro T insn:vararg
	.pushsection .apxt.\@, "ax", @progbits
	\insn
	.popsection
.endm

/* REX2 */
T rex2_mov r16, rax			# mov r16, rax
T rex2_mov rcx, r31			# mov rcx, r31
T rex2_mov r20d, r27d			# mov r20d, r27d
T rex2_mov r17w, r9w			# mov r17w, r9w
T rex2_mov r18b, sil			# mov r18b, sil
T rex2_add r24d, ecx			# add r24d, ecx
T rex2_add r16, r23			# add r16, r23
T rex2_add %r30, %r8			# add r30, r8
T rex2_movabs r21, 0x123456789abcdef0	# mov r21, 0x123456789abcdef0
T rex2_movabs r29d, 0x11223344		# mov r29d, 0x11223344
T rex2_load r19, rsp, 8			# mov r19, qword ptr [rsp+0x8]
T rex2_load r19, r20			# mov r19, qword ptr [r20]
T rex2_load r22d, r21			# mov r22d, dword ptr [r21]
T rex2_store r31, rdi, 0x400		# mov qword ptr [rdi+0x400], r31
T rex2_store r16, r13, -8		# mov qword ptr [r13-0x8], r16
T apx_push r16				# push r16
T apx_pop r31				# pop r31
T apx_pushp r24				# pushp r24
T apx_popp r8				# popp r8
T apx_pushp rbx				# pushp rbx
T apx_jmpabs 0x123456789abcdef		# jmpabs 0x123456789abcdef

/* NDD / NF */
T apx_add r31, r17, r25			# add r31, r17, r25
T apx_add ecx, eax, edx			# add ecx, eax, edx
T apx_add rax, rbx			# add rax, rbx
T apx_add_nf r10, rsi			# {nf} add r10, rsi
T apx_add_nf r16, r17, r18		# {nf} add r16, r17, r18
T apx_add r16w, r17w, r18w		# add r16w, r17w, r18w
T apx_add al, bl, cl			# add al, bl, cl
T apx_sub r20, r21, r22			# sub r20, r21, r22
T apx_sub_nf edx, r30d, r9d		# {nf} sub edx, r30d, r9d
T apx_and r23, rax, r24			# and r23, rax, r24
T apx_and_nf rax, rbx			# {nf} and rax, rbx
T apx_or r26, r27, r28			# or r26, r27, r28
T apx_or_nf r26d, r27d, r28d		# {nf} or r26d, r27d, r28d
T apx_xor r29, r30, r31			# xor r29, r30, r31
T apx_xor_nf r8, r8, r8			# {nf} xor r8, r8, r8
T apx_adc r16, r17, r18			# adc r16, r17, r18
T apx_adc ecx, eax			# adc ecx, eax
T apx_imul r16, r17, r18		# imul r16, r17, r18
T apx_imul_nf rax, r19			# {nf} imul rax, r19
T apx_imul_nf r20d, ecx, r21d		# {nf} imul r20d, ecx, r21d

/* CCMP / CTEST */
T apx_ccmp z, 1, ecx, eax		# ccmpz {dfv=cf} ecx, eax
T apx_ccmp t, 10, ecx, eax		# ccmpt {dfv=of,zf} ecx, eax
T apx_ccmp f, 0, r16, r17		# ccmpf {dfv=} r16, r17
T apx_ccmp nle, 15, r31, rax		# ccmpnle {dfv=of,sf,zf,cf} r31, rax
T apx_ctest nz, 4, rdx, r20		# ctestnz {dfv=sf} rdx, r20
T apx_ctest l, 2, r18d, r18d		# ctestl {dfv=zf} r18d, r18d

/* CFCMOV / CMOV NDD */
T apx_cfcmov z, eax, ecx		# cfcmovz eax, ecx
T apx_cfcmov_ld z, eax, rcx		# cfcmovz eax, dword ptr [rcx]
T apx_cfcmov_ld nz, r16, r17, 0x10	# cfcmovnz r16, qword ptr [r17+0x10]
T apx_cfcmov_ld b, r31, rbp		# cfcmovb r31, qword ptr [rbp]
T apx_cfcmov_st z, eax, rcx		# cfcmovz dword ptr [rcx], eax
T apx_cfcmov_st nb, r19, r28, -0x100	# cfcmovnb qword ptr [r28-0x100], r19
T apx_cfcmov3 z, ecx, eax, edx		# cfcmovz ecx, eax, edx
T apx_cfcmov3_ld z, ecx, eax, rcx	# cfcmovz ecx, eax, dword ptr [rcx]
T apx_cfcmov3_ld l, r20, r21, r22, 8	# cfcmovl r20, r21, qword ptr [r22+0x8]
T apx_cmov3 z, ecx, eax, edx		# cmovz ecx, eax, edx
T apx_cmov3 nle, r16, r17, r18		# cmovnle r16, r17, r18

/* PUSH2 / POP2 */
T apx_push2 rdi, rax			# push2 rdi, rax
T apx_pop2 rdi, rax			# pop2 rdi, rax
T apx_push2p r31, rdi			# push2p r31, rdi
T apx_pop2p r16, r17			# pop2p r16, r17
T apx_push2 r24, r25			# push2 r24, r25

/* SETcc */
T apx_setzu z, al			# setzuz al
T apx_setzu nz, r16b			# setzunz r16b
T apx_setzu l, r31			# setzul r31b
T apx_setcc b, cl			# setb cl
