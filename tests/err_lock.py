# Bad lock arguments and misuse raise clear exceptions, and the scheduler stays usable: CountingSemaphore arguments
# out of range or of the wrong type, unlock() past the maximum, RecursiveMutex.unlock() while free, by a task that
# does not own it or outside any task, a non-Task lock()/nb_lock() argument, and an exception while a task holds an
# inheritance mutex.
import pyRTOS
from errcheck import check, fresh

probe = pyRTOS.Task(lambda t: (yield), name="probe")

check("CountingSemaphore(3, 2)", lambda: pyRTOS.CountingSemaphore(3, 2))
check("CountingSemaphore(-1)", lambda: pyRTOS.CountingSemaphore(-1))
check("CountingSemaphore(maximum=0)", lambda: pyRTOS.CountingSemaphore(maximum=0))
check("CountingSemaphore(maximum=2**32)", lambda: pyRTOS.CountingSemaphore(maximum=2**32))
check("CountingSemaphore(maximum=2**100)", lambda: pyRTOS.CountingSemaphore(maximum=2**100))
check("CountingSemaphore(initial=1.5)", lambda: pyRTOS.CountingSemaphore(initial=1.5))
check("CountingSemaphore('1')", lambda: pyRTOS.CountingSemaphore("1"))
check("CountingSemaphore(1, 2, 3)", lambda: pyRTOS.CountingSemaphore(1, 2, 3))
check("CountingSemaphore(size=1)", lambda: pyRTOS.CountingSemaphore(size=1))
check("CountingSemaphore(2, 2).unlock()", lambda: pyRTOS.CountingSemaphore(2, 2).unlock())
check("CountingSemaphore(True, True)", lambda: pyRTOS.CountingSemaphore(True, True).nb_lock(probe), True)
check("CountingSemaphore().lock(1)", lambda: pyRTOS.CountingSemaphore().lock(1))
check("CountingSemaphore().nb_lock(None)", lambda: pyRTOS.CountingSemaphore().nb_lock(None))
check("RecursiveMutex(True)", lambda: pyRTOS.RecursiveMutex(True))
check("RecursiveMutex().unlock()", lambda: pyRTOS.RecursiveMutex().unlock())
check("RecursiveMutex().lock('t')", lambda: pyRTOS.RecursiveMutex().lock("t"))
check("Mutex(inherit=True).nb_lock(3)", lambda: pyRTOS.Mutex(inherit=True).nb_lock(3))
check("Mutex(inherit=True).unlock() while free", lambda: pyRTOS.Mutex(inherit=True).unlock())

m = pyRTOS.RecursiveMutex()


def owner(self):
    yield
    print("owner locks:", m.nb_lock(self))
    yield [pyRTOS.delay(3)]
    m.unlock()
    print("owner unlocked")


def thief(self):
    yield
    yield [pyRTOS.delay(1)]
    m.unlock()
    print("thief unlocked it (wrong)")


pyRTOS.add_task(pyRTOS.Task(owner, priority=1, name="owner"))
pyRTOS.add_task(pyRTOS.Task(thief, priority=2, name="thief"))
check("a non-owner task unlocks", pyRTOS.start)
check("then", pyRTOS.start)
print("free again:", m.nb_lock(probe))


# A task raising while it holds an inheritance mutex a better task waits for:
# the exception leaves start(); the owner keeps the boost while it holds it;
# unlocking it (here from another task) restores it and the waiter runs.
pm = pyRTOS.Mutex(inherit=True)


def crasher(self):
    yield
    pm.nb_lock(self)
    yield [pyRTOS.delay(2)]
    raise OSError(5)


def needy(self):
    yield
    yield [pyRTOS.delay(1)]
    yield [pm.lock(self)]
    print("needy has it")
    pm.unlock()


crash_task = pyRTOS.Task(crasher, priority=9, name="crasher")
pyRTOS.add_task(crash_task)
pyRTOS.add_task(pyRTOS.Task(needy, priority=1, name="needy"))
check("a task raises holding an inheritance mutex", pyRTOS.start)
print("crasher priority", crash_task.priority, "base", crash_task.base_priority)


def rescuer(self):
    yield
    pm.unlock()
    print("rescuer unlocked; crasher priority", crash_task.priority)


pyRTOS.add_task(pyRTOS.Task(rescuer, priority=5, name="rescuer"))
check("then", pyRTOS.start)
fresh("after all:")
