# Condition objects kept at module level (made once, yielded once) do not
# keep the task that waited on them alive after it finished: a timeout, a
# delay and a notification wait, each of which fired. The task holds a
# 50 KB local.
import pyRTOS
from gccheck import freed

KB50 = 50000
keeper = pyRTOS.Task(lambda self: (yield), notifications=1)
TIMEOUT = pyRTOS.timeout(0.001)
DELAY = pyRTOS.delay(2)
NOTE = pyRTOS.wait_for_notification(keeper)


def waiter(self):
    payload = bytearray(KB50)
    yield
    yield [TIMEOUT]
    yield [DELAY]
    yield [NOTE]
    print("woke thrice; payload", len(payload))


def notifier(self):
    yield
    # Runs while the waiter is blocked; finds it without keeping a reference.
    while not any(t.ready_conditions and t.ready_conditions[0] is NOTE for t in pyRTOS.tasks):
        yield
    keeper.notify_set_state()


def run():
    pyRTOS.add_task(pyRTOS.Task(waiter, priority=1, name="waiter"))
    pyRTOS.add_task(pyRTOS.Task(notifier, priority=2))
    pyRTOS.start()


freed("finished task", run)
