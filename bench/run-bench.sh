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
# 3. KVM, when /dev/kvm works (KVM_BARE = bench/kvm_bare, UART_GUEST =
#    tests/guests/uartN.S built): the UART round trip of `apxvm run --accel
#    kvm` against kvm_bare's bare KVM_RUN loop on the same guest (UART_N
#    bytes, median of UART_RUNS interleaved runs, net of the N=0 runs), and
#    x86bench at KVM_ITERS on KVM against native (KVM_RUNS runs: ring-0 code
#    is emulated on PVM hosts, where one iteration takes about a minute).
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
	for ((i = 0; i < ${NRUNS:-$RUNS}; i++)); do
		s=$EPOCHREALTIME
		"$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null
		rc=$?
		e=$EPOCHREALTIME
		if [ $rc != "$want" ]; then
			echo "bench: $name exited with $rc (want $want)" >&2
			sed 's/^/  /' "$T/$name.err" | head >&2
			touch "$T/failed"
		fi
		sed -n '/^x86bench v1/,/^end$/p' "$T/$name.out" >"$T/$name.report"
		if ! cmp -s "$T/$name.report" "$T/${REF:-native}.report" 2>/dev/null &&
		   [ "$name" != "${REF:-native}" ]; then
			echo "bench: $name report differs from ${REF:-native}" >&2
			touch "$T/failed"
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
echo

# uart_cmd K N GUEST: K = 0 kvm_bare, 1 apxvm, 2 kvm_bare --write; K + 3: the same with 0 bytes.
uart_cmd() {
	local k=$1 n=$2 g=$3
	((k >= 3)) && n=0
	case $((k % 3)) in
	0) "$KVM_BARE" "$g" "$n" ;;
	1) "$APXVM" run --accel kvm --cpu noapx -s rdi="$n" "$g" ;;
	2) "$KVM_BARE" --write "$g" "$n" ;;
	esac
}

kvm_section() {
	local n=${UART_N:-200000} runs=${UART_RUNS:-5} g=$UART_GUEST why i k tm bytes
	local TIMEFORMAT='%R %U %S'
	local -a wall cpu
	echo "## KVM (--accel kvm --cpu noapx)"
	echo
	if ! why=$("$KVM_BARE" "$g" 0 2>&1 >/dev/null); then
		echo "(KVM not measured: ${why:-kvm_bare failed})"
		return
	fi
	# Interleaved, so that drift of the host's load hits all six alike; the
	# bytes go to /dev/null.  Wall and CPU (user + sys) time of each process.
	for ((i = 0; i < runs; i++)); do
		for k in 0 1 2 3 4 5; do
			if ! { time uart_cmd $k "$n" "$g" >"$T/u$k.out" 2>"$T/u$k.err" </dev/null; } \
				2>"$T/tm"; then
				echo "bench: UART run u$k failed" >&2
				sed 's/^/  /' "$T/u$k.err" | head >&2
				status=1
			fi
			read -r tm < "$T/tm"
			echo "$tm" | awk '{ print $1 }' >>"$T/u$k.wall"
			echo "$tm" | awk '{ printf "%.3f\n", $2 + $3 }' >>"$T/u$k.cpu"
		done
		if ! grep -q "^kvm_bare: $n bytes, status 0$" "$T/u0.out"; then
			echo "bench: kvm_bare did not count $n bytes" >&2
			status=1
		fi
	done
	bytes=$("$APXVM" run --accel kvm --cpu noapx -s rdi="$n" "$g" </dev/null 2>/dev/null | wc -c)
	if [ "$bytes" != "$n" ]; then
		echo "bench: apxvm --accel kvm wrote $bytes bytes, not $n" >&2
		status=1
	fi
	# Per-byte round trip net of start-up: (t(N) - t(0)) / N, in us.
	for k in 0 1 2; do
		wall[k]=$(calc "($(median <"$T/u$k.wall") - $(median <"$T/u$((k + 3)).wall")) * 1e6 / $n")
		cpu[k]=$(calc "($(median <"$T/u$k.cpu") - $(median <"$T/u$((k + 3)).cpu")) * 1e6 / $n")
	done
	echo "UART round trip: the guest writes $n bytes to port 0x3F8 (one OUT exit each);"
	echo "us per byte = (t(N) - t(0)) / N, medians of $runs interleaved runs"
	echo
	printf '| %-44s | %10s | %8s | %10s | %8s |\n' loop "wall us/B" "vs bare" "CPU us/B" "vs bare"
	printf '|%s|%s|%s|%s|%s|\n' "----------------------------------------------" \
		------------ ---------- ------------ ----------
	uart_row() {
		printf '| %-44s | %10.3f | %8.3f | %10.3f | %8.3f |\n' "$1" "${wall[$2]}" \
			"$(calc "${wall[$2]} / ${wall[0]}")" "${cpu[$2]}" "$(calc "${cpu[$2]} / ${cpu[0]}")"
	}
	uart_row "kvm_bare: bare KVM_RUN loop, counts bytes" 0
	uart_row "kvm_bare --write: + write(2) of each byte" 2
	uart_row "apxvm run --accel kvm (COM1 -> /dev/null)" 1
	printf '\nVMM exit handling (apxvm vs bare loop, wall): %+.1f%% (target: at most +5%%)%s\n' \
		"$(calc "(${wall[1]} / ${wall[0]} - 1) * 100")" \
		"$( [ "$(calc "${wall[1]} / ${wall[0]} <= 1.05")" = 1.000000 ] || echo ': ABOVE the target')"
	printf 'apxvm vs the bare loop that also write(2)s each byte: %+.1f%% wall, %+.1f%% CPU\n' \
		"$(calc "(${wall[1]} / ${wall[2]} - 1) * 100")" "$(calc "(${cpu[1]} / ${cpu[2]} - 1) * 100")"
	echo

	local ki=${KVM_ITERS:-1} kr=${KVM_RUNS:-1} tn tk
	tn=$(REF=native1 time_cmd native1 0 "$XB/native" "$ki")
	tk=$(NRUNS=$kr REF=native1 time_cmd kvm 0 "$APXVM" run --accel kvm --cpu noapx \
		-s rdi="$ki" "$XB/guest64.elf")
	echo "x86bench on KVM, iters=$ki: $kr run(s) on KVM (about a minute each on PVM), median of $RUNS native"
	echo
	printf '| %-34s | %8s | %9s |\n' environment seconds "vs native"
	printf '|%s|%s|%s|\n' "------------------------------------" ---------- -----------
	printf '| %-34s | %8.3f | %9.2f |\n' native "$tn" 1
	printf '| %-34s | %8.3f | %9.1f |\n' "apxvm run --accel kvm" "$tk" "$(calc "$tk / $tn")"
	if ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
		echo
		echo "(No vmx/svm flag here: /dev/kvm is paravirtualized (PVM), guest ring-0 code is"
		echo "emulated by KVM, hence the ratio; on VT-x/AMD-V it is expected near 1.)"
	fi
}
if [ -n "${KVM_BARE:-}" ] && [ -n "${UART_GUEST:-}" ]; then
	kvm_section
else
	echo "(KVM not measured: run through make bench, which sets KVM_BARE and UART_GUEST)"
fi
# time_cmd runs in a subshell: its failures leave a file behind.
[ -e "$T/failed" ] && status=1
exit $status
