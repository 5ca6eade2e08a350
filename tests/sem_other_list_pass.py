# A pass of default_scheduler() over another list that resumes a task of
# pyRTOS.tasks, while another task there is RUNNING, leaves that one RUNNING,
# as in the original: the next pass over pyRTOS.tasks resumes it.
import pyRTOS

loop = [0]


def a(self):
    yield
    for i in range(3):
        print(loop[0], "a", i)
        yield  # stays RUNNING


def b(self):
    yield
    print(loop[0], "b runs")
    yield [pyRTOS.delay(2)]
    print(loop[0], "b done")


A = pyRTOS.Task(a, 1, "a")
B = pyRTOS.Task(b, 2, "b")
pyRTOS.add_task(A)
pyRTOS.add_task(B)


def scheduler(tasks):
    loop[0] += 1
    if loop[0] == 2:
        messages = pyRTOS.default_scheduler([B])  # this pass looks at B only
        print(loop[0], "states:", [(t.name, t.state) for t in tasks])
        return messages
    return pyRTOS.default_scheduler(tasks)


pyRTOS.start(scheduler)
print("user scheduler done after", loop[0], "loops")

# The same between two start() calls: a runs once, stays RUNNING, then a pass
# over a list of its own runs g; start() goes on with a.
A = pyRTOS.Task(a, 1, "a")
pyRTOS.add_task(A)
pyRTOS.default_scheduler(pyRTOS.tasks)
g = pyRTOS.Task(b, 5, "g")
g.initialize()
pyRTOS.default_scheduler([g])
print("states:", [(t.name, t.state) for t in pyRTOS.tasks], g.state)
pyRTOS.start()
print("start() returned")
