# A task that schedules its own list of sub-tasks with
# pyRTOS.default_scheduler(subs) from its body (a hierarchical scheduler)
# keeps running: the nested pass resumes a sub-task, not a task of
# pyRTOS.tasks, so it does not take the place of the running task there.
import pyRTOS
L = [0]
def svc():
    L[0] += 1
    if L[0] > 15:
        print('svc stop; tasks:', [(t.name, t.state, t.runs) for t in pyRTOS.tasks], 'subs:', [(t.name, t.state) for t in SUBS])
        raise KeyError
pyRTOS.add_service_routine(svc)
def sub(self):
    yield
    for i in range(3):
        print(L[0], '  sub', self.name, i)
        yield [pyRTOS.delay(1)]
SUBS = [pyRTOS.Task(sub, priority=1, name='s1'), pyRTOS.Task(sub, priority=2, name='s2')]
def sup(self):
    yield
    for t in SUBS:
        t.initialize()
    n = 0
    while SUBS and n < 20:
        n += 1
        print(L[0], 'sup pass', n)
        pyRTOS.default_scheduler(SUBS)
        yield
    print(L[0], 'sup done', n)
pyRTOS.add_task(pyRTOS.Task(sup, priority=1, name='sup'))
try:
    pyRTOS.start()
    print('returned')
except KeyError:
    print('stopped')
except Exception as e:
    print('exc', type(e).__name__, e)
