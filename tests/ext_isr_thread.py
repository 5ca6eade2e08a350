# notify_from_isr from outside the scheduler's flow: on unix a second thread
# (the stand-in for an interrupt) hammers it while a task waits; every event is
# applied, in order, or refused and counted as an overflow. Then a scheduler
# asleep in long timeouts is woken by an event. Ports without _thread (qemu)
# produce the events from micropython.schedule callbacks instead, with the
# same output.
import micropython
import pyRTOS

try:
    import _thread
    import time
except ImportError:
    _thread = None

N = 3000
SET, INC = pyRTOS.ISR_SET, pyRTOS.ISR_INC
tally = {"wakes": 0, "last": -1, "refused": 0}


def produce(i):
    # Slot 0: wake the consumer (state 1) and count (value + 1); slot 1: the
    # sequence number, to check the order.
    if counter.notify_from_isr(0, 1, 1, INC):
        tally["wakes"] += 1
    else:
        tally["refused"] += 1
    if counter.notify_from_isr(1, 0, i, SET):
        tally["last"] = i
    else:
        tally["refused"] += 1


def finish():
    # Slot 2: done; queued after every other event, so applied after them.
    if counter.notify_from_isr(2, 0, 1):
        return True
    tally["refused"] += 1
    return False


# Before start() nothing applies events: 24 of them overflow the 16 slots.
FIRST = 12


def producer_thread():
    for i in range(FIRST, N):
        produce(i)
        if i % 12 == 11:
            # Bursts of 24 events, more than the queue holds; the scheduler's
            # thread gets the GIL in between (an interrupt would not wait).
            time.sleep_ms(1)
    while not finish():
        time.sleep_ms(1)


def producer_callback(i):
    # Without threads: a few events per callback, rescheduled until done.
    for j in range(i, min(i + 7, N)):
        produce(j)
    if i + 7 < N:
        micropython.schedule(producer_callback, i + 7)
    elif not finish():
        micropython.schedule(producer_callback, N)


seen = []


def consume(self):
    yield
    if _thread:
        _thread.start_new_thread(producer_thread, ())
    else:
        micropython.schedule(producer_callback, FIRST)
    while self.notify_get_value(2) == 0:
        # The timeout only guards against a lost wake-up of this loop; the
        # counts are in the values, which nothing clears.
        yield [self.wait_for_notification(0, 1), pyRTOS.timeout(0.05)]
        seen.append(self.notify_get_value(1))


counter = pyRTOS.Task(consume, name="counter", notifications=3)
pyRTOS.add_task(counter)
for i in range(FIRST):
    produce(i)
print("refused before start():", tally["refused"])
pyRTOS.start()
print("every event applied or counted:", counter.notify_get_value(0) == tally["wakes"] and pyRTOS.isr_overflows() == tally["refused"])
print("last sequence number queued is the one applied:", counter.notify_get_value(1) == tally["last"])
print("sequence numbers seen in order:", all(seen[k] <= seen[k + 1] for k in range(len(seen) - 1)))
print("events applied:", counter.notify_get_value(0) > 0)
