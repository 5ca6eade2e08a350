# pyRTOS in a CircuitPython board build (see ../README.md):
#
#   make -C ports/raspberrypi BOARD=raspberry_pi_pico USER_C_MODULES=/path/to/this/repo/circuitpython
#
# CircuitPython's py/py.mk, like MicroPython's, includes USER_C_MODULES/*/micropython.mk
# after the board's and the port's settings (py/circuitpy_mkenv.mk), so
# CHIP_VARIANT/CHIP_FAMILY are known here. This file picks the Rust target for
# the chip, then includes the repository's micropython.mk, which builds the
# core with cargo and lists the C sources, exactly as for a MicroPython port.

PYRTOS_CIRCUITPY_DIR := $(abspath $(USERMOD_DIR))

# The Rust target must match the port's -mcpu and float ABI (ports/<port>/Makefile).
# -mfloat-abi=softfp passes floats in integer registers: the *-eabi target, not -eabihf.
ifeq ($(origin PYRTOS_RUST_TARGET),undefined)
ifeq ($(CHIP_VARIANT),RP2040)
PYRTOS_RUST_TARGET := thumbv6m-none-eabi
else ifeq ($(CHIP_VARIANT),RP2350)
PYRTOS_RUST_TARGET := thumbv8m.main-none-eabi
else ifeq ($(CHIP_FAMILY),samd21)
PYRTOS_RUST_TARGET := thumbv6m-none-eabi
else
$(error pyRTOS: set PYRTOS_RUST_TARGET for this chip (CHIP_VARIANT=$(CHIP_VARIANT) CHIP_FAMILY=$(CHIP_FAMILY)), see circuitpython/README.md)
endif
endif

USERMOD_DIR := $(PYRTOS_CIRCUITPY_DIR)/../..
include $(USERMOD_DIR)/micropython.mk

# Some ports link without LDFLAGS (raspberrypi: CFLAGS, its own flags and the
# object list only), so the core goes in as one object among the firmware's:
# `ld -r` takes from the library what pyrtos_kernel_init needs (the core, after
# LTO one object, and the compiler-builtins it calls), as a final link would.
PYRTOS_CORE_O := $(PYRTOS_BUILD)/pyrtos_core.o
$(PYRTOS_CORE_O): $(PYRTOS_LIB)
	$(ECHO) "LD -r $@"
	$(Q)$(LD) -r -u pyrtos_kernel_init -o $@ $<
PY_O += $(PYRTOS_CORE_O)
LDFLAGS_USERMOD := $(filter-out $(PYRTOS_LINK_FIRST) $(PYRTOS_LIB),$(LDFLAGS_USERMOD))
