# gohart - the Go runtime in C on bare-metal RISC-V and ARM64.
#
#   make qemu            build and boot the demo on $(CPUS) harts under QEMU
#   make qemu-gdb        the same, stopped for gdb-multiarch (reads .gdbinit)
#   make test            host tests + the in-kernel suite on -smp 1/2/4/8
#   make bench           benchmarks under -icount (exact instruction counts)
#   make clean
#
# Knobs: ARCH=riscv64|aarch64 BOARD=qemu-virt|raspi3b (aarch64) CPUS=4
#        APPEND="bootargs" V=1 DEBUG=0 (no debug checks: build/*-release)
# Missing tools are installed on first use (scripts/install-deps.sh).

ARCH   ?= riscv64
BOARD  ?= qemu-virt
CPUS   ?= 4
APPEND ?=
DEBUG  ?= 1
B      := build/$(ARCH)-$(BOARD)$(if $(filter 0,$(DEBUG)),-release)

include qemu/$(ARCH).mk
include qemu/$(ARCH)-$(BOARD).mk

NEWLIB := build/newlib-$(ARCH)/$(NEWLIB_TARGET)
CC     := $(CROSS)gcc
OBJDUMP:= $(CROSS)objdump
OBJCOPY:= $(CROSS)objcopy
NM     := $(CROSS)nm

ifeq ($(V),1)
Q :=
else
Q := @
endif

CFLAGS := -Wall -Wextra -Werror -O2 -g -fno-omit-frame-pointer -std=gnu11 \
	$(ARCH_CFLAGS) -D__DYNAMIC_REENT__ -DCONFIG_DEBUG=$(DEBUG) \
	-I. -Iinclude -Ihal -Ihal/$(ARCH) -Ihal/dev \
	-isystem $(shell $(CC) -print-file-name=include) -isystem $(NEWLIB)/include -MMD -MP
ASFLAGS := $(ARCH_CFLAGS) -g -I. -Iinclude -Ihal -Ihal/$(ARCH) -D__ASSEMBLER__ \
	$(if $(TEXT_OFFSET),-DTEXT_OFFSET=$(TEXT_OFFSET))
LDFLAGS := -nostdlib -nostartfiles -static -T linker.ld \
	-Wl,--defsym=KERNEL_BASE=$(KERNEL_BASE) -Wl,--no-warn-rwx-segments \
	$(ARCH_CFLAGS) $(ARCH_LDFLAGS)
LIBS := -L$(NEWLIB)/lib -Wl,--start-group -lc -lm -lgcc -Wl,--end-group

