# Idle: three tasks all sleep SECONDS at the same time; nothing else runs.
# The harness measures this process's CPU time (getrusage) against its wall
# time and subtracts a SECONDS=0 run (process start-up, imports, set-up).
#
#   micropython idle.py IMPL SECONDS
#     IMPL  native | pure   -> tasks yield [timeout(SECONDS)]
#           asyncio         -> tasks await asyncio.sleep(SECONDS)
# Prints: RESULT idle ok=1
import sys

IMPL = sys.argv[1]
SECONDS = float(sys.argv[2])
TASKS = 3

if IMPL == "asyncio":
    import asyncio

    async def sleeper():
        await asyncio.sleep(SECONDS)

    async def main():
        await asyncio.gather(*[sleeper() for i in range(TASKS)])

    asyncio.run(main())
else:
    if IMPL == "pure":
        import pyRTOS_pure  # noqa: F401
    import pyRTOS

    def sleeper(self):
        yield
        yield [pyRTOS.timeout(SECONDS)]

    for i in range(TASKS):
        pyRTOS.add_task(pyRTOS.Task(sleeper))
    pyRTOS.start()
print("RESULT idle ok=1")
