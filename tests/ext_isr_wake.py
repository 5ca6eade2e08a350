# A scheduler asleep until a far deadline (every task in a 30 s timeout) is
# woken by notify_from_isr: on unix from a second thread, which runs while the
# scheduler sleeps (the sleep releases the GIL) and ends the sleep at once; on
# ports without _thread (qemu) from a micropython.schedule callback, which the
# port's event wait runs. The producer repeats the event until the task woke:
# the first one may land before the task's wait started (which clears it).
import micropython
import pyRTOS

try:
    import _thread
    import time
except ImportError:
    _thread = None

woke = []


def producer_thread():
    while not woke:
        sleeper.notify_from_isr(0, 1, 42)
        time.sleep_ms(20)


def producer_callback(_):
    if not woke:
        sleeper.notify_from_isr(0, 1, 42)
        micropython.schedule(producer_callback, None)


def sleep_long(self):
    yield
    if _thread:
        _thread.start_new_thread(producer_thread, ())
    else:
        micropython.schedule(producer_callback, None)
    yield [self.wait_for_notification(0, 1), pyRTOS.timeout(30)]
    woke.append(self.notify_get_state(0) == 1)
    print("sleeper woken by", "the notification, value %d" % self.notify_get_value(0) if woke[0] else "its timeout")
    other.notify_set_state(0, 1)


def other_sleeper(self):
    yield
    yield [pyRTOS.timeout(30), self.wait_for_notification(0, 1)]
    print("other sleeper done")


sleeper = pyRTOS.Task(sleep_long, name="sleeper", notifications=1)
other = pyRTOS.Task(other_sleeper, name="other", notifications=1)
pyRTOS.add_task(sleeper)
pyRTOS.add_task(other)
pyRTOS.start()
