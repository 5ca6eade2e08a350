# Messages a task sends just before it returns are delivered when it ends (the pass it returns in).
# Deliberate difference from the original (SPEC section 3): there they wait until some other task next yields;
# below no other task yields again, so the original wakes both receivers through their delays with no messages.
import pyRTOS

P = [0]
def count_pass():
    P[0] += 1
pyRTOS.add_service_routine(count_pass)

def sender(self):
    yield
    yield [pyRTOS.delay(3)]            # the other two are blocked by then
    self.send(pyRTOS.Message(128, self, "receiver", "last words"))
    self.send(pyRTOS.Message(129, self, late, "to an object"))
    print("sender returns at pass", P[0])

def receiver(self):
    yield
    yield [pyRTOS.wait_for_message(self), pyRTOS.delay(5)]
    print("receiver woke at pass", P[0], "with", [m.message for m in self.recv()])

def late_fn(self):
    yield
    yield [pyRTOS.wait_for_message(self), pyRTOS.delay(20)]
    print("late woke at pass", P[0], "with", [m.message for m in self.recv()])

late = pyRTOS.Task(late_fn, priority=3, name="late", mailbox=True)
pyRTOS.add_task(pyRTOS.Task(sender, priority=1, name="sender"))
pyRTOS.add_task(pyRTOS.Task(receiver, priority=2, name="receiver", mailbox=True))
pyRTOS.add_task(late)
pyRTOS.start()
