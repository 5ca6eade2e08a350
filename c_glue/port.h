// What differs between a MicroPython and a CircuitPython firmware, in one
// place (SPEC section 5). CircuitPython builds define CIRCUITPY (its
// py/circuitpy_mpconfig.mk adds -DCIRCUITPY=1 to every file's CFLAGS).
//
// On CircuitPython:
// - the clock is the supervisor's: mp_hal_ticks_us() does not exist on its
//   board ports (only on unix), mp_hal_ticks_ms() has millisecond steps;
// - RUN_BACKGROUND_TASKS (USB, display, file system flushes) must run in
//   loops that may not execute bytecode for a while, as the scheduler's;
// - mp_hal_delay_ms() returns early *without raising* when Ctrl-C or an
//   auto-reload interrupts it (supervisor/shared/tick.c), so the caller
//   checks for a pending exception afterwards;
// - `async def` functions return mp_type_coro_instance objects, a separate
//   type (py/obj.h: "distinguishes generators and coroutines"), resumed like
//   generators.
// The module allocates no object with a finaliser, so the extra argument
// CircuitPython's mp_obj_malloc_var_with_finaliser takes does not matter here.
#ifndef PYRTOS_PORT_H
#define PYRTOS_PORT_H

#include "py/mphal.h"
#include "py/runtime.h"

// The longest single sleep of the idle loop where the port's own wait is
// not cut short by every event (unix, CircuitPython), so the loop checks the
// kernel and the port's events at least this often.
#define PYRTOS_IDLE_SLICE_MS (100)

#ifdef CIRCUITPY
// supervisor/port.h: "Get the raw tick count since start up. A tick is 1/1024
// of a second [...] If subticks is not NULL then the port will fill in the
// number of subticks where each tick is 32 subticks (for a resolution of
// 1/32768 or 30.5ish microseconds.)" — uint64_t port_get_raw_ticks(uint8_t *subticks)
#include "supervisor/port.h"

// Microseconds since start-up. The 64-bit tick count does not wrap (and the
// product below stays within 64 bits for over 1000 years of uptime). A
// subtick is 10^6/32768 = 15625/512 us.
static inline uint64_t pyrtos_port_ticks_us(void) {
    uint8_t subticks = 0;
    uint64_t ticks = port_get_raw_ticks(&subticks);
    return ((ticks << 5 | (subticks & 31)) * 15625) >> 9;
}
#define PYRTOS_PORT_TICKS_US64 1

static inline void pyrtos_port_background(void) {
    RUN_BACKGROUND_TASKS;
}

// mp_hal_delay_ms sleeps in port_idle_until_interrupt() and runs background
// tasks while it waits; it sleeps at most PYRTOS_IDLE_SLICE_MS here. Sub-millisecond waits return at once:
// the loop comes back within that time anyway.
static inline void pyrtos_port_idle_wait_us(uint64_t us) {
    RUN_BACKGROUND_TASKS;
    if (us >= 1000) {
        mp_hal_delay_ms((mp_uint_t)MIN(us / 1000, PYRTOS_IDLE_SLICE_MS));
    }
    // An interrupted delay returned quietly: raise what interrupted it.
    mp_handle_pending(true);
}
#define PYRTOS_PORT_IDLE_WAIT 1

static inline bool pyrtos_port_is_generator(mp_obj_t obj) {
    return mp_obj_is_type(obj, &mp_type_gen_instance) || mp_obj_is_type(obj, &mp_type_coro_instance);
}

#else

static inline void pyrtos_port_background(void) {
}

static inline bool pyrtos_port_is_generator(mp_obj_t obj) {
    return mp_obj_is_type(obj, &mp_type_gen_instance);
}

#endif // CIRCUITPY

#endif // PYRTOS_PORT_H
