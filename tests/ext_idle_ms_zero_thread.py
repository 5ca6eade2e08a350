# start(idle_ms=0) with a service routine registered: the loop calls the
# routine after every pass and never sleeps, but each idle loop still makes a
# sleep of 0, in which the port runs its events and other threads get the VM.
# Here a second thread notifies the task 50 ms after it starts waiting; the
# task's 2 s timeout must not be what wakes it. (Without idle_ms the loop
# gives nothing up between routine calls, so no thread would run.) Needs
# _thread: the Makefile skips it on the ports without.
import _thread
import time
import pyRTOS

calls = [0]


def routine():
    calls[0] += 1


def producer():
    time.sleep_ms(50)
    task.notify_from_isr(0, 1, 1)


def waiter(self):
    yield
    _thread.start_new_thread(producer, ())
    yield [self.wait_for_notification(0, 1), pyRTOS.timeout(2)]
    print("woken by the thread's notification:", self.notify_get_state(0) == 1)


task = pyRTOS.Task(waiter, name="waiter", notifications=1)
pyRTOS.add_task(task)
pyRTOS.add_service_routine(routine)
pyRTOS.start(idle_ms=0)
print("routine called:", calls[0] > 0)
