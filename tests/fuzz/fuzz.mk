# libFuzzer harnesses for the parsers that run on the host over bytes a
# guest controls (tests/fuzz/fuzz_*.cpp).  Included by the top Makefile.
#
#   make fuzz-build             every harness, into build/fuzz/
#   make fuzz-smoke             a few seconds of each: "ok fuzz NAME (N runs)" lines
#   make fuzz [FUZZ_SECONDS=300] [FUZZ_NAMES="json bdb"]
#                               long runs; corpora in build/fuzz/corpus/NAME,
#                               crashes in build/fuzz/artifacts/
#
# Everything is built with clang (libFuzzer, ASan, UBSan) into build/fuzz/obj,
# apart from the build/obj objects of the normal build.

FUZZ_CXX      ?= clang++
FUZZ_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CXXFLAGS := -std=c++20 -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Werror -MMD -MP
FUZZ_COMPILE   = $(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) $(DEFS) $(INCLUDES)
FUZZ_LINK      = $(FUZZ_CXX) $(FUZZ_CXXFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) $(DEFS) $(INCLUDES)
FUZZ_DIR      := $(B)/fuzz
FUZZ_OBJ      := $(FUZZ_DIR)/obj

FUZZ_NAMES ?= protocol api_decode json regfile rpm_header bdb package_lists inspect_linux fstab hive \
              partition_table windows
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 4
FUZZ_BINS := $(addprefix $(FUZZ_DIR)/fuzz_,$(FUZZ_NAMES))

fuzz_obj = $(patsubst %.cpp,$(FUZZ_OBJ)/%.o,$(patsubst $(B)/%,%,$(1)))

# libcommon, sanitized, as an archive: each harness pulls in only the
# objects it needs (inspection's pull in the Handle, the rest a file or two).
$(FUZZ_DIR)/libcommon.a: $(call fuzz_obj,$(LIBCOMMON_SRCS))
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_OBJ)/%.o: %.cpp | $(GEN)/stamp
	@mkdir -p $(dir $@)
	$(FUZZ_COMPILE) -c -o $@ $<
$(FUZZ_OBJ)/gen/%.o: $(GEN)/%.cpp $(GEN)/stamp
	@mkdir -p $(dir $@)
	$(FUZZ_COMPILE) -c -o $@ $<
$(FUZZ_OBJ)/libcommon/libvirt_domain.o: INCLUDES += $(shell pkg-config --cflags libvirt libxml-2.0)

# What each harness needs besides its own source and libcommon.
fuzz_regfile_OBJS := $(call fuzz_obj,tools/virt-win-reg/regfile.cpp tools/virt-win-reg/text.cpp)
$(FUZZ_DIR)/fuzz_regfile: INCLUDES += -Itools/virt-win-reg

define FUZZ_RULE
$(FUZZ_DIR)/fuzz_$(1): tests/fuzz/fuzz_$(1).cpp $$(fuzz_$(1)_OBJS) $(FUZZ_DIR)/libcommon.a | $(GEN)/stamp
	@mkdir -p $(FUZZ_DIR)
	$$(FUZZ_LINK) -o $$@ $$< $$(fuzz_$(1)_OBJS) $(FUZZ_DIR)/libcommon.a $$(LIBCOMMON_LIBS)
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_RULE,$(n))))

# Seeds: small text ones are checked in (tests/fuzz/seeds/NAME); binary ones
# (frames, rpm headers, Berkeley DB files, hives) are made here from the
# phony guests' data by tests/fuzz/make-seeds.
$(FUZZ_DIR)/seedgen: tests/fuzz/seedgen.cpp libcommon/protocol.cpp | $(GEN)/stamp
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CXX) -std=c++20 -O1 -Wall -Wextra -Werror $(INCLUDES) -Itests/phony-guests -o $@ $^
$(FUZZ_DIR)/make-hive: tests/phony-guests/make-hive.cpp
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CXX) -std=c++20 -O1 -Wall -Wextra -Werror -Ilibcommon -o $@ $< -lhivex
$(FUZZ_DIR)/seeds/stamp: tests/fuzz/make-seeds $(FUZZ_DIR)/seedgen $(FUZZ_DIR)/make-hive \
                         $(wildcard tests/phony-guests/*.reg tests/phony-guests/*.fish) tests/phony-guests/make-dpkg-status
	tests/fuzz/make-seeds $(FUZZ_DIR)
	@touch $@

.PHONY: fuzz-build fuzz fuzz-smoke
fuzz-build: $(FUZZ_BINS) $(FUZZ_DIR)/seeds/stamp

fuzz-smoke: fuzz-build
	@B=$(B) FUZZ_SMOKE=1 tests/fuzz/run-fuzz $(FUZZ_SMOKE_SECONDS) $(FUZZ_NAMES)

fuzz: fuzz-build
	@B=$(B) tests/fuzz/run-fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

-include $(wildcard $(FUZZ_DIR)/*.d) $(shell find $(FUZZ_OBJ) -name '*.d' 2>/dev/null)
