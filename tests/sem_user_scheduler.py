# start(scheduler=fn): fn gets the live task list once per OS loop (after the service routines), may wrap default_scheduler, and the messages it returns are delivered.
import pyRTOS

log = []
passes = [0]

def service():
    log.append("sr")
pyRTOS.add_service_routine(service)

def counting(tasks):
    passes[0] += 1
    log.append("sched")
    if tasks is not pyRTOS.tasks:
        print("scheduler did not get the live list")
    msgs = pyRTOS.default_scheduler(tasks)
    if passes[0] == 3:
        # the scheduler may add its own messages; they are delivered like the tasks' ones
        msgs = msgs + [pyRTOS.Message(200, "scheduler", "rx", "from the scheduler")]
    return msgs

def tx(self):
    yield
    self.send(pyRTOS.Message(128, self, "rx", "from tx"))
    log.append("tx sent")
    yield

def rx(self):
    yield
    while True:
        yield [pyRTOS.wait_for_message(self)]
        for m in self.recv():
            print("rx got", m.type, m.message, "in pass", passes[0])
            if m.type == 200:
                return

pyRTOS.add_task(pyRTOS.Task(tx, priority=1, name="tx"))
pyRTOS.add_task(pyRTOS.Task(rx, priority=2, name="rx", mailbox=True))
pyRTOS.start(scheduler=counting)
print("passes", passes[0])
print(" ".join(log[:8]))

# a scheduler that drops the messages: nothing is delivered
def dropping(tasks):
    pyRTOS.default_scheduler(tasks)
    return []
got = []
def tx2(self):
    yield
    self.send(pyRTOS.Message(128, self, "rx2"))
    yield
def rx2(self):
    yield
    yield [pyRTOS.wait_for_message(self), pyRTOS.delay(3)]
    got.append(self.message_count())
pyRTOS.add_task(pyRTOS.Task(tx2, priority=1, name="tx2"))
pyRTOS.add_task(pyRTOS.Task(rx2, priority=2, name="rx2", mailbox=True))
pyRTOS.start(dropping)
print("dropped messages, rx2 mailbox:", got)
pyRTOS.add_task(pyRTOS.Task(tx, priority=1, name="tx"))
pyRTOS.start(scheduler=None)   # None means the default scheduler
print("default again ok")
