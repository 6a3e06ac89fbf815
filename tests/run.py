#!/usr/bin/env python3
"""run.py - boot gohart's test image under QEMU and judge the results.

    tests/run.py --build build/riscv64-qemu-virt [--smp 1,2,4,8] [--run RE]
    tests/run.py --build ... --bench [--bench-re RE]

What it does (the kernel side is tests/testing.c):

 1. Boots once with `test.list` to learn the registered tests.
 2. For each hart count, boots the suite (every ordinary test) and reads
    the Go-test lines: `--- PASS: name`, `--- FAIL: name`, the kernel's
    `N passed, N failed` line and its exit status (= failures).  A boot
    that hangs past --timeout, dies, or ends without the summary fails
    every test it did not report as passed.
 3. Boots each expected-fatal test alone (test.fatal=NAME) on --fatal-smp
    hart counts and checks the exit status and that every line of the
    expected message appears in the output.
 4. Boots the map iteration-order test four times: map seeds must differ
    between two plain boots and repeat under the same randseed=.
 5. Adds the host tests' `N passed, N failed` (--host-results).
 6. Prints one last line: `N passed, N failed`; exits 1 on any failure.

The board's qemu/<arch>-<board>.mk says how to boot it: QEMU,
QEMU_MACHINE (`$(B)` there is the build directory), QEMU_MEM,
QEMU_VARIANTS, and optionally QEMU_IMAGE (`bin`: boot the raw image, not
the ELF), QEMU_SMP (the only cpu counts the machine takes, e.g. `4`:
every boot uses one of them), TEST_MEM (the RAM the kernel should find,
when not all of QEMU_MEM is the cpus') and BENCH_MEM (the RAM for
--bench, when not 2G).

--bench boots with `-icount shift=0,sleep=off` (one instruction = one
virtual nanosecond: exact and repeatable counts): single-cpu benchmarks
on -smp 1, the ones that need two cpus on -smp 2.  Each boot runs twice
and the two runs must agree; then it prints the table.

Python 3 standard library only.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_mk(path):
    """The `NAME := value` lines of a qemu/*.mk file."""
    out = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^(\w+)\s*:?=\s*(.*)$", line.strip())
            if m:
                out[m.group(1)] = m.group(2)
    return out


def expand(value, env):
    return re.sub(r"\$\((\w+)\)", lambda m: env.get(m.group(1), ""), value)


class Qemu:
    def __init__(self, arch, board, build, mem, timeout):
        env = read_mk(os.path.join(ROOT, "qemu", "%s-%s.mk" % (arch, board)))
        env["B"] = build
        self.binary = env["QEMU"]
        self.machine = expand(env["QEMU_MACHINE"], env).split()
        self.image = os.path.join(build, "test." + (env.get("QEMU_IMAGE") or "elf"))
        self.mem = mem or env.get("QEMU_MEM") or "256M"
        self.test_mem = env.get("TEST_MEM")
        self.bench_mem = env.get("BENCH_MEM") or "2G"
        # QEMU_SMP := 4: the machine takes only these cpu counts.
        self.smp_only = [int(n) for n in
                         env.get("QEMU_SMP", "").replace(",", " ").split()]
        self.timeout = timeout
        # QEMU_VARIANTS := name: options; name: options ...
        self.variants = []
        for item in expand(env.get("QEMU_VARIANTS", ""), env).split(";"):
            name, _, opts = item.partition(":")
            if name.strip():
                self.variants.append((name.strip(), opts.split()))

    def smp(self, n):
        """n, or the machine's own cpu count if it cannot have n."""
        if self.smp_only and n not in self.smp_only:
            return self.smp_only[0]
        return n

    def command(self, smp, append, icount=False, extra=()):
        smp = self.smp(smp)
        cmd = [self.binary] + self.machine + list(extra) + [
            "-m", self.mem, "-smp", str(smp), "-nographic",
            "-monitor", "none", "-serial", "stdio",
            "-kernel", self.image, "-append", append]
        if icount:
            cmd += ["-icount", "shift=0,sleep=off"]
        return cmd

    def boot_typing(self, smp, append, prompt, text):
        """Boot, wait for `prompt` on the console, then type `text`."""
        p = subprocess.Popen(self.command(smp, append), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        chunks = []

        def reader():
            for chunk in iter(lambda: p.stdout.read1(4096), b""):
                chunks.append(chunk)
        th = threading.Thread(target=reader, daemon=True)
        th.start()
        deadline = time.time() + self.timeout
        typed = False
        while p.poll() is None and time.time() < deadline:
            if not typed and prompt.encode() in b"".join(chunks):
                p.stdin.write(text.encode() + b"\n")
                p.stdin.flush()
                typed = True
            time.sleep(0.05)
        status = p.poll()
        if status is None:
            p.kill()
            p.wait()
        th.join(5)
        return b"".join(chunks).decode("utf-8", "replace").replace("\r", ""), status

    def boot(self, smp, append, icount=False, extra=()):
        """Run one boot; returns (output, exit status or None on timeout)."""
        cmd = self.command(smp, append, icount, extra)
        start = time.time()
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=self.timeout)
            out, status = p.stdout, p.returncode
        except subprocess.TimeoutExpired as e:
            out, status = e.stdout or b"", None
        text = out.decode("utf-8", "replace").replace("\r", "")
        return text, status, time.time() - start


def mem_bytes(s):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(s[:-1]) * mult[s[-1]] if s[-1] in mult else int(s)


def list_tests(q):
    out, status, _ = q.boot(1, "quiet test.list")
    tests, fatals, benches = [], [], []
    for line in out.splitlines():
        parts = line.split(" ", 3)
        if len(parts) < 3 or parts[0] != "test.list":
            continue
        if parts[1] == "test":
            tests.append(parts[2])
        elif parts[1] == "fatal":
            name, rest = parts[2], parts[3]
            code, _, msg = rest.partition(" |")
            fatals.append((name, int(code), msg.split(" |")))
        elif parts[1] == "bench":
            benches.append((parts[2], int(parts[3])))
    if status != 0 or not (tests or fatals):
        sys.stderr.write(out[-3000:])
        raise SystemExit("run.py: could not list the tests (status %s)" % status)
    return tests, fatals, benches


CONSOLE_RE = re.compile(
    r"^CONSOLE-LINE cpu=(\d+) seq=(\d+) abcdefghijklmnopqrstuvwxyz0123456789 end$")


def check_console(out):
    """console_lines_stay_whole: every marked line whole, each exactly once."""
    m = re.search(r"^CONSOLE-CHECK cpus=(\d+) lines=(\d+)$", out, re.M)
    if not m:
        return "no CONSOLE-CHECK line"
    cpus, lines = int(m.group(1)), int(m.group(2))
    seen = set()
    for line in out.splitlines():
        if "CONSOLE-LINE" not in line:
            continue
        lm = CONSOLE_RE.match(line)
        if not lm:
            return "broken line: %r" % line
        key = (int(lm.group(1)), int(lm.group(2)))
        if key in seen:
            return "line printed twice: %r" % line
        seen.add(key)
    want = {(c, s) for c in range(cpus) for s in range(lines)}
    if seen != want:
        return "%d lines missing" % len(want - seen)
    return None


def run_suite(q, smp, tests, run_re, mem, label="", extra=()):
    """One boot of the ordinary tests; returns {test: (ok, detail)}.
    Skipped tests are left out of the result.  An option mem=SIZE in
    extra sets the machine's memory; append=KEY=VALUE adds a bootarg."""
    bootargs = ""
    test_mem = q.test_mem or mem
    for opt in extra:
        if opt.startswith("mem="):
            mem = test_mem = opt[4:]
        if opt.startswith("append="):
            bootargs += " " + opt[len("append="):]
    extra = [o for o in extra if not o.startswith(("mem=", "append="))]
    saved, q.mem = q.mem, mem
    try:
        return _run_suite(q, smp, tests, run_re, test_mem, label, extra, bootargs)
    finally:
        q.mem = saved


def _run_suite(q, smp, tests, run_re, mem, label, extra, bootargs=""):
    selected = [t for t in tests if not run_re or re.search(run_re, t)]
    append = "quiet test.ncpu=%d test.mem=%d test.probe=a=b%s" % (
        smp, mem_bytes(mem), bootargs)
    if run_re:
        append += " test.run=" + run_re
    out, status, secs = q.boot(smp, append, extra=extra)
    results, skipped = {}, set()
    for m in re.finditer(r"^--- (PASS|FAIL|SKIP): (\S+)", out, re.M):
        if m.group(1) == "SKIP":
            skipped.add(m.group(2))
        else:
            results[m.group(2)] = (m.group(1) == "PASS", "")
    selected = [t for t in selected if t not in skipped]
    summary = re.search(r"^(\d+) passed, (\d+) failed(, \d+ skipped)?$", out, re.M)
    problem = None
    if status is None:
        problem = "boot timed out after %ds" % q.timeout
    elif not summary:
        problem = "boot ended (status %s) without a summary" % status
    elif status != min(int(summary.group(2)), 125):
        problem = "exit status %s but %s failed" % (status, summary.group(2))
    if "console_lines_stay_whole" in results and results["console_lines_stay_whole"][0]:
        err = check_console(out)
        if err:
            results["console_lines_stay_whole"] = (False, err)
    for t in selected:
        if t not in results:
            results[t] = (False, problem or "did not run")
        elif problem and results[t][0]:
            pass  # it passed before the boot went wrong
    failed = [t for t in selected if not results[t][0]]
    print("%s  smp=%d%s  %d tests  %.1fs%s" % (
        "FAIL" if failed or problem else "ok  ", smp, label, len(selected), secs,
        "  (" + problem + ")" if problem else ""))
    if failed or problem:
        for t in failed:
            print("    --- FAIL: %s (smp=%d) %s" % (t, smp, results[t][1]))
        # Lines from early boot that the tail would cut off.
        for line in out.splitlines():
            if line.startswith("gohart: ") and "did not start" in line:
                print("    | " + line)
        print("    --- kernel output (tail) ---")
        for line in out.splitlines()[-60:]:
            if "CONSOLE-LINE" not in line:
                print("    | " + line)
    return {t: results[t] for t in selected}, problem


def run_console_input(q):
    """console_input_reaches_stdin: type a line once the test is ready."""
    text = "gohart-typed-line-42"
    out, status = q.boot_typing(
        1, "quiet test.run=^console_input_reaches_stdin$ test.input=" + text,
        "console-input: ready", text)
    ok = status == 0 and re.search(r"^--- PASS: console_input_reaches_stdin", out, re.M)
    if ok:
        return True, ""
    return False, "\n" + "\n".join("    | " + l for l in out.splitlines()[-30:])


def run_seeds_differ(q):
    """Boot-to-boot randomness: map seeds and range starts differ between
    boots (entropy from rng-seed, Zkr/RNDR, jitter: runtime/rand.c), and
    repeat exactly under the same randseed=."""
    def seed_line(extra):
        out, status, _ = q.boot(1, "quiet test.run=^map_iteration_order_is_random$" + extra)
        m = re.search(r"hash0 0x[0-9a-f]+, first key \d+", out)
        return m.group(0) if status == 0 and m else None
    a, b = seed_line(""), seed_line("")
    c, d = seed_line(" randseed=7"), seed_line(" randseed=7")
    ok = None not in (a, b, c, d) and a != b and c == d
    return ok, "" if ok else " (boots: %r %r; randseed=7: %r %r)" % (a, b, c, d)


def run_fatal(q, name, code, frags, smp):
    smp = q.smp(smp)
    out, status, _ = q.boot(smp, "quiet test.fatal=%s test.ncpu=%d" % (name, smp))
    missing = [f for f in frags if f not in out]
    ok = status == code and not missing
    detail = ""
    if not ok:
        detail = "status %s (want %d)%s\n" % (
            status, code, "".join("\n      missing: %r" % f for f in missing))
        detail += "\n".join("    | " + l for l in out.splitlines()[-40:])
    return name, smp, ok, detail


def bench_boot(q, smp, append):
    out, status, _ = q.boot(smp, append, icount=True)
    if status != 0 or "bench: done" not in out:
        sys.stderr.write(out[-3000:])
        raise SystemExit("run.py: benchmark boot failed (status %s)" % status)
    return [l for l in out.splitlines()
            if re.match(r"^bench_\S+\s+\d+\s", l) or "skipped" in l]


def bench(q, args):
    """Single-cpu benchmarks on -smp 1, the others on -smp 2; each twice."""
    # Nothing is freed yet: allocation benchmarks need room.
    q.mem = args.bench_mem or q.bench_mem
    # randseed: the same map seeds and iteration starts every run, so
    # that the counts repeat exactly.
    configs = [(1, "quiet randseed=1 bench=" + args.bench_re),
               (2, "quiet randseed=1 bench.multi bench=" + args.bench_re)]
    bad = 0
    for smp, append in configs:
        cmd = "%s %s -m %s -smp %d -icount shift=0,sleep=off -kernel %s -append '%s'" % (
            q.binary, " ".join(q.machine), q.mem, q.smp(smp),
            os.path.relpath(q.image, ROOT), append)
        first, second = bench_boot(q, smp, append), bench_boot(q, smp, append)
        print("# " + cmd)
        for row in first:
            print(row)
        if first != second:
            bad = 1
            print("run.py: the two runs differ:")
            for a, b in zip(first, second):
                if a != b:
                    print("  " + a + "\n  " + b)
    print("(each configuration run twice: %s)" % ("runs differ" if bad else "identical"))
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--arch", default="riscv64")
    ap.add_argument("--board", default="qemu-virt")
    ap.add_argument("--smp", default="1,2,4,8")
    ap.add_argument("--fatal-smp", default="1,4")
    ap.add_argument("--mem", default=None, help="RAM (default: QEMU_MEM)")
    ap.add_argument("--run", default="", help="regexp: only these tests")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per boot")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--host-results", default="")
    ap.add_argument("--no-variants", action="store_true",
                    help="only the plain -smp boots, not the board's variants")
    ap.add_argument("--bench", action="store_true")
    ap.add_argument("--bench-re", default=".")
    ap.add_argument("--bench-mem", default=None, help="default: BENCH_MEM or 2G")
    args = ap.parse_args()

    q = Qemu(args.arch, args.board, args.build, args.mem, args.timeout)
    if args.bench:
        return bench(q, args)

    tests, fatals, _ = list_tests(q)
    passed = failed = 0
    smps = sorted({q.smp(int(s)) for s in args.smp.split(",")})
    configs = [(s, "", ()) for s in smps]
    if not args.no_variants:
        configs += [(4, " " + name, opts) for name, opts in q.variants]
    for smp, label, extra in configs:
        results, _ = run_suite(q, smp, tests, args.run, q.mem, label, extra)
        passed += sum(1 for ok, _ in results.values() if ok)
        failed += sum(1 for ok, _ in results.values() if not ok)

    if not args.run or re.search(args.run, "console_input_reaches_stdin"):
        ok, detail = run_console_input(q)
        passed, failed = passed + ok, failed + (not ok)
        print("%s  console input (typed on the serial line)%s" % (
            "ok  " if ok else "FAIL", detail))

    if not args.run or re.search(args.run, "map_iteration_order_is_random"):
        ok, detail = run_seeds_differ(q)
        passed, failed = passed + ok, failed + (not ok)
        print("%s  map seeds differ between boots, repeat under randseed=%s" % (
            "ok  " if ok else "FAIL", detail))

    fatal_smps = sorted({q.smp(int(s)) for s in args.fatal_smp.split(",")})
    jobs = [(n, c, f, smp) for n, c, f in fatals
            if not args.run or re.search(args.run, n)
            for smp in fatal_smps]
    fatal_fail = 0
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        for name, smp, ok, detail in ex.map(lambda j: run_fatal(q, *j), jobs):
            if ok:
                passed += 1
            else:
                failed += 1
                fatal_fail += 1
                print("    --- FAIL: %s (expected-fatal, smp=%d): %s" % (name, smp, detail))
    print("%s  expected-fatal  %d boots" % ("FAIL" if fatal_fail else "ok  ", len(jobs)))

    if args.host_results:
        try:
            with open(args.host_results) as f:
                m = re.search(r"(\d+) passed, (\d+) failed", f.read())
            hp, hf = int(m.group(1)), int(m.group(2))
        except (OSError, AttributeError):
            hp, hf = 0, 1
            print("FAIL  host tests: no results in %s" % args.host_results)
        print("%s  host tests  %d passed, %d failed" % ("FAIL" if hf else "ok  ", hp, hf))
        passed += hp
        failed += hf

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
