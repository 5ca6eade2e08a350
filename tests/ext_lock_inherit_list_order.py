# add_task() sorts pyRTOS.tasks by the priority each task was given: a
# priority-inheritance loan (low holds the mutex high waits for, so low runs
# at priority 1) does not move the owner in the list, which stays in order
# once the loan ends.
import pyRTOS
m = pyRTOS.Mutex(inherit=True)
def low(self):
    m.nb_lock(self)
    yield
    for i in range(3):
        yield
    pyRTOS.add_task(pyRTOS.Task(idle, 9, "new"))
    print("during loan", [(t.name, t.priority) for t in pyRTOS.tasks])
    m.unlock()
    yield
    print("after loan", [(t.name, t.priority) for t in pyRTOS.tasks])
def high(self):
    yield
    yield [m.lock(self)]
    m.unlock()
def mid(self):
    yield
    yield [pyRTOS.timeout(0.05)]
def idle(self):
    yield
L = pyRTOS.Task(low, 5, "low"); pyRTOS.add_task(L)
pyRTOS.add_task(pyRTOS.Task(mid, 3, "mid"))
pyRTOS.add_task(pyRTOS.Task(high, 1, "high"))
print([(t.name, t.priority) for t in pyRTOS.tasks])
pyRTOS.start()
