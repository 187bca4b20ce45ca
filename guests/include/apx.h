/* SPDX-License-Identifier: MIT */
/*
 * Intel APX instructions as GNU as macros that emit the bytes (.byte), for
 * assemblers that do not know APX (Debian binutils 2.40).  Encodings follow
 * ../shared/spec/apx.md; tests/test_guest_macros.sh checks every macro
 * against `apxvm decode`.
 *
 * Use from a .S file or from C the same way:  #include "apx.h".
 * The header is read twice: by the C preprocessor (the part between the
 * first two "#if 0" blocks), which turns it into an `.include` of this very
 * file, and then by the assembler, which skips that part (.if 0) and reads
 * the macro definitions (hidden from the C preprocessor by "#if 0", while
 * the assembler sees "#..." lines as comments).  One copy of the macros
 * serves .S files and C inline asm alike.
 *
 * Operands: register names with or without "%" (rax, r16, r17d, ax, r20b...;
 * no high-byte registers).  The operand size comes from the register names
 * and must agree.  Memory operands are a base register plus an optional
 * constant displacement given as separate arguments.  Conditions: o no b nb
 * z nz be nbe s ns p np l nl le nle (and the usual aliases); for CCMP/CTEST
 * t (always true) and f (always false) take the p/np slots.  DFV: a 4-bit
 * value {OF,SF,ZF,CF} = APX_DFV_OF|APX_DFV_SF|APX_DFV_ZF|APX_DFV_CF
 * (8, 4, 2, 1; use the numbers inside C asm strings).
 *
 *   REX2:     rex2_mov d, s | rex2_add d, s | rex2_movabs r, imm
 *             rex2_load d, base[, disp] | rex2_store s, base[, disp]
 *             apx_push r | apx_pop r | apx_pushp r | apx_popp r
 *             apx_jmpabs target
 *   NDD/NF:   apx_OP d, a[, b] and apx_OP_nf d, a[, b] for OP = add sub and
 *             or xor (a = r/m source, b = reg source; without b it is the
 *             2-operand EVEX form of "OP d, a"), apx_adc d, a[, b],
 *             apx_imul[_nf] d, a[, b]   (imul d, a, b: d = a * b)
 *   CCMP:     apx_ccmp cc, dfv, a, b | apx_ctest cc, dfv, a, b
 *   CFCMOV:   apx_cfcmov cc, d, s          cfcmovCC d, s
 *             apx_cfcmov_ld cc, d, base[, disp]   load (no access if false)
 *             apx_cfcmov_st cc, s, base[, disp]   store
 *             apx_cfcmov3 cc, d, a, b       d = cc ? b : a
 *             apx_cfcmov3_ld cc, d, a, base[, disp]
 *             apx_cmov3 cc, d, a, b         CMOVcc NDD (always reads b)
 *   stack:    apx_push2 a, b | apx_pop2 a, b | apx_push2p | apx_pop2p
 *             (push2 a, b = push a; push b.  pop2 b, a undoes it)
 *   SETcc:    apx_setzu cc, r (SETcc.ZU: r = cc ? 1 : 0, whole register)
 *             apx_setcc cc, r (map-4 SETcc, byte merge)
 */
#if 0
.if 0
#endif
#ifndef GUESTS_APX_H
#define GUESTS_APX_H
#define APX_DFV_OF 8
#define APX_DFV_SF 4
#define APX_DFV_ZF 2
#define APX_DFV_CF 1
#ifdef __ASSEMBLER__
	.include __FILE__
#else
__asm__(".include \"" __FILE__ "\"");
#endif
#endif
#if 0
.endif

/* ---- operand parsing: sets .Lapx_<out>_n (0..31) and .Lapx_<out>_s ---- */

.macro _apx_r1 out, r, name, n, s
	.ifc \r,\name
	.Lapx_\out\()_n = \n
	.Lapx_\out\()_s = \s
	.endif
	.ifc \r,%\name
	.Lapx_\out\()_n = \n
	.Lapx_\out\()_s = \s
	.endif
