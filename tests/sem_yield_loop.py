# A task that only yields None, next to everything that can change what the
# next pass does: a better task added mid-run, messages and notifications it
# sends, a delay counting passes, a service routine added mid-run, a hand edit
# of the task list, the task returning and raising. The order is the
# original's (checked against pure-Python pyRTOS; `runs` is ours).
import pyRTOS


def raiser(self):
    yield
    for i in range(3):
        yield
    raise ValueError("spun out")


pyRTOS.add_task(pyRTOS.Task(raiser))
try:
    pyRTOS.start()
except ValueError as e:
    print("raised:", e)
pyRTOS.tasks.clear()


def counter(self):
    yield
    for i in range(3):
        yield
    print("counter ran", self.runs, "times")


pyRTOS.add_task(pyRTOS.Task(counter))
pyRTOS.start()


log = []


def spinner(self):
    yield
    for i in range(12):
        log.append("spin %d" % i)
        if i == 1:
            pyRTOS.add_task(pyRTOS.Task(better, priority=1, name="better"))
        if i == 3:
            self.send(pyRTOS.Message(128, self, "inbox", i))
        if i == 5:
            waiter.notify_set_state(0, 1)
        if i == 7:
            pyRTOS.add_service_routine(routine)
        if i == 9:
            pyRTOS.tasks.remove(doomed)
        yield


def better(self):
    yield
    log.append("better runs")


def inbox(self):
    yield
    yield [pyRTOS.wait_for_message(self)]
    log.append("inbox got %r" % [m.message for m in self.recv()])


def waits(self):
    yield
    yield [pyRTOS.wait_for_notification(self, 0, 1)]
    log.append("waiter woke")


def sleeper(self):
    yield
    yield [pyRTOS.delay(4)]
    log.append("delay done")


def doomed_fn(self):
    yield
    yield [pyRTOS.delay(1000)]
    log.append("doomed ran")


calls = [0]


def routine():
    calls[0] += 1
    if calls[0] <= 3:
        log.append("routine %d" % calls[0])


waiter = pyRTOS.Task(waits, priority=2, notifications=1)
doomed = pyRTOS.Task(doomed_fn, priority=3)
pyRTOS.add_task(pyRTOS.Task(spinner, priority=5))
pyRTOS.add_task(pyRTOS.Task(inbox, priority=2, name="inbox", mailbox=True))
pyRTOS.add_task(waiter)
pyRTOS.add_task(pyRTOS.Task(sleeper, priority=3))
pyRTOS.add_task(doomed)
pyRTOS.start()
for line in log:
    print(line)
print("left:", len(pyRTOS.tasks))
print("done")
