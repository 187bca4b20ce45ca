#!/bin/bash
# The same guests on `--accel soft` and `--accel kvm`: identical serial
# output and exit status; the `auto` fallback and the refusals of `kvm`.
# TAP output; skips cleanly without --accel in apxvm or without a usable
# /dev/kvm.  Needs APXVM and GUESTS; TESTGUESTS and X86BENCH are optional.
# On PVM hosts (no vmx/svm flag) guest ring-0 code is emulated by KVM at a
# few MIPS, so the benchmark workload (iters=1) takes about a minute there.
set -u
: "${APXVM:?}" "${GUESTS:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0

ok() {  # ok COND-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

skip() {
	n=$((n + 1))
	echo "ok $n # SKIP $1"
}

# Is --accel kvm there and working?
"$APXVM" run --cpu noapx --accel kvm "$GUESTS/hello.elf" >"$T/probe.out" 2>"$T/probe.err"
rc=$?
if grep -q "unknown or incomplete option '--accel'" "$T/probe.err"; then
	echo "1..0 # SKIP this apxvm has no --accel option"
	exit 0
fi
if [ "$rc" != 0 ] && grep -q -- "--accel kvm:" "$T/probe.err"; then
	echo "1..0 # SKIP KVM not usable: $(head -1 "$T/probe.err")"
	exit 0
fi

# cross WHAT TIMEOUT ARGS...: soft and kvm print the same and exit alike.
cross() {
	local what=$1 to=$2
	shift 2
	timeout "$to" "$APXVM" run --cpu noapx --accel soft "$@" >"$T/soft.out" 2>"$T/soft.err"
	local rs=$?
	timeout "$to" "$APXVM" run --cpu noapx --accel kvm "$@" >"$T/kvm.out" 2>"$T/kvm.err"
	local rk=$?
	if [ "$rs" = "$rk" ] && cmp -s "$T/soft.out" "$T/kvm.out"; then
		ok 0 "$what: same output, status $rs on both"
	else
		ok 1 "$what: soft status $rs, kvm status $rk"
		diff "$T/soft.out" "$T/kvm.out" | sed 's/^/#   /' | head -10
		sed 's/^/#   kvm: /' "$T/kvm.err" | head -10
	fi
}

cross "hello" 60 "$GUESTS/hello.elf"
if [ -n "${TESTGUESTS:-}" ]; then
	# cr3out is left out on purpose: the software CPU stops with an internal
	# error on a page walk outside RAM, KVM reads all ones and triple-faults.
	for g in hlt ports smc triple badpt; do
		cross "$g" 60 "$TESTGUESTS/$g.elf"
	done
	cross "spin with --timeout 0.5" 60 --timeout 0.5 "$TESTGUESTS/spin.elf"
fi

# On PVM hosts this takes about a minute: KVM emulates the guest's ring-0 code.
if [ -n "${X86BENCH:-}" ] && [ -z "${KVM_CROSS_NO_BENCH:-}" ]; then
	cross "x86bench iters=1" 900 -s rdi=1 "$X86BENCH/guest64.elf"
else
	skip "x86bench on kvm: no X86BENCH, or KVM_CROSS_NO_BENCH set"
fi

# Exceptions delivered by KVM through the guest's IDT (faults.elf).  On PVM
# hosts KVM's emulator cannot run some of its ring-0 instructions (INT3) and
# answers KVM_EXIT_INTERNAL_ERROR: that must end the run with status 70, the
# exit named and a register dump, never a crash.  Elsewhere it passes.
timeout 300 "$APXVM" run --cpu noapx --accel kvm "$GUESTS/faults.elf" >"$T/f.out" 2>"$T/f.err"
rc=$?
if [ $rc = 0 ]; then
	! grep -q FAIL "$T/f.out"
	ok $? "faults on kvm: every check passes"
else
	[ $rc = 70 ] && grep -q "KVM_EXIT_" "$T/f.err" && grep -q "rip" "$T/f.err"
	ok $? "faults on kvm: status $rc with the KVM exit named and a register dump"
fi

# --max-insns cannot be honoured on KVM: refused for kvm, soft for auto.
"$APXVM" run --cpu noapx --accel kvm --max-insns 5 "$GUESTS/hello.elf" >/dev/null 2>"$T/err"
rc=$?
grep -q "max-insns" "$T/err"
ok $(( rc != 64 || $? )) "--accel kvm --max-insns: refused with status 64 ($rc)"
"$APXVM" run --cpu noapx --accel auto --max-insns 100000000 --trace "$GUESTS/hello.elf" \
	>"$T/auto.out" 2>"$T/auto.err"
grep -q "software CPU" "$T/auto.err"
ok $? "--accel auto --max-insns: the software CPU, said with --trace"

# APX: kvm offers it only where the host's KVM does; auto falls back.
if "$APXVM" run --cpu apx --accel soft "$GUESTS/hello.elf" 2>&1 >/dev/null | grep -q "unknown --cpu"; then
	skip "a 16-GPR (APX=0) build has no APX CPU model"
elif "$APXVM" run --cpu apx --accel kvm "$GUESTS/hello.elf" >/dev/null 2>"$T/err"; then
	skip "this host's KVM offers APX: no refusal to check"
else
	grep -q "APX" "$T/err"
	ok $? "--cpu apx --accel kvm refused: $(head -c 120 "$T/err")"
	"$APXVM" run --cpu apx --accel auto --trace "$GUESTS/hello.elf" >"$T/auto.out" 2>"$T/auto.err"
	rc=$?
	"$APXVM" run --cpu apx --accel soft "$GUESTS/hello.elf" >"$T/soft.out" 2>/dev/null
	cmp -s "$T/auto.out" "$T/soft.out" && grep -q "software CPU" "$T/auto.err"
	ok $(( rc != 0 || $? )) "--cpu apx --accel auto: software CPU, same output as soft"
fi

echo "1..$n"