.endm

.macro _apx_r4 out, r, n, q, d, w, b
	_apx_r1 \out, \r, \q, \n, 64
	_apx_r1 \out, \r, \d, \n, 32
	_apx_r1 \out, \r, \w, \n, 16
	_apx_r1 \out, \r, \b, \n, 8
.endm

.macro _apx_rx out, r, i
	_apx_r4 \out, \r, \i, r\i, r\i\()d, r\i\()w, r\i\()b
.endm

.macro _apx_reg out, r
	.Lapx_\out\()_n = -1
	.Lapx_\out\()_s = 0
	_apx_r4 \out, \r, 0, rax, eax, ax, al
	_apx_r4 \out, \r, 1, rcx, ecx, cx, cl
	_apx_r4 \out, \r, 2, rdx, edx, dx, dl
	_apx_r4 \out, \r, 3, rbx, ebx, bx, bl
	_apx_r4 \out, \r, 4, rsp, esp, sp, spl
	_apx_r4 \out, \r, 5, rbp, ebp, bp, bpl
	_apx_r4 \out, \r, 6, rsi, esi, si, sil
	_apx_r4 \out, \r, 7, rdi, edi, di, dil
	.irp i, 8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	_apx_rx \out, \r, \i
	.endr
	.if .Lapx_\out\()_n < 0
	.error "apx.h: not a general-purpose register: \r"
	.endif
.endm

/* a 64-bit base register of a memory operand */
.macro _apx_base out, r
	_apx_reg \out, \r
	.if .Lapx_\out\()_s != 64
	.error "apx.h: memory base must be a 64-bit register: \r"
	.endif
.endm

/* .Lapx_c = condition number (Jcc numbering; t/f share 10/11 with p/np) */
.macro _apx_c1 cc, name, n
	.ifc \cc,\name
	.Lapx_c = \n
	.endif
.endm
/* condition number n for any of its names */
.macro _apx_cn cc, n, names:vararg
	.irp x, \names
	_apx_c1 \cc, \x, \n
	.endr
.endm
.macro _apx_cc cc
	.Lapx_c = -1
	_apx_cn \cc, 0, o
	_apx_cn \cc, 1, no
	_apx_cn \cc, 2, b, c, nae
	_apx_cn \cc, 3, nb, nc, ae
	_apx_cn \cc, 4, z, e
	_apx_cn \cc, 5, nz, ne
	_apx_cn \cc, 6, be, na
	_apx_cn \cc, 7, nbe, a
	_apx_cn \cc, 8, s
	_apx_cn \cc, 9, ns
	_apx_cn \cc, 10, p, pe, t
	_apx_cn \cc, 11, np, po, f
	_apx_cn \cc, 12, l, nge
	_apx_cn \cc, 13, nl, ge
	_apx_cn \cc, 14, le, ng
	_apx_cn \cc, 15, nle, g
	.if .Lapx_c < 0
	.error "apx.h: unknown condition: \cc"
	.endif
.endm

/* operand size of register <out>: .Lapx_w (REX.W), .Lapx_pp (66 = 1) and
 * .Lapx_b8 (byte operation) */
.macro _apx_osz out
	.Lapx_w = 0
	.Lapx_pp = 0
	.Lapx_b8 = 0
	.if .Lapx_\out\()_s == 64
	.Lapx_w = 1
	.elseif .Lapx_\out\()_s == 16
	.Lapx_pp = 1
	.elseif .Lapx_\out\()_s == 8
	.Lapx_b8 = 1
	.endif
.endm

.macro _apx_same a, b
	.if .Lapx_\a\()_s != .Lapx_\b\()_s
	.error "apx.h: operand sizes differ"
	.endif
.endm

/* ---- raw encoders (numbers, not names) ---- */

