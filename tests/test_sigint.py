#!/usr/bin/env python3
"""SIGINT reaches a running scheduler and the REPL survives (unix firmware).

Starts the firmware's REPL on a pseudo-terminal, runs pyRTOS.start() with
either a busy task or only sleeping tasks, sends SIGINT to the process, and
checks that KeyboardInterrupt comes out of start(), the REPL prompt returns and
still runs code, and start() works again.

    tests/test_sigint.py --micropython build/unix/micropython
"""
import argparse
import os
import pty
import select
import signal
import sys
import time

# Each task prints a marker once it runs, so the signal comes while start() runs.
# Markers are built at run time: the paste-mode echo must not match them.
PROGRAMS = {
    "busy": "def t(self):\n    yield\n    print('run' + 'ning')\n    while True:\n        yield\n",
    "sleeping": "def t(self):\n    yield\n    print('run' + 'ning')\n    while True:\n        yield [pyRTOS.timeout(10)]\n",
}


class Repl:
    def __init__(self, firmware):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(firmware, [firmware])
        self.out = b""

    def read_until(self, marker, timeout=10.0):
        end = time.monotonic() + timeout
        while marker not in self.out:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("no %r in output:\n%s" % (marker, self.out.decode(errors="replace")))
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.out += os.read(self.fd, 4096)
                except OSError:  # the firmware exited
                    raise EOFError("firmware exited before printing %r:\n%s" % (marker, self.out.decode(errors="replace")))
        head, _, self.out = self.out.partition(marker)
        return head.decode(errors="replace")

    def paste(self, code):
        # Paste mode (Ctrl-E ... Ctrl-D) enters a whole block at once.
        os.write(self.fd, b"\x05" + code.encode() + b"\x04")

    def close(self):
        os.write(self.fd, b"\x04")
        _, status = os.waitpid(self.pid, 0)
        return status


def case(firmware, name):
    repl = Repl(firmware)
    repl.read_until(b">>> ")
    repl.paste("import pyRTOS\n" + PROGRAMS[name] + "pyRTOS.add_task(pyRTOS.Task(t))\npyRTOS.start()\n")
    repl.read_until(b"running")
    # Most likely in the idle sleep by then, for the sleeping task; the
    # outcome must be the same wherever in start() the signal lands.
    time.sleep(0.1)
    os.kill(repl.pid, signal.SIGINT)
    repl.read_until(b"KeyboardInterrupt")
    repl.read_until(b">>> ")
    repl.paste("print('after', 40 + 2, len(pyRTOS.tasks))\n")
    repl.read_until(b"after 42 1")
    repl.read_until(b">>> ")
    # start() runs again, with a fresh task alone (the interrupted one may
    # still be a busy task holding the CPU, if the signal came between two
    # yields), until SIGINT again.
    repl.paste("pyRTOS.tasks.clear()\npyRTOS.add_task(pyRTOS.Task(t))\npyRTOS.start()\n")
    repl.read_until(b"running")
    time.sleep(0.1)
    os.kill(repl.pid, signal.SIGINT)
    repl.read_until(b"KeyboardInterrupt")
    repl.read_until(b">>> ")
    status = repl.close()
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
    print("pass sigint", name)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--micropython", required=True)
    firmware = os.path.abspath(ap.parse_args().micropython)
    for name in PROGRAMS:
        case(firmware, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
