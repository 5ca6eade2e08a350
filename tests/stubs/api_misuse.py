# Type-checked against pyRTOS.pyi by tools/check_stubs.py: mypy must flag
# exactly the lines with an "error" comment, so the stubs do catch misuse.
import pyRTOS


def worker(self: pyRTOS.Task):  # type: ignore[no-untyped-def]
    yield


pyRTOS.Task(worker, priority="high")  # error: priority is an int
pyRTOS.Task()  # error: func is required
pyRTOS.timeout()  # error: seconds is required
pyRTOS.delay(1.5)  # error: cycles is an int
pyRTOS.MessageQueue().nb_recv(1)  # error: no argument
pyRTOS.Mutex().lock()  # error: the task is required
pyRTOS.add_task(worker)  # error: a Task, not a function
pyRTOS.start(idle_ms="x")  # error: idle_ms is an int
pyRTOS.Task(worker).notify_get_value("0")  # error: index is an int
pyRTOS.Task(worker).mailbox()  # error: no such method
pyRTOS.wait_for_message()  # error: the task is required
name: int = pyRTOS.version  # error: version is a str
pyRTOS.Task(worker).runs = 3  # error: runs is read-only
pyRTOS.timeout(seconds=1.0)  # error: positional-only, as in the firmware
pyRTOS.Task(worker).thread = None  # error: thread is read-only
