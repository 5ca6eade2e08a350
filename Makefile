# pyRTOS native module: build the MicroPython firmware with it, run, test.
#
#   make run        build what is missing, run examples_py/sample.py on the firmware
#   make test       core unit/model tests, Python tests on the firmware (also
#                   under valgrind), SIGINT, fuzzing, conformance, the
#                   CircuitPython-style, every-option-off and type-stub checks;
#                   then the Cortex-M3 firmware under qemu (test-qemu), the
#                   CMake entry point (test-cmake) and the size budget (size)
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

.PHONY: all firmware firmware-circuitpy firmware-lean run test test-circuitpy test-lean test-stubs test-core test-core-asan test-python test-valgrind test-sigint test-fuzz test-conformance deps clean bench fuzz

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

# The unix parts first (also as CircuitPython builds it, with every build
# option off, and the type stubs),
# then the Cortex-M3 build under qemu and the CMake entry point.
test: test-core test-core-asan test-python test-valgrind test-sigint test-fuzz test-conformance test-circuitpy test-lean test-stubs
	$(MAKE) test-qemu
	$(MAKE) test-cmake
	$(MAKE) size

test-core:
	@tools/ensure-deps.sh
	cargo test --quiet
	cargo test --quiet --no-default-features
	for feature in $$(sed -n 's/^\([a-z-]*\) = \[\]$$/\1/p' Cargo.toml); do \
		cargo test --quiet --no-default-features --features $$feature || exit 1; \
	done
	cargo clippy --quiet --all-targets -- -D warnings
	cargo clippy --quiet --all-targets --no-default-features -- -D warnings

# The core's tests again under AddressSanitizer, with the nightly toolchain
# when there is one (--target keeps the sanitizer out of build scripts).
test-core-asan:
	@if cargo +nightly --version >/dev/null 2>&1; then \
		RUSTFLAGS=-Zsanitizer=address cargo +nightly test --quiet --target-dir target/asan \
			--target $$(rustc -vV | sed -n 's/^host: //p'); \
	else \
		echo "no nightly Rust toolchain: the sanitizer run of the core tests is skipped"; \
	fi

test-python: firmware
	$(PYTHON) tests/run.py --micropython $(FIRMWARE)

# The same programs under valgrind: no invalid read, write or free anywhere.
test-valgrind: firmware
	$(PYTHON) tests/run.py --micropython $(FIRMWARE) --valgrind

# SIGINT stops a running scheduler and the REPL survives.
test-sigint: firmware
	$(PYTHON) tests/test_sigint.py --micropython $(FIRMWARE)

test-conformance: firmware
	@if [ -x "$(CONFORMANCE)" ]; then \
		$(PYTHON) $(CONFORMANCE) --micropython $(FIRMWARE); \
	else \
		echo "conformance suite not found at $(CONFORMANCE); skipped (set CONFORMANCE=...)"; \
	fi

bench: firmware
	$(PYTHON) tests/bench/run.py --micropython $(FIRMWARE) --micropy-dir $(MICROPY_DIR)

# Differential fuzzer: random programs on the firmware and on tests/fuzz/model.py
# (FUZZ_N=N programs, e.g. FUZZ_N=10000 for a long run, from seed FUZZ_FIRST;
# FUZZ_AVOID="feature ..." leaves features out).
fuzz: firmware
	$(PYTHON) tests/fuzz/run.py --micropython $(FIRMWARE) --seeds $${FUZZ_N:-$${FUZZ_SEEDS:-200}}

# In make test: 300 programs, and a batch of 40 under valgrind.
test-fuzz: firmware
	$(PYTHON) tests/fuzz/run.py --micropython $(FIRMWARE) --seeds 300
	$(PYTHON) tests/fuzz/run.py --micropython $(FIRMWARE) --seeds 40 --first 100000 --valgrind

# The module as a CircuitPython board build compiles it (circuitpython/),
# on the unix port: tests/circuitpy stands in for the CircuitPython-only
# symbols (background tasks, supervisor ticks, coroutine type, the delay that
# returns early) and counts their calls. No real CircuitPython build here.
CIRCUITPY_FIRMWARE := $(BUILD_DIR)/unix-circuitpy/micropython

firmware-circuitpy: $(MICROPY_DIR)/py/mpconfig.h
	$(MAKE) -C $(MICROPY_DIR)/ports/unix -j$$(nproc) USER_C_MODULES=$(CURDIR)/tests/circuitpy \
		BUILD=$(BUILD_DIR)/unix-circuitpy $(UNIX_MAKE_FLAGS)
	@echo "firmware: $(CIRCUITPY_FIRMWARE)"

