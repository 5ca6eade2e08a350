# CountingSemaphore: lock() takes one unit, unlock() gives one back; waiters are served in request order whatever
# their priority, each request as soon as the units cover it and every request ahead of it (several in one pass);
# a unit is taken at the evaluation in the pass after unlock(); nb_lock() takes a unit whenever one is left.
import pyRTOS

P = [0]


def count_pass():
    P[0] += 1


pyRTOS.add_service_routine(count_pass)


def until(predicate):
    while True:
        yield predicate()


s = pyRTOS.CountingSemaphore(initial=2, maximum=3)
requesting = []
takers = {}


reported = set()


def granted():
    # Takers newly unblocked: their request was granted in this pass's
    # evaluations (the giver has the best priority, so it runs right after).
    new = sorted(name for name, t in takers.items() if t.state != pyRTOS.BLOCKED and name not in reported)
    reported.update(new)
    return new


def giver(self):
    yield
    print("giver takes 2:", s.nb_lock(self), s.nb_lock(self), "a third:", s.nb_lock(self))
    yield [until(lambda: len(requesting) == 4)]
    yield [pyRTOS.delay(1)]  # every request has joined the queue
    for units in (1, 2):
        for i in range(units):
            s.unlock()
        print("pass", P[0], "giver gives", units)
        yield [pyRTOS.delay(0)]
        print("pass", P[0], "granted:", granted())
    yield [until(lambda: len(requesting) == 5)]
    yield [pyRTOS.delay(1)]
    for i in range(3):
        s.unlock()
    print("pass", P[0], "giver gives 3; nb_lock takes one before the waiters are evaluated:", s.nb_lock(self))
    yield [pyRTOS.delay(0)]
    print("pass", P[0], "granted:", granted())
    s.unlock()
    s.unlock()
    s.unlock()
    try:
        s.unlock()
    except ValueError as e:
        print("past maximum:", e)


def taker(order):
    def body(self):
        yield
        yield [until(lambda: len(requesting) == order)]
        requesting.append(self.name)
        yield [s.lock(self)]
    return body


pyRTOS.add_task(pyRTOS.Task(giver, priority=0, name="giver"))
# Request order: T9 (worst priority) first, then T1, T5, T3; T7 comes later.
for name, order in (("T1", 2), ("T3", 3), ("T5", 1), ("T9", 0), ("T7", 4)):
    takers[name] = pyRTOS.Task(taker(order), priority=int(name[1]), name=name)
    pyRTOS.add_task(takers[name])
pyRTOS.start()
probe = pyRTOS.Task(lambda t: (yield))
print("units left:", sum(1 for i in range(5) if s.nb_lock(probe)))

# A request abandoned (another condition fired first) leaves the queue at once.
s = pyRTOS.CountingSemaphore()
log = []


def quitter(self):
    yield
    yield [s.lock(self), pyRTOS.delay(2)]
    log.append("quitter gave up")


def patient(self):
    yield
    yield [pyRTOS.delay(0)]  # queues behind the quitter
    yield [s.lock(self)]
    log.append("patient got a unit")


def later(self):
    yield
    yield [pyRTOS.delay(5)]
    log.append("later gives one")
    s.unlock()


pyRTOS.add_task(pyRTOS.Task(quitter, priority=1))
pyRTOS.add_task(pyRTOS.Task(patient, priority=2))
pyRTOS.add_task(pyRTOS.Task(later, priority=3))
pyRTOS.start()
print(log)
s = pyRTOS.CountingSemaphore()
print("CountingSemaphore() starts empty:", s.nb_lock(probe))
s = pyRTOS.CountingSemaphore(maximum=2**32 - 1)
s.unlock()
print("maximum=2**32 - 1 accepted, one unit:", s.nb_lock(probe), s.nb_lock(probe))
