// pyRTOS.Task: a generator-based task with notifications and a mailbox.
#include <string.h>

#include "py/runtime.h"
#include "py/gc.h"
#include "py/objstr.h"
#include "pyrtos.h"
#include "port.h"

// ---- errors that name the task --------------------------------------------

mp_obj_t pyrtos_task_error(pyrtos_task_t *task, const mp_obj_type_t *type, mp_rom_error_text_t fmt) {
    #if MICROPY_PY_PYRTOS_ISR
    if (gc_is_locked()) {
        // In a hard interrupt handler (notify_from_isr): printing the name would allocate.
        return mp_obj_new_exception_msg_varg(type, fmt, "(in an IRQ)");
    }
    #endif
    vstr_t label;
    mp_print_t print;
    vstr_init_print(&label, 16, &print);
    if (task->name != mp_const_none) {
        mp_obj_print_helper(&print, task->name, PRINT_REPR);
    } else {
        mp_obj_t dest[2];
        mp_load_method_maybe(task->func, MP_QSTR___name__, dest);
        mp_obj_print_helper(&print, dest[0] != MP_OBJ_NULL ? dest[0] : task->func, PRINT_STR);
    }
    mp_obj_t error = mp_obj_new_exception_msg_varg(type, fmt, vstr_null_terminated_str(&label));
    vstr_clear(&label);
    return error;
}

NORETURN void pyrtos_raise_core_error(pyrtos_task_t *task, PyrtosCoreError error) {
    switch (error) {
        case PYRTOS_CORE_ERROR_NOTIFICATION_INDEX:
            nlr_raise(pyrtos_task_error(task, &mp_type_IndexError, MP_ERROR_TEXT("task %s: notification index out of range")));
        case PYRTOS_CORE_ERROR_NO_NOTIFICATIONS:
            nlr_raise(pyrtos_task_error(task, &mp_type_AttributeError, MP_ERROR_TEXT("task %s: has no notifications (Task(notifications=N))")));
        case PYRTOS_CORE_ERROR_NO_MAILBOX:
            nlr_raise(pyrtos_task_error(task, &mp_type_AttributeError, MP_ERROR_TEXT("task %s: has no mailbox (Task(mailbox=True))")));
        case PYRTOS_CORE_ERROR_STATE_RANGE:
            nlr_raise(pyrtos_task_error(task, &mp_type_OverflowError, MP_ERROR_TEXT("task %s: notification state must be -128..127")));
        case PYRTOS_CORE_ERROR_VALUE_RANGE:
            nlr_raise(pyrtos_task_error(task, &mp_type_OverflowError, MP_ERROR_TEXT("task %s: notification value must be -2**31..2**31-1")));
        #if MICROPY_PY_PYRTOS_ISR
        case PYRTOS_CORE_ERROR_ISR_MODE:
            nlr_raise(pyrtos_task_error(task, &mp_type_ValueError, MP_ERROR_TEXT("task %s: mode must be ISR_SET or ISR_INC")));
        #endif
        default:
            nlr_raise(pyrtos_task_error(task, &mp_type_RuntimeError, MP_ERROR_TEXT("task %s: internal error")));
    }
}

pyrtos_task_t *pyrtos_get_task(mp_obj_t obj, qstr function) {
    if (!mp_obj_is_type(obj, &pyrtos_task_type)) {
        mp_raise_msg_varg(&mp_type_TypeError, MP_ERROR_TEXT("%q() needs a pyRTOS.Task, not %s"), function, mp_obj_get_type_str(obj));
    }
    return MP_OBJ_TO_PTR(obj);
}

// ---- construction ---------------------------------------------------------

static int32_t get_priority(mp_obj_t obj) {
    int64_t priority = pyrtos_get_int64(obj);
    if (priority < INT32_MIN || priority > INT32_MAX) {
        mp_raise_msg(&mp_type_OverflowError, MP_ERROR_TEXT("Task priority must be -2**31..2**31-1"));
    }
    return (int32_t)priority;
}

