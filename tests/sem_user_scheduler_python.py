# A scheduler written in Python against the original's OS API: reads/writes task.state, polls ready_conditions, calls run_next(), catches StopIteration and removes finished tasks from the live list.
import pyRTOS

order = []

def round_robin(tasks):
    # like the original default_scheduler, but equal priorities take turns
    messages = []
    chosen = None
    for task in tasks:
        if task.state == pyRTOS.BLOCKED:
            for c in task.ready_conditions:
                if next(c):
                    task.state = pyRTOS.READY
                    task.ready_conditions = []
                    break
    best = min([t.priority for t in tasks if t.state in (pyRTOS.READY, pyRTOS.RUNNING)] or [None])
    if best is None:
        return messages
    group = [t for t in tasks if t.priority == best and t.state in (pyRTOS.READY, pyRTOS.RUNNING)]
    running = [t for t in group if t.state == pyRTOS.RUNNING]
    if running:
        running[0].state = pyRTOS.READY
        i = group.index(running[0])
        chosen = group[(i + 1) % len(group)]
    else:
        chosen = group[0]
    chosen.state = pyRTOS.RUNNING
    try:
        messages = chosen.run_next()
    except StopIteration:
        tasks.remove(chosen)
    return messages

def has_mail(task):
    while True:
        yield task.message_count() > 0

def worker(self):
    yield
    for i in range(3):
        order.append(self.name + str(i))
        if self.name == "b" and i == 1:
            self.send(pyRTOS.Message(128, self, "waiter", "hello"))
        yield

def waiter(self):
    yield
    order.append("waiter blocks")
    yield [has_mail(self)]
    order.append("waiter got " + self.recv()[0].message)

pyRTOS.add_task(pyRTOS.Task(worker, priority=2, name="a"))
pyRTOS.add_task(pyRTOS.Task(worker, priority=2, name="b"))
pyRTOS.add_task(pyRTOS.Task(waiter, priority=1, name="waiter", mailbox=True))
pyRTOS.start(round_robin)
print(" ".join(order))
print("tasks left:", len(pyRTOS.tasks))
