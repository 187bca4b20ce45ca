#!/bin/sh
# SPDX-License-Identifier: MIT
# TAP test of guests/include/apx.h (the APX assembler macros) against the
# decoder, plus a smoke run of the built guests when `apxvm run` exists.
#
#   APXVM=path/to/apxvm GUESTS=path/to/built/guests prove -v tests/test_guest_macros.sh
#
# Each "T macro args  # expected Intel text" line of guests/tests/macros.S
# lands in a section of its own (.apxt.N, in file order); this script takes
# the bytes of every section, runs them through `apxvm decode` and compares
# the Intel text.  GUEST_CC (default gcc) assembles.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
APXVM=${APXVM:-$root/build/apxvm}
GUESTS=${GUESTS:-}
CC=${GUEST_CC:-gcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
check() { # check DESC CMD...: ok if CMD succeeds
	d=$1; shift
	if "$@"; then ok "$d"; else notok "$d"; fi
}

# section bytes of OBJ as "name hex" lines, in section-header order
sections_hex() {
	objdump -h "$1" | awk '$2 ~ /^\.apxt\./ { print $2 }' >"$tmp/names"
	objdump -s "$1" | awk '
		/^Contents of section / { sec = $4; sub(/:$/, "", sec); next }
		sec ~ /^\.apxt\./ { h = substr($0, 7, 35); gsub(/ /, "", h); hex[sec] = hex[sec] h }
		END { while ((getline nm < "'"$tmp/names"'") > 0) print nm, (nm in hex ? hex[nm] : "-") }'
}

# compare decoded text of the hex strings in file $1 with the texts in $2
compare() {
	cut -d' ' -f2 "$1" | "$APXVM" decode >"$tmp/dec" 2>"$tmp/dec.err" || true
	i=0
	while IFS= read -r want; do
		i=$((i + 1))
		hex=$(sed -n "${i}p" "$1" | cut -d' ' -f2)
		line=$(sed -n "${i}p" "$tmp/dec")
		got=$(printf '%s\n' "$line" | cut -f5)
		len=$(printf '%s\n' "$line" | cut -f2)
		if [ "$got" = "$want" ] && [ $((len * 2)) -eq ${#hex} ]; then
			ok "$hex: $want"
		else
			notok "$hex: want '$want' (all ${#hex} hex digits), got '$got' len $len"
		fi
	done <"$2"
}

echo "1..$(($(grep -c '^T[[:space:]]' "$root/guests/tests/macros.S") + 11))"

# 1. the case file assembles, one section per case
if $CC -c -I"$root/guests/include" "$root/guests/tests/macros.S" -o "$tmp/m.o" 2>"$tmp/as.err"; then
	ok "guests/tests/macros.S assembles"
else
	notok "guests/tests/macros.S assembles"; sed 's/^/# /' "$tmp/as.err" | head -20
fi
sections_hex "$tmp/m.o" >"$tmp/hex" 2>/dev/null || : >"$tmp/hex"
grep '^T[[:space:]]' "$root/guests/tests/macros.S" | sed 's/^[^#]*#[[:space:]]*//' >"$tmp/want"
check "one section per case ($(wc -l <"$tmp/want") cases)" \
	test "$(wc -l <"$tmp/hex")" -eq "$(wc -l <"$tmp/want")"
compare "$tmp/hex" "$tmp/want"

# 2. the macros reject bad operands (so they cannot silently emit garbage)
bad() { # bad DESC ASM-LINE: assembling must fail
	printf '#include "apx.h"\n%s\n' "$2" >"$tmp/bad.S"
	if $CC -c -I"$root/guests/include" "$tmp/bad.S" -o "$tmp/bad.o" 2>/dev/null; then
		notok "rejects $1"
	else
		ok "rejects $1"
	fi
}
bad "unknown register" "apx_add r32, r16, r17"
bad "mixed operand sizes" "apx_add rax, ebx, rcx"
bad "byte push2" "apx_push2 al, bl"
bad "unknown condition" "apx_setzu zz, al"

# 3. the same header from C inline asm, with compiler-substituted operands
cat >"$tmp/c.c" <<'EOF'
#include "apx.h"
long f(long a, long b);
long f(long a, long b)
{
	long r;
	__asm__(".pushsection .apxt.c, \"ax\", @progbits\n\t"
		"apx_sub_nf %0, %1, %2\n\t"
		".popsection" : "=a"(r) : "b"(a), "c"(b));
	return r;
}
EOF
if $CC -O2 -c -I"$root/guests/include" "$tmp/c.c" -o "$tmp/c.o" 2>"$tmp/c.err"; then
	sections_hex "$tmp/c.o" >"$tmp/chex"
	echo "{nf} sub rax, rbx, rcx" >"$tmp/cwant"
	compare "$tmp/chex" "$tmp/cwant"
else
	notok "C inline asm with apx.h compiles"; sed 's/^/# /' "$tmp/c.err" | head -20
fi

# 4. the built guests (GUESTS=dir), and a run of each if `apxvm run` exists
has_run=0
"$APXVM" 2>&1 | grep -q '^ *run ' && has_run=1
for g in hello apx-demo faults; do
	elf=${GUESTS:+$GUESTS/$g.elf}
	cpu=
	[ $g = apx-demo ] && cpu="--cpu apx"
	if [ -z "$GUESTS" ] || [ ! -f "$elf" ]; then
		skip "$g.elf not built (GUESTS=${GUESTS:-unset})"
	elif [ $has_run -eq 0 ]; then
		check "$g.elf has _start64" sh -c "nm '$elf' | grep -q ' T _start64\$'"
	else
		# shellcheck disable=SC2086
		"$APXVM" run $cpu --max-insns 100000000 "$elf" >"$tmp/out" 2>&1
		rc=$?
		sed 's/^/# /' "$tmp/out"
		if [ $rc -eq 64 ] && [ -n "$cpu" ]; then
			skip "apxvm run $g.elf: this apxvm has no --cpu apx (APX=0 build)"
		elif [ $g = hello ]; then
			printf '%s\n' "hello from an apxvm guest (64-bit long mode, CPL0)" \
				"printf: [-42] [42] [beef] [123456789abcdef] [fedcba9876543210] [str] [c] [0x1000] [0000000000000abc] [    7] [7    |] [0001f] [-2147483648%]" >"$tmp/want"
			check "apxvm run hello.elf: status 0 ($rc), exact output" \
				sh -c "[ $rc -eq 0 ] && cmp -s '$tmp/want' '$tmp/out'"
		elif [ $rc -eq 0 ] && ! grep -q FAIL "$tmp/out" &&
		     grep -q "^$g: .* 0 failed\$" "$tmp/out"; then
			ok "apxvm run $g.elf: status 0, no FAIL"
		else
			notok "apxvm run $g.elf: status $rc"
		fi
	fi
done
if [ -n "$GUESTS" ] && [ -f "$GUESTS/apx-demo.elf" ] && [ $has_run -eq 1 ]; then
	"$APXVM" run --cpu noapx "$GUESTS/apx-demo.elf" >"$tmp/out" 2>&1
	rc=$?
	sed 's/^/# /' "$tmp/out"
	check "apx-demo.elf under --cpu noapx skips (status 77, got $rc)" test $rc -eq 77
else
	skip "apx-demo --cpu noapx (needs GUESTS and apxvm run)"
fi
[ $fails -eq 0 ]
