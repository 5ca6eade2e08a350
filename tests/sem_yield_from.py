# Tasks may delegate with `yield from` into sub-generators, nested, that yield None or condition lists and return values.
import pyRTOS

P = [0]
def count_pass():
    P[0] += 1
pyRTOS.add_service_routine(count_pass)

q = pyRTOS.MessageQueue(capacity=1)

def wait_cycles(n):
    # a helper that blocks its caller
    yield [pyRTOS.delay(n)]
    return P[0]

def receive_one():
    buf = []
    yield [q.recv(buf)]
    return buf[0]

def two_step(label):
    yield                                   # plain yield: the caller stays ready
    woke = yield from wait_cycles(1)        # nested delegation
    print(label, "inner woke at pass", woke)
    return label.upper()

def consumer(self):
    yield
    got = yield from receive_one()
    print("consumer got", got, "at pass", P[0])
    r = yield from two_step("c")
    print("two_step returned", r)
    got = yield from receive_one()
    print("consumer got", got, "at pass", P[0])

def producer(self):
    yield
    at = yield from wait_cycles(2)
    print("producer sends at pass", at)
    yield [q.send("first")]
    yield from wait_cycles(3)
    yield from (x for x in [None, [q.send("second")]])   # a generator expression works too
    print("producer done at pass", P[0])

pyRTOS.add_task(pyRTOS.Task(consumer, priority=1, name="consumer"))
pyRTOS.add_task(pyRTOS.Task(producer, priority=2, name="producer"))
pyRTOS.start()
