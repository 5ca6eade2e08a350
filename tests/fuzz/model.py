"""A pure-Python reference model of pyRTOS, for the differential fuzzer.

Written from /work/shared/SPEC.md (sections 2-3) and README.md (API, "Compatibility
with the original"): it states the deliberate semantics as plainly as possible,
as a scheduler that polls every blocked task in every pass, with no event
tracking. run.py makes `import pyRTOS` load this module on CPython and compares
what a program prints with what the firmware prints.

Deliberate semantics stated here (each line is something the fuzzer checks):
- tasks are scheduled by priority, equal priorities in the order they were
  admitted: by add_task, or found in pyRTOS.tasks (appended by hand) at the
  start of a pass or when start() returns or raises; a task taken out of
  pyRTOS.tasks by hand stops waiting at the start of the next pass, or when
  start() returns or raises, as with resume(): it gives up its conditions and
  a BLOCKED one becomes READY (README, compatibility list);
- one pass over pyRTOS.tasks visits its tasks in that order (a pass over any
  other list, from a user scheduler, walks it in list order): a READY task is
  the candidate if there is none yet; a BLOCKED task evaluates its conditions in
  order up to the first truthy one and, if one is, drops them (releasing
  semaphore requests) and is READY (and the candidate if there is none yet); the
  RUNNING task keeps the CPU when its priority is equal to or better than the
  candidate's, else it is READY again; the chosen task is resumed once;
- a task whose user condition raises or ends leaves the list (its conditions
  dropped) and the exception propagates out of start();
- a task that returns leaves the list with its conditions dropped (it may
  hold some when its state was set by hand while it was blocked), so its
  ready_conditions then reads as an empty list (README, compatibility list);
- a condition's clock starts at its first evaluation: timeout(0)/timeout_ns(0)
  are true at the first; delay(n) is true n passes after its first evaluation by
  the scheduler, i.e. at its (n+1)-th evaluation while its task stays blocked;
  when the task stops waiting, what is left of the count is kept (the pass in
  which a condition before it woke the task does not count), for the object
  yielded again or driven by next(), which counts evaluations;
- wait_for_notification sets the slot's state to 0 at its first evaluation, then
  is true from the evaluation that finds `state` on (latched);
- notifications: state int8, value int32, increments wrap;
- Mutex: taken when free or held by the requester;
- BinarySemaphore: a request joins a FIFO at its first evaluation and is granted
  when it is at the head and the lock is free, or at once to the owner; a request
  that is dropped (another condition fired, suspend, resume) leaves the FIFO, as
  does one a user condition made with next() when that condition is dropped;
  one whose task is no longer BLOCKED (state set by hand) does not hold it up;
- MessageQueue.send/recv conditions act once and then stay true;
- messages sent with Task.send go to one global outbox, delivered after every
  pass that resumed a task (so those a task sends before returning are
  delivered when it ends; those sent outside any task, by a service routine
  or a user condition, wait for a task to run, as in the original);
- round_robin_scheduler: the same pass, except that the task chosen among
  those of the chosen one's priority is the READY one that has waited longest
  since it was last made READY or RUNNING (by any means; a pass's number is
  its time), the first in walk order on ties; the RUNNING task keeps the CPU
  only when no READY task of its priority is left (README, Round robin). Over
  pyRTOS.tasks the READY tasks are those the walk saw READY or woke; over any
  other list, those READY at the end of the walk;
- errors: the exception types and messages of the native module.
"""
import time
import types

version = "1.0.0"
QUIT = 0
RUNNING = 0
READY = 1
BLOCKED = 2
SUSPENDED = 3

tasks = []
_service_routines = []
_outbox = []
_members = []      # tasks the scheduler knows are in `tasks` (admitted)
_next_seq = [0]    # admission order, the tie-break among equal priorities
_pass_no = [0]     # scheduler passes so far (delay() counts them)
_started = [False]
_evaluating = [None]  # the task whose conditions the scheduler is evaluating

