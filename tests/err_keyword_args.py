# Optional parameters the original (pure-Python) API takes by keyword are accepted by keyword too, not rejected with a spurious TypeError.
import pyRTOS
from errcheck import gen


def check(label, fn):
    try:
        print(label, "->", fn())
    except Exception as e:
        print(label, "->", type(e).__name__, str(e))


t = pyRTOS.Task(func=gen, priority=3, name="t", notifications=2, mailbox=False)
check("Task keywords", lambda: (t.priority, t.name))
check("MessageQueue(capacity=2)", lambda: type(pyRTOS.MessageQueue(capacity=2)).__name__)
check("Message(..., message=5).message", lambda: pyRTOS.Message(128, None, "x", message=5).message)
check("notify_set_value(index=1, state=2, value=7)", lambda: t.notify_set_value(index=1, state=2, value=7))
check("notify_inc_value(index=1, state=3, step=2)", lambda: t.notify_inc_value(index=1, state=3, step=2))
check("notify_set_state(index=1, state=4)", lambda: t.notify_set_state(index=1, state=4))
check("notify_inc_state(index=1, step=2)", lambda: t.notify_inc_state(index=1, step=2))
check("notify_get_value(index=1)", lambda: t.notify_get_value(index=1))
check("notify_get_state(index=1)", lambda: t.notify_get_state(index=1))
check("t.wait_for_notification(index=1, state=0)", lambda: t.wait_for_notification(index=1, state=0) is not None)
check("wait_for_notification(t, index=1, state=0)", lambda: pyRTOS.wait_for_notification(t, index=1, state=0) is not None)
check("start(scheduler=None)", lambda: pyRTOS.start(scheduler=None))
