# Entry point for `make USER_C_MODULES=<repo>`: MicroPython includes
# USER_C_MODULES/*/micropython.mk, so this file hands over to the one at the
# repository root.
USERMOD_DIR := $(USERMOD_DIR)/..
include $(USERMOD_DIR)/micropython.mk
