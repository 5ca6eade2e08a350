# Yield rate: one task yields N times while K other tasks are blocked.
#
#   micropython yield_rate.py IMPL N K KIND
#     IMPL  native | pure | asyncio | floor
#     KIND  delay   -> sleepers block on [delay(10**9), wait_for_notification(self)]
#           timeout -> sleepers block on [timeout(3600), wait_for_notification(self)]
#           (asyncio: sleepers always do asyncio.sleep(3600); floor ignores K)
# Fails if a sleeper wakes before the spinner notifies it, or never wakes.
# Prints: RESULT yield_rate us=<elapsed> n=<N>
# "pure" expects the harness's pyRTOS_pure loader on MICROPYPATH; it installs
# the pure-Python package as the module 'pyRTOS'.
import gc
import sys
import time

IMPL = sys.argv[1]
N = int(sys.argv[2])
K = int(sys.argv[3])
KIND = sys.argv[4]
ticks_us = time.ticks_us
ticks_diff = time.ticks_diff
result = []


def run_floor():
    def gen():
        while True:
            yield

    g = gen()
    next(g)
    gc.collect()
    t0 = ticks_us()
    for i in range(N):
        next(g)
    result.append(ticks_diff(ticks_us(), t0))


def run_pyrtos():
    if IMPL == "pure":
        import pyRTOS_pure  # noqa: F401  (registers itself as 'pyRTOS')
    import pyRTOS

    sleepers = []
    woken = [0]

    def sleeper(self):
        yield
        if KIND == "timeout":
            yield [pyRTOS.timeout(3600), pyRTOS.wait_for_notification(self)]
        else:
            yield [pyRTOS.delay(10**9), pyRTOS.wait_for_notification(self)]
        if not result:
            raise AssertionError("a sleeper woke up before the spinner notified it")
        woken[0] += 1

    def spinner(self):
        yield
        # every sleeper (higher priority) has run once and is blocked now
        gc.collect()
        t0 = ticks_us()
        for i in range(N):
            yield
        result.append(ticks_diff(ticks_us(), t0))
        for s in sleepers:
            s.notify_set_state()

    for i in range(K):
        t = pyRTOS.Task(sleeper, priority=1, notifications=1)
        sleepers.append(t)
        pyRTOS.add_task(t)
    pyRTOS.add_task(pyRTOS.Task(spinner, priority=2))
    pyRTOS.start()
    if woken[0] != K:
        raise AssertionError("%d of %d sleepers woke up" % (woken[0], K))


def run_asyncio():
    import asyncio

    async def sleeper():
        await asyncio.sleep(3600)

    async def main():
        for i in range(K):
            asyncio.create_task(sleeper())
        await asyncio.sleep(0)  # let every sleeper start sleeping
        gc.collect()
        t0 = ticks_us()
        for i in range(N):
            await asyncio.sleep(0)
        result.append(ticks_diff(ticks_us(), t0))

    asyncio.run(main())


if IMPL == "floor":
    run_floor()
elif IMPL == "asyncio":
    run_asyncio()
else:
    run_pyrtos()
print("RESULT yield_rate us=%d n=%d" % (result[0], N))
