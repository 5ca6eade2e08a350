"""How the test runners start the firmware under valgrind's memcheck.

MicroPython's GC scans the C stack and heap blocks conservatively, reading
words that were never written; those reads are by design, so undefined-value
reports are off. Every invalid read, write or free still makes valgrind exit
with MEMCHECK_ERROR.
"""
MEMCHECK_ERROR = 99
VALGRIND = ["valgrind", "--error-exitcode=%d" % MEMCHECK_ERROR, "--leak-check=no",
            "--undef-value-errors=no", "-q"]
