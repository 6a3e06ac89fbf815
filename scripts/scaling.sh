#!/bin/sh
# scaling.sh - wall-clock speed-up of an embarrassingly parallel job
# (tests/sched_test.c sched_scaling_job) on -smp 1 versus -smp 2 under
# multi-threaded TCG: each cpu is a host thread, so on a host with two
# free cores the job should take about half as long on two cpus.
#
# Usage: scripts/scaling.sh [ARCH] [BUILD_DIR]     (after `make` for ARCH)
#        ARCH=aarch64 scripts/scaling.sh
#
# ARCH (argument, else the environment, else riscv64) and BOARD (the
# environment, else qemu-virt) pick qemu/$ARCH-$BOARD.mk, which names the
# QEMU binary (QEMU), its machine options (QEMU_MACHINE: firmware, cpu,
# -semihosting), the RAM (QEMU_MEM) and, for boards that need them, the
# image to boot (QEMU_IMAGE=bin: test.bin, not test.elf) and the only cpu
# counts the machine has (QEMU_SMP).  The file is read as tests/run.py
# reads it: `NAME := value` lines, $(NAME) replaced by an earlier value,
# $(B) by the build directory.  BUILD_DIR defaults to build/$ARCH-$BOARD;
# its test image is booted with the bootarg `scaling`, which the test
# needs to run at all.  On a machine that cannot have 1 or 2 cpus, both
# runs boot its own count and limit the scheduler with maxprocs=1, 2.
set -e
ROOT=$(dirname "$0")/..

BOARD=${BOARD:-qemu-virt}
if [ $# -gt 0 ] && [ -f "$ROOT/qemu/$1-$BOARD.mk" ]; then
	ARCH=$1
	shift
fi
ARCH=${ARCH:-riscv64}
MK=$ROOT/qemu/$ARCH-$BOARD.mk
B=${1:-$ROOT/build/$ARCH-$BOARD}
if [ ! -f "$MK" ]; then
	echo "scaling.sh: no $MK (ARCH=$ARCH BOARD=$BOARD)" >&2
	exit 2
fi

# mk_var NAME: NAME's value in $MK, with $(OTHER) references expanded.
mk_var() {
	awk -v want="$1" -v build="$B" '
	/^[A-Za-z0-9_]+[ \t]*:?=/ {
		name = $0; sub(/[ \t]*:?=.*/, "", name)
		val = $0; sub(/^[A-Za-z0-9_]+[ \t]*:?=[ \t]*/, "", val)
		sub(/[ \t]+$/, "", val)
		v[name] = val
	}
	END {
		v["B"] = build
		s = v[want]; out = ""
		while (match(s, /\$\([A-Za-z0-9_]+\)/)) {
			ref = substr(s, RSTART + 2, RLENGTH - 3)
			out = out substr(s, 1, RSTART - 1) v[ref]
			s = substr(s, RSTART + RLENGTH)
		}
		print out s
	}' "$MK"
}

QEMU=$(mk_var QEMU)
MACHINE=$(mk_var QEMU_MACHINE)
MEM=$(mk_var QEMU_MEM)
MEM=${MEM:-256M}
IMAGE=$B/test.$(mk_var QEMU_IMAGE)
[ "$IMAGE" != "$B/test." ] || IMAGE=$B/test.elf
SMP_ONLY=$(mk_var QEMU_SMP | tr ',' ' ')
if [ ! -f "$IMAGE" ]; then
	echo "scaling.sh: no $IMAGE; build it: make ARCH=$ARCH BOARD=$BOARD" >&2
	exit 2
fi

# run N: the job's guest-clock milliseconds with N cpus (or N p's).
run() {
	smp=$1 args=""
	if [ -n "$SMP_ONLY" ] && ! echo " $SMP_ONLY " | grep -q " $1 "; then
		smp=${SMP_ONLY%% *} args=" maxprocs=$1"
	fi
	out=$(timeout -s KILL "${TIMEOUT:-300}" $QEMU $MACHINE \
		-accel tcg,thread=multi -m "$MEM" -smp "$smp" \
		-nographic -monitor none -serial stdio -kernel "$IMAGE" \
		-append "quiet scaling test.run=sched_scaling_job$args" </dev/null 2>&1) || true
	ms=$(printf '%s\n' "$out" |
		sed -n 's/.*SCALING cpus=\([0-9]*\) primes=\([0-9]*\) ms=\([0-9]*\).*/\3/p')
	if [ -z "$ms" ]; then
		echo "scaling.sh: no SCALING line from $QEMU -smp $smp$args; its output ended:" >&2
		printf '%s\n' "$out" | tail -n 20 >&2
		exit 1
	fi
	echo "$ms"
}

one=$(run 1)
two=$(run 2)
awk -v a="$one" -v b="$two" 'BEGIN { printf "smp 1: %d ms   smp 2: %d ms   speed-up: %.2f\n", a, b, a / b }'