# The Python tests and examples, plus tests/circuitpy's, and Ctrl-C. Left out:
# the four tests that need a second unix thread; boards have no threads, and
# the CircuitPython idle sleep (the board's delay) keeps the GIL.
test-circuitpy: firmware-circuitpy
	$(PYTHON) tests/run.py --micropython $(CIRCUITPY_FIRMWARE) --also tests/circuitpy \
		--skip ext_isr_thread --skip ext_isr_wake --skip ext_isr_wake_latency --skip ext_idle_ms_zero_thread
	$(PYTHON) tests/test_sigint.py --micropython $(CIRCUITPY_FIRMWARE)

# The module with every build option off (c_glue/pyrtos_options.h; what boards below
# MicroPython's EXTRA_FEATURES ROM level get), without MICROPY_MODULE_BUILTIN_INIT
# (off there too unless the port sets it) and without long ints (as the smallest
# CircuitPython boards build): the original's API, its semantics tests,
# tests/lean/ and the conformance suite.
LEAN_FIRMWARE := $(BUILD_DIR)/unix-lean/micropython
LEAN_CFLAGS := $(shell sed -n 's/^\#ifndef \(MICROPY_PY_PYRTOS_[A-Z_]*\)/-D\1=0/p' c_glue/pyrtos_options.h) \
	-DMICROPY_MODULE_BUILTIN_INIT=0 -DMICROPY_LONGINT_IMPL=MICROPY_LONGINT_IMPL_NONE

firmware-lean: $(MICROPY_DIR)/py/mpconfig.h
	$(MAKE) -C $(MICROPY_DIR)/ports/unix -j$$(nproc) USER_C_MODULES=$(CURDIR) \
		BUILD=$(BUILD_DIR)/unix-lean $(UNIX_MAKE_FLAGS) CFLAGS_EXTRA="$(LEAN_CFLAGS)"
	@echo "firmware: $(LEAN_FIRMWARE) ($(LEAN_CFLAGS))"

test-lean: firmware-lean
	$(PYTHON) tests/run.py --micropython $(LEAN_FIRMWARE) -k sem_
	$(PYTHON) tests/run.py --micropython $(LEAN_FIRMWARE) -k lean_ --also tests/lean
	@if [ -x "$(CONFORMANCE)" ]; then $(PYTHON) $(CONFORMANCE) --micropython $(LEAN_FIRMWARE); fi

# pyRTOS.pyi against the firmware's names, and mypy over it, the examples and
# tests/stubs. mypy comes from the Python in use, or is installed once into a
# virtualenv in .cache/.
MYPY_VENV := $(CACHE_DIR)/venv-mypy
test-stubs: firmware
	@if $(PYTHON) -m mypy --version >/dev/null 2>&1; then mypy="$(PYTHON) -m mypy"; \
	else \
		[ -x $(MYPY_VENV)/bin/python ] && $(MYPY_VENV)/bin/python -m mypy --version >/dev/null 2>&1 || \
			{ $(PYTHON) -m venv $(MYPY_VENV) && $(MYPY_VENV)/bin/pip install --quiet mypy; } || exit 1; \
		mypy="$(MYPY_VENV)/bin/python -m mypy"; \
	fi; \
	$(PYTHON) tools/check_stubs.py --micropython $(FIRMWARE) --mypy "$$mypy"

clean:
	rm -rf $(BUILD_DIR) target

# ---- Cortex-M: MicroPython's qemu port, board MPS2_AN385 (Cortex-M3) ----
#
#   make firmware-qemu   build/qemu/firmware.elf, and build/qemu/micropython, a
#                        wrapper that runs `micropython prog.py` on the emulated board
#   make test-qemu       Python tests and conformance suite through the wrapper
#   make size            flash/RAM of the module (Rust core, C shim) for thumbv7m and thumbv6m;
#                        fails when the thumbv6m build with every option off is over budget
#
# Needs gcc-arm-none-eabi, newlib's headers and qemu-system-arm (tools/ensure-qemu-deps.sh
# installs them as root) and a nightly Rust, which builds `core` for the target
# from Debian's rust-src (tools/fetch-rust-src.sh, cached in .cache/).
QEMU_BUILD := $(BUILD_DIR)/qemu
QEMU_FIRMWARE := $(QEMU_BUILD)/firmware.elf
QEMU_WRAPPER := $(QEMU_BUILD)/micropython
QEMU_TIMEOUT ?= 300
PYRTOS_NIGHTLY ?= +nightly
# The board has 4 MiB of RAM; MicroPython's default heap there is 140 KiB, room
# for about 900 tasks. tests/gc_capacity.py wants 4096, so the heap is 1 MiB.
QEMU_HEAP_SIZE ?= 1048576
QEMU_MAKE_FLAGS := BOARD=MPS2_AN385 FROZEN_MANIFEST= MICROPY_HEAP_SIZE=$(QEMU_HEAP_SIZE) \
	PYRTOS_RUST_TARGET=thumbv7m-none-eabi \
	PYRTOS_CARGO_TOOLCHAIN=$(PYRTOS_NIGHTLY) PYRTOS_CARGO_FLAGS=-Zbuild-std=core

