#!/usr/bin/env python3
"""pyRTOS after a soft reset (emulated board, `make test-qemu`).

A soft reset (Ctrl-D) clears the heap but not the module's root pointer to
its state; the first import after it must start from a fresh state, not from
the old heap's objects. Boots the qemu firmware once and, over several soft
resets, runs a program that leaves tasks behind, then one that fills the heap
with other objects before it imports pyRTOS again and runs its own tasks.

    tests/test_soft_reset.py [--firmware build/qemu/firmware.elf]
"""
import argparse
import importlib.util
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LEAVE_TASKS = b"""
import pyRTOS
def waiter(self):
    yield
    while True:
        yield [pyRTOS.wait_for_message(self)]
for i in range(%d):
    pyRTOS.add_task(pyRTOS.Task(waiter, name='old%%d' %% i, mailbox=True))
print('left', len(pyRTOS.tasks))
"""

FRESH_START = b"""
junk = [bytearray(%d) for i in range(100)]
import pyRTOS
print('tasks after reset', len(pyRTOS.tasks))
def counter(self):
    for i in range(3):
        yield [pyRTOS.timeout(0.001)]
    print('counted', self.name)
pyRTOS.add_task(pyRTOS.Task(counter, name='new'))
pyRTOS.start()
print('tasks at the end', len(pyRTOS.tasks))
"""

EXPECTED = b"tasks after reset 0\r\ncounted new\r\ntasks at the end 0\r\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--firmware", default=os.path.join(ROOT, "build", "qemu", "firmware.elf"))
    args = ap.parse_args()
    os.environ["MICROPY_QEMU_FIRMWARE"] = os.path.abspath(args.firmware)
    # The board driver of the qemu wrapper (tools/qemu-micropython.py).
    spec = importlib.util.spec_from_file_location("qemu_micropython", os.path.join(ROOT, "tools", "qemu-micropython.py"))
    qemu = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(qemu)
    board = qemu.Board()
    failures = 0
    try:
        deadline = time.monotonic() + 60
        board.read_until(b">>> ", deadline)
        board.write(b"\r\x01")
        for round_no, (tasks, junk) in enumerate([(5, 24), (20, 40), (1, 8)]):
            if round_no:
                board.write(b"\x04")  # soft reset, from the raw REPL's prompt
            board.read_until(b"raw REPL; CTRL-B to exit\r\n>", deadline)
            board.input_pending = False
            out, err = board.raw_exec(LEAVE_TASKS % tasks, deadline)
            if err or out != b"left %d\r\n" % tasks:
                raise SystemExit("set-up failed: %r %r" % (out, err))
            board.write(b"\x04")
            board.read_until(b"raw REPL; CTRL-B to exit\r\n>", deadline)
            board.input_pending = False
            out, err = board.raw_exec(FRESH_START % junk, deadline)
            ok = not err and out == EXPECTED
            failures += not ok
            print("%s soft reset after %d tasks" % ("pass" if ok else "FAIL", tasks))
            if not ok:
                sys.stdout.write((out + err).decode("utf-8", "replace"))
    finally:
        board.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
