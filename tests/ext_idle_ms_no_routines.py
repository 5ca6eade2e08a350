# start(idle_ms=N) bounds the sleeps between two calls of the service
# routines; with none registered it changes nothing: the loop sleeps until the
# next timeout even with idle_ms=0, instead of spinning (which made 222,000
# passes in 0.2 s here; a sleeping loop makes a handful, or some 10,000 where
# waits under a millisecond return at once, as CircuitPython's).
import pyRTOS


def waits(self):
    yield
    yield [pyRTOS.timeout(0.2)]


for idle_ms in (None, 0, 50):
    pyRTOS.add_task(pyRTOS.Task(waits))
    before = pyRTOS.stats()["passes"]
    pyRTOS.start(idle_ms=idle_ms)
    passes = pyRTOS.stats()["passes"] - before
    print("idle_ms", idle_ms, "slept:", passes < 50000)