# The runtime: everything but a main().
RT_SRCS := boot/main.c $(wildcard boot/$(ARCH)/*.S) \
	$(wildcard hal/*.c hal/dev/*.c hal/$(ARCH)/*.c hal/$(ARCH)/*.S) \
	$(wildcard runtime/*.c mm/*.c sync/*.c gc/*.c)
TEST_SRCS := $(wildcard tests/*.c)
DEMO_SRCS := $(wildcard examples/*.c)

obj = $(patsubst %,$(B)/obj/%.o,$(basename $(1)))
RT_OBJS := $(call obj,$(RT_SRCS))
TEST_OBJS := $(call obj,$(TEST_SRCS))
DEMO_OBJS := $(call obj,$(DEMO_SRCS))

.PHONY: all qemu qemu-gdb test test-host test-kernel bench bench-run clean deps check-arch .gdbinit
all: $(B)/kernel.elf $(B)/test.elf

# ---- Tools and newlib, installed/built on first use ----
$(B)/.deps:
	$(Q)scripts/install-deps.sh
	$(Q)mkdir -p $(B) && touch $@
deps: $(B)/.deps

$(NEWLIB)/lib/libc.a: | $(B)/.deps
	$(Q)scripts/build-newlib.sh $(NEWLIB_TARGET) "$(ARCH_CFLAGS)" build/newlib-$(ARCH) $(CROSS)

# ---- Compiling ----
$(B)/obj/%.o: %.c $(NEWLIB)/lib/libc.a
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(B)/obj/%.o: %.S | $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(ASFLAGS) -MMD -MP -c $< -o $@

$(B)/obj/symtab_empty.S: tools/mksymtab.py
	@mkdir -p $(dir $@)
	$(Q)python3 tools/mksymtab.py --empty > $@
$(B)/obj/symtab_empty.o: $(B)/obj/symtab_empty.S
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

# ---- Linking: twice, the second time with the symbol table ----
# link(name, objs): name.elf + .bin (booti image) + .asm + .sym
define link
$(B)/$(1).tmp.elf: $(2) $(B)/obj/symtab_empty.o linker.ld
	@echo "  LD      $$@"
	$(Q)$(CC) $(LDFLAGS) -o $$@ $(2) $(B)/obj/symtab_empty.o $(LIBS)
$(B)/$(1).symtab.S: $(B)/$(1).tmp.elf tools/mksymtab.py
	$(Q)$(NM) -n --defined-only $$< | python3 tools/mksymtab.py > $$@
$(B)/$(1).symtab.o: $(B)/$(1).symtab.S
	$(Q)$(CC) $(ASFLAGS) -c $$< -o $$@
$(B)/$(1).elf: $(B)/$(1).tmp.elf $(B)/$(1).symtab.o
	@echo "  LD      $$@"
	$(Q)$(CC) $(LDFLAGS) -o $$@ $(2) $(B)/$(1).symtab.o $(LIBS)
	$(Q)$(NM) -n $$@ > $(B)/$(1).sym
	$(Q)$(NM) -n $(B)/$(1).tmp.elf | grep -i ' [tw] ' > $(B)/$(1).text1
	$(Q)grep -i ' [tw] ' $(B)/$(1).sym | cmp -s - $(B)/$(1).text1 || \
		(echo "link: text moved between the two links" >&2; exit 1)
	$(Q)$(OBJCOPY) -O binary $$@ $(B)/$(1).bin
	$(Q)python3 tools/check_header.py $(ARCH) $(B)/$(1).bin
	$(Q)$(OBJDUMP) -S -d $$@ > $(B)/$(1).asm
endef
$(eval $(call link,kernel,$(RT_OBJS) $(DEMO_OBJS)))
$(eval $(call link,test,$(RT_OBJS) $(TEST_OBJS)))

$(RT_OBJS) $(TEST_OBJS) $(DEMO_OBJS): | check-arch

# The oracle tests build Go's expected output into the image (.incbin).
$(B)/obj/tests/oracle_test.o: $(wildcard tests/oracle/*.out)

# Generic code must not touch the hardware directly (STYLE.md rule 6).
check-arch:
	$(Q)scripts/check-arch.sh

# ---- Device trees ----
# A board whose QEMU model passes no device tree (raspi3b) has its own in
# qemu/: BOARD_DTBS in its .mk names them (qemu/NAME.dts), compiled here
# into $(B)/NAME.dtb, which its QEMU_MACHINE passes with -dtb.
BOARD_DTB := $(BOARD_DTBS:%=$(B)/%.dtb)
$(B)/%.dtb: qemu/%.dts | $(B)/.deps
	@echo "  DTC     $<"
	$(Q)dtc -I dts -O dtb -d $@.d -o $@ $<

# ---- Running ----
# QEMU loads the ELF, or with QEMU_IMAGE=bin the raw image (what the
# board's own firmware would load); the link makes both.
IMAGE := $(if $(filter bin,$(QEMU_IMAGE)),bin,elf)
QEMU_RUN = $(QEMU) $(QEMU_MACHINE) -m $(QEMU_MEM) -smp $(CPUS) $(QEMU_NOGRAPHIC)

qemu: $(B)/kernel.elf $(BOARD_DTB)
	$(QEMU_RUN) -kernel $(B)/kernel.$(IMAGE) -append "$(APPEND)"

GDBPORT := $(shell expr `id -u` % 5000 + 25000)
.gdbinit: tools/gdbinit.tmpl
	$(Q)sed -e "s|@PORT@|$(GDBPORT)|; s|@KERNEL@|$(B)/kernel.elf|" \
		$(if $(GDB_ARCH),-e "s|^set architecture .*|set architecture $(GDB_ARCH)|") $< > $@

qemu-gdb: $(B)/kernel.elf $(BOARD_DTB) .gdbinit
	@echo "*** Now run 'gdb-multiarch -x .gdbinit' in another window." 1>&2
	$(QEMU_RUN) -kernel $(B)/kernel.$(IMAGE) -append "$(APPEND)" -S -gdb tcp::$(GDBPORT)

# ---- Testing ----
# `make test` runs the host tests and the in-kernel suite on every QEMU
# board; with ARCH= or BOARD= given, the suite on that one only.
# The build without debug checks (DEBUG=0, what `make bench` measures)
# runs the suite too, on -smp 1 and 4: its locks skip the bookkeeping
# that debug builds keep, which is a path of its own.
TEST_BOARDS := riscv64:qemu-virt aarch64:qemu-virt aarch64:raspi3b
RELEASE_BOARDS := riscv64:qemu-virt aarch64:qemu-virt
ifneq ($(filter command environment,$(firstword $(origin ARCH)) $(firstword $(origin BOARD))),)
TEST_BOARDS := $(ARCH):$(BOARD)
RELEASE_BOARDS :=
endif
test: test-host
	$(Q)set -e; for t in $(TEST_BOARDS); do \
		echo "== $$t"; \
		$(MAKE) --no-print-directory ARCH=$${t%%:*} BOARD=$${t#*:} test-kernel \
			TEST_FLAGS="--host-results build/host/results.txt"; \
	done; \
	for t in $(RELEASE_BOARDS); do \
		echo "== $$t DEBUG=0"; \
		$(MAKE) --no-print-directory ARCH=$${t%%:*} BOARD=$${t#*:} DEBUG=0 test-kernel \
			TEST_FLAGS="--smp 1,4 --no-variants"; \
	done

test-kernel: $(B)/test.elf $(BOARD_DTB)
	$(Q)python3 tests/run.py --build $(B) --arch $(ARCH) --board $(BOARD) $(TEST_FLAGS)

test-host: | $(B)/.deps
	$(Q)$(MAKE) --no-print-directory -C tests/host
	$(Q)scripts/oracle-check.sh

# Benchmarks measure the build without debug checks (no lock ranking,
# no owner checks), as Go's own figures are for a runtime without its
# lock ranking; BENCH_DEBUG=1 measures the debug build instead.
BENCH_DEBUG ?= 0
bench:
	$(Q)$(MAKE) --no-print-directory DEBUG=$(BENCH_DEBUG) bench-run
bench-run: $(B)/test.elf $(BOARD_DTB)
	$(Q)python3 tests/run.py --build $(B) --arch $(ARCH) --board $(BOARD) --bench

clean:
	rm -rf build .gdbinit

-include $(shell find build -name '*.d' 2>/dev/null)
