// pyRTOS.Message, the condition objects, the locks and MessageQueue.
#include <string.h>

#include "py/runtime.h"
#include "pyrtos.h"

// ---- Message ------------------------------------------------------------------

static mp_obj_t message_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *all_args) {
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_type, MP_ARG_REQUIRED | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_source, MP_ARG_REQUIRED | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_target, MP_ARG_REQUIRED | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_message, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all_kw_array(n_args, n_kw, all_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);
    pyrtos_message_t *self = mp_obj_malloc(pyrtos_message_t, type);
    self->type = args[0].u_obj;
    self->source = args[1].u_obj;
    self->target = args[2].u_obj;
    self->message = args[3].u_obj;
    self->next = MP_OBJ_NULL;
    return MP_OBJ_FROM_PTR(self);
}

static mp_obj_t *message_field(pyrtos_message_t *self, qstr attr) {
    switch (attr) {
        case MP_QSTR_type: return &self->type;
        case MP_QSTR_source: return &self->source;
        case MP_QSTR_target: return &self->target;
        case MP_QSTR_message: return &self->message;
        default: return NULL;
    }
}

static void message_attr(mp_obj_t self_in, qstr attr, mp_obj_t *dest) {
    mp_obj_t *field = message_field(MP_OBJ_TO_PTR(self_in), attr);
    if (field == NULL) {
        return;
    }
    if (dest[0] == MP_OBJ_NULL) {
        dest[0] = *field;
    } else if (dest[1] != MP_OBJ_NULL) {
        *field = dest[1];
        dest[0] = MP_OBJ_NULL;
    }
}

MP_DEFINE_CONST_OBJ_TYPE(
    pyrtos_message_type,
    MP_QSTR_Message,
    MP_TYPE_FLAG_NONE,
    make_new, message_make_new,
    attr, message_attr
    );

// ---- conditions ---------------------------------------------------------------

mp_obj_t pyrtos_condition_new(PyrtosCondition core, mp_obj_t subject, mp_obj_t item) {
    pyrtos_condition_t *self = mp_obj_malloc(pyrtos_condition_t, &pyrtos_condition_type);
    self->subject = subject;
    self->item = item;
    self->core = core;
    return MP_OBJ_FROM_PTR(self);
}

// next(cond): one evaluation, as on the original's generator conditions, so a
// user condition can combine built-in ones.
static mp_obj_t condition_iternext(mp_obj_t self_in) {
    pyrtos_condition_t *self = MP_OBJ_TO_PTR(self_in);
    PyrtosKernel *kernel = PYRTOS_KERNEL;
    switch (pyrtos_condition_next(kernel, self, pyrtos_now_us())) {
        case PYRTOS_VERDICT_TRUE:
            return mp_const_true;
        case PYRTOS_VERDICT_TRANSFER:
            pyrtos_queue_transfer(self);
            pyrtos_condition_transferred(kernel, self);
            return mp_const_true;
        default:
            return mp_const_false;
    }
}

MP_DEFINE_CONST_OBJ_TYPE(
    pyrtos_condition_type,
    MP_QSTR_Condition,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, condition_iternext
    );

// ---- locks: Mutex, RecursiveMutex, BinarySemaphore, CountingSemaphore ---------

typedef struct _pyrtos_lock_t {
    mp_obj_base_t base;
    PyrtosLockCore core;
} pyrtos_lock_t;

static mp_obj_t lock_new(const mp_obj_type_t *type, PyrtosLockCore core) {
    pyrtos_lock_t *self = mp_obj_malloc(pyrtos_lock_t, type);
    self->core = core;
    return MP_OBJ_FROM_PTR(self);
}

