# Tasks whose only reference is pyRTOS.tasks (with generators holding locals, inline conditions, user-condition generators, notifications, mailboxes, suspension) keep running across gc.collect() and heap churn, and compute correct results.
import gc
import pyRTOS

results = []
loops = [0]


def routine():
    loops[0] += 1
    junk = [bytearray(24) for i in range(32)]  # reuse whatever was freed
    junk = None
    gc.collect()
    if loops[0] > 5000:
        raise RuntimeError("stuck: %r" % [(t.name, t.state) for t in pyRTOS.tasks])


pyRTOS.add_service_routine(routine)


def countdown(n):
    # A user condition referenced only from the task's condition list.
    while n > 0:
        n -= 1
        yield False
    while True:
        yield True


def summer(self):
    data = [self.name * k for k in range(50)]  # a local only the generator holds
    yield
    total = 0
    for k in range(0, 50, 10):
        yield [countdown(k % 3), pyRTOS.timeout(60)]
        total += sum(data[k:k + 10])
        yield [pyRTOS.delay(1), pyRTOS.timeout_ns(10 ** 12)]
    results.append(("summer", self.name, total == self.name * sum(range(50))))


def notified(self):
    yield
    yield [self.wait_for_notification(0, 3)]
    results.append(("notified", self.name, self.notify_get_value(0)))


def mailbox_user(self):
    yield
    yield [pyRTOS.wait_for_message(self)]
    results.append(("mailbox", self.name, [m.message for m in self.recv()]))


def sleeper(self):
    yield
    self.suspend()
    yield
    results.append(("sleeper", self.name, "resumed"))


def task_named(name):
    for t in pyRTOS.tasks:
        if t.name == name:
            return t


def others_waiting():
    # True once the notified task blocks and the sleeper has suspended itself.
    while True:
        yield (task_named("notified").state == pyRTOS.BLOCKED
               and task_named("sleeper").state == pyRTOS.SUSPENDED)


def driver(self):
    yield
    yield [others_waiting()]
    yield [pyRTOS.delay(1)]  # the notification wait has had its first evaluation
    for t in pyRTOS.tasks:  # found only through the live list
        if t.name == "notified":
            t.notify_set_value(0, 3, 4242)
        elif t.name == "mailbox":
            self.send(pyRTOS.Message(128, self, t, ["hello", 7]))
    yield [pyRTOS.delay(5)]
    for t in pyRTOS.tasks:
        if t.name == "sleeper":
            t.resume()


def setup():
    # No references survive this function except through pyRTOS.tasks.
    for i in range(1, 31):
        pyRTOS.add_task(pyRTOS.Task(summer, priority=i % 4, name=i))
    pyRTOS.add_task(pyRTOS.Task(notified, name="notified", notifications=1))
    pyRTOS.add_task(pyRTOS.Task(mailbox_user, name="mailbox", mailbox=True))
    pyRTOS.add_task(pyRTOS.Task(sleeper, name="sleeper"))
    pyRTOS.add_task(pyRTOS.Task(driver, name="driver", priority=0))


setup()
gc.collect()
pyRTOS.start()
summers = [r for r in results if r[0] == "summer"]
print("summers finished:", len(summers), "all correct:", all(r[2] for r in summers))
for r in results:
    if r[0] != "summer":
        print(r)
print("tasks left:", len(pyRTOS.tasks))
