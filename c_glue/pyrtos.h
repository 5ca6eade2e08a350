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

// The core must be built with the cargo feature of every option that is on
// (micropython.mk does so; a core with more is only bigger). Its header
// defines PYRTOS_CORE_FEATURE_* for the features it has, and its structs
// have exactly the fields of those features.
#include "pyrtos_options.h"
#if (MICROPY_PY_PYRTOS_STATS && !defined(PYRTOS_CORE_FEATURE_STATS)) \
    || (MICROPY_PY_PYRTOS_MORE_LOCKS && !defined(PYRTOS_CORE_FEATURE_MORE_LOCKS)) \
    || (MICROPY_PY_PYRTOS_ROUND_ROBIN && !defined(PYRTOS_CORE_FEATURE_ROUND_ROBIN))
#error "pyRTOS: the Rust core lacks the cargo feature of a build option that is on (see pyrtos_options.h)"
#endif
// The core sees objects as pointers (void *): the task list's items, say.
#if MICROPY_OBJ_REPR == MICROPY_OBJ_REPR_D
#error "pyRTOS: needs an object representation in which mp_obj_t is a pointer (not MICROPY_OBJ_REPR_D)"
#endif

// ---- objects ------------------------------------------------------------

typedef struct _pyrtos_task_t {
    mp_obj_base_t base;
    PyrtosTaskCore core;
    mp_obj_t func;
    mp_obj_t name;
    mp_obj_t thread;            // the generator; mp_const_none before initialize()
    mp_obj_t ready_conditions;  // list/tuple the task blocks on; MP_OBJ_NULL when none
    mp_obj_t mailbox;           // the last mailbox entry, linked to the first (see task.c); MP_OBJ_NULL while empty
    PyrtosNotification notifications[];
} pyrtos_task_t;

typedef struct _pyrtos_message_t {
    mp_obj_base_t base;
    mp_obj_t type;
    mp_obj_t source;
    mp_obj_t target;
    mp_obj_t message;
    mp_obj_t next;  // the next mailbox entry while queued in one (see task.c), else MP_OBJ_NULL
} pyrtos_message_t;

