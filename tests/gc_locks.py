# GC: a lock keeps its owner alive (an inheritance mutex's unlock() restores the owner's priority, so it must not
# be freed) and its queued requests; tasks created in functions, dropped from pyRTOS.tasks by hand, gc.collect()
# every pass and fresh allocations in between: everything still works and nothing is overwritten.
import gc
import pyRTOS

passes = [0]


def routine():
    passes[0] += 1
    gc.collect()
    if passes[0] > 2000:
        raise RuntimeError("stuck")


pyRTOS.add_service_routine(routine)
pm = pyRTOS.Mutex(inherit=True)
rm = pyRTOS.RecursiveMutex(inherit=True)
cs = pyRTOS.CountingSemaphore(maximum=50)
locked = [False]
order = []  # the order the waiters request a unit of cs
got = []


def until(predicate):
    while True:
        yield predicate()


def make_owner():
    def owner(self):
        yield
        locked[0] = pm.nb_lock(self) and rm.nb_lock(self) and rm.nb_lock(self)
        yield [pyRTOS.delay(1000000)]
    pyRTOS.add_task(pyRTOS.Task(owner, priority=9, name="owner"))


def make_waiters(n):
    for i in range(n):
        def body(self):
            yield
            yield [until(lambda: locked[0])]
            yield [pm.lock(self)]
            pm.unlock()
            order.append(self.name)
            yield [cs.lock(self)]
            got.append(self.name)
        pyRTOS.add_task(pyRTOS.Task(body, priority=i % 4 + 1, name=i))


def boss(self):
    yield
    yield [until(lambda: locked[0])]
    yield [pyRTOS.delay(2)]  # every waiter waits for pm
    owner = [t for t in pyRTOS.tasks if t.name == "owner"][0]
    print("owner boosted to", owner.priority, "base", owner.base_priority)
    pyRTOS.tasks.remove(owner)  # only the locks hold it now
    owner = None
    gc.collect()
    junk = [bytearray(40) for i in range(200)]  # would reuse a freed owner's memory
    pm.unlock()
    print("junk intact:", all(b == bytearray(40) for b in junk))
    yield [until(lambda: len(order) == 30)]
    yield [pyRTOS.delay(1)]  # the last request has joined the queue
    for i in range(30):
        cs.unlock()
        yield [until(lambda: len(got) > i)]
    print("30 waiters got a unit, in request order:", got == order)


make_owner()
make_waiters(30)
pyRTOS.add_task(pyRTOS.Task(boss, priority=0, name="boss"))
pyRTOS.start()
print("tasks left:", len(pyRTOS.tasks))