#if MICROPY_PY_PYRTOS_MORE_LOCKS
// Mutex(*, inherit=False), RecursiveMutex(*, inherit=False)
static mp_obj_t mutex_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *all_args) {
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_inherit, MP_ARG_KW_ONLY | MP_ARG_BOOL, {.u_bool = false} },
    };
    mp_arg_val_t args[1];
    mp_arg_parse_all_kw_array(n_args, n_kw, all_args, 1, allowed_args, args);
    PyrtosLockKind kind = type == &pyrtos_mutex_type ? PYRTOS_LOCK_KIND_MUTEX : PYRTOS_LOCK_KIND_RECURSIVE;
    return lock_new(type, pyrtos_lock_new(kind, args[0].u_bool));
}
#endif

// BinarySemaphore(); Mutex() where priority inheritance is not built in.
static mp_obj_t plain_lock_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    (void)args;
    mp_arg_check_num(n_args, n_kw, 0, 0, false);
    PyrtosLockKind kind = type == &pyrtos_semaphore_type ? PYRTOS_LOCK_KIND_BINARY : PYRTOS_LOCK_KIND_MUTEX;
    return lock_new(type, pyrtos_lock_new(kind, false));
}

// Raises the exception for a lock error from the core. Only the locks of
// MICROPY_PY_PYRTOS_MORE_LOCKS have any: a mutex or binary semaphore is freed
// by whoever unlocks it, as in the original, and the core built without the
// feature more-locks knows no other lock.
static void lock_check(PyrtosCoreError error) {
    #if MICROPY_PY_PYRTOS_MORE_LOCKS
    switch (error) {
        case PYRTOS_CORE_ERROR_NONE:
            return;
        case PYRTOS_CORE_ERROR_COUNT_RANGE:
            mp_raise_ValueError(MP_ERROR_TEXT("CountingSemaphore needs 0 <= initial <= maximum, 0 < maximum < 2**32"));
        case PYRTOS_CORE_ERROR_COUNT_FULL:
            mp_raise_ValueError(MP_ERROR_TEXT("unlock() past maximum"));
        case PYRTOS_CORE_ERROR_NOT_LOCKED:
            mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("unlock() of a free lock"));
        default:
            mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("unlock() not from the owner task"));
    }
    #else
    (void)error;
    #endif
}

#if MICROPY_PY_PYRTOS_MORE_LOCKS
// CountingSemaphore(initial=0, maximum=None): None is no maximum but 2**32 - 1.
static mp_obj_t counting_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *all_args) {
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_initial, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(0)} },
        { MP_QSTR_maximum, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
    };
    mp_arg_val_t args[2];
    mp_arg_parse_all_kw_array(n_args, n_kw, all_args, 2, allowed_args, args);
    int64_t maximum = args[1].u_obj == mp_const_none ? UINT32_MAX : pyrtos_get_int64(args[1].u_obj);
    PyrtosLockCore core;
    lock_check(pyrtos_lock_counting(pyrtos_get_int64(args[0].u_obj), maximum, &core));
    return lock_new(type, core);
}
#endif

// lock(task): a condition that takes the lock for `task`.
static mp_obj_t lock_lock(mp_obj_t self_in, mp_obj_t task_in) {
    pyrtos_lock_t *self = MP_OBJ_TO_PTR(self_in);
    pyrtos_get_task(task_in, MP_QSTR_lock);
    return pyrtos_condition_new(pyrtos_condition_lock(&self->core, MP_OBJ_TO_PTR(task_in)), self_in, mp_const_none);
}
static MP_DEFINE_CONST_FUN_OBJ_2(lock_lock_obj, lock_lock);

static mp_obj_t lock_nb_lock(mp_obj_t self_in, mp_obj_t task_in) {
    pyrtos_lock_t *self = MP_OBJ_TO_PTR(self_in);
    pyrtos_get_task(task_in, MP_QSTR_nb_lock);
    return mp_obj_new_bool(pyrtos_lock_try(PYRTOS_KERNEL, &self->core, MP_OBJ_TO_PTR(task_in)));
}
static MP_DEFINE_CONST_FUN_OBJ_2(lock_nb_lock_obj, lock_nb_lock);

