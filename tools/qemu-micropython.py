#!/usr/bin/env python3
"""Run a MicroPython program on the emulated MPS2_AN385 board, like the unix binary.

    micropython PROG.py [ARG...]     run PROG.py on a fresh board, print its output
    micropython -c CODE              run CODE
    micropython                      the board's REPL (Ctrl-A X leaves qemu)

`make firmware-qemu` installs this script as build/qemu/micropython, beside the
firmware.elf it boots (set MICROPY_QEMU_FIRMWARE to boot another one). Each run
starts qemu-system-arm, enters the raw REPL over the emulated UART (the same
protocol as MicroPython's tools/pyboard.py and tests/run-tests.py), sends the
program and copies what it prints to stdout; a traceback goes to stderr, with
the program's own file name. Modules the program imports from its folder (or
from MICROPYPATH) are served to the board from memory, so `import helper` works.

Exit status: 0 when the program ends normally, 1 on an uncaught exception or
when the board stops, N for SystemExit(N), 124 when it runs longer than
MICROPY_QEMU_TIMEOUT seconds (default 600).
"""
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIRMWARE = os.environ.get("MICROPY_QEMU_FIRMWARE", os.path.join(HERE, "firmware.elf"))
QEMU = os.environ.get("QEMU_SYSTEM_ARM", "qemu-system-arm")
QEMU_ARGS = ["-machine", "mps2-an385", "-nographic", "-semihosting"]
TIMEOUT = float(os.environ.get("MICROPY_QEMU_TIMEOUT", "600"))
BOOT_TIMEOUT = 30.0
EXIT_MARK = b"\x06"  # precedes a SystemExit code at the end of the program's output


class BoardError(Exception):
    pass


def die_with_parent():
    # The runners kill this wrapper on their own timeouts; qemu must not
    # outlive it (PR_SET_PDEATHSIG = 1).
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)
    except Exception:
        pass


