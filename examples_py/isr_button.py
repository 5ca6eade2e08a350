# A button handled by an interrupt: the IRQ handler only queues a
# notification with Task.notify_from_isr (no allocation, no lock); the task
# that waits for it does the work at the next scheduler pass.
#
# On a board the handler is a hard IRQ handler:
#     button = machine.Pin(0, machine.Pin.IN, machine.Pin.PULL_UP)
#     button.irq(on_press, trigger=machine.Pin.IRQ_FALLING, hard=True)
# Here a task simulates the presses: it schedules the handler with
# micropython.schedule, and the handler locks the heap around the call, as in
# a hard IRQ.
import micropython
import pyRTOS


def on_press(pin):
    # State 1 wakes the waiting task; the value counts presses, so two
    # presses before the task runs are not lost. False: the queue was full
    # (pyRTOS.isr_overflows() counts it).
    handler.notify_from_isr(0, 1, 1, pyRTOS.ISR_INC)


def simulated_irq(pin):
    micropython.heap_lock()  # as in a hard IRQ handler: allocating would raise
    try:
        on_press(pin)
    finally:
        micropython.heap_unlock()


def handle_presses(self):
    yield
    handled = 0
    while handled < 6:
        yield [self.wait_for_notification(0, 1)]
        presses = self.notify_get_value(0)
        print("handled %d press(es), %d in all" % (presses - handled, presses))
        handled = presses
    print("missed (queue full):", pyRTOS.isr_overflows())


def press_button(self):
    yield
    for presses in (1, 1, 2, 1, 1):  # a double press lands between two passes
        yield [pyRTOS.timeout(0.01)]
        for _ in range(presses):
            micropython.schedule(simulated_irq, None)


handler = pyRTOS.Task(handle_presses, priority=1, name="handler", notifications=1)
pyRTOS.add_task(handler)
pyRTOS.add_task(pyRTOS.Task(press_button, priority=2, name="button"))
pyRTOS.start()
