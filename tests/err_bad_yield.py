# A task yielding something that is neither None nor a non-empty list of conditions (int, str, dict, empty list/tuple, a list with a non-condition): start() raises naming the task, and start() runs again (the task resumes after its bad yield, a fresh task completes).
import pyRTOS
from errcheck import fresh


def bystander(self):
    # A well-behaved task running beside the bad one.
    yield
    for i in range(4):
        yield [pyRTOS.delay(1)]
    print("  bystander done")


def gen_cond():
    while True:
        yield True


cases = [
    ("an int", 5),
    ("a str", "abc"),
    ("a dict", {}),
    ("True", True),
    ("an empty list", []),
    ("an empty tuple", ()),
    ("[5]", [5]),
    ("[delay(0), 'x']", [pyRTOS.delay(0), "x"]),
    ("[None]", [None]),
    ("[a generator function]", [gen_cond]),
]
for label, what in cases:
    def bad(self, what=what):
        yield
        yield [pyRTOS.delay(0)]
        yield what
        print("  bad task resumed after its bad yield")
    pyRTOS.add_task(pyRTOS.Task(bad, priority=1, name="bad"))
    pyRTOS.add_task(pyRTOS.Task(bystander, priority=2, name="bystander"))
    print("yield", label)
    try:
        pyRTOS.start()
        print("  start() returned without error")
    except Exception as e:
        print(" ", type(e).__name__, str(e))
    fresh("  then:")

# An unnamed task: the message names it by its function.
def unnamed(self):
    yield
    yield 7
pyRTOS.add_task(pyRTOS.Task(unnamed))
try:
    pyRTOS.start()
except Exception as e:
    print(type(e).__name__, str(e))
fresh("after bad yields:")
