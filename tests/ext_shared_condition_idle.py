# A built-in condition object two tasks wait on at once (a shared deadline, one notification wait) registers for one of them; the other looks at it again each pass, yet the loop still sleeps while nothing can change it, instead of spinning. start(idle_ms=1000) lets the loop sleep with a service routine registered, which counts the loops: a spinning loop makes thousands in 0.1 s, a sleeping one a handful.
import pyRTOS

loops = [0]


def count_loop():
    loops[0] += 1


pyRTOS.add_service_routine(count_loop)


def run(label, make_shared, trigger=None):
    shared = make_shared()
    woke = []

    def waiter(self):
        yield
        yield [shared]
        woke.append(self.name)

    def notifier(self):
        yield
        yield [pyRTOS.timeout(0.1)]
        trigger()

    loops[0] = 0
    pyRTOS.add_task(pyRTOS.Task(waiter, 1, "w1"))
    pyRTOS.add_task(pyRTOS.Task(waiter, 2, "w2"))
    if trigger:
        pyRTOS.add_task(pyRTOS.Task(notifier, 3, "n"))
    pyRTOS.start(idle_ms=1000)
    print(label, "woke:", woke, "loops < 50:", loops[0] < 50)


run("shared timeout(0.1)", lambda: pyRTOS.timeout(0.1))
holder = pyRTOS.Task(lambda self: (yield), name="holder", notifications=1)
run("shared notification wait", lambda: pyRTOS.wait_for_notification(holder), lambda: holder.notify_set_state())
