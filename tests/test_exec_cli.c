/* SPDX-License-Identifier: MIT */
/*
 * `apxvm exec` as a user runs it: the output format (one register per line,
 * rip, rflags, exception, memory dumps), the environment it promises, and
 * clear errors with a non-zero status for bad input.  APXVM names the binary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "tap.h"

static char out[16384];
static const char *apxvm;

/* Run "apxvm exec ARGS", capture stdout; return the exit status. */
static int run(const char *args)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd), "%s exec %s 2>/dev/null", apxvm, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = 0;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Is `line` one whole line of the output? */
static int has(const char *line)
{
	static char buf[sizeof(out) + 2];
	char pat[256];

	snprintf(buf, sizeof(buf), "\n%s", out);
	snprintf(pat, sizeof(pat), "\n%s\n", line);
	return strstr(buf, pat) != NULL;
}

int main(void)
{
	apxvm = getenv("APXVM");
	if (!apxvm) {
		printf("1..0 # SKIP APXVM (path of the apxvm binary) not set\n");
		return 0;
	}

	ok(run("-s rax=1 -s rbx=2 4801d8") == 0, "exec add rax, rbx: status 0");
	ok(has("rax=0x3") && has("rbx=0x2") && has("rip=0x1003") && has("rflags=0x6") &&
	   has("exception=none"), "result, RIP at the end of the code, flags, no exception");
	ok(strncmp(out, "rax=", 4) == 0 && strstr(out, "rcx=") < strstr(out, "rdx=") &&
	   strstr(out, "r15=") < strstr(out, "rip=") && strstr(out, "rip=") < strstr(out, "rflags=") &&
	   strstr(out, "rflags=") < strstr(out, "exception="), "register lines in the documented order");
	ok(has("rsp=0x80000"), "RSP starts at 0x80000");
#ifdef CONFIG_APX
	ok(has("r16=0x0") && has("r31=0x0"), "APX vCPU prints r16..r31");
	ok(run("-s r24=40 -s rcx=2 d51901c8") == 0 && has("r24=0x2a") && has("exception=none"),
	   "add r24, rcx with APX: r24=0x2a");
#endif
	ok(run("--no-apx -s rcx=2 d51901c8") == 0 && has("exception=#UD") && !strstr(out, "r16="),
	   "--no-apx: REX2 is #UD and r16..r31 are not printed");
	ok(has("rip=0x1000"), "#UD leaves RIP at the faulting instruction");

	ok(run("--mem 0x2000=0700000000000000 --dump 0x2000,8 -s rbx=0x2000 -s rax=1 480103") == 0 &&
	   has("mem@0x2000=0800000000000000"), "--mem and --dump: add [rbx], rax wrote memory");
	ok(run("-s rbx=0x100000 480303") == 0 && has("exception=#PF"),
	   "an address outside the 1 MiB faults with #PF");
	ok(run("-s rflags=0x3 -s rip=0x1000 f9") == 0 && has("rflags=0x3"), "-s rflags and rip accepted");
	ok(run("--max-insns 50 ebfe") == 0 && has("rip=0x1000") && has("exception=none"),
	   "--max-insns bounds an endless loop");

	ok(run("4801d") == 2, "odd number of hex digits: status 2");
	ok(run("-s rzz=1 90") == 2, "unknown register: status 2");
	ok(run("--mem 0x100000=00 90") == 2, "--mem outside RAM: status 2");
	ok(run("--dump 0xffff0,0x20 90") == 2, "--dump outside RAM: status 2");
	ok(run("--bogus 90") == 2, "unknown option: status 2");
	ok(run("") == 2, "no code: status 2");
	return done_testing();
}