.PHONY: firmware-qemu test-qemu test-cmake size test-circuitpy-link

firmware-qemu: $(MICROPY_DIR)/py/mpconfig.h
	@tools/ensure-qemu-deps.sh $(CACHE_DIR)
	@src=$$(tools/fetch-rust-src.sh $(CACHE_DIR) $(PYRTOS_NIGHTLY) | tail -n 1) && \
	echo "rust-src: $$src" && \
	__CARGO_TESTS_ONLY_SRC_ROOT=$$src $(MAKE) -C $(MICROPY_DIR)/ports/qemu -j$$(nproc) \
		USER_C_MODULES=$(CURDIR) BUILD=$(QEMU_BUILD) $(QEMU_MAKE_FLAGS)
	install -m 755 tools/qemu-micropython.py $(QEMU_WRAPPER)
	@echo "firmware: $(QEMU_FIRMWARE), run programs with $(QEMU_WRAPPER) prog.py"

# Left out on qemu: the tests that need a second thread (the port has none),
# and ext_shared_condition_idle and ext_idle_ms_no_routines, which count
# loops and passes while the scheduler sleeps. The qemu port defines no
# MICROPY_INTERNAL_WFE (the board ports define it or MICROPY_EVENT_POLL_HOOK),
# so mp_event_wait_ms returns at once and the loop never sleeps there: two
# tasks on their own timeout(0.1) make some 24,000 loops too.
QEMU_SKIP := --skip ext_isr_wake_latency --skip ext_idle_ms_zero_thread \
	--skip ext_shared_condition_idle --skip ext_idle_ms_no_routines
test-qemu: firmware-qemu
	$(PYTHON) tests/run.py --micropython $(QEMU_WRAPPER) --timeout $(QEMU_TIMEOUT) $(QEMU_SKIP)
	$(PYTHON) tests/test_soft_reset.py --firmware $(QEMU_BUILD)/firmware.elf
	@if [ -x "$(CONFORMANCE)" ]; then \
		$(PYTHON) $(CONFORMANCE) --micropython $(QEMU_WRAPPER) --timeout $(QEMU_TIMEOUT); \
	else \
		echo "conformance suite not found at $(CONFORMANCE); skipped (set CONFORMANCE=...)"; \
	fi

# micropython.cmake the way the CMake ports (rp2, esp32) use it: a small CMake
# port checks what it hands over, then links the qemu firmware through it and
# runs programs there (tests/cmake/run.sh). Installs cmake when root.
test-cmake: firmware-qemu
	tests/cmake/run.sh $(MICROPY_DIR) $(QEMU_BUILD) $(QEMU_MAKE_FLAGS)

size: firmware-qemu
	@src=$$(tools/fetch-rust-src.sh $(CACHE_DIR) $(PYRTOS_NIGHTLY) | tail -n 1) && \
	__CARGO_TESTS_ONLY_SRC_ROOT=$$src $(PYTHON) tools/size.py --qemu-build $(QEMU_BUILD) \
		--micropy-dir $(MICROPY_DIR) --toolchain $(PYRTOS_NIGHTLY) --make-flags "$(QEMU_MAKE_FLAGS)"

# circuitpython/pyRTOS/micropython.mk's Arm link, in the qemu port: the Rust
# target picked for an RP2040 (thumbv6m), the core pre-linked with `ld -r` and
# linked as an object; then the Python tests on the emulated board. Not part
# of make test (about 4 minutes); see tests/circuitpy/qemu/rp2040/micropython.mk.
CIRCUITPY_LINK_BUILD := $(BUILD_DIR)/qemu-circuitpy-link
test-circuitpy-link: $(MICROPY_DIR)/py/mpconfig.h
	@tools/ensure-qemu-deps.sh $(CACHE_DIR)
	@src=$$(tools/fetch-rust-src.sh $(CACHE_DIR) $(PYRTOS_NIGHTLY) | tail -n 1) && \
	__CARGO_TESTS_ONLY_SRC_ROOT=$$src $(MAKE) -C $(MICROPY_DIR)/ports/qemu -j$$(nproc) \
		USER_C_MODULES=$(CURDIR)/tests/circuitpy/qemu BUILD=$(CIRCUITPY_LINK_BUILD) BOARD=MPS2_AN385 \
		FROZEN_MANIFEST= MICROPY_HEAP_SIZE=$(QEMU_HEAP_SIZE) \
		PYRTOS_CARGO_TOOLCHAIN=$(PYRTOS_NIGHTLY) PYRTOS_CARGO_FLAGS=-Zbuild-std=core
	install -m 755 tools/qemu-micropython.py $(CIRCUITPY_LINK_BUILD)/micropython
	$(PYTHON) tests/run.py --micropython $(CIRCUITPY_LINK_BUILD)/micropython --timeout $(QEMU_TIMEOUT) $(QEMU_SKIP)
