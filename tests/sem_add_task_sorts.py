# add_task() appends the task, then sorts pyRTOS.tasks by priority, stably, as
# the original does: a list rotated by hand (a user scheduler written for the
# original does that for round robin), or holding a task whose priority was
# changed since, is in priority order again afterwards.
import pyRTOS


def body(self):
    yield


def names():
    return [(t.name, t.priority) for t in pyRTOS.tasks]


for name, priority in (("a", 5), ("b", 6), ("c", 6), ("d", 7)):
    pyRTOS.add_task(pyRTOS.Task(body, priority, name))
print("added:", names())
pyRTOS.tasks.append(pyRTOS.tasks.pop(0))
pyRTOS.tasks.append(pyRTOS.tasks.pop(0))
print("rotated by hand:", names())
pyRTOS.add_task(pyRTOS.Task(body, 6, "e"))
print("after add_task(e):", names())
pyRTOS.tasks[0].priority = 10
print("a set to 10:", names())
pyRTOS.add_task(pyRTOS.Task(body, 8, "f"))
print("after add_task(f):", names())
pyRTOS.start()
print("all ran:", names())
