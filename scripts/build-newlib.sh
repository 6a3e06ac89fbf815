#!/bin/sh
# Build newlib (the C library) from Debian's newlib-source for one target.
#
#   scripts/build-newlib.sh <target-triple> <cflags> <prefix> [<tool-prefix>]
#
# <tool-prefix> names the compiler when it is not <target-triple>-gcc:
# for aarch64 we build newlib for aarch64-none-elf with Debian's
# aarch64-linux-gnu- tools, used freestanding (the cflags undefine the
# __linux__ family so newlib's headers do not take the Linux branch).
#
# Only the newlib part of the tree is built (no libgloss: gohart provides
# the system-call layer itself, see runtime/syscalls.c).  The build is
# done once; a stamp file in <prefix> makes later runs a no-op.
#
# -D__DYNAMIC_REENT__ makes newlib ask us for the current reentrancy
# structure (__getreent), so errno and stdio state are per hart instead
# of one global shared by every hart.
set -eu
target=$1
cflags=$2
prefix=$(realpath -m "$3")
tools=${4:-$target-}

if [ -f "$prefix/.built" ]; then
    exit 0
fi
tarball=$(ls /usr/src/newlib/newlib-*.tar.* 2>/dev/null | head -n1)
if [ -z "$tarball" ]; then
    echo "build-newlib: no newlib source in /usr/src/newlib (apt-get install newlib-source)" >&2
    exit 1
fi

work="$prefix.work"
rm -rf "$work" "$prefix"
mkdir -p "$work/src" "$work/build"
echo "  NEWLIB  $(basename "$tarball") for $target ($cflags), once"
set --
if [ "$tools" != "$target-" ]; then
    for t in CC:gcc AR:ar AS:as LD:ld NM:nm RANLIB:ranlib \
             OBJCOPY:objcopy OBJDUMP:objdump READELF:readelf STRIP:strip; do
        set -- "$@" "${t%%:*}_FOR_TARGET=$tools${t#*:}"
    done
fi
tar -xf "$tarball" -C "$work/src" --strip-components=1
cd "$work/build"
../src/configure \
    --target="$target" \
    --prefix="$prefix" \
    --disable-multilib \
    --disable-newlib-supplied-syscalls \
    --enable-newlib-retargetable-locking \
    --disable-newlib-fvwrite-in-streamio \
    --enable-newlib-io-long-long \
    --disable-nls \
    "$@" \
    CFLAGS_FOR_TARGET="$cflags -O2 -g -D__DYNAMIC_REENT__ -ffunction-sections -fdata-sections" \
    > "$work/configure.log" 2>&1 || { tail -n 30 "$work/configure.log" >&2; exit 1; }
make -j"$(nproc)" all-target-newlib > "$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; exit 1; }
make install-target-newlib > "$work/install.log" 2>&1 || { tail -n 20 "$work/install.log" >&2; exit 1; }
rm -rf "$work"
touch "$prefix/.built"
