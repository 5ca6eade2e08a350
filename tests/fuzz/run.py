#!/usr/bin/env python3
"""Differential fuzzer: random pyRTOS programs on the firmware and on the model.

    tests/fuzz/run.py --micropython build/unix/micropython [--seeds N] [--first S]
                      [--seed S] [--jobs J] [--shrink] [--keep DIR]

For each seed, gen.py writes a program; it runs on the firmware (the native
pyRTOS module) and on CPython with model.py as `pyRTOS` (a shim on PYTHONPATH),
and the two outputs must be equal line for line. A mismatch prints the seed, the
program's path and a diff; `--shrink` also deletes lines of the program while the
outputs still differ and prints the smallest program found. `--seed S` runs one
seed; `--seeds N --first S` runs S .. S+N-1. Exit status 1 when any seed differs.
"""
import argparse
import concurrent.futures
import difflib
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.dirname(HERE))
sys.dont_write_bytecode = True

import gen  # noqa: E402
from memcheck import VALGRIND  # noqa: E402

SHIM = """\
# `import pyRTOS` on CPython loads the fuzzer's reference model.
import sys
sys.path.insert(0, %r)
import %s as model
sys.modules['pyRTOS'] = model
"""


def run_one(cmd, path, env, timeout):
    try:
        done = subprocess.run(cmd + [path], cwd=os.path.dirname(path), env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return (e.stdout or b'').decode('utf-8', 'replace') + '[timed out after %ss]\n' % timeout
    out = done.stdout.decode('utf-8', 'replace')
    err = done.stderr.decode('utf-8', 'replace').strip()
    if err:
        # An uncaught exception: compare its last line (type and message), not the traceback.
        out += '[stderr] %s\n' % err.splitlines()[-1]
    if done.returncode:
        out += '[exit status %s]\n' % ('nonzero' if err else done.returncode)
    return out


class Runner:
    def __init__(self, args, workdir):
        self.args = args
        self.workdir = workdir
        shimdir = os.path.join(workdir, 'shim')
        os.makedirs(shimdir, exist_ok=True)
        with open(os.path.join(shimdir, 'pyRTOS.py'), 'w') as f:
            model = os.path.abspath(args.model)
            f.write(SHIM % (os.path.dirname(model), os.path.splitext(os.path.basename(model))[0]))
        self.model_env = dict(os.environ, PYTHONPATH=shimdir, PYTHONHASHSEED='0', PYTHONDONTWRITEBYTECODE='1')
        self.native_env = dict(os.environ)

    def outputs(self, path):
        cmd = [self.args.micropython]
        if self.args.valgrind:
            cmd = VALGRIND + cmd  # a memcheck error shows as a differing exit status
        native = run_one(cmd, path, self.native_env, self.args.timeout * (10 if self.args.valgrind else 1))
        model = run_one([self.args.python], path, self.model_env, self.args.timeout)
        return native, model

    def check(self, seed):
        folder = os.path.join(self.workdir, 'seed_%d' % seed)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, 'prog.py')
        with open(path, 'w') as f:
            f.write(gen.generate(seed, self.args.avoid))
        native, model = self.outputs(path)
        same = native == model
        if same and not self.args.keep_all:
            os.remove(path)
            os.rmdir(folder)
        else:
            with open(os.path.join(folder, 'native.out'), 'w') as f:
                f.write(native)
            with open(os.path.join(folder, 'model.out'), 'w') as f:
                f.write(model)
        return seed, same, path, native, model


def diff(model, native, limit=60):
    lines = list(difflib.unified_diff(model.splitlines(), native.splitlines(), 'model', 'firmware', lineterm='', n=3))
    if len(lines) > limit:
        lines = lines[:limit] + ['... (%d more diff lines)' % (len(lines) - limit)]
    return '\n'.join(lines)


def first_difference(model, native):
    """The first pair of lines that differ (None past the end of an output)."""
    m, n = model.splitlines(), native.splitlines()
    for i in range(max(len(m), len(n))):
        a = m[i] if i < len(m) else None
        b = n[i] if i < len(n) else None
        if a != b:
            return a, b
    return None


