// Force-included into pyRTOS's own objects in the emulated board build: what
// a CircuitPython firmware's headers give them and MicroPython's do not.
#ifndef PYRTOS_CIRCUITPY_EMU_H
#define PYRTOS_CIRCUITPY_EMU_H

#include "py/obj.h"

// py/circuitpy_mpconfig.h
void background_callback_run_all(void);
#define RUN_BACKGROUND_TASKS (background_callback_run_all())

// py/obj.h: the type of the objects `async def` functions return.
extern const mp_obj_type_t mp_type_coro_instance;

// supervisor/shared/tick.c's mp_hal_delay_ms, which returns early without
// raising when interrupted (the unix port's raises KeyboardInterrupt).
void circuitpy_emu_delay_ms(mp_uint_t ms);
#define mp_hal_delay_ms circuitpy_emu_delay_ms

#endif
