# User conditions (plain generators) are polled exactly once per scheduler pass while their task is blocked, beside tasks blocked on built-in conditions.
import pyRTOS

P = [0]                       # current OS loop number (service routines run first in each loop)
def count_pass():
    P[0] += 1
pyRTOS.add_service_routine(count_pass)

polls = []
flag = [False]
woke = []

def until_flag(tag):
    polls.append((tag, "setup", P[0]))   # runs at the first evaluation, not at creation
    while True:
        polls.append((tag, P[0]))
        yield flag[0]

def never(tag):
    while True:
        polls.append((tag, P[0]))
        yield False

def user(self):
    yield
    c = until_flag("u")
    print("user blocks at pass", P[0], "polls so far", len(polls))
    yield [never("n"), c]          # both polled each pass: the first is always false
    print("user woke at pass", P[0])

def setter(self):
    yield
    yield [pyRTOS.delay(3)]
    print("setter sets flag at pass", P[0])
    flag[0] = True

def sleeper(self):
    yield
    yield [pyRTOS.timeout(0.02)]   # built-in condition beside the user one
    woke.append("sleeper woke")

def mailbox(self):
    yield
    yield [pyRTOS.wait_for_message(self), pyRTOS.delay(8)]
    print("mailbox woke, messages:", self.message_count())

pyRTOS.add_task(pyRTOS.Task(user, priority=1, name="user"))
pyRTOS.add_task(pyRTOS.Task(setter, priority=2, name="setter"))
pyRTOS.add_task(pyRTOS.Task(sleeper, priority=3, name="sleeper"))
pyRTOS.add_task(pyRTOS.Task(mailbox, priority=4, name="mailbox", mailbox=True))
pyRTOS.start()

for tag in ("n", "u"):
    passes = [p[1] for p in polls if p[0] == tag and len(p) == 2]
    print(tag, "polled at passes", passes)
    print(tag, "once per pass:", len(passes) == len(set(passes)))
print(woke)
print("u setup at pass", [p[2] for p in polls if len(p) == 3])