def shrink(runner, path):
    """Deletes chunks of lines, then single lines, while the program still compiles
    and the outputs still first differ at the same pair of lines."""
    with open(path) as f:
        lines = f.read().split('\n')
    folder = os.path.dirname(path)
    trial = os.path.join(folder, 'trial.py')
    native, model = runner.outputs(path)
    signature = first_difference(model, native)

    def differs(candidate):
        text = '\n'.join(candidate)
        try:
            compile(text, 'trial.py', 'exec')
        except SyntaxError:
            return False
        with open(trial, 'w') as f:
            f.write(text)
        native, model = runner.outputs(trial)
        if '[stderr]' in native or '[stderr]' in model or 'timed out' in native + model:
            return False
        return first_difference(model, native) == signature

    chunk = max(1, len(lines) // 4)
    while chunk >= 1:
        i = 0
        changed = False
        while i < len(lines):
            candidate = lines[:i] + lines[i + chunk:]
            if differs(candidate):
                lines = candidate
                changed = True
            else:
                i += chunk
        if not changed:
            chunk //= 2
    small = os.path.join(folder, 'min.py')
    with open(small, 'w') as f:
        f.write('\n'.join(lines))
    if os.path.exists(trial):
        os.remove(trial)
    native, model = runner.outputs(small)
    return small, native, model


def compare_programs(runner, paths, quiet=False):
    """Compares given programs; returns how many differ."""
    differ = 0
    for path in paths:
        native, model = runner.outputs(os.path.abspath(path))
        if native == model:
            if not quiet:
                print('same: %s' % path)
        else:
            differ += 1
            print('=== differs: %s' % path)
            print(diff(model, native))
    return differ


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--micropython', default=os.path.join(ROOT, 'build', 'unix', 'micropython'))
    parser.add_argument('--python', default=sys.executable, help='CPython that runs the model')
    parser.add_argument('--model', default=os.path.join(HERE, 'model.py'),
                        help='the reference model (another file to check that the fuzzer notices changes)')
    parser.add_argument('--seeds', type=int, default=int(os.environ.get('FUZZ_SEEDS', 200)))
    parser.add_argument('--first', type=int, default=int(os.environ.get('FUZZ_FIRST', 0)))
    parser.add_argument('--seed', type=int, action='append', help='run this seed (repeatable)')
    parser.add_argument('--jobs', type=int, default=os.cpu_count() or 2)
    parser.add_argument('--timeout', type=float, default=30)
    parser.add_argument('--shrink', action='store_true', help='minimise the programs that differ')
    parser.add_argument('--valgrind', action='store_true', help='run the firmware under valgrind memcheck')
    parser.add_argument('--keep', help='folder for the programs (default: a new temporary folder)')
    parser.add_argument('--keep-all', action='store_true', help='keep every program, not only those that differ')
    parser.add_argument('--avoid', action='append', choices=sorted(gen.AVOIDABLE),
                        help='leave a feature out of the programs (repeatable; default: $FUZZ_AVOID, '
                             'space-separated): ' + '; '.join('%s: %s' % kv for kv in sorted(gen.AVOIDABLE.items())))
    parser.add_argument('--program', action='append', help='compare this program instead of generated ones (repeatable)')
    parser.add_argument('--max-report', type=int, default=10, help='diffs printed in full')
    args = parser.parse_args()
    if args.avoid is None:
        args.avoid = os.environ.get('FUZZ_AVOID', '').replace(',', ' ').split()
        unknown = [a for a in args.avoid if a not in gen.AVOIDABLE]
        if unknown:
            sys.exit('FUZZ_AVOID: unknown feature(s) %s; known: %s' % (' '.join(unknown), ' '.join(sorted(gen.AVOIDABLE))))

    if not os.path.exists(args.micropython):
        sys.exit('no firmware at %s (run make firmware)' % args.micropython)
    workdir = args.keep or tempfile.mkdtemp(prefix='pyrtos-fuzz-')
    os.makedirs(workdir, exist_ok=True)
    # A private copy: the build folder may be rebuilt while the fuzzer runs.
    firmware = os.path.join(workdir, 'micropython')
    shutil.copy2(args.micropython, firmware)
    args.micropython = firmware
    runner = Runner(args, workdir)
    seeds = args.seed or list(range(args.first, args.first + args.seeds))

    if args.program:
        sys.exit(1 if compare_programs(runner, args.program) else 0)

    began = time.time()
    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for seed, same, path, native, model in pool.map(runner.check, seeds):
            if same:
                continue
            failed.append((seed, path))
            if len(failed) <= args.max_report:
                print('=== seed %d differs: %s' % (seed, path))
                print(diff(model, native))
                if args.shrink:
                    small, n2, m2 = shrink(runner, path)
                    print('--- minimised: %s' % small)
                    with open(small) as f:
                        print(f.read())
                    print(diff(m2, n2))
            else:
                print('=== seed %d differs: %s' % (seed, path))
            sys.stdout.flush()
    # The minimal programs of discrepancies found so far, as regression checks.
    repros = sorted(os.path.join(HERE, 'repros', n) for n in os.listdir(os.path.join(HERE, 'repros')) if n.endswith('.py'))
    repros_differ = 0 if args.seed else compare_programs(runner, repros, quiet=True)
    elapsed = time.time() - began
    print('%d seeds (%s), %d differ, %.1f s%s' % (
        len(seeds), '%d..%d' % (seeds[0], seeds[-1]) if not args.seed else ','.join(map(str, seeds)),
        len(failed), elapsed, '; programs in %s' % workdir if failed or args.keep or args.keep_all else ''))
    if not args.seed:
        print('%d of %d programs in repros/ differ' % (repros_differ, len(repros)))
    if failed:
        print('differing seeds:', ' '.join(str(s) for s, _ in failed))
    if failed or repros_differ:
        sys.exit(1)
    if not args.keep and not args.keep_all:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == '__main__':
    main()
