# One condition object (wait_for_message, MessageQueue.send) in the lists of two tasks: it registers for the first task that evaluates it (the others poll it); another task that stops waiting on it (woken by another condition) must not unregister it, or the first would never wake.
import pyRTOS
from errcheck import Stuck, Watchdog

dog = Watchdog(limit=200)


def case(label, make_shared, trigger):
    print(label)
    shared = make_shared()

    def first(self):
        yield
        yield [shared]
        print("  first woke")

    def second(self):
        yield
        yield [shared, self.wait_for_notification(0, 1)]
        print("  second woke")

    def third(self):
        yield
        yield [pyRTOS.delay(1)]
        t2.notify_set_state(0, 1)
        yield [pyRTOS.delay(1)]
        trigger()

    t2 = pyRTOS.Task(second, priority=2, name="second", notifications=1)
    pyRTOS.add_task(pyRTOS.Task(first, priority=1, name="first"))
    pyRTOS.add_task(t2)
    pyRTOS.add_task(pyRTOS.Task(third, priority=3, name="third"))
    try:
        dog.start()
        print("  start() returned")
    except Stuck:
        print("  start() stuck; tasks:", [(t.name, t.state) for t in pyRTOS.tasks])
        pyRTOS.tasks.clear()


inbox = pyRTOS.Task(lambda self: (yield), name="inbox", mailbox=True)
case("wait_for_message", lambda: pyRTOS.wait_for_message(inbox), lambda: inbox.deliver(pyRTOS.Message(200, None, inbox)))
queue = pyRTOS.MessageQueue(1)
queue.nb_send("full")
case("queue send", lambda: queue.send("item"), queue.nb_recv)
print("queued:", queue.nb_recv(), queue.nb_recv())
