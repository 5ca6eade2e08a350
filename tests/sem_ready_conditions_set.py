# Assigning task.ready_conditions from Python, as a Python scheduler of the original does: a blocked task is evaluated on its new list (it waited for ever on its old one before), and a READY task runs whatever its list says.
import pyRTOS
from errcheck import Watchdog

dog = Watchdog()  # a task never evaluated again would leave start() looping: Stuck instead


def waiter(self):
    yield
    yield [pyRTOS.wait_for_message(self)]  # no message ever comes
    print("waiter woke, messages:", self.message_count())


def replacer(self):
    yield
    print("waiter blocked:", waiter_task.state == pyRTOS.BLOCKED)
    waiter_task.ready_conditions = [pyRTOS.wait_for_notification(waiter_task, 0, 1)]
    yield [pyRTOS.delay(2)]
    print("waiter still blocked:", waiter_task.state == pyRTOS.BLOCKED)
    waiter_task.notify_set_state(0, 1)
    yield
    print("replacer done")


def ready_one(self):
    yield
    self.ready_conditions = [pyRTOS.timeout(3600)]
    yield
    print("READY task ran on, state READY or RUNNING:", self.state in (pyRTOS.READY, pyRTOS.RUNNING))


waiter_task = pyRTOS.Task(waiter, priority=1, mailbox=True, notifications=1)
pyRTOS.add_task(waiter_task)
pyRTOS.add_task(pyRTOS.Task(replacer, priority=2))
pyRTOS.add_task(pyRTOS.Task(ready_one, priority=3))
dog.start()
print("all done")
