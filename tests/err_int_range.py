# Integer arguments past the machine word (big ints on 32-bit ports): exact
# inside int64, saturated outside it, so the argument's own range check
# names it (an OverflowError for a notification value; a timeout or delay of
# 2**64 is just very long).
import pyRTOS
t = pyRTOS.Task(lambda self: (yield), notifications=1)
for v in (2**31-1, -2**31, 2**31, 2**63-1, -2**63, 2**63, -2**63-1, 2**100, -2**100, True):
    try:
        t.notify_set_value(0, 1, v); print(v, "->", t.notify_get_value())
    except OverflowError as e:
        print(v, "OverflowError", e)
for v in (2**40, -5, 2**64, -2**70):
    print(v, pyRTOS.timeout_ns(v) is not None, pyRTOS.delay(v) is not None)
