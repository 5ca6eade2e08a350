# The module with every build option off (make test-lean): the names the
# options bring are absent, Mutex takes no argument, and the state survives
# imports (this build has no MICROPY_MODULE_BUILTIN_INIT: the state is
# checked at every use instead of at import).
import pyRTOS

for name in ("round_robin_scheduler", "stats", "task_list", "isr_overflows", "ISR_SET",
             "ISR_INC", "CountingSemaphore", "RecursiveMutex"):
    print(name, hasattr(pyRTOS, name))
print("Task.notify_from_isr", hasattr(pyRTOS.Task, "notify_from_isr"))

for label, call in (("Mutex(inherit=True)", lambda: pyRTOS.Mutex(inherit=True)),
                    ("start(stats=True)", lambda: pyRTOS.start(stats=True))):
    try:
        call()
    except TypeError as e:
        print(label, "->", type(e).__name__)


def worker(self):
    yield
    import pyRTOS as again
    print("same task list after a re-import:", again.tasks is tasks)
    m = again.Mutex()
    print("lock", m.nb_lock(self), "again", m.nb_lock(self))
    m.unlock()
    m.unlock()  # a free mutex: a no-op, as in the original
    print("free again", m.nb_lock(self))
    yield [again.timeout(0.001)]
    print("has base_priority", hasattr(self, "base_priority"), "runs", self.runs)


tasks = pyRTOS.tasks
pyRTOS.add_task(pyRTOS.Task(worker, name="w"))
pyRTOS.start()
print("done", len(pyRTOS.tasks))
