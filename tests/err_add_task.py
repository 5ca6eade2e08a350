# add_task errors: a non-Task, the same task twice, a non-generator function (TypeError naming the task), a generator returning or raising before its first yield; the task list stays unchanged and start() still runs.
import pyRTOS
import errcheck
from errcheck import fresh


def check(label, fn):
    # errcheck.check, then the task list (which no failed add may change).
    errcheck.check(label, fn)
    print("  tasks:", [x.name for x in pyRTOS.tasks])


def plain(self):
    return 5


def lam_task():
    return pyRTOS.Task(lambda self: None, name="lam")


def early(self):
    print("early setup")
    return
    yield


def setup_raises(self):
    raise ValueError("setup failed")
    yield


def ok(self):
    yield
    print("ok runs")


check("add_task(5)", lambda: pyRTOS.add_task(5))
check("add_task(None)", lambda: pyRTOS.add_task(None))
check("non-generator, named", lambda: pyRTOS.add_task(pyRTOS.Task(plain, name="plain")))
check("non-generator, unnamed", lambda: pyRTOS.add_task(pyRTOS.Task(plain)))
check("non-generator lambda", lambda: pyRTOS.add_task(lam_task()))
check("returns before first yield", lambda: pyRTOS.add_task(pyRTOS.Task(early, name="early")))
check("raises before first yield", lambda: pyRTOS.add_task(pyRTOS.Task(setup_raises, name="sr")))
t = pyRTOS.Task(ok, name="ok")
check("first add", lambda: pyRTOS.add_task(t))
check("second add", lambda: pyRTOS.add_task(t))
check("initialize() non-generator", lambda: pyRTOS.Task(plain, name="p2").initialize())
check("run_next() before initialize()", lambda: pyRTOS.Task(ok, name="raw").run_next())

fresh("after add_task errors:")
