# cgs — Confidential Guest Support toolchain. The one build file (GNU make).
# make [all] | check | bench | fuzz | fuzz-long | mutants | fuzz-smoke | man | lint | demo | deb | install | uninstall | clean | help

VERSION := $(shell cat VERSION)
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SCHEMADIR ?= $(PREFIX)/share/cgs/schema
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS := libcrypto libelf uuid zlib json-c yaml-0.1 libcurl
# Debian 12's libfdt-dev ships no pkg-config file: found by its header instead
FDT_CFLAGS ?=
FDT_LIBS ?= -lfdt
# Debian package that provides each pkg-config module
DEB_libcrypto := libssl-dev
DEB_libelf := libelf-dev
DEB_uuid := uuid-dev
DEB_zlib := zlib1g-dev
DEB_json-c := libjson-c-dev
DEB_libfdt := libfdt-dev
DEB_yaml-0.1 := libyaml-dev
DEB_libcurl := libcurl4-openssl-dev

ifneq ($(filter-out clean help uninstall,$(or $(MAKECMDGOALS),all)),)
MISSING := $(foreach p,$(PKGS),$(if $(shell $(PKG_CONFIG) --exists $(p) && echo y),,$(p)))
MISSING += $(if $(shell echo '\#include <libfdt.h>' | $(CC) $(FDT_CFLAGS) -E - >/dev/null 2>&1 && echo y),,libfdt)
ifneq ($(strip $(MISSING)),)
$(error missing build dependencies: $(strip $(MISSING)); install the Debian packages: $(foreach p,$(MISSING),$(DEB_$(p))))
endif
endif

ifeq ($(CI),true)
WERROR ?= 1
endif

# quiet by default; `make V=1` shows the commands
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @echo "  $(1)	$(2)"
endif

ifeq ($(SANITIZE),1)
BUILD ?= build-san
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
BUILD ?= build
SAN_FLAGS :=
endif

WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
	-Wpointer-arith -Wcast-qual -Wwrite-strings -Wvla -Wundef -Wno-unused-parameter \
	-Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARN += -Werror
endif
# -fPIC objects serve both the shared library and the PIE tools; only functions
# marked CGS_EXPORT (include/cgs/*.h) are visible outside libcgs.so
HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIC -fvisibility=hidden
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=gnu11 -pthread $(WARN) $(HARDEN) $(SAN_FLAGS) -I. -Iinclude -DCGS_VERSION='"$(VERSION)"' \
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null) $(FDT_CFLAGS) $(CFLAGS)
# -pthread: the s390 image builder hashes on a second thread (lib/s390/s390_pv_pipe.c)
ALL_LDFLAGS := -pie -pthread -Wl,-z,relro,-z,now $(SAN_FLAGS) $(LDFLAGS)
LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) $(FDT_LIBS)

