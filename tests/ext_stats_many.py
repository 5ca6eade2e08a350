# stats() and task_list() over 4096 tasks: Python objects on the heap, nothing
# on the stack per task.
import pyRTOS


def body(self):
    yield
    yield


for i in range(4096):
    pyRTOS.add_task(pyRTOS.Task(body, priority=i % 7, name=i))
s = pyRTOS.stats()
print(len(s["tasks"]), s["tasks"][0], s["tasks"][-1])
s = None
text = pyRTOS.task_list()
lines = text.splitlines()
print(len(lines), lines[1][:-4], lines[-1][:-4])
text = lines = None
pyRTOS.start(scheduler=pyRTOS.round_robin_scheduler)
s = pyRTOS.stats()
print(len(s["tasks"]), s["switches"] >= 8192)
