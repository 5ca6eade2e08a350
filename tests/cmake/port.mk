# Read after ports/qemu/Makefile, which has taken in this repository as its
# user C modules (make -f Makefile -f port.mk pyrtos-port-flags
# PORT_FLAGS_DIR=DIR USER_C_MODULES=REPO): writes what that port compiles and
# links with, minus pyRTOS itself (its objects, include folders and library,
# named by micropython.mk), for the CMake test port; the board support in
# qemu/ stays. DIR/cflags and DIR/ldflags are GCC option files (@file, which
# reads the shell quoting in CFLAGS as the shell would), paths made absolute;
# DIR/objects are the firmware's object files, DIR/libs what the link takes
# after them.
ifeq ($(PYRTOS_LIB),)
$(error micropython.mk was not read, or no longer names PYRTOS_LIB)
endif
comma := ,
pyrtos_cflags := $(filter-out -I$(PYRTOS_DIR)/c_glue -I$(PYRTOS_BUILD),$(CFLAGS))
pyrtos-port-flags:
	$(file >$(PORT_FLAGS_DIR)/cflags,$(foreach f,$(pyrtos_cflags),$(if $(filter -I%,$(f)),-I$(abspath $(f:-I%=%)),$(f))))
	$(file >$(PORT_FLAGS_DIR)/ldflags,$(filter-out -Wl$(comma)-Map=% $(PYRTOS_LINK_FIRST) $(PYRTOS_LIB),$(LDFLAGS:$(LDSCRIPT)=$(abspath $(LDSCRIPT)))))
	$(file >$(PORT_FLAGS_DIR)/objects,$(filter-out $(BUILD)/c_glue/%,$(OBJ)))
	$(file >$(PORT_FLAGS_DIR)/libs,$(LIBS))
