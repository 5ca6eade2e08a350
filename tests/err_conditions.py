# A user condition generator that ends (StopIteration) or raises (also KeyboardInterrupt): start() raises (a RuntimeError naming the task / the condition's own exception), and start() can run again: a fresh task completes and start() returns.
import pyRTOS
from errcheck import Watchdog, fresh

# Watchdog: a start() that is still looping after 2000 OS loops is stuck;
# fresh(label, dog) reports that (or any error) and clears the task list so
# the next case starts clean.
dog = Watchdog()


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
        dog.start()
        print("  start() returned without error")
    except Exception as e:
        print(" ", type(e).__name__, str(e))
    fresh("  then:", dog)

print("[a condition that raises KeyboardInterrupt]")
pyRTOS.add_task(pyRTOS.Task(waiter(lambda: [ki_after(1)]), name="waiter"))
try:
    dog.start()
    print("  start() returned without error")
except KeyboardInterrupt:
    print("  KeyboardInterrupt propagated")
except Exception as e:
    print("  wrong exception", type(e).__name__, str(e))
fresh("  then:", dog)
