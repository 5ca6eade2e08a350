// Shared declarations of the pyRTOS MicroPython binding.
//
// Data path: a Python call lands in one of the c_glue/*.c files, which checks
// arguments and owns the Python objects, then calls the Rust core through the
// cbindgen-generated pyrtos_core.h. The core calls back through a PyrtosHost
// table (modpyRTOS.c) whenever it needs the VM; every such call runs inside
// nlr_push, so no exception ever unwinds through a Rust frame.
#ifndef PYRTOS_GLUE_H
#define PYRTOS_GLUE_H

#include "py/obj.h"
#include "pyrtos_core.h"

// ---- objects ------------------------------------------------------------

typedef struct _pyrtos_task_t {
    mp_obj_base_t base;
    PyrtosTaskCore core;
    mp_obj_t func;
    mp_obj_t name;
    mp_obj_t thread;            // the generator; mp_const_none before initialize()
    mp_obj_t ready_conditions;  // list/tuple the task blocks on; MP_OBJ_NULL when none
    mp_obj_t mailbox;           // list of messages; MP_OBJ_NULL while empty or without a mailbox
    PyrtosNotification notifications[];
} pyrtos_task_t;

typedef struct _pyrtos_condition_t {
    mp_obj_base_t base;
    mp_obj_t subject;  // the Task/Mutex/BinarySemaphore/MessageQueue acted on, or None
    mp_obj_t item;     // QueueSend: the message; QueueRecv: the out_buffer list
    PyrtosCondition core;
} pyrtos_condition_t;

typedef struct _pyrtos_queue_t {
    mp_obj_base_t base;
    PyrtosQueueCore core;
    mp_obj_t items;  // list, oldest first
} pyrtos_queue_t;

extern const mp_obj_type_t pyrtos_task_type;
extern const mp_obj_type_t pyrtos_message_type;
extern const mp_obj_type_t pyrtos_condition_type;
extern const mp_obj_type_t pyrtos_mutex_type;
extern const mp_obj_type_t pyrtos_semaphore_type;
extern const mp_obj_type_t pyrtos_queue_type;

// ---- module state (reachable by the GC through MP_STATE_VM(pyrtos_state)) -

typedef struct _pyrtos_state_t {
    mp_obj_t tasks;             // the live task list, in priority order; MP_OBJ_NULL until needed
    mp_obj_t service_routines;  // list of callables; MP_OBJ_NULL until the first one
    mp_obj_t outbox;            // list of messages sent since the last delivery; MP_OBJ_NULL when none
    PyrtosKernel kernel;        // links task and condition objects: scanned by the GC with this struct
    bool started;               // start() is running
} pyrtos_state_t;

pyrtos_state_t *pyrtos_state(void);
#define PYRTOS_KERNEL (&pyrtos_state()->kernel)
// The live task list, `pyRTOS.tasks` (created on first use).
mp_obj_t pyrtos_tasks(void);

// stats.c
MP_DECLARE_CONST_FUN_OBJ_0(pyrtos_stats_obj);
MP_DECLARE_CONST_FUN_OBJ_0(pyrtos_task_list_obj);

// A monotonic microsecond clock (the port's ticks, widened to 64 bits).
uint64_t pyrtos_now_us(void);
// An int argument as int64_t, exact on 32-bit ports too; outside int64 it
// saturates or raises OverflowError.
int64_t pyrtos_get_int64(mp_obj_t obj, bool saturate);

// ---- helpers shared between files ---------------------------------------

// The task object, or a TypeError naming `what` when `obj` is not a Task.
pyrtos_task_t *pyrtos_get_task(mp_obj_t obj, const char *what);
// Raises the Python exception for a core error about `task`.
NORETURN void pyrtos_raise_core_error(pyrtos_task_t *task, PyrtosCoreError error);
// A new exception of `type` whose message names the task: "task 'NAME': WHAT".
mp_obj_t pyrtos_task_error(pyrtos_task_t *task, const mp_obj_type_t *type, const char *what);
// Builds a condition object around a core condition.
mp_obj_t pyrtos_condition_new(PyrtosCondition core, mp_obj_t subject, mp_obj_t item);
// Drops a task's conditions, releasing the built-in ones (semaphore requests).
void pyrtos_drop_conditions(pyrtos_task_t *task);
// Checks a value yielded by a task: None, or a non-empty list/tuple of conditions.
// Returns an exception object to raise, or MP_OBJ_NULL when it is valid.
mp_obj_t pyrtos_check_yielded(pyrtos_task_t *task, mp_obj_t yielded);
// Resumes a task's generator once, inside nlr_push; on PYRTOS_RESUMED_RAISED
// *exc holds the exception.
PyrtosResumed pyrtos_resume_task(pyrtos_task_t *task, mp_obj_t *exc);
// The messages sent since the last call (a list), leaving the outbox empty.
mp_obj_t pyrtos_take_outbox(void);
// Appends a message to a task's mailbox (AttributeError without one).
void pyrtos_task_deliver(pyrtos_task_t *task, mp_obj_t msg);

// Moves the item a queue condition asked for; the core counts it afterwards.
void pyrtos_queue_transfer(pyrtos_condition_t *cond);

mp_obj_t pyrtos_wait_for_notification(pyrtos_task_t *task, mp_obj_t index, mp_obj_t state);

#endif // PYRTOS_GLUE_H
