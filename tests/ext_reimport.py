# Importing pyRTOS again (inside a task, or at the top level while tasks
# exist) keeps the live state: the module's __init__, which MicroPython runs at
# every import, only forgets a state left over from before a soft reset.
import pyRTOS

tasks = pyRTOS.tasks


def worker(self):
    yield
    for i in range(3):
        import pyRTOS as again
        from pyRTOS import tasks as listed
        print(self.name, "sees the same list:", again.tasks is tasks and listed is tasks, len(listed))
        yield [again.delay(1)]


pyRTOS.add_task(pyRTOS.Task(worker, name="a"))
pyRTOS.add_task(pyRTOS.Task(worker, name="b"))
import pyRTOS  # noqa: E402,F811 (again, at the top level)
print("after a top-level re-import:", pyRTOS.tasks is tasks, len(pyRTOS.tasks))
pyRTOS.start()
print("done", len(pyRTOS.tasks))
