# One condition object in two tasks' lists: when one task stops waiting on it, the other still wakes when it comes true (its registration was dropped, and it waited for ever, before).
import pyRTOS
from errcheck import Watchdog

dog = Watchdog()  # a task never woken would leave start() looping: Stuck instead


def holder(self):
    yield
    yield [pyRTOS.delay(100)]


def a(self):
    yield
    yield [shared]
    print("a woke on the shared condition")


def b(self):
    yield
    yield [shared, pyRTOS.wait_for_message(self)]
    print("b woke on its message")


def c(self):
    yield
    yield [pyRTOS.delay(3)]
    print("c delivers to b")
    b_task.deliver(pyRTOS.Message(128, self, b_task))
    yield [pyRTOS.delay(3)]
    print("c notifies the holder")
    holder_task.notify_set_state(0, 1)


holder_task = pyRTOS.Task(holder, priority=4, notifications=1)
shared = pyRTOS.wait_for_notification(holder_task, 0, 1)
b_task = pyRTOS.Task(b, priority=2, mailbox=True)
for t in (pyRTOS.Task(a, priority=1), b_task, pyRTOS.Task(c, priority=3), holder_task):
    pyRTOS.add_task(t)
dog.start()
print("done")