class Board:
    """qemu running the firmware, its UART on stdin/stdout.

    The emulated UART holds one received byte and does not tell qemu when the
    program takes it, so the next byte waits until qemu's main loop wakes for
    another reason, sometimes a whole second. While the board waits for input,
    each 20 ms of silence is answered with an empty line to qemu's monitor
    (on a socket pair), which wakes that loop."""

    def __init__(self):
        self.monitor, theirs = socket.socketpair()
        self.errors = tempfile.TemporaryFile()  # what qemu itself says, shown if it stops
        self.proc = subprocess.Popen(
            [QEMU] + QEMU_ARGS + ["-chardev", "socket,id=mon,fd=%d" % theirs.fileno(),
                                  "-mon", "chardev=mon,mode=readline",
                                  "-serial", "stdio", "-kernel", FIRMWARE],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
            pass_fds=[theirs.fileno()], preexec_fn=die_with_parent)
        theirs.close()
        self.buf = b""
        self.input_pending = False

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.monitor.close()

    def write(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        self.input_pending = True

    def _fill(self, deadline):
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            wait = min(left, 0.02) if self.input_pending else left
            ready, _, _ = select.select([self.proc.stdout, self.monitor], [], [], wait)
            if self.monitor in ready:
                if not self.monitor.recv(4096):  # the monitor's prompts: not needed
                    raise BoardError("the board stopped")
            if self.proc.stdout in ready:
                break
            if not ready and self.input_pending:
                self.monitor.send(b"\n")
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            raise BoardError("the board stopped")
        self.buf += data

    def read_until(self, marker, deadline, sink=None):
        """Bytes up to `marker` (dropped); with `sink`, passes them on as they come."""
        while True:
            i = self.buf.find(marker)
            if i >= 0:
                out, self.buf = self.buf[:i], self.buf[i + len(marker):]
                if sink:
                    sink(out, True)
                    return b""
                return out
            if sink:
                # Keep back what could be the start of the marker or of "\r\n".
                keep = len(marker) - 1 + 1
                if len(self.buf) > keep:
                    sink(self.buf[:-keep], False)
                    self.buf = self.buf[-keep:]
            self._fill(deadline)

    def raw_exec(self, code, deadline, sink=None):
        """Runs `code` through the raw REPL's raw-paste mode, in which the board
        compiles the code as it streams in (nothing buffers all of it) and asks
        for each next window of bytes; returns (output, error output)."""
        self.write(b"\x05A\x01")
        while len(self.buf) < 2:
            self._fill(deadline)
        answer, self.buf = self.buf[:2], self.buf[2:]
        if answer != b"R\x01":
            raise BoardError("the board's raw REPL has no raw-paste mode")
        while len(self.buf) < 2:
            self._fill(deadline)
        window = self.buf[0] | self.buf[1] << 8
        self.buf = self.buf[2:]
        remain, i = window, 0
        while i < len(code):
            while remain == 0 or self.buf:
                if not self.buf:
                    self._fill(deadline)
                c, self.buf = self.buf[:1], self.buf[1:]
                if c == b"\x01":
                    remain += window
                elif c == b"\x04":
                    self.write(b"\x04")
                    raise BoardError("the board ended the raw paste early")
                else:
                    raise BoardError("unexpected %r from the board during raw paste" % c)
            chunk = code[i:i + remain]
            self.write(chunk)
            remain -= len(chunk)
            i += len(chunk)
        self.write(b"\x04")
        self.read_until(b"\x04", deadline)  # the board's end-of-data acknowledgement
        self.input_pending = False
        out = self.read_until(b"\x04", deadline, sink)
        err = self.read_until(b"\x04", deadline)
        self.read_until(b">", deadline)
        return out, err


class Stdout:
    """Passes the program's output on, as unix line ends, holding back an exit mark."""

    def __init__(self):
        self.pending = b""
        self.exit_code = None
        self.marked = False

    def __call__(self, data, last):
        data = self.pending + data
        self.pending = b""
        if not self.marked:
            i = data.find(EXIT_MARK)
            if i >= 0:
                self.marked = True
                self.pending = data[i:]
                data = data[:i]
        else:
            self.pending = data
            data = b""
        if not last and data.endswith(b"\r"):
            self.pending = b"\r" + self.pending
            data = data[:-1]
        if data:
            sys.stdout.buffer.write(data.replace(b"\r\n", b"\n"))
            sys.stdout.buffer.flush()
        if last and self.marked:
            m = re.match(rb"\x06(-?\d+)", self.pending)
            self.exit_code = int(m.group(1)) if m else 1


def local_modules(source, dirs):
    """{folder: {path in folder: bytes}} for the modules `source` imports from
    `dirs` (the first folder that has one wins), and the modules those import."""
    found = {}
    todo = [source]
    seen = set()
    while todo:
        text = todo.pop().decode("utf-8", "replace")
        names = set()
        for m in re.finditer(r"^[ \t]*import[ \t]+([\w., \t]+)", text, re.M):
            names.update(n.split()[0].split(".")[0] for n in m.group(1).split(",") if n.split())
        for m in re.finditer(r"^[ \t]*from[ \t]+(\w+)", text, re.M):
            names.add(m.group(1))
        for name in sorted(names - seen):
            seen.add(name)
            for d in dirs:
                if os.path.isfile(os.path.join(d, name + ".py")):
                    paths = [name + ".py"]
                elif os.path.isfile(os.path.join(d, name, "__init__.py")):
                    paths = [os.path.relpath(os.path.join(root, n), d).replace(os.sep, "/")
                             for root, _, ns in os.walk(os.path.join(d, name)) for n in ns
                             if n.endswith(".py")]
                else:
                    continue
                for rel in paths:
                    with open(os.path.join(d, rel), "rb") as f:
                        found.setdefault(d, {})[rel] = f.read()
                    todo.append(found[d][rel])
                break
    return found


# Runs in the raw REPL before the program: serves local modules from memory
# (a user VFS, as tests/run-tests.py does, mounted at each folder's own path, so
# tracebacks name the files as on unix), puts those folders first on sys.path
# as unix does, sets sys.argv, and defines _pyrtos_run,
# which compiles the program under its own file name, runs it in __main__'s
# globals and reports SystemExit's code after an EXIT_MARK.
PRELUDE = """\
import sys, io, vfs
class _PyrtosFS:
    def __init__(self, files):
        self.files = files
        self.BytesIO = io.BytesIO
    def mount(self, readonly, mkfs):
        pass
    def umount(self):
        pass
    def _name(self, path):
        return path.lstrip('/')
    def stat(self, path):
        p = self._name(path)
        if p in self.files:
            return (0x8000, 0, 0, 0, 0, 0, len(self.files[p]), 0, 0, 0)
        if p == '' or any(f.startswith(p + '/') for f in self.files):
            return (0x4000, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        raise OSError(2)
    def ilistdir(self, path):
        p = self._name(path)
        p = p + '/' if p else ''
        return iter([(f[len(p):], 0x8000, 0, len(d)) for f, d in self.files.items()
                     if f.startswith(p) and '/' not in f[len(p):]])
    def open(self, path, mode):
        p = self._name(path)
        if p not in self.files:
            raise OSError(2)
        return self.BytesIO(self.files[p])
_pyrtos_files = {files}
for d in _pyrtos_files:
    vfs.mount(_PyrtosFS(_pyrtos_files[d]), d)
sys.path[:0] = {path!r}
sys.argv[:] = {argv!r}
_pyrtos_src = {source}
def _pyrtos_run(name):
    g = globals()
    src = g.pop('_pyrtos_src')
    for k in ('_pyrtos_run', '_PyrtosFS', '_pyrtos_files', 'sys', 'io', 'vfs'):
        g.pop(k, None)
    g['__file__'] = name
    code = compile(src, name, 'exec')
    src = None
    try:
        exec(code, g)
    except SystemExit as e:
        c = e.args[0] if e.args else None
        c = 0 if c is None else c if isinstance(c, int) else 1
        print({mark!r} + str(c), end='')
"""


def strip_runner_frames(err):
    """The traceback without the frames of the runner's own code (in "<stdin>")."""
    return b"\n".join(line for line in err.split(b"\n") if not line.startswith(b'  File "<stdin>"'))


def run(source, name, argv, search):
    files = local_modules(source, search)
    prelude = PRELUDE.format(files=repr(files), path=search, argv=argv, source=repr(source),
                             mark=EXIT_MARK.decode())
    board = Board()
    try:
        deadline = time.monotonic() + BOOT_TIMEOUT
        board.read_until(b">>> ", deadline)
        board.write(b"\r\x01")
        board.read_until(b"raw REPL; CTRL-B to exit\r\n>", deadline)
        board.input_pending = False
        out, err = board.raw_exec(prelude.encode(), deadline)
        if out or err:
            raise BoardError("the runner's set-up failed on the board:\n"
                             + (out + err).decode("utf-8", "replace"))
        # The program went in with the prelude, as a bytes literal; it is compiled
        # on the board and dropped before it runs.
        stdout = Stdout()
        deadline = time.monotonic() + TIMEOUT
        _, err = board.raw_exec(b"_pyrtos_run(" + repr(name).encode() + b")", deadline, stdout)
        if err:
            sys.stdout.flush()
            sys.stderr.buffer.write(strip_runner_frames(err.replace(b"\r\n", b"\n")))
            sys.stderr.flush()
            return 1
        return stdout.exit_code or 0
    except TimeoutError:
        sys.stdout.flush()
        sys.stderr.write("%s: timed out on the emulated board\n" % name)
        return 124
    except BoardError as e:
        rest = board.buf.replace(b"\r\n", b"\n")
        sys.stdout.flush()
        sys.stderr.buffer.write(rest)
        sys.stderr.write("\n%s\n" % e)
        board.close()
        board.errors.seek(0)
        sys.stderr.buffer.write(board.errors.read())
        return 1
    finally:
        board.close()


def main(args):
    if not os.path.isfile(FIRMWARE):
        sys.stderr.write("micropython (qemu): no firmware at %s; run make firmware-qemu\n" % FIRMWARE)
        return 1
    while args and args[0].startswith("-X"):  # unix heap/emit options: not applicable
        args = args[2:] if args[0] == "-X" else args[1:]
    search = [d for d in os.environ.get("MICROPYPATH", "").split(os.pathsep) if d]
    if not args:
        os.execvp(QEMU, [QEMU] + QEMU_ARGS + ["-serial", "mon:stdio", "-kernel", FIRMWARE])
    if args[0] == "-c":
        if len(args) < 2:
            sys.stderr.write("micropython: -c needs an argument\n")
            return 2
        return run(args[1].encode(), "<stdin>", ["-c"] + args[2:], [os.getcwd()] + search)
    path = args[0]
    try:
        with open(path, "rb") as f:
            source = f.read()
    except OSError as e:
        sys.stderr.write("micropython: can't open file '%s': [Errno %d] %s\n" % (path, e.errno, e.strerror))
        return 2
    return run(source, path, args, [os.path.dirname(os.path.realpath(path))] + search)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
