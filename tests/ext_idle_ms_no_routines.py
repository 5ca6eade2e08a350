# start(idle_ms=N) bounds the sleeps between two calls of the service
# routines; with none registered it changes nothing: the loop sleeps until the
# next timeout even with idle_ms=0, instead of spinning (which would make
# hundreds of thousands of passes in 0.2 s; a sleeping loop makes a handful).
import pyRTOS


def waits(self):
    yield
    yield [pyRTOS.timeout(0.2)]


for idle_ms in (None, 0, 50):
    pyRTOS.add_task(pyRTOS.Task(waits))
    before = pyRTOS.stats()["passes"]
    pyRTOS.start(idle_ms=idle_ms)
    passes = pyRTOS.stats()["passes"] - before
    print("idle_ms", idle_ms, "slept:", passes < 100)
