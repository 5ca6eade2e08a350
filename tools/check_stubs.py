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
4. Keywords: every function, method and constructor in the stubs, called on
   the firmware with each parameter the stubs let a caller name (those not
   before a `/`) passed by keyword, accepts them.
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


# A value, in MicroPython source, for each parameter name in the stubs (for
# the keyword check); `t` is a Task with a notification and a mailbox, `g`
# its function.
SAMPLES = {
    "task": "t", "msg": "pyRTOS.Message(128, None, t)", "func": "g", "priority": "1", "name": "'x'",
    "notifications": "1", "mailbox": "True", "index": "0", "state": "1", "value": "0", "step": "1",
    "mode": "pyRTOS.ISR_SET", "type": "128", "source": "None", "target": "None", "message": "None",
    "capacity": "3", "out_buffer": "[]", "initial": "0", "maximum": "2", "inherit": "False",
    "scheduler": "None", "idle_ms": "None", "stats": "False", "fn": "(lambda: 0)", "tasks": "[]",
    "messages": "[]", "seconds": "1.0", "nanoseconds": "1", "cycles": "1",
}

KEYWORD_PROBE = """
import pyRTOS
def g(self):
    yield
t = pyRTOS.Task(g, notifications=1, mailbox=True)
def probe(label, call):
    try:
        call()
    except TypeError as e:
        if 'keyword' in str(e) or 'positional' in str(e):
            print(label, '--', e)
"""


def keyword_calls():
    """(label, MicroPython call expression) for each function, method and
    constructor of the stubs with a parameter that can be named; problems."""
    with open(STUB, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    calls, problems = [], []

    def call(label, target, fn):
        named = [a.arg for a in fn.args.args + fn.args.kwonlyargs if a.arg != "self"]
        if not named:
            return
        positional = [a.arg for a in fn.args.posonlyargs if a.arg != "self"]
        missing = [n for n in positional + named if n not in SAMPLES]
        if missing:
            problems.append("check_stubs.py has no sample value for %s(%s)" % (label, ", ".join(missing)))
            return
        args = [SAMPLES[n] for n in positional] + ["%s=%s" % (n, SAMPLES[n]) for n in named]
        calls.append((label, "%s(%s)" % (target, ", ".join(args))))

    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            call(node.name, "pyRTOS." + node.name, node)
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            instance = "t" if node.name == "Task" else "pyRTOS.%s(%s)" % (
                node.name, "128, None, t" if node.name == "Message" else "")
            for item in node.body:
                if not isinstance(item, ast.FunctionDef) or item.decorator_list:
                    continue
                if item.name == "__init__":
                    call(node.name, "pyRTOS." + node.name, item)
                elif not item.name.startswith("_"):
                    call("%s.%s" % (node.name, item.name), "%s.%s" % (instance, item.name), item)
    return calls, problems


def check_keywords(micropython):
    calls, problems = keyword_calls()
    program = KEYWORD_PROBE + "".join("probe(%r, lambda: %s)\n" % c for c in calls)
    done = subprocess.run([micropython, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=60)
    out = done.stdout.decode()
    if done.returncode != 0:
        return problems + ["the keyword probe failed:\n" + out]
    problems += ["%s: pyRTOS.pyi lets a caller pass an argument by keyword, the firmware does not (%s)"
                 % tuple(line.split(" -- ", 1)) for line in out.splitlines()]
    return problems


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
    problems += check_keywords(os.path.abspath(args.micropython))

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
