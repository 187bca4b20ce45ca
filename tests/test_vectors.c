/* SPDX-License-Identifier: MIT */
/*
 * The decoder against Intel XED's reference decodings (../shared/vectors).
 * Per file it prints and checks (thresholds from the foundation issue):
 *   - status (ok or not) and length on lines led by a legacy opcode (maps 0-3,
 *     REX2 included) or by EVEX map 4: 100%;
 *   - the same on VEX-, XOP- and other-EVEX-led lines: >= 97%;
 *   - on ok lines whose operands name no x87/MMX/vector/mask/BND register:
 *     iclass + operands + attrs + scc + dfv >= 99.5%, Intel text >= 98%.
 * VERBOSE=1 prints every disagreement.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "vmm/commands.h"
#include "x86/insn.h"
#include "x86/opdump.h"

enum lead { LEAD_STRICT, LEAD_VECTOR };

/* Which class the first opcode byte (after legacy prefixes and REX) puts a line in. */
static enum lead classify(const unsigned char *b, int n)
{
	int i = 0;

	while (i < n && (b[i] == 0x26 || b[i] == 0x2e || b[i] == 0x36 || b[i] == 0x3e ||
			 b[i] == 0x64 || b[i] == 0x65 || b[i] == 0x66 || b[i] == 0x67 ||
			 b[i] == 0xf0 || b[i] == 0xf2 || b[i] == 0xf3))
		i++;
	while (i < n && (b[i] & 0xf0) == 0x40)
		i++;
	if (i >= n)
		return LEAD_STRICT;
	if (b[i] == 0xc4 || b[i] == 0xc5)
		return LEAD_VECTOR;
	if (b[i] == 0x8f)
		return (i + 1 < n && ((b[i + 1] >> 3) & 7) != 0) ? LEAD_VECTOR : LEAD_STRICT;
	if (b[i] == 0x62)
		return (i + 1 < n && (b[i + 1] & 7) == 4) ? LEAD_STRICT : LEAD_VECTOR;
	return LEAD_STRICT;
}

struct tally { unsigned long n, ok; };

static double pct(struct tally t)
{
	return t.n ? 100.0 * t.ok / t.n : 100.0;
}

static char *field(char **s)
{
	char *f = *s, *t = f ? strchr(f, '\t') : NULL;

	if (t) {
		*t = 0;
		*s = t + 1;
	} else {
		*s = NULL;
	}
	return f ? f : (char *)"";
}

static void run_file(const char *dir, const char *name, regex_t *vecreg, int verbose)
{
	char path[1024], line[1024];
	struct tally strict = { 0, 0 }, vec = { 0, 0 }, sem = { 0, 0 }, text = { 0, 0 };
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!ok(f != NULL, "%s: open", name))
		return;
	while (fgets(line, sizeof(line), f)) {
		char *s = line, *cols[10];
		unsigned char buf[32];
		struct x86_insn in;
		enum x86_status st;
		int n, good;

		if (line[0] == '#')
			continue;
		line[strcspn(line, "\r\n")] = 0;
		for (int i = 0; i < 10; i++)
			cols[i] = field(&s);
		n = parse_hex(cols[0], buf, sizeof(buf));
		if (n <= 0)
			continue;
		st = x86_decode(buf, (unsigned)n, X86_MODE_64, &in);
		good = (st == X86_OK) == !strcmp(cols[1], "ok") &&
		       (st != X86_OK || (unsigned)atoi(cols[2]) == in.len);
		if (classify(buf, n) == LEAD_STRICT) {
			strict.n++;
			strict.ok += good;
		} else {
			vec.n++;
			vec.ok += good;
		}
		if (!good && verbose)
			printf("# %s: %s: xed %s/%s, got %s/%u\n", name, cols[0], cols[1], cols[2],
			       x86_status_name(st), in.len);
		if (strcmp(cols[1], "ok") || regexec(vecreg, cols[8], 0, NULL, 0) == 0)
			continue;
		{
			char ops[512], attrs[64], intel[192], scc[8] = "-", dfv[8] = "-";
			int same;

			sem.n++;
			text.n++;
			if (st != X86_OK || in.len != (unsigned)atoi(cols[2])) {
				if (verbose)
					printf("# %s: %s: not decoded alike\n", name, cols[0]);
				continue;
			}
			x86_format_operands(&in, ops, sizeof(ops));
			x86_format_attrs(&in, attrs, sizeof(attrs));
			x86_format_intel(&in, 0, intel, sizeof(intel));
			if (in.scc >= 0) {
				snprintf(scc, sizeof(scc), "%d", in.scc);
				snprintf(dfv, sizeof(dfv), "%d", in.dfv);
			}
			same = !strcmp(in.iclass, cols[3]) && !strcmp(attrs, cols[5]) &&
			       !strcmp(scc, cols[6]) && !strcmp(dfv, cols[7]) && !strcmp(ops, cols[8]);
			sem.ok += same;
			text.ok += !strcmp(intel, cols[9]);
			if (verbose && !same)
				printf("# %s: %s: xed %s %s %s/%s %s | got %s %s %s/%s %s\n", name, cols[0],
				       cols[3], cols[5], cols[6], cols[7], cols[8], in.iclass, attrs, scc, dfv, ops);
			if (verbose && strcmp(intel, cols[9]))
				printf("# %s: %s: xed '%s' got '%s'\n", name, cols[0], cols[9], intel);
		}
	}
	fclose(f);
	ok(strict.ok == strict.n, "%s: status+len, legacy/REX2/map-4 lines: %lu/%lu = %.3f%% (need 100%%)",
	   name, strict.ok, strict.n, pct(strict));
	ok(pct(vec) >= 97.0, "%s: status+len, VEX/XOP/other-EVEX lines: %lu/%lu = %.3f%% (need 97%%)",
	   name, vec.ok, vec.n, pct(vec));
	ok(pct(sem) >= 99.5, "%s: iclass+operands+attrs, GP lines: %lu/%lu = %.3f%% (need 99.5%%)",
	   name, sem.ok, sem.n, pct(sem));
	ok(pct(text) >= 98.0, "%s: Intel text, GP lines: %lu/%lu = %.3f%% (need 98%%)",
	   name, text.ok, text.n, pct(text));
}

int main(void)
{
	static const char *const files[] = { "legacy.tsv", "apx-rex2.tsv", "apx-evex.tsv", "random.tsv" };
	const char *dir = getenv("VECTORS") ? getenv("VECTORS") : "../shared/vectors";
	int verbose = getenv("VERBOSE") && atoi(getenv("VERBOSE"));
	regex_t vecreg;

	/* operands that name an x87, MMX, vector, mask or bound register */
	if (regcomp(&vecreg, "(^|[:+ ])(st\\([0-7]\\)|mm[0-7]|[xyz]mm[0-9]+|k[0-7]|bnd[0-3]|tmm[0-7])[:*]",
		    REG_EXTENDED | REG_NOSUB))
		return 2;
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		run_file(dir, files[i], &vecreg, verbose);
	regfree(&vecreg);
	return done_testing();
}
