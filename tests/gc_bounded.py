# [slow] Bounded memory: 1,000,000 messages through mailboxes (by object and by name) and a MessageQueue, and 10,000 start()/finish cycles, end with the free heap they started with (within 2 KB).
import gc
import pyRTOS

ROUNDS = 250000  # each round moves 4 messages: 2 by mailbox, 2 through the queue
q = pyRTOS.MessageQueue(capacity=2)
checked = [0]  # rounds whose payload came back intact


def ping(self):
    yield
    buf = []
    for i in range(ROUNDS):
        self.send(pyRTOS.Message(128, self, pong, i))
        yield [pyRTOS.wait_for_message(self)]
        (reply,) = self.recv()
        yield [q.send(reply.message)]
        yield [q.recv(buf)]
        checked[0] += buf.pop() == i
    self.send(pyRTOS.Message(pyRTOS.QUIT, self, "pong"))


def pong_body(self):
    yield
    buf = []
    while True:
        yield [pyRTOS.wait_for_message(self)]
        for msg in self.recv():
            if msg.type == pyRTOS.QUIT:
                return
            self.send(pyRTOS.Message(129, self, "ping", msg.message))
        yield [q.recv(buf)]
        yield [q.send(buf.pop())]


def one_shot(self):
    yield


def free():
    gc.collect()
    return gc.mem_free()


pong = pyRTOS.Task(pong_body, priority=2, name="pong", mailbox=True)
# One warm-up cycle first, so lists reach their working size.
pyRTOS.add_task(pyRTOS.Task(one_shot))
pyRTOS.start()
before = free()
pyRTOS.add_task(pyRTOS.Task(ping, priority=1, name="ping", mailbox=True))
pyRTOS.add_task(pong)
pyRTOS.start()
pong = None
after_messages = free()
for i in range(10000):
    pyRTOS.add_task(pyRTOS.Task(one_shot))
    pyRTOS.start()
after_cycles = free()
print("messages:", 4 * ROUNDS, "rounds intact:", checked[0])
print("heap after messages within 2 KB:", abs(before - after_messages) <= 2048)
print("heap after 10000 start() cycles within 2 KB:", abs(before - after_cycles) <= 2048)
