# Notifications: waiting on another task's slot clears that slot too; a service routine can notify; negative and boundary states/values round-trip.
import pyRTOS

P = [0]
pending = []
def service():
    P[0] += 1
    if P[0] in pending:
        print("service routine notifies at pass", P[0])
        target.notify_inc_value(0, -3, 10)   # state -3, value += 10
pyRTOS.add_service_routine(service)

def target_fn(self):
    yield
    pending.append(P[0] + 3)
    p = P[0]
    yield [pyRTOS.wait_for_notification(self, 0, -3)]
    print("target woke after", P[0] - p, "passes: state", self.notify_get_state(0), "value", self.notify_get_value(0))
    yield [pyRTOS.delay(5)]

def other(self):
    yield
    target.notify_set_state(1, 5)
    p = P[0]
    yield [pyRTOS.wait_for_notification(target, index=1, state=0)]   # clears target's slot 1, then true
    print("other: waiting for target's slot 1 to be 0 took", P[0] - p, "pass; slot 1 state", target.notify_get_state(1))
    target.notify_set_state(1, 2)
    yield [pyRTOS.wait_for_notification(target, 1, 2), pyRTOS.delay(2)]
    print("other: target's slot 1 was cleared by the wait:", target.notify_get_state(1))

target = pyRTOS.Task(target_fn, priority=1, name="target", notifications=2)
target.notify_set_value(1, -128, -2147483648)
print("min:", target.notify_get_state(1), target.notify_get_value(1))
target.notify_set_value(1, 127, 2147483647)
print("max:", target.notify_get_state(1), target.notify_get_value(1))
target.notify_inc_value(1, 0, -2147483647)
print("inc_value sets the state and adds:", target.notify_get_state(1), target.notify_get_value(1))
target.notify_inc_state(1, -5)
print("inc_state by -5:", target.notify_get_state(1))
pyRTOS.add_task(target)
pyRTOS.add_task(pyRTOS.Task(other, priority=2, name="other"))
pyRTOS.start()
