# Type-checked (mypy --strict) against pyRTOS.pyi by tools/check_stubs.py: a
# program using the whole API as documented must pass without errors.
from typing import Any, Generator, Iterator

import pyRTOS

queue = pyRTOS.MessageQueue(capacity=4)
mutex = pyRTOS.Mutex()
semaphore = pyRTOS.BinarySemaphore()


def ready_when(flag: list[bool]) -> Iterator[bool]:
    while True:
        yield flag[0]


# Annotated task functions write `yield None`: mypy wants a value there.
def producer(self: pyRTOS.Task) -> Generator[pyRTOS.Yielded, None, None]:
    yield None
    for i in range(3):
        yield [queue.send(pyRTOS.Message(128, self, "consumer", i))]
        yield [pyRTOS.timeout(0.01), pyRTOS.timeout_ns(10_000), pyRTOS.delay(2)]
    if queue.nb_send(pyRTOS.Message(129, self, "consumer")):
        self.send(pyRTOS.Message(pyRTOS.QUIT, self, "consumer"))


def consumer(self: pyRTOS.Task) -> Generator[pyRTOS.Yielded, None, None]:
    got: list[Any] = []
    flag = [True]
    yield None
    while True:
        yield [queue.recv(got), pyRTOS.wait_for_message(self), ready_when(flag)]
        for msg in self.recv():
            if msg.type == pyRTOS.QUIT:
                return
        item = queue.nb_recv()
        if item is not None:
            got.append(item)
        yield [mutex.lock(self)]
        mutex.unlock()
        if semaphore.nb_lock(self):
            semaphore.unlock()
        self.notify_set_value(0, state=2, value=-5)
        self.notify_inc_value(index=0, step=3)
        self.notify_set_state(0, 1)
        self.notify_inc_state(0)
        total: int = self.notify_get_value(0) + self.notify_get_state()
        yield [self.wait_for_notification(0, 0), pyRTOS.wait_for_notification(self, index=0, state=0)]
        assert total != 0 or self.message_count() >= 0


def scheduler(tasks: list[pyRTOS.Task]) -> list[pyRTOS.Message]:
    return pyRTOS.default_scheduler(tasks)


def check_api() -> None:
    c = pyRTOS.Task(consumer, priority=1, name="consumer", notifications=1, mailbox=True)
    p = pyRTOS.Task(producer, name="producer")
    pyRTOS.add_task(c)
    pyRTOS.add_task(p)
    pyRTOS.add_service_routine(lambda: None)
    runs: int = c.runs + len(pyRTOS.tasks) + c.state + c.priority
    done: bool = next(pyRTOS.timeout(0))
    c.deliver(pyRTOS.Message(130, None, c))
    pyRTOS.deliver_messages(c.run_next(), pyRTOS.tasks)
    c.suspend()
    c.resume()
    print(runs, done, pyRTOS.version, pyRTOS.READY, pyRTOS.BLOCKED, pyRTOS.RUNNING, pyRTOS.SUSPENDED)
    pyRTOS.start(scheduler)
    pyRTOS.start(idle_ms=10)
