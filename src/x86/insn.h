/* SPDX-License-Identifier: MIT */
/*
 * The decoded form of one x86-64 instruction: what x86_decode() produces and
 * what the formatter and the interpreter consume.  Pure data, no pointers into
 * the input bytes, so a decoded instruction can be cached or copied freely.
 */
#ifndef APXVM_X86_INSN_H
#define APXVM_X86_INSN_H

#include <stdbool.h>
#include <stdint.h>

#define X86_MAX_INSN_LEN 15
#define X86_MAX_OPERANDS 6

enum x86_mode { X86_MODE_16, X86_MODE_32, X86_MODE_64 };

/* Verdicts.  The names of the errors are XED's categories (vectors/README.md). */
enum x86_status {
	X86_OK = 0,
	X86_ERR_GENERAL,          /* undefined opcode or field combination */
	X86_ERR_INVALID_FOR_CHIP, /* an AMD-only encoding */
	X86_ERR_BAD_REGISTER,
	X86_ERR_BAD_LOCK_PREFIX,
	X86_ERR_BAD_LEGACY_PREFIX,
	X86_ERR_BAD_REX_PREFIX,
	X86_ERR_BAD_MAP,
	X86_ERR_BAD_EVEX_Z_NO_MASKING,
	X86_ERR_BAD_EVEX_LL,
	X86_ERR_BAD_REG_MATCH,
	X86_ERR_TOO_LONG,         /* more than 15 bytes */
	X86_ERR_TRUNCATED,        /* ran out of input before 15 bytes */
	X86_NR_STATUS
};

/* Opcode maps.  0..3 legacy (one-byte, 0F, 0F38, 0F3A); 4 = APX map 4. */
enum x86_map { X86_MAP0, X86_MAP1, X86_MAP2, X86_MAP3, X86_MAP4, X86_MAP5,
	       X86_MAP6, X86_MAP7, X86_NR_MAPS };

/* How the opcode was reached. */
enum x86_encoding { X86_ENC_LEGACY, X86_ENC_REX2, X86_ENC_VEX, X86_ENC_EVEX };

enum x86_regclass {
	X86_RC_NONE,
	X86_RC_GPR8,   /* al..r31b; 4..7 are spl..dil */
	X86_RC_GPR8H,  /* ah, ch, dh, bh (number 4..7 without REX/REX2/VEX/EVEX) */
	X86_RC_GPR16,
	X86_RC_GPR32,
	X86_RC_GPR64,
	X86_RC_RIP,    /* rip/eip as a memory base; width tells which */
	X86_RC_SEG,    /* es cs ss ds fs gs */
	X86_RC_CR,
	X86_RC_DR,
	X86_RC_ST,     /* x87 st(i) */
	X86_RC_MMX,
	X86_RC_XMM,
	X86_RC_YMM,
	X86_RC_ZMM,
	X86_RC_K,      /* AVX-512 mask */
	X86_RC_BND,
	X86_RC_TMM,    /* AMX tiles */
};

enum x86_seg { X86_SEG_ES, X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_FS,
	       X86_SEG_GS, X86_SEG_NONE = 7 };

enum x86_opkind { X86_OPK_NONE, X86_OPK_REG, X86_OPK_MEM, X86_OPK_AGEN,
		  X86_OPK_IMM, X86_OPK_REL };

/* Operand access, as XED reports it (conditional forms fold into these). */
enum x86_access { X86_ACC_R = 1, X86_ACC_W = 2, X86_ACC_RW = 3 };

struct x86_reg {
	uint8_t cls; /* enum x86_regclass */
	uint8_t num; /* 0..31 */
};

struct x86_operand {
	uint8_t kind;    /* enum x86_opkind */
	uint8_t access;  /* enum x86_access */
	uint16_t width;  /* in bits, as XED: operand width, memory width, imm width */
	union {
		struct x86_reg reg;
		struct {
			struct x86_reg base;   /* cls NONE if absent */
			struct x86_reg index;  /* cls NONE if absent; XMM/YMM/ZMM for VSIB */
			uint8_t scale;         /* 1, 2, 4, 8 (0 without index) */
			uint8_t seg;           /* enum x86_seg: override or X86_SEG_NONE */
			bool has_disp;
			uint8_t disp_bytes;    /* 0, 1, 4 or 8 (moffs) as encoded */
			int64_t disp;          /* sign-extended; disp8*N already scaled */
		} mem;
		uint64_t imm;  /* sign- or zero-extended to 64 bits as XED shows it */
		int64_t rel;   /* relative to the end of the instruction */
	};
};

