# BinarySemaphore: waiters get it in request order whatever their priority (a mid-queue abandon is skipped), any task may unlock it, and the owner may re-lock it.
# Deliberate difference from the original (SPEC section 3): BinarySemaphore.lock() by the current owner succeeds at once;
# the original compares the owner with the semaphore itself, so there the re-entrant lock below only ends by its delay(4).
import pyRTOS

P = [0]
def count_pass():
    P[0] += 1
pyRTOS.add_service_routine(count_pass)

s = pyRTOS.BinarySemaphore()
order = []

def owner(self):
    yield
    print("owner nb_lock", s.nb_lock(self), "again", s.nb_lock(self))
    yield [pyRTOS.delay(30)]

def at_pass(n):
    while True:
        yield P[0] >= n

def requester(when, give_up):
    def body(self):
        yield
        yield [at_pass(when)]
        print(self.name, "requests")
        if give_up:
            yield [s.lock(self), pyRTOS.delay(give_up)]
            print(self.name, "gives up")
            return
        yield [s.lock(self)]
        order.append(self.name)
        print(self.name, "acquired, nb_lock again:", s.nb_lock(self))
        p = P[0]
        yield [s.lock(self), pyRTOS.delay(4)]
        print(self.name, "re-lock took", P[0] - p, "pass(es)")
        s.unlock()
    return body

def signaller(self):
    yield
    yield [at_pass(12)]
    print("signaller (not the owner) unlocks")
    s.unlock()

pyRTOS.add_task(pyRTOS.Task(owner, priority=5, name="owner"))
pyRTOS.add_task(pyRTOS.Task(requester(6, 0), priority=9, name="low"))    # requests at pass 6
pyRTOS.add_task(pyRTOS.Task(requester(7, 3), priority=7, name="mid"))    # requests at pass 7, gives up
pyRTOS.add_task(pyRTOS.Task(requester(8, 0), priority=1, name="high"))   # requests at pass 8
pyRTOS.add_task(pyRTOS.Task(signaller, priority=8, name="sig"))
pyRTOS.start()
print("order", order)
