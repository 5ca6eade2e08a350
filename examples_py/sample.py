# A small sensor pipeline showing pyRTOS at work: priorities, a message queue,
# notifications, mailbox messages sent by name, and a mutex guarding a shared
# resource (the "display"). It ends by itself once every task has returned.
import pyRTOS

READING = 128                   # user message types start at 128
readings = pyRTOS.MessageQueue(capacity=3)
display = pyRTOS.Mutex()


def show(task, text):
    # Only one task writes to the display at a time.
    print("[%s] %s" % (task.name, text))


def sensor(self):
    yield                       # setup done; wait for start()
    for sample in (21, 22, 24, 23, 25):
        yield [readings.send(sample)]          # blocks while the queue is full
        logger.notify_inc_value(index=0, step=1)  # count samples for the logger
        yield [pyRTOS.delay(1)]
    self.send(pyRTOS.Message(pyRTOS.QUIT, self, "filter"))
    show(self, "done sampling")


def filter_task(self):
    yield
    window = []
    while True:
        got = []
        yield [readings.recv(got), pyRTOS.wait_for_message(self)]
        for msg in self.recv():
            if msg.type == pyRTOS.QUIT:
                self.send(pyRTOS.Message(pyRTOS.QUIT, self, logger))
                show(self, "quit")
                return
        if got:
            window = (window + got)[-3:]
            average = sum(window) / len(window)
            self.send(pyRTOS.Message(READING, self, logger, average))


def logger_task(self):
    yield
    while True:
        yield [pyRTOS.wait_for_message(self)]
        yield [display.lock(self)]
        for msg in self.recv():
            if msg.type == pyRTOS.QUIT:
                show(self, "%d samples seen; bye" % self.notify_get_value(0))
                display.unlock()
                return
            show(self, "average %.1f" % msg.message)
        display.unlock()


def heartbeat(self):
    yield
    for beat in range(3):
        yield [display.lock(self)]
        show(self, "beat %d" % beat)
        display.unlock()
        yield [pyRTOS.delay(5)]


logger = pyRTOS.Task(logger_task, priority=1, name="logger", notifications=1, mailbox=True)
pyRTOS.add_task(pyRTOS.Task(sensor, priority=3, name="sensor"))
pyRTOS.add_task(pyRTOS.Task(filter_task, priority=2, name="filter", mailbox=True))
pyRTOS.add_task(logger)
pyRTOS.add_task(pyRTOS.Task(heartbeat, priority=0, name="heartbeat"))
pyRTOS.start()
print("all tasks finished")
