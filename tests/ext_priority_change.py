# Changing task.priority takes effect at once: a READY task takes its place among the READY tasks by its new priority, and the others keep theirs (the scheduling order stays sorted); a blocked task wakes into its new place; a running task lowered below a ready one yields the CPU at the next pass. (The original applies a change when it re-sorts its list, at the next add_task().)
import pyRTOS

order = []


def worker(self):
    yield
    order.append((self.name, self.priority))


def changer(self):
    yield
    # B (priority -1) ran first and waits; the others have not run: READY
    X.suspend()
    T.priority = 1       # T is READY, behind A: it moves ahead of X and A
    X.resume()           # X (3) goes before A (4), whatever T did
    B.priority = 2       # B is blocked (priority -1): it wakes into place 2
    B.notify_set_state()
    print("list order kept:", [t.name for t in pyRTOS.tasks])
    yield [pyRTOS.delay(20)]


def lowered(self):
    yield
    order.append(("L starts", self.priority))
    self.priority = 8    # below R (7), which is READY: L yields at the next pass
    yield
    order.append(("L again", self.priority))


def blocked(self):
    yield
    yield [self.wait_for_notification()]
    order.append((self.name, self.priority))


H = pyRTOS.Task(changer, 0, "h")
X = pyRTOS.Task(worker, 3, "x")
A = pyRTOS.Task(worker, 4, "a")
T = pyRTOS.Task(worker, 5, "t")
B = pyRTOS.Task(blocked, -1, "b", notifications=1)
L = pyRTOS.Task(lowered, 6, "l")
R = pyRTOS.Task(worker, 7, "r")
for t in (H, X, A, T, B, L, R):
    pyRTOS.add_task(t)
pyRTOS.start()
for entry in order:
    print(*entry)
