# RecursiveMutex: the owner may lock it n times (lock() conditions and nb_lock()) and must unlock it n times; only
# then do waiters take it, the best priority first, in the pass after the last unlock(). Works through run_next()
# and from code the task delegates to with `yield from`.
import pyRTOS

P = [0]


def count_pass():
    P[0] += 1


pyRTOS.add_service_routine(count_pass)
m = pyRTOS.RecursiveMutex()
probe = pyRTOS.Task(lambda t: (yield))


depth = [0]


def lock_level(self):
    yield [m.lock(self)]
    depth[0] += 1


def unlock_level(who):
    m.unlock()
    depth[0] -= 1
    if depth[0]:
        print(who, "unlocked, depth", depth[0], "- others can take it:", m.nb_lock(probe))


def nested(self, levels):
    # One more level per call, as a recursive function over a shared bus would.
    yield from lock_level(self)
    if levels > 1:
        yield from nested(self, levels - 1)
    unlock_level("owner")


def owner(self):
    yield
    print("owner nb_lock:", m.nb_lock(self), m.nb_lock(self), "others:", m.nb_lock(probe))
    depth[0] = 2
    yield [pyRTOS.delay(2)]  # the waiters queue
    yield from nested(self, 3)
    unlock_level("owner")
    p = P[0]
    unlock_level("owner")
    print("owner released it at pass", p)
    yield


def waiter(self):
    yield
    yield [pyRTOS.delay(1)]  # the owner has it
    yield [m.lock(self)]
    print(self.name, "has it at pass", P[0], "- free for others:", m.nb_lock(probe))
    m.unlock()


pyRTOS.add_task(pyRTOS.Task(owner, priority=5, name="owner"))
pyRTOS.add_task(pyRTOS.Task(waiter, priority=7, name="W7"))
pyRTOS.add_task(pyRTOS.Task(waiter, priority=3, name="W3"))
pyRTOS.start()
print("free at the end:", m.nb_lock(probe))
try:
    m.unlock()  # outside any task's code, though the probe owns it
except RuntimeError as e:
    print("unlock() at top level:", e)
m = pyRTOS.RecursiveMutex()


# run_next() is the task's own code too.
def manual(self):
    yield
    m.unlock()
    yield
    m.unlock()
    print("manual unlocked the last level; probe gets it:", m.nb_lock(probe))
    yield


t = pyRTOS.Task(manual, name="manual")
t.initialize()
print("manual locks twice:", m.nb_lock(t), m.nb_lock(t))
t.run_next()
print("one level left, probe:", m.nb_lock(probe))
t.run_next()


# A task alone in the list is resumed straight from the loop (the yield
# shortcut); it is still the caller of its own unlock().
alone_lock = pyRTOS.RecursiveMutex()


def alone(self):
    yield
    print("alone locks:", alone_lock.nb_lock(self))
    for i in range(3):
        yield
    alone_lock.unlock()
    print("alone unlocked")


pyRTOS.add_task(pyRTOS.Task(alone))
pyRTOS.start()
try:
    alone_lock.unlock()
except RuntimeError as e:
    print("top level:", e)


# Setup code (run by add_task(), up to the first yield) is its own task's
# code: another task's setup code cannot unlock the owner's mutex, and the
# owner's unlock() after it works.
setup_lock = pyRTOS.RecursiveMutex()


def intruder(self):
    try:
        setup_lock.unlock()
        print("intruder's setup code unlocked it")
    except RuntimeError as e:
        print("intruder's setup code:", e)
    yield


def holder(self):
    yield
    print("holder locks:", setup_lock.nb_lock(self))
    pyRTOS.add_task(pyRTOS.Task(intruder))
    setup_lock.unlock()
    print("holder unlocked")


pyRTOS.add_task(pyRTOS.Task(holder))
pyRTOS.start()


# A micropython.schedule callback (an interrupt handler's deferred part) that
# runs while the owner's code runs is not the owner's code: its unlock() is
# refused, and the owner's own unlock() afterwards works.
import micropython

irq_lock = pyRTOS.RecursiveMutex()
irq_said = []


def irq_callback(_):
    try:
        irq_lock.unlock()
        irq_said.append("callback unlocked it")
    except RuntimeError as e:
        irq_said.append("callback: %s" % e)


def interrupted(self):
    irq_lock.nb_lock(self)
    yield
    micropython.schedule(irq_callback, None)
    for i in range(100):  # the VM runs the callback in here
        pass
    irq_lock.unlock()
    irq_said.append("owner unlocked it")


pyRTOS.add_task(pyRTOS.Task(interrupted, name="interrupted"))
pyRTOS.start()
print(irq_said)