static mp_obj_t task_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *all_args) {
    enum { ARG_func, ARG_priority, ARG_name, ARG_notifications, ARG_mailbox };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_func, MP_ARG_REQUIRED | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_priority, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(255)} },
        { MP_QSTR_name, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_notifications, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_mailbox, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_FALSE} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all_kw_array(n_args, n_kw, all_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    if (!mp_obj_is_callable(args[ARG_func].u_obj)) {
        mp_raise_TypeError(MP_ERROR_TEXT("Task func must be callable"));
    }
    int32_t priority = get_priority(args[ARG_priority].u_obj);
    mp_int_t count = 0;
    if (args[ARG_notifications].u_obj != mp_const_none) {
        count = mp_obj_get_int(args[ARG_notifications].u_obj);
        if (count < 0 || count > UINT16_MAX) {
            mp_raise_ValueError(MP_ERROR_TEXT("Task notifications must be 0..65535"));
        }
    }

    #if MICROPY_PY_PYRTOS_ISR
    // notify_from_isr must not allocate: a task it can notify brings the queue.
    if (count > 0) {
        pyrtos_isr_prepare(pyrtos_state());
    }
    #endif
    pyrtos_task_t *self = mp_obj_malloc_var(pyrtos_task_t, notifications, PyrtosNotification, count, type);
    memset(self->notifications, 0, sizeof(PyrtosNotification) * count);
    pyrtos_task_init(&self->core, priority, count ? self->notifications : NULL, (uint16_t)count,
        mp_obj_is_true(args[ARG_mailbox].u_obj));
    self->func = args[ARG_func].u_obj;
    self->name = args[ARG_name].u_obj;
    self->thread = mp_const_none;
    self->ready_conditions = MP_OBJ_NULL;
    self->mailbox = MP_OBJ_NULL;
    return MP_OBJ_FROM_PTR(self);
}

// ---- running ----------------------------------------------------------------

mp_obj_t pyrtos_check_yielded(pyrtos_task_t *task, mp_obj_t yielded) {
    size_t len = 0;
    mp_obj_t *items = NULL;
    if (mp_obj_is_type(yielded, &mp_type_list) || mp_obj_is_type(yielded, &mp_type_tuple)) {
        mp_obj_get_array(yielded, &len, &items);
    } else {
        return pyrtos_task_error(task, &mp_type_TypeError, MP_ERROR_TEXT("task %s: must yield None or a list of conditions"));
    }
    if (len == 0) {
        return pyrtos_task_error(task, &mp_type_ValueError, MP_ERROR_TEXT("task %s: yielded an empty list (it would block forever)"));
    }
    for (size_t i = 0; i < len; i++) {
        if (!mp_obj_is_type(items[i], &pyrtos_condition_type) && !pyrtos_port_is_generator(items[i])) {
            return pyrtos_task_error(task, &mp_type_TypeError, MP_ERROR_TEXT("task %s: yielded a list item that is not a condition"));
        }
    }
    return MP_OBJ_NULL;
}

PyrtosResumed pyrtos_resumed_as(pyrtos_task_t *task, mp_vm_return_kind_t kind, mp_obj_t value) {
    if (kind == MP_VM_RETURN_EXCEPTION) {
        return PYRTOS_RESUMED_RAISED;
    } else if (kind == MP_VM_RETURN_NORMAL) {
        return PYRTOS_RESUMED_RETURNED;
    } else if (value == mp_const_none) {
        return PYRTOS_RESUMED_YIELDED;
    }
    mp_obj_t error = pyrtos_check_yielded(task, value);
    if (error != MP_OBJ_NULL) {
        nlr_raise(error);
    }
    pyrtos_drop_conditions(task);
    task->ready_conditions = value;
    return PYRTOS_RESUMED_BLOCKED;
}

mp_obj_t pyrtos_task_not_initialized(pyrtos_task_t *task) {
    return pyrtos_task_error(task, &mp_type_RuntimeError, MP_ERROR_TEXT("task %s: not initialized (add it with add_task())"));
}

