#!/bin/bash
# make bench: the shared x86bench workload on apxvm against its peers, timed
# in the same run, plus the host-instruction cost of APX when unused.
#
#   bench/run-bench.sh APXVM APXVM_APX0 X86BENCH_BUILD_DIR [ITERS] [RUNS]
#
# 1. Wall time (median of RUNS) of `native ITERS`, `apxvm run -s rdi=ITERS
#    guest64.elf` and, when installed, QEMU TCG on the same guest; ratios to
#    native and to QEMU.  Every report is compared with native's.
# 2. callgrind: executed host instructions of the default build and of the
#    APX=0 build on the same guest instructions (the first CG_INSNS of the
#    workload); the difference must stay within 1%.
set -u
APXVM=$1 APXVM0=$2 XB=$3 ITERS=${4:-2} RUNS=${5:-3}
CG_INSNS=${CG_INSNS:-4000000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
status=0

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# time_cmd NAME EXPECTED_RC CMD...: median wall seconds; checks the report
time_cmd() {
	local name=$1 want=$2 i s e rc
	shift 2
	for ((i = 0; i < RUNS; i++)); do
		s=$EPOCHREALTIME
		"$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null
		rc=$?
		e=$EPOCHREALTIME
		if [ $rc != "$want" ]; then
			echo "bench: $name exited with $rc (want $want)" >&2
			sed 's/^/  /' "$T/$name.err" | head >&2
			status=1
		fi
		sed -n '/^x86bench v1/,/^end$/p' "$T/$name.out" >"$T/$name.report"
		if ! cmp -s "$T/$name.report" "$T/native.report" 2>/dev/null && [ "$name" != native ]; then
			echo "bench: $name report differs from native" >&2
			status=1
		fi
		awk -v e="$e" -v s="$s" 'BEGIN { printf "%.6f\n", e - s }'
	done | median
}

echo "## x86bench, iters=$ITERS, median of $RUNS runs (wall time of the whole process)"
echo
t_native=$(time_cmd native 0 "$XB/native" "$ITERS")
t_apxvm=$(time_cmd apxvm 0 "$APXVM" run -s rdi="$ITERS" "$XB/guest64.elf")
printf '| %-34s | %8s | %9s | %9s |\n' environment seconds "vs native" "vs QEMU"
printf '|%s|%s|%s|%s|\n' "------------------------------------" ---------- ----------- -----------
t_qemu=
if command -v qemu-system-x86_64 >/dev/null; then
	t_qemu=$(time_cmd qemu 1 qemu-system-x86_64 -accel tcg -m 64 -display none -no-reboot \
		-serial stdio -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$XB/guest.elf" -append "iters=$ITERS")
fi
row() {
	local vq=-
	[ -n "$t_qemu" ] && vq=$(printf '%.2f' "$(calc "$2 / $t_qemu")")
	printf '| %-34s | %8.3f | %9.2f | %9s |\n' "$1" "$2" "$(calc "$2 / $t_native")" "$vq"
}
row "native" "$t_native"
[ -n "$t_qemu" ] && row "QEMU TCG (qemu-system-x86_64)" "$t_qemu"
row "apxvm run (software vCPU)" "$t_apxvm"
[ -z "$t_qemu" ] && echo "(QEMU TCG not measured: apt-get install qemu-system-x86)"
echo

echo "## callgrind: host instructions for the first $CG_INSNS guest instructions"
echo
cg() {
	valgrind --tool=callgrind --callgrind-out-file="$T/cg.$2" "$1" run --max-insns "$CG_INSNS" \
		-s rdi=1 "$XB/guest64.elf" >/dev/null 2>"$T/cg.$2.err"
	sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$T/cg.$2.err"
}
if command -v valgrind >/dev/null; then
	ir=$(cg "$APXVM" apx)
	ir0=$(cg "$APXVM0" apx0)
	diff=$(calc "($ir - $ir0) * 100 / $ir0")
	printf '| %-36s | %15s | %12s |\n' build "host instructions" "per guest insn"
	printf '|%s|%s|%s|\n' "--------------------------------------" ----------------- --------------
	printf '| %-36s | %15s | %12.1f |\n' "APX=0 (16 GPRs)" "$ir0" "$(calc "$ir0 / $CG_INSNS")"
	printf '| %-36s | %15s | %12.1f |\n' "default (APX, guest XCR0.APX=0)" "$ir" "$(calc "$ir / $CG_INSNS")"
	printf '\nAPX cost when unused: %+.3f%% (limit: 1%%)\n' "$diff"
	if [ "$(calc "($diff > 1 || $diff < -1) ? 1 : 0")" != 0.000000 ]; then
		echo "bench: the APX build executes more than 1% more host instructions" >&2
		status=1
	fi
else
	echo "(valgrind not installed)"
fi
exit $status