_I8 = (-128, 127)
_I32 = (-(1 << 31), (1 << 31) - 1)
_I64 = (-(1 << 63), (1 << 63) - 1)


def _typename(obj):
    return type(obj).__name__


def _fits(value, bounds):
    return bounds[0] <= value <= bounds[1]


def _wrap(value, bits):
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def _int(obj):
    """MicroPython's mp_obj_get_int on a machine-word int."""
    if isinstance(obj, bool):
        return int(obj)
    if not isinstance(obj, int):
        raise TypeError("can't convert %s to int" % _typename(obj))
    if not _fits(obj, _I64):
        raise OverflowError("overflow converting long int to machine word")
    return obj


def _int64_saturated(obj):
    """The argument of timeout_ns() and delay()."""
    if isinstance(obj, bool) or not isinstance(obj, int):
        return _int(obj)
    return max(_I64[0], min(_I64[1], obj))


def _get_task(obj, function):
    if not isinstance(obj, Task):
        raise TypeError("%s() needs a pyRTOS.Task, not %s" % (function, _typename(obj)))
    return obj


def _now_us():
    return time.monotonic_ns() // 1000


# ---- messages -------------------------------------------------------------------

class Message(object):
    def __init__(self, type, source, target, message=None):
        self.type = type
        self.source = source
        self.target = target
        self.message = message


def _is_member(task):
    return any(t is task for t in _members)


def _admit(task):
    """add_task, or a task found in `tasks` by hand: it joins the scheduling
    order after every task admitted before it."""
    task._seq = _next_seq[0]
    _next_seq[0] += 1
    if not _is_member(task):
        _members.append(task)
    if task.state in (READY, RUNNING):
        task.state = READY  # (re)stamped, as the kernel's admit does


def _retire(task):
    for i, t in enumerate(_members):
        if t is task:
            del _members[i]
            return


def _sync():
    """Before a pass over `tasks`: admit tasks put there by hand (in list
    order), and let tasks taken out by hand stop waiting."""
    for task in tasks:
        if not isinstance(task, Task):
            raise TypeError("the task list holds an object of type '%s', not a pyRTOS.Task" % _typename(task))
    for task in tasks:
        if not _is_member(task):
            _admit(task)
    for task in list(_members):
        if not any(t is task for t in tasks):
            task._drop_conditions()
            _retire(task)
            if task.state == BLOCKED:
                task.state = READY


def _take_outbox():
    global _outbox
    sent = _outbox
    _outbox = []
    return sent


# ---- tasks ----------------------------------------------------------------------

