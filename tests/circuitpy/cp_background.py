# Emulated CircuitPython build: the scheduler runs the port's background tasks
# (RUN_BACKGROUND_TASKS) once per OS loop, and while it idles, through the
# board's mp_hal_delay_ms.
import pyRTOS
import circuitpy_emu as emu


def busy(self):
    yield
    for _ in range(100):
        yield


task = pyRTOS.Task(busy, name="busy")
pyRTOS.add_task(task)
before = emu.background_calls()
pyRTOS.start()
# 100 yields and the final resume that returns, none of them idle; every
# resume (through a pass or the fast path for a task alone) is followed by
# the background tasks.
print("resumes:", task.runs)
print("background tasks after every resume:", emu.background_calls() - before >= task.runs)
print("delays while busy:", emu.delay_calls())


def sleeper(self):
    yield
    yield [pyRTOS.timeout(0.2)]
    print("sleeper woke")


pyRTOS.add_task(pyRTOS.Task(sleeper, name="sleeper"))
before = emu.background_calls()
pyRTOS.start()
print("slept through the board's delay:", emu.delay_calls() > 0)
print("background tasks ran while idle:", emu.background_calls() - before > emu.delay_calls())
