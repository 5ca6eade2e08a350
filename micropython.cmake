# pyRTOS as a MicroPython user C module (CMake-based ports: rp2, esp32).
#
#   make -C ports/rp2 USER_C_MODULES=/path/to/this/repo/micropython.cmake \
#        PYRTOS_RUST_TARGET=thumbv6m-none-eabi
#
# Builds the Rust core with cargo for PYRTOS_RUST_TARGET (a CMake or
# environment variable; default: thumbv6m-none-eabi, the RP2040's Cortex-M0+)
# with the size-optimised `mcu` profile, generates its header with cbindgen,
# and links the static library into the firmware. PYRTOS_CARGO_TOOLCHAIN
# (e.g. +nightly) and PYRTOS_CARGO_FLAGS (e.g. -Zbuild-std=core) are passed
# to cargo, as in micropython.mk.

add_library(usermod_pyRTOS INTERFACE)

set(PYRTOS_DIR ${CMAKE_CURRENT_LIST_DIR})
set(PYRTOS_BUILD ${CMAKE_BINARY_DIR}/pyrtos)

foreach(var PYRTOS_RUST_TARGET PYRTOS_CARGO_TOOLCHAIN PYRTOS_CARGO_FLAGS)
    if(NOT DEFINED ${var} AND DEFINED ENV{${var}})
        set(${var} $ENV{${var}})
    endif()
endforeach()
if(NOT PYRTOS_RUST_TARGET)
    set(PYRTOS_RUST_TARGET thumbv6m-none-eabi)
endif()
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
    ${PYRTOS_DIR}/c_glue/stats.c
    ${PYRTOS_HEADER}
)
target_include_directories(usermod_pyRTOS INTERFACE ${PYRTOS_DIR}/c_glue ${PYRTOS_BUILD})
target_link_libraries(usermod_pyRTOS INTERFACE ${PYRTOS_LIB})
target_link_libraries(usermod INTERFACE usermod_pyRTOS)