class Task(object):
    def __init__(self, func, priority=255, name=None, notifications=None, mailbox=False):
        if not callable(func):
            raise TypeError("Task func must be callable")
        priority = _int(priority)
        if not _fits(priority, _I32):
            raise OverflowError("Task priority must be -2**31..2**31-1")
        count = 0
        if notifications is not None:
            count = _int(notifications)
            if count < 0 or count > 65535:
                raise ValueError("Task notifications must be 0..65535")
        self.func = func
        self.priority = priority
        self.name = name
        self.state = READY
        self._ready_since = 0
        self.thread = None
        self._notes = [[0, 0] for _ in range(count)]  # [state, value] per slot
        self._has_mailbox = bool(mailbox)
        self._mailbox = []
        self._conds = None
        self._seq = 0
        self.runs = 0
        self._nested = []  # semaphore requests its user conditions made with next()

    # -- errors naming the task
    def _label(self):
        if self.name is not None:
            return repr(self.name)
        return str(getattr(self.func, "__name__", self.func))

    def _error(self, exc_type, what):
        return exc_type("task %s: %s" % (self._label(), what))

    @property
    def state(self):
        return self._state

    @state.setter
    def state(self, value):
        # round robin: when the task was last made READY or RUNNING
        if value in (READY, RUNNING):
            self._ready_since = _pass_no[0]
        self._state = value

    @property
    def ready_conditions(self):
        return self._conds if self._conds is not None else []

    @ready_conditions.setter
    def ready_conditions(self, value):
        # As the native setter: checked as a yield (a false value is no
        # conditions), the old ones given up, the new ones evaluated by the
        # passes to come.
        conds = value if value else None
        if conds is not None:
            error = self._check_yielded(conds)
            if error is not None:
                raise error
        self._drop_conditions()
        self._conds = conds

    # -- running
    def initialize(self):
        thread = self.func(self)
        if not isinstance(thread, types.GeneratorType):
            raise self._error(TypeError, "function must be a generator function (it needs a yield)")
        self.thread = thread
        try:
            next(thread)
        except StopIteration:
            raise self._error(RuntimeError, "returned before its first yield") from None

    def _check_yielded(self, value):
        if not isinstance(value, (list, tuple)):
            return self._error(TypeError, "must yield None or a list of conditions")
        if len(value) == 0:
            return self._error(ValueError, "yielded an empty list (it would block forever)")
        for item in value:
            if not isinstance(item, (_Condition, types.GeneratorType)):
                return self._error(TypeError, "yielded a list item that is not a condition")
        return None

    def _resume(self):
        """Resumes the generator once: 'yielded', 'blocked' or 'returned'; raises what it raised."""
        if self.thread is None:
            raise self._error(RuntimeError, "not initialized (add it with add_task())")
        try:
            value = next(self.thread)
        except StopIteration:
            return "returned"
        if value is None:
            return "yielded"
        error = self._check_yielded(value)
        if error is not None:
            raise error
        self._drop_conditions()
        self._conds = value
        return "blocked"

    def _drop_conditions(self, fired_at=None):
        """`fired_at`: the index of the condition that woke the task in this
        pass; those behind it were not evaluated."""
        conds, self._conds = self._conds, None
        nested, self._nested = self._nested, []
        for index, cond in enumerate(list(conds or ()) + nested):
            if isinstance(cond, _Condition):
                cond._release(fired_at is None or index <= fired_at)

    def _evaluate(self):
        """The conditions in order, up to the first truthy one: its index, or
        None. A user condition that raises or ends raises (the caller fails
        the task)."""
        index = 0
        while self._conds is not None and index < len(self._conds):
            cond = self._conds[index]
            if isinstance(cond, _Condition):
                fired = cond._poll(self)
            else:
                _evaluating[0] = self
                try:
                    value = next(cond)
                except StopIteration:
                    raise self._error(RuntimeError, "a condition generator it waits on has ended") from None
                finally:
                    _evaluating[0] = None
                fired = bool(value)
            if fired:
                return index
            index += 1
        return None

    def run_next(self):
        outcome = self._resume()
        if outcome == "returned":
            raise StopIteration
        if outcome == "blocked":
            self.state = BLOCKED
        return _take_outbox()

    def suspend(self):
        self._drop_conditions()
        self.state = SUSPENDED

    def resume(self):
        self._drop_conditions()
        self.state = READY

    # -- notifications
    def _slot(self, index):
        index = _int(index)
        if not self._notes:
            raise self._error(AttributeError, "has no notifications (Task(notifications=N))")
        if not 0 <= index < len(self._notes):
            raise self._error(IndexError, "notification index out of range")
        return self._notes[index]

    def _state_arg(self, state):
        state = _int(state)
        if not _fits(state, _I8):
            raise self._error(OverflowError, "notification state must be -128..127")
        return state

    def _value_arg(self, value):
        value = _int(value)
        if not _fits(value, _I32):
            raise self._error(OverflowError, "notification value must be -2**31..2**31-1")
        return value

    def notify_set_value(self, index=0, state=1, value=0):
        state, value = self._state_arg(state), self._value_arg(value)
        slot = self._slot(index)
        slot[0], slot[1] = state, value

    def notify_inc_value(self, index=0, state=1, step=1):
        state, step = self._state_arg(state), self._value_arg(step)
        slot = self._slot(index)
        slot[0], slot[1] = state, _wrap(slot[1] + step, 32)

    def notify_get_value(self, index=0):
        return self._slot(index)[1]

    def notify_set_state(self, index=0, state=1):
        state = self._state_arg(state)
        self._slot(index)[0] = state

    def notify_inc_state(self, index=0, step=1):
        step = self._state_arg(step)
        slot = self._slot(index)
        slot[0] = _wrap(slot[0] + step, 8)

    def notify_get_state(self, index=0):
        return self._slot(index)[0]

    def wait_for_notification(self, index=0, state=1):
        return _Notification(self, index, state)

    # -- mailbox
    def _need_mailbox(self):
        if not self._has_mailbox:
            raise self._error(AttributeError, "has no mailbox (Task(mailbox=True))")

    def send(self, msg):
        if not hasattr(msg, "target"):
            raise self._error(TypeError, "send() needs a Message (an object with a target)")
        _outbox.append(msg)

    def recv(self):
        self._need_mailbox()
        received, self._mailbox = self._mailbox, []
        return received

    def message_count(self):
        self._need_mailbox()
        return len(self._mailbox)

    def deliver(self, msg):
        self._need_mailbox()
        self._mailbox.append(msg)


