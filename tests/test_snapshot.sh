#!/bin/bash
# Snapshots (docs/snapshot.md): `run --snapshot-at N` + `restore` prints
# exactly what an uninterrupted run prints, and ends in the same state (the
# --snapshot-on-exit files of both are identical byte for byte: registers,
# RAM, devices, instruction count).  Then damaged files are refused with
# status 65 and a message.  Last, snapshots move between the software CPU
# and KVM (`restore --accel`), skipped without a usable /dev/kvm.  TAP.
# Needs APXVM, GUESTS, X86BENCH; TESTGUESTS is optional.
set -u
: "${APXVM:?}" "${GUESTS:?}" "${X86BENCH:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
SEED=${SNAPSHOT_SEED:-$$}
RANDOM=$SEED
echo "# random instruction counts from seed $SEED (SNAPSHOT_SEED=$SEED to repeat)"

ok() {  # ok COND-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

rand() {  # rand MAX: 0..MAX-1, 30 random bits
	echo $(( ((RANDOM << 15) | RANDOM) % $1 ))
}

# split NAME N ARGS...: run to N, restore to the end; compare with $T/NAME.{out,snap}
split() {
	local name=$1 at=$2 r1 r2
	shift 2
	rm -f "$T/at.snap" "$T/end.snap"
	timeout 300 "$APXVM" run --snapshot-at "$at" "$T/at.snap" "$@" >"$T/a.out" 2>"$T/a.err"
	r1=$?
	timeout 300 "$APXVM" restore --snapshot-on-exit "$T/end.snap" "$T/at.snap" >"$T/b.out" 2>"$T/b.err"
	r2=$?
	if [ $r1 = 0 ] && [ $r2 = "$(cat "$T/$name.rc")" ] &&
	   cat "$T/a.out" "$T/b.out" | cmp -s - "$T/$name.out" && cmp -s "$T/end.snap" "$T/$name.snap"; then
		ok 0 "$name: snapshot at $at ($(wc -c <"$T/a.out") + $(wc -c <"$T/b.out") bytes of output), same output and final state"
	else
		ok 1 "$name: snapshot at $at: status $r1/$r2, output or final state differs"
		cat "$T/a.err" "$T/b.err" | sed 's/^/#   /' | head -10
		cmp "$T/end.snap" "$T/$name.snap" 2>&1 | sed 's/^/#   /'
	fi
}

# reference NAME ARGS...: the uninterrupted run; prints its instruction count
reference() {
	local name=$1
	shift
	timeout 300 "$APXVM" run --trace --snapshot-on-exit "$T/$name.snap" "$@" >"$T/$name.out" 2>"$T/$name.err"
	echo $? >"$T/$name.rc"
	sed -n 's/.*exit port .* after \([0-9]*\) instructions.*/\1/p' "$T/$name.err"
}

# A 16-GPR build (APX=0) has no "apx" model: apx-demo then reports that and fails.
"$APXVM" run --cpu apx --max-insns 1 "$GUESTS/hello.elf" >/dev/null 2>&1
[ $? != 64 ] && APX=1 || APX=0

# 1. apx-demo: R16..R31, XCR0.APX, PUSH2/POP2 ... split at random points and at the ends.
total=$(reference demo "$GUESTS/apx-demo.elf")
rc=$(cat "$T/demo.rc")
if [ $APX = 1 ]; then want_ok=$(( rc == 0 )); else want_ok=$(( rc != 0 )); fi
[ -n "$total" ] && [ -s "$T/demo.out" ] && [ $want_ok = 1 ]
ok $? "apx-demo uninterrupted (APX=$APX): status $rc, $total instructions"
total=${total:-1000}
for at in 0 $(rand "$total") $(rand "$total") $(rand "$total") $(rand "$total") $((total - 1)); do
	split demo "$at" "$GUESTS/apx-demo.elf"
done

# A chain: run -> restore with --snapshot-at -> restore to the end.
a=$(rand $((total / 2))); b=$((a + 1 + $(rand $((total / 2)))))
"$APXVM" run --snapshot-at "$a" "$T/c1.snap" "$GUESTS/apx-demo.elf" >"$T/c.out" 2>/dev/null &&
"$APXVM" restore --snapshot-at "$b" "$T/c2.snap" "$T/c1.snap" >>"$T/c.out" 2>/dev/null &&
{ "$APXVM" restore --snapshot-on-exit "$T/c3.snap" "$T/c2.snap" >>"$T/c.out" 2>/dev/null
  [ $? = "$rc" ]; } &&
cmp -s "$T/c.out" "$T/demo.out" && cmp -s "$T/c3.snap" "$T/demo.snap"
ok $? "apx-demo in three pieces ($a, $b): same output and final state"

# The guest with exceptions (IDT delivery): split right at a fault.
if [ -f "$GUESTS/faults.elf" ]; then
	reference faults "$GUESTS/faults.elf" >/dev/null
	k=$(grep -o "(instruction [0-9]*)" "$T/faults.err" | sed -n '3s/[^0-9]//gp')
	for at in ${k:-100} $(( ${k:-100} + 1 )); do
		split faults "$at" "$GUESTS/faults.elf"
	done
fi

# 2. The benchmark workload (iters=1, ~72M instructions), a few points spread over it.
total=$(reference bench -s rdi=1 "$X86BENCH/guest64.elf")
[ -n "$total" ] && [ "$(cat "$T/bench.rc")" = 0 ] && [ "$(wc -l <"$T/bench.out")" = 10 ]
ok $? "x86bench uninterrupted: status 0, 10 lines, $total instructions"
total=${total:-1000000}
for q in 0 1 2; do
	split bench $(( q * total / 3 + $(rand $((total / 3))) )) -s rdi=1 "$X86BENCH/guest64.elf"
done

# 3. Edge cases of the commands.
"$APXVM" restore "$T/demo.snap" >"$T/o" 2>"$T/e"
[ $? = "$rc" ] && [ ! -s "$T/o" ]
ok $? "restoring a snapshot written after the exit: the same status $rc, no output"
"$APXVM" run --snapshot-at 999999999 "$T/never.snap" "$GUESTS/hello.elf" >/dev/null 2>"$T/e"
[ $? = 0 ] && [ ! -e "$T/never.snap" ] && grep -q "without reaching --snapshot-at" "$T/e"
ok $? "--snapshot-at past the end: normal exit, no file, a message"
"$APXVM" run --snapshot-at 100 "$T/h.snap" "$GUESTS/hello.elf" >/dev/null 2>&1
"$APXVM" restore --snapshot-at 50 "$T/x.snap" "$T/h.snap" >/dev/null 2>"$T/e"
[ $? = 64 ] && grep -q "before the snapshot" "$T/e"
ok $? "restore --snapshot-at before the snapshot's count: status 64"
"$APXVM" restore --max-insns 10 "$T/h.snap" >/dev/null 2>"$T/e"
[ $? = 73 ]
ok $? "restore honours --max-insns (status 73)"

# 4. Refusals: status 65 and the reason.
refuse() {  # refuse WANT-STATUS REGEX DESCRIPTION FILE [OPTIONS]
	local want=$1 re=$2 what=$3 f=$4
	shift 4
	timeout 60 "$APXVM" restore "$@" "$f" >"$T/o" 2>"$T/e"
	local rc=$?
	if [ $rc = "$want" ] && grep -Eq -- "$re" "$T/e" && [ ! -s "$T/o" ]; then
		ok 0 "$what: status $rc, $(head -n 1 "$T/e" | cut -c 1-160)"
	else
		ok 1 "$what: status $rc, want $want; stderr:"
		sed 's/^/#   /' "$T/e" | head -5
	fi
}
patch() {  # patch FILE OFFSET HEX-BYTES (e.g. 02000000)
	printf "$(echo "$3" | sed 's/../\\x&/g')" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
fixcrc() {  # the CRC-32 of all but the last 4 bytes, little-endian (gzip's trailer has it)
	local size
	size=$(stat -c %s "$1")
	head -c $((size - 4)) "$1" | gzip -c | tail -c 8 | head -c 4 |
		dd of="$1" bs=1 seek=$((size - 4)) conv=notrunc status=none
}
S="$T/h.snap"
size=$(stat -c %s "$S")
cp "$S" "$T/ok.snap"; fixcrc "$T/ok.snap"
cmp -s "$S" "$T/ok.snap"; ok $? "the checksum is CRC-32 (gzip's) over all but the last 4 bytes"

head -c $((size / 2)) "$S" >"$T/t.snap"; refuse 65 "truncated" "truncated to half" "$T/t.snap"
: >"$T/t0.snap"; refuse 65 "truncated" "empty file" "$T/t0.snap"
cp "$S" "$T/c.snap"; patch "$T/c.snap" $((size - 100)) ff; refuse 65 "checksum mismatch" "one byte changed" "$T/c.snap"
cp "$S" "$T/v.snap"; patch "$T/v.snap" 8 02000000; refuse 65 "version 2" "format version 2" "$T/v.snap"
cp "$S" "$T/o1.snap"; patch "$T/o1.snap" 16 ffffffffffffff7f; refuse 65 "oversized" "file size field of 2^63" "$T/o1.snap"
cp "$S" "$T/o2.snap"; patch "$T/o2.snap" 64 0000000008000000; fixcrc "$T/o2.snap"
refuse 65 "oversized: RAM size 32768 MiB" "RAM size 32 GiB (checksum fixed)" "$T/o2.snap"
cp "$S" "$T/o3.snap"; patch "$T/o3.snap" 12 00ff0000; refuse 65 "oversized: 65280 sections" "65280 sections" "$T/o3.snap"
cp "$S" "$T/u.snap"; patch "$T/u.snap" 32 63000000; fixcrc "$T/u.snap"
refuse 65 "unknown mandatory section type 99" "unknown mandatory section" "$T/u.snap"
cp "$S" "$T/m.snap"; patch "$T/m.snap" 48 7a7a0000000000000000000000000000; fixcrc "$T/m.snap"
refuse 65 "model mismatch.*'zz'" "CPU model this build lacks" "$T/m.snap"
refuse 65 "bad magic" "an ELF file is not a snapshot" "$GUESTS/hello.elf"
refuse 66 "cannot open" "missing file" "$T/nonexistent.snap"
if [ $APX = 1 ]; then
	"$APXVM" run --snapshot-at 40000 "$T/apx.snap" "$GUESTS/apx-demo.elf" >/dev/null 2>&1
	refuse 65 "XCR0 \(0x[0-9a-f]+\) has APX \(bit 19\).*'noapx' has no APX" \
		"APX snapshot restored with --cpu noapx" "$T/apx.snap" --cpu noapx
else
	ok 0 "# SKIP no APX in this build: APX snapshot on --cpu noapx"
fi
refuse 64 "unknown --cpu" "restore --cpu bogus" "$S" --cpu bogus

# 5. Between backends: guests without APX (--cpu noapx) go on from a snapshot
# on the other backend with the output of an uninterrupted run.  KVM has no
# instruction count, so kvm -> soft snapshots are taken at --timeout.
icount() {  # the machine section's instruction count (docs/snapshot.md: byte 72)
	od -An -tu8 -j72 -N8 "$1" | tr -d ' '
}
# xsplit NAME AT ARGS...: run on soft to AT, restore on kvm; compare with $T/NAME.{out,rc}
xsplit() {
	local name=$1 at=$2 r1 r2
	shift 2
	rm -f "$T/x.snap"
	timeout 300 "$APXVM" run --snapshot-at "$at" "$T/x.snap" "$@" >"$T/a.out" 2>"$T/a.err"
	r1=$?
	timeout 300 "$APXVM" restore --accel kvm --trace "$T/x.snap" >"$T/b.out" 2>"$T/b.err"
	r2=$?
	if [ $r1 = 0 ] && [ $r2 = "$(cat "$T/$name.rc")" ] && grep -q -- "--accel kvm: KVM" "$T/b.err" &&
	   cat "$T/a.out" "$T/b.out" | cmp -s - "$T/$name.out"; then
		ok 0 "soft -> kvm: $name, snapshot at $at, restored on KVM: same output, status $r2"
	else
		ok 1 "soft -> kvm: $name, snapshot at $at: status $r1/$r2 (want 0/$(cat "$T/$name.rc")), or the output differs"
		cat "$T/a.err" "$T/b.err" | sed 's/^/#   /' | head -10
	fi
}
"$APXVM" run --accel kvm --cpu noapx "$GUESTS/hello.elf" >/dev/null 2>"$T/kvm.err"
if [ $? != 0 ]; then
	ok 0 "# SKIP KVM not usable: $(head -n 1 "$T/kvm.err" | cut -c 1-120)"
	echo "1..$n"
	exit 0
fi

# (a) soft -> kvm.  faults.elf is left out: its INT3 is not emulated by PVM hosts' KVM.
guests="hello"
[ -n "${TESTGUESTS:-}" ] && guests="$guests hlt ports smc triple"
for g in $guests; do
	f="$GUESTS/$g.elf"
	[ -f "$f" ] || f="$TESTGUESTS/$g.elf"
	reference "n$g" --cpu noapx "$f" >/dev/null
	total=$(icount "$T/n$g.snap")
	xsplit "n$g" $(( ${total:-2} / 2 )) --cpu noapx "$f"
done
# The benchmark: the last 2.5% on KVM (guest ring 0 is slow on PVM hosts).
total=$(reference nbench --cpu noapx -s rdi=1 "$X86BENCH/guest64.elf")
total=${total:-1000000}
xsplit nbench $(( total - 1 - $(rand $((total / 40))) )) --cpu noapx -s rdi=1 "$X86BENCH/guest64.elf"

# (b) kvm -> soft: stopped by --timeout (or finished first on a fast host:
# then the snapshot is "exited" and restore prints nothing).
for to in 0.3 4; do
	timeout 300 "$APXVM" run --accel kvm --trace --cpu noapx --timeout $to \
		--snapshot-on-exit "$T/k.snap" -s rdi=1 "$X86BENCH/guest64.elf" >"$T/a.out" 2>"$T/a.err"
	r1=$?
	timeout 300 "$APXVM" restore --accel soft "$T/k.snap" >"$T/b.out" 2>"$T/b.err"
	r2=$?
	if { [ $r1 = 74 ] || [ $r1 = 0 ]; } && [ $r2 = 0 ] && grep -q -- "--accel kvm: KVM" "$T/a.err" &&
	   cat "$T/a.out" "$T/b.out" | cmp -s - "$T/nbench.out"; then
		ok 0 "kvm -> soft: x86bench stopped on KVM at --timeout $to (status $r1, $(wc -l <"$T/a.out") lines), finished on soft: same output, status 0"
	else
		ok 1 "kvm -> soft: x86bench at --timeout $to: status $r1/$r2, or the output differs"
		cat "$T/a.err" "$T/b.err" | sed 's/^/#   /' | head -10
	fi
done
# soft -> kvm -> soft: three pieces, the middle one on KVM.
at=$(( total - 1 - $(rand $((total / 40))) ))
"$APXVM" run --cpu noapx -s rdi=1 --snapshot-at "$at" "$T/p1.snap" "$X86BENCH/guest64.elf" >"$T/p.out" 2>/dev/null
timeout 300 "$APXVM" restore --accel kvm --timeout 0.2 --snapshot-on-exit "$T/p2.snap" "$T/p1.snap" >>"$T/p.out" 2>/dev/null
r1=$?
timeout 300 "$APXVM" restore --accel soft "$T/p2.snap" >>"$T/p.out" 2>/dev/null
r2=$?
{ [ $r1 = 74 ] || [ $r1 = 0 ]; } && [ $r2 = 0 ] && cmp -s "$T/p.out" "$T/nbench.out"
ok $? "soft -> kvm (--timeout 0.2, status $r1) -> soft: x86bench from $at, same output"
# A snapshot KVM wrote after the exit port: the same status again, no output, on either backend.
"$APXVM" run --accel kvm --cpu noapx --snapshot-on-exit "$T/ke.snap" "$GUESTS/hello.elf" >/dev/null 2>&1
"$APXVM" restore --accel soft "$T/ke.snap" >"$T/o" 2>/dev/null && [ ! -s "$T/o" ] &&
"$APXVM" restore --accel kvm "$T/ke.snap" >"$T/o" 2>/dev/null && [ ! -s "$T/o" ]
ok $? "hello's exit-port snapshot taken on KVM restores on soft and on kvm: status 0, no output"
refuse 64 "count instructions" "restore --accel kvm --max-insns" "$T/x.snap" --accel kvm --max-insns 10

# (c) APX state cannot move to a KVM without APX: status 65 (the snapshot is refused).
if [ $APX = 0 ]; then
	ok 0 "# SKIP no APX in this build: APX snapshots on --accel kvm"
elif "$APXVM" run --cpu apx --accel kvm "$GUESTS/hello.elf" >/dev/null 2>&1; then
	ok 0 "# SKIP this host's KVM offers APX: nothing to refuse"
else
	# h.snap: hello on the default model (apx), XCR0 without APX.
	refuse 65 "has APX, but this host's KVM does not offer it" \
		"snapshot of CPU model apx restored with --accel kvm" "$T/h.snap" --accel kvm
	"$APXVM" restore --accel soft "$T/h.snap" >"$T/hs.out" 2>/dev/null
	r1=$?
	"$APXVM" restore --accel kvm --cpu noapx "$T/h.snap" >"$T/hk.out" 2>/dev/null
	[ $r1 = 0 ] && [ $? = 0 ] && [ -s "$T/hs.out" ] && cmp -s "$T/hs.out" "$T/hk.out"
	ok $? "the same snapshot with --cpu noapx (its XCR0 has no APX) goes on on KVM: same output as soft"
	refuse 65 "APX enabled \(XCR0 0x[0-9a-f]+\): it can only go on with --accel soft" \
		"apx-demo snapshot with XCR0.APX restored with --accel kvm" "$T/apx.snap" --accel kvm
	"$APXVM" restore --accel soft "$T/apx.snap" >"$T/as.out" 2>/dev/null
	r1=$?
	"$APXVM" restore --accel auto --trace "$T/apx.snap" >"$T/aa.out" 2>"$T/e"
	[ $? = $r1 ] && cmp -s "$T/as.out" "$T/aa.out" && grep -q "software CPU" "$T/e"
	ok $? "--accel auto restores that snapshot on the software CPU (said with --trace), same output"
fi

echo "1..$n"
