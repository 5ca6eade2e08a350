# Cross toolchain of the test port: bare-metal Arm GCC for the CPU in
# PYRTOS_TEST_CPU, named in CMAKE_SYSTEM_PROCESSOR as the rp2 port's pico-sdk
# toolchain files do; PYRTOS_TEST_C_FLAGS adds flags (e.g. -mfloat-abi=hard).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR ${PYRTOS_TEST_CPU})
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_C_FLAGS_INIT "-mthumb -mcpu=${PYRTOS_TEST_CPU} ${PYRTOS_TEST_C_FLAGS}")
# Compiler checks compile a library only: the test links with the port's own
# startup code and linker script.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PYRTOS_TEST_CPU PYRTOS_TEST_C_FLAGS)