# ---- conditions -----------------------------------------------------------------

class _Condition(object):
    """A built-in condition; next() evaluates it once, as the scheduler does."""

    def __iter__(self):
        return self

    def __next__(self):
        return bool(self._poll(None))

    def _poll(self, task):
        raise NotImplementedError

    def _release(self, evaluated):
        pass


class _Timeout(_Condition):
    def __init__(self, duration_us):
        self.duration_us = duration_us  # None: never
        self.deadline = None

    def _poll(self, task):
        now = _now_us()
        if self.deadline is None:
            self.deadline = now + (self.duration_us or 0)
        return self.duration_us is not None and now >= self.deadline


class _Delay(_Condition):
    def __init__(self, cycles):
        self.cycles = max(0, cycles)
        self.due = None  # the pass it is due in, from its first evaluation by the scheduler

    def _poll(self, task):
        if task is None and self.due is None:
            # next(): counts evaluations (on one a task waits on, it reads it)
            fired = self.cycles == 0
            self.cycles = max(0, self.cycles - 1)
            return fired
        if self.due is None:
            self.due = _pass_no[0] + self.cycles
        return _pass_no[0] >= self.due

    def _release(self, evaluated):
        # evaluated in every pass of the wait (this one too, if `evaluated`):
        # what is left counts again if the object is yielded again
        if self.due is not None:
            self.cycles = max(0, self.due - _pass_no[0] - (1 if evaluated else 0))
            self.due = None


class _Message(_Condition):
    def __init__(self, task):
        self.task = task

    def _poll(self, task):
        return len(self.task._mailbox) > 0


class _Notification(_Condition):
    def __init__(self, task, index, state):
        task._slot(index)
        self.task = task
        self.index = _int(index)
        self.state = task._state_arg(state)
        self.started = False
        self.fired = False

    def _poll(self, task):
        if not self.fired:
            slot = self.task._notes[self.index]
            if not self.started:
                slot[0] = 0
                self.started = True
            self.fired = slot[0] == self.state
        return self.fired


class _MutexLock(_Condition):
    def __init__(self, lock, requester):
        self.lock = lock
        self.requester = requester

    def _poll(self, task):
        return self.lock._try(self.requester)


class _SemaphoreLock(_Condition):
    def __init__(self, lock, requester):
        self.lock = lock
        self.requester = requester
        self.waiter = None  # the task whose condition list queued the request

    def _poll(self, task):
        queue = self.lock._queue
        waiter = task if task is not None else self.requester
        if any(r is self for r in queue):
            if self.waiter is not waiter:
                return False  # queued for another task's condition list
        else:
            queue.append(self)  # the request joins the FIFO at its first evaluation
            self.waiter = waiter
            if task is None and _evaluating[0] is not None:
                # made by a user condition: it is abandoned with that condition
                _evaluating[0]._nested.append(self)
        # Requests of tasks that stopped waiting without giving them up (their
        # state set by hand) do not hold up the queue.
        while queue and queue[0].waiter.state != BLOCKED:
            del queue[0]
        if self.lock._owner is self.requester or (self.lock._owner is None and queue and queue[0] is self):
            self._release(True)
            self.lock._owner = self.requester
            return True
        return False

    def _release(self, evaluated):
        queue = self.lock._queue
        for i, r in enumerate(queue):
            if r is self:
                del queue[i]
                return


