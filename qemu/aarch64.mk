# aarch64: ARMv8-A at EL1, Debian's Linux-targeted cross compiler used
# freestanding (no Linux, no glibc: newlib is the C library).
#   -ffixed-x18          x18 is the per-cpu pointer (hal/aarch64/hal_arch.h);
#                        newlib is built with the same flag
#   -mno-outline-atomics atomics inline (ldxr/stxr), not libgcc calls that
#                        pick LSE by reading Linux's auxv
#   -fno-pie             the image runs where it is linked
#   -mbranch-protection=none  no PAC/BTI hints (nothing turns them on)
#   -U__linux__ ...      the compiler targets Linux; we do not
# FP/SIMD is on from the first instruction (entry.S), so the compiler may
# use it anywhere (no -mgeneral-regs-only); no C runs before the MMU is
# on, so unaligned accesses are fine (no -mstrict-align).
CROSS := aarch64-linux-gnu-
ARCH_CFLAGS := -march=armv8-a -mtune=cortex-a72 -ffixed-x18 -mno-outline-atomics -fno-pie -mbranch-protection=none -U__linux__ -U__linux -U__gnu_linux__ -Ulinux -U__unix__ -U__unix -Uunix
# The Linux toolchain asks for a build-id note, which linker.ld discards.
ARCH_LDFLAGS := -Wl,--build-id=none
NEWLIB_TARGET := aarch64-none-elf
GDB_ARCH := aarch64
