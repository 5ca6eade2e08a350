# start(idle_ms=N) with N too large for N * 1000 microseconds in 64 bits sleeps like any large N (until the next timeout) instead of wrapping to a tiny cap and spinning: a service routine is called a handful of times while a task waits 0.2 s, not thousands.
import pyRTOS
from errcheck import check

calls = [0]


def routine():
    calls[0] += 1


pyRTOS.add_service_routine(routine)


def waits(self):
    yield
    yield [pyRTOS.timeout(0.2)]


for label, idle_ms in (("10**4", 10**4), ("2**61", 2**61), ("2**62 + 1", 2**62 + 1), ("2**63 - 1", 2**63 - 1)):
    calls[0] = 0
    pyRTOS.add_task(pyRTOS.Task(waits, name="waits"))
    pyRTOS.start(idle_ms=idle_ms)
    print("idle_ms=%s: few service routine calls:" % label, calls[0] < 100)

check("idle_ms=-1", lambda: pyRTOS.start(idle_ms=-1))
