# Notification errors name the task: index out of range or negative (IndexError), state outside int8 / value outside int32 (OverflowError), a task without notifications (AttributeError); slots stay unchanged and start() still runs.
import pyRTOS
import errcheck
from errcheck import fresh, gen


def check(label, fn):
    # Calls that do not fail print their result too.
    errcheck.check(label, fn, show_result=True)


t = pyRTOS.Task(gen, name="n2", notifications=2)
t.notify_set_value(0, 5, 77)
t.notify_set_value(1, -3, -9)

print("-- index out of range / negative")
for index in (2, -1, 1000, 2 ** 40):
    check("set_value(%d)" % index, lambda: t.notify_set_value(index))
    check("inc_value(%d)" % index, lambda: t.notify_inc_value(index))
    check("get_value(%d)" % index, lambda: t.notify_get_value(index))
    check("set_state(%d)" % index, lambda: t.notify_set_state(index))
    check("inc_state(%d)" % index, lambda: t.notify_inc_state(index))
    check("get_state(%d)" % index, lambda: t.notify_get_state(index))
    check("wait_for_notification(%d)" % index, lambda: t.wait_for_notification(index))
    check("pyRTOS.wait_for_notification(t, %d)" % index, lambda: pyRTOS.wait_for_notification(t, index))
check("set_state(index='x')", lambda: t.notify_set_state("x"))

print("-- state outside int8")
for state in (128, -129, 1000):
    check("set_value(0, %d)" % state, lambda: t.notify_set_value(0, state))
    check("inc_value(0, %d)" % state, lambda: t.notify_inc_value(0, state))
    check("set_state(0, %d)" % state, lambda: t.notify_set_state(0, state))
    check("inc_state(0, %d)" % state, lambda: t.notify_inc_state(0, state))
    check("wait_for_notification(0, %d)" % state, lambda: t.wait_for_notification(0, state))
    check("pyRTOS.wait_for_notification(t, 0, %d)" % state, lambda: pyRTOS.wait_for_notification(t, 0, state))
check("set_state(1, 127)", lambda: t.notify_set_state(1, 127))
check("set_state(1, -128)", lambda: t.notify_set_state(1, -128))

print("-- value outside int32")
for value in (2 ** 31, -2 ** 31 - 1):
    check("set_value(0, 1, %d)" % value, lambda: t.notify_set_value(0, 1, value))
    check("inc_value(0, 1, %d)" % value, lambda: t.notify_inc_value(0, 1, value))
check("set_value(0, 1, 2**70)", lambda: t.notify_set_value(0, 1, 2 ** 70))
print("slot 0 untouched, slot 1 state -128:", t.notify_get_state(0), t.notify_get_value(0), t.notify_get_state(1), t.notify_get_value(1))

print("-- tasks without notifications")
for task in (pyRTOS.Task(gen, name="plain"), pyRTOS.Task(gen, name="zero", notifications=0), pyRTOS.Task(gen)):
    check("set_value", lambda: task.notify_set_value())
    check("inc_value", lambda: task.notify_inc_value())
    check("get_value", lambda: task.notify_get_value())
    check("set_state", lambda: task.notify_set_state())
    check("inc_state", lambda: task.notify_inc_state())
    check("get_state", lambda: task.notify_get_state())
    check("wait_for_notification", lambda: task.wait_for_notification())
    check("pyRTOS.wait_for_notification", lambda: pyRTOS.wait_for_notification(task))


# A task that makes a bad notify call inside start(): the error propagates out
# of start() naming the notified task.
def bad_notifier(self):
    yield
    t.notify_set_state(5, 1)
    yield


pyRTOS.add_task(pyRTOS.Task(bad_notifier, name="bad_notifier"))
check("start() with a bad notify inside a task", pyRTOS.start)
fresh("after notification errors:")
