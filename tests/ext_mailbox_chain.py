# Mailboxes chain queued Messages through the messages themselves; other
# objects, and a Message already queued elsewhere, go through a node. Order,
# counts and reuse must not notice the difference.
import gc
import pyRTOS

a = pyRTOS.Task(lambda self: (yield), name="a", mailbox=True)
b = pyRTOS.Task(lambda self: (yield), name="b", mailbox=True)


class Note:
    def __init__(self, target, text):
        self.target = target
        self.text = text

    def __repr__(self):
        return "Note(%s)" % self.text


def show(msgs):
    return [m.message if isinstance(m, pyRTOS.Message) else m for m in msgs]


m1 = pyRTOS.Message(128, None, a, "one")
m2 = pyRTOS.Message(128, None, a, "two")
a.deliver(m1)
a.deliver(Note(a, "note"))
a.deliver(m2)
a.deliver(m1)  # already queued here: the same object again, through a node
b.deliver(m1)  # and queued in a second mailbox
a.deliver({"plain": "dict"})
print(a.message_count(), b.message_count())
gc.collect()
print(show(a.recv()))
print(a.message_count(), show(a.recv()))
print(show(b.recv()))

# Received messages can be queued again, in any mailbox.
for i in range(3):
    a.deliver(m1)
    a.deliver(m2)
    b.deliver(m2)
    print(show(a.recv()), show(b.recv()))

# Many messages, a collection in the middle, every one received in order.
for i in range(500):
    a.deliver(pyRTOS.Message(128, None, a, i))
    if i == 250:
        gc.collect()
got = a.recv()
print(len(got), all(m.message == i for i, m in enumerate(got)))

# Through the scheduler: send() by name, delivered after the sender yields.
log = []


def sender(self):
    yield
    for i in range(3):
        self.send(pyRTOS.Message(128, self, "rx", i))
        self.send(pyRTOS.Message(128, self, "rx", i * 10))
        yield


def receiver(self):
    yield
    while len(log) < 6:
        yield [pyRTOS.wait_for_message(self)]
        log.extend(show(self.recv()))


pyRTOS.add_task(pyRTOS.Task(sender, priority=2))
pyRTOS.add_task(pyRTOS.Task(receiver, priority=1, name="rx", mailbox=True))
pyRTOS.start()
print(log)
