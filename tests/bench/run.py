#!/usr/bin/env python3
"""pyRTOS benchmarks (SPEC section 7): one table, every column measured in this
run on the same firmware.

    python3 tests/bench/run.py --micropython build/unix/micropython \
        --micropy-dir .cache/micropython-1.26.1        (or: make bench)

    PYRTOS_PURE=/dir/holding/a/pure/pyRTOS/package make bench   (adds a column)

How to read the table
---------------------
* Each row is one measure; its unit and direction are in the "unit" column:
  "^" means higher is better, "v" means lower is better.
* Value columns:
    native   the firmware's built-in pyRTOS (Rust core + C shim)
    asyncio  MicroPython's own asyncio (extmod/asyncio of --micropy-dir, loaded
             from the path) running the equivalent program on the same firmware
    floor    only for yield rows: a plain `for i in range(N): next(g)` loop
             over one generator -- the cost of resuming a generator from
             Python, with no scheduler at all
    pure     (only with PYRTOS_PURE / --pure) the pure-Python pyRTOS package
             run unchanged on the same firmware
* Ratio columns ("x vs ...") say how many times better native is than that
  column, in the row's direction: native/other for "^" rows, other/native for
  "v" rows. Above 1 native wins, below 1 it loses. For "x vs floor" a value
  near 1 means the scheduler adds almost nothing to a bare generator resume
  (it can exceed 1: native resumes from C, the floor loop pays for the Python
  `for` and the `next()` call). "-" = not meaningful (no data, or both values
  below the measure's resolution); "<0.03x" / ">600x" = a bound, because one
  value is below the resolution (0.1 % CPU, 1 us lateness).
* n/a = the measure has no equivalent there (or the pure package failed it);
  FAIL = the program crashed or timed out (details printed under the table).
* Speeds are best of --repeat runs (default 3), each run a fresh process.
  Nothing is asserted: the "checks" list under the table only flags values
  that look like firmware problems.

Every benchmark program (yield_rate.py, pingpong.py, memory.py, idle.py,
lateness.py, next to this file) is a MicroPython program that takes the
implementation as its first argument and prints one "RESULT name k=v ..."
line; run one by hand to dig into a number, e.g.
    build/unix/micropython tests/bench/yield_rate.py native 1000000 1000 delay
(asyncio / pure runs need MICROPYPATH: `run.py --keep ...` prints a folder).

The pure column: MicroPython resolves a non-extensible built-in module (the
firmware's pyRTOS) before anything on sys.path, so a pure `pyRTOS` package on
MICROPYPATH is never imported. It does look in sys.modules first, though: the
harness writes a loader package `pyRTOS_pure` that registers itself as
sys.modules["pyRTOS"], runs the pure package's __init__.py inside itself with
__path__ pointing at the package (so `pyRTOS.task` etc. load from there) and
gives the package's modules a time.monotonic()/monotonic_ns() wrapper, which
MicroPython lacks. Programs given "pure" import pyRTOS_pure before pyRTOS.
"""

import argparse
import datetime
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# Sizes: chosen so that `make bench` stays well under 3 minutes.
# Native runs are long enough (~0.1 s) to be timed reliably; the slower
# columns run fewer iterations (rates, not totals, are compared).
YIELD_N = 1_000_000  # yields per run: native and the floor (the same N)
ASYNCIO_YIELD_N = 200_000  # yields per run: asyncio
PING_M = {"native": 100_000, "asyncio": 20_000, "pure": 20_000}  # round trips per run
YIELD_KS = (0, 10, 100, 1000)
LATENESS_PER_TASK = 40  # x 50 tasks = 2000 samples
IDLE_SECONDS = 1.0


