# Setting the priority of a task that holds a Mutex(inherit=True) a better task waits for: a base priority better than the loan ends the loan (as FreeRTOS's vTaskPrioritySet does); set worse again, the task gets the waiter's priority back at the next pass, so a busy medium-priority task still cannot starve it (no priority inversion).
import pyRTOS

m = pyRTOS.Mutex(inherit=True)


def low(self):
    yield
    yield [m.lock(self)]
    yield [pyRTOS.delay(6)]          # high starts waiting meanwhile
    print("low holds, lent", self.priority, "base", self.base_priority)
    self.priority = 0
    print("set 0:", self.priority, "base", self.base_priority)
    self.priority = 9
    print("set 9:", self.priority, "base", self.base_priority)
    yield
    print("low runs at", self.priority, "base", self.base_priority)
    for i in range(2):
        yield
        print("low working", i)
    m.unlock()
    print("low released at", self.priority)


def mid(self):
    yield
    yield [pyRTOS.delay(8)]
    for i in range(3):
        print("mid busy", i)
        yield


def high(self):
    yield
    yield [pyRTOS.delay(5)]
    yield [m.lock(self)]
    print("high got the lock")
    m.unlock()


pyRTOS.add_task(pyRTOS.Task(low, priority=9, name="low"))
pyRTOS.add_task(pyRTOS.Task(mid, priority=5, name="mid"))
pyRTOS.add_task(pyRTOS.Task(high, priority=1, name="high"))
pyRTOS.start()
