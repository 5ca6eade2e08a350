# Task.runs counts the scheduler's resumes of a task (not its set-up at add_task); it is read-only.
import pyRTOS


def three(self):
    yield
    for i in range(3):
        yield
    yield [pyRTOS.delay(2)]  # one more resume to block, one to finish


t = pyRTOS.Task(three, name="three")
print("before add_task:", t.runs)
pyRTOS.add_task(t)
print("after set-up:", t.runs)
pyRTOS.start()
print("after start:", t.runs)
try:
    t.runs = 0
except AttributeError:
    print("runs is read-only")
