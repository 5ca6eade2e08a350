# Mailbox errors name the task: deliver/recv/message_count/wait_for_message on a task without a mailbox (AttributeError), a message delivered by start() to such a task; nothing is half-delivered and start() still runs.
import pyRTOS
import errcheck
from errcheck import fresh, gen


def check(label, fn):
    # Calls that do not fail print their result too.
    errcheck.check(label, fn, show_result=True)


for task in (pyRTOS.Task(gen, name="nomb"), pyRTOS.Task(gen, name="nomb2", mailbox=False), pyRTOS.Task(gen)):
    check("deliver", lambda: task.deliver(pyRTOS.Message(128, None, task)))
    check("recv", lambda: task.recv())
    check("message_count", lambda: task.message_count())
    check("wait_for_message", lambda: pyRTOS.wait_for_message(task))

mb = pyRTOS.Task(gen, name="mb", mailbox=True)
check("mailbox task message_count", mb.message_count)
check("mailbox task recv", mb.recv)
check("deliver_messages to a task without a mailbox",
      lambda: pyRTOS.deliver_messages([pyRTOS.Message(128, None, mb), pyRTOS.Message(129, None, pyRTOS.Task(gen, name="x"))], []))
print("mb got the first message only:", mb.message_count(), [m.type for m in mb.recv()])


# Inside start(): a task sends to a task without a mailbox (by object and by
# name); delivery raises out of start() naming the target.
def sender(self):
    yield
    self.send(pyRTOS.Message(128, self, target))
    yield


def quiet(self):
    yield
    yield [pyRTOS.delay(3)]


target = pyRTOS.Task(quiet, name="target")
pyRTOS.add_task(target)
pyRTOS.add_task(pyRTOS.Task(sender, name="sender"))
check("start() delivering to a task without a mailbox (by object)", pyRTOS.start)
target = "target"
pyRTOS.add_task(pyRTOS.Task(sender, name="sender2"))
check("start() delivering to a task without a mailbox (by name)", pyRTOS.start)


# A message that is not a Message (no .target): delivery fails inside start().
def odd_sender(self):
    yield
    self.send(5)
    yield


pyRTOS.add_task(pyRTOS.Task(odd_sender, name="odd"))
check("start() delivering a non-Message", pyRTOS.start)
print("tasks left:", sorted(x.name for x in pyRTOS.tasks))
fresh("after mailbox errors:")
