# A user condition generator that ends (StopIteration) or raises (also KeyboardInterrupt): start() raises (a RuntimeError naming the task / the condition's own exception), and start() can run again: a fresh task completes and start() returns.
import pyRTOS

# Watchdog: a start() that is still looping after LIMIT OS loops is stuck
# (reported, then the task list is cleared so the next case starts clean).
LIMIT = 2000
loops = [0]


class Stuck(Exception):
    pass


def watchdog():
    loops[0] += 1
    if loops[0] > LIMIT:
        raise Stuck


pyRTOS.add_service_routine(watchdog)


def start():
    loops[0] = 0
    pyRTOS.start()


def fresh(label):
    def body(self):
        yield
        yield [pyRTOS.delay(1)]
        print(label, "fresh task ran")
    pyRTOS.add_task(pyRTOS.Task(body, name="fresh"))
    try:
        start()
        print(label, "start() returned, tasks:", len(pyRTOS.tasks))
    except Stuck:
        print(label, "start() stuck; tasks:", [(t.name, t.state) for t in pyRTOS.tasks])
        pyRTOS.tasks.clear()
    except Exception as e:
        print(label, "start() raised again:", type(e).__name__, str(e))
        pyRTOS.tasks.clear()


def ends_after(n):
    for i in range(n):
        yield False


def raises_after(n):
    for i in range(n):
        yield False
    raise OSError(5)


def ki_after(n):
    for i in range(n):
        yield False
    raise KeyboardInterrupt


# The failed task may be dropped or woken up afterwards: it prints nothing
# more, so either is accepted; start() must not fail or hang because of it.
def waiter(make_conditions):
    def body(self):
        yield
        yield [pyRTOS.delay(0)]
        yield make_conditions()
    return body


for label, factory in [
    ("[a condition that ends at once]", lambda: [ends_after(0)]),
    ("[a condition that ends later]", lambda: [ends_after(2)]),
    ("[a condition that raises]", lambda: [raises_after(1)]),
    ("[a condition that raises, delay(5)]", lambda: [raises_after(1), pyRTOS.delay(5)]),
    ("[delay(5), a condition that raises]", lambda: [pyRTOS.delay(5), raises_after(0)]),
]:
    print(label)
    pyRTOS.add_task(pyRTOS.Task(waiter(factory), name="waiter"))
    try:
        start()
        print("  start() returned without error")
    except Exception as e:
        print(" ", type(e).__name__, str(e))
    fresh("  then:")

print("[a condition that raises KeyboardInterrupt]")
pyRTOS.add_task(pyRTOS.Task(waiter(lambda: [ki_after(1)]), name="waiter"))
try:
    start()
    print("  start() returned without error")
except KeyboardInterrupt:
    print("  KeyboardInterrupt propagated")
except Exception as e:
    print("  wrong exception", type(e).__name__, str(e))
fresh("  then:")
