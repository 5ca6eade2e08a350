# pyRTOS as a MicroPython user C module (CMake-based ports: rp2, esp32).
#
#   make -C ports/rp2 USER_C_MODULES=/path/to/this/repo/micropython.cmake
#
# Builds the Rust core with cargo for PYRTOS_RUST_TARGET (a CMake or
# environment variable; by default the target of the port's CPU, see below)
# with the size-optimised `mcu` profile, generates its header with cbindgen,
# and links the static library into the firmware. PYRTOS_CARGO_TOOLCHAIN
# (e.g. +nightly) and PYRTOS_CARGO_FLAGS (e.g. -Zbuild-std=core) are passed
# to cargo, as in micropython.mk. The core gets every cargo feature (the
# CMake ports are EXTRA_FEATURES ports, where every build option is on by
# default); a core without a feature an option needs stops the build with an
# #error (see c_glue/pyrtos.h).

add_library(usermod_pyRTOS INTERFACE)

set(PYRTOS_DIR ${CMAKE_CURRENT_LIST_DIR})
set(PYRTOS_BUILD ${CMAKE_BINARY_DIR}/pyrtos)

foreach(var PYRTOS_RUST_TARGET PYRTOS_CARGO_TOOLCHAIN PYRTOS_CARGO_FLAGS)
    if(NOT DEFINED ${var} AND DEFINED ENV{${var}})
        set(${var} $ENV{${var}})
    endif()
endforeach()
# Without PYRTOS_RUST_TARGET, the port's CPU decides: CMAKE_SYSTEM_PROCESSOR,
# as the toolchain files of the rp2 port's pico-sdk set it (cortex-m0plus for
# RP2040, cortex-m33 or hazard3 for RP2350), and -mfloat-abi=hard among the
# C flags for the hard-float variants. A fixed default would build the core
# for the wrong instruction set on any other CPU.
if(NOT PYRTOS_RUST_TARGET)
    set(pyrtos_cpu "${CMAKE_SYSTEM_PROCESSOR}")
    if(pyrtos_cpu MATCHES "^cortex-m(0|0plus|1)$")
        set(PYRTOS_RUST_TARGET thumbv6m-none-eabi)
    elseif(pyrtos_cpu STREQUAL "cortex-m3")
        set(PYRTOS_RUST_TARGET thumbv7m-none-eabi)
    elseif(pyrtos_cpu MATCHES "^cortex-m(4|7)$")
        set(PYRTOS_RUST_TARGET thumbv7em-none-eabi)
    elseif(pyrtos_cpu STREQUAL "cortex-m23")
        set(PYRTOS_RUST_TARGET thumbv8m.base-none-eabi)
    elseif(pyrtos_cpu MATCHES "^cortex-m(33|35p)$")
        set(PYRTOS_RUST_TARGET thumbv8m.main-none-eabi)
    elseif(pyrtos_cpu STREQUAL "hazard3")
        set(PYRTOS_RUST_TARGET riscv32imac-unknown-none-elf)
    else()
        message(FATAL_ERROR "pyRTOS: no Rust target known for CPU '${pyrtos_cpu}' "
                "(CMAKE_SYSTEM_PROCESSOR); set PYRTOS_RUST_TARGET")
    endif()
    if(PYRTOS_RUST_TARGET MATCHES "^thumbv(7em|8m\\.main)" AND CMAKE_C_FLAGS MATCHES "-mfloat-abi=hard")
        string(APPEND PYRTOS_RUST_TARGET hf)
    endif()
endif()
message(STATUS "pyRTOS: Rust core for ${PYRTOS_RUST_TARGET}")
separate_arguments(PYRTOS_CARGO_FLAGS_LIST UNIX_COMMAND "${PYRTOS_CARGO_FLAGS}")
# As in micropython.mk: with -Zbuild-std, build compiler_builtins in many
# objects (as the prebuilt one is), so the link takes only the helpers the core
# calls and the firmware keeps its own libgcc for everything else.
if(PYRTOS_CARGO_FLAGS MATCHES "build-std")
    list(APPEND PYRTOS_CARGO_FLAGS_LIST --config profile.mcu.package.compiler_builtins.codegen-units=10000)
endif()

set(PYRTOS_LIB ${PYRTOS_BUILD}/cargo/${PYRTOS_RUST_TARGET}/mcu/libpyrtos_core.a)
set(PYRTOS_HEADER ${PYRTOS_BUILD}/pyrtos_core.h)

file(GLOB_RECURSE PYRTOS_RUST_SOURCES ${PYRTOS_DIR}/rust/*.rs)
add_custom_command(
    OUTPUT ${PYRTOS_LIB} ${PYRTOS_HEADER}
    COMMAND ${CMAKE_COMMAND} -E env PYRTOS_INCLUDE_DIR=${PYRTOS_BUILD}
            cargo ${PYRTOS_CARGO_TOOLCHAIN} rustc --lib --crate-type staticlib --quiet --profile mcu --target ${PYRTOS_RUST_TARGET}
            --manifest-path ${PYRTOS_DIR}/Cargo.toml --target-dir ${PYRTOS_BUILD}/cargo
            ${PYRTOS_CARGO_FLAGS_LIST}
    DEPENDS ${PYRTOS_RUST_SOURCES} ${PYRTOS_DIR}/Cargo.toml ${PYRTOS_DIR}/rust/build.rs ${PYRTOS_DIR}/rust/cbindgen.toml
    COMMENT "Building the pyRTOS Rust core for ${PYRTOS_RUST_TARGET}"
    VERBATIM
)
# The generated header is listed as a source so that MicroPython's qstr scan,
# which depends on every module source, waits for cargo; the same command
# produces the library the link needs.
target_sources(usermod_pyRTOS INTERFACE
    ${PYRTOS_DIR}/c_glue/modpyRTOS.c
    ${PYRTOS_DIR}/c_glue/task.c
    ${PYRTOS_DIR}/c_glue/sync.c
    ${PYRTOS_DIR}/c_glue/isr.c
    ${PYRTOS_DIR}/c_glue/stats.c
    ${PYRTOS_HEADER}
)
target_include_directories(usermod_pyRTOS INTERFACE ${PYRTOS_DIR}/c_glue ${PYRTOS_BUILD})
target_link_libraries(usermod_pyRTOS INTERFACE ${PYRTOS_LIB})
target_link_libraries(usermod INTERFACE usermod_pyRTOS)
