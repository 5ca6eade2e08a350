#!/usr/bin/env python3
"""Run the Python-level tests on a firmware build.

Every `NAME.py` with a `NAME.exp` beside it, in tests/ and in examples_py/, is
run with the firmware (working directory: its own folder); it passes when its
stdout and stderr together equal the .exp file (trailing spaces ignored).

    tests/run.py --micropython build/unix/micropython [-k TEXT] [--valgrind] [--also DIR]

`--valgrind` runs each program under valgrind's memcheck and fails it on any
invalid memory access valgrind reports; programs whose first line says [slow]
are skipped there. Ends with 'N passed, N failed'; exit status 0 only when
all passed.
"""
import argparse
import difflib
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDERS = [os.path.join(ROOT, "tests"), os.path.join(ROOT, "examples_py")]
from memcheck import MEMCHECK_ERROR, VALGRIND


def programs(k, folders):
    for folder in folders:
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py") and os.path.exists(os.path.join(folder, name[:-3] + ".exp")):
                if not k or k in name:
                    yield os.path.join(folder, name)


def run(cmd, path, timeout):
    try:
        done = subprocess.run(cmd + [path], cwd=os.path.dirname(path), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
        return done.stdout.decode("utf-8", "replace"), done.returncode
    except subprocess.TimeoutExpired as e:
        return (e.stdout or b"").decode("utf-8", "replace") + "\n[timed out after %ss]\n" % timeout, None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--micropython", required=True, help="firmware binary with pyRTOS built in")
    ap.add_argument("-k", help="only programs whose file name contains this text")
    ap.add_argument("--valgrind", action="store_true", help="run under valgrind memcheck")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--also", action="append", default=[], help="another folder of programs to run")
    ap.add_argument("--skip", action="append", default=[], help="leave out this program (file name without .py); said so in the output")
    args = ap.parse_args()

    cmd = [os.path.abspath(args.micropython)]
    timeout = args.timeout
    if args.valgrind:
        cmd = VALGRIND + cmd
        timeout *= 10
    passed = failed = 0
    for path in programs(args.k, FOLDERS + [os.path.abspath(d) for d in args.also]):
        name = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as f:
            slow = "[slow]" in f.readline()
        if slow and args.valgrind:
            print("skip", name, "(marked [slow]: too long under valgrind)")
            continue
        if os.path.basename(path)[:-3] in args.skip:
            print("skip", name, "(--skip)")
            continue
        with open(path[:-3] + ".exp", encoding="utf-8") as f:
            want = f.read()
        got, code = run(cmd, path, timeout)
        norm = lambda s: [line.rstrip() for line in s.rstrip().splitlines()]
        if norm(got) == norm(want) and code != MEMCHECK_ERROR:
            passed += 1
            print("pass", name)
        else:
            failed += 1
            print("FAIL", name, "(valgrind found errors)" if code == MEMCHECK_ERROR else "")
            for line in difflib.unified_diff(norm(want), norm(got), "expected", "got", lineterm=""):
                print("    " + line)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
