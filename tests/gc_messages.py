# Messages survive garbage collections wherever the scheduler holds them: in the outbox before delivery, in mailboxes (by object and by name), in MessageQueue items and in blocked send conditions; contents verified after gc.collect() and heap churn.
import gc
import pyRTOS


def churn():
    # Allocate and drop garbage so freed blocks get reused, then collect.
    junk = [bytearray(40) for i in range(64)]
    junk = [[i] * 5 for i in range(64)]
    junk = None
    gc.collect()


loops = [0]


def routine():
    churn()
    loops[0] += 1
    if loops[0] > 3000:
        raise RuntimeError("stuck: %r" % [(t.name, t.state) for t in pyRTOS.tasks])


pyRTOS.add_service_routine(routine)


def payload(tag, i):
    return {"tag": tag, "i": i, "data": [tag * (i % 4 + 1), i * i, (i, str(i))]}


def expected(tag, n):
    return [payload(tag, i) for i in range(n)]


N = 12
queue = pyRTOS.MessageQueue(capacity=4)
results = {}


def sender(self):
    yield
    receiver = [t for t in pyRTOS.tasks if t.name == "receiver"][0]
    for i in range(N):
        # By object and by name; the payloads are referenced only by the messages.
        self.send(pyRTOS.Message(128, self, receiver, payload("obj", i)))
        self.send(pyRTOS.Message(129, self, "receiver", payload("name", i)))
        churn()  # the messages now sit in the outbox only
        if i % 3 == 2:
            yield
    receiver = None
    yield [pyRTOS.delay(2)]


def producer(self):
    yield
    for i in range(N):
        # Beyond the capacity the message is held only by the send condition.
        yield [queue.send(pyRTOS.Message(130, self, None, payload("queue", i)))]
        churn()


def receiver_fn(self):
    yield
    yield [pyRTOS.delay(8)]  # messages pile up in the mailbox meanwhile
    churn()
    got = []
    while len(got) < 2 * N:
        yield [pyRTOS.wait_for_message(self)]
        churn()
        got.extend(self.recv())
    results["by object"] = [m.message for m in got if m.type == 128]
    results["by name"] = [m.message for m in got if m.type == 129]
    results["sources"] = sorted(set(m.source.name for m in got))


def consumer(self):
    yield
    yield [pyRTOS.delay(10)]  # the queue fills up and the producer blocks
    churn()
    buf = []
    while len(buf) < N:
        yield [queue.recv(buf)]
        churn()
    results["queue"] = [m.message for m in buf]


pyRTOS.add_task(pyRTOS.Task(receiver_fn, name="receiver", mailbox=True))
pyRTOS.add_task(pyRTOS.Task(sender, name="sender"))
pyRTOS.add_task(pyRTOS.Task(producer, name="producer"))
pyRTOS.add_task(pyRTOS.Task(consumer, name="consumer"))
gc.collect()
pyRTOS.start()
churn()
print("by object intact:", results["by object"] == expected("obj", N))
print("by name intact:", results["by name"] == expected("name", N))
print("sources:", results["sources"])
print("queue intact, FIFO:", results["queue"] == expected("queue", N))
print("tasks left:", len(pyRTOS.tasks), "queue empty:", queue.nb_recv() is None)
