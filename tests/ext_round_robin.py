# round_robin_scheduler: equal priorities take turns; better priorities always
# win; otherwise the pass is the default one. Each scenario prints the order in
# which tasks ran, under the default scheduler and under round robin.
import pyRTOS

order = []


def yielder(n):
    def body(self):
        yield
        for i in range(n):
            order.append(self.name)
            yield

    return body


def run(title, setup, **start):
    for scheduler in (None, pyRTOS.round_robin_scheduler):
        order.clear()
        setup()
        pyRTOS.start(scheduler=scheduler, **start)
        print(title, "rr" if scheduler else "default", " ".join(order))


def equal():
    for name in "abc":
        pyRTOS.add_task(pyRTOS.Task(yielder(3), priority=1, name=name))


run("equal:", equal)


def mixed():
    pyRTOS.add_task(pyRTOS.Task(yielder(2), priority=5, name="low1"))
    pyRTOS.add_task(pyRTOS.Task(yielder(2), priority=5, name="low2"))
    pyRTOS.add_task(pyRTOS.Task(yielder(2), priority=1, name="hi1"))
    pyRTOS.add_task(pyRTOS.Task(yielder(2), priority=1, name="hi2"))
    pyRTOS.add_task(pyRTOS.Task(yielder(1), priority=0, name="top"))


run("mixed:", mixed)


# b blocks for a while, then joins the rotation again after the task that ran last.
def sleeper(self):
    yield
    order.append("b")
    yield [pyRTOS.delay(4)]
    for i in range(3):
        order.append("b")
        yield


def blocking():
    pyRTOS.add_task(pyRTOS.Task(yielder(5), priority=1, name="a"))
    pyRTOS.add_task(pyRTOS.Task(sleeper, priority=1, name="b"))
    pyRTOS.add_task(pyRTOS.Task(yielder(5), priority=1, name="c"))


run("blocking:", blocking)


# a high-priority task wakes up in the middle: it runs at once; afterwards the
# rotation goes on after the task that ran last.
def waker(self):
    yield
    yield [pyRTOS.delay(3)]
    order.append("W")


def preempting():
    pyRTOS.add_task(pyRTOS.Task(waker, priority=0, name="W"))
    for name in "abc":
        pyRTOS.add_task(pyRTOS.Task(yielder(3), priority=1, name=name))


run("preempt:", preempting)


# Tasks added and finishing mid-run: d, added by a, joins at the end of the
# priority; c ends early and the rotation skips it from then on.
def adder(self):
    yield
    order.append("a")
    yield
    pyRTOS.add_task(pyRTOS.Task(yielder(3), priority=1, name="d"))
    for i in range(3):
        order.append("a")
        yield


def changing():
    pyRTOS.add_task(pyRTOS.Task(adder, priority=1, name="a"))
    pyRTOS.add_task(pyRTOS.Task(yielder(4), priority=1, name="b"))
    pyRTOS.add_task(pyRTOS.Task(yielder(1), priority=1, name="c"))


run("changing:", changing)

# A task removed by hand leaves the rotation; the others go on.
def remover(self):
    yield
    for i in range(4):
        order.append("a")
        if i == 1:
            pyRTOS.tasks.remove(victim)
        yield


victim = None


def hand_edit():
    global victim
    victim = pyRTOS.Task(yielder(9), priority=1, name="v")
    pyRTOS.add_task(pyRTOS.Task(remover, priority=1, name="a"))
    pyRTOS.add_task(victim)
    pyRTOS.add_task(pyRTOS.Task(yielder(4), priority=1, name="c"))


run("removed:", hand_edit)


# Called from a user scheduler, round_robin_scheduler(tasks) is the same pass.
def user_scheduler(tasks):
    return pyRTOS.round_robin_scheduler(tasks)


order.clear()
equal()
pyRTOS.start(scheduler=user_scheduler)
print("from Python:", " ".join(order))

# Over a list of its own (not pyRTOS.tasks): the walk of pass_over_list.
order.clear()
own = [pyRTOS.Task(yielder(2), priority=1, name=n) for n in "xyz"]
for t in own:
    t.initialize()
for i in range(8):
    print(pyRTOS.round_robin_scheduler(own), end=" ")
print()
print("own list:", " ".join(order), [t.runs for t in own])

# Messages are delivered as with the default scheduler.
def sender(self):
    yield
    self.send(pyRTOS.Message(200, self, "receiver", "hello"))
    yield


def receiver(self):
    yield
    yield [pyRTOS.wait_for_message(self)]
    print("received", [m.message for m in self.recv()])


pyRTOS.add_task(pyRTOS.Task(receiver, priority=1, name="receiver", mailbox=True))
pyRTOS.add_task(pyRTOS.Task(sender, priority=1, name="sender"))
pyRTOS.start(scheduler=pyRTOS.round_robin_scheduler)
