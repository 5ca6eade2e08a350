// pyRTOS.stats() and pyRTOS.task_list(): run-time statistics, like FreeRTOS's
// uxTaskGetSystemState() and vTaskList(). The core keeps the numbers; this
// file only turns them into Python objects and text.
#include "py/runtime.h"
#include "pyrtos.h"

#if MICROPY_PY_PYRTOS_STATS

// The task at `index` of the live list (re-read at every step: a name's
// __str__ or a finaliser may run Python code that edits it).
static pyrtos_task_t *listed_task(mp_obj_list_t *tasks, size_t index) {
    mp_obj_t task = tasks->items[index];
    if (!mp_obj_is_type(task, &pyrtos_task_type)) {
        pyrtos_raise_not_a_task(task);
    }
    return MP_OBJ_TO_PTR(task);
}

// A dict of the scheduler's counters, with "tasks": one tuple per task in
// pyRTOS.tasks order, (name, priority, state, runs, run_us). Tuples, not dicts:
// a few words per task, even with thousands of tasks on a board.
static mp_obj_t get_stats(void) {
    static const qstr_short_t keys[] = { MP_QSTR_passes, MP_QSTR_wakeups, MP_QSTR_switches, MP_QSTR_idle_us, MP_QSTR_time_us, MP_QSTR_tasks };
    const PyrtosStats *stats = pyrtos_stats(PYRTOS_KERNEL, pyrtos_now_us());
    mp_obj_list_t *tasks = MP_OBJ_TO_PTR(pyrtos_tasks());
    mp_obj_t list = mp_obj_new_list(0, NULL);
    for (size_t i = 0; i < tasks->len; i++) {
        pyrtos_task_t *task = listed_task(tasks, i);
        mp_obj_t values[] = {
            task->name, mp_obj_new_int(task->core.priority), MP_OBJ_NEW_SMALL_INT(task->core.state),
            mp_obj_new_int_from_uint(task->core.runs), mp_obj_new_int_from_ull(pyrtos_task_run_us(&task->core)),
        };
        mp_obj_list_append(list, mp_obj_new_tuple(MP_ARRAY_SIZE(values), values));
    }
    mp_obj_t values[] = {
        mp_obj_new_int_from_uint(stats->passes), mp_obj_new_int_from_uint(stats->wakeups), mp_obj_new_int_from_uint(stats->switches),
        mp_obj_new_int_from_ull(stats->idle_us), mp_obj_new_int_from_ull(stats->time_us), list,
    };
    mp_obj_t dict = mp_obj_new_dict(MP_ARRAY_SIZE(keys));
    for (size_t i = 0; i < MP_ARRAY_SIZE(keys); i++) {
        mp_obj_dict_store(dict, MP_OBJ_NEW_QSTR(keys[i]), values[i]);
    }
    return dict;
}
MP_DEFINE_CONST_FUN_OBJ_0(pyrtos_stats_obj, get_stats);

// One line per task, in pyRTOS.tasks order, after a header:
//   name (padded to 16 characters), state (X running, R ready, B blocked,
//   S suspended), priority (5 wide), runs (10 wide), time (share of the
//   measured time, "NN%" 3 wide, or "-" when nothing was measured).
static mp_obj_t get_task_list(void) {
    const PyrtosStats *stats = pyrtos_stats(PYRTOS_KERNEL, pyrtos_now_us());
    mp_obj_list_t *tasks = MP_OBJ_TO_PTR(pyrtos_tasks());
    vstr_t vstr;
    mp_print_t print;
    // Sized for short names up front: one allocation, not a doubling series
    // that needs twice the memory with thousands of tasks.
    vstr_init_print(&vstr, 42 * (tasks->len + 1), &print);
    mp_printf(&print, "%-16s S %5s %10s time\n", "name", "prio", "runs");
    for (size_t i = 0; i < tasks->len; i++) {
        pyrtos_task_t *task = listed_task(tasks, i);
        size_t start = vstr.len;
        mp_obj_print_helper(&print, task->name, PRINT_STR);
        // Padded by characters, not bytes: a name with accents lines up too.
        for (size_t n = utf8_charlen((const byte *)vstr.buf + start, vstr.len - start); n < 16; n++) {
            vstr_add_byte(&vstr, ' ');
        }
        mp_printf(&print, " %c %5d %10u ", "XRBS"[task->core.state], (int)task->core.priority, (unsigned)task->core.runs);
        if (stats->time_us == 0) {
            mp_print_str(&print, "   -\n");
        } else {
            mp_printf(&print, "%3u%%\n", (unsigned)(pyrtos_task_run_us(&task->core) * 100 / stats->time_us));
        }
    }
    return mp_obj_new_str_from_utf8_vstr(&vstr);
}
MP_DEFINE_CONST_FUN_OBJ_0(pyrtos_task_list_obj, get_task_list);

#endif // MICROPY_PY_PYRTOS_STATS
