// The pyRTOS module: module-level API, the OS loop, and the callback table
// through which the Rust core's scheduler pass reaches the VM.
#include <math.h>
#include <string.h>

#include "py/runtime.h"
#include "py/mphal.h"
#include "py/gc.h"
#include "py/objstr.h"
#include "py/objint.h"
#include "py/objgenerator.h"
#include "pyrtos.h"
#include "port.h"

#if MICROPY_ASYNC_KBD_INTR
// Ctrl-C would longjmp out of the SIGINT handler, wherever the scheduler is
// (possibly in Rust code). micropython.mk sets this up for the unix port.
#error "pyRTOS needs KeyboardInterrupt raised at safe points: build the unix port with MICROPY_PY_THREAD_GIL=1"
#endif

MP_REGISTER_ROOT_POINTER(struct _pyrtos_state_t *pyrtos_state);

// A soft reset clears the heap but not the module's root pointer: a state that
// is no longer a heap block of its size holding its own address belongs to the
// heap before the reset. Checked at every import (pyrtos_init), so before any
// use after a reset; ports without MICROPY_MODULE_BUILTIN_INIT, which never
// call __init__, check at every use instead.
static void forget_stale_state(void) {
    pyrtos_state_t *state = MP_STATE_VM(pyrtos_state);
    if (state != NULL && (gc_nbytes(state) < sizeof(*state) || state->self != state)) {
        MP_STATE_VM(pyrtos_state) = NULL;
    }
}

// The module's state, made at its first use (not at import, which stays cheap).
pyrtos_state_t *pyrtos_state(void) {
    #if !MICROPY_MODULE_BUILTIN_INIT
    forget_stale_state();
    #endif
    if (MP_STATE_VM(pyrtos_state) == NULL) {
        // Zeroed: the other lists (MP_OBJ_NULL) are created on first use, as
        // most programs never need some of them; no ISR ring (NULL) until a
        // task has notifications.
        pyrtos_state_t *state = m_new0(pyrtos_state_t, 1);  // zeroed, as pyrtos_kernel_init needs
        state->self = state;
        state->tasks = mp_obj_new_list(0, NULL);
        pyrtos_kernel_init(&state->kernel, offsetof(pyrtos_task_t, core), offsetof(pyrtos_condition_t, core));
        MP_STATE_VM(pyrtos_state) = state;
    }
    return MP_STATE_VM(pyrtos_state);
}

// The live task list, `pyRTOS.tasks`.
mp_obj_t pyrtos_tasks(void) {
    return pyrtos_state()->tasks;
}

// A monotonic microsecond clock. Ports whose tick counter is narrower than 64
// bits wrap; the wrap is folded into a 64-bit count, which stays right as long
// as the clock is read at least once per wrap period (71 minutes for 32 bits),
// as any running scheduler does. Ports with a 64-bit clock of their own
// (CircuitPython's supervisor ticks, see port.h) use it as it is.
uint64_t pyrtos_now_us(void) {
    #ifdef PYRTOS_PORT_TICKS_US64
    return pyrtos_port_ticks_us();
    #else
    mp_uint_t ticks = mp_hal_ticks_us();
    if (sizeof(mp_uint_t) >= sizeof(uint64_t)) {
        return ticks;
    }
    static mp_uint_t last;
    static uint64_t wraps;
    if (ticks < last) {
        wraps += (uint64_t)(mp_uint_t)-1 + 1;
    }
    last = ticks;
    return wraps + ticks;
    #endif
}

// ---- the callback table -----------------------------------------------------

// One scheduler pass's view of the world: the list it schedules and the
// exception a callback caught, re-raised once the core has returned, or the
// object in the list that is not a Task, reported then.
typedef struct {
    PyrtosHost host;
    mp_obj_list_t *list;
    mp_obj_t exc;
    mp_obj_t not_a_task;
} pass_t;

static mp_obj_t *conditions_of(pyrtos_task_t *task, size_t *len) {
    mp_obj_t *items = NULL;
    *len = 0;
    if (task->ready_conditions != MP_OBJ_NULL) {
        mp_obj_get_array(task->ready_conditions, len, &items);
    }
    return items;
}

static size_t host_task_count(void *ctx) {
    return ((pass_t *)ctx)->list->len;
}

static PyrtosTaskRef host_task_at(void *ctx, size_t index) {
    pass_t *pass = ctx;
    mp_obj_t obj = pass->list->items[index];
    if (!mp_obj_is_type(obj, &pyrtos_task_type)) {
        pass->not_a_task = obj;
        return (PyrtosTaskRef) { .obj = obj, .core = NULL };
    }
    pyrtos_task_t *task = MP_OBJ_TO_PTR(obj);
    return (PyrtosTaskRef) { .obj = task, .core = &task->core };
}

