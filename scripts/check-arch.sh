#!/bin/sh
# check-arch.sh - generic code (runtime/ mm/ gc/ sync/ tests/ examples/
# boot/main.c) must reach the hardware only through hal/hal.h: no CSR or
# system-register names, no privileged instructions, no arch headers.
#   RISC-V: CSR names and accessors, ecall/sret/wfi.
#   AArch64: mrs/msr, any *_EL0..*_EL3 system register, daif, and the
#   privileged or system instructions (hvc, smc, eret, wfe, tlbi, ...).
cd "$(dirname "$0")/.." || exit 1
riscv='csr[rwsc]i?|csrr[wsc]i?|sstatus|sepc|scause|stval|stvec|stimecmp|satp|mhartid|ecall|sret|wfi'
aarch64='mrs|msr|daif|daifset|daifclr|hvc|smc|eret|wfe|sev|tlbi|[A-Za-z0-9]+_[Ee][Ll][0-3]'
pattern="\\b($riscv|$aarch64)\\b|#include *\"(csr|cpu|sysreg)\\.h\""
hits=$(grep -rnE "$pattern" runtime mm gc sync tests examples boot/main.c include 2>/dev/null \
	| grep -v '^tests/host/' )
if [ -n "$hits" ]; then
	echo "check-arch: arch-specific names in generic code (use hal/hal.h):" >&2
	echo "$hits" >&2
	exit 1
fi
