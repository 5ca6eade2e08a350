# Priority inheritance: a low-priority owner of a Mutex a high-priority task waits for, with a medium-priority busy task.
# Without inherit (classic priority inversion) the medium task runs first and the high task waits for it;
# with Mutex(inherit=True) the owner runs at the waiter's priority, releases, drops back, and the high task runs before the medium one.
import pyRTOS


def scenario(inherit):
    m = pyRTOS.Mutex(inherit=inherit)
    log = []

    def low(self):
        yield
        log.append("L locks: %s" % m.nb_lock(self))
        for i in range(3):
            yield
            log.append("L works, priority %d (base %d)" % (self.priority, self.base_priority))
        m.unlock()
        log.append("L unlocked, priority %d" % self.priority)
        yield
        log.append("L ends")

    def high(self):
        yield
        yield [pyRTOS.delay(2)]
        log.append("H requests")
        yield [m.lock(self)]
        log.append("H has the lock")
        m.unlock()

    def medium(self):
        yield
        yield [pyRTOS.delay(3)]
        for i in range(4):
            log.append("M busy %d" % i)
            yield
        log.append("M ends")

    pyRTOS.add_task(pyRTOS.Task(high, priority=1, name="H"))
    pyRTOS.add_task(pyRTOS.Task(medium, priority=5, name="M"))
    pyRTOS.add_task(pyRTOS.Task(low, priority=9, name="L"))
    pyRTOS.start()
    print("inherit=%s:" % inherit)
    for line in log:
        print(" ", line)


scenario(False)
scenario(True)


# The owner keeps the inherited priority until it releases its last
# inheritance mutex (a RecursiveMutex counts once, whatever its depth); a
# plain Mutex it holds does not count. A waiter with a worse priority lends
# nothing. Setting task.priority while boosted changes the base only.
# unlock() by another task restores the owner too.
a = pyRTOS.Mutex(inherit=True)
b = pyRTOS.RecursiveMutex(inherit=True)
plain = pyRTOS.Mutex()
c = pyRTOS.Mutex(inherit=True)
stage = [0]


def until(predicate):
    while True:
        yield predicate()


requesting = []


def blocked(name):
    # True once the task yielded its lock request, so its first evaluation
    # (the one that lends its priority) comes in the same pass as this one's.
    return lambda: name in requesting


def show(task, what):
    print("%s: priority %d, base %d" % (what, task.priority, task.base_priority))


def owner(self):
    yield
    print("owner takes a, b twice, plain:", a.nb_lock(self), b.nb_lock(self), b.nb_lock(self), plain.nb_lock(self))
    stage[0] = 1
    yield [until(blocked("W8"))]
    show(self, "owner, W8 waits for a")
    stage[0] = 2
    yield [until(blocked("W2"))]
    show(self, "owner, W2 waits for b")
    self.priority = 6
    show(self, "owner after priority = 6")
    a.unlock()
    show(self, "owner released a (still holds b)")
    b.unlock()
    show(self, "owner released b once (depth 1 left)")
    b.unlock()
    show(self, "owner released b (still holds plain)")
    yield
    plain.unlock()
    print("owner takes c:", c.nb_lock(self))
    stage[0] = 3
    yield [until(lambda: stage[0] == 4)]


def waiter(lock, at_stage):
    def body(self):
        yield
        yield [until(lambda: stage[0] == at_stage)]
        requesting.append(self.name)
        yield [lock.lock(self)]
        print(self.name, "has its lock")
        lock.unlock()
    return body


def other(self):
    yield
    yield [until(blocked("W1"))]
    show(owner_task, "owner, W1 waits for c")
    c.unlock()
    show(owner_task, "owner after another task unlocked c")
    stage[0] = 4


owner_task = pyRTOS.Task(owner, priority=7, name="owner")
pyRTOS.add_task(owner_task)
pyRTOS.add_task(pyRTOS.Task(waiter(a, 1), priority=8, name="W8"))
pyRTOS.add_task(pyRTOS.Task(waiter(b, 2), priority=2, name="W2"))
pyRTOS.add_task(pyRTOS.Task(waiter(c, 3), priority=1, name="W1"))
pyRTOS.add_task(pyRTOS.Task(other, priority=0, name="other"))
pyRTOS.start()
show(owner_task, "owner at the end")
