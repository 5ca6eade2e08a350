# The unix firmware built as a CircuitPython board would build pyRTOS
# (`make test-circuitpy`, USER_C_MODULES=tests/circuitpy): CircuitPython's
# settings (py/circuitpy_mpconfig.mk sets CIRCUITPY = 1 and adds -DCIRCUITPY=1
# to CFLAGS), then the module's CircuitPython fragment exactly as a board build
# includes it, then this emulation of the CircuitPython-only symbols.
PYRTOS_EMU_DIR := $(abspath $(USERMOD_DIR))

CIRCUITPY = 1
CFLAGS_USERMOD += -DCIRCUITPY=1 -I$(PYRTOS_EMU_DIR)/include
# The host is the target: the core is built for it, as for the unix port.
PYRTOS_RUST_TARGET :=

USERMOD_DIR := $(PYRTOS_EMU_DIR)/../../../circuitpython/pyRTOS
include $(USERMOD_DIR)/micropython.mk

SRC_USERMOD_C += $(PYRTOS_EMU_DIR)/circuitpy_emu.c

# pyRTOS's objects see the emulated CircuitPython declarations, and are compiled
# with the warnings CircuitPython ports turn into errors (py/circuitpy_defns.mk
# BASE_CFLAGS; ports/raspberrypi adds -Wall -Werror -Werror=missing-prototypes),
# except -Wundef, which the unix port's own headers do not pass.
PYRTOS_CIRCUITPY_WARNINGS := -Wall -Werror -Wdouble-promotion -Wimplicit-fallthrough=2 -Wstrict-prototypes \
	-Werror-implicit-function-declaration -Wfloat-equal -Wshadow -Wwrite-strings -Wsign-compare \
	-Wmissing-format-attribute -Wnested-externs -Wunreachable-code -Wcast-align -Wmissing-prototypes \
	-Wold-style-definition
$(BUILD)/$(PYRTOS_DIR)/c_glue/%.o: CFLAGS += $(PYRTOS_CIRCUITPY_WARNINGS) -include $(PYRTOS_EMU_DIR)/circuitpy_emu.h