static mp_obj_t lock_unlock(mp_obj_t self_in) {
    pyrtos_lock_t *self = MP_OBJ_TO_PTR(self_in);
    #if MICROPY_PY_PYRTOS_MORE_LOCKS && MICROPY_ENABLE_SCHEDULER
    // A scheduled callback or hard IRQ handler runs with MicroPython's
    // scheduler locked: it may interrupt the current task's code, but it is
    // not that code, so it unlocks as no task (a RecursiveMutex refuses it).
    bool interrupting = MP_STATE_VM(sched_state) == MP_SCHED_LOCKED;
    void *current = interrupting ? PYRTOS_SWAP_CURRENT(PYRTOS_KERNEL, NULL) : NULL;
    PyrtosCoreError error = pyrtos_lock_unlock(PYRTOS_KERNEL, &self->core);
    if (interrupting) {
        PYRTOS_SWAP_CURRENT(PYRTOS_KERNEL, current);
    }
    lock_check(error);
    #else
    lock_check(pyrtos_lock_unlock(PYRTOS_KERNEL, &self->core));
    #endif
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(lock_unlock_obj, lock_unlock);

static const mp_rom_map_elem_t lock_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_lock), MP_ROM_PTR(&lock_lock_obj) },
    { MP_ROM_QSTR(MP_QSTR_nb_lock), MP_ROM_PTR(&lock_nb_lock_obj) },
    { MP_ROM_QSTR(MP_QSTR_unlock), MP_ROM_PTR(&lock_unlock_obj) },
};
static MP_DEFINE_CONST_DICT(lock_locals_dict, lock_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    pyrtos_mutex_type,
    MP_QSTR_Mutex,
    MP_TYPE_FLAG_NONE,
    #if MICROPY_PY_PYRTOS_MORE_LOCKS
    make_new, mutex_make_new,
    #else
    make_new, plain_lock_make_new,
    #endif
    locals_dict, &lock_locals_dict
    );

MP_DEFINE_CONST_OBJ_TYPE(
    pyrtos_semaphore_type,
    MP_QSTR_BinarySemaphore,
    MP_TYPE_FLAG_NONE,
    make_new, plain_lock_make_new,
    locals_dict, &lock_locals_dict
    );

#if MICROPY_PY_PYRTOS_MORE_LOCKS
MP_DEFINE_CONST_OBJ_TYPE(
    pyrtos_recursive_mutex_type,
    MP_QSTR_RecursiveMutex,
    MP_TYPE_FLAG_NONE,
    make_new, mutex_make_new,
    locals_dict, &lock_locals_dict
    );

MP_DEFINE_CONST_OBJ_TYPE(
    pyrtos_counting_semaphore_type,
    MP_QSTR_CountingSemaphore,
    MP_TYPE_FLAG_NONE,
    make_new, counting_make_new,
    locals_dict, &lock_locals_dict
    );
#endif

// ---- MessageQueue -----------------------------------------------------------------

static mp_obj_t queue_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *all_args) {
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_capacity, MP_ARG_INT, {.u_int = 10} },
    };
    mp_arg_val_t args[1];
    mp_arg_parse_all_kw_array(n_args, n_kw, all_args, 1, allowed_args, args);
    if (args[0].u_int < 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("MessageQueue capacity must not be negative"));
    }
    pyrtos_queue_t *self = mp_obj_malloc(pyrtos_queue_t, type);
    self->core = pyrtos_queue_new((size_t)args[0].u_int);
    self->items = mp_obj_new_list(0, NULL);
    return MP_OBJ_FROM_PTR(self);
}

static mp_obj_t queue_send(mp_obj_t self_in, mp_obj_t msg) {
    pyrtos_queue_t *self = MP_OBJ_TO_PTR(self_in);
    return pyrtos_condition_new(pyrtos_condition_queue_send(&self->core), self_in, msg);
}
static MP_DEFINE_CONST_FUN_OBJ_2(queue_send_obj, queue_send);