/* ModRM (+SIB, +disp) for [base + disp]; disp must be a constant */
.macro _apx_mem reg, base, disp
	.if ((\disp) == 0) && (((\base) & 7) != 5)
	.Lapx_mod = 0
	.elseif ((\disp) >= -128) && ((\disp) <= 127)
	.Lapx_mod = 1
	.else
	.Lapx_mod = 2
	.endif
	.byte (.Lapx_mod << 6) | (((\reg) & 7) << 3) | ((\base) & 7)
	.if ((\base) & 7) == 4
	.byte 0x24		/* SIB: no index, base = rsp/r12/r20/r28 */
	.endif
	.if .Lapx_mod == 1
	.byte (\disp) & 0xff
	.elseif .Lapx_mod == 2
	.long (\disp)
	.endif
.endm

.macro _apx_modrm_rr reg, rm
	.byte 0xc0 | (((\reg) & 7) << 3) | ((\rm) & 7)
.endm

/* REX2 prefix: D5 {M0,R4,X4,B4,W,R3,X3,B3} (no index register) */
.macro _apx_rex2 m0, w, reg, rm
	.byte 0xd5
	.byte ((\m0) << 7) | ((((\reg) >> 4) & 1) << 6) | ((((\rm) >> 4) & 1) << 4) | ((\w) << 3) | ((((\reg) >> 3) & 1) << 2) | (((\rm) >> 3) & 1)
.endm

/* EVEX prefix for map 4: 62 P0 P1 P2.  v = NDD register number (0 when
 * there is none: encodes as all ones), p2low = P2 bits 2:0 except NF. */
.macro _apx_evex w, pp, nd, nf, v, reg, rm
	.byte 0x62
	.byte (((((\reg) >> 3) & 1) ^ 1) << 7) | (1 << 6) | (((((\rm) >> 3) & 1) ^ 1) << 5) | (((((\reg) >> 4) & 1) ^ 1) << 4) | ((((\rm) >> 4) & 1) << 3) | 4
	.byte ((\w) << 7) | ((((\v) & 15) ^ 15) << 3) | (1 << 2) | (\pp)
	.byte ((\nd) << 4) | (((((\v) >> 4) & 1) ^ 1) << 3) | ((\nf) << 2)
.endm

/* EVEX for CCMP/CTEST: DFV in the vvvv slot (not inverted), SCC in P2[3:0] */
.macro _apx_evex_scc w, pp, dfv, scc, reg, rm
	.byte 0x62
	.byte (((((\reg) >> 3) & 1) ^ 1) << 7) | (1 << 6) | (((((\rm) >> 3) & 1) ^ 1) << 5) | (((((\reg) >> 4) & 1) ^ 1) << 4) | ((((\rm) >> 4) & 1) << 3) | 4
	.byte ((\w) << 7) | (((\dfv) & 15) << 3) | (1 << 2) | (\pp)
	.byte (\scc) & 15
.endm

/* ---- REX2 forms ---- */

/* map-0 "op r/m, reg" with register operands (opc = the 32/64-bit opcode) */
.macro _rex2_rr opc, d, s
	_apx_reg rd, \d
	_apx_reg rs, \s
	_apx_same rd, rs
	_apx_osz rd
	.if .Lapx_pp
	.byte 0x66
	.endif
	_apx_rex2 0, .Lapx_w, .Lapx_rs_n, .Lapx_rd_n
	.byte (\opc) - .Lapx_b8
	_apx_modrm_rr .Lapx_rs_n, .Lapx_rd_n
.endm

.macro rex2_mov d, s
	_rex2_rr 0x89, \d, \s
.endm
.macro rex2_add d, s
	_rex2_rr 0x01, \d, \s
.endm

