# Exceptions inside start() propagate unchanged and leave the scheduler usable: a task raising, a service routine raising, a user scheduler raising, KeyboardInterrupt/SystemExit raised in a task or service routine (not wrapped, not swallowed); then a fresh task completes.
import pyRTOS
from errcheck import Stuck, Watchdog, add_fresh

armed = [None]  # the exception the service routine raises at loop 3, if any


def fire_armed(loop):
    if loop == 3 and armed[0] is not None:
        exc, armed[0] = armed[0], None
        raise exc


dog = Watchdog(on_loop=fire_armed)


def run(label, scheduler=None):
    print(label)
    try:
        dog.start(scheduler)
        print("  start() returned without error")
    except Stuck:
        print("  start() stuck; tasks:", [(t.name, t.state) for t in pyRTOS.tasks])
        pyRTOS.tasks.clear()
    except BaseException as e:
        print("  %s: %s" % (type(e).__name__, e))


def fresh():
    add_fresh(" ")  # prints "  fresh task ran"
    run(" then start() again:")
    print("  tasks left:", len(pyRTOS.tasks))


def raiser(exc):
    def body(self):
        yield
        yield [pyRTOS.delay(1)]
        raise exc
    return body


def steady(self):
    # A task that was running along when the error struck: it just continues.
    yield
    for i in range(5):
        yield [pyRTOS.delay(1)]
    print("  steady finished")


for label, exc in [
    ("a task raises ValueError", ValueError("task failed")),
    ("a task raises KeyboardInterrupt", KeyboardInterrupt()),
    ("a task raises SystemExit", SystemExit(3)),
    ("a task raises StopIteration", StopIteration()),
]:
    pyRTOS.add_task(pyRTOS.Task(raiser(exc), priority=1, name="raiser"))
    pyRTOS.add_task(pyRTOS.Task(steady, priority=2, name="steady"))
    run(label)
    fresh()

for label, exc in [
    ("a service routine raises RuntimeError", RuntimeError("routine failed")),
    ("a service routine raises KeyboardInterrupt", KeyboardInterrupt()),
]:
    armed[0] = exc
    pyRTOS.add_task(pyRTOS.Task(steady, name="steady"))
    run(label)
    fresh()


def bad_scheduler(tasks):
    if dog.loops == 3:
        raise KeyError("scheduler failed")
    return pyRTOS.default_scheduler(tasks)


pyRTOS.add_task(pyRTOS.Task(steady, name="steady"))
run("a user scheduler raises KeyError", bad_scheduler)
fresh()


def bad_return(tasks):
    pyRTOS.default_scheduler(tasks)
    return 5


pyRTOS.add_task(pyRTOS.Task(steady, name="steady"))
run("a user scheduler returns a non-iterable", bad_return)
fresh()
