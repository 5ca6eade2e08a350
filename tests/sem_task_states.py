# Task.state as seen from tasks (RUNNING/READY/BLOCKED/SUSPENDED); a task can suspend itself; suspend() drops a blocked task's conditions; resume() of a ready task is harmless.
import pyRTOS

NAMES = {pyRTOS.RUNNING: "RUNNING", pyRTOS.READY: "READY", pyRTOS.BLOCKED: "BLOCKED", pyRTOS.SUSPENDED: "SUSPENDED"}

def states():
    return " ".join("%s=%s" % (t.name, NAMES[t.state]) for t in pyRTOS.tasks)

def ctl_fn(self):
    yield
    print("1.", states())
    yield [pyRTOS.delay(2)]
    print("2.", states())
    sleeper.suspend()
    print("3. suspended blocked sleeper, conditions left:", len(sleeper.ready_conditions), "|", states())
    sleeper.notify_set_state(0, 1)      # would satisfy its condition, but it is suspended
    yield [pyRTOS.delay(2)]
    print("4.", states())
    selfish.resume()
    sleeper.resume()
    print("5. resumed both:", states())
    yield [pyRTOS.delay(3)]
    spinner.resume()                    # already ready: harmless
    print("6.", states())

def sleeper_fn(self):
    yield
    yield [pyRTOS.wait_for_notification(self)]
    print("sleeper runs, its wait was dropped; state", NAMES[self.state], "notification", self.notify_get_state(0))

def selfish_fn(self):
    yield
    print("selfish suspends itself")
    self.suspend()
    yield
    print("selfish resumed")

def spinner_fn(self):
    yield
    for i in range(10):
        yield

ctl = pyRTOS.Task(ctl_fn, priority=1, name="ctl")
sleeper = pyRTOS.Task(sleeper_fn, priority=2, name="sleeper", notifications=1)
selfish = pyRTOS.Task(selfish_fn, priority=3, name="selfish")
spinner = pyRTOS.Task(spinner_fn, priority=4, name="spinner")
for t in (ctl, sleeper, selfish, spinner):
    pyRTOS.add_task(t)
pyRTOS.start()
print("end", states() == "")
