# SPDX-License-Identifier: MIT
# Guests (included by the top Makefile; B comes from there).  Built with the
# system gcc whatever CC is, freestanding, linked at 1 MiB by guests/guest.ld.
#   $(B)/guests/hello.elf  $(B)/guests/apx-demo.elf  $(B)/guests/faults.elf
GUEST_CC ?= gcc
GUEST_CFLAGS := -O2 -g -ffreestanding -fno-builtin -mno-red-zone -mgeneral-regs-only \
	-fno-pic -fno-stack-protector -fcf-protection=none -fno-asynchronous-unwind-tables \
	-nostdlib -static -no-pie -std=gnu11 -Wall -Wextra -Werror \
	-Iguests/include -Iguests/rt
GUEST_LDFLAGS := -nostdlib -static -no-pie -T guests/guest.ld -Wl,--build-id=none \
	-Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

GUEST_RT   := crt0.S serial.c printf.c string.c check.c trap.c trap_stubs.S
GUEST_RT_O := $(patsubst %,$(B)/guests/obj/rt/%.o,$(GUEST_RT))
GUEST_HDRS := $(wildcard guests/include/*.h guests/rt/*.h) guests/guests.mk
GUEST_ELFS := $(B)/guests/hello.elf $(B)/guests/apx-demo.elf $(B)/guests/faults.elf

$(B)/guests/obj/%.c.o: guests/%.c $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@
$(B)/guests/obj/%.S.o: guests/%.S $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(B)/guests/hello.elf: $(B)/guests/obj/hello.c.o $(GUEST_RT_O) guests/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)
$(B)/guests/apx-demo.elf: $(B)/guests/obj/apx-demo.c.o $(B)/guests/obj/apx-demo.S.o \
		$(GUEST_RT_O) guests/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)
$(B)/guests/faults.elf: $(B)/guests/obj/faults.c.o $(B)/guests/obj/faults.S.o \
		$(GUEST_RT_O) guests/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)
