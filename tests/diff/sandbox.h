/* SPDX-License-Identifier: MIT */
/*
 * Native sandbox for the differential test: runs ONE instruction on the host
 * CPU from a given register/flag state, inside the test process, and reports
 * the state after it (or the exception it raised).
 *
 * Layout (the same virtual addresses natively and in the interpreter's RAM):
 *   [DIFF_CODE_BASE, +DIFF_CODE_SIZE)  RWX, filled with 0xCC; the instruction
 *                                      under test is at DIFF_INSN_ADDR
 *   [DIFF_DATA_BASE, DIFF_RAM_SIZE)    RW data window (memory operands, stack)
 *   [DIFF_RAM_SIZE, +DIFF_GUARD_SIZE)  PROT_NONE guard: accesses #PF natively,
 *                                      and they are beyond the interpreter's RAM
 * The interpreter's RAM is [0, DIFF_RAM_SIZE).  Below DIFF_CODE_BASE nothing is
 * mapped natively, so a native #PF there is "outside the sandbox" (skipped).
 *
 * How one run works: diff_native_enter() (assembly below) saves the host's
 * callee-saved registers and RSP, loads RFLAGS (popfq, on the host stack) and
 * all 16 GPRs (RSP last but one, RDI last) and jumps to DIFF_INSN_ADDR.  The
 * instruction is followed by 0xCC, so it ends in a signal: SIGTRAP for the
 * INT3 behind it (or wherever a branch landed in the 0xCC filler), or
 * SIGSEGV/SIGBUS/SIGFPE/SIGILL when it faulted, or SIGSEGV with a fetch #PF
 * when a branch left the code page.  The handler (on an alternate signal
 * stack: RSP belongs to the guest) copies the ucontext (GPRs, RFLAGS, RIP,
 * trap number, error code, CR2) and rewrites it so that sigreturn resumes at
 * diff_native_resume with the host RSP and sane RFLAGS (DF=0); that stub pops
 * the callee-saved registers and returns to the C caller.  FS/GS bases are
 * never touched (segment-register writes are not generated).
 *
 * A SIGALRM watchdog (every 20 ms) ends a run that is still inside the code
 * page two ticks later (a branch that loops on itself).
 */
#ifndef APXVM_TESTS_DIFF_SANDBOX_H
#define APXVM_TESTS_DIFF_SANDBOX_H

#include <asm/prctl.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#define DIFF_CODE_BASE  UINT64_C(0x100000)
#define DIFF_CODE_SIZE  UINT64_C(0x10000)
#define DIFF_INSN_ADDR  UINT64_C(0x108000)
#define DIFF_DATA_BASE  UINT64_C(0x110000)
#define DIFF_RAM_SIZE   UINT64_C(0x200000)
#define DIFF_GUARD_SIZE UINT64_C(0x200000)

/* Register state in encoding order (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..r15). */
struct dn_ctx {
	uint64_t r[16];
	uint64_t rflags;
};

enum dn_kind {
	DN_TRAP,     /* a signal: see signo/trapno/rip */
	DN_TIMEOUT,  /* the watchdog stopped it */
};

struct dn_result {
	int kind;
	int signo, code;
	uint64_t r[16];
	uint64_t rflags, rip;
	uint64_t trapno, err, cr2;
	uint64_t addr;  /* si_addr */
};

/* Used by the assembly below: not static so that the names are stable. */
uint64_t diff_host_rsp;
uint64_t diff_insn_target = DIFF_INSN_ADDR;
void diff_native_enter(const struct dn_ctx *ctx);
void diff_native_resume(void);

__asm__(
	".text\n"
	".p2align 4\n"
	".type diff_native_enter, @function\n"
	"diff_native_enter:\n"
	"	push %rbp\n"
	"	push %rbx\n"
	"	push %r12\n"
	"	push %r13\n"
	"	push %r14\n"
	"	push %r15\n"
	"	mov %rsp, diff_host_rsp(%rip)\n"
	"	pushq 128(%rdi)\n"
	"	popfq\n"
	"	mov 0(%rdi), %rax\n"
	"	mov 8(%rdi), %rcx\n"
	"	mov 16(%rdi), %rdx\n"
	"	mov 24(%rdi), %rbx\n"
	"	mov 40(%rdi), %rbp\n"
	"	mov 48(%rdi), %rsi\n"
	"	mov 64(%rdi), %r8\n"
	"	mov 72(%rdi), %r9\n"
	"	mov 80(%rdi), %r10\n"
	"	mov 88(%rdi), %r11\n"
	"	mov 96(%rdi), %r12\n"
	"	mov 104(%rdi), %r13\n"
	"	mov 112(%rdi), %r14\n"
	"	mov 120(%rdi), %r15\n"
	"	mov 32(%rdi), %rsp\n"
	"	mov 56(%rdi), %rdi\n"
	"	jmp *diff_insn_target(%rip)\n"
	".size diff_native_enter, .-diff_native_enter\n"
	".p2align 4\n"
	".type diff_native_resume, @function\n"
	"diff_native_resume:\n"
	"	pop %r15\n"
	"	pop %r14\n"
	"	pop %r13\n"
	"	pop %r12\n"
	"	pop %rbx\n"
	"	pop %rbp\n"
	"	ret\n"
	".size diff_native_resume, .-diff_native_resume\n");

