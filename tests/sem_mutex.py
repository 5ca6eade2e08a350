# Mutex: the best-priority waiter takes it during the pass after unlock() (not at unlock), even while a better task keeps running; owner re-entry.
import pyRTOS

P = [0]
def count_pass():
    P[0] += 1
pyRTOS.add_service_routine(count_pass)

m = pyRTOS.Mutex()

def at_pass(n):
    while True:
        yield P[0] >= n

def holder(self):
    yield
    print("holder nb_lock", m.nb_lock(self), "again", m.nb_lock(self))
    p = P[0]
    yield [m.lock(self)]
    print("holder lock() re-entry took", P[0] - p, "pass(es)")
    yield [at_pass(8)]
    m.unlock()
    print("holder unlocked; nb_lock right away:", m.nb_lock(self))   # nobody took it at unlock()
    m.unlock()
    print("holder unlocked again and stays ready")
    yield
    print("holder back, nb_lock:", m.nb_lock(self))

def waiter(when):
    def body(self):
        yield
        if when:
            yield [at_pass(when)]
        print(self.name, "waits at pass", P[0])
        yield [m.lock(self)]
        print(self.name, "runs with the lock at pass", P[0])
        if self.name == "w1":
            m.unlock()
            print("w1 unlocked and keeps running")
            yield
            print("w1 nb_lock:", m.nb_lock(self), "(w5 took it during this pass)")
            yield
            print("w1 ends")
        else:
            m.unlock()
    return body

pyRTOS.add_task(pyRTOS.Task(holder, priority=3, name="holder"))
pyRTOS.add_task(pyRTOS.Task(waiter(0), priority=9, name="w9"))   # waits first, worst priority
pyRTOS.add_task(pyRTOS.Task(waiter(7), priority=5, name="w5"))   # waits last
pyRTOS.add_task(pyRTOS.Task(waiter(6), priority=1, name="w1"))   # best priority
pyRTOS.start()
