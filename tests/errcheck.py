# Helpers shared by the err_*.py tests (imported, not a test itself: it has no
# .exp file, so tests/run.py does not run it).
#
#   check(label, fn)      call fn and print "label -> no error" or the error
#   gen                   the smallest generator task function
#   add_fresh(label)      add a task that prints "<label> fresh task ran"
#   fresh(label)          add that task, run start() and report how it ended
#   Watchdog()            a service routine that stops a start() stuck in a loop
import pyRTOS


def check(label, fn, show_result=False):
    """Call fn() and print one line: "label -> no error" (followed by fn's
    result when show_result is true), or "label -> ErrorType message"."""
    try:
        r = fn()
        if show_result:
            print(label, "-> no error", r)
        else:
            print(label, "-> no error")
    except Exception as e:
        print(label, "->", type(e).__name__, str(e))


def gen(self):
    # A task function that yields once (an unnamed Task(gen) is called "gen").
    yield


def add_fresh(label):
    """Add a task named "fresh" that waits one tick, then prints
    "<label> fresh task ran"."""
    def body(self):
        yield
        yield [pyRTOS.delay(1)]
        print(label, "fresh task ran")
    pyRTOS.add_task(pyRTOS.Task(body, name="fresh"))


def fresh(label, watchdog=None):
    """Show that the scheduler still works: add a fresh task and run start(),
    then print "<label> start() returned, tasks: N".

    Without a watchdog an error from start() propagates. With one, start()
    runs through it, and a stuck or failing start() is printed instead and
    the task list is cleared, so that the next case starts clean."""
    add_fresh(label)
    if watchdog is None:
        pyRTOS.start()
    else:
        try:
            watchdog.start()
        except Stuck:
            print(label, "start() stuck; tasks:", [(t.name, t.state) for t in pyRTOS.tasks])
            pyRTOS.tasks.clear()
            return
        except Exception as e:
            print(label, "start() raised again:", type(e).__name__, str(e))
            pyRTOS.tasks.clear()
            return
    print(label, "start() returned, tasks:", len(pyRTOS.tasks))


class Stuck(Exception):
    """Raised by a Watchdog when start() is still looping after its limit."""


class Watchdog:
    """Creating one adds a service routine that counts OS loops and raises
    Stuck once a start() has run more than `limit` of them, so that a test
    that would hang fails with output instead.

    on_loop, if given, is called by the routine with the loop count on every
    loop (to make the service routine do more, e.g. raise at a given loop).
    `loops` holds the count of the current start()."""

    def __init__(self, limit=2000, on_loop=None):
        self.limit = limit
        self.on_loop = on_loop
        self.loops = 0
        pyRTOS.add_service_routine(self.routine)

    def routine(self):
        self.loops += 1
        if self.loops > self.limit:
            raise Stuck
        if self.on_loop is not None:
            self.on_loop(self.loops)

    def start(self, scheduler=None):
        """pyRTOS.start(scheduler) with the loop count reset."""
        self.loops = 0
        pyRTOS.start(scheduler)

    def run(self, label, fn=pyRTOS.start, clear_if_stuck=True):
        """Reset the loop count, call fn (start() by default) and print one
        line: "label -> returned", "label -> stuck; tasks: [...]" (then clear
        the task list if clear_if_stuck) or "label -> ErrorType message"."""
        self.loops = 0
        try:
            fn()
            print(label, "-> returned")
        except Stuck:
            print(label, "-> stuck; tasks:", [(t.name, t.state) for t in pyRTOS.tasks])
            if clear_if_stuck:
                pyRTOS.tasks.clear()
        except Exception as e:
            print(label, "->", type(e).__name__, str(e))
