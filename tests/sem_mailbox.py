# Mailboxes: wait_for_message stays true while the mailbox is non-empty, may watch another task, messages arrive after the sender yields and in send order, a service routine may deliver().
import pyRTOS

P = [0]
sr_mail = []
def service():
    P[0] += 1
    while sr_mail:
        box.deliver(sr_mail.pop(0))
pyRTOS.add_service_routine(service)

def box_fn(self):
    yield
    p = P[0]
    yield [pyRTOS.wait_for_message(self)]
    print("box woke after", P[0] - p, "passes, count", self.message_count())
    p = P[0]
    yield [pyRTOS.wait_for_message(self)]        # not emptied: true at the first evaluation
    print("still non-empty: woke after", P[0] - p, "pass")
    msgs = self.recv()
    print("recv:", [m.message for m in msgs], "then count", self.message_count(), "then recv", self.recv())
    sr_mail.append("from a service routine")
    p = P[0]
    yield [pyRTOS.wait_for_message(self)]
    print("service routine delivery woke it after", P[0] - p, "pass:", self.recv()[0])
    self.send(pyRTOS.Message(130, self, self, "to myself"))
    print("own message not delivered before the yield:", self.message_count())
    yield
    print("own message after the yield:", [m.message for m in self.recv()])

def sender(self):
    yield
    yield [pyRTOS.delay(1)]
    for i in range(3):
        self.send(pyRTOS.Message(128, self, "box", i))
    print("sender sent 3, box count before yield:", box.message_count())
    yield

def watcher(self):
    yield
    yield [pyRTOS.wait_for_message(box)]          # watching another task's mailbox
    print("watcher saw box's mailbox non-empty at pass", P[0])

box = pyRTOS.Task(box_fn, priority=3, name="box", mailbox=True)
pyRTOS.add_task(box)
pyRTOS.add_task(pyRTOS.Task(sender, priority=2, name="sender"))
pyRTOS.add_task(pyRTOS.Task(watcher, priority=1, name="watcher"))
pyRTOS.start()
