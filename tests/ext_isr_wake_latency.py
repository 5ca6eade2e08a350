# notify_from_isr ends the scheduler's idle sleep at once, not at the end of
# the sleep slice. The unix loop sleeps at most 100 ms at a time (see
# PYRTOS_IDLE_SLICE_MS), so a wake that did not cut the sleep short would
# still come within 100 ms: here a second thread sends one event 20 ms into
# a slice, and the task, blocked on the notification and a 30 s timeout, must
# run within 50 ms of it (a missed wake comes some 80 ms late; a wake takes
# 0.2 ms, 12 ms under valgrind). Needs _thread: the Makefile skips it on the
# ports without.
import _thread
import time
import pyRTOS

waiting = []  # ticks_ms() just before the task's wait starts
sent = []  # ticks_us() when the event went out


def producer():
    while not waiting:
        time.sleep_ms(1)
    # The scheduler evaluates the wait in its next pass and then sleeps; its
    # slice starts about when `waiting` was set.
    time.sleep_ms(20 - time.ticks_diff(time.ticks_ms(), waiting[0]))
    sent.append(time.ticks_us())
    task.notify_from_isr(0, 1, 7)


def sleeper(self):
    yield
    _thread.start_new_thread(producer, ())
    waiting.append(time.ticks_ms())
    yield [self.wait_for_notification(0, 1), pyRTOS.timeout(30)]
    late_ms = time.ticks_diff(time.ticks_us(), sent[0]) / 1000 if sent else None
    print("woken by the notification:", self.notify_get_value(0) == 7)
    print("within 50 ms of it:", late_ms is not None and late_ms < 50 or late_ms)


task = pyRTOS.Task(sleeper, name="sleeper", notifications=1)
pyRTOS.add_task(task)
pyRTOS.start()
