# A BinarySemaphore request that its task first looks at with next() and then
# yields keeps its place in the queue: A asks first, so A gets the semaphore
# before B, which asked later (as in the original).
import pyRTOS
sem = pyRTOS.BinarySemaphore()
loop = [0]
def tick(): loop[0] += 1
pyRTOS.add_service_routine(tick)
def h(self):
    yield
    sem.nb_lock(self)
    yield [pyRTOS.delay(6)]
    print(loop[0], "h unlocks")
    sem.unlock()
def a(self):
    yield
    c = sem.lock(self)
    print(loop[0], "a asks, next() ->", next(c))
    yield [c]
    print(loop[0], "a got it"); sem.unlock()
def b(self):
    yield
    yield [pyRTOS.delay(3)]
    print(loop[0], "b asks")
    yield [sem.lock(self)]
    print(loop[0], "b got it"); sem.unlock()
pyRTOS.add_task(pyRTOS.Task(h, 1, "h"))
pyRTOS.add_task(pyRTOS.Task(a, 3, "a"))
pyRTOS.add_task(pyRTOS.Task(b, 2, "b"))
pyRTOS.start()
