// Stand-in for CircuitPython's supervisor/port.h in the emulated board build
// (tests/circuitpy): only the declaration pyRTOS uses.
#ifndef PYRTOS_EMU_SUPERVISOR_PORT_H
#define PYRTOS_EMU_SUPERVISOR_PORT_H
#include <stdint.h>

uint64_t port_get_raw_ticks(uint8_t *subticks);

#endif
