# Board support that MicroPython's qemu port (ports/qemu) lacks and pyRTOS
# needs: a microsecond tick counter, delays, and the `time` module
# (qemu_hal.c), and a linker script fragment that drops the Rust core's
# .ARM.exidx entries, which the port's linker script does not place. Used only
# when the build is that port on Arm (its Makefile sets QEMU_ARCH before it
# includes the user C modules); every other port ignores this folder.
ifeq ($(QEMU_ARCH),arm)
SRC_USERMOD_C += $(USERMOD_DIR)/qemu_hal.c
LDFLAGS_USERMOD += -Wl,-T,$(USERMOD_DIR)/discard-exidx.ld
endif
