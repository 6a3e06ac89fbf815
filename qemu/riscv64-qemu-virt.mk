# QEMU's RISC-V "virt" machine under OpenSBI fw_dynamic (Debian's opensbi).
# fw_dynamic jumps to the kernel 2 MiB into RAM; QEMU loads the ELF there
# and passes the device tree in a1.
KERNEL_BASE := 0x80200000
QEMU := qemu-system-riscv64
OPENSBI := /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
QEMU_MACHINE := -machine virt -bios $(OPENSBI)
QEMU_MEM := 256M
QEMU_NOGRAPHIC := -nographic -monitor none -serial stdio
# Extra suite boots ("name: QEMU options", separated by ";"), each on
# -smp 4; "mem=SIZE" sets the RAM.  sbi-timer: a cpu without Sstc, so
# timers go through SBI TIME.  64M, 4G: the heap at both ends of its range.
QEMU_VARIANTS := sbi-timer: -cpu rv64,sstc=off; mem-64M: mem=64M; mem-4G: mem=4G; maxprocs-2: append=maxprocs=2