/* mov r64, imm64 (or r32, imm32) */
.macro rex2_movabs r, imm
	_apx_reg rd, \r
	_apx_osz rd
	.if .Lapx_rd_s == 64
	_apx_rex2 0, 1, 0, .Lapx_rd_n
	.byte 0xb8 | (.Lapx_rd_n & 7)
	.quad \imm
	.elseif .Lapx_rd_s == 32
	_apx_rex2 0, 0, 0, .Lapx_rd_n
	.byte 0xb8 | (.Lapx_rd_n & 7)
	.long \imm
	.else
	.error "apx.h: rex2_movabs needs a 32/64-bit register"
	.endif
.endm

/* mov d, [base + disp] / mov [base + disp], s (32/64-bit) */
.macro _rex2_mem opc, r, base, disp
	_apx_reg rr, \r
	_apx_base rb, \base
	_apx_osz rr
	.if .Lapx_pp
	.byte 0x66
	.endif
	_apx_rex2 0, .Lapx_w, .Lapx_rr_n, .Lapx_rb_n
	.byte (\opc) - .Lapx_b8
	_apx_mem .Lapx_rr_n, .Lapx_rb_n, \disp
.endm
.macro rex2_load d, base, disp=0
	_rex2_mem 0x8b, \d, \base, \disp
.endm
.macro rex2_store s, base, disp=0
	_rex2_mem 0x89, \s, \base, \disp
.endm

/* push/pop r64 with REX2; W=1 is the PPX hint (PUSHP/POPP) */
.macro _rex2_stk opc, w, r
	_apx_reg rd, \r
	.if .Lapx_rd_s != 64
	.error "apx.h: push/pop need a 64-bit register"
	.endif
	_apx_rex2 0, \w, 0, .Lapx_rd_n
	.byte (\opc) | (.Lapx_rd_n & 7)
.endm
.macro apx_push r
	_rex2_stk 0x50, 0, \r
.endm
.macro apx_pop r
	_rex2_stk 0x58, 0, \r
.endm
.macro apx_pushp r
	_rex2_stk 0x50, 1, \r
.endm
.macro apx_popp r
	_rex2_stk 0x58, 1, \r
.endm

/* JMPABS imm64: D5 00 A1 target */
.macro apx_jmpabs target
	.byte 0xd5, 0x00, 0xa1
	.quad \target
.endm

/* ---- EVEX map 4: NDD / NF ALU ---- */

/* "op r/m, reg" family (opc = 32/64-bit opcode; byte opcode = opc - 1).
 * b blank: op d, a (ND=0).  Else: op d, a, b with d = a op b (ND=1). */
.macro _apx_alu opc, nf, d, a, b
	_apx_reg rd, \d
	_apx_reg ra, \a
	_apx_same rd, ra
	_apx_osz rd
	.ifb \b
	_apx_evex .Lapx_w, .Lapx_pp, 0, \nf, 0, .Lapx_ra_n, .Lapx_rd_n
	.byte (\opc) - .Lapx_b8
	_apx_modrm_rr .Lapx_ra_n, .Lapx_rd_n
	.else
	_apx_reg rb, \b
	_apx_same rd, rb
	_apx_evex .Lapx_w, .Lapx_pp, 1, \nf, .Lapx_rd_n, .Lapx_rb_n, .Lapx_ra_n
	.byte (\opc) - .Lapx_b8
	_apx_modrm_rr .Lapx_rb_n, .Lapx_ra_n
	.endif
.endm

.macro apx_add d, a, b
	_apx_alu 0x01, 0, \d, \a, \b
.endm
.macro apx_add_nf d, a, b
	_apx_alu 0x01, 1, \d, \a, \b
.endm
.macro apx_or d, a, b
	_apx_alu 0x09, 0, \d, \a, \b
.endm
.macro apx_or_nf d, a, b
	_apx_alu 0x09, 1, \d, \a, \b
.endm
.macro apx_adc d, a, b
	_apx_alu 0x11, 0, \d, \a, \b
.endm
.macro apx_and d, a, b
	_apx_alu 0x21, 0, \d, \a, \b
.endm
.macro apx_and_nf d, a, b
	_apx_alu 0x21, 1, \d, \a, \b
