# Task.thread is None before initialize(); a manual initialize() runs setup once (add_task does not re-run it); run_next() resumes once and returns the messages sent.
import pyRTOS

setups = []

def body(self):
    setups.append(self.name)
    print("setup", self.name)
    yield
    self.send(pyRTOS.Message(128, self, "peer", "hello"))
    self.send(pyRTOS.Message(129, self, "peer"))
    yield
    print(self.name, "blocks")
    yield [pyRTOS.delay(1)]
    print(self.name, "step after block")
    yield
    print(self.name, "last step")

def peer_fn(self):
    yield
    yield [pyRTOS.wait_for_message(self)]
    for msg in self.recv():
        print("peer got", msg.type, msg.message)

t = pyRTOS.Task(body, priority=2, name="t")
print("thread before initialize:", t.thread)
t.initialize()
print("thread after initialize is None:", t.thread is None)
msgs = t.run_next()
print("run_next returned", len(msgs), "messages:", [(m.type, m.target, m.message) for m in msgs])
print("state still READY:", t.state == pyRTOS.READY, "conditions:", len(t.ready_conditions))
print("run_next with nothing sent:", t.run_next())
print("blocked:", t.state == pyRTOS.BLOCKED, "conditions:", len(t.ready_conditions))
pyRTOS.add_task(t)                       # already initialized: setup not run again
print("setups:", setups)
peer = pyRTOS.Task(peer_fn, priority=1, name="peer", mailbox=True)
pyRTOS.add_task(peer)
for m in msgs:
    peer.deliver(m)                      # hand the collected messages over by hand
pyRTOS.start()
print("setups at the end:", setups)
