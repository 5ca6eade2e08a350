# Condition lists stop at the first true condition: later conditions are not advanced (not even their first evaluation).
import pyRTOS

polls = {}

def counted(tag, results):
    # yields the given results, then False forever; counts evaluations
    polls[tag] = 0
    i = 0
    while True:
        polls[tag] += 1
        yield results[i] if i < len(results) else False
        i += 1

q = pyRTOS.MessageQueue(capacity=5)
m = pyRTOS.Mutex()
s = pyRTOS.BinarySemaphore()

def t(self):
    yield
    yield [counted("never", []), counted("flip", [False, False, True]), counted("after", [])]
    print("never", polls["never"], "flip", polls["flip"], "after", polls["after"])
    yield [pyRTOS.delay(0), counted("behind delay", [])]
    yield [pyRTOS.timeout(0), counted("behind timeout", [])]
    yield [pyRTOS.timeout_ns(0), counted("behind timeout_ns", [])]
    print("not created:", sorted(k for k in ("behind delay", "behind timeout", "behind timeout_ns") if k not in polls))
    self.notify_set_state(0, 5)
    yield [pyRTOS.delay(0), pyRTOS.wait_for_notification(self)]
    print("notification state untouched:", self.notify_get_state(0))
    q.nb_send("item")
    buf = []
    yield [pyRTOS.delay(0), q.recv(buf)]
    print("recv not advanced:", buf, q.nb_recv())
    yield [q.send("x"), q.send("y")]
    print("only the first send acted:", q.nb_recv(), q.nb_recv())
    yield [pyRTOS.delay(0), m.lock(self)]
    yield [pyRTOS.delay(0), s.lock(self)]
    print("mutex still free:", m.nb_lock(other), "semaphore still free:", s.nb_lock(other))

def idle(self):
    yield

other = pyRTOS.Task(idle, priority=9, name="other")   # never added; only used as a lock owner
pyRTOS.add_task(pyRTOS.Task(t, priority=1, name="t", notifications=1))
pyRTOS.start()
