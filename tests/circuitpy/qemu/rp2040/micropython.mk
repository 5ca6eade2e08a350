# make test-circuitpy-link: circuitpython/pyRTOS/micropython.mk in MicroPython's
# qemu port, as for an RP2040 (CHIP_VARIANT=RP2040: the thumbv6m target, whose
# code the emulated Cortex-M3 runs). Its Arm path is built and tested: the
# target picked from the chip, the core pre-linked with `ld -r` and linked as
# one of the firmware's objects rather than through LDFLAGS. The shim is
# compiled as for MicroPython: the CircuitPython-only symbols are emulated on
# the unix port only (make test-circuitpy). Plus the repository's board
# support for the qemu port.
PYRTOS_LINK_TEST_DIR := $(abspath $(USERMOD_DIR))
CHIP_VARIANT = RP2040

USERMOD_DIR := $(PYRTOS_LINK_TEST_DIR)/../../../../circuitpython/pyRTOS
include $(USERMOD_DIR)/micropython.mk

USERMOD_DIR := $(PYRTOS_DIR)/qemu
include $(USERMOD_DIR)/micropython.mk
