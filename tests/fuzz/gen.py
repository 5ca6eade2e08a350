"""Random but deterministic pyRTOS programs for the differential fuzzer.

    generate(seed) -> program text

A program creates a few tasks with random priorities (many ties), notification
slots and mailboxes, some shared Mutexes, BinarySemaphores and MessageQueues, and
gives each task a straight-line body of random steps: yields, blocking on random
condition lists (delay, timeout(0)/never, wait_for_message, wait_for_notification,
locks, queue send/recv, small user-condition generators, some with side effects
during the scan, some combining built-in conditions with next()), notifications,
messages by object and by name, nb_lock/unlock, nb_send/nb_recv, suspend/resume of
other tasks, add_task of tasks created up front, returns, and now and then an
error (raised, bad yield, bad argument). Every step prints a trace line that
starts with the OS-loop number (counted by a service routine), so the time of
each event is compared too. A watchdog service routine stops the program after
a number of loops (raising Stop), since random programs often block forever; a
start() that raises is restarted a few times, then the final state of every
object is printed. Nothing depends on wall-clock time (timeouts are 0 or never).

`python3 gen.py SEED` prints the program of SEED.
"""
import random
import sys

PRELUDE = '''\
import pyRTOS

L = [0]
FLAGS = [0, 0, 0, 0]


class Stop(Exception):
    pass


def T(*a):
    print(L[0], *a)


def C(tag, what, f):
    try:
        r = f()
    except Stop:
        raise
    except Exception as e:
        print(L[0], tag, what, 'ERR', type(e).__name__, e)
        return None
    print(L[0], tag, what, r)
    return r


def watchdog():
    L[0] += 1
    if L[0] > LIMIT:
        raise Stop('watchdog')


def uc_count(tag, n):
    i = 0
    while True:
        T(tag, 'poll', i)
        yield i >= n
        i += 1


def uc_flag(tag, k):
    while True:
        T(tag, 'flag', FLAGS[k])
        yield FLAGS[k]


def uc_side(tag, n, act):
    i = 0
    while True:
        T(tag, 'side', i)
        if i == n:
            C(tag, 'act', act)
        yield i > n
        i += 1


def uc_all(tag, conds):
    while True:
        r = []
        for c in conds:
            v = next(c)
            r.append(v)
            if not v:
                break
        T(tag, 'all', r)
        yield all(r)


def uc_raise(tag, n):
    i = 0
    while True:
        T(tag, 'poll', i)
        if i == n:
            raise ValueError('uc ' + tag)
        yield False
        i += 1


def uc_end(tag, n):
    for i in range(n):
        T(tag, 'poll', i)
        yield False


def idle_fn(self):
    yield


def setflag(k, v):
    FLAGS[k] = v


def states():
    return [(t.name, t.state) for t in pyRTOS.tasks]


def msgs(ms):
    return [(m.type, m.source.name, m.message) for m in ms]


def hremove(t):
    # by hand: take t out of the live task list
    for i, u in enumerate(pyRTOS.tasks):
        if u is t:
            del pyRTOS.tasks[i]
            return True
    return False


def hinsert(t):
    # by hand: put t back where add_task would (after every task of its priority or better)
    if any(u is t for u in pyRTOS.tasks):
        return False
    i = len(pyRTOS.tasks)
    while i > 0 and pyRTOS.tasks[i - 1].priority > t.priority:
        i -= 1
    pyRTOS.tasks.insert(i, t)
    return True


def happend(t):
    # by hand, at the end of the list whatever its priority
    if any(u is t for u in pyRTOS.tasks):
        return False
    pyRTOS.tasks.append(t)
    return True


def sched_plain(tl):
    return PASS(tl)


def sched_copy(tl):
    # a pass over a copy of the list; tasks that returned leave the live list by hand
    copy = list(tl)
    sent = PASS(copy)
    for t in list(tl):
        if not any(t is u for u in copy):
            tl.remove(t)
    return sent


def sched_reversed(tl):
    # a pass over the list backwards (a user scheduler's own order)
    copy = list(tl)
    copy.reverse()
    sent = PASS(copy)
    for t in list(tl):
        if not any(t is u for u in copy):
            tl.remove(t)
    return sent


def janitor(self):
    # idle mode: no watchdog, so tasks blocked or suspended for long are resumed
    yield
    while len(pyRTOS.tasks) > 1:
        yield [pyRTOS.delay(JANITOR)]
        for t in list(pyRTOS.tasks):
            if t is not self and t.state in (pyRTOS.BLOCKED, pyRTOS.SUSPENDED):
                T('janitor', 'resumes', t.name, t.state)
                t.resume()

'''

