# Built-in conditions are generators a UFunction can drive with next(): the original's documented way to AND conditions together.
import pyRTOS

P = [0]
def count_pass():
    P[0] += 1
pyRTOS.add_service_routine(count_pass)

def all_of(*conds):
    # polls every condition each time (so their clocks advance) and is true when all are
    while True:
        results = [bool(next(c)) for c in conds]
        yield all(results)

q = pyRTOS.MessageQueue()

def waiter(self):
    yield
    d = pyRTOS.delay(2)
    print("next(delay(2)):", next(d), next(d), next(d), next(d))
    print("next(timeout(0)):", next(pyRTOS.timeout(0)))
    p = P[0]
    yield [all_of(pyRTOS.delay(4), pyRTOS.wait_for_message(self))]
    print("woke after", P[0] - p, "passes with", self.message_count(), "message(s)")
    buf = []
    p = P[0]
    yield [all_of(q.recv(buf), pyRTOS.delay(1))]
    print("queue item", buf, "after", P[0] - p, "passes")

def sender(self):
    yield
    self.send(pyRTOS.Message(128, self, "waiter"))
    q.nb_send("item")
    yield

pyRTOS.add_task(pyRTOS.Task(waiter, priority=1, name="waiter", mailbox=True))
pyRTOS.add_task(pyRTOS.Task(sender, priority=2, name="sender"))
pyRTOS.start()