LIB_SRCS := $(sort $(wildcard lib/*/*.c formats/*.c keys/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)

# The library, two ways (see "Linking" in README.md):
#  $(BUILD)/libcgs.a           every object: installed as the static library, and linked
#                              into the tools, tests and helpers for what the public API
#                              does not cover (CLI driver, rendering, decoders)
#  $(BUILD)/lib/libcgs.so.0    the shared library (soname libcgs.so.0), public API only
# The tools link libcgs.so first, then libcgs.a: calls into the public API bind to the
# shared library. Build-tree tools find it by a RUNPATH to $(BUILD)/lib; `make install`
# relinks them without any RPATH into $(BUILD)/inst/ (the installed ones use ld.so's path).
SOVERSION := 0
LIBCGS := $(BUILD)/libcgs.a
LIBCGS_SO := $(BUILD)/lib/libcgs.so.$(VERSION)
LIBCGS_SONAME := libcgs.so.$(SOVERSION)
LIB_LDFLAGS := -shared -Wl,-soname,$(LIBCGS_SONAME) -Wl,-z,relro,-z,now -Wl,--no-undefined \
	-Wl,-Bsymbolic-functions $(SAN_FLAGS) $(LDFLAGS)
PUBLIC_HEADERS := $(sort $(wildcard include/cgs/*.h))
# the JSON Schemas of schema/, compiled into the library (lib/core/schema.h, --print-schema)
SCHEMAS := $(sort $(wildcard schema/*.schema.json))
SCHEMA_C := $(BUILD)/gen/schema_data.c
LIB_OBJS += $(SCHEMA_C:%.c=$(BUILD)/obj/%.o)

TOOLS := measure mkimage verify
BINS := $(TOOLS:%=$(BUILD)/bin/cgs-%)

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
HELPER_SRCS := $(sort $(wildcard tests/helpers/*.c))
HELPER_BINS := $(HELPER_SRCS:tests/helpers/%.c=$(BUILD)/tests/helpers/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SMOKE_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/tests/fuzz-smoke/%)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build-fuzz/%)

MAN_SRCS := $(sort $(wildcard man/*.scd))
MAN_LINK_PAGES := $(addprefix $(BUILD)/man/,$(shell awk '!/^\#/ && NF == 2 { print $$1 }' man/links))
MAN_PAGES := $(MAN_SRCS:man/%.scd=$(BUILD)/man/%) $(MAN_LINK_PAGES)

BATS_TESTS := $(sort $(wildcard tests/cli/*.bats tests/docs/*.bats tests/conformance/*.bats))
# the bad-input matrix: one generated bats file per fixture group of tests/cli/bad_input.tsv
BAD_INPUT_BATS := $(patsubst %,$(BUILD)/tests/bad_input/%.bats,$(shell \
	awk -F '\t' '!/^\#/ && NF { print $$1 }' tests/cli/bad_input.tsv | sort -u))
PROVE_JOBS ?= 2

comma := ,

.PHONY: deb check-layers all check unit bats bench fuzz fuzz-fast fuzz-long mutants fuzz-smoke man lint demo install uninstall clean help
.DEFAULT_GOAL := all
.SECONDARY:

all: $(BINS) $(LIBCGS) $(LIBCGS_SO) $(BUILD)/cgs.pc $(HELPER_BINS) man

# objects are rebuilt when the compiler flags change (e.g. -fPIC)
ifneq ($(filter-out clean help uninstall,$(or $(MAKECMDGOALS),all)),)
ifneq ($(file <$(BUILD)/cflags),$(CC) $(ALL_CFLAGS))
$(shell mkdir -p $(BUILD))
$(file >$(BUILD)/cflags,$(CC) $(ALL_CFLAGS))
endif
endif

$(BUILD)/obj/%.o: %.c $(BUILD)/cflags
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(SCHEMA_C): $(SCHEMAS) scripts/embed-schemas
	@mkdir -p $(dir $@)
	$(call quiet,GEN,$@)
	$(Q)scripts/embed-schemas $(SCHEMAS) > $@.tmp && mv $@.tmp $@

$(LIBCGS): $(LIB_OBJS)
	@rm -f $@
	$(call quiet,AR,$@)
	$(Q)$(AR) rcs $@ $^

$(LIBCGS_SO): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(call quiet,LD,$@)
	$(Q)$(CC) $(LIB_LDFLAGS) -o $@ $^ $(LIBS)
	$(Q)ln -sf $(notdir $@) $(BUILD)/lib/$(LIBCGS_SONAME)
	$(Q)ln -sf $(LIBCGS_SONAME) $(BUILD)/lib/libcgs.so

# $(1) tool, $(2) output folder, $(3) extra link flags
define tool_rule
$(2)/cgs-$(1): $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard cmd/$(1)/*.c)) $(LIBCGS_SO) $(LIBCGS)
	@mkdir -p $$(dir $$@)
	$$(call quiet,LD,$$@)
	$$(Q)$$(CC) $$(ALL_LDFLAGS) $(3) -o $$@ $$(filter %.o,$$^) -Wl,--no-as-needed $(LIBCGS_SO) -Wl,--as-needed $(LIBCGS) $$(LIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t),$(BUILD)/bin,-Wl$(comma)-rpath$(comma)$(abspath $(BUILD)/lib))))
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t),$(BUILD)/inst,)))

$(BUILD)/tests/unit/%: $(BUILD)/obj/tests/unit/%.o $(LIBCGS)
	@mkdir -p $(dir $@)
	$(call quiet,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/helpers/%: $(BUILD)/obj/tests/helpers/%.o $(LIBCGS)
	@mkdir -p $(dir $@)
	$(call quiet,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# fuzz harnesses, replayed over their seed corpora without libFuzzer
$(BUILD)/tests/fuzz-smoke/%: $(BUILD)/obj/tests/fuzz/%.o $(BUILD)/obj/tests/fuzz/standalone.o $(LIBCGS)
	@mkdir -p $(dir $@)
	$(call quiet,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/obj/tests/fuzz/standalone.o: tests/fuzz/standalone.c
	@mkdir -p $(dir $@)
	$(call quiet,CC,$<)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

man: $(MAN_PAGES)

# Reproducible pages: dated SOURCE_DATE_EPOCH (dpkg sets it from debian/changelog), else
# the last commit, else VERSION's mtime; the footer names the version.
MAN_EPOCH := $(or $(SOURCE_DATE_EPOCH),$(shell git log -1 --format=%ct 2>/dev/null),$(shell stat -c %Y VERSION))
$(BUILD)/man/%: man/%.scd VERSION
	@mkdir -p $(dir $@)
	$(call quiet,SCDOC,$<)
	$(Q)sed '1s/^\([a-z0-9-]*([1-8])\)$$/\1 "cgs $(VERSION)" "cgs manual"/' $< | \
		SOURCE_DATE_EPOCH=$(MAN_EPOCH) scdoc > $@.tmp && mv $@.tmp $@

# verbs documented on another page get a .so link (man/links)
$(MAN_LINK_PAGES): $(BUILD)/man/%: man/links
	@mkdir -p $(dir $@)
	$(call quiet,MANLINK,$@)
	$(Q)t=$$(awk -v n='$*' '$$1 == n { print $$2 }' man/links); \
		printf '.so man%s/%s\n' "$${t##*.}" "$$t" > $@

unit: $(UNIT_BINS)

# every harness replays its corpus even when an earlier one fails; then the step fails
fuzz-smoke: $(FUZZ_SMOKE_BINS)
	@bad=; for f in $(FUZZ_SMOKE_BINS); do n=$$(basename $$f); \
		$$f tests/fuzz/corpus/$${n#fuzz_} >/dev/null || { echo "fuzz-smoke: $$n failed"; bad="$$bad $$n"; }; \
		done; [ -z "$$bad" ] || { echo "fuzz-smoke: FAILED:$$bad"; exit 1; }; \
		echo "fuzz-smoke: $(words $(FUZZ_SMOKE_BINS)) harnesses replayed their corpora"

$(BAD_INPUT_BATS) &: tests/cli/bad_input.tsv tests/cli/bad_input_gen
	$(call quiet,GEN,$(BUILD)/tests/bad_input)
	$(Q)tests/cli/bad_input_gen $< $(BUILD)/tests/bad_input $(CURDIR)

# a failing step (layers, tests, fuzz-smoke) does not hide the others: all run, then check fails
check: all unit $(FUZZ_SMOKE_BINS) $(BAD_INPUT_BATS)
	@[ -d "$${CGS_VECTORS:-../shared/vectors}" ] || echo "NOTE: ../shared/vectors not present: the conformance replays are SKIPPED (tests on generated data still run)"
	@bad=; scripts/check-layers || bad="$$bad check-layers"; \
		echo "CGS_BUILD=$(BUILD) prove -j$(PROVE_JOBS) -f --exec tests/helpers/run-test ..."; \
		CGS_BUILD=$(BUILD) CGS_SANITIZE=$(SANITIZE) prove -j$(PROVE_JOBS) -f --exec tests/helpers/run-test $(UNIT_BINS) $(BATS_TESTS) \
			$(BAD_INPUT_BATS) || bad="$$bad tests"; \
		$(MAKE) --no-print-directory fuzz-smoke || bad="$$bad fuzz-smoke"; \
		[ -d "$${CGS_VECTORS:-../shared/vectors}" ] || echo "NOTE: conformance replays were skipped: ../shared/vectors not present"; \
		[ -z "$$bad" ] || { echo "make check: FAILED:$$bad"; exit 1; }

# libFuzzer builds (clang). build-fuzz: ASan+LSan+UBSan, -O1 (finds memory errors and
# leaks; replays corpora). build-fuzz-fast: UBSan only, -O2 (volume for fuzz-long; clang 14
# cannot link LSan with UBSan-abort, so leaks are found by the ASan replay).
FUZZ_CC ?= clang
FUZZ_INC := -I. -Iinclude $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null) $(FDT_CFLAGS)
FUZZ_SAN_build-fuzz := address,undefined
FUZZ_OPT_build-fuzz := -O1
FUZZ_SAN_build-fuzz-fast := undefined
FUZZ_OPT_build-fuzz-fast := -O2
FUZZ_FAST_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build-fuzz-fast/%)
define fuzz_build
$(1)/obj/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(call quiet,FUZZCC,$$<)
	$$(Q)$$(FUZZ_CC) -std=gnu11 -g $$(FUZZ_OPT_$(1)) -fsanitize=fuzzer-no-link,$$(FUZZ_SAN_$(1)) \
		-fno-sanitize-recover=undefined $$(FUZZ_INC) -MMD -MP -c -o $$@ $$<

$(1)/libcgs.a: $$(LIB_SRCS:%.c=$(1)/obj/%.o) $(1)/obj/$$(SCHEMA_C:%.c=%.o)
	@rm -f $$@
	$$(Q)$$(AR) rcs $$@ $$^

$(1)/%: $(1)/obj/tests/fuzz/%.o $(1)/libcgs.a
	$$(call quiet,FUZZLD,$$@)
	$$(Q)$$(FUZZ_CC) -fsanitize=fuzzer,$$(FUZZ_SAN_$(1)) -o $$@ $$^ $$(LIBS)
endef
$(eval $(call fuzz_build,build-fuzz))
$(eval $(call fuzz_build,build-fuzz-fast))

fuzz: $(FUZZ_BINS)
	@echo "run e.g.: build-fuzz/fuzz_snp_report -max_total_time=60 tests/fuzz/corpus/snp_report"
	@echo "or the campaign: make fuzz-long (scripts/fuzz-long --help)"

fuzz-fast: $(FUZZ_FAST_BINS)

# the campaign: every harness for FUZZ_RUNS executions (default 10 M) or FUZZ_TIME
# seconds, corpora merged and minimised into tests/fuzz/corpus/, then a summary table
fuzz-long:
	scripts/fuzz-long

# mutation testing: every mutant of tests/mutants/ must make its tests fail
mutants:
	scripts/mutants $(if $(FULL),--full) $(if $(CHECK),--check) $(MUTANTS)

bench: all
	CGS_BUILD=$(BUILD) bench/run

demo: all
	CGS_BUILD=$(BUILD) scripts/demo

# Debian packages (debian/) from the tracked files, lintian, install check and demo;
# `scripts/bootstrap --package` installs dpkg-dev, debhelper and lintian
deb: all
	CGS_BUILD=$(BUILD) OUT=$(BUILD)/deb scripts/make-deb

check-layers:
	@scripts/check-layers

lint: check-layers
	@n=0; for f in $(LIB_SRCS) $(wildcard cmd/*/*.c); do \
		clang-format --dry-run --Werror $$f >/dev/null 2>&1 || n=$$((n + 1)); done; \
		echo "clang-format: $$n files differ from .clang-format (advisory)"
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability -I. \
		--suppress=missingIncludeSystem lib formats keys cmd

# cgs.pc for PREFIX/LIBDIR/INCLUDEDIR as given (the build-tree copy, and again at install)
define CGS_PC
printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
	'Name: cgs' \
	'Description: confidential VM launch digests, boot images and attestation checks' \
	'Version: $(VERSION)' 'Requires.private: $(PKGS)' \
	'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -lcgs' 'Libs.private: $(FDT_LIBS)'
endef

$(BUILD)/cgs.pc: Makefile VERSION
	@mkdir -p $(dir $@)
	$(call quiet,GEN,$@)
	$(Q)$(CGS_PC) > $@

install: all $(TOOLS:%=$(BUILD)/inst/cgs-%)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/cgs \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man3
	install -m 0755 $(TOOLS:%=$(BUILD)/inst/cgs-%) $(DESTDIR)$(BINDIR)/
	install -m 0644 $(LIBCGS_SO) $(LIBCGS) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(LIBCGS_SO)) $(DESTDIR)$(LIBDIR)/$(LIBCGS_SONAME)
	ln -sf $(LIBCGS_SONAME) $(DESTDIR)$(LIBDIR)/libcgs.so
	install -m 0644 $(PUBLIC_HEADERS) $(DESTDIR)$(INCLUDEDIR)/cgs/
	$(CGS_PC) > $(DESTDIR)$(PKGCONFIGDIR)/cgs.pc
	install -m 0644 $(filter %.3,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man3/
	install -m 0644 $(filter %.1,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(filter %.7,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man7/
	install -m 0644 completion/cgs $(DESTDIR)$(BASHCOMPDIR)/cgs
	for t in $(TOOLS); do ln -sf cgs $(DESTDIR)$(BASHCOMPDIR)/cgs-$$t; done
	install -d $(DESTDIR)$(SCHEMADIR)
	install -m 0644 $(SCHEMAS) $(DESTDIR)$(SCHEMADIR)/

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/cgs-%) $(TOOLS:%=$(DESTDIR)$(BASHCOMPDIR)/cgs-%)
	rm -f $(DESTDIR)$(LIBDIR)/$(notdir $(LIBCGS_SO)) $(DESTDIR)$(LIBDIR)/$(LIBCGS_SONAME) \
		$(DESTDIR)$(LIBDIR)/libcgs.so $(DESTDIR)$(LIBDIR)/libcgs.a \
		$(DESTDIR)$(PKGCONFIGDIR)/cgs.pc $(PUBLIC_HEADERS:include/%=$(DESTDIR)$(INCLUDEDIR)/%)
	rm -f $(patsubst $(BUILD)/man/%.3,$(DESTDIR)$(MANDIR)/man3/%.3,$(filter %.3,$(MAN_PAGES)))
	rmdir $(DESTDIR)$(INCLUDEDIR)/cgs 2>/dev/null || true
	rm -f $(DESTDIR)$(BASHCOMPDIR)/cgs
	rm -f $(SCHEMAS:schema/%=$(DESTDIR)$(SCHEMADIR)/%)
	-rmdir $(DESTDIR)$(SCHEMADIR) 2>/dev/null
	rm -f $(patsubst $(BUILD)/man/%.1,$(DESTDIR)$(MANDIR)/man1/%.1,$(filter %.1,$(MAN_PAGES)))
	rm -f $(patsubst $(BUILD)/man/%.7,$(DESTDIR)$(MANDIR)/man7/%.7,$(filter %.7,$(MAN_PAGES)))

clean:
	rm -rf build build-san build-fuzz build-fuzz-fast

help:
	@echo "targets: all check bench fuzz fuzz-long mutants fuzz-smoke man lint demo deb install uninstall clean help"
	@echo "variables: PREFIX DESTDIR SANITIZE=1 WERROR=1 CC CFLAGS"

-include $(shell find $(BUILD)/obj $(if $(filter fuzz%,$(MAKECMDGOALS)),build-fuzz/obj build-fuzz-fast/obj) -name '*.d' 2>/dev/null)
