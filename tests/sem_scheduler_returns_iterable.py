# A user scheduler may return any iterable of messages (the original hands
# it to deliver_messages(), which iterates): here a generator and a map.
import pyRTOS

got = []


def receiver(self):
    yield
    while len(got) < 2:
        yield [pyRTOS.wait_for_message(self)]
        got.extend(m.message for m in self.recv())
    print("receiver got", got)


def sender(self):
    yield
    self.send(pyRTOS.Message(128, self, "r", "first"))
    yield
    self.send(pyRTOS.Message(128, self, "r", "second"))
    yield


calls = [0]


def scheduler(tasks):
    calls[0] += 1
    messages = pyRTOS.default_scheduler(tasks)
    if calls[0] % 2:
        return (m for m in messages)
    return map(lambda m: m, messages)


pyRTOS.add_task(pyRTOS.Task(receiver, name="r", mailbox=True, priority=5))
pyRTOS.add_task(pyRTOS.Task(sender, priority=1))
pyRTOS.start(scheduler)
print("tasks left", len(pyRTOS.tasks))
