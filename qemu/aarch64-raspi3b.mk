# QEMU's Raspberry Pi 3 Model B (-machine raspi3b): four Cortex-A53 cores,
# 1 GiB of RAM of which the VideoCore keeps the top 64 MiB, no GIC.
#
# Booted like a real Pi 3 boots kernel8.img: QEMU loads the raw image
# (test.bin / kernel.bin, with the arm64 header) at text_offset = 0x80000,
# enters it on core 0 at EL2 with x0 = the device tree, and parks cores
# 1-3 in a spin table at 0xd8-0xf0.  QEMU passes a device tree only when
# given one: ours is aarch64-raspi3b.dts, compiled to $(B)/aarch64-raspi3b.dtb
# (and a variant with the console on the mini UART).
# -semihosting: the exit status reaches the host, as on virt.
KERNEL_BASE := 0x80000
TEXT_OFFSET := 0x80000
QEMU := qemu-system-aarch64
BOARD_DTBS := aarch64-raspi3b aarch64-raspi3b-miniuart
QEMU_MACHINE := -machine raspi3b -semihosting -dtb $(B)/aarch64-raspi3b.dtb
# What QEMU is given (-kernel): the raw image, as the Pi firmware loads it.
QEMU_IMAGE := bin
# The machine has exactly 1 GiB and 4 cores; the runner uses no other
# sizes.  The cpus own 960 MiB of it: what the suite checks for.
QEMU_MEM := 1G
QEMU_SMP := 4
TEST_MEM := 960M
BENCH_MEM := 1G
QEMU_NOGRAPHIC := -nographic -monitor none -serial stdio
# Extra suite boots ("name: QEMU options", separated by ";"), on -smp 4.
# maxprocs-1, maxprocs-2: the scheduler on fewer Ps than cpus, in place
# of the -smp 1 and 2 boots this machine cannot have.  miniuart: the
# console on the mini UART (QEMU's second serial port; the first, the
# PL011, goes nowhere).
QEMU_VARIANTS := maxprocs-1: append=maxprocs=1; maxprocs-2: append=maxprocs=2; miniuart: -dtb $(B)/aarch64-raspi3b-miniuart.dtb -serial null
