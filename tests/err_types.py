# Wrong argument types/values to every constructor and function raise a clear TypeError/ValueError (no crash), and the scheduler still runs a fresh task afterwards.
import pyRTOS
from errcheck import check, fresh, gen

t = pyRTOS.Task(gen, name="t", notifications=1, mailbox=True)

# Task constructor
check("Task(func=5)", lambda: pyRTOS.Task(func=5))
check("Task(None)", lambda: pyRTOS.Task(None))
check("Task(priority='x')", lambda: pyRTOS.Task(gen, priority="x"))
check("Task(priority=1.5)", lambda: pyRTOS.Task(gen, priority=1.5))
check("Task(priority=2**40)", lambda: pyRTOS.Task(gen, priority=2 ** 40))
check("Task(notifications=-1)", lambda: pyRTOS.Task(gen, notifications=-1))
check("Task(notifications=65536)", lambda: pyRTOS.Task(gen, notifications=65536))
check("Task(notifications='2')", lambda: pyRTOS.Task(gen, notifications="2"))
# Mutex / BinarySemaphore
check("Mutex(1)", lambda: pyRTOS.Mutex(1))
check("Mutex().lock(5)", lambda: pyRTOS.Mutex().lock(5))
check("Mutex().nb_lock('t')", lambda: pyRTOS.Mutex().nb_lock("t"))
check("BinarySemaphore().lock(None)", lambda: pyRTOS.BinarySemaphore().lock(None))
check("BinarySemaphore().nb_lock(gen)", lambda: pyRTOS.BinarySemaphore().nb_lock(gen))
# MessageQueue
check("MessageQueue(-1)", lambda: pyRTOS.MessageQueue(-1))
check("MessageQueue('x')", lambda: pyRTOS.MessageQueue("x"))
check("MessageQueue().recv(())", lambda: pyRTOS.MessageQueue().recv(()))
check("MessageQueue().recv(None)", lambda: pyRTOS.MessageQueue().recv(None))
# block conditions
check("timeout('x')", lambda: pyRTOS.timeout("x"))
check("timeout(nan)", lambda: pyRTOS.timeout(float("nan")))
check("timeout_ns('x')", lambda: pyRTOS.timeout_ns("x"))
check("timeout_ns(1.5)", lambda: pyRTOS.timeout_ns(1.5))
check("delay('x')", lambda: pyRTOS.delay("x"))
check("delay(None)", lambda: pyRTOS.delay(None))
check("wait_for_message(5)", lambda: pyRTOS.wait_for_message(5))
check("wait_for_notification('t')", lambda: pyRTOS.wait_for_notification("t"))
check("wait_for_notification(t, 'x')", lambda: pyRTOS.wait_for_notification(t, "x"))
check("wait_for_notification(t, 0, 'x')", lambda: pyRTOS.wait_for_notification(t, 0, "x"))
# module-level OS API
check("add_task(5)", lambda: pyRTOS.add_task(5))
check("add_task(gen)", lambda: pyRTOS.add_task(gen))
check("add_service_routine(5)", lambda: pyRTOS.add_service_routine(5))
check("start(scheduler=5)", lambda: pyRTOS.start(scheduler=5))
check("default_scheduler(5)", lambda: pyRTOS.default_scheduler(5))
check("deliver_messages(5, [])", lambda: pyRTOS.deliver_messages(5, []))
check("deliver_messages([], 5)", lambda: pyRTOS.deliver_messages([], 5))
check("Message(1)", lambda: pyRTOS.Message(1))
# Task attributes
check("t.priority = 'x'", lambda: setattr(t, "priority", "x"))
check("t.ready_conditions = 5", lambda: setattr(t, "ready_conditions", 5))
check("t.ready_conditions = [5]", lambda: setattr(t, "ready_conditions", [5]))
print("priority, state, conditions unchanged:", t.priority, t.state, t.ready_conditions)
print("tasks:", len(pyRTOS.tasks))

fresh("after type errors:")
