# Scheduled callbacks (micropython.schedule: soft interrupts) run between two
# resumes of a task that only yields, as the OS loop runs them after every
# pass: the callback a task schedules runs before the task resumes, also when
# the loop resumes it without a full pass. (The first one was scheduled by
# add_task, which runs the task to its first yield: it runs at the task's
# first jump, inside the generator.)
import micropython
import pyRTOS

log = []


def callback(i):
    log.append("callback %d" % i)


def spinner(self):
    for i in range(6):
        micropython.schedule(callback, i)
        yield
        log.append("resumed %d" % i)


pyRTOS.add_task(pyRTOS.Task(spinner))
pyRTOS.start()
for line in log:
    print(line)

