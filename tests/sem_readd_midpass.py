# A task removed by hand and added again during a pass (by another task's user
# condition), after it was evaluated in that pass, is not evaluated a second
# time in it: its user condition is polled once per pass, as in the original.
import pyRTOS
n = [0]
def cond1():
    while True:
        n[0] += 1
        print("  cond1 polled", n[0])
        yield n[0] >= 4
def cond2():
    done = False
    while True:
        if not done:
            done = True
            print("  t2 re-adds t1")
            pyRTOS.tasks.remove(T1)
            pyRTOS.add_task(T1)
        yield True
def f1(self):
    yield
    yield [cond1()]
    print("t1 woke")
def f2(self):
    yield
    yield [cond2()]
    print("t2 woke")
T1 = pyRTOS.Task(f1, 1, "t1")
T2 = pyRTOS.Task(f2, 1, "t2")
pyRTOS.add_task(T1)
pyRTOS.add_task(T2)
k = [0]
def sched(tasks):
    k[0] += 1
    print("pass", k[0])
    return pyRTOS.default_scheduler(tasks)
pyRTOS.start(sched)
