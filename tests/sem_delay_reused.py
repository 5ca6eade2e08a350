# A delay() object counts its own evaluations, as the original's generator does: yielded again after its task woke for another reason, it goes on counting where it stopped. The passes while it is not waited on do not count, nor does the pass in which a condition before it in the list woke the task; next() on it from a user condition counts too.
import pyRTOS

P = [0]                       # OS loop number (a service routine runs first in each loop)
def count_pass():
    P[0] += 1
pyRTOS.add_service_routine(count_pass)


def kicker(self):
    # notifies the other tasks at given loops, then spins
    yield
    while P[0] < 60:
        for task, at in KICKS:
            if P[0] == at:
                task.notify_set_state()
        yield


def before(self):
    # [delay, notification]: the delay is evaluated in the pass that wakes the task
    yield
    d = pyRTOS.delay(10)
    yield [d, self.wait_for_notification()]
    print("before: woke by notification at", P[0])
    for i in range(5):
        yield                 # 5 passes running: the delay does not count them
    print("before: waits again at", P[0])
    yield [d]
    print("before: delay done at", P[0])


def behind(self):
    # [notification, delay]: the wake pass does not evaluate the delay
    yield
    d = pyRTOS.delay(10)
    yield [self.wait_for_notification(), d]
    print("behind: woke by notification at", P[0])
    yield [pyRTOS.delay(4)]   # another wait in between
    print("behind: waits again at", P[0])
    yield [d]
    print("behind: delay done at", P[0])


def stepped(self):
    # a user condition calls next() on the delay this task waited on
    yield
    d = pyRTOS.delay(6)
    yield [d, self.wait_for_notification()]
    print("stepped: woke by notification at", P[0])

    def twice():
        while True:
            yield next(d) or next(d)

    yield [twice()]
    print("stepped: next() found it done at", P[0])


t_before = pyRTOS.Task(before, priority=1, name="before", notifications=1)
t_behind = pyRTOS.Task(behind, priority=2, name="behind", notifications=1)
t_stepped = pyRTOS.Task(stepped, priority=3, name="stepped", notifications=1)
KICKS = [(t_before, 4), (t_behind, 4), (t_stepped, 4)]
for t in (t_before, t_behind, t_stepped):
    pyRTOS.add_task(t)
pyRTOS.add_task(pyRTOS.Task(kicker, priority=9, name="kicker"))
pyRTOS.start()
