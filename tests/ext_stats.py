# pyRTOS.stats() and pyRTOS.task_list(): counters always, times with start(stats=True).
import pyRTOS

print(sorted(pyRTOS.stats().keys()))
print("no tasks:", repr(pyRTOS.task_list()))


def worker(self):
    yield
    for i in range(3):
        yield
    yield [pyRTOS.delay(1)]  # one wake-up
    s = pyRTOS.stats()  # from inside a task, while start() runs
    me = [t for t in s["tasks"] if t[0] == "worker"][0]
    name, priority, state, runs, run_us = me
    print("inside: state", state == pyRTOS.RUNNING, "runs", runs)
    print(pyRTOS.task_list().splitlines()[1][:-4])


def idler(self):
    yield
    yield [pyRTOS.timeout(0.01)]  # the loop sleeps meanwhile


def blocked(self):
    yield
    yield [pyRTOS.wait_for_notification(self)]


b = pyRTOS.Task(blocked, priority=9, name="blocked", notifications=1)
pyRTOS.add_task(pyRTOS.Task(worker, priority=1, name="worker"))
pyRTOS.add_task(b)
before = pyRTOS.stats()
print("before start:", before["passes"], before["wakeups"], before["switches"], len(before["tasks"]))
for t in before["tasks"]:
    print(t)


def notifier(self):
    yield
    yield [pyRTOS.delay(3)]
    b.notify_set_state(0, 1)


pyRTOS.add_task(pyRTOS.Task(notifier, priority=5, name="a name longer than sixteen"))
pyRTOS.start()
s = pyRTOS.stats()
print("untimed:", s["passes"], s["wakeups"], s["switches"], s["idle_us"], s["time_us"], s["tasks"])
print(pyRTOS.task_list(), end="")

# Times: only with stats=True. Task names that are not strings print with str().
t1 = pyRTOS.Task(worker, priority=1, name="worker")
pyRTOS.add_task(t1)
pyRTOS.add_task(pyRTOS.Task(idler, priority=2, name=42))
pyRTOS.start(stats=True)
s = pyRTOS.stats()
print("timed:", s["time_us"] > 0, s["idle_us"] <= s["time_us"], t1.runs)
# Alone, the idler leaves the loop nothing to do for 10 ms: it sleeps.
pyRTOS.add_task(pyRTOS.Task(idler, name="idler"))
pyRTOS.start(stats=True)
print("slept:", pyRTOS.stats()["idle_us"] > s["idle_us"])
# The time column masked: the share of a finished task is not listed.
print(pyRTOS.task_list(), end="")

# A suspended task reads S; the time column shows a percentage once timed.
susp = pyRTOS.Task(blocked, priority=3, name="susp", notifications=1)
pyRTOS.add_task(susp)
susp.suspend()
lines = pyRTOS.task_list().splitlines()
print(lines[0])
print(lines[1][:-4], lines[1][-4:].strip().endswith("%"))
pyRTOS.tasks.remove(susp)

# Names are padded to 16 characters, not bytes: columns line up with accents.
for name in ("hello", "h\u00e9llo", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"):
    t = pyRTOS.Task(blocked, name=name, notifications=1)
    pyRTOS.add_task(t)
    line = pyRTOS.task_list().splitlines()[1]
    print(repr(line[:18]), len(line))
    pyRTOS.tasks.remove(t)

# Counters are unsigned 32-bit (the core's tests check that they wrap).
print(all(0 <= v < 2**32 for k, v in s.items() if k in ("passes", "wakeups", "switches")))
