# A task that returns while conditions it yielded are still registered (its
# state was set to READY by hand while it was blocked) is not kept alive by
# them: a timeout in the kernel's timers, a request in a held mutex's wait
# list, a recv() in an empty queue's wait list and a notification wait on
# another task, all of which outlive it here. The task holds a 50 KB local.
import pyRTOS
from gccheck import freed

KB50 = 50000
keeper = pyRTOS.Task(lambda self: (yield), notifications=1, mailbox=True)
mutex = pyRTOS.Mutex()
mutex.nb_lock(keeper)  # held for good
queue = pyRTOS.MessageQueue()  # stays empty


def waiter(self):
    payload = bytearray(KB50)
    buf = []
    yield
    yield [pyRTOS.timeout(3600), mutex.lock(self), queue.recv(buf),
           pyRTOS.wait_for_notification(keeper), pyRTOS.wait_for_message(keeper)]
    print("runs on, state", self.state, "payload", len(payload), "received", buf)


def readier(self):
    yield
    # The first pass ran waiter(), which registered its five conditions.
    waiting = pyRTOS.tasks[0]
    print("blocked:", waiting.state == pyRTOS.BLOCKED)
    waiting.state = pyRTOS.READY


def run():
    pyRTOS.add_task(pyRTOS.Task(waiter, priority=1))
    pyRTOS.add_task(pyRTOS.Task(readier, priority=2))
    pyRTOS.start()


freed("finished task", run)

# The objects it waited on work on.
keeper.notify_set_state()
keeper.deliver(pyRTOS.Message(128, None, keeper))
print("queue:", queue.nb_send(1), queue.nb_recv(), "mailbox:", keeper.message_count())
mutex.unlock()
print("mutex:", mutex.nb_lock(pyRTOS.Task(lambda self: (yield))))
