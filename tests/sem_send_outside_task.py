# A message sent outside any task, here by a service routine while no task
# runs, waits for some task to run, as in the original (which hands messages
# over in run_next()): `a` gets it once `b` has run.
import pyRTOS
L = [0]
def svc():
    L[0] += 1
    if L[0] == 3:
        print(L[0], 'svc sends')
        A.send(pyRTOS.Message(130, None, A, 'hi'))
    if L[0] == 10:
        print(L[0], 'svc notifies b')
        B.notify_set_state(0, 1)
def a(self):
    yield
    print(L[0], 'a waits')
    yield [pyRTOS.wait_for_message(self)]
    print(L[0], 'a got', [m.message for m in self.recv()])
def b(self):
    yield
    yield [self.wait_for_notification(0, 1)]
    print(L[0], 'b woke')
    yield
A = pyRTOS.Task(a, priority=1, name='a', mailbox=True)
B = pyRTOS.Task(b, priority=2, name='b', notifications=1)
pyRTOS.add_task(A); pyRTOS.add_task(B)
pyRTOS.add_service_routine(svc)
pyRTOS.start()
print('end', L[0])