static volatile sig_atomic_t dn_active;  /* a native run is in progress */
static volatile uint64_t dn_seq, dn_seen_seq;
static struct dn_result *volatile dn_out;
static struct sigaction dn_old[NSIG];
static uint8_t *dn_code;                 /* == (uint8_t *)DIFF_CODE_BASE */
static uint64_t dn_fs_base, dn_gs_base;
static _Alignas(64) uint8_t dn_altstack[1u << 18];

/* ucontext gregs index of each GPR in encoding order. */
static const int dn_greg[16] = {
	REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
	REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
};

static void dn_chain(int sig, siginfo_t *si, void *ucv)
{
	struct sigaction *o = &dn_old[sig];

	if ((o->sa_flags & SA_SIGINFO) && o->sa_sigaction) {
		o->sa_sigaction(sig, si, ucv);
		return;
	}
	if (o->sa_handler == SIG_IGN)
		return;
	if (o->sa_handler != SIG_DFL) {
		o->sa_handler(sig);
		return;
	}
	/* Default action: reinstall it; a synchronous fault re-executes and dies. */
	signal(sig, SIG_DFL);
	if (sig == SIGALRM || si->si_code <= 0)
		raise(sig);
}

static void dn_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	greg_t *g = uc->uc_mcontext.gregs;
	struct dn_result *o = dn_out;
	uint64_t rip = (uint64_t)g[REG_RIP];

	if (!dn_active) {
		if (sig != SIGALRM)
			dn_chain(sig, si, ucv);
		return;
	}
	if (sig == SIGALRM) {
		/* Only stop a run that is executing guest code (not the trampoline). */
		if (rip - DIFF_CODE_BASE >= DIFF_CODE_SIZE || dn_seen_seq != dn_seq) {
			dn_seen_seq = dn_seq;
			return;
		}
		o->kind = DN_TIMEOUT;
	} else {
		o->kind = DN_TRAP;
	}
	o->signo = sig;
	o->code = si->si_code;
	o->addr = (uint64_t)(uintptr_t)si->si_addr;
	for (int i = 0; i < 16; i++)
		o->r[i] = (uint64_t)g[dn_greg[i]];
	o->rflags = (uint64_t)g[REG_EFL];
	o->rip = rip;
	o->trapno = (uint64_t)g[REG_TRAPNO];
	o->err = (uint64_t)g[REG_ERR];
	o->cr2 = (uint64_t)g[REG_CR2];
	g[REG_RIP] = (greg_t)(uintptr_t)diff_native_resume;
	g[REG_RSP] = (greg_t)diff_host_rsp;
	g[REG_EFL] = 0x202;
	dn_active = 0;
}

/* Map the sandbox and install the handlers.  Returns 0, or -1 with a message. */
static int dn_init(char *why, size_t whylen)
{
	static const int sigs[] = { SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGALRM };
	void *p;
	stack_t ss;
	struct sigaction sa;
	struct itimerval it;

	p = mmap((void *)(uintptr_t)DIFF_CODE_BASE, DIFF_RAM_SIZE - DIFF_CODE_BASE,
		 PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (p != (void *)(uintptr_t)DIFF_CODE_BASE) {
		snprintf(why, whylen, "mmap of the sandbox at 0x%llx failed: %s",
			 (unsigned long long)DIFF_CODE_BASE, p == MAP_FAILED ? strerror(errno) : "moved");
		return -1;
	}
	/* Data pages are not executable: a branch into them gives a fetch #PF. */
	if (mprotect((void *)(uintptr_t)DIFF_DATA_BASE, DIFF_RAM_SIZE - DIFF_DATA_BASE,
		     PROT_READ | PROT_WRITE)) {
		snprintf(why, whylen, "mprotect: %s", strerror(errno));
		return -1;
	}
	p = mmap((void *)(uintptr_t)DIFF_RAM_SIZE, DIFF_GUARD_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
	if (p != (void *)(uintptr_t)DIFF_RAM_SIZE) {
		snprintf(why, whylen, "mmap of the guard at 0x%llx failed: %s",
			 (unsigned long long)DIFF_RAM_SIZE, p == MAP_FAILED ? strerror(errno) : "moved");
		return -1;
	}
	dn_code = (uint8_t *)(uintptr_t)DIFF_CODE_BASE;
	memset(dn_code, 0xcc, DIFF_CODE_SIZE);

	if (syscall(SYS_arch_prctl, ARCH_GET_FS, &dn_fs_base) ||
	    syscall(SYS_arch_prctl, ARCH_GET_GS, &dn_gs_base)) {
		snprintf(why, whylen, "arch_prctl: %s", strerror(errno));
		return -1;
	}

	ss.ss_size = sizeof(dn_altstack);
	ss.ss_sp = dn_altstack;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL)) {
		snprintf(why, whylen, "sigaltstack: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = dn_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], &sa, &dn_old[sigs[i]])) {
			snprintf(why, whylen, "sigaction(%d): %s", sigs[i], strerror(errno));
			return -1;
		}
	}
	it.it_interval.tv_sec = 0;
	it.it_interval.tv_usec = 20000;
	it.it_value = it.it_interval;
	if (setitimer(ITIMER_REAL, &it, NULL)) {
		snprintf(why, whylen, "setitimer: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static __attribute__((unused)) void dn_fini(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
}

/* Run the instruction at DIFF_INSN_ADDR natively from `in`. */
static void dn_run(const struct dn_ctx *in, struct dn_result *out)
{
	memset(out, 0, sizeof(*out));
	dn_out = out;
	dn_seq++;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	dn_active = 1;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	diff_native_enter(in);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	dn_active = 0;
}

#endif
