# BinarySemaphore waiters abandoned (another condition fired first), suspended, or removed from pyRTOS.tasks and dropped, then gc.collect(): the remaining and new requesters still get the semaphore in request order, each the pass after the previous unlock.
import gc
import pyRTOS

sem = pyRTOS.BinarySemaphore()
passes = [0]
log = []
queued = [0]
gave_up = [0]
abandon = [False]
unlocked_at = [0]


def routine():
    passes[0] += 1
    if passes[0] % 3 == 0:
        gc.collect()
    if passes[0] > 3000:
        raise RuntimeError("stuck; log so far: %r" % log)


pyRTOS.add_service_routine(routine)
probe = pyRTOS.Task(lambda self: (yield), name="probe")  # never added; for nb_lock checks


def until(predicate):
    while True:
        yield predicate()


def waiter(group):
    def body(self):
        yield
        queued[0] += 1
        if group == "A":
            yield [sem.lock(self), until(lambda: abandon[0])]
        else:
            yield [sem.lock(self)]
        if sem.nb_lock(probe):  # it was free (the probe took it): not granted
            sem.unlock()
            log.append("%s%d woke up, semaphore free" % (group, self.name))
            gave_up[0] += 1
            return
        if not sem.nb_lock(self):  # held by another task
            gave_up[0] += 1
            return
        log.append("%s%d got it, pass +%d" % (group, self.name, passes[0] - unlocked_at[0]))
        yield [pyRTOS.delay(1)]
        unlocked_at[0] = passes[0]
        sem.unlock()
    return body


def spawn(group, count, priority):
    # Created in a function: the scheduler holds the only references.
    for i in range(count):
        pyRTOS.add_task(pyRTOS.Task(waiter(group), priority=priority, name=i))


def group_tasks(priority):
    return [t for t in pyRTOS.tasks if t.priority == priority]


def holder(self):
    yield
    yield [sem.lock(self)]
    yield [until(lambda: queued[0] == 27)]
    yield [pyRTOS.delay(1)]  # the last request has joined the queue
    log.append("all 27 queued")
    for t in group_tasks(4):
        t.suspend()
    for t in group_tasks(7):
        pyRTOS.tasks.remove(t)
    t = None
    gc.collect()
    abandon[0] = True
    yield [until(lambda: gave_up[0] == 8)]
    log.append("8 abandoned, 8 suspended, 8 removed")
    for t in group_tasks(4):
        pyRTOS.tasks.remove(t)
    t = None
    gc.collect()
    queued[0] = 0
    spawn("N", 3, 6)  # new requesters, behind the K group
    yield [until(lambda: queued[0] == 3)]
    yield [pyRTOS.delay(1)]
    gc.collect()
    log.append("holder unlocks")
    unlocked_at[0] = passes[0]
    sem.unlock()


pyRTOS.add_task(pyRTOS.Task(holder, priority=1, name="holder"))
spawn("A", 8, 3)  # abandon: another condition in their list fires first
spawn("S", 8, 4)  # suspended, later removed
spawn("K", 3, 8)  # keep waiting
spawn("R", 8, 7)  # removed from pyRTOS.tasks while blocked, and dropped
pyRTOS.start()
for line in log:
    print(line)
print("tasks left:", len(pyRTOS.tasks), "semaphore free:", sem.nb_lock(probe))
