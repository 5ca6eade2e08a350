#!/bin/sh
# make test-cmake: micropython.cmake as MicroPython's CMake ports use it.
#
#   tests/cmake/run.sh MICROPY_DIR QEMU_BUILD [QEMU_MAKE_FLAGS...]
#
# 1. For several CPUs, configures the test port (CMakeLists.txt here) and
#    checks the Rust target micropython.cmake picks from the port's toolchain.
# 2. For the Cortex-M3 of `make firmware-qemu` (its build in QEMU_BUILD is
#    reused for MicroPython itself): builds the Rust core through
#    micropython.cmake's cargo command (nightly, -Zbuild-std=core), compiles
#    the shim with the port's flags plus what usermod_pyRTOS supplies, links
#    the firmware with arm-none-eabi-gcc, and runs programs on it under qemu.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
micropy=$(cd "$1" && pwd)
qemu_build=$(cd "$2" && pwd)
shift 2
out=$repo/build/cmake
# The target must come from the toolchain here, not from the caller's settings.
unset PYRTOS_RUST_TARGET PYRTOS_CARGO_TOOLCHAIN PYRTOS_CARGO_FLAGS

"$repo/tools/ensure-deps.sh" cmake
rm -rf "$out"
mkdir -p "$out/port"

configure() {  # DIR CPU EXTRA_C_FLAGS EXPECTED_RUST_TARGET [CMAKE_ARG...]
    dir=$out/$1 cpu=$2 flags=$3 want=$4
    shift 4
    cmake -S "$repo/tests/cmake" -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$repo/tests/cmake/toolchain.cmake" \
        -DPYRTOS_TEST_CPU="$cpu" -DPYRTOS_TEST_C_FLAGS="$flags" -DEXPECT_RUST_TARGET="$want" \
        -DMICROPY_DIR="$micropy" -DUSER_C_MODULES="$repo/micropython.cmake" "$@" > "$dir.log" 2>&1
}
fail() { echo "FAIL $*"; exit 1; }

for case in "cortex-m0plus||thumbv6m-none-eabi" "cortex-m4|-mfloat-abi=hard|thumbv7em-none-eabihf" \
            "cortex-m33|-mfloat-abi=softfp|thumbv8m.main-none-eabi"; do
    IFS='|' read -r cpu flags want <<CASE
$case
CASE
    configure "$cpu" "$cpu" "$flags" "$want" -DPYRTOS_TEST_CONFIGURE_ONLY=ON ||
        { cat "$out/$cpu.log"; fail "configure for $cpu $flags"; }
    echo "pass cmake: $cpu${flags:+ $flags} -> $want"
done
# A CPU it does not know: configuring stops and names the variable to set ...
if configure unknown cortex-a7 "" none -DPYRTOS_TEST_CONFIGURE_ONLY=ON ||
        ! grep -q "set PYRTOS_RUST_TARGET" "$out/unknown.log"; then
    cat "$out/unknown.log"; fail "configure for an unknown CPU"
fi
echo "pass cmake: cortex-a7 -> stops, asks for PYRTOS_RUST_TARGET"
# ... which then wins.
configure override cortex-a7 "" thumbv7em-none-eabi -DPYRTOS_TEST_CONFIGURE_ONLY=ON \
        -DPYRTOS_RUST_TARGET=thumbv7em-none-eabi || { cat "$out/override.log"; fail "PYRTOS_RUST_TARGET"; }
echo "pass cmake: PYRTOS_RUST_TARGET=thumbv7em-none-eabi is used as given"

# The qemu port's flags and objects, minus pyRTOS.
make -s -C "$micropy/ports/qemu" -f Makefile -f "$repo/tests/cmake/port.mk" pyrtos-port-flags \
    BUILD="$qemu_build" PORT_FLAGS_DIR="$out/port" "$@" USER_C_MODULES="$repo" > "$out/port.log" 2>&1 ||
    { cat "$out/port.log"; fail "reading the qemu port's flags"; }
src=$("$repo/tools/fetch-rust-src.sh" "$repo/.cache" +nightly | tail -n 1)
configure m3 cortex-m3 "" thumbv7m-none-eabi -DPORT_FLAGS_DIR="$out/port" \
    -DPYRTOS_CARGO_TOOLCHAIN=+nightly -DPYRTOS_CARGO_FLAGS=-Zbuild-std=core ||
    { cat "$out/m3.log"; fail "configure for cortex-m3"; }
__CARGO_TESTS_ONLY_SRC_ROOT=$src cmake --build "$out/m3" -j 2 > "$out/m3-build.log" 2>&1 ||
    { cat "$out/m3-build.log"; fail "build through micropython.cmake"; }
# The shim was compiled by CMake, and the firmware took the Rust core its cargo command built.
for f in "$repo"/c_glue/*.c; do
    [ -f "$out/m3/CMakeFiles/firmware.elf.dir$f.obj" ] || fail "CMake did not compile $f"
done
lib=pyrtos/cargo/thumbv7m-none-eabi/mcu/libpyrtos_core.a
[ -f "$out/m3/$lib" ] && grep -q " $lib " "$out/m3/CMakeFiles/firmware.elf.dir/link.txt" ||
    fail "the firmware link does not take $out/m3/$lib"
echo "pass cmake: firmware linked through usermod_pyRTOS ($out/m3/firmware.elf)"
# A few programs on that firmware: the make-built one runs them all in test-qemu.
for k in sample sem_message_queue err_types; do
    MICROPY_QEMU_FIRMWARE=$out/m3/firmware.elf python3 "$repo/tests/run.py" \
        --micropython "$qemu_build/micropython" -k "$k"
done
