// The CircuitPython side of the emulated board build: the symbols a
// CircuitPython firmware provides and pyRTOS uses, plus a `circuitpy_emu`
// module through which tests count their calls and make coroutine objects.
#include <time.h>

#include "py/runtime.h"
#include "py/mphal.h"
#include "circuitpy_emu.h"
#include "supervisor/port.h"

static mp_uint_t background_calls;
static mp_uint_t delay_calls;

void background_callback_run_all(void) {
    background_calls++;
}

// supervisor/port.h: ticks of 1/1024 s since start-up, each split in 32
// subticks. From the host's monotonic clock, plus 2^36 ticks (two years of
// uptime) so that the module's conversion runs on large values.
uint64_t port_get_raw_ticks(uint8_t *subticks) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t raw = ((uint64_t)ts.tv_sec << 15) + ((uint64_t)ts.tv_nsec << 15) / 1000000000 + ((uint64_t)1 << 41);
    if (subticks != NULL) {
        *subticks = raw & 31;
    }
    return raw >> 5;
}

// As supervisor/shared/tick.c's: background tasks while it waits, and an
// early return, without raising, once an exception (Ctrl-C) is pending.
void circuitpy_emu_delay_ms(mp_uint_t ms) {
    delay_calls++;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        RUN_BACKGROUND_TASKS;
        if (MP_STATE_THREAD(mp_pending_exception) != MP_OBJ_NULL) {
            return;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        int64_t left_us = (int64_t)ms * 1000 - ((now.tv_sec - start.tv_sec) * 1000000 + (now.tv_nsec - start.tv_nsec) / 1000);
        if (left_us <= 0) {
            return;
        }
        // A signal cuts the sleep short.
        struct timespec nap = { 0, (long)MIN(left_us, 1000) * 1000 };
        nanosleep(&nap, NULL);
    }
}

// CircuitPython's coroutine objects are generator objects under another type,
// resumed by the generator code. Here the object takes the generator type for
// the duration of each resume.
static mp_obj_t coro_iternext(mp_obj_t self_in) {
    mp_obj_base_t *self = MP_OBJ_TO_PTR(self_in);
    self->type = &mp_type_gen_instance;
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_obj_t value = mp_iternext_allow_raise(self_in);
        nlr_pop();
        self->type = &mp_type_coro_instance;
        return value;
    }
    self->type = &mp_type_coro_instance;
    nlr_jump(nlr.ret_val);
}

MP_DEFINE_CONST_OBJ_TYPE(
    mp_type_coro_instance,
    MP_QSTR_coroutine,
    MP_TYPE_FLAG_ITER_IS_ITERNEXT,
    iter, coro_iternext
    );

// coroutine(gen): the generator object, turned into a coroutine object.
static mp_obj_t emu_coroutine(mp_obj_t gen) {
    if (!mp_obj_is_type(gen, &mp_type_gen_instance)) {
        mp_raise_TypeError(MP_ERROR_TEXT("expected a generator"));
    }
    ((mp_obj_base_t *)MP_OBJ_TO_PTR(gen))->type = &mp_type_coro_instance;
    return gen;
}
static MP_DEFINE_CONST_FUN_OBJ_1(emu_coroutine_obj, emu_coroutine);

static mp_obj_t emu_background_calls(void) {
    return mp_obj_new_int_from_uint(background_calls);
}
static MP_DEFINE_CONST_FUN_OBJ_0(emu_background_calls_obj, emu_background_calls);

static mp_obj_t emu_delay_calls(void) {
    return mp_obj_new_int_from_uint(delay_calls);
}
static MP_DEFINE_CONST_FUN_OBJ_0(emu_delay_calls_obj, emu_delay_calls);

// raw_ticks(): the emulated supervisor clock, (ticks, subticks).
static mp_obj_t emu_raw_ticks(void) {
    uint8_t subticks;
    uint64_t ticks = port_get_raw_ticks(&subticks);
    mp_obj_t items[2] = { mp_obj_new_int_from_ull(ticks), MP_OBJ_NEW_SMALL_INT(subticks) };
    return mp_obj_new_tuple(2, items);
}
static MP_DEFINE_CONST_FUN_OBJ_0(emu_raw_ticks_obj, emu_raw_ticks);

static const mp_rom_map_elem_t emu_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_circuitpy_emu) },
    { MP_ROM_QSTR(MP_QSTR_coroutine), MP_ROM_PTR(&emu_coroutine_obj) },
    { MP_ROM_QSTR(MP_QSTR_background_calls), MP_ROM_PTR(&emu_background_calls_obj) },
    { MP_ROM_QSTR(MP_QSTR_delay_calls), MP_ROM_PTR(&emu_delay_calls_obj) },
    { MP_ROM_QSTR(MP_QSTR_raw_ticks), MP_ROM_PTR(&emu_raw_ticks_obj) },
};
static MP_DEFINE_CONST_DICT(emu_globals, emu_globals_table);

const mp_obj_module_t circuitpy_emu_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&emu_globals,
};

MP_REGISTER_MODULE(MP_QSTR_circuitpy_emu, circuitpy_emu_module);
