# Tasks taken out of pyRTOS.tasks by hand are not kept alive by the scheduler
# once start() has returned, even when the pass that emptied the list was the
# last one (no later pass re-read the list): a task that removes itself, and a
# blocked task with registered conditions removed by another task, each
# holding a 50 KB local. A blocked task removed that way stops waiting: added
# back, it runs on.
import gccheck
import pyRTOS

KB50 = 50000


def solo(self):
    payload = bytearray(KB50)
    yield
    pyRTOS.tasks.remove(self)  # in start()'s first pass
    yield
    print("never", len(payload))


def blocked(self):
    payload = bytearray(KB50)
    yield
    yield [pyRTOS.timeout(3600), pyRTOS.wait_for_notification(self), pyRTOS.delay(10**6)]
    print("woke, state", self.state, "payload", len(payload))


def remover(self):
    payload = bytearray(KB50)
    yield
    # The first pass ran blocked(); this is the second, and the last.
    print("blocked:", pyRTOS.tasks[0].state == pyRTOS.BLOCKED)
    pyRTOS.tasks.clear()
    yield
    print("never", len(payload))


def run(*funcs):
    tasks = [pyRTOS.Task(f, priority=i, notifications=1) for i, f in enumerate(funcs)]
    for t in tasks:
        pyRTOS.add_task(t)
    pyRTOS.start()
    print("start() returned, tasks:", len(pyRTOS.tasks))
    return tasks[0]


def freed(case, *funcs):
    gccheck.freed(case, run, *funcs)


freed("removed itself", solo)
freed("removed while blocked", blocked, remover)

# Kept by the program this time, and added back: it no longer waits.
task = run(blocked, remover)
print("state:", task.state)
pyRTOS.add_task(task)
pyRTOS.start()
