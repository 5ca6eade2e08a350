# A shared SPI bus and a pool of DMA buffers, guarded by the FreeRTOS-style locks:
# - bus = RecursiveMutex(inherit=True): a driver that holds the bus may call helpers
#   that lock it again, and a low-priority task holding it runs at the priority of
#   the best task waiting for it (priority inheritance), so a busy medium-priority
#   task cannot hold up the control loop behind it (priority inversion: with a
#   plain RecursiveMutex() the three display frames come before the motor command);
# - buffers = CountingSemaphore(initial=2, maximum=2): two buffers, the third
#   request waits until one is given back.
import pyRTOS

bus = pyRTOS.RecursiveMutex(inherit=True)
buffers = pyRTOS.CountingSemaphore(initial=2, maximum=2)


def spi_write(task, what):
    # A helper that takes the bus itself; fine when the caller already holds it.
    yield [bus.lock(task)]
    print("  [%s, priority %d] bus: %s" % (task.name, task.priority, what))
    bus.unlock()


def logger(self):               # low priority: writes a log block to the SD card
    yield
    yield [bus.lock(self)]
    for block in range(3):
        yield from spi_write(self, "log block %d" % block)
        yield                   # let others run between blocks
    bus.unlock()
    print("logger done, back to priority", self.priority)


def control(self):              # high priority: needs the bus for the motor driver
    yield
    yield [pyRTOS.delay(3)]     # the logger has the bus by now
    print("control needs the bus")
    yield from spi_write(self, "motor command")
    print("control done")


def display(self):              # medium priority: busy redrawing
    yield
    yield [pyRTOS.delay(2)]
    for frame in range(3):
        print("display frame", frame)
        yield
    print("display done")


def dma_user(name):
    def body(self):
        yield
        yield [buffers.lock(self)]
        print(name, "got a buffer")
        yield [pyRTOS.delay(2)]
        print(name, "gives its buffer back")
        buffers.unlock()
    return body


pyRTOS.add_task(pyRTOS.Task(control, priority=1, name="control"))
pyRTOS.add_task(pyRTOS.Task(display, priority=5, name="display"))
pyRTOS.add_task(pyRTOS.Task(logger, priority=9, name="logger"))
for name in ("adc", "dac", "uart"):
    pyRTOS.add_task(pyRTOS.Task(dma_user(name), priority=20, name=name))
pyRTOS.start()