struct x86_opcode_row;

/*
 * One decoded instruction.  Register numbers are 5-bit (0..31) everywhere:
 * R4/X4/B4/V4 from REX2 and EVEX are folded in by the decoder.
 */
struct x86_insn {
	const struct x86_opcode_row *row; /* the table row that matched */
	char iclass[24];      /* XED iclass, lowercase ("add", "add_lock", "rep_movsb") */
	uint8_t len;
	uint8_t map;          /* enum x86_map */
	uint8_t opcode;
	uint8_t encoding;     /* enum x86_encoding */
	uint8_t modrm;
	uint8_t sib;
	bool has_modrm, has_sib;
	uint8_t mode;         /* enum x86_mode */
	uint8_t osize;        /* operand size in bits: 8 (byte op), 16, 32, 64 */
	uint8_t asize;        /* address size in bits: 32 or 64 in 64-bit mode */
	uint16_t vl;          /* vector length in bits for VEX/EVEX: 128/256/512 */

	/* Prefixes as seen. */
	uint8_t seg;          /* last segment override, enum x86_seg */
	uint8_t hint;         /* 2E/3E branch hint as XED keeps it in 64-bit mode: 0x3E if a 3E
				 and no 64/65 prefix at all; else 0x2E if a 2E follows the last
				 64/65 (or there is none); else 0.  The formatter shows it on Jcc. */
	bool p66, p67, lock;
	uint8_t rep;          /* 0, 0xF2 or 0xF3: the last of F2/F3 */
	uint8_t mandatory;    /* mandatory prefix the row was selected by: 0, 0x66, 0xF2, 0xF3 */
	uint8_t rex;          /* the REX byte that applies (0 if none) */
	uint8_t nprefixes;    /* legacy prefix bytes before REX/REX2/VEX/EVEX/opcode */

	/* Extension bits, already un-inverted. */
	bool w, r3, x3, b3, r4, x4, b4, v4;
	uint8_t vvvv;         /* 0..15 (un-inverted); with v4: 0..31 */
	uint8_t pp;           /* VEX/EVEX pp: 0 none, 1 66, 2 F3, 3 F2 */
	uint8_t aaa;          /* EVEX opmask */
	bool evex_z, evex_b;

	/* APX. */
	bool nd, nf, zu;
	int8_t scc;           /* CCMP/CTEST source condition, -1 otherwise */
	int8_t dfv;           /* CCMP/CTEST default flags {OF,SF,ZF,CF}, -1 otherwise */
	bool egpr;            /* some register is r16..r31 */

	uint8_t nops;
	struct x86_operand ops[X86_MAX_OPERANDS];

	uint8_t imm_bytes;    /* total immediate bytes (incl. moffs/abs target) */
	uint8_t disp_bytes;
};

/*
 * Decode one instruction.  `buf` holds `avail` bytes (at most 15 are looked
 * at, none past `avail`).  Returns X86_OK and fills `insn`, or an error; on
 * error insn->len is 0.  Never reads outside buf[0..avail).
 */
enum x86_status x86_decode(const uint8_t *buf, unsigned avail, enum x86_mode mode,
			   struct x86_insn *insn);

/* XED's error name in lowercase ("general_error"), "ok" for X86_OK. */
const char *x86_status_name(enum x86_status st);

/* Register name as XED prints it ("r16d", "ah", "xmm3", "st(0)"); "?" if none. */
const char *x86_reg_name(struct x86_reg reg);

/* Intel syntax in XED's style, for runtime address `ip`.  Returns the length written. */
int x86_format_intel(const struct x86_insn *insn, uint64_t ip, char *out, unsigned size);

#endif
