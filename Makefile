# conmux: one Makefile, dependencies from pkg-config, output in build/.
# `make` builds build/conmux; `make check` runs every suite (see README.md).

B ?= build
SAN ?=
PKGS := libuv ncursesw libcjson libselinux libcap
CC ?= cc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wno-unused-parameter -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla
ifneq ($(CI),)
WARN += -Werror
endif
ifneq ($(SAN),)
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
OPT := -O1
else
OPT := -O2
endif
CFLAGS ?= $(OPT) -g
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE -MMD -MP $(WARN) $(SANFLAGS) \
	-Ibase -Iruntime -Isession -Iwidgets -Ikeymaps -Itui -Icli $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(SANFLAGS) $(LDFLAGS)

# Link order: users before what they use.
MODULES := cli tui session runtime widgets keymaps base
define module_vars
$(1)_SRC := $$(filter-out cli/main.c,$$(wildcard $(1)/*.c))
$(1)_OBJ := $$(patsubst %.c,$$(B)/obj/%.o,$$($(1)_SRC))
$(1)_LIB := $$(B)/lib$(1).a
endef
$(foreach m,$(MODULES),$(eval $(call module_vars,$(m))))
LIBS := $(foreach m,$(MODULES),$($(m)_LIB))

UNIT_SRC := $(wildcard tests/unit/test-*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))

empty :=
space := $(empty) $(empty)

.PHONY: all check unit deps demo bench clean fmt check-layering tests fuzz \
	fuzz-build fuzz-check
all: $(B)/conmux

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

define module_rule
$$($(1)_LIB): $$($(1)_OBJ)
	@mkdir -p $$(dir $$@)
	rm -f $$@ && ar rcs $$@ $$^
endef
$(foreach m,$(MODULES),$(eval $(call module_rule,$(m))))

# Modules use only those after them in MODULES (check-layering); the group
# is for the runtime's own cross-file references.
$(B)/conmux: $(B)/obj/cli/main.o $(LIBS)
	$(CC) $(ALL_LDFLAGS) -o $@ $< -Wl,--start-group $(LIBS) -Wl,--end-group \
		$(PKG_LIBS) -lm

$(B)/tests/%: tests/unit/%.c $(LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< -Wl,--start-group $(LIBS) \
		-Wl,--end-group $(PKG_LIBS) $(CMOCKA_LIBS) -lm

tests: $(B)/conmux $(UNIT_BIN)

# Installs what is missing (apt-get), then builds and runs every suite,
# plain and under ASan+UBSan; ends with "N passed, N failed[, N skipped]".
check:
	@sh scripts/deps.sh
	@$(MAKE) --no-print-directory check-layering
	@sh tests/run-all.sh

deps:
	@sh scripts/deps.sh

demo:
	@sh scripts/deps.sh
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh

bench:
	@sh scripts/deps.sh bench
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh

# libFuzzer targets (clang, ASan+UBSan): every parser of outside input.
# `make fuzz` runs each FUZZ_SECONDS, new inputs kept in build/fuzz/corpus-*;
# `make fuzz-check` (part of `make check`) runs each a few seconds from its
# committed corpus (tests/fuzz/corpus/<target>/, plus tests/fixtures) and
# prints TAP lines. Seeds: tests/fuzz/corpus/<target>/.
FUZZ_SECONDS ?= 30
FUZZ_CHECK_SECONDS ?= 3
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
FUZZ_SRC := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_LIBS := $(foreach m,$(MODULES),build/fuzz/lib$(m).a)

build/fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(FUZZ_LIBS)
	clang -std=gnu11 -D_GNU_SOURCE -O1 -g -Ibase -Iruntime -Isession \
	    -Iwidgets -Ikeymaps -Itui $(PKG_CFLAGS) \
	    -fsanitize=fuzzer,address,undefined $< \
	    -Wl,--start-group $(FUZZ_LIBS) -Wl,--end-group $(PKG_LIBS) -lm -o $@

fuzz-build:
	@$(MAKE) --no-print-directory B=build/fuzz CC=clang \
		CFLAGS="-O1 -g $(FUZZ_FLAGS)" $(FUZZ_LIBS)
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

fuzz:
	@sh scripts/deps.sh
	@$(MAKE) --no-print-directory fuzz-build
	@for t in $(FUZZ_BIN); do \
		n=$$(basename $$t); \
		mkdir -p build/fuzz/corpus-$$n; \
		echo "== $$n ($(FUZZ_SECONDS) s)"; \
		$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		    build/fuzz/corpus-$$n tests/fuzz/corpus/$$n tests/fixtures \
		    2>&1 | tail -3 || exit 1; \
	done

fuzz-check:
	@sh tests/fuzz/check.sh $(FUZZ_CHECK_SECONDS)

# The layers: base < keymaps, widgets < runtime < session < tui < cli.
# The console includes nothing of the command line; the session module
# knows neither curses nor the command line nor the console.
check-layering:
	@! grep -l 'curses.h' runtime/*.[ch] keymaps/*.[ch] base/*.[ch] session/*.[ch] 2>/dev/null
	@! grep -lE '#include "($(subst $(space),|,$(notdir $(wildcard cli/*.h))))"' tui/*.[ch] session/*.[ch] runtime/*.[ch] 2>/dev/null
	@! grep -lE '#include "(tui|internal|widgets)\.h"' session/*.[ch] 2>/dev/null
	@! grep -l 'runtime.h' widgets/*.[ch] keymaps/*.[ch] 2>/dev/null
	@! grep -l '<uv.h>' widgets/*.[ch] keymaps/*.[ch] 2>/dev/null

fmt:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
