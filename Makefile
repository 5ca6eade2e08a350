# pyRTOS native module: build the MicroPython firmware with it, run, test.
#
#   make run        build what is missing, run examples_py/sample.py on the firmware
#   make test       core unit/model tests, Python tests on the firmware (also
#                   under valgrind), conformance
#   make firmware   build/unix/micropython with pyRTOS compiled in
#
# MicroPython comes from Debian's source package (tools/fetch-micropython.sh,
# cached in .cache/); set MICROPY_DIR=/path/to/micropython to use your own tree.

MICROPY_VERSION := 1.26.1
CACHE_DIR := $(CURDIR)/.cache
MICROPY_DIR ?= $(CACHE_DIR)/micropython-$(MICROPY_VERSION)
BUILD_DIR := $(CURDIR)/build
FIRMWARE := $(BUILD_DIR)/unix/micropython
CONFORMANCE ?= $(CURDIR)/../shared/conformance/run
PYTHON ?= python3

# The Debian source package lacks the libffi, berkeley-db and mbedtls
# submodules, so those features are off; nothing is frozen.
UNIX_MAKE_FLAGS := FROZEN_MANIFEST= MICROPY_PY_FFI=0 MICROPY_PY_BTREE=0 MICROPY_PY_SSL=0 \
	MICROPY_SSL_AXTLS=0 MICROPY_SSL_MBEDTLS=0

.PHONY: all firmware run test test-core test-python test-valgrind test-conformance deps clean bench

all: firmware

deps:
	@tools/ensure-deps.sh

$(MICROPY_DIR)/py/mpconfig.h:
	@tools/ensure-deps.sh
	tools/fetch-micropython.sh $(CACHE_DIR)

firmware: $(MICROPY_DIR)/py/mpconfig.h
	$(MAKE) -C $(MICROPY_DIR)/ports/unix -j$$(nproc) USER_C_MODULES=$(CURDIR) \
		BUILD=$(BUILD_DIR)/unix $(UNIX_MAKE_FLAGS)
	@echo "firmware: $(FIRMWARE)"

run: firmware
	cd examples_py && $(FIRMWARE) sample.py

test: test-core test-python test-valgrind test-conformance

test-core:
	@tools/ensure-deps.sh
	cargo test --quiet

test-python: firmware
	$(PYTHON) tests/run.py --micropython $(FIRMWARE)

# The same programs under valgrind: no invalid read, write or free anywhere.
test-valgrind: firmware
	$(PYTHON) tests/run.py --micropython $(FIRMWARE) --valgrind

test-conformance: firmware
	@if [ -x "$(CONFORMANCE)" ]; then \
		$(PYTHON) $(CONFORMANCE) --micropython $(FIRMWARE); \
	else \
		echo "conformance suite not found at $(CONFORMANCE); skipped (set CONFORMANCE=...)"; \
	fi

bench: firmware
	$(PYTHON) tests/bench/run.py --micropython $(FIRMWARE) --micropy-dir $(MICROPY_DIR)

clean:
	rm -rf $(BUILD_DIR) target