static PyrtosCondSlot host_condition_at(void *ctx, void *task_in, size_t index) {
    (void)ctx;
    size_t len;
    mp_obj_t *items = conditions_of(task_in, &len);
    if (index >= len) {
        return (PyrtosCondSlot) { .kind = PYRTOS_SLOT_KIND_END, .cond = NULL };
    }
    if (mp_obj_is_type(items[index], &pyrtos_condition_type)) {
        return (PyrtosCondSlot) { .kind = PYRTOS_SLOT_KIND_BUILTIN, .cond = MP_OBJ_TO_PTR(items[index]) };
    }
    return (PyrtosCondSlot) { .kind = PYRTOS_SLOT_KIND_USER, .cond = NULL };
}

static PyrtosPolled host_poll_user(void *ctx, void *task_in, size_t index) {
    pass_t *pass = ctx;
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        size_t len;
        mp_obj_t *items = conditions_of(task_in, &len);
        bool fired = false;
        if (index < len) {
            mp_obj_t value = mp_iternext_allow_raise(items[index]);
            if (value == MP_OBJ_STOP_ITERATION) {
                nlr_raise(pyrtos_task_error(task_in, &mp_type_RuntimeError, MP_ERROR_TEXT("task %s: a condition generator it waits on has ended")));
            }
            fired = mp_obj_is_true(value);
        }
        nlr_pop();
        return fired ? PYRTOS_POLLED_TRUE : PYRTOS_POLLED_FALSE;
    }
    pass->exc = MP_OBJ_FROM_PTR(nlr.ret_val);
    return PYRTOS_POLLED_RAISED;
}

static PyrtosPolled host_transfer(void *ctx, void *task_in, size_t index) {
    pass_t *pass = ctx;
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        size_t len;
        mp_obj_t *items = conditions_of(task_in, &len);
        pyrtos_queue_transfer(MP_OBJ_TO_PTR(items[index]));
        nlr_pop();
        return PYRTOS_POLLED_TRUE;
    }
    pass->exc = MP_OBJ_FROM_PTR(nlr.ret_val);
    return PYRTOS_POLLED_RAISED;
}

static void host_drop_conditions(void *ctx, void *task_in) {
    (void)ctx;
    pyrtos_drop_conditions(task_in);
}

static PyrtosResumed host_resume(void *ctx, void *task_in) {
    return pyrtos_resume_task(task_in, &((pass_t *)ctx)->exc);
}

static void host_remove_task(void *ctx, void *task_in) {
    mp_obj_list_t *list = ((pass_t *)ctx)->list;
    for (size_t i = 0; i < list->len; i++) {
        if (list->items[i] == MP_OBJ_FROM_PTR(task_in)) {
            memmove(&list->items[i], &list->items[i + 1], (list->len - i - 1) * sizeof(mp_obj_t));
            list->items[--list->len] = MP_OBJ_NULL;
            return;
        }
    }
}

static uint64_t host_now_us(void *ctx) {
    (void)ctx;
    return pyrtos_now_us();
}

void pyrtos_raise_not_a_task(mp_obj_t obj) {
    mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("the task list holds an object of type '%s', not a pyRTOS.Task"),
        mp_obj_get_type_str(obj));
}

static mp_obj_list_t *get_list(mp_obj_t list) {
    if (!mp_obj_is_type(list, &mp_type_list)) {
        mp_raise_TypeError(MP_ERROR_TEXT("tasks must be a list"));
    }
    return MP_OBJ_TO_PTR(list);
}

static const PyrtosHost host_callbacks = {
    .task_count = host_task_count,
    .task_at = host_task_at,
    .condition_at = host_condition_at,
    .poll_user = host_poll_user,
    .transfer = host_transfer,
    .drop_conditions = host_drop_conditions,
    .resume = host_resume,
    .remove_task = host_remove_task,
    .now_us = host_now_us,
};

// Not inlined: three callers, and flash matters more than a call here.
static MP_NOINLINE void pass_init(pass_t *pass, mp_obj_t list) {
    // Copied from flash (a memcpy is smaller than a store per callback).
    memcpy(&pass->host, &host_callbacks, sizeof(host_callbacks));
    pass->host.ctx = pass;
    pass->list = get_list(list);
    pass->exc = MP_OBJ_NULL;
    pass->not_a_task = MP_OBJ_NULL;
}

// Before any pass: the events interrupt handlers queued (Task.notify_from_isr).
static void apply_isr_events(pyrtos_state_t *state) {
    #if MICROPY_PY_PYRTOS_ISR
    pyrtos_isr_apply(pyrtos_isr_ring(state), &state->kernel);
    #else
    (void)state;
    #endif
}

// One pass of the default (or round-robin) scheduler over the list `pass` was
// set up for; raises what a task raised. The module's own list gets the
// kernel's event-driven pass, any other list (from a user scheduler) a walk
// over every task.
static PyrtosPassOutcome run_pass(pass_t *pass, bool round_robin) {
    pyrtos_state_t *state = pyrtos_state();
    apply_isr_events(state);
    PyrtosPassOutcome outcome = MP_OBJ_FROM_PTR(pass->list) == state->tasks
        ? pyrtos_pass(&state->kernel, &pass->host, round_robin)
        : pyrtos_pass_over_list(&state->kernel, &pass->host, round_robin);
    if (outcome == PYRTOS_PASS_OUTCOME_RAISED) {
        if (pass->exc == MP_OBJ_NULL) {
            // No callback raised: the core stopped at a non-Task in the list.
            pyrtos_raise_not_a_task(pass->not_a_task);
        }
        nlr_raise(pass->exc);
    }
    return outcome;
}

