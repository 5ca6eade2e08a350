# Tasks taken out of pyRTOS.tasks by hand are not kept alive by the scheduler
# when start() then leaves by an exception before another pass re-read the
# list: a task that raises after removing another, a service routine or a
# user scheduler that empties the list and raises (or returns a bad value),
# a KeyboardInterrupt. Each removed task holds a 50 KB local. A blocked task
# removed that way stops waiting, as after any other removal.
import gccheck
import pyRTOS

KB50 = 50000


class Boom(Exception):
    pass


def blocked(self):
    payload = bytearray(KB50)
    yield
    yield [pyRTOS.timeout(3600), pyRTOS.wait_for_notification(self), pyRTOS.delay(10**6)]
    print("woke, state", self.state, "payload", len(payload))


def remove_first():
    # Not in the generator itself: its finished frame, still referenced by
    # the task (which stays in the list), would keep the removed task in a
    # stale stack slot.
    pyRTOS.tasks.remove(pyRTOS.tasks[0])


def remove_then_raise(self):
    yield
    # The first pass ran blocked(); this is the second.
    print("blocked:", pyRTOS.tasks[0].state == pyRTOS.BLOCKED)
    remove_first()
    raise Boom("task")


def clear_then_interrupt(self):
    yield
    pyRTOS.tasks.clear()
    raise KeyboardInterrupt


def run(case, scheduler=None, *funcs):
    tasks = [pyRTOS.Task(f, priority=i, notifications=1) for i, f in enumerate(funcs)]
    for t in tasks:
        pyRTOS.add_task(t)
    try:
        pyRTOS.start(scheduler)
    except (Boom, KeyboardInterrupt, TypeError) as e:
        print(case, "raised", type(e).__name__, "tasks left:", len(pyRTOS.tasks))
    return tasks[0]


def noop(self):
    yield


def freed(case, scheduler, *funcs):
    # Whatever an earlier case left linked is let go of by a new start(),
    # which would free it during this measure.
    pyRTOS.add_task(pyRTOS.Task(noop))
    pyRTOS.start()
    gccheck.freed(case, run, case, scheduler, *funcs)


freed("task raises", None, blocked, remove_then_raise)
freed("KeyboardInterrupt", None, blocked, clear_then_interrupt)

passes = [0]


def service():
    passes[0] += 1
    if passes[0] == 3:
        pyRTOS.tasks.clear()
        raise Boom("service routine")


pyRTOS.add_service_routine(service)  # stays registered; it raises only once
freed("service routine raises", None, blocked)
calls = [0]


def scheduler(tasks):
    messages = pyRTOS.default_scheduler(tasks)
    calls[0] += 1
    if calls[0] == 2:
        tasks.clear()
        return 5
    return messages


freed("user scheduler returns 5", scheduler, blocked)

# Kept by the program this time, and added back: it no longer waits.
task = run("kept", None, blocked, remove_then_raise)
print("state:", task.state)
pyRTOS.start()  # the task that raised leaves the list
pyRTOS.add_task(task)
pyRTOS.start()
