# The same from a service routine: a pass over a private list of tasks
# between two passes of the main loop leaves the main list's running task
# running.
import pyRTOS
L = [0]
def sub(self):
    yield
    for i in range(3):
        print(L[0], '  sub', self.name, i)
        yield
SUBS = [pyRTOS.Task(sub, priority=1, name='s1')]
SUBS[0].initialize()
def svc():
    L[0] += 1
    if SUBS and L[0] % 2 == 0:
        pyRTOS.default_scheduler(SUBS)
    if L[0] > 15:
        print('svc stop; tasks:', [(t.name, t.state, t.runs) for t in pyRTOS.tasks])
        raise KeyError
pyRTOS.add_service_routine(svc)
def main(self):
    yield
    for i in range(5):
        print(L[0], 'main', i)
        yield
def low(self):
    yield
    for i in range(3):
        print(L[0], 'low', i)
        yield
pyRTOS.add_task(pyRTOS.Task(main, priority=1, name='main'))
pyRTOS.add_task(pyRTOS.Task(low, priority=1, name='low'))
try:
    pyRTOS.start()
    print('returned', L[0])
except KeyError:
    print('stopped')
