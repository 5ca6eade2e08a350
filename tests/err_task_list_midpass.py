# A non-Task put into pyRTOS.tasks by a user condition in the middle of a pass: start() raises TypeError, and once it is taken out every task runs on, including a task whose delay came due in the failed pass (it was lost, blocked for ever, before).
import pyRTOS
from errcheck import Watchdog

dog = Watchdog()  # a lost task would leave start() looping for ever: Stuck instead


def scenario(k):
    polls = [0]

    def inserter():
        while True:
            polls[0] += 1
            if polls[0] == k:
                pyRTOS.tasks.insert(0, "junk")
            yield False

    def a(self):
        yield
        yield [pyRTOS.delay(3)]
        print(" a woke")

    def b(self):
        yield
        yield [inserter(), pyRTOS.delay(8)]
        print(" b woke")

    pyRTOS.add_task(pyRTOS.Task(b, priority=1, name="b"))
    pyRTOS.add_task(pyRTOS.Task(a, priority=2, name="a"))
    print("junk at poll", k)
    while True:
        try:
            dog.start()
            break
        except TypeError as e:
            print(" TypeError:", e)
            pyRTOS.tasks.remove("junk")
    print(" done, tasks left:", len(pyRTOS.tasks))


for k in range(1, 7):
    scenario(k)
