# start() can be called again after it returns and after a task raised (the other tasks resume where they were); service routines stay registered; an exception in a user condition propagates too.
import pyRTOS

sr_calls = [0]
def service():
    sr_calls[0] += 1
pyRTOS.add_service_routine(service)

def steps(n):
    def body(self):
        yield
        for i in range(n):
            print(self.name, i)
            yield
    return body

pyRTOS.add_task(pyRTOS.Task(steps(2), priority=1, name="first"))
pyRTOS.start()
print("first start returned, service routine ran:", sr_calls[0] > 0)
n = sr_calls[0]
pyRTOS.add_task(pyRTOS.Task(steps(2), priority=1, name="second"))
pyRTOS.start()
print("second start returned, service routine still runs:", sr_calls[0] > n)

def bad(self):
    yield
    print("bad runs once")
    yield [pyRTOS.delay(2)]
    raise RuntimeError("bad failed")

pyRTOS.add_task(pyRTOS.Task(bad, priority=1, name="bad"))
pyRTOS.add_task(pyRTOS.Task(steps(6), priority=2, name="counter"))
try:
    pyRTOS.start()
except RuntimeError as e:
    print("start raised:", e)
pyRTOS.start()
print("restarted after the exception")

def broken():
    yield False
    raise ValueError("in a user condition")

def waiter(self):
    yield
    yield [broken()]
    print("never here")

pyRTOS.add_task(pyRTOS.Task(waiter, priority=1, name="waiter"))
try:
    pyRTOS.start()
except ValueError as e:
    print("start raised ValueError from the condition:", e)
