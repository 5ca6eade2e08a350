# stats(), task_list() and round_robin_scheduler with bad input: clear errors,
# and the scheduler stays usable.
import pyRTOS
from errcheck import check, fresh, gen

check("stats(1)", lambda: pyRTOS.stats(1))
check("task_list(1)", lambda: pyRTOS.task_list(1))
check("round_robin_scheduler(None)", lambda: pyRTOS.round_robin_scheduler(None))
check("round_robin_scheduler([42])", lambda: pyRTOS.round_robin_scheduler([42]))
check("start(stats=True, bogus=1)", lambda: pyRTOS.start(stats=True, bogus=1))
check("start(scheduler=round_robin_scheduler, stats=1) with no task",
      lambda: pyRTOS.start(scheduler=pyRTOS.round_robin_scheduler, stats=1))

pyRTOS.tasks.append("junk")
check("stats() with a str in pyRTOS.tasks", pyRTOS.stats)
check("task_list() with a str in pyRTOS.tasks", pyRTOS.task_list)
pyRTOS.tasks.remove("junk")


class BadName:
    def __str__(self):
        raise ValueError("no name")


pyRTOS.add_task(pyRTOS.Task(gen, name=BadName()))
check("task_list() with a name whose str() raises", pyRTOS.task_list)
check("stats() with that name", lambda: len(pyRTOS.stats()["tasks"]))


# A name whose str() empties the task list while task_list() prints it.
class Emptier:
    def __str__(self):
        pyRTOS.tasks.clear()
        return "emptier"


pyRTOS.tasks.clear()
for i in range(3):
    pyRTOS.add_task(pyRTOS.Task(gen, name=Emptier()))
# (the time column masked: earlier runs may or may not have measured a microsecond)
check("task_list() while a name empties the list",
      lambda: [line[:-4] for line in pyRTOS.task_list().splitlines()], True)

# A task that raises inside start(stats=True): timing stops, start() runs again.
def bad(self):
    yield
    raise OSError("task failed")


pyRTOS.add_task(pyRTOS.Task(bad, name="bad"))
check("start(stats=True) with a failing task", lambda: pyRTOS.start(stats=True))
t0 = pyRTOS.stats()["time_us"]
check("time_us stops growing after start() raised", lambda: pyRTOS.stats()["time_us"] == t0, True)
fresh("after the errors")
