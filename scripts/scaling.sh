#!/bin/sh
# scaling.sh - wall-clock speed-up of an embarrassingly parallel job
# (tests/sched_test.c sched_scaling_job) on -smp 1 versus -smp 2 under
# multi-threaded TCG: each hart is a host thread, so on a host with two
# free cores the job should take about half as long on two harts.
# Usage: scripts/scaling.sh [build dir]   (after `make test-kernel` or `make`)
set -e
B=${1:-build/riscv64-qemu-virt}
FW=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
run() {
	qemu-system-riscv64 -machine virt -accel tcg,thread=multi -bios $FW -m 256M \
		-smp "$1" -nographic -monitor none -serial stdio -kernel "$B/test.elf" \
		-append "quiet scaling test.run=sched_scaling_job" </dev/null |
		sed -n 's/.*SCALING cpus=\([0-9]*\) primes=\([0-9]*\) ms=\([0-9]*\).*/\3/p'
}
one=$(run 1)
two=$(run 2)
awk -v a="$one" -v b="$two" 'BEGIN { printf "smp 1: %d ms   smp 2: %d ms   speed-up: %.2f\n", a, b, a / b }'
