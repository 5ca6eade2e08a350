# wait_for_notification clears the slot state to 0 at its first evaluation (the pass after the yield); the Task method form behaves the same.
import pyRTOS

P = [0]
sr_note = [None]                   # (task, index, state) set by the service routine at the start of a pass
def service():
    P[0] += 1
    if sr_note[0]:
        tk, i, st = sr_note[0]
        sr_note[0] = None
        tk.notify_set_state(i, st)
pyRTOS.add_service_routine(service)

def waiter(self):
    yield
    # 1. set before the wait started: lost, the wait times out
    self.notify_set_value(0, 1, 42)
    yield [pyRTOS.wait_for_notification(self), pyRTOS.delay(3)]
    print("1. pre-set notification lost: state", self.notify_get_state(0), "value", self.notify_get_value(0))
    # 2. set by a service routine at the start of the pass after the yield, before the first evaluation: lost too
    sr_note[0] = (self, 0, 1)
    yield [pyRTOS.wait_for_notification(self, 0, 1), pyRTOS.delay(3)]
    print("2. set before first evaluation lost: state", self.notify_get_state(0))
    # 3. waiting for state 0 is true at the first evaluation
    self.notify_set_state(0, 7)
    p = P[0]
    yield [pyRTOS.wait_for_notification(self, state=0)]
    print("3. wait for state 0 took", P[0] - p, "pass(es); state", self.notify_get_state(0))
    # 4. condition created early, evaluated late: clearing happens at evaluation, not creation
    c = pyRTOS.wait_for_notification(self, index=1, state=2)
    self.notify_set_state(1, 2)
    yield [c, pyRTOS.delay(2)]
    print("4. early-created condition still cleared: state", self.notify_get_state(1))
    # 5. method form, index 1, state 3, reached by increments from another task
    p = P[0]
    yield [self.wait_for_notification(1, 3)]
    print("5. method form woke after", P[0] - p, "passes; state", self.notify_get_state(1))
    # 6. method form with keywords, set before the wait: lost
    self.notify_set_state(1, 4)
    yield [self.wait_for_notification(index=1, state=4), pyRTOS.delay(2)]
    print("6. method form clears too: state", self.notify_get_state(1))
    # 7. method form waiting for state 0: immediate
    self.notify_set_state(1, 9)
    p = P[0]
    yield [self.wait_for_notification(1, 0)]
    print("7. method form state 0 took", P[0] - p, "pass(es)")

def incrementer(self):
    yield
    yield [pyRTOS.delay(12)]       # waiter is in step 5 by now
    for i in range(3):
        w.notify_inc_state(1)
        print("inc ->", w.notify_get_state(1))
        yield

w = pyRTOS.Task(waiter, priority=1, name="w", notifications=2)
pyRTOS.add_task(w)
pyRTOS.add_task(pyRTOS.Task(incrementer, priority=2, name="inc"))
pyRTOS.start()
