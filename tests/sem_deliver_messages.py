# deliver_messages(messages, tasks) called directly: by task object, by name (first task in priority order wins), int names, unknown names dropped.
import pyRTOS

def idle(self):
    yield

a = pyRTOS.Task(idle, priority=3, name="dup", mailbox=True)
b = pyRTOS.Task(idle, priority=1, name="dup", mailbox=True)   # better priority, added later
c = pyRTOS.Task(idle, priority=2, name=7, mailbox=True)
d = pyRTOS.Task(idle, priority=2, name="seven", mailbox=True)
for t in (a, b, c, d):
    pyRTOS.add_task(t)

msgs = [
    pyRTOS.Message(128, None, "dup", "by name"),
    pyRTOS.Message(129, None, a, "by object"),
    pyRTOS.Message(130, None, 7, "int name"),
    pyRTOS.Message(131, None, "nobody", "dropped"),
    pyRTOS.Message(132, None, 99, "dropped too"),
    pyRTOS.Message(133, None, "seven", "str name"),
]
pyRTOS.deliver_messages(msgs, pyRTOS.tasks)
for label, t in (("a", a), ("b", b), ("c", c), ("d", d)):
    print(label, [(m.type, m.message) for m in t.recv()])

# with an explicit list, the first matching task in that list wins; a task need not be registered for delivery by object
lone = pyRTOS.Task(idle, name="lone", mailbox=True)
pyRTOS.deliver_messages([pyRTOS.Message(140, None, "dup"), pyRTOS.Message(141, None, lone)], [a, b])
print("a", [m.type for m in a.recv()], "b", [m.type for m in b.recv()], "lone", [m.type for m in lone.recv()])
pyRTOS.deliver_messages([], pyRTOS.tasks)
print("empty list ok")
pyRTOS.start()
