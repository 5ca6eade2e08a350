// Board support for MicroPython's qemu port (ports/qemu, e.g. board MPS2_AN385)
// that pyRTOS needs and the port does not provide: mp_hal_ticks_us/ms/cpu,
// mp_hal_delay_us/ms, and the `time` module (the port sets MICROPY_PY_TIME to 0).
// Compiled only into that port (see micropython.mk beside this file).
//
// The clock is QEMU's semihosting SYS_ELAPSED call, a 64-bit count of the
// host's monotonic clock since the emulator started (the port already runs
// with -semihosting, which it uses to exit). The port claims SysTick's vector
// for its fault reporter, so SysTick cannot provide a tick interrupt here.
#include "py/runtime.h"
#include "py/mphal.h"

#define SYS_ELAPSED  (0x30)
#define SYS_TICKFREQ (0x31)

static uint32_t semihosting_call(uint32_t num, void *arg) {
    register uint32_t r0 __asm__ ("r0") = num;
    register void *r1 __asm__ ("r1") = arg;
    __asm__ __volatile__ (
        #if defined(__ARM_ARCH_ISA_THUMB) && !defined(__ARM_ARCH_ISA_ARM)
        "bkpt 0xAB\n"
        #else
        "svc 0x00123456\n"
        #endif
        : "+r" (r0) : "r" (r1) : "memory");
    return r0;
}

// Microseconds since the emulator started (64 bits: no wrap in practice).
static uint64_t qemu_now_us(void) {
    static uint32_t ticks_per_us; // 0: not asked yet; UINT32_MAX: no SYS_ELAPSED
    static uint64_t fallback;
    if (ticks_per_us == 0) {
        uint32_t freq = semihosting_call(SYS_TICKFREQ, NULL);
        ticks_per_us = (freq == (uint32_t)-1 || freq < 1000000) ? UINT32_MAX : freq / 1000000;
    }
    uint32_t block[2];
    if (ticks_per_us == UINT32_MAX || semihosting_call(SYS_ELAPSED, block) != 0) {
        // An emulator without SYS_ELAPSED (QEMU before 6.0): time still moves
        // forward, one microsecond per reading, so timeouts end.
        return ++fallback;
    }
    return (((uint64_t)block[1] << 32) | block[0]) / ticks_per_us;
}

mp_uint_t mp_hal_ticks_us(void) {
    return (mp_uint_t)qemu_now_us();
}

mp_uint_t mp_hal_ticks_ms(void) {
    return (mp_uint_t)(qemu_now_us() / 1000);
}

mp_uint_t mp_hal_ticks_cpu(void) {
    return (mp_uint_t)qemu_now_us();
}

uint64_t mp_hal_time_ns(void) {
    return qemu_now_us() * 1000;
}

void mp_hal_delay_us(mp_uint_t us) {
    uint64_t end = qemu_now_us() + us;
    while (qemu_now_us() < end) {
    }
}

// Like the other bare-metal ports: pending events (Ctrl-C, scheduled
// callbacks) are handled while waiting.
void mp_hal_delay_ms(mp_uint_t ms) {
    uint64_t end = qemu_now_us() + (uint64_t)ms * 1000;
    do {
        mp_event_handle_nowait();
    } while (qemu_now_us() < end);
}

#if !MICROPY_PY_TIME
// MicroPython's own `time` module (extmod/modtime.c), compiled here with
// MICROPY_PY_TIME on: the port's mpconfigport.h turns it off unconditionally,
// so it cannot be enabled from the make command line. The board has no
// real-time clock: time() is seconds since start-up, as a float, which is what
// programs measuring intervals with time.time() need.
#undef MICROPY_PY_TIME
#define MICROPY_PY_TIME (1)
#undef MICROPY_PY_TIME_TIME_TIME_NS
#define MICROPY_PY_TIME_TIME_TIME_NS (1)

static mp_obj_t mp_time_time_get(void) {
    #if MICROPY_PY_BUILTINS_FLOAT
    return mp_obj_new_float((mp_float_t)qemu_now_us() / (mp_float_t)1000000);
    #else
    return mp_obj_new_int_from_ull(qemu_now_us() / 1000000);
    #endif
}

#include "extmod/modtime.c"
#endif
