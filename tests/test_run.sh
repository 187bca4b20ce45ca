#!/bin/bash
# `apxvm run`: the benchmark guest against the native build, exit statuses,
# and bad input (hostile ELF files, endless guests, garbage page tables).
# TAP output.  Needs APXVM, TESTGUESTS (tests/guests/*.S built) and X86BENCH.
set -u
: "${APXVM:?}" "${TESTGUESTS:?}" "${X86BENCH:?}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fails=0

ok() {  # ok COND-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}

# run EXPECTED-STATUS STDERR-REGEX DESCRIPTION ARGS...: status and message
run() {
	local want=$1 re=$2 what=$3
	shift 3
	timeout 120 "$APXVM" run "$@" >"$T/out" 2>"$T/err"
	local rc=$?
	if [ "$rc" = "$want" ] && grep -Eq -- "$re" "$T/err"; then
		ok 0 "$what (status $rc)"
	else
		ok 1 "$what: status $rc, want $want; stderr:"
		sed 's/^/#   /' "$T/err" | head -20
	fi
}

# 1. The benchmark workload prints exactly what the native build prints.
"$X86BENCH/native" 1 >"$T/native.out"
timeout 300 "$APXVM" run -s rdi=1 "$X86BENCH/guest64.elf" >"$T/guest.out" 2>"$T/guest.err"
rc=$?
if [ $rc = 0 ] && cmp -s "$T/native.out" "$T/guest.out" && grep -q "total  c9670e374c8fb47d" "$T/guest.out"; then
	ok 0 "x86bench iters=1 under apxvm run matches native, status 0"
else
	ok 1 "x86bench iters=1: status $rc, report differs from native"
	diff "$T/native.out" "$T/guest.out" | sed 's/^/#   /' | head -20
	sed 's/^/#   /' "$T/guest.err" | head -20
fi

# 2. Exit statuses.
run 7 "exit port 0xf4 written with 0x12345607" "32-bit exit port write: status V & 0xff, --trace says so" \
	--trace "$TESTGUESTS/ports.elf"
run 7 "in port 0x80 .* -> 0xff .*no device" "unknown ports: reads all ones, logged with --trace" \
	--trace "$TESTGUESTS/ports.elf"
run 71 "HLT with interrupts disabled at rip 0x" "HLT with IF=0 ends the run" "$TESTGUESTS/hlt.elf"
run 73 "instruction limit \(100000\) reached at rip 0x101000" "endless loop bounded by --max-insns" \
	--max-insns 100000 "$TESTGUESTS/spin.elf"
start=$(date +%s)
run 74 "timeout \(0.5 s\)" "endless loop bounded by --timeout" --timeout 0.5 "$TESTGUESTS/spin.elf"
[ $(( $(date +%s) - start )) -le 10 ]; ok $? "--timeout 0.5 returns within 10 s"
run 72 "triple fault at rip 0x[0-9a-f]+.*" "#UD without an IDT: triple fault" "$TESTGUESTS/triple.elf"
grep -q "r12 0x0000000000001234" "$T/err"; ok $? "triple fault prints a register dump"
run 72 "triple fault" "garbage page tables (reserved bits everywhere): triple fault" "$TESTGUESTS/badpt.elf"
run 70 "outside guest RAM|outside RAM" "page tables outside guest RAM: internal error naming the address" \
	"$TESTGUESTS/cr3out.elf"

run 0 "exit status 0" "self-modifying code: every rewrite is executed (cached decode dropped)" \
	--trace "$TESTGUESTS/smc.elf"

# 3. Bad command lines and files.
run 64 "unknown or incomplete option" "unknown option" --bogus "$TESTGUESTS/spin.elf"
run 64 "unknown --cpu" "unknown CPU model" --cpu pentium "$TESTGUESTS/spin.elf"
run 64 "RAM size" "RAM size out of range" -m 1 "$TESTGUESTS/spin.elf"
run 64 "unknown register" "-s with an unknown register" -s xyz=1 "$TESTGUESTS/spin.elf"
run 66 "cannot open" "missing file" "$T/nonexistent.elf"
head -c 100 "$TESTGUESTS/spin.elf" >"$T/trunc.elf"
run 65 "trunc.elf: .*(offset|past the end)" "truncated ELF" "$T/trunc.elf"
head -c 0 /dev/null >"$T/empty.elf"
run 65 "empty.elf: " "empty file" "$T/empty.elf"
printf 'this is not an ELF file at all, just text that is long enough to be read\n' >"$T/text.elf"
run 65 "text.elf: " "text file" "$T/text.elf"

# Patch a little-endian value of WIDTH bytes at OFFSET of a copy of spin.elf.
patch() {  # patch OUT OFFSET WIDTH VALUE
	cp "$TESTGUESTS/spin.elf" "$1"
	local hex i
	hex=$(printf '%016x' "$4")
	for ((i = 0; i < $3; i++)); do
		printf "\\x${hex:$((14 - 2 * i)):2}"
	done | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
phoff=$(od -An -tu8 -j32 -N8 "$TESTGUESTS/spin.elf" | tr -d ' ')
ph1=$((phoff + 56))   # the second program header: the text segment
patch "$T/huge.elf" $((ph1 + 40)) 8 0x7fffffffffffff00   # p_memsz
run 65 "huge.elf: " "segment with a huge p_memsz" "$T/huge.elf"
patch "$T/far.elf" $((ph1 + 24)) 8 0x40000000             # p_paddr beyond 64 MiB
run 65 "far.elf: .*0x40000000" "segment outside RAM (address named)" "$T/far.elf"
patch "$T/wrap.elf" $((ph1 + 24)) 8 0xfffffffffffff000     # p_paddr + size wraps
run 65 "wrap.elf: " "segment address that wraps around" "$T/wrap.elf"
patch "$T/off.elf" $((ph1 + 8)) 8 0x7fffffff               # p_offset past the end of the file
run 65 "off.elf: .*offset" "segment data past the end of the file (offset named)" "$T/off.elf"
patch "$T/ovl.elf" $((ph1 + 24)) 8 0x100000                # overlaps the first segment
patch "$T/ovl2.elf" $((ph1 + 16)) 8 0x100000
cp "$T/ovl.elf" "$T/ovl3.elf"
dd if="$T/ovl2.elf" of="$T/ovl3.elf" bs=1 skip=$((ph1 + 16)) seek=$((ph1 + 16)) count=8 conv=notrunc status=none
run 65 "ovl3.elf: .*overlap" "overlapping segments" "$T/ovl3.elf"
patch "$T/phnum.elf" 56 2 0xffff                          # e_phnum
run 65 "phnum.elf: .*e_phnum" "absurd e_phnum" "$T/phnum.elf"
patch "$T/class.elf" 4 1 1                                # ELFCLASS32
run 65 "class.elf: " "ELF32 class" "$T/class.elf"
patch "$T/mach.elf" 18 2 0x28                             # EM_ARM
run 65 "mach.elf: .*machine" "wrong e_machine" "$T/mach.elf"
patch "$T/boot1.elf" $((ph1 + 24)) 8 0x3fe000
patch "$T/boot2.elf" $((ph1 + 16)) 8 0x3fe000
dd if="$T/boot2.elf" of="$T/boot1.elf" bs=1 skip=$((ph1 + 16)) seek=$((ph1 + 16)) count=8 conv=notrunc status=none
run 65 "boot1.elf: .*0x3fe000.*boot page tables" "segment inside the VMM's boot tables (top of RAM)" \
	-m 4 "$T/boot1.elf"

# Random corruption: never a crash (status 65 or a guest outcome, never a signal).
for i in $(seq 1 40); do
	cp "$TESTGUESTS/spin.elf" "$T/fuzz.elf"
	size=$(stat -c %s "$T/fuzz.elf")
	for k in 1 2 3 4; do
		off=$(( (RANDOM * 32768 + RANDOM) % (i < 20 ? 128 + 56 * 3 : size) ))
		printf "\\x$(printf %02x $((RANDOM % 256)))" | dd of="$T/fuzz.elf" bs=1 seek=$off conv=notrunc status=none
	done
	timeout 60 "$APXVM" run --max-insns 10000 "$T/fuzz.elf" >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc -ge 124 ]; then
		ok 1 "corrupted ELF #$i: status $rc (crash or hang)"
		cp "$T/fuzz.elf" "/tmp/apxvm-crash-$i.elf"
		break
	fi
done
[ $rc -lt 124 ] && ok 0 "40 randomly corrupted ELF files: no crash, no hang"

echo "1..$n"
exit $((fails > 0))