EPILOGUE = '''

def dump():
    for t, notes in zip(ALL, NOTES):
        row = [t.name, t.state, t.runs, t.thread is None, len(t.ready_conditions)]
        try:
            row.append(t.message_count())
        except AttributeError:
            row.append('-')
        for i in range(notes):
            row.append((t.notify_get_state(i), t.notify_get_value(i)))
        print('task', *row)
    for name, q in QUEUES:
        items = []
        while True:
            x = q.nb_recv()
            if x is None:
                break
            items.append(x)
        print('queue', name, items)
    probe = pyRTOS.Task(idle_fn, name='probe')
    for name, lock in LOCKS:
        print('lock', name, 'free' if lock.nb_lock(probe) else 'held')
    print('tasks', states())


def main():
    for attempt in range(4):
        try:
            pyRTOS.start(SCHEDULER, idle_ms=IDLE_MS)
            print('returned', L[0])
            break
        except Stop:
            print('stopped', L[0])
            break
        except Exception as e:
            print('raised', L[0], type(e).__name__, e)
            print('tasks', states())
    dump()


main()
'''


class Task:
    def __init__(self, index, rng, spawned):
        self.var = 't%d' % index
        self.label = self.var
        self.name = repr(self.var)
        self.priority = rng.choice([0, 1, 1, 2, 2, 2, 3, 4, 7])
        self.notes = rng.choice([0, 0, 1, 2, 3])
        self.mailbox = rng.random() < 0.7
        self.spawned = spawned
        self.func = 'f_' + self.var


