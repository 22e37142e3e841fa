# conmux: one Makefile, dependencies from pkg-config, output in build/.
# `make` builds build/conmux; `make check` runs every suite (see README.md).

B ?= build
SAN ?=
PKGS := libuv ncursesw libcjson libselinux libcap vterm
CC ?= cc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)
# Every library but cJSON (Debian ships no libcjson.a) is linked statically:
# ld.so's relocations and symbol lookups in eight shared objects cost every
# command 0.6-0.9 ms (conmux ps 1.76 -> 1.13 ms, pause 6.94 -> 6.00 ms,
# interleaved), which every stop, pause and ps pays. LINK=dynamic links
# them all dynamically (what a distribution's package wants); a missing
# archive falls back to it.
LINK ?= static
STATIC_PKGS := libuv-static ncursesw libselinux libcap vterm
STATIC_AS := uv_a ncursesw tinfo selinux sepol pcre2-8 cap vterm
ifeq ($(LINK),static)
ifeq ($(shell pkg-config --exists $(STATIC_PKGS) 2>/dev/null && \
    for a in $(STATIC_AS); do \
    [ -f "$$($(CC) -print-file-name=lib$$a.a)" ] || exit 1; done && echo ok),ok)
PKG_LIBS := $(shell pkg-config --libs libcjson) -Wl,-Bstatic \
	$(filter-out -lpthread -ldl -lrt -lm,$(shell pkg-config --static \
	--libs $(STATIC_PKGS))) -Wl,-Bdynamic -lpthread -ldl -lrt
endif
endif

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
	-Ibase -Iruntime -Isession -Iwidgets -Ikeymaps -Itui -Icli -I$(B)/gen \
	$(PKG_CFLAGS) $(CFLAGS)
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
	man install uninstall deb FORCE fuzz-build fuzz-check
all: $(B)/conmux man

# The version and the git revision, baked into the binary (cli/version.c).
# The header is rewritten only when they change, so a commit relinks
# nothing else. GIT_REV can be given when building outside a clone.
VERSION := 0.1.0
GIT_REV ?= $(shell git describe --always --dirty --exclude '*' 2>/dev/null || echo unknown)
$(B)/gen/version.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define CX_VERSION "%s"\n#define CX_GIT_REV "%s"\n' \
	    '$(VERSION)' '$(GIT_REV)' >$@.tmp
	@cmp -s $@.tmp $@ 2>/dev/null && rm -f $@.tmp || mv $@.tmp $@
$(B)/obj/cli/version.o: $(B)/gen/version.h
FORCE:

# Man pages from scdoc sources; skipped (with a note) when scdoc is missing,
# so a plain build needs nothing more. scripts/deps.sh installs scdoc.
MAN_SRC := $(wildcard man/*.scd)
MAN_OUT := $(patsubst man/%.scd,$(B)/man/%,$(MAN_SRC))
SCDOC := $(shell command -v scdoc 2>/dev/null)
ifneq ($(SCDOC),)
man: $(MAN_OUT)
else
man:
	@echo "note: scdoc not found, man pages not built (sh scripts/deps.sh)"
endif
$(B)/man/%: man/%.scd
	@mkdir -p $(dir $@)
	$(SCDOC) <$< >$@.tmp && mv $@.tmp $@

# make install [PREFIX=/usr/local] [DESTDIR=stage]. Nothing installed is
# baked with PREFIX: --rm's exit command is /proc/self/exe at run time and
# the keymap and conmux.conf are found through XDG_CONFIG_HOME, so a staged
# tree works where it is and where it lands.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
DOCDIR ?= $(DATADIR)/doc/conmux
# Where each shell looks (Debian's zsh: ZSHDIR=/usr/share/zsh/vendor-completions).
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHDIR ?= $(DATADIR)/zsh/site-functions
FISHDIR ?= $(DATADIR)/fish/vendor_completions.d
INSTALL ?= install
INSTALLED := $(BINDIR)/conmux \
	$(foreach m,$(MAN_OUT),$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m))) \
	$(BASHCOMPDIR)/conmux $(ZSHDIR)/_conmux $(FISHDIR)/conmux.fish \
	$(DOCDIR)/keys.example $(DOCDIR)/conmux.conf.example $(DOCDIR)/README.md

install: $(B)/conmux man
	@test -n "$(SCDOC)" || { echo "install: scdoc is needed for the man pages (sh scripts/deps.sh)"; exit 1; }
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DOCDIR) \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHDIR) $(DESTDIR)$(FISHDIR)
	$(INSTALL) -m 755 $(B)/conmux $(DESTDIR)$(BINDIR)/conmux
	for m in $(MAN_OUT); do \
	    s=$${m##*.}; $(INSTALL) -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; \
	done
	$(INSTALL) -m 644 completions/conmux.bash $(DESTDIR)$(BASHCOMPDIR)/conmux
	$(INSTALL) -m 644 completions/_conmux $(DESTDIR)$(ZSHDIR)/_conmux
	$(INSTALL) -m 644 completions/conmux.fish $(DESTDIR)$(FISHDIR)/conmux.fish
	$(INSTALL) -m 644 keymaps/keys.example $(DESTDIR)$(DOCDIR)/keys.example
	$(INSTALL) -m 644 cli/conmux.conf.example $(DESTDIR)$(DOCDIR)/conmux.conf.example
	$(INSTALL) -m 644 README.md $(DESTDIR)$(DOCDIR)/README.md

# Removes exactly what install put there, then the directories of ours
# that are left empty (never a shared one such as bin/).
uninstall:
	rm -f $(foreach f,$(INSTALLED),$(DESTDIR)$(f))
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

# A .deb from a staged install (dpkg-deb, no debian/ tree): build/dyn/deb/.
# A distribution's package links its libraries dynamically, so that their
# security updates reach it: built apart, in $(B)/dyn.
deb:
	@$(MAKE) --no-print-directory B=$(B)/dyn LINK=dynamic $(B)/dyn/conmux
	@LINK=dynamic B=$(B)/dyn sh scripts/deb.sh $(VERSION)

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

# libFuzzer targets (clang, ASan+UBSan): every parser of outside input
# (conmux.conf's too).
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
	    -Iwidgets -Ikeymaps -Itui -Icli $(PKG_CFLAGS) \
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