PyrtosResumed pyrtos_resume_task(pyrtos_task_t *task, mp_obj_t *exc) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        if (task->thread == mp_const_none) {
            nlr_raise(pyrtos_task_not_initialized(task));
        }
        mp_obj_t value;
        mp_vm_return_kind_t kind = mp_resume(task->thread, mp_const_none, MP_OBJ_NULL, &value);
        PyrtosResumed result = pyrtos_resumed_as(task, kind, value);
        nlr_pop();
        if (result == PYRTOS_RESUMED_RAISED) {
            *exc = value;
        }
        return result;
    }
    *exc = MP_OBJ_FROM_PTR(nlr.ret_val);
    return PYRTOS_RESUMED_RAISED;
}

void pyrtos_drop_conditions(pyrtos_task_t *task) {
    if (task->ready_conditions == MP_OBJ_NULL) {
        return;
    }
    size_t len;
    mp_obj_t *items;
    mp_obj_get_array(task->ready_conditions, &len, &items);
    PyrtosKernel *kernel = PYRTOS_KERNEL;
    for (size_t i = 0; i < len; i++) {
        if (mp_obj_is_type(items[i], &pyrtos_condition_type)) {
            pyrtos_condition_release(kernel, MP_OBJ_TO_PTR(items[i]), task);
        }
    }
    task->ready_conditions = MP_OBJ_NULL;
}

// initialize(): creates the generator and runs its setup code up to the first yield.
mp_obj_t pyrtos_task_initialize(mp_obj_t self_in) {
    pyrtos_task_t *self = MP_OBJ_TO_PTR(self_in);
    mp_obj_t thread = mp_call_function_1(self->func, self_in);
    if (!pyrtos_port_is_generator(thread)) {
        nlr_raise(pyrtos_task_error(self, &mp_type_TypeError, MP_ERROR_TEXT("task %s: function must be a generator function (it needs a yield)")));
    }
    self->thread = thread;
    mp_obj_t value;
    // The setup code is the task's own: the caller of any unlock() it makes,
    // as in run_next. What the fresh generator raises comes back as
    // MP_VM_RETURN_EXCEPTION, so the swap is undone (but for a C stack
    // overflow in mp_resume itself).
    void *outer = PYRTOS_SWAP_CURRENT(PYRTOS_KERNEL, self);
    mp_vm_return_kind_t kind = mp_resume(thread, mp_const_none, MP_OBJ_NULL, &value);
    PYRTOS_SWAP_CURRENT(PYRTOS_KERNEL, outer);
    if (kind == MP_VM_RETURN_EXCEPTION) {
        nlr_raise(value);
    } else if (kind == MP_VM_RETURN_NORMAL) {
        nlr_raise(pyrtos_task_error(self, &mp_type_RuntimeError, MP_ERROR_TEXT("task %s: returned before its first yield")));
    }
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_initialize_obj, pyrtos_task_initialize);

// run_next(): resumes the task once, as the scheduler would; returns the messages sent.
static mp_obj_t task_run_next(mp_obj_t self_in) {
    pyrtos_task_t *self = MP_OBJ_TO_PTR(self_in);
    mp_obj_t exc;
    // The task's code is the caller of any unlock() it makes (the scheduler's
    // passes do the same in sched::run).
    PyrtosKernel *kernel = PYRTOS_KERNEL;
    void *outer = PYRTOS_SWAP_CURRENT(kernel, self);
    PyrtosResumed resumed = pyrtos_resume_task(self, &exc);
    PYRTOS_SWAP_CURRENT(kernel, outer);
    switch (resumed) {
        case PYRTOS_RESUMED_RAISED:
            nlr_raise(exc);
        case PYRTOS_RESUMED_RETURNED:
            nlr_raise(mp_obj_new_exception(&mp_type_StopIteration));
        case PYRTOS_RESUMED_BLOCKED:
            pyrtos_task_block(kernel, self);
            break;
        default:
            break;
    }
    return pyrtos_take_outbox();
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_run_next_obj, task_run_next);

// suspend() and resume(): the task stops waiting on its conditions either way.
static mp_obj_t task_set_suspended(mp_obj_t self_in, bool suspended) {
    pyrtos_task_t *self = MP_OBJ_TO_PTR(self_in);
    pyrtos_drop_conditions(self);
    (suspended ? pyrtos_task_suspend : pyrtos_task_resume)(PYRTOS_KERNEL, self);
    return mp_const_none;
}

static mp_obj_t task_suspend(mp_obj_t self_in) {
    return task_set_suspended(self_in, true);
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_suspend_obj, task_suspend);

