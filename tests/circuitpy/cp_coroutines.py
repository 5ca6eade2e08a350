# Emulated CircuitPython build: there, `async def` functions return coroutine
# objects, a type of their own; pyRTOS takes them as task generators and as
# user conditions. circuitpy_emu.coroutine() turns a generator into one.
import pyRTOS
from circuitpy_emu import coroutine


def counting(self):
    print("setup of", self.name)
    yield
    for i in range(3):
        print(self.name, "step", i)
        yield


def ready_after(n):
    for _ in range(n):
        yield False
    while True:
        yield True


def waiting(self):
    yield
    yield [coroutine(ready_after(2))]
    print(self.name, "woke on a coroutine condition")


print(type(coroutine(counting(None))).__name__)
pyRTOS.add_task(pyRTOS.Task(lambda task: coroutine(counting(task)), priority=1, name="coro"))
pyRTOS.add_task(pyRTOS.Task(lambda task: coroutine(waiting(task)), priority=2, name="waiter"))
pyRTOS.start()
print("done")
