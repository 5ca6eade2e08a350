# start(idle_ms=N) lets the loop sleep while service routines are registered,
# but a delay() still counts the passes the routines see: one per routine
# call, as without idle_ms (and in the original), never skipped ahead.
import pyRTOS

calls = [0]


def routine():
    calls[0] += 1
    if calls[0] == 10:
        waiter.notify_set_state(0, 1)


def waits(self):
    yield
    start = calls[0]
    yield [pyRTOS.delay(1000), self.wait_for_notification(0, 1)]
    print("  notified after", calls[0] - start, "routine calls; state", self.notify_get_state(0))
    start = calls[0]
    yield [pyRTOS.delay(5)]
    print("  delay(5) ended after", calls[0] - start, "routine calls")


pyRTOS.add_service_routine(routine)
for idle_ms in (None, 5, 0):
    print("idle_ms", idle_ms)
    calls[0] = 0
    waiter = pyRTOS.Task(waits, name="waiter", notifications=1)
    pyRTOS.add_task(waiter)
    pyRTOS.start(idle_ms=idle_ms)
