// Build options of the pyRTOS module: 0 or 1, MicroPython style. A port's
// mpconfigport.h / mpconfigboard.h (or `CFLAGS_EXTRA=-D...`) may set them;
// the defaults follow MicroPython's ROM level, so the smallest boards
// (BASIC_FEATURES and below, e.g. SAMD21) get the leanest module.
//
// Options marked "core" also need code in the Rust core, built in by a cargo
// feature: micropython.mk preprocesses this file with PYRTOS_LIST_FEATURES
// defined to learn which features to build (the lines below that block).
#ifndef PYRTOS_OPTIONS_H
#define PYRTOS_OPTIONS_H

#include "py/mpconfig.h"

// The loop resumes a task that only yields straight away while nothing else
// could run, instead of a full pass per yield (see rerun_alone); and it keeps
// the list sent messages wait in, so sending allocates nothing but the
// messages (see deliver_outbox).
#ifndef MICROPY_PY_PYRTOS_FAST_YIELD
#define MICROPY_PY_PYRTOS_FAST_YIELD (MICROPY_CONFIG_ROM_LEVEL_AT_LEAST_EXTRA_FEATURES)
#endif

// Task.notify_from_isr, ISR_SET/ISR_INC and isr_overflows().
#ifndef MICROPY_PY_PYRTOS_ISR
#define MICROPY_PY_PYRTOS_ISR (MICROPY_CONFIG_ROM_LEVEL_AT_LEAST_EXTRA_FEATURES)
#endif

// pyRTOS.stats(), task_list() and start(stats=True), and the scheduler's
// counters they report (Task.runs is kept either way). Core: stats.
#ifndef MICROPY_PY_PYRTOS_STATS
#define MICROPY_PY_PYRTOS_STATS (MICROPY_CONFIG_ROM_LEVEL_AT_LEAST_EXTRA_FEATURES)
#endif

// CountingSemaphore, RecursiveMutex and priority inheritance
// (Mutex(inherit=True)). Core: more-locks.
#ifndef MICROPY_PY_PYRTOS_MORE_LOCKS
#define MICROPY_PY_PYRTOS_MORE_LOCKS (MICROPY_CONFIG_ROM_LEVEL_AT_LEAST_EXTRA_FEATURES)
#endif

// round_robin_scheduler. Core: round-robin.
#ifndef MICROPY_PY_PYRTOS_ROUND_ROBIN
#define MICROPY_PY_PYRTOS_ROUND_ROBIN (MICROPY_CONFIG_ROM_LEVEL_AT_LEAST_EXTRA_FEATURES)
#endif

#ifdef PYRTOS_LIST_FEATURES
#if MICROPY_PY_PYRTOS_STATS
pyrtos-core-feature stats
#endif
#if MICROPY_PY_PYRTOS_MORE_LOCKS
pyrtos-core-feature more-locks
#endif
#if MICROPY_PY_PYRTOS_ROUND_ROBIN
pyrtos-core-feature round-robin
#endif
#endif

#endif // PYRTOS_OPTIONS_H