typedef struct _pyrtos_condition_t {
    mp_obj_base_t base;
    mp_obj_t subject;  // the Task, lock or MessageQueue acted on, or None
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
#if MICROPY_PY_PYRTOS_MORE_LOCKS
extern const mp_obj_type_t pyrtos_recursive_mutex_type;
extern const mp_obj_type_t pyrtos_counting_semaphore_type;
#endif
extern const mp_obj_type_t pyrtos_queue_type;

// ---- module state (reachable by the GC through MP_STATE_VM(pyrtos_state)) -

// How many Task.notify_from_isr events can wait for the next scheduler pass;
// a power of two (the core uses the largest power of two that fits). Set it in
// the board's mpconfigboard.h or with CFLAGS_EXTRA=-DPYRTOS_ISR_CAPACITY=64;
// each slot costs 16 bytes of heap on a 32-bit port.
#ifndef PYRTOS_ISR_CAPACITY
#define PYRTOS_ISR_CAPACITY (16)
#endif
#if PYRTOS_ISR_CAPACITY < 1
#error "PYRTOS_ISR_CAPACITY must be at least 1"
#endif

#if MICROPY_PY_PYRTOS_ISR
// The queue of Task.notify_from_isr events, in its own heap block (allocated
// with the first task that has notifications, so importing stays cheap);
// the GC sees the tasks of queued events through it.
typedef struct _pyrtos_isr_t {
    PyrtosIsrRing ring;
    PyrtosIsrSlot slots[PYRTOS_ISR_CAPACITY];
} pyrtos_isr_t;
#endif

typedef struct _pyrtos_state_t {
    struct _pyrtos_state_t *self;  // its own address: tells it from a stale pointer (see pyrtos_init)
    mp_obj_t tasks;             // the live task list; add_task sorts it by priority
    mp_obj_t service_routines;  // list of callables; MP_OBJ_NULL until the first one
    mp_obj_t outbox;            // list of messages sent since the last delivery (may be empty); or MP_OBJ_NULL
    PyrtosKernel kernel;        // links task and condition objects: scanned by the GC with this struct
    #if MICROPY_PY_PYRTOS_ISR
    struct _pyrtos_isr_t *isr;  // events from interrupt handlers; NULL until a task has notifications
    #endif
    bool started;               // start() is running
} pyrtos_state_t;

pyrtos_state_t *pyrtos_state(void);
#define PYRTOS_KERNEL (&pyrtos_state()->kernel)
// Makes `task` the one whose code runs, for RecursiveMutex.unlock(); returns
// the one before. Nothing asks without MORE_LOCKS: then `kernel` is not
// even evaluated.
#if MICROPY_PY_PYRTOS_MORE_LOCKS
#define PYRTOS_SWAP_CURRENT(kernel, task) pyrtos_kernel_swap_current(kernel, task)
#else
static inline void *pyrtos_no_current(void *task) {
    (void)task;
    return NULL;
}
#define PYRTOS_SWAP_CURRENT(kernel, task) pyrtos_no_current(task)
#endif
// The live task list, `pyRTOS.tasks`.
mp_obj_t pyrtos_tasks(void);

#if MICROPY_PY_PYRTOS_STATS
// stats.c
MP_DECLARE_CONST_FUN_OBJ_0(pyrtos_stats_obj);
MP_DECLARE_CONST_FUN_OBJ_0(pyrtos_task_list_obj);
#endif

// A monotonic microsecond clock (the port's ticks, widened to 64 bits).
uint64_t pyrtos_now_us(void);
// An int argument as int64_t, exact on 32-bit ports too; outside int64 it
// saturates, so the caller's range check names the argument.
int64_t pyrtos_get_int64(mp_obj_t obj);

// ---- helpers shared between files ---------------------------------------

// The task object, or a TypeError naming `function` when `obj` is not a Task
// (a qstr: the names are in the firmware's qstr pool already).
pyrtos_task_t *pyrtos_get_task(mp_obj_t obj, qstr function);
// The TypeError for an object in the task list that is not a Task.
NORETURN void pyrtos_raise_not_a_task(mp_obj_t obj);
// Raises the Python exception for a core error about `task`.
NORETURN void pyrtos_raise_core_error(pyrtos_task_t *task, PyrtosCoreError error);
// The same, if there is one.
static inline void pyrtos_check_core_error(pyrtos_task_t *task, PyrtosCoreError error) {
    if (error != PYRTOS_CORE_ERROR_NONE) {
        pyrtos_raise_core_error(task, error);
    }
}
// A new exception of `type` whose message names the task: `fmt` is
// MP_ERROR_TEXT("task %s: WHAT"), its %s the task's name (or function's).
mp_obj_t pyrtos_task_error(pyrtos_task_t *task, const mp_obj_type_t *type, mp_rom_error_text_t fmt);
// Builds a condition object around a core condition.
mp_obj_t pyrtos_condition_new(PyrtosCondition core, mp_obj_t subject, mp_obj_t item);
// Drops a task's conditions, releasing the built-in ones (semaphore requests).
void pyrtos_drop_conditions(pyrtos_task_t *task);
// Task.initialize(): makes the generator and runs the setup code (add_task).
mp_obj_t pyrtos_task_initialize(mp_obj_t self_in);
// Checks a value yielded by a task: None, or a non-empty list/tuple of conditions.
// Returns an exception object to raise, or MP_OBJ_NULL when it is valid.
mp_obj_t pyrtos_check_yielded(pyrtos_task_t *task, mp_obj_t yielded);
// Resumes a task's generator once, inside nlr_push; on PYRTOS_RESUMED_RAISED
// *exc holds the exception.
PyrtosResumed pyrtos_resume_task(pyrtos_task_t *task, mp_obj_t *exc);
// The RuntimeError for resuming a task whose generator was never made (it
// was put in pyRTOS.tasks by hand, not with add_task()).
mp_obj_t pyrtos_task_not_initialized(pyrtos_task_t *task);
// What one mp_resume of the task's generator did, for the core; stores a
// yielded condition list, raises if the yielded value is invalid.
PyrtosResumed pyrtos_resumed_as(pyrtos_task_t *task, mp_vm_return_kind_t kind, mp_obj_t value);
// The messages sent since the last call (a list), leaving the outbox empty.
mp_obj_t pyrtos_take_outbox(void);
// Appends a message to a task's mailbox (AttributeError without one).
void pyrtos_task_deliver(pyrtos_task_t *task, mp_obj_t msg);

// Moves the item a queue condition asked for; the core counts it afterwards.
void pyrtos_queue_transfer(pyrtos_condition_t *cond);

mp_obj_t pyrtos_wait_for_notification(pyrtos_task_t *task, mp_obj_t index, mp_obj_t state);

// ---- notifications from interrupt handlers (isr.c) ---------------------------

#if MICROPY_PY_PYRTOS_ISR
MP_DECLARE_CONST_FUN_OBJ_0(pyrtos_isr_overflows_obj);
// Creates the event queue if there is none yet (before any handler can run).
void pyrtos_isr_prepare(pyrtos_state_t *state);
// Called by the core around queuing an event on CPUs without compare-and-swap
// (declared in rust/src/isr.rs with usize, which is uintptr_t).
uintptr_t pyrtos_isr_critical_begin(void);
void pyrtos_isr_critical_end(uintptr_t state);
// The event queue; NULL until a task with notifications exists, or without a
// state (the core takes NULL as an empty queue).
static inline const PyrtosIsrRing *pyrtos_isr_ring(pyrtos_state_t *state) {
    return state != NULL && state->isr != NULL ? &state->isr->ring : NULL;
}
// An event waits for the next pass.
#define pyrtos_isr_waiting(state) (pyrtos_isr_pending(pyrtos_isr_ring(state)))
#else
#define pyrtos_isr_ring(state) (NULL)
#define pyrtos_isr_waiting(state) (false)
#endif
#if MICROPY_PY_PYRTOS_ISR && defined(__unix__)
// Sleeps up to `us` microseconds without the GIL, ending early when an event
// is queued (pyrtos_idle_wake) or a signal arrives.
void pyrtos_idle_sleep_us(pyrtos_state_t *state, uint64_t us);
// Ends that sleep; called after an event was queued.
void pyrtos_idle_wake(void);
#else
// Board ports sleep in the port's wait for an interrupt, which the interrupt
// that queued the event ends.
#define pyrtos_idle_wake() ((void)0)
#endif

// Called by the Rust core's panic handler (rust/src/lib.rs); never returns.
NORETURN void pyrtos_core_panicked(void);

#endif // PYRTOS_GLUE_H
