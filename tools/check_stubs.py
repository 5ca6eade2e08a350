#!/usr/bin/env python3
"""Check pyRTOS.pyi, the module's type stubs.

    tools/check_stubs.py --micropython build/unix/micropython [--mypy "python3 -m mypy"]

1. Names: every public name of the firmware's module and classes is in the
   stubs, and every name in the stubs exists in the firmware (built with every
   build option on).
2. mypy over the stubs, tests/stubs/api_use.py (--strict: the documented API
   type-checks) and examples_py/*.py: no errors.
3. mypy over tests/stubs/api_misuse.py: an error on each line marked
   "# error", and on no other line.
"""
import argparse
import ast
import os
import re
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STUB = os.path.join(ROOT, "pyRTOS.pyi")

INTROSPECT = """
import pyRTOS
def names(o):
    return sorted(n for n in dir(o) if not n.startswith('_'))
print('module', ' '.join(names(pyRTOS)))
for n in names(pyRTOS):
    o = getattr(pyRTOS, n)
    if isinstance(o, type):
        print(n, ' '.join(names(o)))
def f(self):
    yield
print('Task', ' '.join(names(pyRTOS.Task(f))))
print('Message', ' '.join(names(pyRTOS.Message(128, None, None))))
"""


def stub_names():
    """{scope: set of names}."""
    with open(STUB, encoding="utf-8") as f:
        source = f.read()
    scopes = {"module": set()}

    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            if node.name.startswith("_"):
                continue
            scopes["module"].add(node.name)
            members = scopes.setdefault(node.name, set())
            for item in node.body:
                name = getattr(item, "name", None) or getattr(getattr(item, "target", None), "id", None)
                if name and not name.startswith("_"):
                    members.add(name)
        elif isinstance(node, (ast.FunctionDef, ast.AnnAssign)):
            name = node.name if isinstance(node, ast.FunctionDef) else node.target.id
            scopes["module"].add(name)
    return scopes


# Type aliases the stubs define for annotations; not in the firmware.
ALIASES = {"Blocker", "Yielded", "TaskFunction", "Scheduler"}


def check_names(micropython):
    done = subprocess.run([micropython, "-c", INTROSPECT], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=60)
    out = done.stdout.decode()
    if done.returncode != 0:
        print(out)
        return ["the firmware could not list its names"]
    runtime = {}
    for line in out.splitlines():
        scope, _, names = line.partition(" ")
        runtime[scope] = set(names.split())
    stubs = stub_names()
    problems = []
    for scope, names in sorted(runtime.items()):
        for name in sorted(names - stubs.get(scope, set())):
            problems.append("%s.%s is in the firmware but not in pyRTOS.pyi" % (scope, name))
    for scope, names in sorted(stubs.items()):
        present = runtime.get(scope if scope != "module" else "module", set())
        for name in sorted(names - present - (ALIASES if scope == "module" else set())):
            problems.append("%s.%s is in pyRTOS.pyi but not in the firmware" % (scope, name))
    return problems


def mypy(cmd, args):
    env = dict(os.environ, MYPYPATH=ROOT)
    done = subprocess.run(cmd + ["--no-error-summary", "--hide-error-context", "--no-color-output",
                                 "--cache-dir", os.path.join(ROOT, "build", "mypy-cache")] + args,
                          cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return done.returncode, done.stdout.decode()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--micropython", required=True)
    ap.add_argument("--mypy", default="%s -m mypy" % shlex.quote(sys.executable))
    args = ap.parse_args()
    cmd = shlex.split(args.mypy)
    problems = check_names(os.path.abspath(args.micropython))

    examples = sorted(os.path.join("examples_py", n) for n in os.listdir(os.path.join(ROOT, "examples_py"))
                      if n.endswith(".py"))
    for label, flags in (("stubs and the API use", ["--strict", "pyRTOS.pyi", "tests/stubs/api_use.py"]),
                         # machine, board, ...: the boards' own modules, not installed here
                         ("examples_py", ["--check-untyped-defs", "--disable-error-code", "var-annotated",
                                          "--ignore-missing-imports"] + examples)):
        code, out = mypy(cmd, flags)
        if code != 0:
            problems.append("mypy found errors in the %s:\n%s" % (label, out))

    misuse = "tests/stubs/api_misuse.py"
    with open(os.path.join(ROOT, misuse), encoding="utf-8") as f:
        want = {i + 1 for i, line in enumerate(f) if "# error" in line}
    _, out = mypy(cmd, [misuse])
    got = {int(m.group(1)) for m in re.finditer(r"^%s:(\d+): error" % re.escape(misuse), out, re.M)}
    for line in sorted(want - got):
        problems.append("%s:%d: mypy did not report the misuse" % (misuse, line))
    for line in sorted(got - want):
        problems.append("%s:%d: unexpected mypy error:\n%s" % (misuse, line, out))

    for p in problems:
        print("FAIL", p)
    print("stubs: %d problems (%d misuse lines caught)" % (len(problems), len(want & got)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
