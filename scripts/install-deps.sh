#!/bin/sh
# install-deps.sh - install what gohart needs from Debian, if missing:
# the tools for every arch (riscv64 and aarch64), whichever is built.
# Idempotent: does nothing when every tool is already there.  Uses sudo
# when not root.  Run by `make` automatically; safe to run by hand.
set -eu

need=""
have() { command -v "$1" >/dev/null 2>&1; }
want() { # want <command-or-path> <package>
	case "$1" in
	/*) [ -e "$1" ] || need="$need $2" ;;
	*) have "$1" || need="$need $2" ;;
	esac
}

want riscv64-unknown-elf-gcc gcc-riscv64-unknown-elf
want riscv64-unknown-elf-objdump binutils-riscv64-unknown-elf
want qemu-system-riscv64 qemu-system-misc
want aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
want aarch64-linux-gnu-objdump binutils-aarch64-linux-gnu
want qemu-system-aarch64 qemu-system-arm
want /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin opensbi
want /usr/src/newlib newlib-source
want gdb-multiarch gdb-multiarch
want python3 python3
want dtc device-tree-compiler
want cc gcc
want make make
want go golang-go
# clang, libFuzzer and its sanitizer runtimes: the host map fuzzer
# (tests/host/map_fuzz.c).  The runtimes are only a recommendation of
# clang's, which --no-install-recommends below leaves out.
want clang clang
fuzzer_rt=libclang_rt.fuzzer-$(uname -m).a
if ! have clang || [ ! -e "$(clang -print-file-name="$fuzzer_rt")" ]; then
	need="$need libclang-rt-dev"
fi

if [ -z "$need" ]; then
	exit 0
fi
echo "install-deps: installing$need"
SUDO=""
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $need
