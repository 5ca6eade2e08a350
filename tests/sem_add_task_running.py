# add_task() during start(): from a task (setup runs at once; a better priority runs next, an equal one waits, stably) and from a service routine (runs in that same loop); pyRTOS.tasks is live.
import pyRTOS

P = [0]
live = pyRTOS.tasks
def service():
    P[0] += 1
    if P[0] == 6:
        print("service routine adds sr at pass 6")
        pyRTOS.add_task(pyRTOS.Task(simple, priority=0, name="sr"))
pyRTOS.add_service_routine(service)

def names():
    return " ".join("%s/%d" % (t.name, t.priority) for t in pyRTOS.tasks)

def simple(self):
    print("setup", self.name, "at pass", P[0])
    yield
    print(self.name, "runs at pass", P[0])

def parent(self):
    yield
    print("parent adds eq (same priority) and hi (better priority)")
    pyRTOS.add_task(pyRTOS.Task(simple, priority=5, name="eq"))
    pyRTOS.add_task(pyRTOS.Task(simple, priority=2, name="hi"))
    print("tasks:", names())
    yield
    print("parent runs again at pass", P[0])
    yield
    print("parent adds eq2 (same priority), then blocks")
    pyRTOS.add_task(pyRTOS.Task(simple, priority=5, name="eq2"))
    print("tasks:", names())
    yield [pyRTOS.delay(4)]
    print("parent back at pass", P[0], "tasks:", names())

pyRTOS.add_task(pyRTOS.Task(parent, priority=5, name="parent"))
pyRTOS.add_task(pyRTOS.Task(simple, priority=7, name="late"))
print("before start:", names())
pyRTOS.start()
print("after start: live list is pyRTOS.tasks", live is pyRTOS.tasks, "len", len(pyRTOS.tasks))