.endm
.macro apx_sub d, a, b
	_apx_alu 0x29, 0, \d, \a, \b
.endm
.macro apx_sub_nf d, a, b
	_apx_alu 0x29, 1, \d, \a, \b
.endm
.macro apx_xor d, a, b
	_apx_alu 0x31, 0, \d, \a, \b
.endm
.macro apx_xor_nf d, a, b
	_apx_alu 0x31, 1, \d, \a, \b
.endm

/* IMUL reg, r/m (0F AF promoted to map-4 AF): imul d, a, b = a * b */
.macro _apx_imul nf, d, a, b
	_apx_reg rd, \d
	_apx_reg ra, \a
	_apx_same rd, ra
	_apx_osz rd
	.if .Lapx_b8
	.error "apx.h: imul has no byte form"
	.endif
	.ifb \b
	_apx_evex .Lapx_w, .Lapx_pp, 0, \nf, 0, .Lapx_rd_n, .Lapx_ra_n
	.byte 0xaf
	_apx_modrm_rr .Lapx_rd_n, .Lapx_ra_n
	.else
	_apx_reg rb, \b
	_apx_same rd, rb
	_apx_evex .Lapx_w, .Lapx_pp, 1, \nf, .Lapx_rd_n, .Lapx_ra_n, .Lapx_rb_n
	.byte 0xaf
	_apx_modrm_rr .Lapx_ra_n, .Lapx_rb_n
	.endif
.endm
.macro apx_imul d, a, b
	_apx_imul 0, \d, \a, \b
.endm
.macro apx_imul_nf d, a, b
	_apx_imul 1, \d, \a, \b
.endm

/* ---- CCMPscc / CTESTscc: flags = cc ? (a cmp/test b) : dfv ---- */
.macro _apx_cond_op opc, cc, dfv, a, b
	_apx_cc \cc
	_apx_reg ra, \a
	_apx_reg rb, \b
	_apx_same ra, rb
	_apx_osz ra
	_apx_evex_scc .Lapx_w, .Lapx_pp, \dfv, .Lapx_c, .Lapx_rb_n, .Lapx_ra_n
	.byte (\opc) - .Lapx_b8
	_apx_modrm_rr .Lapx_rb_n, .Lapx_ra_n
.endm
.macro apx_ccmp cc, dfv, a, b
	_apx_cond_op 0x39, \cc, \dfv, \a, \b
.endm
.macro apx_ctest cc, dfv, a, b
	_apx_cond_op 0x85, \cc, \dfv, \a, \b
.endm

/* ---- CFCMOVcc / CMOVcc NDD (map 4, 40+cc; 16/32/64-bit) ---- */
.macro _apx_cmov_sz out
	_apx_osz \out
	.if .Lapx_b8
	.error "apx.h: CFCMOV/CMOV have no byte form"
	.endif
.endm

/* cfcmovCC d, s: d = cc ? s : 0 (ND=0 NF=0, reg = d) */
.macro apx_cfcmov cc, d, s
	_apx_cc \cc
	_apx_reg rd, \d
	_apx_reg rs, \s
	_apx_same rd, rs
	_apx_cmov_sz rd
	_apx_evex .Lapx_w, .Lapx_pp, 0, 0, 0, .Lapx_rd_n, .Lapx_rs_n
	.byte 0x40 | .Lapx_c
	_apx_modrm_rr .Lapx_rd_n, .Lapx_rs_n
.endm

/* cfcmovCC d, [base + disp]: memory not accessed when cc is false */
.macro apx_cfcmov_ld cc, d, base, disp=0
	_apx_cc \cc
	_apx_reg rd, \d
	_apx_base rb, \base
	_apx_cmov_sz rd
	_apx_evex .Lapx_w, .Lapx_pp, 0, 0, 0, .Lapx_rd_n, .Lapx_rb_n
	.byte 0x40 | .Lapx_c
	_apx_mem .Lapx_rd_n, .Lapx_rb_n, \disp
