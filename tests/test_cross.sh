#!/bin/bash
# Cross-executor differential test: random straight-line guests of legacy
# general-purpose instructions (tests/cross/gen_straight.c; random register,
# flag and memory state; only architecturally defined results) run on the
# software vCPU, on the host CPU as a Linux process, and on KVM when
# `apxvm run --accel kvm` works here; every report (all GPRs, flags and a
# memory window, per block) must be identical.  (Whole guests on both
# backends: tests/test_kvm_cross.sh.)  TAP.
# Env: APXVM, GEN_STRAIGHT (the built generator), GUESTS, X86BENCH; optional
# CROSS_GUESTS (default 10), CROSS_BLOCKS (100), CROSS_INSNS (30), CROSS_SEED.
set -u
: "${APXVM:?}" "${GEN_STRAIGHT:?}" "${GUESTS:?}" "${X86BENCH:?}"
CC=${GUEST_CC:-gcc}
NG=${CROSS_GUESTS:-10} NB=${CROSS_BLOCKS:-100} NI=${CROSS_INSNS:-30}
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

blocks=0
for ((g = 0; g < NG; g++)); do
	s=$((SEED * 1000 + g))
	"$GEN_STRAIGHT" $s "$NB" "$NI" >"$T/g.S" && "$GEN_STRAIGHT" $s "$NB" "$NI" native >"$T/n.S" || { ok 1 "generator failed"; break; }
	$CC $LDG -Wl,--no-warn-rwx-segments -Wl,-e,_start64 -o "$T/g.elf" "$T/g.S" &&
		$CC $LDG -o "$T/n.elf" "$T/n.S" || { ok 1 "guest $s does not assemble"; continue; }
	"$T/n.elf" >"$T/native.out"
	"$APXVM" run "$T/g.elf" >"$T/soft.out" 2>"$T/soft.err"
	rc=$?
	if [ $rc = 0 ] && [ "$(wc -l <"$T/soft.out")" = "$NB" ] && cmp -s "$T/soft.out" "$T/native.out"; then
		ok 0 "guest $s: software vCPU = host CPU ($NB blocks)"
	else
		ok 1 "guest $s: software vCPU differs from the host CPU (status $rc)"
		diff <(tr ' ' '\n' <"$T/soft.out") <(tr ' ' '\n' <"$T/native.out") | head -8 | sed 's/^/#   /'
		cp "$T/g.S" "/tmp/cross-fail-$s.S"
	fi
	if [ $kvm = yes ]; then
		"$APXVM" run --accel kvm --cpu noapx "$T/g.elf" >"$T/kvm.out" 2>"$T/kvm.err"
		rc=$?
		[ $rc = 0 ] && cmp -s "$T/kvm.out" "$T/soft.out"
		ok $? "guest $s: KVM = software vCPU (status $rc)"
	fi
	blocks=$((blocks + NB))
done
[ $blocks -ge 1000 ]; ok $? "$blocks random straight-line blocks compared (at least 1000)"

[ $kvm = yes ] || skip "$why_no_kvm"
echo "1..$n"
exit $((fails > 0))
