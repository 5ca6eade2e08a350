# Capacity: 4096 tasks, each yielding a few times with delays and timeouts, all finish; after the run and gc.collect() the memory comes back (twice, so nothing accumulates).
import gc
import pyRTOS

N = 4096
finished = [0]


def work(self):
    yield
    for k in range(3):
        yield [pyRTOS.delay(self.name % 3)]
    yield [pyRTOS.timeout_ns(0)]
    finished[0] += 1


def run():
    for i in range(N):
        pyRTOS.add_task(pyRTOS.Task(work, priority=i % 7, name=i))
    print("tasks added:", len(pyRTOS.tasks))
    pyRTOS.start()


gc.collect()
before = gc.mem_free()
for round in range(2):
    finished[0] = 0
    run()
    gc.collect()
    lost = before - gc.mem_free()
    # Generous margin: the task list keeps its grown capacity (8 bytes a slot).
    print("round", round, "finished:", finished[0], "tasks left:", len(pyRTOS.tasks),
          "memory back:", lost < 64 * 1024)
