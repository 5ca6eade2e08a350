# Tasks removed from pyRTOS.tasks by hand stop at once and tasks appended by hand run, even when the list keeps its length (remove + append in one step, clear + append after an error).
import pyRTOS
from errcheck import Watchdog

dog = Watchdog()
run = dog.run  # run(label): start() under the watchdog, one line of outcome


removed = []
ran_after_removal = []


def looper(self):
    yield
    for i in range(6):
        yield [pyRTOS.delay(1)]
        if self in removed:
            ran_after_removal.append(self.name)
    print("  ", self.name, "finished")


def newcomer_fn(self):
    yield
    yield [pyRTOS.delay(1)]
    print("  ", self.name, "finished")


def swapper(self):
    yield
    yield [pyRTOS.delay(1)]
    victim = [x for x in pyRTOS.tasks if x.name == "victim"][0]
    pyRTOS.tasks.remove(victim)
    removed.append(victim)
    newcomer = pyRTOS.Task(newcomer_fn, name="newcomer")
    newcomer.initialize()
    pyRTOS.tasks.append(newcomer)
    print("   swapped victim for newcomer")


pyRTOS.add_task(pyRTOS.Task(swapper, name="swapper"))
pyRTOS.add_task(pyRTOS.Task(looper, name="victim"))
run("remove + append inside start()")
print("   victim resumed after its removal:", len(ran_after_removal), "times")


# After start() raised, the user clears the list and appends a task by hand.
def fails(self):
    yield
    yield 5  # TypeError out of start(); the task itself stays alive
    for i in range(3):
        yield [pyRTOS.delay(1)]
        print("   cleared task 'fails' still runs")


pyRTOS.add_task(pyRTOS.Task(fails, name="fails"))
run("a task yields 5")
pyRTOS.tasks.clear()
t = pyRTOS.Task(newcomer_fn, name="appended")
t.initialize()
pyRTOS.tasks.append(t)
run("clear + append, start() again")
