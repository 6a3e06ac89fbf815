#!/bin/sh
# gocount.sh - instructions per operation of Go's own runtime for the
# channel benchmarks' three shapes (docs/BENCHMARKS.md, "Go's own counts").
#
# chanbench.go runs each loop n times; it is cross-compiled for riscv64
# (and built for x86-64) and run under qemu-user with pccount.c, a TCG
# plugin that counts every guest instruction.  The count at 1,100,000
# iterations minus the count at 100,000, over a million, is per op, with
# start-up cancelled out.  GOMAXPROCS=1 and GOGC=off keep it repeatable.
#
# Needs golang-go, qemu-user and gcc (Debian packages).
set -e
cd "$(dirname "$0")"
W=${TMPDIR:-/tmp}/gocount.$$
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
command -v qemu-riscv64 >/dev/null || { apt-get update -q && apt-get install -y -q qemu-user; }
gcc -O2 -shared -fPIC -fvisibility=hidden -o "$W/libpccount.so" pccount.c
cp chanbench.go "$W/main.go"
(cd "$W" && go mod init chanbench >/dev/null 2>&1 &&
	GOOS=linux GOARCH=riscv64 go build -o chanbench.riscv64 . &&
	GOOS=linux GOARCH=amd64 go build -o chanbench.x86_64 .)
total() {       # arch mode n
	GOMAXPROCS=1 GOGC=off qemu-$1 -plugin "$W/libpccount.so,out=$W/counts" \
		"$W/chanbench.$1" "$2" "$3" 2>&1 | sed -n 's/^PCCOUNT total //p'
}
go version
for arch in riscv64 x86_64; do
	for mode in pair sync select; do
		a=$(total $arch $mode 100000)
		b=$(total $arch $mode 1100000)
		# sync: each iteration hands over two values
		div=1000000; [ $mode = sync ] && div=2000000
		awk -v a="$a" -v b="$b" -v d=$div -v w="$arch $mode" \
			'BEGIN { printf "%s %.1f insn/op\n", w, (b - a) / d }'
	done
done
