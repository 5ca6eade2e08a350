# A task's setup code (run by add_task() up to the first yield) that adds the task itself: the outer add_task() raises ValueError as for any second add, and the task is in pyRTOS.tasks once and runs once.
import pyRTOS
from errcheck import check, fresh


def adds_itself(self):
    pyRTOS.add_task(self)
    yield
    print("adds_itself runs")


t = pyRTOS.Task(adds_itself, name="self_adder")
check("add_task from its own setup code", lambda: pyRTOS.add_task(t))
print("tasks:", [x.name for x in pyRTOS.tasks])
pyRTOS.start()
print("tasks after start():", pyRTOS.tasks)
fresh("after it:")
