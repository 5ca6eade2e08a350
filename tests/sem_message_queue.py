# MessageQueue: FIFO, capacity; blocked senders/receivers act in priority order during the pass after space/items appear; nb_send/nb_recv act at once.
import pyRTOS

P = [0]
def count_pass():
    P[0] += 1
pyRTOS.add_service_routine(count_pass)

q = pyRTOS.MessageQueue(capacity=1)
got = []

def at_pass(n):
    while True:
        yield P[0] >= n

def sender(item, when):
    def body(self):
        yield
        yield [at_pass(when)]
        print(self.name, "blocks sending", item, "at pass", P[0])
        yield [q.send(item)]
        print(self.name, "sent", item, "by pass", P[0])
    return body

def receiver(self):
    yield
    yield [at_pass(8)]
    print("receiver nb_recv", q.nb_recv(), "at pass", P[0])
    print("receiver nb_send into the freed slot:", q.nb_send("mine"), "then full:", q.nb_send("x"))
    yield
    print("receiver nb_recv", q.nb_recv(), "at pass", P[0])     # blocked senders have not acted yet
    yield
    for i in range(3):
        yield [q.recv(got)]
        print("receiver got", got[-1], "at pass", P[0])

print("nb_send into empty capacity-1 queue:", q.nb_send("pre"))
pyRTOS.add_task(pyRTOS.Task(sender("low", 4), priority=8, name="s8"))    # blocks first, worst priority
pyRTOS.add_task(pyRTOS.Task(sender("high", 6), priority=2, name="s2"))   # blocks last, best priority
pyRTOS.add_task(pyRTOS.Task(sender("mid", 5), priority=5, name="s5"))
pyRTOS.add_task(pyRTOS.Task(receiver, priority=9, name="r"))
pyRTOS.start()
print("got", got, "left", q.nb_recv())

# Message attributes are plain and writable
m = pyRTOS.Message(128, "a", "b")
m.type = 200
m.source = None
m.target = [1]
m.message = {"k": 1}
print(m.type, m.source, m.target, m.message)