static mp_obj_t queue_recv(mp_obj_t self_in, mp_obj_t out_buffer) {
    pyrtos_queue_t *self = MP_OBJ_TO_PTR(self_in);
    if (!mp_obj_is_type(out_buffer, &mp_type_list)) {
        mp_raise_TypeError(MP_ERROR_TEXT("MessageQueue.recv() needs a list"));
    }
    return pyrtos_condition_new(pyrtos_condition_queue_recv(&self->core), self_in, out_buffer);
}
static MP_DEFINE_CONST_FUN_OBJ_2(queue_recv_obj, queue_recv);

static mp_obj_t queue_nb_send(mp_obj_t self_in, mp_obj_t msg) {
    pyrtos_queue_t *self = MP_OBJ_TO_PTR(self_in);
    if (!pyrtos_queue_can_send(&self->core)) {
        return mp_const_false;
    }
    mp_obj_list_append(self->items, msg);
    pyrtos_queue_changed(PYRTOS_KERNEL, &self->core, true);
    return mp_const_true;
}
static MP_DEFINE_CONST_FUN_OBJ_2(queue_nb_send_obj, queue_nb_send);

// Removes and returns the oldest item; the caller checked there is one.
static mp_obj_t queue_pop_oldest(pyrtos_queue_t *self) {
    mp_obj_list_t *list = MP_OBJ_TO_PTR(self->items);
    mp_obj_t oldest = list->items[0];
    memmove(&list->items[0], &list->items[1], --list->len * sizeof(mp_obj_t));
    // Cleared, as list.pop() does: the slot past the end would otherwise keep
    // the last item alive after it was received.
    list->items[list->len] = MP_OBJ_NULL;
    return oldest;
}

static mp_obj_t queue_nb_recv(mp_obj_t self_in) {
    pyrtos_queue_t *self = MP_OBJ_TO_PTR(self_in);
    if (!pyrtos_queue_can_recv(&self->core)) {
        return mp_const_none;
    }
    mp_obj_t oldest = queue_pop_oldest(self);
    pyrtos_queue_changed(PYRTOS_KERNEL, &self->core, false);
    return oldest;
}
static MP_DEFINE_CONST_FUN_OBJ_1(queue_nb_recv_obj, queue_nb_recv);

// Moves the item a queue condition asked for (Verdict::Transfer); the core
// counts it once this returns. May raise MemoryError, leaving both lists as they were.
void pyrtos_queue_transfer(pyrtos_condition_t *cond) {
    pyrtos_queue_t *queue = MP_OBJ_TO_PTR(cond->subject);
    if (cond->core.kind.tag == PYRTOS_CONDITION_KIND_QUEUE_SEND) {
        mp_obj_list_append(queue->items, cond->item);
    } else {
        mp_obj_list_append(cond->item, mp_const_none);  // grow first: may raise
        size_t len;
        mp_obj_t *items;
        mp_obj_list_get(cond->item, &len, &items);
        items[len - 1] = queue_pop_oldest(queue);
    }
}

static const mp_rom_map_elem_t queue_locals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_send), MP_ROM_PTR(&queue_send_obj) },
    { MP_ROM_QSTR(MP_QSTR_recv), MP_ROM_PTR(&queue_recv_obj) },
    { MP_ROM_QSTR(MP_QSTR_nb_send), MP_ROM_PTR(&queue_nb_send_obj) },
    { MP_ROM_QSTR(MP_QSTR_nb_recv), MP_ROM_PTR(&queue_nb_recv_obj) },
};
static MP_DEFINE_CONST_DICT(queue_locals_dict, queue_locals_table);

MP_DEFINE_CONST_OBJ_TYPE(
    pyrtos_queue_type,
    MP_QSTR_MessageQueue,
    MP_TYPE_FLAG_NONE,
    make_new, queue_make_new,
    locals_dict, &queue_locals_dict
    );
