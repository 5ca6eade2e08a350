# notify_from_isr errors are raised at the call (nothing is queued): index out
# of range (IndexError), a task without notifications (AttributeError), a bad
# mode (ValueError), state/value out of range (OverflowError), wrong types
# (TypeError). With the heap locked, as in a hard IRQ handler, the error keeps
# its type and message (without the task's name, which would need the heap).
import micropython
import pyRTOS
import errcheck
from errcheck import fresh, gen


def check(label, fn):
    errcheck.check(label, fn, show_result=True)


t = pyRTOS.Task(gen, name="n2", notifications=2)
pyRTOS.add_task(t)

print("-- index")
for index in (2, -1, 1000, 2 ** 40):
    check("notify_from_isr(%d)" % index, lambda: t.notify_from_isr(index))
check("notify_from_isr('x')", lambda: t.notify_from_isr("x"))

print("-- tasks without notifications")
for task in (pyRTOS.Task(gen, name="plain"), pyRTOS.Task(gen, name="zero", notifications=0)):
    check("notify_from_isr()", lambda: task.notify_from_isr())

print("-- mode")
for mode in (2, -1, 2 ** 40):
    check("mode=%d" % mode, lambda: t.notify_from_isr(mode=mode))
check("mode=None", lambda: t.notify_from_isr(mode=None))

print("-- state and value ranges")
check("state=128", lambda: t.notify_from_isr(0, 128))
check("state=-129, ISR_INC", lambda: t.notify_from_isr(0, -129, mode=pyRTOS.ISR_INC))
check("value=2**31", lambda: t.notify_from_isr(0, 1, 2 ** 31))
check("value=-2**31-1, ISR_INC", lambda: t.notify_from_isr(0, 1, -2 ** 31 - 1, pyRTOS.ISR_INC))
check("value=1.5", lambda: t.notify_from_isr(0, 1, 1.5))
check("unknown keyword", lambda: t.notify_from_isr(step=1))
check("too many arguments", lambda: t.notify_from_isr(0, 1, 2, 0, 5))

print("-- heap locked")
# As usual for IRQ handlers: without this buffer, ports that allocate it at
# run time (qemu) raise errors in a handler without their message.
if hasattr(micropython, "alloc_emergency_exception_buf"):
    micropython.alloc_emergency_exception_buf(256)


def locked(fn):
    micropython.heap_lock()
    try:
        return fn()
    finally:
        micropython.heap_unlock()


check("index 2", lambda: locked(lambda: t.notify_from_isr(2)))
check("mode 5", lambda: locked(lambda: t.notify_from_isr(0, 1, None, 5)))
plain = pyRTOS.Task(gen, name="plain")
check("no notifications", lambda: locked(lambda: plain.notify_from_isr()))

print("-- nothing was queued; the scheduler still runs")
pyRTOS.default_scheduler(pyRTOS.tasks)
print("slots:", t.notify_get_state(0), t.notify_get_value(0), t.notify_get_state(1), t.notify_get_value(1))
print("overflows:", pyRTOS.isr_overflows())
pyRTOS.tasks.clear()
fresh("after errors")
