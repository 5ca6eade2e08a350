# A task taken out of the task list by hand and added again goes behind the
# tasks of its priority, also when it is about to be evaluated: three
# equal-priority waiters are woken by an unlock (or a queued item), and the
# first of them is re-added before the next pass. Whoever comes first in the
# list gets the lock (the item), as in the original.
import pyRTOS

M = pyRTOS.Mutex()
Q = pyRTOS.MessageQueue(3)
got = []
step = [0]
wake = [None]
first = [None]


def locker(self):
    yield
    yield [M.lock(self)]
    got.append(self.name)
    M.unlock()


def receiver(self):
    yield
    box = []
    yield [Q.recv(box)]
    got.append((self.name, box[0]))


def routine():
    step[0] += 1
    if step[0] == 3:  # every task has blocked and been evaluated once
        wake[0]()
        pyRTOS.tasks.remove(first[0])
        pyRTOS.add_task(first[0])
        print("  list:", [t.name for t in pyRTOS.tasks])


pyRTOS.add_service_routine(routine)


def scenario(title, func, wake_up):
    del got[:]
    step[0] = 0
    wake[0] = wake_up
    tasks = [pyRTOS.Task(func, 1, name) for name in "ABC"]
    first[0] = tasks[0]
    for t in tasks:
        pyRTOS.add_task(t)
    pyRTOS.start()
    print(title, got)


holder = pyRTOS.Task(lambda self: (yield), 0, "holder")
M.nb_lock(holder)
scenario("mutex:", locker, M.unlock)


def three_items():
    for i in range(3):
        Q.nb_send(i)


scenario("queue:", receiver, three_items)
