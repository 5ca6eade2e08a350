# BinarySemaphore: a lock request abandoned (another condition fired first, or the task was suspended/resumed) leaves the wait queue at once and does not block later requesters.
# (SPEC section 3: the original gets this only on CPython, where the abandoned generator is finalized at once; this .exp follows the SPEC.)
import pyRTOS

P = [0]
def count_pass():
    P[0] += 1
pyRTOS.add_service_routine(count_pass)

s = pyRTOS.BinarySemaphore()
unlocked_at = [None]

def holder(self):
    yield
    print("holder nb_lock", s.nb_lock(self))
    yield [pyRTOS.delay(10)]
    print("holder suspends and resumes c")
    c.suspend()
    c.resume()
    yield [pyRTOS.delay(1)]
    print("holder unlocks")
    s.unlock()
    unlocked_at[0] = P[0]
    yield [pyRTOS.delay(5)]

def a_fn(self):
    yield
    print("a requests with a 2-cycle timeout")
    yield [s.lock(self), pyRTOS.delay(2)]
    print("a gave up, semaphore free:", s.nb_lock(self))

def c_fn(self):
    yield
    yield [pyRTOS.delay(0)]
    print("c requests")
    yield [s.lock(self)]
    print("c runs again without the lock, nb_lock:", s.nb_lock(self))

def b_fn(self):
    yield
    yield [pyRTOS.delay(1)]
    print("b requests")
    yield [s.lock(self)]
    print("b acquired", P[0] - unlocked_at[0], "pass after the unlock")
    s.unlock()

c = pyRTOS.Task(c_fn, priority=3, name="c")
pyRTOS.add_task(pyRTOS.Task(holder, priority=1, name="holder"))
pyRTOS.add_task(pyRTOS.Task(a_fn, priority=2, name="a"))
pyRTOS.add_task(c)
pyRTOS.add_task(pyRTOS.Task(b_fn, priority=4, name="b"))
pyRTOS.start()
print("free at the end:", s.nb_lock(c))
