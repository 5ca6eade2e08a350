# BinarySemaphore: a queued waiter takes it during the pass after unlock(); until then nb_lock() by a running task still succeeds (it does not look at the queue).
import pyRTOS

P = [0]
def count_pass():
    P[0] += 1
pyRTOS.add_service_routine(count_pass)

s = pyRTOS.BinarySemaphore()

def holder(self):
    yield
    print("holder nb_lock", s.nb_lock(self))
    yield [pyRTOS.delay(3)]
    s.unlock()
    print("holder unlocked at pass", P[0], "; nb_lock right away:", s.nb_lock(self))
    s.unlock()
    print("holder unlocked again and stays ready")
    yield
    print("holder at pass", P[0], "nb_lock:", s.nb_lock(self))

def waiter(self):
    yield
    print("waiter requests at pass", P[0])
    yield [s.lock(self)]
    print("waiter runs with the semaphore at pass", P[0])
    s.unlock()

pyRTOS.add_task(pyRTOS.Task(holder, priority=1, name="holder"))
pyRTOS.add_task(pyRTOS.Task(waiter, priority=2, name="waiter"))
pyRTOS.start()
