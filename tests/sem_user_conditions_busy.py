# A low-priority task's user condition is still polled once per pass while a higher-priority task keeps the CPU; polling stops once it is ready.
import pyRTOS

P = [0]
def count_pass():
    P[0] += 1
pyRTOS.add_service_routine(count_pass)

polls = []

def true_from(n):
    while True:
        polls.append(P[0])
        yield P[0] >= n

def busy(self):
    yield
    yield [pyRTOS.delay(1)]        # lets low run once so that it can block
    print("busy back at pass", P[0])
    for i in range(6):
        yield                      # stays ready: keeps the CPU
    print("busy ends at pass", P[0])

def low(self):
    yield
    print("low blocks at pass", P[0])
    yield [true_from(5)]
    print("low runs at pass", P[0])

pyRTOS.add_task(pyRTOS.Task(low, priority=9, name="low"))
pyRTOS.add_task(pyRTOS.Task(busy, priority=0, name="busy"))
pyRTOS.start()
print("polled at passes", polls)
