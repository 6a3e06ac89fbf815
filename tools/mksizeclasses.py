#!/usr/bin/env python3
"""mksizeclasses.py - compute the small-object size classes of the heap.

    python3 tools/mksizeclasses.py > mm/sizeclasses.c

Prints mm/sizeclasses.c: a comment with the table of classes, then the
arrays declared in mm/sizeclasses.h.  The numbers are those of Go 1.19
(Go: runtime/mksizeclasses.go, which writes runtime/sizeclasses.go);
tests/host/sizeclass_test.c checks them against Go's file, and checks
that mm/sizeclasses.c is exactly what this program prints.

What a size class is, and why: mm/sizeclasses.h.  How they are chosen:

 1. Candidate sizes.  Walk the sizes from 8 up to MAX_SMALL_SIZE in
    steps that grow with the size, so that rounding a request up to the
    next candidate wastes a bounded fraction: step 8 first, 16 from 32
    (objects of 32 bytes or more must be 16-aligned), then size/8 from
    128 (at most ~12.5% rounding waste), capped at 256 from 2048.  The
    step only changes at a power of two, so every power of two from 8
    to 32768 is a candidate.
 2. Pages per span.  For each candidate take the fewest pages whose
    leftover tail (span bytes mod object size) is at most 1/8 of the
    span.
 3. Merge.  When a candidate gets the same number of pages and the same
    number of objects per span as the class before it, the smaller class
    buys nothing: the earlier class grows to this size instead.
 4. Widen.  A class whose span has room to spare grows to the largest
    multiple of LARGE_SIZE_DIV that still fits the same object count
    (size_to_class128 needs classes above 1024 to be multiples of 128).
 5. Division magic per class, checked for every offset in a span.
 6. The two lookup tables, request size to class.
"""
import sys

# Constants shared with mm/sizeclasses.h (Go: runtime/sizeclasses.go).
MAX_SMALL_SIZE = 32 << 10       # larger objects get a span of their own
SMALL_SIZE_DIV = 8              # granule of size_to_class8
SMALL_SIZE_MAX = 1024           # last size size_to_class8 covers
LARGE_SIZE_DIV = 128            # granule of size_to_class128
PAGE_SHIFT = 13
PAGE_SIZE = 1 << PAGE_SHIFT
NUM_SIZE_CLASSES = 68           # Go 1.19's count; a change is a bug here

TAIL_WASTE_DIV = 8              # a span may leave at most 1/8 unused


class SizeClass:
    """One class: object size and span length; class 0 is all zeros."""

    def __init__(self, size, npages):
        self.size = size
        self.npages = npages

    def span_bytes(self):
        return self.npages * PAGE_SIZE

    def objects(self):
        return self.span_bytes() // self.size if self.size else 0

    def tail_waste(self):
        return self.span_bytes() - self.objects() * self.size


def is_pow2(x):
    return x > 0 and x & (x - 1) == 0


def next_step(size, step):
    """The candidate step to use after `size` (step 1 of the docstring).

    The step is re-chosen only when size reaches a power of two:
      - below 32 it stays 8 (8, 16, 24, 32);
      - from 32 it is 16: the GC's heap bitmap assumes every object of
        32 bytes or more starts on a 16-byte boundary (Go comment in
        mksizeclasses.go), and a span starts on a page, so each size must
        be a multiple of 16;
      - from 128 it is size/8 (16, 32, 64, 128 at 128, 256, 512, 1024):
        between two powers of two there are 8 candidates, so rounding a
        request up to the next one costs at most about 1/8;
      - from 2048 it stays 256, a finer grain than size/8 would give.
    Each new step is itself a power of two, so the walk always lands
    back on the next power of two.
    """
    if not is_pow2(size):
        return step
    if size >= 2048:
        return 256
    if size >= 128:
        return size // 8
    if size >= 32:
        return 16
    return step


def candidate_sizes():
    size, step = SMALL_SIZE_DIV, SMALL_SIZE_DIV
    while size <= MAX_SMALL_SIZE:
        step = next_step(size, step)
        assert is_pow2(step), "mksizeclasses: step %d not a power of two" % step
        yield size
        size += step


def pages_for(size):
    """Fewest pages whose tail (bytes left after the last whole object)
    is at most 1/8 of the span (step 2).  Objects up to 1024 bytes
    always fit one page; 1408-byte ones leave 1152 bytes of one page, so
    they take 2 (11 objects, 896 bytes over).
    """
    npages = 1
    while True:
        span = npages * PAGE_SIZE
        if span % size <= span // TAIL_WASTE_DIV:
            return npages
        npages += 1


