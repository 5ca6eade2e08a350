# The same for a message sent from a user condition in a pass in which no
# task runs: it is delivered after the pass in which `b` runs.
import pyRTOS
L = [0]
def svc():
    L[0] += 1
    if L[0] > 30:
        raise KeyError
pyRTOS.add_service_routine(svc)
def sender():
    n = 0
    while True:
        n += 1
        if n == 2:
            print(L[0], 'uc sends')
            B.send(pyRTOS.Message(130, B, 'a', 'hi'))
        yield n >= 8
def a(self):
    yield
    yield [pyRTOS.wait_for_message(self)]
    print(L[0], 'a got', [m.message for m in self.recv()])
def b(self):
    yield
    yield [sender()]
    print(L[0], 'b woke')
    yield
A = pyRTOS.Task(a, priority=1, name='a', mailbox=True)
B = pyRTOS.Task(b, priority=2, name='b')
pyRTOS.add_task(A); pyRTOS.add_task(B)
try:
    pyRTOS.start()
    print('returned', L[0])
except KeyError:
    print('stopped')