mp_obj_t pyrtos_take_outbox(void) {
    pyrtos_state_t *state = pyrtos_state();
    mp_obj_t sent = state->outbox;
    state->outbox = MP_OBJ_NULL;
    return sent != MP_OBJ_NULL ? sent : mp_obj_new_list(0, NULL);
}

// ---- the OS API -------------------------------------------------------------

// Returns the messages sent since the last delivery if a task ran, as the
// original's run_next() hands them over; none otherwise (those sent outside
// any task wait for one to run).
static mp_obj_t scheduler_pass(mp_obj_t tasks, bool round_robin) {
    pass_t pass;
    pass_init(&pass, tasks);
    return run_pass(&pass, round_robin) == PYRTOS_PASS_OUTCOME_RAN ? pyrtos_take_outbox() : mp_obj_new_list(0, NULL);
}

static mp_obj_t pyrtos_default_scheduler(mp_obj_t tasks) {
    return scheduler_pass(tasks, false);
}
static MP_DEFINE_CONST_FUN_OBJ_1(pyrtos_default_scheduler_obj, pyrtos_default_scheduler);

#if MICROPY_PY_PYRTOS_ROUND_ROBIN
// Like default_scheduler, but equal priorities take turns.
static mp_obj_t pyrtos_round_robin_scheduler(mp_obj_t tasks) {
    return scheduler_pass(tasks, true);
}
static MP_DEFINE_CONST_FUN_OBJ_1(pyrtos_round_robin_scheduler_obj, pyrtos_round_robin_scheduler);
#endif

