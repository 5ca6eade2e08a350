# Memory: gc.mem_free() deltas after gc.collect().
#
#   micropython memory.py IMPL WHAT
#     IMPL  native | pure | asyncio | none
#     WHAT  import  -> bytes taken by importing the module (IMPL none: the same
#                      measurement with nothing imported, the baseline)
#           task    -> per task: 200 x add_task(Task(f, notifications=1, mailbox=True))
#                      with f's generator initialized (asyncio: 200 x
#                      asyncio.create_task(trivial coroutine)); delta / 200
#           message -> per queued message: deliver 1000 Message objects into one
#                      task's mailbox; delta / 1000
# Prints: RESULT memory bytes=<delta> count=<n>   (delta in bytes, total)
import gc
import sys

IMPL = sys.argv[1]
WHAT = sys.argv[2]
TASKS = 200
MESSAGES = 1000


def free():
    gc.collect()
    gc.collect()
    return gc.mem_free()


mod = None
count = 1
if WHAT == "import":
    name = {"native": "pyRTOS", "pure": "pyRTOS_pure", "asyncio": "asyncio"}.get(IMPL)
    m0 = free()
    if name:
        mod = __import__(name)
    else:
        mod = None
    m1 = free()
elif IMPL == "asyncio":
    import asyncio

    async def trivial():
        pass

    count = TASKS
    i = 0
    m0 = free()
    while i < TASKS:
        asyncio.create_task(trivial())  # referenced by asyncio's run queue
        i += 1
    m1 = free()
else:
    if IMPL == "pure":
        import pyRTOS_pure  # noqa: F401
    import pyRTOS

    def f(self):
        yield
        while True:
            yield [pyRTOS.wait_for_message(self)]

    if WHAT == "task":
        count = TASKS
        i = 0
        m0 = free()
        while i < TASKS:
            pyRTOS.add_task(pyRTOS.Task(f, notifications=1, mailbox=True))
            i += 1
        m1 = free()
    else:
        count = MESSAGES
        t = pyRTOS.Task(f, mailbox=True)
        pyRTOS.add_task(t)
        i = 0
        m0 = free()
        while i < MESSAGES:
            t.deliver(pyRTOS.Message(128, None, t, i))
            i += 1
        m1 = free()
        assert t.message_count() == MESSAGES

print("RESULT memory bytes=%d count=%d" % (m0 - m1, count))
