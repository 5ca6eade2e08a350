# Equal priorities keep insertion order (stable), in pyRTOS.tasks and in the order they run; the original relies on CPython's stable sort.
import pyRTOS

ran = []

def once(self):
    yield
    ran.append(self.name)

prios = [3, 1, 3, 2, 3, 1, 3, 2, 3, 3, 1, 2, 3, 3, 2, 1, 3, 3, 3, 2]
for i, p in enumerate(prios):
    pyRTOS.add_task(pyRTOS.Task(once, priority=p, name="%d:%d" % (p, i)))
print(" ".join(t.name for t in pyRTOS.tasks))
pyRTOS.start()
print(" ".join(ran))
print("by (priority, insertion):", ran == sorted(ran, key=lambda n: tuple(int(x) for x in n.split(":"))))
