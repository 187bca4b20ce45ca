/* SPDX-License-Identifier: MIT */
/* `apxvm dis`, `apxvm decode` and `apxvm bench-decode`: the decoder for users and tests. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmm/commands.h"
#include "x86/insn.h"
#include "x86/opdump.h"

int parse_hex(const char *s, unsigned char *buf, unsigned size)
{
	unsigned n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (isspace((unsigned char)*s))
			continue;
		if (!isxdigit((unsigned char)*s))
			return -1;
		v = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= size)
			return -1;
		buf[n++] = (unsigned char)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : -1;
}

/* Disassemble buf[0..len) as if loaded at `base`; one line per instruction. */
static void disassemble(const unsigned char *buf, size_t len, uint64_t base)
{
	size_t off = 0;

	while (off < len) {
		struct x86_insn in;
		size_t avail = len - off;
		enum x86_status st = x86_decode(buf + off, avail > 15 ? 15 : (unsigned)avail,
						X86_MODE_64, &in);
		char text[160];
		unsigned n = st == X86_OK ? in.len : 1;

		printf("%" PRIx64 ":\t", base + off);
		for (unsigned i = 0; i < 15; i++) {
			if (i < n)
				printf("%02x", buf[off + i]);
			else if (i < 10)
				printf("  ");
		}
		if (st == X86_OK) {
			x86_format_intel(&in, base + off, text, sizeof(text));
			printf("\t%s\n", text);
		} else {
			printf("\t(bad: %s)\n", x86_status_name(st));
		}
		off += n;
	}
}

static int read_file(const char *path, unsigned char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	unsigned char *p;

	if (!f) {
		fprintf(stderr, "apxvm dis: %s: %s\n", path, strerror(errno));
		return -1;
	}
	p = malloc(cap);
	while (p) {
		size_t r = fread(p + n, 1, cap - n, f);

		n += r;
		if (r == 0)
			break;
		if (n == cap) {
			unsigned char *q = cap < (1u << 30) ? realloc(p, cap * 2) : NULL;

			if (!q) {
				free(p);
				p = NULL;
				break;
			}
			p = q;
			cap *= 2;
		}
	}
	if (!p || ferror(f)) {
		fprintf(stderr, "apxvm dis: %s: cannot read (%s)\n", path,
			p ? "read error" : "file too large");
		free(p);
		fclose(f);
		return -1;
	}
	fclose(f);
	*data = p;
	*len = n;
	return 0;
}

int cmd_dis(int argc, char **argv)
{
	const char *file = NULL;
	uint64_t base = 0;
	unsigned char code[4096];
	size_t len = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-f") && i + 1 < argc) {
			file = argv[++i];
		} else if (!strcmp(argv[i], "--base") && i + 1 < argc) {
			char *end;

			errno = 0;
			base = strtoull(argv[++i], &end, 0);
			if (errno || *end) {
				fprintf(stderr, "apxvm dis: bad --base '%s'\n", argv[i]);
				return 2;
			}
		} else if (!file) {
			int n = parse_hex(argv[i], code + len, (unsigned)(sizeof(code) - len));

			if (n < 0) {
				fprintf(stderr, "apxvm dis: '%s' is not an even number of hex digits "
					"(or the input is over %zu bytes)\n", argv[i], sizeof(code));
				return 2;
			}
			len += (size_t)n;
		} else {
			fprintf(stderr, "apxvm dis: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (file) {
		unsigned char *data;

		if (len) {
			fprintf(stderr, "apxvm dis: give either -f FILE or hex bytes, not both\n");
			return 2;
		}
		if (read_file(file, &data, &len))
			return 1;
		disassemble(data, len, base);
		free(data);
		return 0;
	}
	if (!len) {
		fprintf(stderr, "usage: apxvm dis HEX... | apxvm dis -f FILE [--base ADDR]\n");
		return 2;
	}
	disassemble(code, len, base);
	return 0;
}

/*
 * One line per input line.  Default columns: status len iclass operands intel,
 * status "ok" or "invalid".  --full: the columns of ../shared/vectors after
 * `bytes`, with XED's error names (isa_set is not modelled: "-").
 */
int cmd_decode(int argc, char **argv)
{
	bool full = argc > 1 && !strcmp(argv[1], "--full");
	char line[512];
	unsigned long lineno = 0;

	if (argc > 2 || (argc == 2 && !full)) {
		fprintf(stderr, "usage: apxvm decode [--full] < hex-lines\n");
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		unsigned char buf[64];
		struct x86_insn in;
		enum x86_status st;
		char ops[512], text[192], attrs[64];
		char *tab = strchr(line, '\t');
		int n;

		lineno++;
		if (tab)
			*tab = 0; /* accept vector lines: use the first column */
		line[strcspn(line, "\r\n")] = 0;
		n = parse_hex(line, buf, sizeof(buf));
		if (n < 0) {
			fprintf(stderr, "apxvm decode: line %lu: not hex\n", lineno);
			printf(full ? "general_error\t0\t-\t-\t-\t-\t-\t-\t-\n" : "invalid\t0\t-\t-\t-\n");
			continue;
		}
		st = x86_decode(buf, (unsigned)n, X86_MODE_64, &in);
		if (st != X86_OK) {
			if (full)
				printf("%s\t0\t-\t-\t-\t-\t-\t-\t-\n", x86_status_name(st));
			else
				printf("invalid\t0\t-\t-\t-\n");
			continue;
		}
		x86_format_operands(&in, ops, sizeof(ops));
		x86_format_intel(&in, 0, text, sizeof(text));
		if (full) {
			x86_format_attrs(&in, attrs, sizeof(attrs));
			printf("ok\t%u\t%s\t-\t%s\t", in.len, in.iclass, attrs);
			if (in.scc >= 0)
				printf("%d\t%d\t", in.scc, in.dfv);
			else
				printf("-\t-\t");
			printf("%s\t%s\n", ops, text);
		} else {
			printf("ok\t%u\t%s\t%s\t%s\n", in.len, in.iclass, ops, text);
		}
	}
	return 0;
}

/* Decode every vector line many times; report instructions per second. */
int cmd_bench_decode(int argc, char **argv)
{
	static unsigned char bytes[100000][15];
	static unsigned char lens[100000];
	unsigned n = 0;
	struct timespec t0, t1;
	unsigned long long decoded = 0, okc = 0;

	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "r");
		char line[512];

		if (!f) {
			fprintf(stderr, "apxvm bench-decode: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		while (n < 100000 && fgets(line, sizeof(line), f)) {
			int k;

			if (line[0] == '#')
				continue;
			line[strcspn(line, "\t\r\n")] = 0;
			k = parse_hex(line, bytes[n], 15);
			if (k > 0)
				lens[n++] = (unsigned char)k;
		}
		fclose(f);
	}
	if (!n) {
		fprintf(stderr, "usage: apxvm bench-decode FILE.tsv...\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (unsigned i = 0; i < n; i++) {
			struct x86_insn in;

			okc += x86_decode(bytes[i], lens[i], X86_MODE_64, &in) == X86_OK;
		}
		decoded += n;
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while ((t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9 < 1.0);
	{
		double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

		printf("decode: %llu candidates (%u distinct, %.1f%% valid) in %.3f s: %.2f M/s\n",
		       decoded, n, 100.0 * okc / decoded, s, decoded / s / 1e6);
	}
	return 0;
}
