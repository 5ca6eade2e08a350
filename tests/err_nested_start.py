# start() called while start() runs (from a task, a user condition or a service routine) raises RuntimeError; the running scheduler goes on (or stops with that error when uncaught) and start() works again afterwards.
import pyRTOS


def nested(self):
    yield
    try:
        pyRTOS.start()
    except RuntimeError as e:
        print("task:", e)
    yield


def ends(self):
    yield
    print("other task ran")


pyRTOS.add_task(pyRTOS.Task(nested, name="nested"))
pyRTOS.add_task(pyRTOS.Task(ends, name="ends"))
pyRTOS.start()


def routine():
    pyRTOS.start()


pyRTOS.add_service_routine(routine)
pyRTOS.add_task(pyRTOS.Task(ends, name="ends"))
try:
    pyRTOS.start()
except RuntimeError as e:
    print("service routine:", e)
print("tasks left:", len(pyRTOS.tasks))