static mp_obj_t pyrtos_deliver_messages(mp_obj_t messages, mp_obj_t tasks_in) {
    mp_obj_list_t *tasks = get_list(tasks_in);
    mp_obj_iter_buf_t iter_buf;
    mp_obj_t iter = mp_getiter(messages, &iter_buf);
    mp_obj_t msg;
    while ((msg = mp_iternext(iter)) != MP_OBJ_STOP_ITERATION) {
        mp_obj_t target = mp_load_attr(msg, MP_QSTR_target);
        if (mp_obj_is_type(target, &pyrtos_task_type)) {
            pyrtos_task_deliver(MP_OBJ_TO_PTR(target), msg);
            continue;
        }
        // By name: the first task, in priority order, whose name equals the target.
        for (size_t i = 0; i < tasks->len; i++) {
            mp_obj_t item = tasks->items[i];
            if (mp_obj_is_type(item, &pyrtos_task_type)
                && mp_obj_equal(target, ((pyrtos_task_t *)MP_OBJ_TO_PTR(item))->name)) {
                pyrtos_task_deliver(MP_OBJ_TO_PTR(item), msg);
                break;
            }
        }
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(pyrtos_deliver_messages_obj, pyrtos_deliver_messages);

// add_task's append is followed by a sort by priority (Kernel::sort_tasks).
// A list holding a non-Task is left as it is: the next pass reports it.
static void sort_by_priority(mp_obj_list_t *tasks) {
    for (size_t i = 0; i < tasks->len; i++) {
        if (!mp_obj_is_type(tasks->items[i], &pyrtos_task_type)) {
            return;
        }
    }
    pyrtos_kernel_sort_tasks(PYRTOS_KERNEL, (void **)tasks->items, tasks->len);
}

static mp_obj_t pyrtos_add_task(mp_obj_t task_in) {
    pyrtos_task_t *task = pyrtos_get_task(task_in, MP_QSTR_add_task);
    mp_obj_list_t *tasks = MP_OBJ_TO_PTR(pyrtos_tasks());
    // Not in the list: checked before the setup code runs, and again after
    // it, as it is Python code that may add the task itself.
    for (bool set_up = false;; set_up = true) {
        for (size_t i = 0; i < tasks->len; i++) {
            if (tasks->items[i] == task_in) {
                nlr_raise(pyrtos_task_error(task, &mp_type_ValueError, MP_ERROR_TEXT("task %s: was already added")));
            }
        }
        if (set_up || task->thread != mp_const_none) {
            break;
        }
        pyrtos_task_initialize(task_in);
    }
    mp_obj_list_append(MP_OBJ_FROM_PTR(tasks), task_in);
    sort_by_priority(tasks);
    pyrtos_kernel_admit(PYRTOS_KERNEL, task);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(pyrtos_add_task_obj, pyrtos_add_task);

static mp_obj_t pyrtos_add_service_routine(mp_obj_t routine) {
    if (!mp_obj_is_callable(routine)) {
        mp_raise_TypeError(MP_ERROR_TEXT("service routine must be callable"));
    }
    pyrtos_state_t *state = pyrtos_state();
    if (state->service_routines == MP_OBJ_NULL) {
        state->service_routines = mp_obj_new_list(0, NULL);
    }
    mp_obj_list_append(state->service_routines, routine);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(pyrtos_add_service_routine_obj, pyrtos_add_service_routine);

static bool has_service_routines(pyrtos_state_t *state) {
    return state->service_routines != MP_OBJ_NULL && ((mp_obj_list_t *)MP_OBJ_TO_PTR(state->service_routines))->len > 0;
}

// Calls every service routine; false when there is none.
static bool run_service_routines(pyrtos_state_t *state) {
    if (!has_service_routines(state)) {
        return false;
    }
    mp_obj_list_t *routines = MP_OBJ_TO_PTR(state->service_routines);
    for (size_t i = 0; i < routines->len; i++) {
        mp_call_function_0(routines->items[i]);
    }
    return true;
}

// Sleeps up to `us` microseconds through the port, which keeps Ctrl-C,
// scheduled callbacks and background work alive; returns early on events,
// among them an interrupt handler's Task.notify_from_isr.
static void idle_wait_us(uint64_t us) {
    #ifdef PYRTOS_PORT_IDLE_WAIT
    pyrtos_port_idle_wait_us(us);
    #elif defined(__unix__)
    // The unix port's event wait sleeps 0.5 ms whatever the timeout; a signal
    // (Ctrl-C) or notify_from_isr cuts this sleep short, so sleep the whole
    // time in one go (at most PYRTOS_IDLE_SLICE_MS), then handle events.
    us = MIN(us, PYRTOS_IDLE_SLICE_MS * 1000);
    #if MICROPY_PY_PYRTOS_ISR
    pyrtos_idle_sleep_us(pyrtos_state(), us);
    #else
    mp_hal_delay_us((mp_uint_t)us);
    #endif
    mp_event_handle_nowait();
    #else
    if (us >= 1000) {
        mp_event_wait_ms(us / 1000);
    } else {
        mp_event_handle_nowait();
        mp_hal_delay_us((mp_uint_t)us);
    }
    #endif
}

// After a pass that ran nothing: sleep as long as the kernel allows (see
// Kernel::idle: until the next timer is due, or for good; with service
// routines, only with idle_ms, for at most that long).
static void idle(pyrtos_state_t *state, bool routines, uint64_t idle_cap_us) {
    uint64_t wait;
    uint64_t now = pyrtos_now_us();
    if (pyrtos_isr_waiting(state) || pyrtos_kernel_idle(&state->kernel, now, routines, idle_cap_us, &wait) == PYRTOS_IDLE_BUSY) {
        return;
    }
    idle_wait_us(wait);
    #if MICROPY_PY_PYRTOS_STATS
    pyrtos_stats_slept(&state->kernel, now, pyrtos_now_us());
    #endif
}

#if MICROPY_PY_PYRTOS_FAST_YIELD
// Longest outbox list kept for the next sends (in slots): enough for a steady
// exchange of messages, without holding on to the memory of a burst.
#define OUTBOX_KEPT_SLOTS (8)

// Delivers what the tasks sent, then keeps the emptied list for the next
// sends, so that messages sent from the OS loop allocate nothing but
// themselves. A send during delivery starts a new list, delivered next time.
static MP_NOINLINE void deliver_sent(pyrtos_state_t *state, mp_obj_list_t *sent) {
    state->outbox = MP_OBJ_NULL;
    pyrtos_deliver_messages(MP_OBJ_FROM_PTR(sent), state->tasks);
    if (state->outbox == MP_OBJ_NULL && sent->alloc <= OUTBOX_KEPT_SLOTS) {
        // Cleared, so that the list does not keep delivered messages alive.
        memset(sent->items, 0, sent->len * sizeof(mp_obj_t));
        sent->len = 0;
        state->outbox = MP_OBJ_FROM_PTR(sent);
    }
}

// Inline: the OS loop calls it after every yield, mostly to find nothing sent.
static inline void deliver_outbox(pyrtos_state_t *state) {
    if (state->outbox != MP_OBJ_NULL && ((mp_obj_list_t *)MP_OBJ_TO_PTR(state->outbox))->len != 0) {
        deliver_sent(state, MP_OBJ_TO_PTR(state->outbox));
    }
}
#else
// Delivers what the tasks sent; the next send makes a new list.
static void deliver_outbox(pyrtos_state_t *state) {
    if (state->outbox != MP_OBJ_NULL) {
        pyrtos_deliver_messages(pyrtos_take_outbox(), state->tasks);
    }
}
#endif

#if MICROPY_PY_PYRTOS_FAST_YIELD
// The thread's VM state. With threads, every MP_STATE_THREAD access is a call
// (pthread_getspecific on unix), and the thread running start() keeps its
// state: the OS loop reads it once.
static inline mp_state_thread_t *thread_state(void) {
    #if MICROPY_PY_THREAD
    return mp_thread_get_state();
    #else
    return &mp_state_ctx.thread;
    #endif
}

// True when mp_handle_pending has something to do: the test the VM makes before
// it calls it (py/vm.c, pending_exception_check), so a yield that finds nothing
// pending costs a few loads rather than a call and thread-state lookups.
static inline bool events_pending(mp_state_thread_t *thread) {
    return thread->mp_pending_exception != MP_OBJ_NULL
        #if MICROPY_ENABLE_SCHEDULER
        || MP_STATE_VM(sched_state) == MP_SCHED_PENDING
        #endif
        #if MICROPY_ENABLE_VM_ABORT
        || MP_STATE_VM(vm_abort)
        #endif
    ;
}

// After a pass that resumed a task: while the next pass could only resume
// that task again (pyrtos_kernel_rerun decides, and counts the pass), resume
// it from here, then deliver and handle events as the OS loop does after a
// pass: the same sequence of events, without a full pass per yield. Runs in
// start()'s nlr frame, so what the task raises leaves start() as from a pass.
static void rerun_alone(pass_t *pass, pyrtos_state_t *state, mp_state_thread_t *thread, bool round_robin) {
    mp_obj_list_t *tasks = pass->list;
    for (;;) {
        size_t len = tasks->len;
        if (len == 0 || !mp_obj_is_type(tasks->items[len - 1], &pyrtos_task_type)) {
            return;
        }
        pyrtos_task_t *task = pyrtos_kernel_rerun(&state->kernel, (void *const *)tasks->items, len, round_robin,
            pyrtos_isr_ring(state), &pass->host);
        if (task == NULL) {
            return;
        }
        mp_obj_t value;
        mp_vm_return_kind_t kind = MP_VM_RETURN_EXCEPTION;
        if (task->thread == mp_const_none) {
            value = pyrtos_task_not_initialized(task);
        } else {
            // mp_resume without its dispatch for the usual generator.
            kind = mp_obj_is_exact_type(task->thread, &mp_type_gen_instance)
                ? mp_obj_gen_resume(task->thread, mp_const_none, MP_OBJ_NULL, &value)
                : mp_resume(task->thread, mp_const_none, MP_OBJ_NULL, &value);
        }
        PYRTOS_SWAP_CURRENT(&state->kernel, NULL);
        if (kind == MP_VM_RETURN_EXCEPTION) {
            nlr_raise(value);
        }
        if (kind != MP_VM_RETURN_YIELD || value != mp_const_none) {
            pyrtos_rerun_done(&state->kernel, &pass->host, task, pyrtos_resumed_as(task, kind, value));
        }
        deliver_outbox(state);
        pyrtos_port_background();
        if (events_pending(thread)) {
            mp_handle_pending(true);
        }
        if (has_service_routines(state)) {
            return;
        }
    }
}
#endif

// The OS loop: service routines, one pass (or the user's scheduler), message
// delivery, pending events; until the task list is empty.
static void os_loop(pyrtos_state_t *state, pass_t *pass, mp_obj_t scheduler, bool round_robin, uint64_t idle_cap_us) {
    mp_obj_list_t *tasks = pass->list;
    #if MICROPY_PY_PYRTOS_FAST_YIELD
    mp_state_thread_t *thread = thread_state();
    #endif
    for (;;) {
        bool routines = run_service_routines(state);
        PyrtosPassOutcome outcome = PYRTOS_PASS_OUTCOME_IDLE;
        if (scheduler == mp_const_none) {
            outcome = run_pass(pass, round_robin);
            if (outcome == PYRTOS_PASS_OUTCOME_IDLE) {
                // What a service routine or user condition sent waits for a
                // task to run, as in the original.
                if (tasks->len > 0) {
                    idle(state, routines, idle_cap_us);
                }
            } else {
                deliver_outbox(state);
            }
        } else {
            apply_isr_events(state);
            mp_obj_t messages = mp_call_function_1(scheduler, state->tasks);
            // Any iterable, as the original's deliver_messages() takes; the
            // check only makes the error name the scheduler.
            const mp_obj_type_t *type = mp_obj_get_type(messages);
            if (!MP_OBJ_TYPE_HAS_SLOT(type, iter) && !MP_OBJ_TYPE_HAS_SLOT(type, subscr)) {
                mp_raise_msg_varg(&mp_type_TypeError,
                    MP_ERROR_TEXT("the scheduler must return an iterable of messages, not '%s'"),
                    mp_obj_get_type_str(messages));
            }
            pyrtos_deliver_messages(messages, state->tasks);
        }
        // Ctrl-C, scheduled callbacks and the port's background work.
        pyrtos_port_background();
        mp_handle_pending(true);
        if (tasks->len == 0) {
            return;
        }
        #if MICROPY_PY_PYRTOS_FAST_YIELD
        if (outcome == PYRTOS_PASS_OUTCOME_RAN && !routines) {
            rerun_alone(pass, state, thread, round_robin);
        }
        #endif
    }
}

// start(scheduler=None, idle_ms=None, stats=False): the OS loop, until every
// task has returned. When a pass runs nothing and no service routine is
// registered, the loop sleeps until the next timeout is due. Service routines
// are called every loop, as in the original, unless idle_ms is given: then the
// loop may also sleep while they are registered, at most idle_ms between two
// calls. The module's own schedulers run natively, without a Python call per
// loop. stats=True measures run and idle times (see stats.c).
static mp_obj_t pyrtos_start(size_t n_args, const mp_obj_t *pos, mp_map_t *kw) {
    static const mp_arg_t allowed[] = {
        { MP_QSTR_scheduler, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_idle_ms, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        #if MICROPY_PY_PYRTOS_STATS
        { MP_QSTR_stats, MP_ARG_KW_ONLY | MP_ARG_BOOL, {.u_bool = false} },
        #endif
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed)];
    mp_arg_parse_all(n_args, pos, kw, MP_ARRAY_SIZE(allowed), allowed, args);
    mp_obj_t scheduler = args[0].u_obj;
    #if MICROPY_PY_PYRTOS_ROUND_ROBIN
    bool round_robin = scheduler == MP_OBJ_FROM_PTR(&pyrtos_round_robin_scheduler_obj);
    #else
    const bool round_robin = false;
    #endif
    if (round_robin || scheduler == MP_OBJ_FROM_PTR(&pyrtos_default_scheduler_obj)) {
        scheduler = mp_const_none;
    }
    // The longest sleep between two service-routine calls (idle_ms, in us);
    // UINT64_MAX: not given.
    uint64_t idle_cap_us = UINT64_MAX;
    if (args[1].u_obj != mp_const_none) {
        mp_int_t idle_ms = mp_obj_get_int(args[1].u_obj);
        if (idle_ms < 0) {
            mp_raise_ValueError(MP_ERROR_TEXT("idle_ms must not be negative"));
        }
        // Saturating below UINT64_MAX: on a 64-bit port idle_ms * 1000 can wrap.
        idle_cap_us = (uint64_t)idle_ms >= UINT64_MAX / 1000 ? UINT64_MAX - 1 : (uint64_t)idle_ms * 1000;
    }
    pyrtos_state_t *state = pyrtos_state();
    if (state->started) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("start() is already running"));
    }
    state->started = true;
    // No task's code runs in the loop itself (see Kernel::swap_current).
    void *outer = PYRTOS_SWAP_CURRENT(&state->kernel, NULL);
    #if MICROPY_PY_PYRTOS_STATS
    // Times are measured until start() returns or raises (stopping is a
    // no-op when they were not measured).
    if (args[2].u_bool) {
        pyrtos_stats_timing(&state->kernel, true, pyrtos_now_us());
    }
    #endif
    pass_t pass;
    pass_init(&pass, state->tasks);
    nlr_buf_t nlr;
    void *raised = NULL;
    if (nlr_push(&nlr) == 0) {
        os_loop(state, &pass, scheduler, round_robin, idle_cap_us);
        nlr_pop();
    } else {
        raised = nlr.ret_val;
    }
    // Tasks taken out of the list by hand since the last pass would otherwise
    // stay linked, and alive, until the next start(), whether the loop ended
    // with the list empty or by an exception.
    pyrtos_forget_removed(&state->kernel, &pass.host);
    state->started = false;
    #if MICROPY_PY_PYRTOS_STATS
    pyrtos_stats_timing(&state->kernel, false, pyrtos_now_us());
    #endif
    PYRTOS_SWAP_CURRENT(&state->kernel, outer);
    if (raised != NULL) {
        nlr_jump(raised);
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_KW(pyrtos_start_obj, 0, pyrtos_start);

// ---- conditions -------------------------------------------------------------

static mp_obj_t pyrtos_timeout(mp_obj_t seconds_in) {
    mp_float_t seconds = mp_obj_get_float(seconds_in);
    if (isnan(seconds)) {
        mp_raise_ValueError(MP_ERROR_TEXT("timeout() needs a number of seconds, not NaN"));
    }
    #if MICROPY_FLOAT_IMPL == MICROPY_FLOAT_IMPL_DOUBLE
    PyrtosCondition cond = pyrtos_condition_timeout_f64(seconds);
    #else
    PyrtosCondition cond = pyrtos_condition_timeout_f32(seconds);
    #endif
    return pyrtos_condition_new(cond, mp_const_none, mp_const_none);
}
static MP_DEFINE_CONST_FUN_OBJ_1(pyrtos_timeout_obj, pyrtos_timeout);

// An int argument as int64_t, exactly. On a 32-bit port mp_obj_get_int raises
// OverflowError past the machine word (from -2**31 on), before a caller's own
// range check could name the argument, and mp_float_t is a float, too narrow
// for nanoseconds. Outside int64 it gives INT64_MIN/MAX, for the caller's
// range check. Other types convert (bool) or raise TypeError as in
// mp_obj_get_int; an int subclass goes through mp_obj_get_int too, whose
// OverflowError past the machine word does not name the argument.
int64_t pyrtos_get_int64(mp_obj_t obj) {
    if (mp_obj_is_small_int(obj)) {
        return MP_OBJ_SMALL_INT_VALUE(obj);
    }
    #if MICROPY_LONGINT_IMPL != MICROPY_LONGINT_IMPL_NONE
    if (mp_obj_is_exact_type(obj, &mp_type_int)) {
        // A big int, as 8 bytes in the machine's order. The conversion fails when
        // it does not fit, but takes a positive one as unsigned: check the sign.
        int64_t value;
        bool negative = mp_obj_int_sign(obj) < 0;
        if (mp_obj_int_to_bytes_impl(obj, MP_ENDIANNESS_BIG, sizeof(value), (byte *)&value) && (value < 0) == negative) {
            return value;
        }
        return negative ? INT64_MIN : INT64_MAX;
    }
    #endif
    return mp_obj_get_int(obj);
}

static mp_obj_t pyrtos_timeout_ns(mp_obj_t ns_in) {
    return pyrtos_condition_new(pyrtos_condition_timeout_ns(pyrtos_get_int64(ns_in)), mp_const_none, mp_const_none);
}
static MP_DEFINE_CONST_FUN_OBJ_1(pyrtos_timeout_ns_obj, pyrtos_timeout_ns);

static mp_obj_t pyrtos_delay(mp_obj_t cycles_in) {
    return pyrtos_condition_new(pyrtos_condition_delay(pyrtos_get_int64(cycles_in)), mp_const_none, mp_const_none);
}
static MP_DEFINE_CONST_FUN_OBJ_1(pyrtos_delay_obj, pyrtos_delay);

static mp_obj_t pyrtos_wait_for_message(mp_obj_t task_in) {
    pyrtos_task_t *task = pyrtos_get_task(task_in, MP_QSTR_wait_for_message);
    PyrtosCondition cond;
    pyrtos_check_core_error(task, pyrtos_condition_message(&task->core, &cond));
    return pyrtos_condition_new(cond, task_in, mp_const_none);
}
static MP_DEFINE_CONST_FUN_OBJ_1(pyrtos_wait_for_message_obj, pyrtos_wait_for_message);

mp_obj_t pyrtos_wait_for_notification(pyrtos_task_t *task, mp_obj_t index, mp_obj_t state) {
    PyrtosCondition cond;
    pyrtos_check_core_error(task, pyrtos_condition_notification(&task->core, pyrtos_get_int64(index), pyrtos_get_int64(state), &cond));
    return pyrtos_condition_new(cond, MP_OBJ_FROM_PTR(task), mp_const_none);
}

static mp_obj_t pyrtos_wait_for_notification_fn(size_t n_args, const mp_obj_t *pos, mp_map_t *kw) {
    static const mp_arg_t allowed[] = {
        { MP_QSTR_task, MP_ARG_REQUIRED | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_index, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(0)} },
        { MP_QSTR_state, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(1)} },
    };
    mp_arg_val_t args[3];
    mp_arg_parse_all(n_args, pos, kw, 3, allowed, args);
    pyrtos_task_t *task = pyrtos_get_task(args[0].u_obj, MP_QSTR_wait_for_notification);
    return pyrtos_wait_for_notification(task, args[1].u_obj, args[2].u_obj);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(pyrtos_wait_for_notification_obj, 1, pyrtos_wait_for_notification_fn);

// ---- module -----------------------------------------------------------------

#if MICROPY_MODULE_BUILTIN_INIT
// Runs at every import (MicroPython calls a built-in module's __init__ then):
// a state left from before a soft reset is forgotten; the next use makes a new one.
static mp_obj_t pyrtos_init(void) {
    forget_stale_state();
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_0(pyrtos_init_obj, pyrtos_init);
#endif

// Module attributes that are not constants: the live task list.
static mp_obj_t pyrtos_getattr(mp_obj_t attr) {
    if (mp_obj_str_get_qstr(attr) == MP_QSTR_tasks) {
        return pyrtos_tasks();
    }
    mp_raise_msg_varg(&mp_type_AttributeError, MP_ERROR_TEXT("module 'pyRTOS' has no attribute '%q'"), mp_obj_str_get_qstr(attr));
}
static MP_DEFINE_CONST_FUN_OBJ_1(pyrtos_getattr_obj, pyrtos_getattr);

static MP_DEFINE_STR_OBJ(pyrtos_version_obj, "1.0.0");

static const mp_rom_map_elem_t pyrtos_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_pyRTOS) },
    #if MICROPY_MODULE_BUILTIN_INIT
    { MP_ROM_QSTR(MP_QSTR___init__), MP_ROM_PTR(&pyrtos_init_obj) },
    #endif
    { MP_ROM_QSTR(MP_QSTR___getattr__), MP_ROM_PTR(&pyrtos_getattr_obj) },
    { MP_ROM_QSTR(MP_QSTR_version), MP_ROM_PTR(&pyrtos_version_obj) },
    { MP_ROM_QSTR(MP_QSTR_QUIT), MP_ROM_INT(0) },
    { MP_ROM_QSTR(MP_QSTR_RUNNING), MP_ROM_INT(PYRTOS_TASK_STATE_RUNNING) },
    { MP_ROM_QSTR(MP_QSTR_READY), MP_ROM_INT(PYRTOS_TASK_STATE_READY) },
    { MP_ROM_QSTR(MP_QSTR_BLOCKED), MP_ROM_INT(PYRTOS_TASK_STATE_BLOCKED) },
    { MP_ROM_QSTR(MP_QSTR_SUSPENDED), MP_ROM_INT(PYRTOS_TASK_STATE_SUSPENDED) },
    #if MICROPY_PY_PYRTOS_ISR
    { MP_ROM_QSTR(MP_QSTR_ISR_SET), MP_ROM_INT(PYRTOS_ISR_MODE_SET) },
    { MP_ROM_QSTR(MP_QSTR_ISR_INC), MP_ROM_INT(PYRTOS_ISR_MODE_INC) },
    { MP_ROM_QSTR(MP_QSTR_isr_overflows), MP_ROM_PTR(&pyrtos_isr_overflows_obj) },
    #endif
    { MP_ROM_QSTR(MP_QSTR_Task), MP_ROM_PTR(&pyrtos_task_type) },
    { MP_ROM_QSTR(MP_QSTR_Message), MP_ROM_PTR(&pyrtos_message_type) },
    { MP_ROM_QSTR(MP_QSTR_MessageQueue), MP_ROM_PTR(&pyrtos_queue_type) },
    { MP_ROM_QSTR(MP_QSTR_Mutex), MP_ROM_PTR(&pyrtos_mutex_type) },
    { MP_ROM_QSTR(MP_QSTR_BinarySemaphore), MP_ROM_PTR(&pyrtos_semaphore_type) },
    #if MICROPY_PY_PYRTOS_MORE_LOCKS
    { MP_ROM_QSTR(MP_QSTR_RecursiveMutex), MP_ROM_PTR(&pyrtos_recursive_mutex_type) },
    { MP_ROM_QSTR(MP_QSTR_CountingSemaphore), MP_ROM_PTR(&pyrtos_counting_semaphore_type) },
    #endif
    { MP_ROM_QSTR(MP_QSTR_add_task), MP_ROM_PTR(&pyrtos_add_task_obj) },
    { MP_ROM_QSTR(MP_QSTR_add_service_routine), MP_ROM_PTR(&pyrtos_add_service_routine_obj) },
    { MP_ROM_QSTR(MP_QSTR_start), MP_ROM_PTR(&pyrtos_start_obj) },
    { MP_ROM_QSTR(MP_QSTR_default_scheduler), MP_ROM_PTR(&pyrtos_default_scheduler_obj) },
    #if MICROPY_PY_PYRTOS_ROUND_ROBIN
    { MP_ROM_QSTR(MP_QSTR_round_robin_scheduler), MP_ROM_PTR(&pyrtos_round_robin_scheduler_obj) },
    #endif
    #if MICROPY_PY_PYRTOS_STATS
    { MP_ROM_QSTR(MP_QSTR_stats), MP_ROM_PTR(&pyrtos_stats_obj) },
    { MP_ROM_QSTR(MP_QSTR_task_list), MP_ROM_PTR(&pyrtos_task_list_obj) },
    #endif
    { MP_ROM_QSTR(MP_QSTR_deliver_messages), MP_ROM_PTR(&pyrtos_deliver_messages_obj) },
    { MP_ROM_QSTR(MP_QSTR_timeout), MP_ROM_PTR(&pyrtos_timeout_obj) },
    { MP_ROM_QSTR(MP_QSTR_timeout_ns), MP_ROM_PTR(&pyrtos_timeout_ns_obj) },
    { MP_ROM_QSTR(MP_QSTR_delay), MP_ROM_PTR(&pyrtos_delay_obj) },
    { MP_ROM_QSTR(MP_QSTR_wait_for_message), MP_ROM_PTR(&pyrtos_wait_for_message_obj) },
    { MP_ROM_QSTR(MP_QSTR_wait_for_notification), MP_ROM_PTR(&pyrtos_wait_for_notification_obj) },
};
static MP_DEFINE_CONST_DICT(pyrtos_globals, pyrtos_globals_table);

const mp_obj_module_t pyrtos_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&pyrtos_globals,
};

MP_REGISTER_MODULE(MP_QSTR_pyRTOS, pyrtos_module);

// The Rust core never panics on any input; if it ever does, stop the way the
// port stops on a fatal error (exit on unix, reset or halt on a board) rather
// than continue in an unknown state.
NORETURN void pyrtos_core_panicked(void) {
    mp_hal_stdout_tx_str("pyRTOS: Rust core panicked\r\n");
    nlr_jump_fail(NULL);
}
