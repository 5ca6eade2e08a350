# MessageQueue: blocked receivers take items in priority order (not blocking order), FIFO items, recv appends to the caller's buffer.
import pyRTOS

q = pyRTOS.MessageQueue(capacity=3)
bufs = {}

def receiver(self):
    yield
    buf = bufs[self.name] = ["kept"]
    if self.name == "r4":
        yield [pyRTOS.delay(1)]            # so that r6 blocks first
    print(self.name, "blocks")
    while True:
        yield [q.recv(buf), pyRTOS.delay(12)]
        if len(buf) == 1 or buf[-1] == "end":
            print(self.name, "done:", buf)
            return
        print(self.name, "got", buf[-1])

def feeder(self):
    yield
    yield [pyRTOS.delay(4)]                # both receivers are blocked by now
    for item in ("a", "b", "c"):
        print("feeder nb_send", item, q.nb_send(item))
    print("feeder nb_send d when full:", q.nb_send("d"))
    yield [pyRTOS.delay(2)]
    q.nb_send("end")
    q.nb_send("end")

pyRTOS.add_task(pyRTOS.Task(receiver, priority=6, name="r6"))
pyRTOS.add_task(pyRTOS.Task(receiver, priority=4, name="r4"))
pyRTOS.add_task(pyRTOS.Task(feeder, priority=1, name="feeder"))
pyRTOS.start()