def pure_yield_n(k):
    """The pure package evaluates every blocked task's conditions in every
    pass (O(K) per yield), so its N shrinks with K to keep runs short."""
    return max(300, 20_000 // (1 + k // 10))


class Failure(Exception):
    pass


# --------------------------------------------------------------------------
# running the firmware


class Runner:
    def __init__(self, firmware, libdir, timeout):
        self.firmware = firmware
        self.libdir = libdir
        self.timeout = timeout

    def run(self, prog, impl, *args, timeout=None, rusage=False):
        """Run one program in a fresh firmware process; return its RESULT fields
        (plus wall/cpu seconds when rusage is set)."""
        cmd = [self.firmware, os.path.join(HERE, prog), impl] + [str(a) for a in args]
        env = dict(os.environ)
        env["MICROPYPATH"] = self.libdir
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd,
                cwd=HERE,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout or self.timeout,
            )
        except subprocess.TimeoutExpired:
            raise Failure("%s %s %s: timed out after %ss"
                          % (prog, impl, " ".join(map(str, args)), timeout or self.timeout))
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        fields = None
        for line in proc.stdout.splitlines():
            if line.startswith("RESULT "):
                fields = {}
                for item in line.split()[2:]:
                    key, _, value = item.partition("=")
                    fields[key] = float(value)
        if proc.returncode != 0 or fields is None:
            tail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-3:]
            raise Failure("%s %s %s: exit %d: %s" % (
                prog, impl, " ".join(map(str, args)), proc.returncode,
                " | ".join(tail) or "no RESULT line"))
        if rusage:
            fields["wall"] = wall
            fields["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return fields


def best_of(repeat, fn, key, higher=True):
    """Call fn() `repeat` times; keep the result whose key is best."""
    results = [fn() for _ in range(repeat)]
    return (max if higher else min)(results, key=key)


# --------------------------------------------------------------------------
# the pure-Python column

PURE_LOADER = '''\
# Generated by tests/bench/run.py for the "pure" column; never used otherwise.
# The firmware's built-in pyRTOS wins over a pyRTOS package on sys.path, but
# MicroPython looks in sys.modules first: so this module registers itself as
# "pyRTOS" and runs the pure package's __init__.py in its own namespace, with
# __path__ set to the package folder so "pyRTOS.task" etc. load from there.
import sys

__path__ = {path!r}
sys.modules["pyRTOS"] = sys.modules[__name__]
exec(open(__path__ + "/__init__.py").read(), globals())


def _add_monotonic():
    # The original reads time.monotonic()/monotonic_ns(), which MicroPython
    # lacks: give its submodules a wrapped time module that has them (from
    # ticks_us, wrap-around handled). Only this column sees the wrapper.
    import time

    if hasattr(time, "monotonic"):
        return

    class _Time:
        def __init__(self):
            self._last = time.ticks_us()
            self._us = 0

        def _now_us(self):
            now = time.ticks_us()
            self._us += time.ticks_diff(now, self._last)
            self._last = now
            return self._us

        def monotonic(self):
            return self._now_us() / 1000000

        def monotonic_ns(self):
            return self._now_us() * 1000

        def __getattr__(self, name):
            return getattr(time, name)

    shim = _Time()
    for name in list(sys.modules):
        mod = sys.modules[name]
        if name.startswith("pyRTOS.") and getattr(mod, "time", None) is time:
            mod.time = shim


_add_monotonic()
'''


def find_pure_package(path):
    """PYRTOS_PURE may name the folder holding the pyRTOS package, or the
    package folder itself."""
    path = os.path.abspath(path)
    if os.path.isfile(os.path.join(path, "pyRTOS", "__init__.py")):
        return os.path.join(path, "pyRTOS")
    if os.path.isfile(os.path.join(path, "__init__.py")):
        return path
    return None


# --------------------------------------------------------------------------
# table model

NA = "n/a"


class Row:
    def __init__(self, label, unit, higher, fmt, ratios=True, resolution=0.0):
        self.label = label
        # values below `resolution` are measurement noise: ratios treat them
        # as `resolution` and print a bound ("<" / ">") instead of a number
        self.resolution = resolution
        self.unit = unit
        self.higher = higher  # True: higher is better; False: lower; None: neither
        self.fmt = fmt
        self.ratios = ratios
        self.cells = {}  # column -> float | str (NA / "FAIL" / text)


def fmt_sig(x):
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return "%.0f" % x
    if abs(x) >= 10:
        return "%.1f" % x
    if abs(x) >= 1:
        return "%.2f" % x
    return "%.3g" % x


def fmt_int(x):
    return "%d" % round(x)


def fmt_ms(x):
    return "%.3f" % x


def fmt_pct(x):
    return "%.1f %%" % x


class Bench:
    def __init__(self, args):
        self.args = args
        self.repeat = args.repeat
        self.rows = []
        self.failures = []
        self.notes = []
        self.extra = {}  # per-column side information for the footer
        self.columns = ["native", "asyncio", "floor"]
        self.libdir = tempfile.mkdtemp(prefix="pyrtos-bench-")
        self.runner = Runner(args.micropython, self.libdir, args.timeout)
        self.pure = None

    # -- set-up --------------------------------------------------------------

    def setup(self):
        asyncio_src = os.path.join(self.args.micropy_dir, "extmod", "asyncio")
        self.have_asyncio = os.path.isfile(os.path.join(asyncio_src, "__init__.py"))
        if self.have_asyncio:
            os.symlink(asyncio_src, os.path.join(self.libdir, "asyncio"))
        else:
            self.notes.append("asyncio column empty: %s/__init__.py not found" % asyncio_src)
        pure_arg = self.args.pure
        if pure_arg:
            package = find_pure_package(pure_arg)
            if package is None:
                self.notes.append("pure column dropped: no pyRTOS package (__init__.py) in %s" % pure_arg)
            else:
                self.pure = package
                loader_dir = os.path.join(self.libdir, "pyRTOS_pure")
                os.mkdir(loader_dir)
                with open(os.path.join(loader_dir, "__init__.py"), "w") as f:
                    f.write(PURE_LOADER.format(path=package))
                self.columns.append("pure")

    def cleanup(self):
        if self.args.keep:
            print("kept MICROPYPATH folder: %s" % self.libdir, file=sys.stderr)
        else:
            shutil.rmtree(self.libdir, ignore_errors=True)

    def impls(self):
        """pyRTOS-style columns besides native."""
        return ["pure"] if self.pure else []

    def measure(self, row, column, fn):
        """Fill one cell; a failing program gives FAIL (n/a for pure)."""
        if column == "asyncio" and not self.have_asyncio:
            row.cells[column] = NA
            return None
        try:
            value = fn()
        except Failure as e:
            row.cells[column] = NA if column == "pure" else "FAIL"
            self.failures.append("[%s] %s: %s" % (column, row.label, e))
            return None
        row.cells[column] = value
        return value

    def progress(self, what):
        if not self.args.quiet:
            print("  ...", what, file=sys.stderr, flush=True)

    # -- 1. yield rate ---------------------------------------------------------

    def yield_rate(self):
        self.progress("yield rate")
        run = self.runner.run

        def rate(impl, n, k, kind):
            r = best_of(self.repeat, lambda: run("yield_rate.py", impl, n, k, kind, timeout=120),
                        key=lambda r: r["n"] / r["us"])
            return r["n"] / r["us"]  # yields per microsecond = M yields/s

        floor_row = None
        cases = [(k, "delay") for k in YIELD_KS] + [(1000, "timeout")]
        for k, kind in cases:
            if kind == "delay":
                label = "yield rate, %d other tasks blocked on delay(10**9)" % k
            else:
                label = "yield rate, %d other tasks blocked on timeout(3600)" % k
            row = Row(label, "M yields/s ^", True, fmt_sig)
            self.rows.append(row)
            self.measure(row, "native", lambda: rate("native", YIELD_N, k, kind))
            self.measure(row, "asyncio", lambda: rate("asyncio", ASYNCIO_YIELD_N, k, kind))
            if floor_row is None:
                self.measure(row, "floor", lambda: rate("floor", YIELD_N, 0, kind))
                floor_row = row
            else:
                row.cells["floor"] = floor_row.cells["floor"]
            for impl in self.impls():
                self.measure(row, impl, lambda: rate(impl, pure_yield_n(k), k, kind))

    # -- 2. ping-pong ----------------------------------------------------------

    def pingpong(self):
        self.progress("ping-pong")
        run = self.runner.run

        def rate(impl, kind):
            r = best_of(self.repeat, lambda: run("pingpong.py", impl, PING_M[impl], kind),
                        key=lambda r: r["switches"] / r["us"])
            return r["switches"] / r["us"]

        for kind, label in (("notify", "ping-pong, task notification"),
                            ("mailbox", "ping-pong, mailbox Message (Task.send)"),
                            ("queue", "ping-pong, MessageQueue(capacity=1) item")):
            row = Row(label + ("" if kind == "notify" else " [a]"), "M switches/s ^", True, fmt_sig)
            self.rows.append(row)
            row.cells["floor"] = NA
            for impl in ["native", "asyncio"] + self.impls():
                self.measure(row, impl, lambda: rate(impl, kind))

    # -- 3. memory -------------------------------------------------------------

    def memory(self):
        self.progress("memory")
        run = self.runner.run

        def delta(impl, what):
            r = run("memory.py", impl, what)
            return r["bytes"] / r["count"]

        baseline = None
        try:
            baseline = delta("none", "import")
        except Failure as e:
            self.failures.append("[baseline] memory.py none import: %s" % e)
        row = Row("RAM for `import` (minus an empty import) [b]", "bytes v", False, fmt_int)
        self.rows.append(row)
        row.cells["floor"] = NA
        for impl in ["native", "asyncio"] + self.impls():
            if baseline is None:
                row.cells[impl] = "FAIL"
                continue
            self.measure(row, impl, lambda: delta(impl, "import") - baseline)

        row = Row("RAM per Task (notifications=1, mailbox=True, generator started) [c]",
                  "bytes v", False, fmt_int)
        self.rows.append(row)
        row.cells["floor"] = NA
        for impl in ["native", "asyncio"] + self.impls():
            self.measure(row, impl, lambda: delta(impl, "task"))

        row = Row("RAM per queued Message in a mailbox", "bytes v", False, fmt_int)
        self.rows.append(row)
        row.cells["floor"] = NA
        row.cells["asyncio"] = NA
        for impl in ["native"] + self.impls():
            self.measure(row, impl, lambda: delta(impl, "message"))

        row = Row("code linked into the firmware: text+rodata / data+bss [d]", "bytes v", None,
                  str, ratios=False)
        self.rows.append(row)
        for col in self.columns:
            row.cells[col] = NA
        sizes = linked_sizes(self.args.micropython + ".map")
        if sizes is None:
            row.cells["native"] = NA
            self.notes.append("code size: no linker map at %s.map" % self.args.micropython)
        else:
            text = sum(v for (who, kind), v in sizes.items() if kind == "text")
            data = sum(v for (who, kind), v in sizes.items() if kind == "data")
            row.cells["native"] = "%d / %d" % (text, data)
            self.extra["code"] = sizes

    # -- 4. idle ---------------------------------------------------------------

    def idle(self):
        self.progress("idle")
        run = self.runner.run
        row = Row("idle: CPU time while 3 tasks sleep %g s [e]" % IDLE_SECONDS,
                  "% of wall v", False, fmt_pct, resolution=0.1)
        self.rows.append(row)
        row.cells["floor"] = NA

        def cpu_share(impl):
            def once():
                base = run("idle.py", impl, 0, rusage=True)
                full = run("idle.py", impl, IDLE_SECONDS, rusage=True)
                cpu = max(0.0, full["cpu"] - base["cpu"])
                wall = max(1e-6, full["wall"] - base["wall"])
                return 100.0 * cpu / wall

            return min(once() for _ in range(self.repeat))

        for impl in ["native", "asyncio"] + self.impls():
            self.measure(row, impl, lambda: cpu_share(impl))

    # -- 5. timeout lateness ---------------------------------------------------

    def lateness_runs(self):
        # OS preemption (a 4 ms tick on a busy machine) can spoil a whole
        # run's p99, so lateness gets two more runs than the speeds
        return self.repeat + 2

    def lateness(self):
        self.progress("timeout lateness")
        run = self.runner.run
        rows = {
            "p50": Row("timeout lateness p50 (50 tasks, d = 1..20 ms, busy task) [f]", "ms v", False,
                       fmt_ms, resolution=0.001),
            "p99": Row("timeout lateness p99", "ms v", False, fmt_ms, resolution=0.001),
            "max": Row("timeout lateness max", "ms v", False, fmt_ms, resolution=0.001),
            "early": Row("early wake-ups (all runs; must be 0 for pyRTOS)", "count v", False,
                         fmt_int, ratios=False),
        }
        for row in rows.values():
            self.rows.append(row)
            row.cells["floor"] = NA
        for impl in ["native", "asyncio"] + self.impls():
            results = []

            def once():
                r = run("lateness.py", impl, LATENESS_PER_TASK, timeout=120)
                results.append(r)
                return r

            best = self.measure(rows["p50"], impl,
                                lambda: best_of(self.lateness_runs(), once, key=lambda r: r["p99"],
                                                higher=False))
            if best is None:
                for key in ("p99", "max", "early"):
                    rows[key].cells[impl] = rows["p50"].cells[impl]
                continue
            rows["p50"].cells[impl] = best["p50"] / 1000
            rows["p99"].cells[impl] = best["p99"] / 1000
            rows["max"].cells[impl] = best["max"] / 1000
            rows["early"].cells[impl] = sum(r["early"] for r in results)
            self.extra.setdefault("lateness", {})[impl] = (
                best["n"], min(r["min"] for r in results) / 1000)

    # -- output ----------------------------------------------------------------

    def ratio(self, row, other):
        a = row.cells.get("native")
        b = row.cells.get(other)
        if not row.ratios or not isinstance(a, float) or not isinstance(b, float):
            return "-"
        if row.higher is None:
            return "-"
        res = row.resolution
        if max(a, b) <= res or (res <= 0 and (a <= 0 or b <= 0)):
            return "-"
        a_low, b_low = a < res, b < res
        a, b = max(a, res), max(b, res)
        r = a / b if row.higher else b / a
        # a clamped value makes the ratio a bound: which way depends on
        # whether the clamped value is the numerator
        num_low, den_low = (a_low, b_low) if row.higher else (b_low, a_low)
        bound = "<" if num_low else ">" if den_low else ""
        return bound + fmt_sig(r) + "x"

    def cell(self, row, column):
        v = row.cells.get(column, NA)
        if isinstance(v, float):
            return row.fmt(v)
        return str(v)

    def table(self):
        names = {"native": "native", "asyncio": "asyncio", "floor": "floor", "pure": "pure"}
        header = ["measure", "unit"] + [names[c] for c in self.columns]
        header += ["x vs " + names[c] for c in self.columns if c != "native"]
        lines = ["| " + " | ".join(header) + " |",
                 "|" + "|".join(["---", "---"] + ["---:"] * (len(header) - 2)) + "|"]
        for row in self.rows:
            cells = [row.label, row.unit] + [self.cell(row, c) for c in self.columns]
            cells += [self.ratio(row, c) for c in self.columns if c != "native"]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def checks(self):
        """Flag values that look like firmware problems. Never fails the run."""
        out = []
        by_label = {r.label: r for r in self.rows}

        def native(label_start):
            for label, r in by_label.items():
                if label.startswith(label_start):
                    v = r.cells.get("native")
                    return v if isinstance(v, float) else None
            return None

        k0 = native("yield rate, 0 other")
        for label, r in by_label.items():
            v = r.cells.get("native")
            if label.startswith("yield rate") and k0 and isinstance(v, float) and v < 0.5 * k0:
                out.append("native yield rate drops to %.0f%% of the K=0 rate in '%s' "
                           "(SPEC 4: per-switch cost must not grow with blocked tasks)"
                           % (100 * v / k0, label))
        for impl in ["native"] + self.impls():
            r = by_label.get("early wake-ups (all runs; must be 0 for pyRTOS)")
            if r and isinstance(r.cells.get(impl), float) and r.cells[impl] > 0:
                out.append("%s: %d timeout wake-ups came early" % (impl, r.cells[impl]))
        idle = native("idle:")
        if idle is not None and idle > 1:
            out.append("native burns %.0f%% CPU while every task sleeps (SPEC 4: idle without spinning)" % idle)
        per_task = native("RAM per Task")
        if per_task is not None and per_task < 48:
            out.append("native RAM per Task is only %d bytes: is task state kept outside the GC heap?"
                       % per_task)
        for row in self.rows:
            if row.cells.get("native") == "FAIL":
                out.append("native program failed: %s" % row.label)
        return out

    def footer(self):
        fw = self.args.micropython
        try:
            version = subprocess.run([fw, "-c", "import sys; i = sys.implementation; "
                                      "print('MicroPython %d.%d.%d (%s build)' % (i.version[:3] + (i._build,)))"],
                                     capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            version = "?"
        cpu = ""
        try:
            with open("/proc/cpuinfo") as f:
                m = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
                cpu = m.group(1) if m else ""
        except OSError:
            pass
        mtime = datetime.datetime.fromtimestamp(os.path.getmtime(fw)).strftime("%Y-%m-%d %H:%M")
        lines = [
            "",
            "How measured: machine %s%s, %d CPUs, load avg %.2f at start; %s; firmware %s (built %s); %s."
            % (platform.machine(), (" (" + cpu + ")") if cpu else "", os.cpu_count() or 0,
               self.load_at_start, version, fw, mtime,
               datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")),
            "Every program runs in its own firmware process (timeout %ds) with MICROPYPATH set to a "
            "temporary folder holding only a link to %s/extmod/asyncio (and the pure loader); speeds are "
            "the best of %d runs; gc.collect() runs before each timed section; time is time.ticks_us() "
            "inside the program."
            % (self.args.timeout, self.args.micropy_dir, self.repeat),
            "Yield rate: N = %d yields for native and floor (the same N), %d for asyncio%s. "
            "The spinner (priority 2) is timed from just after its set-up yield to after its N-th yield; "
            "the K sleepers (priority 1) yield [delay(10**9) or timeout(3600), wait_for_notification(self)] "
            "and are woken by a notification at the end. asyncio: main coroutine awaits asyncio.sleep(0) N "
            "times while K tasks await asyncio.sleep(3600) (asyncio has no cycle-count delay: its delay "
            "rows run the same program as its timeout row)."
            % (YIELD_N, ASYNCIO_YIELD_N,
               "; pure: " + ", ".join("%d (K=%d)" % (pure_yield_n(k), k) for k in YIELD_KS)
               if self.pure else ""),
            "Ping-pong: round trips per run: %s (2 switches each); switches/s = hand-overs from one "
            "task to the other per second. asyncio: two asyncio.Event objects."
            % ", ".join("%d %s" % (m, impl) for impl, m in PING_M.items() if impl in self.columns),
            "[a] MicroPython's asyncio has no Queue and no mailbox: its mailbox and queue rows are the same "
            "program, an asyncio.Event ping-pong that also hands an item over through a list.",
            "[b] gc.mem_free() delta around the import, after gc.collect(), in a fresh process, minus the "
            "same measurement importing nothing. A built-in module's code is in flash/ROM, not RAM; the "
            "pure package and asyncio are compiled from source at import (pure: includes its small loader).",
            "[c] 200 x add_task(Task(f, notifications=1, mailbox=True)) with the generator run to its "
            "first yield, delta / 200 (includes the growth of the task list). asyncio: 200 x "
            "asyncio.create_task(trivial coroutine) outside a running loop, delta / 200. Per Message: "
            "1000 x task.deliver(Message(128, None, task, i)), delta / 1000.",
        ]
        if "code" in self.extra:
            s = self.extra["code"]
            lines.append(
                "[d] From the firmware's linker map (%s.map): C shim %d + %d, Rust core %d + %d, "
                "Rust core/compiler_builtins pulled in %d + %d (text+rodata + data+bss)."
                % (fw, s.get(("c", "text"), 0), s.get(("c", "data"), 0),
                   s.get(("rust", "text"), 0), s.get(("rust", "data"), 0),
                   s.get(("rustlib", "text"), 0), s.get(("rustlib", "data"), 0)))
        lines += [
            "[e] getrusage(RUSAGE_CHILDREN) user+system CPU of a firmware process whose 3 tasks all "
            "sleep %g s (yield [timeout(%g)] / asyncio.sleep(%g)), minus a run sleeping 0 s (start-up, "
            "imports), divided by the wall-time difference; lowest of %d."
            % (IDLE_SECONDS, IDLE_SECONDS, IDLE_SECONDS, self.repeat),
            "[f] 50 tasks x %d wake-ups: t0 = ticks_us(); yield [timeout(d)] (asyncio: await "
            "asyncio.sleep_ms(d)); late = elapsed - d, d = 1..20 ms; a lowest-priority task yields "
            "continuously (asyncio: sleep(0)) so the scheduler never idles. The run with the lowest p99 of "
            "%d is shown; early wake-ups are summed over all runs. OS preemption on a loaded machine "
            "shows up in p99/max. asyncio's clock is ticks_ms, so it can wake up to 1 ms early."
            % (LATENESS_PER_TASK, self.lateness_runs()),
        ]
        if self.pure:
            lines.append(
                "pure = %s, loaded as `pyRTOS` through a generated loader (the built-in would shadow it); "
                "its time.monotonic()/monotonic_ns(), missing on MicroPython, come from a Python wrapper "
                "over ticks_us, which adds to its timeout costs." % self.pure)
        return "\n".join(lines)

    def run_all(self):
        self.load_at_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        self.setup()
        try:
            t0 = time.perf_counter()
            self.yield_rate()
            self.pingpong()
            self.memory()
            self.idle()
            self.lateness()
            elapsed = time.perf_counter() - t0
        finally:
            self.cleanup()
        print(self.table())
        print(self.footer())
        print("Benchmark wall time: %.0f s." % elapsed)
        checks = self.checks()
        if checks or self.failures or self.notes:
            print()
        for c in checks:
            print("check: " + c)
        for n in self.notes:
            print("note: " + n)
        for f in self.failures:
            print("failed: " + f)


def linked_sizes(map_path):
    """Bytes each part of the module occupies in the linked firmware, from the
    GNU ld map: {(who, kind): bytes}, who in c / rust / rustlib, kind in
    text (text, rodata, eh_frame...) / data (data, bss)."""
    try:
        with open(map_path, errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    start = text.find("Linker script and memory map")
    if start < 0:
        return None
    body = text[start:]
    end = body.find("Cross Reference Table")
    if end >= 0:
        body = body[:end]
    line_re = re.compile(r"^ (\.\S+)?\s+0x([0-9a-fA-F]+)\s+0x([0-9a-fA-F]+)\s+(\S.*)$")
    sums = {}
    pending = None
    for line in body.splitlines():
        m = line_re.match(line)
        if not m:
            m2 = re.match(r"^ (\.\S+)\s*$", line)
            pending = m2.group(1) if m2 else None
            continue
        section = m.group(1) or pending
        pending = None
        addr, size, obj = int(m.group(2), 16), int(m.group(3), 16), m.group(4).strip()
        if not section or addr == 0 or size == 0:
            continue
        if section.startswith((".comment", ".note", ".debug", ".llvm", ".gnu.")):
            continue
        if "/c_glue/" in obj:
            who = "c"
        elif "libpyrtos_core.a(" in obj:
            member = obj.split("libpyrtos_core.a(", 1)[1]
            who = "rust" if member.startswith("pyrtos_core") else "rustlib"
        else:
            continue
        kind = "data" if section.startswith((".data", ".bss", ".tdata", ".tbss")) else "text"
        sums[(who, kind)] = sums.get((who, kind), 0) + size
    return sums or None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--micropython", required=True, help="firmware to run (unix port)")
    ap.add_argument("--micropy-dir", required=True, help="MicroPython source tree (for extmod/asyncio)")
    ap.add_argument("--pure", default=os.environ.get("PYRTOS_PURE") or None,
                    help="folder holding a pure-Python pyRTOS package (default: $PYRTOS_PURE)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per speed measure (best kept)")
    ap.add_argument("--timeout", type=int, default=60, help="seconds allowed per program run")
    ap.add_argument("--quiet", action="store_true", help="no progress on stderr")
    ap.add_argument("--keep", action="store_true",
                    help="keep the MICROPYPATH folder (asyncio link, pure loader) to rerun programs by hand")
    args = ap.parse_args()
    args.micropython = os.path.abspath(args.micropython)
    args.micropy_dir = os.path.abspath(args.micropy_dir)
    if not os.access(args.micropython, os.X_OK):
        sys.exit("run.py: no firmware at %s (make firmware)" % args.micropython)
    Bench(args).run_all()


if __name__ == "__main__":
    main()