class Gen:
    def __init__(self, seed, avoid=()):
        self.rng = random.Random(seed)
        self.seed = seed
        self.avoid = set(avoid)

    # ---- helpers -----------------------------------------------------------------

    def chance(self, p):
        return self.rng.random() < p

    def pick(self, seq):
        return self.rng.choice(seq)

    def other(self, me):
        return self.pick(self.tasks)

    def with_mailbox(self, me):
        """A task with a mailbox (me first), or now and then one without."""
        good = [t for t in self.tasks if t.mailbox]
        if me.mailbox and self.chance(0.7):
            return me
        if good and not self.chance(0.05):
            return self.pick(good)
        return self.pick(self.tasks)

    def with_notes(self, me):
        good = [t for t in self.tasks if t.notes]
        if me.notes and self.chance(0.6):
            return me
        if good and not self.chance(0.05):
            return self.pick(good)
        return self.pick(self.tasks)

    def note_index(self, t):
        if t.notes and not self.chance(0.05):
            return self.rng.randrange(t.notes)
        return self.pick([-1, 3, 5])

    def state_value(self):
        r = self.rng.random()
        if r < 0.8:
            return self.pick([0, 1, 1, 1, 2, 3, -1])
        if r < 0.95:
            return self.pick([127, -128, 126, -127])
        return self.pick([128, -129, 300])

    def int32_value(self):
        r = self.rng.random()
        if r < 0.7:
            return self.rng.randint(-5, 20)
        if r < 0.95:
            return self.pick([2147483647, -2147483648, 2147483646, 1 << 30])
        return self.pick([1 << 31, -(1 << 31) - 1, 1 << 40])

    def ref(self, t, me):
        return 'self' if t is me else t.var

    # ---- conditions ----------------------------------------------------------------

    def condition(self, me, tag, k, body):
        """(expression, observation expression or None, setup lines)."""
        r = self.rng.random()
        kinds = ['delay'] * 5 + ['time'] * 2 + ['msg'] * 4 + ['note'] * 5 + ['mutex'] * 3 + \
                ['sem'] * 3 + ['qsend'] * 3 + ['qrecv'] * 3 + ['ucount'] * 2 + ['uflag'] * 2 + \
                ['uside'] * 3 + ['uall'] * 2 + ['ukeep'] * 2 + ['urare'] * (self.rng.random() < 0.3)
        kind = self.pick(kinds)
        if kind == 'ukeep':
            free = [v for v in body.kept if v not in body.used]
            if free:
                var = self.pick(free)
                body.used.add(var)
                return var, None, []
            kind = 'delay'
        if kind == 'delay':
            expr = 'pyRTOS.delay(%d)' % self.pick([0, 1, 1, 2, 3, 5, 8])
            if 'delay_reuse' in self.avoid:
                return expr, None, []
            return self.maybe_keep(body, expr), None, []
        if kind == 'time':
            return self.pick(['pyRTOS.timeout(0)', 'pyRTOS.timeout_ns(0)', 'pyRTOS.timeout(1000000)',
                              'pyRTOS.timeout_ns(10**15)', 'pyRTOS.timeout(-1)', 'pyRTOS.timeout(1e9)']), None, []
        if kind == 'msg':
            t = self.with_mailbox(me)
            return 'pyRTOS.wait_for_message(%s)' % self.ref(t, me), '%s.message_count()' % self.ref(t, me), []
        if kind == 'note':
            t = self.with_notes(me)
            i = self.note_index(t)
            s = self.pick([1, 1, 1, 2, 0, -1, 3]) if not self.chance(0.03) else 128
            form = self.rng.random()
            if form < 0.3 and t is me:
                expr = 'self.wait_for_notification(%d, %d)' % (i, s)
            elif form < 0.4:
                expr = 'pyRTOS.wait_for_notification(%s, index=%d, state=%d)' % (self.ref(t, me), i, s)
            elif form < 0.5 and i == 0 and s == 1:
                expr = 'pyRTOS.wait_for_notification(%s)' % self.ref(t, me)
            else:
                expr = 'pyRTOS.wait_for_notification(%s, %d, %d)' % (self.ref(t, me), i, s)
            obs = '(%s.notify_get_state(%d), %s.notify_get_value(%d))' % (self.ref(t, me), i, self.ref(t, me), i)
            if not (t.notes and 0 <= i < t.notes):
                return expr, None, []
            if s == 128:
                return expr, obs, []
            return self.maybe_keep(body, expr), obs, []
        if kind == 'mutex':
            who = me if self.chance(0.9) else self.other(me)
            return '%s.lock(%s)' % (self.pick(self.mutexes), self.ref(who, me)), None, []
        if kind == 'sem':
            return '%s.lock(self)' % self.pick(self.sems), None, []
        if kind == 'qsend':
            return self.maybe_keep(body, '%s.send(%r)' % (self.pick(self.queues), '%s.%d' % (tag, k))), None, []
        if kind == 'qrecv':
            buf = 'b%d' % k
            return '%s.recv(%s)' % (self.pick(self.queues), buf), buf, ['%s = []' % buf]
        if kind == 'ucount':
            return 'uc_count(%r, %d)' % ('%s.%d' % (tag, k), self.pick([0, 1, 2, 3, 6])), None, []
        if kind == 'uflag':
            return 'uc_flag(%r, %d)' % ('%s.%d' % (tag, k), self.rng.randrange(len(self.flags))), None, []
        if kind == 'uside':
            return 'uc_side(%r, %d, %s)' % ('%s.%d' % (tag, k), self.pick([0, 0, 1, 2]), self.side_act(me, tag)), None, []
        if kind == 'uall':
            inner = []
            for j in range(self.pick([1, 2, 2, 3])):
                inner.append(self.inner_condition(me, '%s.%d.%d' % (tag, k, j)))
            return 'uc_all(%r, [%s])' % ('%s.%d' % (tag, k), ', '.join(inner)), None, []
        # rare: user conditions that raise or end
        if self.chance(0.5):
            return 'uc_raise(%r, %d)' % ('%s.%d' % (tag, k), self.pick([0, 1, 3])), None, []
        return 'uc_end(%r, %d)' % ('%s.%d' % (tag, k), self.pick([0, 1, 3])), None, []

    def maybe_keep(self, body, expr):
        """Now and then a condition object is kept and yielded again in a later block."""
        if self.chance(0.12):
            var = 'k%d' % len(body.kept)
            body.lines.append('%s = %s' % (var, expr))
            body.kept.append(var)
            body.used.add(var)
            return var
        return expr

    def inner_condition(self, me, tag):
        kind = self.pick(['delay', 'delay', 'note', 'msg', 'mutex', 'qsend', 'qrecv', 'time'] +
                         ['sem'] * ('sem_next' not in self.avoid))
        if kind == 'sem':
            return '%s.lock(self)' % self.pick(self.sems)
        if kind == 'delay':
            return 'pyRTOS.delay(%d)' % self.pick([0, 1, 2, 4])
        if kind == 'time':
            return self.pick(['pyRTOS.timeout(0)', 'pyRTOS.timeout_ns(10**15)'])
        if kind == 'note':
            t = self.with_notes(me)
            if not t.notes:
                return 'pyRTOS.delay(1)'
            return 'pyRTOS.wait_for_notification(%s, %d, %d)' % (self.ref(t, me), self.rng.randrange(t.notes), self.pick([0, 1, 1, 2]))
        if kind == 'msg':
            t = self.with_mailbox(me)
            if not t.mailbox:
                return 'pyRTOS.delay(2)'
            return 'pyRTOS.wait_for_message(%s)' % self.ref(t, me)
        if kind == 'mutex':
            return '%s.lock(self)' % self.pick(self.mutexes)
        if kind == 'qsend':
            return '%s.send(%r)' % (self.pick(self.queues), tag)
        return '%s.recv([])' % self.pick(self.queues)

    def side_act(self, me, tag):
        """A lambda run by a user condition during the scheduler's scan."""
        r = self.pick(['unlock', 'unlock', 'note', 'note', 'qsend', 'qrecv', 'send', 'flag', 'nblock', 'deliver'])
        if r == 'unlock':
            return 'lambda: %s.unlock()' % self.pick(self.mutexes + self.sems)
        if r == 'note':
            t = self.with_notes(me)
            i = self.note_index(t)
            op = self.pick(['notify_set_state(%d, %d)' % (i, self.pick([1, 1, 2])),
                            'notify_inc_value(%d, 1, %d)' % (i, self.pick([1, 2])),
                            'notify_set_value(%d, %d, %d)' % (i, self.pick([0, 1, 2]), self.int32_value()),
                            'notify_inc_state(%d)' % i])
            return 'lambda: %s.%s' % (self.ref(t, me), op)
        if r == 'qsend':
            return 'lambda: %s.nb_send(%r)' % (self.pick(self.queues), tag + '.side')
        if r == 'qrecv':
            return 'lambda: %s.nb_recv()' % self.pick(self.queues)
        if r == 'send':
            return 'lambda: self.send(pyRTOS.Message(140, self, %s, %r))' % (self.target(me), tag + '.side')
        if r == 'flag':
            return 'lambda: setflag(%d, %d)' % (self.rng.randrange(len(self.flags)), self.pick([0, 1, 2]))
        if r == 'nblock':
            return 'lambda: %s.nb_lock(self)' % self.pick(self.mutexes + self.sems)
        t = self.with_mailbox(me)
        return 'lambda: %s.deliver(pyRTOS.Message(141, self, %s, %r))' % (self.ref(t, me), self.ref(t, me), tag + '.dlv')

    def target(self, me):
        """A message target: a task object, a task name, or an unknown name."""
        r = self.rng.random()
        t = self.with_mailbox(me)
        if r < 0.4:
            return self.ref(t, me)
        if r < 0.93:
            return repr(t.label) if t.named else self.ref(t, me)
        return repr('nobody')

    # ---- steps -------------------------------------------------------------------------

    def block(self, me, tag, body):
        n = self.pick([1, 1, 2, 2, 3, 4])
        body.used = set()
        exprs, obs, setup = [], [], []
        for k in range(n):
            e, o, s = self.condition(me, tag, k, body)
            exprs.append(e)
            if o:
                obs.append(o)
            setup += s
        if self.chance(0.35):
            exprs.append('pyRTOS.delay(%d)' % self.pick([2, 4, 6, 10]))
        lines = list(setup)
        if self.chance(0.1):
            conds = '(%s,)' % ', '.join(exprs)
        else:
            conds = '[%s]' % ', '.join(exprs)
        lines.append('try:')
        lines.append('    c = %s' % conds)
        lines.append('except Exception as e:')
        lines.append("    T(%r, 'cond ERR', type(e).__name__, e)" % tag)
        lines.append('    c = None')
        lines.append('if c is not None:')
        lines.append("    T(%r, 'block', len(c))" % tag)
        lines.append('    yield c')
        lines.append("    T(%r, 'woke', %s)" % (tag, ', '.join(obs) if obs else "''"))
        return lines

    def step(self, me, tag, body):
        kinds = ['yield'] * 6 + ['block'] * 12 + ['note'] * 5 + ['getnote'] * 2 + ['send'] * 4 + \
                ['recv'] * 3 + ['lock'] * 3 + ['unlock'] * 3 + ['qsend'] * 2 + ['qrecv'] * 2 + \
                ['suspend'] * 2 + ['resume'] * 2 + ['flag'] * 2 + ['look'] * 2 + ['add'] * 2 + \
                ['deliver'] + ['return'] + ['rare'] + ['byhand'] * 2 * ('byhand' not in self.avoid) + \
                ['wrap'] + ['setstate'] * ('setstate' not in self.avoid)
        kind = self.pick(kinds)
        if self.contention and self.chance(0.6):
            kind = 'critical'
        if kind == 'critical':
            # a critical section: several tasks doing this queue up on one lock
            lock = self.hot if self.chance(0.8) else self.pick(self.sems + self.mutexes)
            lines = ["T(%r, 'want', %r)" % (tag, lock)]
            extra = ', pyRTOS.delay(%d)' % self.pick([3, 6, 12]) if self.chance(0.3) else ''
            holds = ['yield'] * self.pick([0, 1, 1, 2, 3]) + ["C(%r, 'unlock', lambda: %s.unlock())" % (tag, lock)]
            if lock in self.sems and 'sem_next' not in self.avoid and self.chance(0.3):
                # try to take it through a user condition, giving up after a while;
                # unlock only when it was taken
                lines += ['yield [uc_all(%r, [%s.lock(self)]), pyRTOS.delay(%d)]' % (tag + '.u', lock, self.pick([1, 2, 4])),
                          'got = %s.nb_lock(self)' % lock,
                          "T(%r, 'in?', %r, got)" % (tag, lock),
                          'if got:'] + ['    ' + line for line in holds]
            else:
                lines += ['yield [%s.lock(self)%s]' % (lock, extra), "T(%r, 'in', %r)" % (tag, lock)] + holds
            return lines
        if kind == 'setstate':
            # by hand, as a scheduler written for the original might
            t = self.other(me)
            r = self.ref(t, me)
            return ["C(%r, 'setstate', lambda: (%s.state, setattr(%s, 'state', pyRTOS.%s), %s.state, len(%s.ready_conditions)))" % (
                tag, r, r, self.pick(['READY', 'READY', 'SUSPENDED', 'BLOCKED']), r, r)]
        if kind == 'wrap':
            t = self.with_notes(me)
            i = self.note_index(t)
            r = self.ref(t, me)
            return ["C(%r, 'wrap', lambda: (%s.notify_set_value(%d, 127, %d), %s.notify_inc_value(%d, -128, %d), %s.notify_inc_state(%d, %d), %s.notify_get_state(%d), %s.notify_get_value(%d)))" % (
                tag, r, i, self.pick([2147483647, -2147483648, 2147483600]), r, i, self.pick([1, 100, -1, -100, 2147483647]),
                r, i, self.pick([1, 127, -128, -1]), r, i, r, i)]
        if kind == 'byhand':
            t = self.other(me)
            op = self.pick(['hremove', 'hremove', 'hinsert', 'hinsert'] + ['happend'] * ('append' not in self.avoid))
            # one edit of the list per run: the scheduler notices it in the next pass
            return ["C(%r, %r, lambda: %s(%s))" % (tag, op, op, self.ref(t, me)), 'yield']
        if kind == 'yield':
            return ["T(%r, 'yield')" % tag, 'yield']
        if kind == 'block':
            return self.block(me, tag, body)
        if kind == 'note':
            t = self.with_notes(me)
            i = self.note_index(t)
            op = self.pick(['set_value', 'inc_value', 'set_state', 'inc_state'])
            if op == 'set_value':
                args = [i, self.state_value(), self.int32_value()]
            elif op == 'inc_value':
                args = [i, self.state_value(), self.int32_value()]
            elif op == 'set_state':
                args = [i, self.state_value()]
            else:
                args = [i, self.state_value()]
            if self.chance(0.2):
                # defaults
                while args and self.chance(0.5):
                    args.pop()
            call = '%s.notify_%s(%s)' % (self.ref(t, me), op, ', '.join(map(str, args)))
            return ["C(%r, %r, lambda: %s)" % (tag, op, call)]
        if kind == 'getnote':
            t = self.with_notes(me)
            i = self.note_index(t)
            return ["C(%r, 'get', lambda: (%s.notify_get_state(%d), %s.notify_get_value(%d)))" % (
                tag, self.ref(t, me), i, self.ref(t, me), i)]
        if kind == 'send':
            lines = []
            for j in range(self.pick([1, 1, 2])):
                lines.append("C(%r, 'send', lambda: self.send(pyRTOS.Message(%d, self, %s, %r)))" % (
                    tag, 128 + j, self.target(me), tag + '.%d' % j))
            return lines
        if kind == 'recv':
            t = me if self.chance(0.85) else self.other(me)
            if self.chance(0.3):
                return ["C(%r, 'count', lambda: %s.message_count())" % (tag, self.ref(t, me))]
            return ["C(%r, 'recv', lambda: msgs(%s.recv()))" % (tag, self.ref(t, me))]
        if kind == 'lock':
            who = me if self.chance(0.85) else self.other(me)
            return ["C(%r, 'nb_lock', lambda: %s.nb_lock(%s))" % (tag, self.pick(self.mutexes + self.sems), self.ref(who, me))]
        if kind == 'unlock':
            return ["C(%r, 'unlock', lambda: %s.unlock())" % (tag, self.pick(self.mutexes + self.sems))]
        if kind == 'qsend':
            return ["C(%r, 'nb_send', lambda: %s.nb_send(%r))" % (tag, self.pick(self.queues), tag)]
        if kind == 'qrecv':
            return ["C(%r, 'nb_recv', lambda: %s.nb_recv())" % (tag, self.pick(self.queues))]
        if kind in ('suspend', 'resume'):
            t = self.other(me)
            if t is me and (kind == 'suspend' and not self.chance(0.2)):
                t = self.pick(self.tasks)
            r = self.ref(t, me)
            return ["C(%r, %r, lambda: (%s.state, %s.%s(), %s.state))" % (tag, kind, r, r, kind, r)]
        if kind == 'flag':
            return ["FLAGS[%d] = %d" % (self.rng.randrange(len(self.flags)), self.pick([0, 1, 2, 5])),
                    "T(%r, 'flags', FLAGS)" % tag]
        if kind == 'look':
            t = self.other(me)
            r = self.ref(t, me)
            return self.pick([["C(%r, 'states', states)" % tag],
                              ["C(%r, 'look', lambda: (%s.state, len(%s.ready_conditions), %s.thread is None))" % (tag, r, r, r)]])
        if kind == 'add':
            if self.spawnable:
                t = self.pick(self.spawnable)
            else:
                t = self.pick(self.tasks)
            return ["C(%r, 'add', lambda: pyRTOS.add_task(%s))" % (tag, self.ref(t, me))]
        if kind == 'deliver' and self.chance(0.5):
            return ["C(%r, 'deliver_messages', lambda: pyRTOS.deliver_messages([pyRTOS.Message(132, self, %s, %r)], pyRTOS.tasks))" % (
                tag, self.target(me), tag)]
        if kind == 'deliver':
            t = self.with_mailbox(me)
            return ["C(%r, 'deliver', lambda: %s.deliver(pyRTOS.Message(131, self, %s, %r)))" % (
                tag, self.ref(t, me), self.ref(t, me), tag)]
        if kind == 'return':
            return ["T(%r, 'return')" % tag, 'return']
        # rare: errors that leave start()
        r = self.rng.random()
        if r < 0.3:
            return ["T(%r, 'raise')" % tag, 'raise ValueError(%r)' % tag]
        if r < 0.5:
            return ["T(%r, 'bad yield')" % tag, 'yield %s' % self.pick(['5', '[]', '[1]', "'x'", '[pyRTOS.delay(1), 2]'])]
        if r < 0.65:
            return ["T(%r, 'self suspend')" % tag, 'self.suspend()', 'yield', "T(%r, 'after self suspend')" % tag]
        if r < 0.8:
            return ["T(%r, 'self resume')" % tag, 'self.resume()', 'yield']
        return ["C(%r, 'bad', lambda: %s)" % (tag, self.pick([
            'pyRTOS.add_task(5)', 'pyRTOS.wait_for_message(3)', "pyRTOS.MessageQueue(-1)",
            'pyRTOS.Task(3)', "%s.lock('x')" % self.pick(self.mutexes + self.sems),
            'pyRTOS.Task(idle_fn, priority=1 << 40)', 'pyRTOS.Task(idle_fn, notifications=70000)',
            'pyRTOS.timeout_ns(1.5)', "pyRTOS.timeout(float('nan'))",
            "%s.recv(())" % self.pick(self.queues), 'pyRTOS.start()']))]

    def setup_step(self, me, tag):
        kind = self.pick(['note', 'send', 'lock', 'qsend', 'flag'])
        if kind == 'note':
            t = self.with_notes(me)
            return ["C(%r, 'set_value', lambda: %s.notify_set_value(%d, %d, %d))" % (
                tag, self.ref(t, me), self.note_index(t), self.state_value(), self.int32_value())]
        if kind == 'send':
            return ["C(%r, 'send', lambda: self.send(pyRTOS.Message(150, self, %s, %r)))" % (tag, self.target(me), tag)]
        if kind == 'lock':
            return ["C(%r, 'nb_lock', lambda: %s.nb_lock(self))" % (tag, self.pick(self.mutexes + self.sems))]
        if kind == 'qsend':
            return ["C(%r, 'nb_send', lambda: %s.nb_send(%r))" % (tag, self.pick(self.queues), tag)]
        return ["FLAGS[%d] = 1" % self.rng.randrange(len(self.flags))]

    # ---- program -------------------------------------------------------------------------

    def program(self):
        rng = self.rng
        n_init = rng.randint(2, 5)
        n_spawn = self.pick([0, 0, 1, 1, 2, 3])
        self.tasks = [Task(i, rng, i >= n_init) for i in range(n_init + n_spawn)]
        for t in self.tasks:
            t.named = not self.chance(0.05)
            if t.named and self.chance(0.05):
                t.label = self.pick(self.tasks).label  # a duplicate name
        self.spawnable = [t for t in self.tasks if t.spawned]
        self.mutexes = ['m%d' % i for i in range(self.pick([1, 1, 2]))]
        self.sems = ['s%d' % i for i in range(self.pick([1, 1, 2]))]
        self.queues = ['q%d' % i for i in range(self.pick([1, 1, 2]))]
        self.flags = [0, 1, 2, 3]
        self.contention = self.chance(0.4)
        self.hot = self.pick(self.sems + self.sems + self.mutexes)
        limit = self.pick([40, 60, 80, 120, 200])
        # Modes come from their own stream, so adding one leaves the programs' bodies alone.
        modes = random.Random(self.seed * 7919 + 17)
        idle = modes.random() < 0.2 and 'idle' not in self.avoid
        scheduler = modes.choice(['None'] * 14 + ['sched_plain'] * 4 + ['sched_copy'] * 2 + ['sched_reversed'])
        if 'scheduler' in self.avoid:
            scheduler = 'None'
        # its own stream too, so that the other modes stay as they were
        rr = random.Random(self.seed * 104729 + 3).random() < 0.3 and 'round_robin' not in self.avoid
        passes = 'pyRTOS.round_robin_scheduler' if rr else 'pyRTOS.default_scheduler'
        if scheduler == 'None' and rr:
            scheduler = passes

        out = ['# pyRTOS differential fuzzer, seed %d' % self.seed, PRELUDE]
        out.append('LIMIT = %d' % limit)
        out.append('JANITOR = %d' % modes.choice([3, 8, 20]))
        out.append('SCHEDULER = %s' % scheduler)
        out.append('PASS = %s' % passes)
        # idle_ms lets the loop sleep beside service routines; it must not
        # change what happens (the model ignores it). Drawn from a stream of
        # its own, so that each seed's program stays what it was.
        idle_ms = random.Random(self.seed * 7919 + 5).choice(['None', 'None', '0', '1'])
        out.append('IDLE_MS = %s' % idle_ms)
        if not idle:
            out.append('pyRTOS.add_service_routine(watchdog)')
            if modes.random() < 0.3:
                # a second service routine that acts every few loops
                every = modes.choice([2, 3, 5, 7])
                me = self.pick(self.tasks)
                act = self.side_act(me, 'sr').replace('self', me.var)
                out.append('def service():')
                out.append('    if L[0] %% %d == 0:' % every)
                out.append("        C('sr', 'act', %s)" % act)
                out.append('pyRTOS.add_service_routine(service)')
        for m in self.mutexes:
            out.append('%s = pyRTOS.Mutex()' % m)
        for s in self.sems:
            out.append('%s = pyRTOS.BinarySemaphore()' % s)
        for q in self.queues:
            out.append('%s = pyRTOS.MessageQueue(%d)' % (q, self.pick([0, 1, 1, 2, 2, 3, 10])))
        out.append('')

        for t in self.tasks:
            out.append('')
            out.append('def %s(self):' % t.func)
            body = Body()
            body.lines.append("T(%r, 'setup')" % t.var)
            for j in range(self.pick([0, 0, 1, 2])):
                body.lines += self.setup_step(t, '%s.s%d' % (t.var, j))
            body.lines.append('yield')
            for j in range(rng.randint(2, 18)):
                tag = '%s.%d' % (t.var, j)
                body.lines += self.step(t, tag, body)
            body.lines.append("T(%r, 'end')" % t.var)
            out += ['    ' + line for line in body.lines]

        out.append('')
        out.append('')
        for t in self.tasks:
            kw = ['priority=%d' % t.priority]
            if t.named:
                kw.append('name=%r' % t.label)
            if t.notes or self.chance(0.1):
                kw.append('notifications=%d' % t.notes)
            if t.mailbox:
                kw.append('mailbox=True')
            elif self.chance(0.2):
                kw.append('mailbox=False')
            out.append('%s = pyRTOS.Task(%s, %s)' % (t.var, t.func, ', '.join(kw)))
        out.append('ALL = [%s]' % ', '.join(t.var for t in self.tasks))
        out.append('NOTES = [%s]' % ', '.join(str(t.notes) for t in self.tasks))
        out.append('QUEUES = [%s]' % ', '.join('(%r, %s)' % (q, q) for q in self.queues))
        out.append('LOCKS = [%s]' % ', '.join('(%r, %s)' % (x, x) for x in self.mutexes + self.sems))
        for t in self.tasks:
            if not t.spawned:
                out.append("C('main', 'add', lambda: pyRTOS.add_task(%s))" % t.var)
        if idle:
            out.append("pyRTOS.add_task(pyRTOS.Task(janitor, priority=100, name='janitor'))")
        out.append(EPILOGUE)
        return '\n'.join(out)


class Body:
    def __init__(self):
        self.lines = []
        self.kept = []
        self.used = set()


def generate(seed, avoid=()):
    """The program of `seed`; `avoid` names features to leave out (see AVOIDABLE)."""
    return Gen(seed, avoid).program()


# Features that can be left out (run.py --avoid), e.g. to look past a known discrepancy.
AVOIDABLE = {
    'delay_reuse': 'yielding a delay() object again after it was abandoned',
    'idle': 'programs without a watchdog service routine (a janitor task instead)',
    'scheduler': 'start(scheduler=...) with a user scheduler',
    'round_robin': 'round_robin_scheduler (native, or called by a user scheduler)',
    'byhand': 'removing tasks from and inserting them into pyRTOS.tasks by hand',
    'append': 'appending tasks to pyRTOS.tasks by hand out of priority order',
    'setstate': "setting a task's state by hand",
    'sem_next': 'BinarySemaphore.lock() conditions driven by next() inside a user condition',
}


if __name__ == '__main__':
    print(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 0, sys.argv[2:]))
