# start(idle_ms=N) with N too large for N * 1000 microseconds in 64 bits sleeps like any large N (until the next timeout) instead of wrapping to a tiny cap and spinning: a service routine is called about as often as with idle_ms=10**4 while a task waits 0.2 s, not hundreds of thousands of times.
import sys

import pyRTOS
from errcheck import check

calls = [0]


def routine():
    calls[0] += 1


pyRTOS.add_service_routine(routine)


def waits(self):
    yield
    yield [pyRTOS.timeout(0.2)]


def routine_calls(idle_ms):
    calls[0] = 0
    pyRTOS.add_task(pyRTOS.Task(waits, name="waits"))
    pyRTOS.start(idle_ms=idle_ms)
    return calls[0]


# How often the loop wakes while it may sleep depends on the port (on a board
# every tick interrupt may end a sleep): each huge idle_ms is compared with a
# plain 10 s one in the same run.
plain = routine_calls(10**4)
# The largest machine ints: on a 64-bit port sys.maxsize // 4 + 1 is 2**61,
# whose N * 1000 wrapped to 0.
for label, idle_ms in (("sys.maxsize // 4 + 1", sys.maxsize // 4 + 1), ("sys.maxsize // 2 + 3", sys.maxsize // 2 + 3), ("sys.maxsize", sys.maxsize)):
    print("idle_ms=%s: no more service routine calls than with 10 s:" % label, routine_calls(idle_ms) <= 2 * plain + 10)

check("idle_ms=-1", lambda: pyRTOS.start(idle_ms=-1))
