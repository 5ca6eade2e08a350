# Non-Task objects put into pyRTOS.tasks by hand make start() raise a TypeError (no crash); once removed, start() runs again; a Task appended by hand without initialize() raises naming it.
import pyRTOS
from errcheck import Watchdog

dog = Watchdog()


def run(label, fn=pyRTOS.start):
    # A stuck start() leaves the task list as it is, to be printed.
    dog.run(label, fn, clear_if_stuck=False)


def named(n, steps=2):
    def body(self):
        yield
        for i in range(steps):
            yield [pyRTOS.delay(1)]
        print("  ", n, "done")
    return pyRTOS.Task(body, name=n)


pyRTOS.add_task(named("a"))
pyRTOS.tasks.append(42)
run("start() with an int in the list")
print("  list:", [getattr(t, "name", t) for t in pyRTOS.tasks])
run("add_task() with an int in the list", lambda: pyRTOS.add_task(named("b")))
pyRTOS.tasks.insert(0, None)
run("start() with None first in the list")
pyRTOS.tasks.remove(42)
pyRTOS.tasks.remove(None)
run("start() after removing them")
print("  list:", pyRTOS.tasks)

# A Task appended by hand without being initialized.
raw = named("raw")
pyRTOS.tasks.append(raw)
run("start() with an uninitialized task appended by hand")
pyRTOS.tasks.remove(raw)
pyRTOS.add_task(named("fresh"))
run("start() after removing it")
print("  list:", pyRTOS.tasks)

# A Task appended by hand after initialize() runs like an added one.
t = named("by_hand")
t.initialize()
pyRTOS.tasks.append(t)
run("start() with an initialized task appended by hand")
print("  list:", pyRTOS.tasks)
