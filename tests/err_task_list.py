# Non-Task objects put into pyRTOS.tasks by hand make start() raise a TypeError (no crash); once removed, start() runs again; a Task appended by hand without initialize() raises naming it.
import pyRTOS

LIMIT = 2000
loops = [0]


class Stuck(Exception):
    pass


def watchdog():
    loops[0] += 1
    if loops[0] > LIMIT:
        raise Stuck


pyRTOS.add_service_routine(watchdog)


def run(label, fn=pyRTOS.start):
    loops[0] = 0
    try:
        fn()
        print(label, "-> returned")
    except Stuck:
        print(label, "-> stuck; tasks:", [(t.name, t.state) for t in pyRTOS.tasks])
    except Exception as e:
        print(label, "->", type(e).__name__, str(e))


def named(n, steps=2):
    def body(self):
        yield
        for i in range(steps):
            yield [pyRTOS.delay(1)]
        print("  ", n, "done")
    return pyRTOS.Task(body, name=n)


pyRTOS.add_task(named("a"))
pyRTOS.tasks.append(42)
run("start() with an int in the list")
print("  list:", [getattr(t, "name", t) for t in pyRTOS.tasks])
run("add_task() with an int in the list", lambda: pyRTOS.add_task(named("b")))
pyRTOS.tasks.insert(0, None)
run("start() with None first in the list")
pyRTOS.tasks.remove(42)
pyRTOS.tasks.remove(None)
run("start() after removing them")
print("  list:", pyRTOS.tasks)

# A Task appended by hand without being initialized.
raw = named("raw")
pyRTOS.tasks.append(raw)
run("start() with an uninitialized task appended by hand")
pyRTOS.tasks.remove(raw)
pyRTOS.add_task(named("fresh"))
run("start() after removing it")
print("  list:", pyRTOS.tasks)

# A Task appended by hand after initialize() runs like an added one.
t = named("by_hand")
t.initialize()
pyRTOS.tasks.append(t)
run("start() with an initialized task appended by hand")
print("  list:", pyRTOS.tasks)
