# Found by the fuzzer (seeds 20 64 77 163 168 ... of the default run); fixed in
# the firmware by d13d49d; kept as a regression check (run.py compares every
# program here, model against firmware).
#
# A BinarySemaphore request made through next() inside a user condition must be
# abandoned when that user condition is dropped (its task woke through another
# condition). README: "A request abandoned (another condition fired first, ...)
# leaves the queue at once". Before the fix the stale request stayed at the head
# of the queue, so `c` never got the semaphore, although the holder unlocked it
# at pass 7 and `a` (whose request it was) stopped waiting on it at pass 5 and
# finished at pass 26.
#
# Expected (model; the original pyRTOS on CPython prints the same): c gets the
# semaphore at pass 8. Firmware before d13d49d: c waited forever ("stopped").
import pyRTOS
P = [0]
def count():
    P[0] += 1
    if P[0] > 40:
        raise KeyboardInterrupt
pyRTOS.add_service_routine(count)
s = pyRTOS.BinarySemaphore()

def both(conds):                  # a user condition combining built-in ones
    while True:
        yield all(next(c) for c in conds)

def holder(self):
    print("holder takes s:", s.nb_lock(self))
    yield
    yield [pyRTOS.delay(5)]
    s.unlock()
    print("holder unlocks at pass", P[0])

def a(self):
    yield
    yield [both([s.lock(self)]), pyRTOS.delay(2)]   # gives up after 2 passes
    print("a gave up at pass", P[0])
    yield [pyRTOS.delay(20)]                      # blocked on something else
    print("a wakes at pass", P[0])

def c(self):
    yield
    yield [pyRTOS.delay(2)]
    print("c requests s at pass", P[0])
    yield [s.lock(self)]
    print("c got s at pass", P[0])

pyRTOS.add_task(pyRTOS.Task(holder, priority=1, name="holder"))
pyRTOS.add_task(pyRTOS.Task(a, priority=2, name="a"))
pyRTOS.add_task(pyRTOS.Task(c, priority=3, name="c"))
try:
    pyRTOS.start()
except KeyboardInterrupt:
    print("stopped")
