# MemoryError from pyRTOS's own allocations (creating tasks and conditions, add_task, deliver, default_scheduler's message list) leaves the scheduler consistent: nothing half-added, and start() runs everything afterwards.
import micropython
import pyRTOS

q = pyRTOS.MessageQueue(capacity=4)


def attempt(label, fn):
    micropython.heap_lock()
    try:
        fn()
        result = "ok"
    except MemoryError:
        result = "MemoryError"
    finally:
        micropython.heap_unlock()
    print(label, "->", result)


def worker(self):
    yield
    buf = []
    for i in range(3):
        yield [q.recv(buf)]
    print("worker got", buf, "mailbox", [m.message for m in self.recv()])


def producer(self):
    yield
    for i in range(3):
        yield  # allocates nothing: runs fine with the heap locked
    for i in range(3):
        yield [q.send(i)]
    self.send(pyRTOS.Message(128, self, "worker", "bye"))


w = pyRTOS.Task(worker, priority=2, name="worker", mailbox=True)
attempt("Task()", lambda: pyRTOS.Task(worker))
attempt("timeout()", lambda: pyRTOS.timeout(1))
attempt("add_task()", lambda: pyRTOS.add_task(w))
print("tasks after failed add_task:", len(pyRTOS.tasks), "thread:", w.thread)
pyRTOS.add_task(w)
attempt("deliver()", lambda: w.deliver(pyRTOS.Message(128, None, w, "first")))
print("mailbox after failed deliver:", w.message_count())
w.deliver(pyRTOS.Message(128, None, w, "first"))
p = pyRTOS.Task(producer, priority=1, name="producer")
pyRTOS.add_task(p)
# default_scheduler() runs a pass, then builds the list of sent messages:
# with the heap locked the pass runs (the producer yields) but the list fails.
for i in range(3):
    attempt("locked default_scheduler() %d" % i, lambda: pyRTOS.default_scheduler(pyRTOS.tasks))
print("producer runs", p.runs, "state", p.state)
pyRTOS.start()
print("done, tasks left:", len(pyRTOS.tasks))
