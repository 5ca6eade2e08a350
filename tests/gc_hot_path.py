# The hot path allocates nothing of its own: with the GC off, 200 rounds of yielding, of a notification ping-pong, of a mailbox ping-pong (Task.send and Task.deliver) of a MessageQueue ping-pong and of two tasks handing a Mutex and a BinarySemaphore over (with delay and timeout between) grow the heap by exactly what the tasks' own Python code allocates (its condition lists, conditions, Messages and recv() lists, measured alone); and neither a delivered message nor a finished task is kept alive by the scheduler.
import gc
import pyRTOS
from gccheck import freed

ROUNDS = 200
WARM = 3  # rounds before measuring: every object the scheduler keeps is made by then


def allocated(make):
    # Bytes make() allocates when called ROUNDS times, the GC off.
    gc.collect()
    gc.disable()
    before = gc.mem_alloc()
    for i in range(ROUNDS):
        make()
    after = gc.mem_alloc()
    gc.enable()
    return after - before


class Window:
    # Measures gc.mem_alloc() from round WARM to round WARM + ROUNDS of the
    # task that calls at(i) each round, the GC off in between.
    def __init__(self):
        self.bytes = None

    def at(self, i):
        if i == WARM:
            gc.collect()
            gc.disable()
            self.before = gc.mem_alloc()
        elif i == WARM + ROUNDS:
            self.bytes = gc.mem_alloc() - self.before
            gc.enable()


def run(name, tasks, expected):
    window = Window()
    for t in tasks(window):
        pyRTOS.add_task(t)
    pyRTOS.start()
    print(name, "bytes the scheduler allocated:", window.bytes - expected)


def yielding(window):
    def body(self):
        yield
        for i in range(WARM + ROUNDS + 1):
            window.at(i)
            yield

    return [pyRTOS.Task(body)]


def notification_pingpong(window):
    # pong waits first (higher priority), so each notification finds it waiting.
    def ping_body(self):
        yield
        for i in range(WARM + ROUNDS + 1):
            window.at(i)
            pong.notify_set_state(0, 1)
            yield [pyRTOS.wait_for_notification(self, 0, 1)]
        done[0] = True
        pong.notify_set_state(0, 1)

    def pong_body(self):
        yield
        while True:
            yield [pyRTOS.wait_for_notification(self, 0, 1)]
            if done[0]:
                return
            ping.notify_set_state(0, 1)

    done = [False]
    ping = pyRTOS.Task(ping_body, priority=2, notifications=1)
    pong = pyRTOS.Task(pong_body, priority=1, notifications=1)
    return [ping, pong]


def mailbox_pingpong(send):
    def tasks(window):
        def ping_body(self):
            yield
            for i in range(WARM + ROUNDS + 1):
                window.at(i)
                send(self, pyRTOS.Message(1, self, pong, i))
                yield [pyRTOS.wait_for_message(self)]
                self.recv()
            send(self, pyRTOS.Message(pyRTOS.QUIT, self, pong))

        def pong_body(self):
            yield
            while True:
                yield [pyRTOS.wait_for_message(self)]
                for msg in self.recv():
                    if msg.type == pyRTOS.QUIT:
                        return
                    send(self, pyRTOS.Message(2, self, ping, msg.message))

        ping = pyRTOS.Task(ping_body, priority=2, mailbox=True)
        pong = pyRTOS.Task(pong_body, priority=1, mailbox=True)
        return [ping, pong]

    return tasks


def queue_pingpong(window):
    there = pyRTOS.MessageQueue(capacity=1)
    back = pyRTOS.MessageQueue(capacity=1)

    def ping_body(self):
        yield
        buf = []
        for i in range(WARM + ROUNDS + 1):
            window.at(i)
            yield [there.send(i)]
            yield [back.recv(buf)]
            buf.pop()
        yield [there.send(None)]

    def pong_body(self):
        yield
        buf = []
        while True:
            yield [there.recv(buf)]
            item = buf.pop()
            if item is None:
                return
            yield [back.send(item)]

    return [pyRTOS.Task(ping_body, priority=2), pyRTOS.Task(pong_body, priority=1)]


def mutex_handover(window):
    # Two tasks take turns holding a mutex (and a semaphore), each blocking on
    # the lock the other holds.
    mutex = pyRTOS.Mutex()
    semaphore = pyRTOS.BinarySemaphore()

    def body(self, measured):
        yield
        for i in range(WARM + ROUNDS + 1):
            if measured:
                window.at(i)
            yield [mutex.lock(self)]
            yield [semaphore.lock(self)]
            yield [pyRTOS.delay(1)]
            mutex.unlock()
            semaphore.unlock()
            yield [pyRTOS.timeout(0)]

    return [pyRTOS.Task(lambda self: body(self, True), priority=1), pyRTOS.Task(lambda self: body(self, False), priority=1)]


# What the tasks' own code allocates in one round, made the same way.
t = pyRTOS.Task(lambda self: None, notifications=1, mailbox=True)
q = pyRTOS.MessageQueue(capacity=1)
buf = []
notify_wait = allocated(lambda: [pyRTOS.wait_for_notification(t, 0, 1)])
message_wait = allocated(lambda: [pyRTOS.wait_for_message(t)])
message = allocated(lambda: pyRTOS.Message(1, t, t, 0))
m = pyRTOS.Message(1, t, t, 0)
received_list = allocated(lambda: [m])  # recv() of one message: a one-item list
queue_send = allocated(lambda: [q.send(0)])
queue_recv = allocated(lambda: [q.recv(buf)])
mutex = pyRTOS.Mutex()
semaphore = pyRTOS.BinarySemaphore()
lock_round = (allocated(lambda: [mutex.lock(t)]) + allocated(lambda: [semaphore.lock(t)])
              + allocated(lambda: [pyRTOS.delay(1)]) + allocated(lambda: [pyRTOS.timeout(0)]))
del t, q, m

run("yield:", yielding, 0)
run("notification ping-pong:", notification_pingpong, 2 * notify_wait)
mailbox_round = 2 * (message + message_wait + received_list)
run("mailbox ping-pong, send():", mailbox_pingpong(lambda task, msg: task.send(msg)), mailbox_round)
run("mailbox ping-pong, deliver():", mailbox_pingpong(lambda task, msg: msg.target.deliver(msg)), mailbox_round)
run("MessageQueue ping-pong:", queue_pingpong, 2 * (queue_send + queue_recv))
run("Mutex, BinarySemaphore, delay, timeout:", mutex_handover, 2 * lock_round)


# The outbox list kept for the next sends must not keep delivered messages
# alive: five messages with 4 KB each, sent at once, are freed once received.
def sending(count, size):
    def body(self):
        yield
        for i in range(count):
            self.send(pyRTOS.Message(1, self, self, bytearray(size)))
        yield [pyRTOS.wait_for_message(self)]
        self.recv()

    pyRTOS.add_task(pyRTOS.Task(body, mailbox=True))
    pyRTOS.start()


sending(1, 0)  # the outbox list exists from here on
freed("delivered messages", sending, 5, 4000)


# Nor must the scheduler keep the task that ran last, with what its
# generator holds, once it has finished.
def holding(self):
    yield
    payload = bytearray(50000)
    yield
    print("held", len(payload))


def run_holding():
    pyRTOS.add_task(pyRTOS.Task(holding))
    pyRTOS.start()


freed("finished task", run_holding)
