# virt-tools: one non-recursive Makefile.  `make` builds everything,
# `make check` installs what is missing, builds and runs every test,
# `make demo` runs virt-filesystems on a sample disk, `make bench` measures.

VERSION   := 0.1.0
CXX       ?= g++
CXXFLAGS  ?= -O2 -g
CXXFLAGS  += -std=c++20 -Wall -Wextra -Werror -MMD -MP
B         := build
GEN       := $(B)/gen
DEFS      := -DVT_VERSION='"$(VERSION)"' -DVT_LIBEXECDIR='"$(abspath $(B))"' \
             -DVT_PACKAGES_FILE='"$(abspath appliance/packages)"'
INCLUDES  := -Ilibcommon -I$(GEN) -Iappliance/daemon
COMPILE    = $(CXX) $(CXXFLAGS) $(DEFS) $(INCLUDES)

GENERATED := $(GEN)/api_types.hpp $(GEN)/handle_methods.inc $(GEN)/handle_methods.cpp \
             $(GEN)/daemon_calls.hpp $(GEN)/daemon_dispatch.cpp $(GEN)/commands.cpp $(GEN)/api_tests.cpp

LIBCOMMON_SRCS := $(wildcard libcommon/*.cpp) $(GEN)/handle_methods.cpp $(GEN)/commands.cpp
# What every program linking libcommon.a needs (rpm databases are sqlite;
# -d reads a libvirt domain's XML).
LIBCOMMON_LIBS := -lsqlite3 -lhivex $(shell pkg-config --libs libvirt libxml-2.0)
DAEMON_SRCS    := $(wildcard appliance/daemon/*.cpp) $(GEN)/daemon_dispatch.cpp
TOOLS          := virt-filesystems virt-df guestfish virt-inspector virt-win-reg virt-resize virt-sparsify \
                  virt-alignment-scan virt-rescue guestmount guestunmount
TOOL_BINS      := $(addprefix $(B)/,$(TOOLS))
guestfish_LIBS := -ledit
virt-df_LIBS   := -pthread
virt-alignment-scan_LIBS := -pthread
guestmount_LIBS := $(shell pkg-config --libs fuse3)
virt-inspector_LIBS := $(shell pkg-config --libs libxml-2.0)
# virt-inspector's writers, unit-tested without an appliance.
INSPECTOR_OUTPUT_SRCS := tools/virt-inspector/output_xml.cpp tools/virt-inspector/output_json.cpp \
                         tools/virt-inspector/xpath.cpp
# virt-win-reg's parts that need no appliance, for the unit tests.
WINREG_PURE_SRCS := $(filter-out %/main.cpp %/guest.cpp,$(wildcard tools/virt-win-reg/*.cpp))
# virt-resize's partition plan, unit-tested without an appliance.
RESIZE_PURE_SRCS := tools/virt-resize/plan.cpp
# virt-df's guest names and rows, unit-tested without an appliance.
DF_PURE_SRCS := tools/virt-df/work.cpp tools/virt-df/output.cpp
# virt-alignment-scan's rows and exit code.
ALIGN_PURE_SRCS := tools/virt-alignment-scan/scan.cpp
# virt-rescue's escape keys.
RESCUE_PURE_SRCS := tools/virt-rescue/escape.cpp
MAN_PAGES      := $(foreach t,$(TOOLS),$(B)/man/$(t).1)

obj = $(patsubst %.cpp,$(B)/obj/%.o,$(patsubst $(B)/%,%,$(1)))

.PHONY: all check demo bench deps clean docs
all: $(B)/virt-tools-daemon $(B)/virt-tools-init $(TOOL_BINS) $(B)/api-test-runner $(B)/vt-run $(B)/launch-bench $(B)/unit-tests $(B)/make-empty-hive $(MAN_PAGES)

# --- the generator: everything derived from the API table -----------------
$(B)/generator: $(wildcard generator/*.cpp) generator/api.hpp
	@mkdir -p $(B)
	$(CXX) $(CXXFLAGS) -o $@ $(wildcard generator/*.cpp)

$(GEN)/stamp: $(B)/generator generator/procedures.txt
	@mkdir -p $(GEN)
	$(B)/generator generator/procedures.txt $(GEN) $(GEN)/api.md
	@touch $@
$(GENERATED) $(GEN)/api.md: $(GEN)/stamp ;

# --- objects -------------------------------------------------------------
$(B)/obj/%.o: %.cpp | $(GEN)/stamp
	@mkdir -p $(dir $@)
	$(COMPILE) -c -o $@ $<
$(B)/obj/gen/%.o: $(GEN)/%.cpp $(GEN)/stamp
	@mkdir -p $(dir $@)
	$(COMPILE) -c -o $@ $<

$(B)/libcommon.a: $(call obj,$(LIBCOMMON_SRCS))
	@rm -f $@
	ar rcs $@ $^

# --- the appliance -------------------------------------------------------
# Only the shared wire code: a change elsewhere in libcommon must not change
# the daemon binary, which would rebuild every cached appliance.
$(B)/virt-tools-daemon: $(call obj,$(DAEMON_SRCS) libcommon/protocol.cpp libcommon/process.cpp libcommon/kmod.cpp)
	$(CXX) $(CXXFLAGS) -o $@ $^ -lblkid -lhivex -laugeas
# augeas.h includes libxml2's headers.
$(B)/obj/appliance/daemon/calls_augeas.o: INCLUDES += $(shell pkg-config --cflags augeas)

# Stage-1 init runs before any library is reachable: static.
$(B)/virt-tools-init: appliance/init/init.cpp
	@mkdir -p $(B)
	$(CXX) $(CXXFLAGS) -static -o $@ $<

# --- tools ---------------------------------------------------------------
define TOOL_RULE
$(B)/$(1): $(call obj,$(wildcard tools/$(1)/*.cpp)) $(B)/libcommon.a
	$$(CXX) $$(CXXFLAGS) -o $$@ $$^ -lboost_program_options $$($(1)_LIBS) $$(LIBCOMMON_LIBS)
$(B)/man/$(1).1: tools/$(1)/$(1).pod
	@mkdir -p $(B)/man
	pod2man --section 1 --center virt-tools --release $(VERSION) $$< > $$@
endef
$(foreach t,$(TOOLS),$(eval $(call TOOL_RULE,$(t))))
$(B)/obj/tools/virt-inspector/%.o: INCLUDES += $(shell pkg-config --cflags libxml-2.0)
$(B)/obj/tools/guestmount/%.o: INCLUDES += $(shell pkg-config --cflags fuse3)
$(B)/obj/libcommon/libvirt_domain.o: INCLUDES += $(shell pkg-config --cflags libvirt libxml-2.0)
$(B)/obj/tests/unit/inspector_output_test.o: INCLUDES += -Itools/virt-inspector
$(B)/obj/tests/unit/resize_plan_test.o: INCLUDES += -Itools/virt-resize
$(B)/obj/tests/unit/df_output_test.o: INCLUDES += -Itools/virt-df
$(B)/obj/tests/unit/alignment_test.o: INCLUDES += -Itools/virt-alignment-scan
$(B)/obj/tests/unit/rescue_test.o: INCLUDES += -Itools/virt-rescue

$(B)/api-test-runner: $(call obj,tests/api-test-runner.cpp $(GEN)/api_tests.cpp) $(B)/libcommon.a
	$(CXX) $(CXXFLAGS) -o $@ $^ $(LIBCOMMON_LIBS)

# Runs calls given as text on some disks: builds test images, debugging.
$(B)/vt-run: $(call obj,tests/vt-run.cpp) $(B)/libcommon.a
	$(CXX) $(CXXFLAGS) -o $@ $^ -lboost_program_options $(LIBCOMMON_LIBS)

$(B)/unit-tests: $(call obj,$(wildcard tests/unit/*.cpp) appliance/daemon/lvm_metadata.cpp $(INSPECTOR_OUTPUT_SRCS) $(WINREG_PURE_SRCS) $(RESIZE_PURE_SRCS) $(DF_PURE_SRCS) $(ALIGN_PURE_SRCS) $(RESCUE_PURE_SRCS)) $(B)/libcommon.a
	$(CXX) $(CXXFLAGS) -o $@ $^ -lgtest -lgtest_main -pthread $(LIBCOMMON_LIBS) $(virt-inspector_LIBS)

# Writes an empty registry hive: Debian ships none, and tests build their own data.
$(B)/make-empty-hive: $(call obj,tests/phony-guests/make-empty-hive.cpp)
	$(CXX) $(CXXFLAGS) -o $@ $^

$(B)/launch-bench: $(call obj,bench/launch-bench.cpp) $(B)/libcommon.a
	$(CXX) $(CXXFLAGS) -o $@ $^ $(LIBCOMMON_LIBS)

# Host-side generators of what the phony test guests hold (tests/phony-guests).
all: $(B)/make-rpmdb $(B)/make-hive $(B)/make-bsd-disk
$(B)/make-rpmdb: $(call obj,tests/phony-guests/make-rpmdb.cpp)
	$(CXX) $(CXXFLAGS) -o $@ $^ -lsqlite3
$(B)/make-hive: $(call obj,tests/phony-guests/make-hive.cpp)
	$(CXX) $(CXXFLAGS) -o $@ $^ -lhivex
$(B)/make-bsd-disk: $(call obj,tests/phony-guests/make-bsd-disk.cpp)
	$(CXX) $(CXXFLAGS) -o $@ $^

# --- docs ----------------------------------------------------------------

# The API reference is generated; docs/api.md is the committed copy, checked by `make check`.
docs: $(GEN)/stamp
	cp $(GEN)/api.md docs/api.md

# --- tests and demos -----------------------------------------------------
deps:
	@scripts/install-deps

check: deps
	$(MAKE) -j$$(nproc) all fuzz-build
	@tests/run-all

demo: deps
	$(MAKE) -j$$(nproc) all
	@scripts/demo

bench: deps
	$(MAKE) -j$$(nproc) all
	@bench/run

clean:
	rm -rf $(B)

include tests/fuzz/fuzz.mk

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