static mp_obj_t task_resume(mp_obj_t self_in) {
    return task_set_suspended(self_in, false);
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_resume_obj, task_resume);

// ---- notifications ----------------------------------------------------------

// Positional-or-keyword arguments (index=0, state/step/value=...) of the notify methods.
// Taken as objects and converted with pyrtos_get_int64, so out-of-range values
// reach the core's range checks on 32-bit ports too.
static void notify_args(size_t n_args, const mp_obj_t *pos, mp_map_t *kw, const mp_arg_t *allowed, size_t n_allowed, int64_t *out) {
    mp_arg_val_t vals[3];
    mp_arg_parse_all(n_args - 1, pos + 1, kw, n_allowed, allowed, vals);
    for (size_t i = 0; i < n_allowed; i++) {
        out[i] = pyrtos_get_int64(vals[i].u_obj);
    }
}

// The argument lists: notify_set_value(index=0, state=1, value=0) and, its
// first two, notify_set_state(index=0, state=1); notify_inc_value(index=0,
// state=1, step=1); notify_inc_state(index=0, step=1). The first entry of any
// is the `index` of the getters; the first two, wait_for_notification's.
static const mp_arg_t set_args[] = {
    { MP_QSTR_index, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(0)} },
    { MP_QSTR_state, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(1)} },
    { MP_QSTR_value, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(0)} },
};
static const mp_arg_t inc_value_args[] = {
    { MP_QSTR_index, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(0)} },
    { MP_QSTR_state, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(1)} },
    { MP_QSTR_step, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(1)} },
};
static const mp_arg_t inc_state_args[] = {
    { MP_QSTR_index, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(0)} },
    { MP_QSTR_step, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(1)} },
};

static mp_obj_t task_notify(size_t n_args, const mp_obj_t *pos, mp_map_t *kw, const mp_arg_t *allowed, size_t n_allowed, PyrtosNotify action) {
    int64_t a[3] = {0, 0, 0};
    notify_args(n_args, pos, kw, allowed, n_allowed, a);
    pyrtos_task_t *self = MP_OBJ_TO_PTR(pos[0]);
    pyrtos_check_core_error(self, pyrtos_task_notify(PYRTOS_KERNEL, &self->core, action, a[0], a[1], a[2]));
    return mp_const_none;
}

