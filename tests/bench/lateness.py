# Timeout lateness: TASKS tasks each loop PER times over
#     t0 = ticks_us(); yield [timeout(d)]; late = ticks_diff(ticks_us(), t0) - d_us
# with d varying over 1..20 ms, while a low-priority task yields None
# continuously so the scheduler is never idle.
#
#   micropython lateness.py IMPL PER
#     IMPL  native | pure   -> yield [pyRTOS.timeout(d_ms / 1000)]
#           asyncio         -> await asyncio.sleep_ms(d_ms), busy task awaits sleep(0)
# Prints: RESULT lateness n=<samples> p50=<us> p99=<us> max=<us> early=<count> min=<us>
import sys
import time

IMPL = sys.argv[1]
PER = int(sys.argv[2])
TASKS = 50
ticks_us = time.ticks_us
ticks_diff = time.ticks_diff
late = [0] * (TASKS * PER)
state = [0, 0]  # [samples written, tasks finished]


def d_ms(i, k):
    return 1 + (i * 7 + k * 13) % 20


if IMPL == "asyncio":
    import asyncio

    async def sleeper(i):
        for k in range(PER):
            d = d_ms(i, k)
            t0 = ticks_us()
            await asyncio.sleep_ms(d)
            late[state[0]] = ticks_diff(ticks_us(), t0) - d * 1000
            state[0] += 1
        state[1] += 1

    async def busy():
        while state[1] < TASKS:
            await asyncio.sleep(0)

    async def main():
        for i in range(TASKS):
            asyncio.create_task(sleeper(i))
        await busy()

    asyncio.run(main())
else:
    if IMPL == "pure":
        import pyRTOS_pure  # noqa: F401
    import pyRTOS

    def make(i):
        def sleeper(self):
            yield
            for k in range(PER):
                d = d_ms(i, k)
                t0 = ticks_us()
                yield [pyRTOS.timeout(d / 1000)]
                late[state[0]] = ticks_diff(ticks_us(), t0) - d * 1000
                state[0] += 1
            state[1] += 1

        return sleeper

    def busy(self):
        yield
        while state[1] < TASKS:
            yield

    for i in range(TASKS):
        pyRTOS.add_task(pyRTOS.Task(make(i), priority=1))
    pyRTOS.add_task(pyRTOS.Task(busy, priority=255))
    pyRTOS.start()

n = state[0]
s = sorted(late[:n])
early = 0
for x in s:
    if x < 0:
        early += 1
print(
    "RESULT lateness n=%d p50=%d p99=%d max=%d early=%d min=%d"
    % (n, s[n // 2], s[min(n - 1, (n * 99) // 100)], s[-1], early, s[0])
)
