# Found by the fuzzer (seed 502539); fixed in the firmware by the commit that
# added this file; kept as a regression check (run.py compares every program
# here, model against firmware).
#
# A BinarySemaphore request made through next() inside a user condition, at
# the head of the queue, is abandoned when that user condition ends (its task
# leaves the list and start() raises). `c`, queued behind it, was last
# evaluated in the pass where the request still counted as live (the holder
# had just unlocked); nothing told it afterwards that the request was gone,
# so it waited for ever although the semaphore was free. Now a request queued
# behind a next()-driven one looks again every pass.
#
# Expected (model): c gets the semaphore at pass 9, in the second start().
# Firmware before the fix: c waited until the pass limit ("stopped").
import pyRTOS
P = [0]
def count():
    P[0] += 1
    if P[0] > 40:
        raise KeyboardInterrupt
pyRTOS.add_service_routine(count)
s = pyRTOS.BinarySemaphore()

def polls(conds, n):              # a user condition that ends after n polls
    for i in range(n):
        yield all(next(c) for c in conds)

def holder(self):
    print("holder takes s:", s.nb_lock(self))
    yield
    yield [pyRTOS.delay(2)]
    s.unlock()
    print("holder unlocks at pass", P[0])

def a(self):
    yield
    yield [polls([s.lock(self)], 5)]
    print("never")

def c(self):
    yield
    yield [pyRTOS.delay(1)]
    print("c requests s at pass", P[0])
    yield [s.lock(self)]
    print("c got s at pass", P[0])

pyRTOS.add_task(pyRTOS.Task(c, priority=1, name="c"))
pyRTOS.add_task(pyRTOS.Task(a, priority=2, name="a"))
pyRTOS.add_task(pyRTOS.Task(holder, priority=3, name="holder"))
for attempt in range(2):
    try:
        pyRTOS.start()
    except KeyboardInterrupt:
        print("stopped")
        break
    except Exception as e:
        print("start() raised", type(e).__name__, "at pass", P[0])
