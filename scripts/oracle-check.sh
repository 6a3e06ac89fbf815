#!/bin/sh
# oracle-check.sh - the oracle tests' expected output is what real Go
# prints.  For each Go program tests/oracle/NAME.go, run it with the Go
# toolchain and compare with tests/oracle/NAME.out, which the in-kernel
# test oracle_NAME (tests/oracle_test.c) compares its own output with.
# So a test passes only if the C program prints exactly what Go prints.
set -eu
cd "$(dirname "$0")/.."
export GOCACHE="${GOCACHE:-$PWD/build/go-cache}" GOFLAGS=-mod=mod GO111MODULE=off
fail=0
n=0
for prog in tests/oracle/*.go; do
	name=${prog%.go}
	n=$((n + 1))
	if go run "$prog" > "build/oracle-$(basename "$name").txt" 2>&1 &&
	    cmp -s "build/oracle-$(basename "$name").txt" "$name.out"; then
		echo "ok    oracle $(basename "$name"): $name.out is what Go prints"
	else
		echo "FAIL  oracle $(basename "$name"): go run $prog differs from $name.out"
		diff "build/oracle-$(basename "$name").txt" "$name.out" | head -20
		fail=$((fail + 1))
	fi
done
echo "$((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
