#!/bin/bash
# Cross-executor differential test: random straight-line guests of legacy
# general-purpose instructions (tests/cross/gen_straight.c; random register,
# flag and memory state; only architecturally defined results) run on the
# software vCPU, on the host CPU as a Linux process, and on KVM when
# `apxvm run --accel kvm` works here; every report (all GPRs, flags and a
# memory window, per block) must be identical.  (Whole guests on both
# backends: tests/test_kvm_cross.sh.)  TAP.
# Env: APXVM, GEN_STRAIGHT (the built generator), GUESTS, X86BENCH; optional
# CROSS_GUESTS (default 1000), CROSS_BLOCKS (1 per guest), CROSS_INSNS (30),
# CROSS_SEED.
set -u
: "${APXVM:?}" "${GEN_STRAIGHT:?}" "${GUESTS:?}" "${X86BENCH:?}"
CC=${GUEST_CC:-gcc}
NG=${CROSS_GUESTS:-1000} NB=${CROSS_BLOCKS:-1} NI=${CROSS_INSNS:-30}
SEED=${CROSS_SEED:-$(( $(date +%s) % 100000 ))}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0 fails=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
LDG="-nostdlib -static -no-pie -Wl,--build-id=none -Wl,-Ttext-segment=0x100000 -Wl,-z,max-page-size=0x1000"

# Is KVM usable through apxvm?  (needs /dev/kvm and the KVM backend)
kvm=no
if [ -e /dev/kvm ] && "$APXVM" run --accel kvm --cpu noapx "$GUESTS/hello.elf" >"$T/kvm.probe" 2>"$T/kvm.err"; then
	kvm=yes
fi
why_no_kvm="KVM not usable here: $( [ -e /dev/kvm ] || echo "no /dev/kvm"; head -1 "$T/kvm.err" 2>/dev/null)"
echo "# seed $SEED (CROSS_SEED=$SEED to repeat); $NG guests x $NB blocks x $NI instructions; KVM: $kvm"

blocks=0 bad_native=0 bad_kvm=0 kvm_runs=0
for ((g = 0; g < NG; g++)); do
	s=$((SEED * 10000 + g))
	"$GEN_STRAIGHT" $s "$NB" "$NI" >"$T/g.S" && "$GEN_STRAIGHT" $s "$NB" "$NI" native >"$T/n.S" || { ok 1 "generator failed"; break; }
	$CC $LDG -Wl,--no-warn-rwx-segments -Wl,-e,_start64 -o "$T/g.elf" "$T/g.S" &&
		$CC $LDG -o "$T/n.elf" "$T/n.S" || { ok 1 "guest $s does not assemble"; break; }
	"$T/n.elf" >"$T/native.out"
	"$APXVM" run "$T/g.elf" >"$T/soft.out" 2>"$T/soft.err"
	rc=$?
	if [ $rc != 0 ] || [ "$(wc -l <"$T/soft.out")" != "$NB" ] || ! cmp -s "$T/soft.out" "$T/native.out"; then
		bad_native=$((bad_native + 1))
		if [ $bad_native -le 3 ]; then
			echo "# guest $s: software vCPU (status $rc) differs from the host CPU; kept in /tmp/cross-fail-$s.S"
			diff <(tr ' ' '\n' <"$T/soft.out") <(tr ' ' '\n' <"$T/native.out") | head -6 | sed 's/^/#   /'
			cp "$T/g.S" "/tmp/cross-fail-$s.S"
		fi
	fi
	if [ $kvm = yes ]; then
		"$APXVM" run --accel kvm --cpu noapx "$T/g.elf" >"$T/kvm.out" 2>"$T/kvm.err"
		rc=$?
		kvm_runs=$((kvm_runs + 1))
		if [ $rc != 0 ] || ! cmp -s "$T/kvm.out" "$T/soft.out"; then
			bad_kvm=$((bad_kvm + 1))
			if [ $bad_kvm -le 3 ]; then
				echo "# guest $s: KVM (status $rc) differs from the software vCPU; kept in /tmp/cross-fail-kvm-$s.S"
				diff <(tr ' ' '\n' <"$T/kvm.out") <(tr ' ' '\n' <"$T/soft.out") | head -6 | sed 's/^/#   /'
				cp "$T/g.S" "/tmp/cross-fail-kvm-$s.S"
			fi
		fi
	fi
	blocks=$((blocks + NB))
done
[ $bad_native = 0 ]; ok $? "$NG random guests ($blocks blocks of $NI instructions): software vCPU = host CPU ($bad_native differ)"
if [ $kvm = yes ]; then
	[ $bad_kvm = 0 ]; ok $? "$kvm_runs random guests: KVM = software vCPU ($bad_kvm differ)"
fi
[ $kvm = yes ] || skip "$why_no_kvm"
echo "1..$n"
exit $((fails > 0))
