# Setting task.state (or priority) to an invalid value raises and leaves the task as it was; valid manual state changes keep the scheduler consistent.
import pyRTOS
from errcheck import check


def body(self):
    yield
    for i in range(3):
        yield [pyRTOS.delay(1)]
    print("  ", self.name, "finished")


t = pyRTOS.Task(body, name="t", priority=5)
pyRTOS.add_task(t)
for value in (4, -1, 7, 255, 2 ** 40, "x", None, 1.0):
    check("t.state = %r" % (value,), lambda: setattr(t, "state", value))
print("state:", t.state)
for value in ("x", None, 2 ** 40, 1.5):
    check("t.priority = %r" % (value,), lambda: setattr(t, "priority", value))
print("priority:", t.priority)
check("del t.state", lambda: delattr(t, "state"))
check("t.thread = None", lambda: setattr(t, "thread", None))
check("t.func = None", lambda: setattr(t, "func", None))
print("thread is a generator:", type(t.thread).__name__)


# Valid changes by hand: suspend through the attribute, resume through it.
def controller(self):
    yield
    t.state = pyRTOS.SUSPENDED
    print("  t suspended by assignment, state", t.state)
    yield [pyRTOS.delay(3)]
    t.state = pyRTOS.READY
    print("  t made ready by assignment, state", t.state)


pyRTOS.add_task(pyRTOS.Task(controller, name="controller", priority=1))
pyRTOS.start()
print("tasks left:", len(pyRTOS.tasks))


# A Task put in the list by hand, never initialized, then made RUNNING by
# hand while another task only yields: the loop's yield shortcut must raise
# what a full pass raises, naming the task.
def body(self):
    yield
    print("  raw ran")


raw = pyRTOS.Task(body, name="raw")


def spinner(self):
    yield
    pyRTOS.tasks.append(raw)
    yield
    raw.state = pyRTOS.RUNNING
    yield
    print("  spinner done")


pyRTOS.add_task(pyRTOS.Task(spinner, name="spinner"))
check("raw made RUNNING by hand", pyRTOS.start)
pyRTOS.tasks.remove(raw)
check("start() after removing it", pyRTOS.start)
print("tasks left:", len(pyRTOS.tasks))
