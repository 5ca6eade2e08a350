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
# No splitlines(): 4097 more strings would not fit in a board's heap.
first = text.find("\n") + 1
print(text.count("\n"), text[first:text.find("\n", first) - 4], text[text.rfind("\n", 0, -1) + 1:-5])
text = None
pyRTOS.start(scheduler=pyRTOS.round_robin_scheduler)
s = pyRTOS.stats()
print(len(s["tasks"]), s["switches"] >= 8192)