.endm

/* cfcmovCC [base + disp], s: store only when cc is true (ND=0 NF=1) */
.macro apx_cfcmov_st cc, s, base, disp=0
	_apx_cc \cc
	_apx_reg rs, \s
	_apx_base rb, \base
	_apx_cmov_sz rs
	_apx_evex .Lapx_w, .Lapx_pp, 0, 1, 0, .Lapx_rs_n, .Lapx_rb_n
	.byte 0x40 | .Lapx_c
	_apx_mem .Lapx_rs_n, .Lapx_rb_n, \disp
.endm

/* d = cc ? b : a.  nf=1: CFCMOV NDD (b not accessed when false);
 * nf=0: CMOVcc NDD. */
.macro _apx_cmov3 nf, cc, d, a, b
	_apx_cc \cc
	_apx_reg rd, \d
	_apx_reg ra, \a
	_apx_reg rb, \b
	_apx_same rd, ra
	_apx_same rd, rb
	_apx_cmov_sz rd
	_apx_evex .Lapx_w, .Lapx_pp, 1, \nf, .Lapx_rd_n, .Lapx_ra_n, .Lapx_rb_n
	.byte 0x40 | .Lapx_c
	_apx_modrm_rr .Lapx_ra_n, .Lapx_rb_n
.endm
.macro apx_cfcmov3 cc, d, a, b
	_apx_cmov3 1, \cc, \d, \a, \b
.endm
.macro apx_cmov3 cc, d, a, b
	_apx_cmov3 0, \cc, \d, \a, \b
.endm

/* cfcmovCC d, a, [base + disp]: d = cc ? mem : a */
.macro apx_cfcmov3_ld cc, d, a, base, disp=0
	_apx_cc \cc
	_apx_reg rd, \d
	_apx_reg ra, \a
	_apx_base rb, \base
	_apx_same rd, ra
	_apx_cmov_sz rd
	_apx_evex .Lapx_w, .Lapx_pp, 1, 1, .Lapx_rd_n, .Lapx_ra_n, .Lapx_rb_n
	.byte 0x40 | .Lapx_c
	_apx_mem .Lapx_ra_n, .Lapx_rb_n, \disp
.endm

/* ---- PUSH2 / POP2 (+PPX): map 4 FF /6 and 8F /0, ND=1, 64-bit ---- */
.macro _apx_stk2 opc, ext, w, a, b
	_apx_reg ra, \a
	_apx_reg rb, \b
	.if (.Lapx_ra_s != 64) || (.Lapx_rb_s != 64)
	.error "apx.h: push2/pop2 need 64-bit registers"
	.endif
	_apx_evex \w, 0, 1, 0, .Lapx_ra_n, 0, .Lapx_rb_n
	.byte \opc
	_apx_modrm_rr \ext, .Lapx_rb_n
.endm
.macro apx_push2 a, b
	_apx_stk2 0xff, 6, 0, \a, \b
.endm
.macro apx_push2p a, b
	_apx_stk2 0xff, 6, 1, \a, \b
.endm
.macro apx_pop2 a, b
	_apx_stk2 0x8f, 0, 0, \a, \b
.endm
.macro apx_pop2p a, b
	_apx_stk2 0x8f, 0, 1, \a, \b
.endm

/* ---- SETcc in map 4 (F2 40+cc); ND=1 = SETcc.ZU ---- */
.macro _apx_set nd, cc, r
	_apx_cc \cc
	_apx_reg rd, \r
	_apx_evex 0, 3, \nd, 0, 0, 0, .Lapx_rd_n
	.byte 0x40 | .Lapx_c
	_apx_modrm_rr 0, .Lapx_rd_n
.endm
.macro apx_setzu cc, r
	_apx_set 1, \cc, \r
.endm
.macro apx_setcc cc, r
	_apx_set 0, \cc, \r
.endm
#endif
