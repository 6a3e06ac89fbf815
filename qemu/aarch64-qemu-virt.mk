# QEMU's ARM "virt" machine, Cortex-A72 cpus, no firmware: QEMU loads the
# ELF at its link address and enters it at EL1 (EL2 with
# virtualization=on), with the device tree at the start of RAM
# (0x40000000).  The image sits 2 MiB into RAM, where the arm64 boot
# protocol puts it (text_offset), so booti can load kernel.bin there too.
# -semihosting: the exit status reaches the host (SYS_EXIT_EXTENDED).
KERNEL_BASE := 0x40200000
QEMU := qemu-system-aarch64
QEMU_MACHINE := -machine virt -cpu cortex-a72 -semihosting
QEMU_MEM := 256M
QEMU_NOGRAPHIC := -nographic -monitor none -serial stdio
# Extra suite boots ("name: QEMU options", separated by ";"), each on
# -smp 4; "mem=SIZE" sets the RAM.  gicv3: the GICv3 interrupt
# controller (system-register cpu interface, redistributors).  el2: enter
# at EL2 (virtualization extensions) and drop to EL1; PSCI goes through
# smc there.  64M, 4G: the heap at both ends of its range.
QEMU_VARIANTS := gicv3: -machine virt,gic-version=3; el2: -machine virt,virtualization=on; mem-64M: mem=64M; mem-4G: mem=4G; maxprocs-2: append=maxprocs=2
