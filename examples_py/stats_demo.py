# Run-time statistics and round robin: three equal-priority workers share the
# CPU in turns while a monitor with a better priority wakes up now and then
# to print the task table. Times vary from run to run, so this example prints
# only counts; pyRTOS.task_list()'s last column ("time") is masked.
import pyRTOS


def worker(self):
    yield
    for i in range(4):
        print(self.name, "step", i)
        yield  # stays READY: round robin hands the CPU to the next worker


def monitor(self):
    yield
    for i in range(2):
        yield [pyRTOS.delay(4)]
        print("-- task_list() after", pyRTOS.stats()["passes"], "passes:")
        for line in pyRTOS.task_list().splitlines():
            print(line[:-4].rstrip())


for name in ("alpha", "beta", "gamma"):
    pyRTOS.add_task(pyRTOS.Task(worker, priority=2, name=name))
pyRTOS.add_task(pyRTOS.Task(monitor, priority=1, name="monitor"))

# stats=True also measures run and idle times (two clock reads per resume).
pyRTOS.start(scheduler=pyRTOS.round_robin_scheduler, stats=True)

s = pyRTOS.stats()
print("passes", s["passes"], "switches", s["switches"], "wake-ups", s["wakeups"])
print("measured:", s["time_us"] > 0, "tasks left:", s["tasks"])
