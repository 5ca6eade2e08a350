# Condition clocks start at their first evaluation (the pass after the yield), not at creation; delay(n) is true at the (n+1)-th evaluation; zero waits are true at once.
import pyRTOS, time

P = [0]
slow_pass = [None]
def service():
    P[0] += 1
    if P[0] == slow_pass[0]:
        time.sleep(0.1)        # delays the first evaluation of the condition yielded in the previous pass
pyRTOS.add_service_routine(service)

def passes_for(conds):
    p = P[0]
    yield conds
    return P[0] - p

def t(self):
    yield
    for n in (0, 1, 2, 5):
        took = yield from passes_for([pyRTOS.delay(n)])
        print("delay(%d) took %d pass(es)" % (n, took))
    for label, c in (("timeout(0)", pyRTOS.timeout(0)), ("timeout(0.0)", pyRTOS.timeout(0.0)),
                     ("timeout_ns(0)", pyRTOS.timeout_ns(0))):
        took = yield from passes_for([c])
        print(label, "took", took, "pass(es)")
    early = pyRTOS.delay(2)
    for i in range(4):
        yield                   # the delay's count has not started
    took = yield from passes_for([early])
    print("delay(2) created 4 passes earlier took", took, "passes")
    for label, c in (("timeout(0.05)", pyRTOS.timeout(0.05)), ("timeout_ns(50000000)", pyRTOS.timeout_ns(50000000))):
        time.sleep(0.1)         # longer than the timeout, between creation and yield
        a = time.time()
        yield [c]
        print(label, "created 0.1 s before the yield still waited >= 0.05 s:", time.time() - a >= 0.045)
    slow_pass[0] = P[0] + 1    # the next pass starts with a 0.1 s service routine
    a = time.time()
    yield [pyRTOS.timeout(0.05)]
    print("clock started after the slow service routine (waited >= 0.14 s):", time.time() - a >= 0.14)

pyRTOS.add_task(pyRTOS.Task(t, priority=1, name="t"))
pyRTOS.start()
