#!/usr/bin/env python3
"""check_header.py - check the Linux boot-image header of a kernel image.

    tools/check_header.py riscv64 build/riscv64-qemu-virt/kernel.bin
    tools/check_header.py aarch64 build/aarch64-qemu-virt/kernel.bin

U-Boot's booti (and the Raspberry Pi firmware, for arm64) loads our image
as if it were Linux, trusting this 64-byte header; a header a few bytes
off (a compressed 2-byte jump instead of a 4-byte one, say) makes the
image unbootable there while QEMU, which loads the ELF, never notices.
Layouts: Documentation/riscv/boot-image-header.rst and
Documentation/arm64/booting.rst in the Linux source.
"""
import os
import struct
import sys


def check_riscv64(img, size):
    (code0, code1, text_offset, image_size, flags, version, _res1, _res2,
     magic, magic2, _res3) = struct.unpack("<IIQQQIIQ8sII", img[:64])
    errors = []
    if code0 & 0x7f != 0x6f:
        errors.append("code0 %#x is not a 4-byte jal (jump over the header)" % code0)
    if magic != b"RISCV\0\0\0":
        errors.append("magic %r at 0x30, want 'RISCV'" % magic)
    if magic2 != 0x05435352:
        errors.append("magic2 %#x at 0x38, want 'RSC\\x05'" % magic2)
    if image_size < size:
        errors.append("image_size %d smaller than the file (%d)" % (image_size, size))
    if text_offset % 4096:
        errors.append("text_offset %#x not page-aligned" % text_offset)
    return errors


def check_aarch64(img, size):
    (code0, _code1, text_offset, image_size, flags, _res2, _res3, _res4,
     magic, _res5) = struct.unpack("<IIQQQQQQII", img[:64])
    errors = []
    if code0 >> 26 != 0b000101:
        errors.append("code0 %#x is not a b (branch over the header)" % code0)
    if magic != 0x644d5241:
        errors.append("magic %#x at 0x38, want 'ARM\\x64'" % magic)
    if image_size < size:
        errors.append("image_size %d smaller than the file (%d)" % (image_size, size))
    if text_offset % 4096:
        errors.append("text_offset %#x not page-aligned" % text_offset)
    if flags & 1:
        errors.append("flags %#x: big-endian bit set" % flags)
    if (flags >> 1) & 3 not in (0, 1):
        errors.append("flags %#x: page size is not 4 KiB or unspecified" % flags)
    if flags >> 4:
        errors.append("flags %#x: reserved bits set" % flags)
    return errors


def main():
    arch, path = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        img = f.read(64)
    size = os.path.getsize(path)
    checks = {"riscv64": check_riscv64, "aarch64": check_aarch64}
    if arch not in checks:
        return 0
    errors = checks[arch](img, size)
    for e in errors:
        sys.stderr.write("%s: boot header: %s\n" % (path, e))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
