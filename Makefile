# apxvm: one Makefile, out-of-tree objects in build/.
#   make            build/apxvm and build/libapxvm.a
#   make check      unit and vector tests under ASan+UBSan, then the fuzzers
#   make APX=0      the 16-GPR vCPU (no R16..R31, REX2/APX-EVEX are #UD)
#   make bench      decoder throughput (and later the workload benchmarks)
#   make fuzz       libFuzzer targets (needs clang)
CC      ?= cc
APX     ?= 1
B       ?= build
FUZZ_SECONDS ?= 30

WARNINGS := -Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes \
            -Wshadow -Wpointer-arith -Wvla
CFLAGS  ?= -O2 -g
ALL_CFLAGS := -std=c11 -D_DEFAULT_SOURCE $(WARNINGS) $(CFLAGS) -Iinclude -Isrc
ifeq ($(APX),1)
ALL_CFLAGS += -DCONFIG_APX=1
endif

LIB_SRCS := $(wildcard src/vcpu/*.c src/x86/*.c src/accel/*.c) \
            $(filter-out src/vmm/main.c,$(wildcard src/vmm/*.c))
LIB_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRCS))
HDRS     := $(wildcard include/apxvm/*.h src/*/*.h)

SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_OBJS := $(patsubst %.c,$(B)/san/%.o,$(LIB_SRCS))
TESTS    := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
TEST_BINS := $(addprefix $(B)/tests/,$(TESTS))

TEST_SCRIPTS := $(wildcard tests/test_*.sh)

# Guests (guests/guests.mk), the tiny test guests of tests/guests/, and the
# shared benchmark workload (../shared/bench, built into $(B)/x86bench).
GUEST_CC ?= gcc
TEST_GUESTS := $(patsubst tests/guests/%.S,$(B)/testguests/%.elf,$(wildcard tests/guests/*.S))
BENCH_DIR := ../shared/bench
XB := $(abspath $(B))/x86bench

.PHONY: all check check-unit run bench fuzz fuzz-run clean guests
all: $(B)/apxvm $(B)/libapxvm.a
-include guests/guests.mk
guests: $(GUEST_ELFS) $(TEST_GUESTS)

$(B)/testguests/%.elf: tests/guests/%.S Makefile
	@mkdir -p $(dir $@)
	$(GUEST_CC) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-Ttext-segment=0x100000 \
	    -Wl,-z,max-page-size=0x1000 -Wl,--no-warn-rwx-segments -Wl,-e,_start64 -o $@ $<

# The generator of the cross-executor test (a host tool, no sanitizers needed).
$(B)/tests/gen_straight: tests/cross/gen_straight.c Makefile
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_DEFAULT_SOURCE $(WARNINGS) -O2 -o $@ $<

$(XB)/guest64.elf $(XB)/native:
	$(MAKE) --no-print-directory -C $(BENCH_DIR) B=$(XB) $(XB)/guest64.elf $(XB)/native

$(B)/obj/%.o: %.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/san/%.o: %.c $(HDRS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O1 $(SAN) -c $< -o $@

$(B)/libapxvm.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/apxvm: $(B)/obj/src/vmm/main.o $(B)/libapxvm.a
	$(CC) $(ALL_CFLAGS) -o $@ $^

$(B)/libapxvm-san.a: $(SAN_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/tests/%: tests/%.c $(B)/libapxvm-san.a $(HDRS) tests/tap.h $(wildcard tests/diff/*.h tests/*.h examples/*.c)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -O1 $(SAN) -o $@ $< $(B)/libapxvm-san.a

# Every test binary prints TAP; prove reads it.  Order: fuzzers, then the
# 16-GPR (APX=0) build's tests, then this build's tests, so that prove's
# "Result: PASS" summary is the last thing printed.
check: all $(TEST_BINS)
	@$(MAKE) --no-print-directory fuzz-run
	@KVM_CROSS_NO_BENCH=1 CROSS_GUESTS=200 $(MAKE) --no-print-directory B=$(B)/apx0 APX=0 check-unit
	@$(MAKE) --no-print-directory check-unit

check-unit: $(B)/apxvm $(TEST_BINS) guests $(XB)/guest64.elf $(XB)/native $(B)/tests/gen_straight
	APXVM=$(abspath $(B))/apxvm VECTORS=$(CURDIR)/../shared/vectors \
	GUESTS=$(abspath $(B))/guests TESTGUESTS=$(abspath $(B))/testguests X86BENCH=$(XB) \
	GEN_STRAIGHT=$(abspath $(B))/tests/gen_straight GUEST_CC=$(GUEST_CC) \
	    prove -v --exec '' $(TEST_BINS) $(TEST_SCRIPTS)

FUZZ_CC ?= clang
FUZZERS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/*.c))
fuzz: $(addprefix $(B)/fuzz/,$(FUZZERS))
$(B)/fuzz/%: tests/fuzz/%.c $(LIB_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(ALL_CFLAGS) -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -o $@ $< $(LIB_SRCS)
fuzz-run: fuzz
	@for f in $(FUZZERS); do \
	    echo "fuzz: $$f for $(FUZZ_SECONDS) s"; \
	    mkdir -p $(B)/fuzz/corpus-$$f; \
	    $(B)/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -max_len=512 -print_final_stats=1 \
	        $(B)/fuzz/corpus-$$f 2>$(B)/fuzz/$$f.log || { tail -50 $(B)/fuzz/$$f.log; exit 1; }; \
	    grep -E 'stat::number_of_executed_units' $(B)/fuzz/$$f.log; \
	done

BENCH_ITERS ?= 2
BENCH_RUNS ?= 3
bench: all $(XB)/guest64.elf $(XB)/native $(B)/kvm_bare $(B)/testguests/uartN.elf
	$(B)/apxvm bench-decode ../shared/vectors/*.tsv
	@$(MAKE) --no-print-directory B=$(B)/apx0 APX=0 $(B)/apx0/apxvm
	@$(MAKE) --no-print-directory -C $(BENCH_DIR) B=$(XB) $(XB)/guest.elf
	KVM_BARE=$(B)/kvm_bare UART_GUEST=$(B)/testguests/uartN.elf \
	    bench/run-bench.sh $(B)/apxvm $(B)/apx0/apxvm $(XB) $(BENCH_ITERS) $(BENCH_RUNS)

# The bare KVM_RUN loop the KVM backend's exit handling is measured against.
$(B)/kvm_bare: bench/kvm_bare.c $(B)/libapxvm.a $(HDRS) Makefile
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libapxvm.a

clean:
	rm -rf $(B)

# The main job: boot the APX demo guest on the software vCPU.
run: all $(B)/guests/apx-demo.elf
	$(B)/apxvm run $(B)/guests/apx-demo.elf
