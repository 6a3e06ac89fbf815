# riscv64: rv64gc, lp64d, S-mode, medany code model.
CROSS := riscv64-unknown-elf-
ARCH_CFLAGS := -march=rv64gc -mabi=lp64d -mcmodel=medany -mno-relax
NEWLIB_TARGET := riscv64-unknown-elf
