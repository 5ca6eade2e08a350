# A queued notify_from_isr event keeps its task alive: the queue sits in the
# module state the GC scans. Here events are queued for a task that already
# left the scheduler, every other reference is dropped and the GC runs, then
# new tasks of the same size are added (they would take freed memory). The
# events must be dropped, never applied to a new task.
import gc
import pyRTOS


def forever(self):
    yield
    while True:
        yield


def queue_for_a_dropped_task():
    old = pyRTOS.Task(forever, name="old", notifications=1)
    pyRTOS.add_task(old)
    pyRTOS.default_scheduler(pyRTOS.tasks)
    pyRTOS.tasks.remove(old)
    pyRTOS.default_scheduler(pyRTOS.tasks)  # the scheduler notices it left
    for i in range(8):
        assert old.notify_from_isr(0, 1, 1, pyRTOS.ISR_INC)


queue_for_a_dropped_task()
gc.collect()
fresh = []
for i in range(50):
    t = pyRTOS.Task(forever, name="new%d" % i, notifications=1)
    pyRTOS.add_task(t)
    fresh.append(t)
gc.collect()
pyRTOS.default_scheduler(pyRTOS.tasks)
print("new tasks untouched:", all(t.notify_get_value(0) == 0 and t.notify_get_state(0) == 0 for t in fresh))
print("queue empty again:", all(fresh[0].notify_from_isr(0, 0, 1, pyRTOS.ISR_INC) for i in range(16)))
pyRTOS.default_scheduler(pyRTOS.tasks)
print("all applied to a member:", fresh[0].notify_get_value(0) == 16)
pyRTOS.tasks.clear()