def make_classes():
    classes = [SizeClass(0, 0)]         # class 0: "not a small object"
    for size in candidate_sizes():
        npages = pages_for(size)
        last = classes[-1]
        # Step 3: same span length and same object count as the class
        # before: that class might as well be this big.  (Class 0 is not
        # a real class and is never grown.)
        if (len(classes) > 1 and last.npages == npages and
                (npages * PAGE_SIZE) // last.size ==
                (npages * PAGE_SIZE) // size):
            last.size = size
            continue
        classes.append(SizeClass(size, npages))

    # Step 4: share the span out evenly among its objects, rounded down
    # to a multiple of LARGE_SIZE_DIV.  Sizes only ever grow, the object
    # count stays, and so does the tail bound.  Example: 8448 bytes, 6
    # objects in 7 pages, becomes 9472 (57344 / 6 = 9557, rounded down).
    for c in classes[1:]:
        widest = (c.span_bytes() // c.objects()) & ~(LARGE_SIZE_DIV - 1)
        c.size = max(c.size, widest)

    assert len(classes) == NUM_SIZE_CLASSES, \
        "mksizeclasses: %d size classes, want %d" % (len(classes),
                                                     NUM_SIZE_CLASSES)
    for prev, c in zip(classes, classes[1:]):
        assert c.size > prev.size, "mksizeclasses: sizes not increasing"
    return classes


def div_magic(c):
    """The multiplier m with offset / size == (offset * m) >> 32 for every
    offset 0 <= offset <= span bytes (step 5); 0 for class 0.

    m = floor((2^32 - 1) / size) + 1 is ceil(2^32 / size) when size is
    not a power of two, and exactly 2^32 / size when it is (Go 1.19 writes
    it as ^uint32(0)/size + 1).  Then offset * m / 2^32 is offset / size
    plus a small error that grows with the offset; the method (Lemire,
    Kaser and Kurz, "Faster Remainder by Direct Computation",
    arXiv:1902.01961) says how many bits make the error too small to
    reach the next integer over a given range.  Rather than trust the
    bound, check it: q(n) = (n * m) >> 32 never decreases as n grows, and
    n / size is constant on each run [k*size, k*size + size - 1], so q
    equals it everywhere when it does at both ends of every run.
    """
    if c.size == 0:
        return 0
    m = 0xffffffff // c.size + 1
    top = c.span_bytes()
    for k in range(top // c.size + 1):
        for n in (k * c.size, min(k * c.size + c.size - 1, top)):
            if n <= top and (n * m) >> 32 != k:
                sys.exit("mksizeclasses: magic %#x fails for size %d at "
                         "offset %d" % (m, c.size, n))
    return m


def smallest_class_for(classes, size):
    """Index of the first class that holds `size` bytes (step 6)."""
    for i, c in enumerate(classes):
        if c.size >= size:
            return i
    sys.exit("mksizeclasses: no class holds %d bytes" % size)


def lookup_tables(classes):
    """size_to_class8[i] serves requests in (8*(i-1), 8*i], up to 1024;
    size_to_class128[i] serves (1024 + 128*(i-1), 1024 + 128*i].  An entry
    is the class for the largest size it serves, which is the class for
    every other size it serves: all class sizes are multiples of 8, and
    above 1024 of 128, so no class boundary falls inside an entry.
    """
    for c in classes:
        grain = SMALL_SIZE_DIV if c.size <= SMALL_SIZE_MAX else LARGE_SIZE_DIV
        assert c.size % grain == 0, \
            "mksizeclasses: size %d splits a lookup entry" % c.size
    t8 = [smallest_class_for(classes, i * SMALL_SIZE_DIV)
          for i in range(SMALL_SIZE_MAX // SMALL_SIZE_DIV + 1)]
    t128 = [smallest_class_for(classes, SMALL_SIZE_MAX + i * LARGE_SIZE_DIV)
            for i in range((MAX_SMALL_SIZE - SMALL_SIZE_MAX) //
                           LARGE_SIZE_DIV + 1)]
    return t8, t128


def align_bits(size):
    """log2 of the alignment every object of this class gets: its size's
    trailing zero bits (spans start on a page), capped at a page."""
    bits = (size & -size).bit_length() - 1
    return min(bits, PAGE_SHIFT)


def table_comment(classes):
    """The table Go prints at the top of runtime/sizeclasses.go, as lines
    of text, column for column.  max waste is the worst case for one
    span: every object holds the smallest request of its class (one byte
    more than the class below), plus the tail.
    """
    lines = ["%-5s  %-9s  %-10s  %-7s  %-10s  %-9s  %-9s" %
             ("class", "bytes/obj", "bytes/span", "objects", "tail waste",
              "max waste", "min align")]
    prev = 0
    for i, c in enumerate(classes[1:], 1):
        span = c.span_bytes()
        waste = ((c.size - prev - 1) * c.objects() + c.tail_waste()) / span
        lines.append("%5d  %9d  %10d  %7d  %10d  %8.2f%%  %9d" %
                     (i, c.size, span, c.objects(), c.tail_waste(),
                      100 * waste, 1 << align_bits(c.size)))
        prev = c.size
    lines.append("")
    lines += alignment_comment(classes)
    return lines


def alignment_comment(classes):
    """Go's second table: for each alignment, the smallest object size
    from which on every class is at least that aligned.  A row is left
    out when the next larger alignment starts at the same size (it says
    more); the table stops at the first alignment no tail of classes has.
    """
    real = classes[1:]
    min_size = []
    for bits in range(PAGE_SHIFT + 1):
        # The last class aligned less than 2^bits; all after it are fine.
        bad = [i for i, c in enumerate(real) if align_bits(c.size) < bits]
        first_ok = bad[-1] + 1 if bad else 0
        min_size.append(real[first_ok].size if first_ok < len(real) else 0)
    lines = ["%-9s  %-4s  %-12s" % ("alignment", "bits", "min obj size")]
    for bits, size in enumerate(min_size):
        if size == 0:
            break
        if bits < PAGE_SHIFT and min_size[bits + 1] == size:
            continue
        lines.append("%9d  %4d  %12d" % (1 << bits, bits, size))
    return lines


def c_array(decl, values, per_line, fmt, first_index=0):
    """A C array definition, per_line values a line, each line headed
    by the index of its first value."""
    out = ["%s = {" % decl]
    for i in range(0, len(values), per_line):
        row = ", ".join(fmt % v for v in values[i:i + per_line])
        out.append("\t/* %3d */ %s," % (first_index + i, row))
    out.append("};")
    return "\n".join(out) + "\n"


HEADER = """\
/*
 * sizeclasses.c - the small-object size classes (mm/sizeclasses.h).
 *
 * Code generated by `python3 tools/mksizeclasses.py > mm/sizeclasses.c`;
 * DO NOT EDIT.  Change the generator and run it again.
 *
 * Same classes as Go 1.19 (Go: runtime/sizeclasses.go, made by
 * runtime/mksizeclasses.go); tests/host/sizeclass_test.c compares them
 * with Go's file.  The table, as Go prints it:
 *
"""


def render(classes):
    t8, t128 = lookup_tables(classes)
    magics = [div_magic(c) for c in classes]
    parts = [HEADER]
    for line in table_comment(classes):
        parts.append((" * " + line if line else " *") + "\n")
    parts.append(" */\n")
    parts.append('#include "sizeclasses.h"\n\n')
    parts.append("/* Object size in bytes; 0 for class 0. */\n")
    parts.append(c_array("const uint16_t class_to_size[NUM_SIZE_CLASSES]",
                         [c.size for c in classes], 8, "%5d"))
    parts.append("\n/* Pages in one span of the class. */\n")
    parts.append(c_array(
        "const uint8_t class_to_allocnpages[NUM_SIZE_CLASSES]",
        [c.npages for c in classes], 16, "%2d"))
    parts.append("\n/* Objects in one span: allocnpages * PAGE_SIZE / size. */\n")
    parts.append(c_array("const uint16_t class_to_objects[NUM_SIZE_CLASSES]",
                         [c.objects() for c in classes], 8, "%4d"))
    parts.append("\n/* (2^32 - 1) / size + 1: divide_by_elemsize's multiplier. */\n")
    parts.append(c_array("const uint32_t class_to_divmagic[NUM_SIZE_CLASSES]",
                         magics, 4, "0x%08x"))
    parts.append("\n/* Class of a request of 8*(i-1)+1 .. 8*i bytes, i = index. */\n")
    parts.append(c_array(
        "const uint8_t size_to_class8[SMALL_SIZE_MAX / SMALL_SIZE_DIV + 1]",
        t8, 16, "%2d"))
    parts.append("\n/* Class of a request of 1024+128*(i-1)+1 .. 1024+128*i bytes. */\n")
    parts.append(c_array(
        "const uint8_t size_to_class128[(MAX_SMALL_SIZE - SMALL_SIZE_MAX) /\n"
        "\t\t\t       LARGE_SIZE_DIV + 1]",
        t128, 16, "%2d"))
    return "".join(parts)


def main():
    sys.stdout.write(render(make_classes()))


if __name__ == "__main__":
    main()
