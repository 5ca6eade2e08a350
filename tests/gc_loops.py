# GC stress: rounds of tasks, conditions, semaphores, mutexes and queues created in loops, with gc.collect() (and garbage allocation) inside tasks, inside user conditions and in a service routine; every round's results come out intact.
import gc
import pyRTOS

loop_count = [0]


def routine():
    loop_count[0] += 1
    if loop_count[0] % 5 == 0:
        junk = [bytearray(48) for i in range(16)]  # garbage to reuse freed blocks
        gc.collect()


pyRTOS.add_service_routine(routine)


def collecting(polls):
    # A user condition that allocates and collects each time it is polled.
    n = 0
    while True:
        junk = ["%d-%d" % (n, j) for j in range(8)]
        gc.collect()
        n += 1
        yield n > polls


def make_round(r, n_workers):
    # Everything is created here and reachable afterwards only through the
    # scheduler (pyRTOS.tasks and what the tasks reference).
    sem = pyRTOS.BinarySemaphore()
    mutex = pyRTOS.Mutex()
    queue = pyRTOS.MessageQueue(capacity=3)
    state = {"sem": 0, "mutex": 0, "max_inside": 0, "done": 0, "got": []}

    def critical(which):
        state[which] += 1
        state["max_inside"] = max(state["max_inside"], state[which])

    def worker(self):
        i = self.name
        payload = [r, i, "w%d" % i * (i % 5 + 1)]
        yield
        yield [sem.lock(self)]
        critical("sem")
        gc.collect()
        yield [pyRTOS.delay(1)]
        state["sem"] -= 1
        sem.unlock()
        yield [collecting(i % 3)]
        yield [mutex.lock(self), pyRTOS.timeout(60)]
        critical("mutex")
        yield [pyRTOS.timeout_ns(0)]
        gc.collect()
        state["mutex"] -= 1
        mutex.unlock()
        yield [queue.send(pyRTOS.Message(128, self, "consumer", payload))]
        payload = None
        state["done"] += 1

    def consumer(self):
        yield
        buf = []
        while len(buf) < n_workers:
            yield [queue.recv(buf)]
            if len(buf) % 4 == 0:
                gc.collect()
        state["got"] = [(m.type, m.message[0], m.message[1], m.message[2]) for m in buf]

    for i in range(n_workers):
        pyRTOS.add_task(pyRTOS.Task(worker, priority=2 + i % 3, name=i))
    pyRTOS.add_task(pyRTOS.Task(consumer, priority=9, name="consumer"))
    return state


free = []
for r in range(4):
    state = make_round(r, 24)
    gc.collect()
    pyRTOS.start()
    got = state["got"]
    ok = sorted(got) == sorted((128, r, i, "w%d" % i * (i % 5 + 1)) for i in range(24))
    print("round", r, "done", state["done"], "max inside", state["max_inside"],
          "received", len(got), "intact", ok, "tasks left", len(pyRTOS.tasks))
    state = got = None
    gc.collect()
    free.append(gc.mem_free())
print("memory returns after every round:", max(free) - min(free) < 4096)
