# Task.notify_from_isr: queued without allocating (checked with the heap
# locked, as it is in a hard IRQ handler), applied at the next scheduler pass,
# in order, with the effect of the notify_* method each event stands for;
# a full queue refuses events and counts them.
import micropython
import pyRTOS

CAPACITY = 16  # PYRTOS_ISR_CAPACITY's default
SET, INC = pyRTOS.ISR_SET, pyRTOS.ISR_INC
print("modes", SET, INC)


def forever(self):
    yield
    while True:
        yield


def slots(task, n=2):
    return [(task.notify_get_state(i), task.notify_get_value(i)) for i in range(n)]


# Each (mode, value given or not) has exactly the effect of one notify_* method.
a = pyRTOS.Task(forever, name="a", notifications=2)
b = pyRTOS.Task(forever, name="b", notifications=2)
pyRTOS.add_task(a)
pyRTOS.add_task(b)
calls = [(0, 5, None, SET), (1, 2, 100, SET), (0, 120, None, INC), (1, 3, 1000000, INC), (0, -1, -4, INC), (1, 9, None, SET), (0, 127, 2, INC)]
for index, state, value, mode in calls:
    micropython.heap_lock()
    queued = a.notify_from_isr(index, state, value, mode)
    micropython.heap_unlock()
    assert queued is True
    if mode == SET and value is None:
        b.notify_set_state(index, state)
    elif mode == SET:
        b.notify_set_value(index, state, value)
    elif value is None:
        b.notify_inc_state(index, state)
    else:
        b.notify_inc_value(index, state, value)
print("queued, not applied yet:", slots(a))
pyRTOS.default_scheduler(pyRTOS.tasks)
print("applied at the pass:", slots(a), "same as the methods:", slots(a) == slots(b))

# Keywords and defaults (index=0, state=1, value=None, mode=ISR_SET), heap locked.
micropython.heap_lock()
a.notify_from_isr(value=7, mode=INC, index=1, state=0)
a.notify_from_isr()
a.notify_from_isr(mode=INC)
micropython.heap_unlock()
pyRTOS.default_scheduler(pyRTOS.tasks)
print("keywords:", slots(a))

# Order matters and is kept: set, add, set, add.
for value, mode in [(10, SET), (5, INC), (1, SET), (2, INC)]:
    a.notify_from_isr(1, 0, value, mode)
pyRTOS.default_scheduler(pyRTOS.tasks)
print("in order:", a.notify_get_value(1))

# A full queue: CAPACITY events fit, the rest are refused and counted.
before = pyRTOS.isr_overflows()
results = [a.notify_from_isr(1, 0, i) for i in range(CAPACITY + 4)]
print("queued", results.count(True), "refused", results.count(False), "overflows", pyRTOS.isr_overflows() - before)
pyRTOS.default_scheduler(pyRTOS.tasks)
print("last queued value applied:", a.notify_get_value(1))
print("room again:", all(a.notify_from_isr(1, 0, i) for i in range(CAPACITY)))
pyRTOS.default_scheduler(pyRTOS.tasks)

# An event for a task that is not in the scheduler is applied as notify_*
# would be: to a task appended by hand before any pass has seen it, and to
# one that only a list of the program's own runs.
stranger = pyRTOS.Task(forever, name="stranger", notifications=1)
print("queued for a stranger:", stranger.notify_from_isr(0, 4, 44))
pyRTOS.default_scheduler(pyRTOS.tasks)
print("stranger notified:", slots(stranger, 1))


def sub_waiter(self):
    yield
    yield [self.wait_for_notification(0, 1)]
    print("  sub-list task woke, value", self.notify_get_value(0))


subs = [pyRTOS.Task(sub_waiter, name="sub", notifications=1)]
subs[0].initialize()
for i in range(2):
    pyRTOS.default_scheduler(subs)  # it blocks on its notification, then waits
subs[0].notify_from_isr(0, 1, 42)
for i in range(2):
    pyRTOS.default_scheduler(subs)
print("sub-list task done:", subs == [])
pyRTOS.tasks.clear()


def reader(self):
    yield
    print("  appended task reads", slots(self, 1))


appended = pyRTOS.Task(reader, name="appended", notifications=1)
appended.initialize()
pyRTOS.tasks.append(appended)
appended.notify_from_isr(0, 5, 7)  # before any pass has seen the task
pyRTOS.default_scheduler(pyRTOS.tasks)
print("appended task done:", pyRTOS.tasks == [])

# Inside start(): "interrupts" from micropython.schedule callbacks (soft IRQs,
# heap locked as in hard ones) wake a task and count presses in the value.
presses = []


def button(_):
    micropython.heap_lock()
    worker.notify_from_isr(0, 1, 1, INC)  # state 1 wakes the waiter, value counts
    micropython.heap_unlock()


def work(self):
    yield
    while self.notify_get_value(0) < 10:
        yield [self.wait_for_notification(0, 1)]
        presses.append(self.notify_get_value(0))


def press(self):
    yield
    for i in range(10):
        micropython.schedule(button, None)
        yield [pyRTOS.delay(1)]


worker = pyRTOS.Task(work, priority=1, name="worker", notifications=1)
pyRTOS.add_task(worker)
pyRTOS.add_task(pyRTOS.Task(press, priority=2, name="presser"))
pyRTOS.start()
print("presses seen:", presses)

# With a user scheduler the events are applied before each call.
seen = []


def scheduler(tasks):
    seen.append(c.notify_get_state(0))
    if len(seen) == 1:
        c.notify_from_isr(0, 3)
    elif len(seen) == 3:
        tasks.clear()
    return []


c = pyRTOS.Task(forever, name="c", notifications=1)
pyRTOS.add_task(c)
pyRTOS.start(scheduler=scheduler)
print("user scheduler saw states:", seen)
