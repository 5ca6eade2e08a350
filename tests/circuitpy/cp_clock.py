# Emulated CircuitPython build: timeouts run on the supervisor's tick counter
# (port_get_raw_ticks: 1/1024 s ticks of 32 subticks), which the emulation
# starts two years after "boot" so the conversion sees large values.
import pyRTOS
import circuitpy_emu as emu


def subticks():
    ticks, sub = emu.raw_ticks()
    return ticks * 32 + sub


print("uptime over two years:", subticks() > 2 * 365 * 24 * 3600 * 32768)
elapsed = []


def waiter(self):
    yield
    start = subticks()
    yield [pyRTOS.timeout(0.1)]
    elapsed.append(subticks() - start)
    start = subticks()
    yield [pyRTOS.timeout_ns(20_000_000)]
    elapsed.append(subticks() - start)


pyRTOS.add_task(pyRTOS.Task(waiter))
pyRTOS.start()
# Never early: at least 0.1 s and 20 ms of supervisor time passed.
print("timeout(0.1) not early:", elapsed[0] >= 3276)
print("timeout_ns(20 ms) not early:", elapsed[1] >= 655)
