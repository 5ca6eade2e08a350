# A MessageQueue does not keep an item alive once it has been received:
# taking the last item out (nb_recv(), or a recv() condition) leaves no stale
# pointer to it in the queue's storage. The queue outlives the tasks here,
# as a module-level queue does (a new one for each case); each item is a
# 50 KB bytearray.
import gc
import pyRTOS

KB50 = 50000
queue = None


def producer(self):
    yield
    queue.nb_send(bytearray(KB50))
    yield [queue.send(bytearray(KB50))]


def by_nb_recv(self):
    yield
    for _ in range(2):
        while queue.nb_recv() is None:
            yield


def by_condition(self):
    yield
    for _ in range(2):
        buf = []
        yield [queue.recv(buf)]
        print("received", len(buf[0]))


def run(consumer):
    pyRTOS.add_task(pyRTOS.Task(producer, priority=1))
    pyRTOS.add_task(pyRTOS.Task(consumer, priority=2))
    pyRTOS.start()


# Measured here rather than with gccheck.freed: that helper's extra call frame
# leaves a stale stack slot that keeps the second case's item alive.
def freed(case, consumer):
    global queue
    queue = pyRTOS.MessageQueue(capacity=4)
    gc.collect()
    free_before = gc.mem_free()
    run(consumer)  # in a function: no stale slot of this module's stack holds the items
    gc.collect()
    print(case, "freed:", free_before - gc.mem_free() < 10000)


freed("nb_recv()", by_nb_recv)
freed("recv() condition", by_condition)
print("queue still works:", queue.nb_send(1), queue.nb_recv(), queue.nb_recv())