class _QueueSend(_Condition):
    def __init__(self, queue, msg):
        self.queue = queue
        self.msg = msg
        self.done = False

    def _poll(self, task):
        if not self.done and len(self.queue._items) < self.queue._capacity:
            self.queue._items.append(self.msg)
            self.done = True
        return self.done


class _QueueRecv(_Condition):
    def __init__(self, queue, out):
        self.queue = queue
        self.out = out
        self.done = False

    def _poll(self, task):
        if not self.done and self.queue._items:
            self.out.append(self.queue._items.pop(0))
            self.done = True
        return self.done


def timeout(seconds):
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError("can't convert %s to float" % _typename(seconds))
    seconds = float(seconds)
    if seconds != seconds:
        raise ValueError("timeout() needs a number of seconds, not NaN")
    us = seconds * 1e6
    if us <= 0:
        return _Timeout(0)
    if us == float("inf") or us >= 2.0 ** 64:
        return _Timeout(None)
    whole = int(us)
    return _Timeout(whole + (1 if whole < us else 0))


def timeout_ns(nanoseconds):
    ns = max(0, _int64_saturated(nanoseconds))
    return _Timeout(ns // 1000 + (1 if ns % 1000 else 0))


def delay(cycles):
    return _Delay(_int64_saturated(cycles))


def wait_for_message(task):
    _get_task(task, "wait_for_message")._need_mailbox()
    return _Message(task)


def wait_for_notification(task, index=0, state=1):
    return _Notification(_get_task(task, "wait_for_notification"), index, state)


# ---- locks and queues -----------------------------------------------------------

class _Lock(object):
    def __init__(self):
        self._owner = None

    def _try(self, task):
        if self._owner is None or self._owner is task:
            self._owner = task
            return True
        return False

    def nb_lock(self, task):
        return self._try(_get_task(task, "nb_lock"))

    def unlock(self):
        self._owner = None


class Mutex(_Lock):
    def lock(self, task):
        return _MutexLock(self, _get_task(task, "lock"))


class BinarySemaphore(_Lock):
    def __init__(self):
        _Lock.__init__(self)
        self._queue = []  # pending requests (condition objects), oldest first

    def lock(self, task):
        return _SemaphoreLock(self, _get_task(task, "lock"))


class MessageQueue(object):
    def __init__(self, capacity=10):
        capacity = _int(capacity)
        if capacity < 0:
            raise ValueError("MessageQueue capacity must not be negative")
        self._capacity = capacity
        self._items = []

    def send(self, msg):
        return _QueueSend(self, msg)

    def recv(self, out_buffer):
        if not isinstance(out_buffer, list):
            raise TypeError("MessageQueue.recv() needs a list")
        return _QueueRecv(self, out_buffer)

    def nb_send(self, msg):
        if len(self._items) < self._capacity:
            self._items.append(msg)
            return True
        return False

    def nb_recv(self):
        return self._items.pop(0) if self._items else None


# ---- the scheduler --------------------------------------------------------------

def _check_list(lst):
    if not isinstance(lst, list):
        raise TypeError("tasks must be a list")
    return lst


def _one_pass(lst, round_robin=False):
    own = lst is tasks
    if own:
        _sync()
    _pass_no[0] += 1
    order = sorted(lst, key=lambda t: (t.priority, t._seq)) if own else lst
    chosen = None
    seen_ready = []  # for round robin over pyRTOS.tasks
    index = 0
    while index < len(order):
        task = order[index]
        index += 1
        if not isinstance(task, Task):
            raise TypeError("the task list holds an object of type '%s', not a pyRTOS.Task" % _typename(task))
        if task.state == READY:
            chosen = chosen or task
            seen_ready.append(task)
        elif task.state == BLOCKED:
            try:
                fired_at = task._evaluate()
            except BaseException:
                # its user condition is dead: the task fails and leaves the list
                task._drop_conditions()
                _remove(lst, task)
                if own:
                    _retire(task)
                raise
            if fired_at is not None:
                task._drop_conditions(fired_at)
                task.state = READY
                chosen = chosen or task
                seen_ready.append(task)
        elif task.state == RUNNING:
            if chosen is None or task.priority <= chosen.priority:
                chosen = task
            else:
                task.state = READY
    if chosen is None:
        return False
    if round_robin:
        pool = seen_ready if own else [t for t in lst if isinstance(t, Task)]
        turn = None
        for t in pool:
            if t.state == READY and t.priority == chosen.priority and (
                    turn is None or t._ready_since < turn._ready_since):
                turn = t
        if turn is not None and turn is not chosen:
            if chosen.state == RUNNING:
                chosen.state = READY
            chosen = turn
    chosen.state = RUNNING
    chosen.runs += 1
    outcome = chosen._resume()
    if outcome == "blocked":
        chosen.state = BLOCKED
    elif outcome == "returned":
        chosen._drop_conditions()
        _remove(lst, chosen)
        if own:
            _retire(chosen)
    return True


def _remove(lst, task):
    for i, t in enumerate(lst):
        if t is task:
            del lst[i]
            return


def default_scheduler(task_list):
    return _take_outbox() if _one_pass(_check_list(task_list)) else []


def round_robin_scheduler(task_list):
    return _take_outbox() if _one_pass(_check_list(task_list), True) else []


def deliver_messages(messages, task_list):
    _check_list(task_list)
    for msg in messages:
        target = msg.target
        if isinstance(target, Task):
            target.deliver(msg)
            continue
        for task in task_list:
            if isinstance(task, Task) and target == task.name:
                task.deliver(msg)
                break


def add_task(task):
    _get_task(task, "add_task")
    if any(t is task for t in tasks):
        raise task._error(ValueError, "was already added")
    if task.thread is None:
        task.initialize()
    tasks.append(task)
    # A stable sort by priority, as the original's (unless the list holds a
    # non-Task, which the next pass reports).
    if all(isinstance(t, Task) for t in tasks):
        tasks.sort(key=lambda t: t.priority)
    _admit(task)


def add_service_routine(service_routine):
    if not callable(service_routine):
        raise TypeError("service routine must be callable")
    _service_routines.append(service_routine)


def start(scheduler=None, *, idle_ms=None):
    if scheduler is not None and not callable(scheduler):
        # MicroPython's text, when the first loop calls it (as the original does).
        raise TypeError("'%s' object isn't callable" % _typename(scheduler))
    if idle_ms is not None and _int(idle_ms) < 0:
        raise ValueError("idle_ms must not be negative")
    if _started[0]:
        raise RuntimeError("start() is already running")
    _started[0] = True
    try:
        while True:
            index = 0
            while index < len(_service_routines):
                _service_routines[index]()
                index += 1
            if scheduler is None:
                if _one_pass(tasks) and _outbox:
                    deliver_messages(_take_outbox(), tasks)
            else:
                messages = scheduler(tasks)
                try:
                    iter(messages)
                except TypeError:
                    raise TypeError("the scheduler must return an iterable of messages, not '%s'"
                                    % _typename(messages)) from None
                deliver_messages(messages, tasks)
            if len(tasks) == 0:
                return
    finally:
        _started[0] = False
        # Returning or raising, start() lets go of the tasks taken out of the
        # list by hand since the last pass, as that pass would (a list that
        # holds a non-Task is left for the next pass to report).
        if all(isinstance(t, Task) for t in tasks):
            _sync()
