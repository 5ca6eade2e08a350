// Notifications from interrupt handlers: what the core's event ring
// (rust/src/isr.rs) needs from the port. Task.notify_from_isr is in task.c;
// the ring and its slots are one heap block the module state points to,
// made by pyrtos_isr_prepare below.
#include "py/runtime.h"
#include "py/mphal.h"
#include "pyrtos.h"

#if MICROPY_PY_PYRTOS_ISR

static mp_obj_t pyrtos_isr_overflows_fn(void) {
    return mp_obj_new_int_from_uint(pyrtos_isr_overflows(pyrtos_isr_ring(pyrtos_state())));
}
MP_DEFINE_CONST_FUN_OBJ_0(pyrtos_isr_overflows_obj, pyrtos_isr_overflows_fn);

void pyrtos_isr_prepare(pyrtos_state_t *state) {
    if (state->isr == NULL) {
        pyrtos_isr_t *isr = m_new_obj(pyrtos_isr_t);
        isr->ring = pyrtos_isr_ring_new(isr->slots, PYRTOS_ISR_CAPACITY);
        state->isr = isr;
    }
}

// The core calls these around queuing an event on CPUs without
// compare-and-swap (Cortex-M0+) only; elsewhere the linker drops them.
// MicroPython's atomic section masks interrupts on bare-metal ports and, on
// the dual-core RP2040, also takes the lock between the cores.
uintptr_t pyrtos_isr_critical_begin(void) {
    return MICROPY_BEGIN_ATOMIC_SECTION();
}

void pyrtos_isr_critical_end(uintptr_t state) {
    MICROPY_END_ATOMIC_SECTION((mp_uint_t)state);
}

#if defined(__unix__)
#include <fcntl.h>
#include <stdatomic.h>
#include <sys/select.h>
#include <unistd.h>

// On unix the "interrupt" is another thread (or a signal handler). The idle
// sleep waits on the read end of this pipe, and queuing an event writes a
// byte while the scheduler sleeps: write() is async-signal-safe, and the
// pipe is non-blocking, so the producer never waits.
static int wake_pipe[2] = { -1, -1 };
static atomic_bool sleeping;

void pyrtos_idle_wake(void) {
    // With the fence in pyrtos_idle_sleep_us: either the sleeper sees the
    // event queued, or this sees the sleeper (each side stores, fences, loads).
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load_explicit(&sleeping, memory_order_relaxed)) {
        // Fails only when the pipe is full, which wakes the sleeper already.
        ssize_t written = write(wake_pipe[1], "", 1);
        (void)written;
    }
}

static bool open_wake_pipe(void) {
    if (wake_pipe[0] >= 0) {
        return true;
    }
    if (pipe(wake_pipe) != 0) {
        return false;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(wake_pipe[i], F_SETFL, O_NONBLOCK);
        fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    return true;
}

void pyrtos_idle_sleep_us(pyrtos_state_t *state, uint64_t us) {
    if (!open_wake_pipe()) {
        // Out of file descriptors: events then wait for the end of this sleep.
        mp_hal_delay_us((mp_uint_t)us);
        return;
    }
    // Other Python threads (which may queue events) run meanwhile.
    MP_THREAD_GIL_EXIT();
    atomic_store_explicit(&sleeping, true, memory_order_relaxed);
    atomic_thread_fence(memory_order_seq_cst);
    if (!pyrtos_isr_waiting(state)) {
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(wake_pipe[0], &readable);
        struct timeval timeout = { .tv_sec = us / 1000000, .tv_usec = us % 1000000 };
        // Ends on a wake byte, a signal (Ctrl-C) or the timeout.
        select(wake_pipe[0] + 1, &readable, NULL, NULL, &timeout);
    }
    atomic_store_explicit(&sleeping, false, memory_order_relaxed);
    char drained[16];
    while (read(wake_pipe[0], drained, sizeof(drained)) > 0) {
    }
    MP_THREAD_GIL_ENTER();
}
#endif

#endif // MICROPY_PY_PYRTOS_ISR
