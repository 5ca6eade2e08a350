# Ties favour the running task only while it keeps running: once a better task preempts it, it is just READY and equal priorities go in list (insertion) order.
import pyRTOS

log = []

def worker(self):
    yield
    for i in range(4):
        log.append(self.name + str(i))
        yield

def high(self):
    yield
    yield [pyRTOS.delay(2)]      # wakes while b is running
    a.resume()
    log.append("H")

a = pyRTOS.Task(worker, priority=2, name="a")
pyRTOS.add_task(a)
pyRTOS.add_task(pyRTOS.Task(worker, priority=2, name="b"))
pyRTOS.add_task(pyRTOS.Task(high, priority=1, name="h"))
a.suspend()                      # so that b is the running task when h preempts it
pyRTOS.start()
print(" ".join(log))
