#!/bin/sh
# check-arch.sh - generic code (runtime/ mm/ gc/ sync/ tests/ examples/
# boot/main.c) must reach the hardware only through hal/hal.h: no CSR or
# system-register names, no privileged instructions, no arch headers.
cd "$(dirname "$0")/.." || exit 1
pattern='\b(csr[rwsc]i?|csrr[wsc]i?|sstatus|sepc|scause|stval|stvec|stimecmp|satp|mhartid|ecall|sret|wfi|daif|mpidr_el1|esr_el1|far_el1|vbar_el1|cntv_cval_el0|hvc|smc|eret)\b|#include *"(csr|cpu)\.h"'
hits=$(grep -rnE "$pattern" runtime mm gc sync tests examples boot/main.c include 2>/dev/null \
	| grep -v '^tests/host/' )
if [ -n "$hits" ]; then
	echo "check-arch: arch-specific names in generic code (use hal/hal.h):" >&2
	echo "$hits" >&2
	exit 1
fi