static mp_obj_t task_notify_set_value(size_t n_args, const mp_obj_t *pos, mp_map_t *kw) {
    return task_notify(n_args, pos, kw, set_args, 3, PYRTOS_NOTIFY_SET_VALUE);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(task_notify_set_value_obj, 1, task_notify_set_value);

static mp_obj_t task_notify_inc_value(size_t n_args, const mp_obj_t *pos, mp_map_t *kw) {
    return task_notify(n_args, pos, kw, inc_value_args, 3, PYRTOS_NOTIFY_INC_VALUE);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(task_notify_inc_value_obj, 1, task_notify_inc_value);

static mp_obj_t task_notify_set_state(size_t n_args, const mp_obj_t *pos, mp_map_t *kw) {
    return task_notify(n_args, pos, kw, set_args, 2, PYRTOS_NOTIFY_SET_STATE);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(task_notify_set_state_obj, 1, task_notify_set_state);

static mp_obj_t task_notify_inc_state(size_t n_args, const mp_obj_t *pos, mp_map_t *kw) {
    return task_notify(n_args, pos, kw, inc_state_args, 2, PYRTOS_NOTIFY_INC_STATE);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(task_notify_inc_state_obj, 1, task_notify_inc_state);

static PyrtosNotification notification_at(size_t n_args, const mp_obj_t *pos, mp_map_t *kw) {
    int64_t index;
    notify_args(n_args, pos, kw, set_args, 1, &index);
    pyrtos_task_t *self = MP_OBJ_TO_PTR(pos[0]);
    PyrtosNotification slot;
    pyrtos_check_core_error(self, pyrtos_task_notification(&self->core, index, &slot));
    return slot;
}

static mp_obj_t task_notify_get_value(size_t n_args, const mp_obj_t *pos, mp_map_t *kw) {
    return mp_obj_new_int(notification_at(n_args, pos, kw).value);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(task_notify_get_value_obj, 1, task_notify_get_value);

static mp_obj_t task_notify_get_state(size_t n_args, const mp_obj_t *pos, mp_map_t *kw) {
    return MP_OBJ_NEW_SMALL_INT(notification_at(n_args, pos, kw).state);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(task_notify_get_state_obj, 1, task_notify_get_state);

#if MICROPY_PY_PYRTOS_ISR
// notify_from_isr(index=0, state=1, value=None, mode=ISR_SET): queues the
// notification for the next scheduler pass; False when the queue was full.
// Fit for a hard interrupt handler: with small-int arguments it allocates
// nothing (keywords are parsed in place), takes no lock and runs no Python code.
static mp_obj_t task_notify_from_isr(size_t n_args, const mp_obj_t *pos, mp_map_t *kw) {
    static const mp_arg_t allowed[] = {
        { MP_QSTR_index, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(0)} },
        { MP_QSTR_state, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(1)} },
        { MP_QSTR_value, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_mode, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(PYRTOS_ISR_MODE_SET)} },
    };
    mp_arg_val_t a[4];
    mp_arg_parse_all(n_args - 1, pos + 1, kw, 4, allowed, a);
    pyrtos_task_t *self = MP_OBJ_TO_PTR(pos[0]);
    bool has_value = a[2].u_obj != mp_const_none;
    int64_t v[4];
    for (size_t i = 0; i < 4; i++) {
        v[i] = i == 2 && !has_value ? 0 : pyrtos_get_int64(a[i].u_obj);
    }
    bool queued = false;
    // The root pointer as it is, not pyrtos_state(), which may allocate: a
    // task with notifications brought the state and its ring when it was made,
    // so a missing one means none (the core then reports no notifications).
    pyrtos_check_core_error(self, pyrtos_isr_notify(pyrtos_isr_ring(MP_STATE_VM(pyrtos_state)), self, self->core.notification_count,
        v[0], v[1], v[2], has_value, v[3], &queued));
    if (queued) {
        pyrtos_idle_wake();
    }
    return mp_obj_new_bool(queued);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(task_notify_from_isr_obj, 1, task_notify_from_isr);
#endif

static mp_obj_t task_wait_for_notification(size_t n_args, const mp_obj_t *pos, mp_map_t *kw) {
    mp_arg_val_t a[2];
    mp_arg_parse_all(n_args - 1, pos + 1, kw, 2, set_args, a);
    return pyrtos_wait_for_notification(MP_OBJ_TO_PTR(pos[0]), a[0].u_obj, a[1].u_obj);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(task_wait_for_notification_obj, 1, task_wait_for_notification);

// ---- mailbox ----------------------------------------------------------------
//
// A ring through the messages themselves: a Message links through its `next`
// field, so queueing it allocates nothing; any other object, or a Message
// already queued in another mailbox, through a small node. The task holds the
// last entry, whose `next` is the first: one pointer gives both ends. A
// queued entry's `next` is never MP_OBJ_NULL.

typedef struct {
    const mp_obj_type_t *no_type;  // NULL, unlike a Message's type: tells the two apart
    mp_obj_t item;
    mp_obj_t next;
} mailbox_node_t;

static bool is_message(mp_obj_t entry) {
    return ((mp_obj_base_t *)MP_OBJ_TO_PTR(entry))->type == &pyrtos_message_type;
}

static mp_obj_t *next_of(mp_obj_t entry) {
    return is_message(entry) ? &((pyrtos_message_t *)MP_OBJ_TO_PTR(entry))->next : &((mailbox_node_t *)MP_OBJ_TO_PTR(entry))->next;
}

// send(msg): queued in the module outbox, delivered after the running task yields.
static mp_obj_t task_send(mp_obj_t self_in, mp_obj_t msg) {
    // Delivery reads the message's target after the task yields: check now,
    // where the mistake is made.
    mp_obj_t target[2];
    mp_load_method_maybe(msg, MP_QSTR_target, target);
    if (target[0] == MP_OBJ_NULL) {
        nlr_raise(pyrtos_task_error(MP_OBJ_TO_PTR(self_in), &mp_type_TypeError, MP_ERROR_TEXT("task %s: send() needs a Message (an object with a target)")));
    }
    pyrtos_state_t *state = pyrtos_state();
    if (state->outbox == MP_OBJ_NULL) {
        state->outbox = mp_obj_new_list(0, NULL);
    }
    mp_obj_list_append(state->outbox, msg);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(task_send_obj, task_send);

static mp_obj_t task_recv(mp_obj_t self_in) {
    pyrtos_task_t *self = MP_OBJ_TO_PTR(self_in);
    // The one allocation comes first: if it fails, the mailbox is untouched.
    // (A task without a mailbox has no entries; the core refuses it below.)
    mp_obj_list_t *received = MP_OBJ_TO_PTR(mp_obj_new_list(self->core.mailbox_count, NULL));
    mp_obj_t entry = self->mailbox != MP_OBJ_NULL ? *next_of(self->mailbox) : MP_OBJ_NULL;
    for (size_t i = 0; i < received->len; i++) {
        received->items[i] = is_message(entry) ? entry : ((mailbox_node_t *)MP_OBJ_TO_PTR(entry))->item;
        mp_obj_t *next = next_of(entry);
        entry = *next;
        *next = MP_OBJ_NULL;
    }
    self->mailbox = MP_OBJ_NULL;
    pyrtos_check_core_error(self, pyrtos_task_mailbox_take_all(PYRTOS_KERNEL, &self->core));
    return MP_OBJ_FROM_PTR(received);
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_recv_obj, task_recv);

static mp_obj_t task_message_count(mp_obj_t self_in) {
    pyrtos_task_t *self = MP_OBJ_TO_PTR(self_in);
    // Read here: a call into the core for it costs 34 B of flash on thumbv6m.
    if (!self->core.has_mailbox) {
        pyrtos_raise_core_error(self, PYRTOS_CORE_ERROR_NO_MAILBOX);
    }
    return mp_obj_new_int_from_uint(self->core.mailbox_count);
}
static MP_DEFINE_CONST_FUN_OBJ_1(task_message_count_obj, task_message_count);

void pyrtos_task_deliver(pyrtos_task_t *task, mp_obj_t msg) {
    mp_obj_t entry = msg;
    if (!mp_obj_is_type(msg, &pyrtos_message_type) || ((pyrtos_message_t *)MP_OBJ_TO_PTR(msg))->next != MP_OBJ_NULL) {
        mailbox_node_t *node = m_new_obj(mailbox_node_t);
        node->no_type = NULL;
        node->item = msg;
        entry = MP_OBJ_FROM_PTR(node);
    }
    // Counted before it is linked: the core refuses a task without a mailbox.
    pyrtos_check_core_error(task, pyrtos_task_mailbox_push(PYRTOS_KERNEL, &task->core));
    if (task->mailbox == MP_OBJ_NULL) {
        *next_of(entry) = entry;
    } else {
        *next_of(entry) = *next_of(task->mailbox);
        *next_of(task->mailbox) = entry;
    }
    task->mailbox = entry;
}

static mp_obj_t task_deliver(mp_obj_t self_in, mp_obj_t msg) {
    pyrtos_task_deliver(MP_OBJ_TO_PTR(self_in), msg);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(task_deliver_obj, task_deliver);

// ---- attributes -------------------------------------------------------------

static void task_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    pyrtos_task_t *self = MP_OBJ_TO_PTR(self_in);
    if (dest[0] == MP_OBJ_NULL) {
        switch (attr) {
            case MP_QSTR_func: dest[0] = self->func; return;
            case MP_QSTR_priority: dest[0] = mp_obj_new_int(self->core.priority); return;
            #if MICROPY_PY_PYRTOS_MORE_LOCKS
            case MP_QSTR_base_priority: dest[0] = mp_obj_new_int(self->core.base_priority); return;
            #endif
            case MP_QSTR_name: dest[0] = self->name; return;
            case MP_QSTR_state: dest[0] = MP_OBJ_NEW_SMALL_INT(self->core.state); return;
            case MP_QSTR_thread: dest[0] = self->thread; return;
            case MP_QSTR_runs: dest[0] = mp_obj_new_int_from_uint(self->core.runs); return;
            case MP_QSTR_ready_conditions:
                dest[0] = self->ready_conditions != MP_OBJ_NULL ? self->ready_conditions : mp_obj_new_list(0, NULL);
                return;
            default:
                dest[1] = MP_OBJ_SENTINEL;  // continue with the methods in locals_dict
                return;
        }
    }
    if (dest[0] != MP_OBJ_SENTINEL || dest[1] == MP_OBJ_NULL) {
        return;  // deleting attributes is not supported
    }
    mp_obj_t value = dest[1];
    PyrtosKernel *kernel = PYRTOS_KERNEL;
    switch (attr) {
        case MP_QSTR_priority:
            pyrtos_task_set_priority(kernel, self, get_priority(value));
            break;
        case MP_QSTR_name:
            self->name = value;
            break;
        case MP_QSTR_state:
            if (!pyrtos_task_set_state(kernel, self, pyrtos_get_int64(value))) {
                mp_raise_ValueError(MP_ERROR_TEXT("Task state must be RUNNING, READY, BLOCKED or SUSPENDED"));
            }
            break;
        case MP_QSTR_ready_conditions: {
            // An empty list (or any false value) is no conditions.
            mp_obj_t conditions = mp_obj_is_true(value) ? value : MP_OBJ_NULL;
            mp_obj_t error = conditions != MP_OBJ_NULL ? pyrtos_check_yielded(self, conditions) : MP_OBJ_NULL;
            if (error != MP_OBJ_NULL) {
                nlr_raise(error);
            }
            pyrtos_drop_conditions(self);
            self->ready_conditions = conditions;
            pyrtos_task_conditions_replaced(kernel, self);
            break;
        }
        default:
            return;  // unknown or read-only: dest stays set, so AttributeError
    }
    dest[0] = MP_OBJ_NULL;
}

static const mp_rom_map_elem_t task_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_initialize), MP_ROM_PTR(&task_initialize_obj) },
    { MP_ROM_QSTR(MP_QSTR_run_next), MP_ROM_PTR(&task_run_next_obj) },
    { MP_ROM_QSTR(MP_QSTR_suspend), MP_ROM_PTR(&task_suspend_obj) },
    { MP_ROM_QSTR(MP_QSTR_resume), MP_ROM_PTR(&task_resume_obj) },
    { MP_ROM_QSTR(MP_QSTR_notify_set_value), MP_ROM_PTR(&task_notify_set_value_obj) },
    { MP_ROM_QSTR(MP_QSTR_notify_inc_value), MP_ROM_PTR(&task_notify_inc_value_obj) },
    { MP_ROM_QSTR(MP_QSTR_notify_get_value), MP_ROM_PTR(&task_notify_get_value_obj) },
    { MP_ROM_QSTR(MP_QSTR_notify_set_state), MP_ROM_PTR(&task_notify_set_state_obj) },
    { MP_ROM_QSTR(MP_QSTR_notify_inc_state), MP_ROM_PTR(&task_notify_inc_state_obj) },
    { MP_ROM_QSTR(MP_QSTR_notify_get_state), MP_ROM_PTR(&task_notify_get_state_obj) },
    { MP_ROM_QSTR(MP_QSTR_wait_for_notification), MP_ROM_PTR(&task_wait_for_notification_obj) },
    #if MICROPY_PY_PYRTOS_ISR
    { MP_ROM_QSTR(MP_QSTR_notify_from_isr), MP_ROM_PTR(&task_notify_from_isr_obj) },
    #endif
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&task_send_obj) },
    { MP_ROM_QSTR(MP_QSTR_recv), MP_ROM_PTR(&task_recv_obj) },
    { MP_ROM_QSTR(MP_QSTR_message_count), MP_ROM_PTR(&task_message_count_obj) },
    { MP_ROM_QSTR(MP_QSTR_deliver), MP_ROM_PTR(&task_deliver_obj) },
};
static MP_DEFINE_CONST_DICT(task_locals_dict, task_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    pyrtos_task_type,
    MP_QSTR_Task,
    MP_TYPE_FLAG_NONE,
    make_new, task_make_new,
    attr, task_attr,
    locals_dict, &task_locals_dict
    );
