# rosfw: RouterOS firewall scripts on Linux nftables.
#
#   make              build build/rosfw
#   make check        every test: unit, corpus, golden, fuzz smoke, and the
#                     same suites again under ASan+UBSan
#   make demo         the main job on a built-in example
#   make bench        speed and memory against the peer, same run
#   make install      PREFIX=/usr/local DESTDIR= (programs, man pages,
#                     bash completion, systemd unit, example interface map)
#   make clean

CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
# The one place the version lives: RELEASE, and the commit where this is a
# clone (build/gen/version.h, rewritten only when it changes).
RELEASE  := 0.14
GIT_REV  := $(shell git describe --always --dirty 2>/dev/null)
VERSION  ?= $(RELEASE)$(if $(GIT_REV), (git $(GIT_REV)))
BUILD    ?= build
PKG_CONFIG ?= pkg-config

CSTD     := -std=c11 -D_GNU_SOURCE
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers
SAN      ?=
# SAN=1 adds the sanitizers to the user's CFLAGS and LDFLAGS (from the
# environment or the command line), never in their place.
ifeq ($(SAN),1)
CFLAGS   ?= -O1 -g
SAN_CFLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_LDFLAGS := -fsanitize=address,undefined
else
CFLAGS   ?= -O2 -g
endif
INCLUDES := -Ilib -Igrammar -Icompiler -Iruntime -Ihelpers -I$(BUILD)/gen
NL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libnftnl libmnl libnetfilter_conntrack 2>/dev/null)
LDLIBS   += $(shell $(PKG_CONFIG) --libs libnftnl libmnl libnetfilter_conntrack 2>/dev/null) -lresolv -pthread
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(SAN_CFLAGS) $(INCLUDES) $(NL_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SAN_LDFLAGS)

# `make V=1` shows the commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

LIB_SRC      := lib/arena.c lib/diag.c lib/lcs.c lib/safefile.c lib/source.c lib/text.c lib/xalloc.c
GRAMMAR_SRC  := grammar/ast.c
GEN_SRC      := $(BUILD)/gen/lexer.c $(BUILD)/gen/parser.c
COMPILER_SRC := compiler/ifmap.c compiler/ifname.c compiler/props.c compiler/value.c compiler/vtype.c compiler/menu.c compiler/model.c \
                compiler/exec.c compiler/check.c compiler/service.c compiler/dump.c compiler/ir.c \
                compiler/ir_check.c compiler/kname.c compiler/lower.c compiler/lower_rules.c compiler/lower_ct.c compiler/emit_text.c \
                compiler/lower_service.c compiler/script_value.c compiler/script_expr.c compiler/script_run.c \
                compiler/script_cmds.c compiler/script_menu.c compiler/routes.c compiler/lower_psd.c compiler/lower_bridge.c compiler/lower_inspect.c \
                compiler/emit_nl.c compiler/emit_nl_set.c compiler/emit_nl_rule.c compiler/emit_nl_expr.c compiler/merge.c compiler/emit_nl_incr.c
CORE_SRC     := $(LIB_SRC) $(GRAMMAR_SRC) $(COMPILER_SRC)
# Every runtime module but the two mains (runtime/main.c: rosfw's command
# table; runtime/rosfwd.c): librosfw-runtime.a, which both programs and the
# unit tests link.
RUNTIME_SRC  := runtime/config.c runtime/nlsock.c runtime/kread.c runtime/apply.c runtime/state.c runtime/diff.c runtime/changes.c runtime/snapshot.c runtime/confirm.c runtime/print.c runtime/print_fmt.c runtime/connection.c runtime/ctsysctl.c runtime/links.c runtime/ifcheck.c runtime/forwarding.c runtime/addrlist.c runtime/dynstate.c runtime/metrics.c runtime/http.c runtime/keeper.c runtime/trust.c runtime/resolve.c runtime/dns.c
RUNTIME_SRC  += runtime/incr.c runtime/stmtidx.c runtime/editrec.c runtime/editpath.c runtime/record.c runtime/routing.c runtime/gwcheck.c runtime/inspectconf.c
# The inspection helper's parsers and decision (helpers/), apart from its
# main: librosfw-inspect.a, which the helper and the unit tests link.
# lib/netns.c is here, not in librosfw.a: the helper and record.c (runtime)
# both name their per-namespace files with it, and librosfw.a comes first.
INSPECT_SRC  := helpers/tls_sni.c helpers/hostglob.c helpers/payload.c helpers/inspect.c helpers/flows.c helpers/pkt.c \
                lib/netns.c

CORE_OBJ    := $(CORE_SRC:%.c=$(BUILD)/obj/%.o) $(GEN_SRC:$(BUILD)/gen/%.c=$(BUILD)/obj/gen/%.o)
RUNTIME_OBJ := $(RUNTIME_SRC:%.c=$(BUILD)/obj/%.o)
INSPECT_OBJ := $(INSPECT_SRC:%.c=$(BUILD)/obj/%.o)
LIBS        := $(BUILD)/librosfw-runtime.a $(BUILD)/librosfw.a $(BUILD)/librosfw-inspect.a

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: FORCE all check unit fuzz-helpers corpus corpus-compile golden kernel behaviour apply-test print-test cli-test fuzz-smoke asan-check demo bench install clean deps
.SUFFIXES:

all: $(BUILD)/rosfw $(BUILD)/rosfwd $(BUILD)/rosfw-inspect

$(BUILD)/gen/lexer.c $(BUILD)/gen/lexer.h: grammar/lexer.l | $(BUILD)/gen/parser.h
	@mkdir -p $(@D)
	$(call say,FLEX,$<)
	$(Q)flex --header-file=$(BUILD)/gen/lexer.h -o $(BUILD)/gen/lexer.c $<

$(BUILD)/gen/parser.c $(BUILD)/gen/parser.h: grammar/parser.y
	@mkdir -p $(@D)
	$(call say,BISON,$<)
	$(Q)bison -Wall -Werror -d -o $(BUILD)/gen/parser.c $<

# Generated code is not ours to tidy; it is held to the same warnings less
# the few flex and bison cannot avoid. The generated headers only have to
# exist before anything compiles (order-only): the objects that include
# them depend on them through their .d files, so a grammar edit rebuilds
# those, not every object.
$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c | $(BUILD)/gen/parser.h $(BUILD)/gen/lexer.h
	@mkdir -p $(@D)
	$(call say,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-unused-function -Wno-sign-compare -Wno-missing-prototypes -Wno-shadow -MMD -MP -c -o $@ $<

$(BUILD)/obj/%.o: %.c | $(BUILD)/gen/parser.h $(BUILD)/gen/lexer.h
	@mkdir -p $(@D)
	$(call say,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/librosfw.a: $(CORE_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/librosfw-runtime.a: $(RUNTIME_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/librosfw-inspect.a: $(INSPECT_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/gen/version.h: FORCE
	@mkdir -p $(@D)
	@printf '#define ROSFW_VERSION "%s"\n' '$(VERSION)' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/obj/runtime/main.o $(BUILD)/obj/runtime/rosfwd.o: $(BUILD)/gen/version.h

$(BUILD)/rosfw: $(BUILD)/obj/runtime/main.o $(LIBS)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/rosfwd: $(BUILD)/obj/runtime/rosfwd.o $(LIBS)
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# The inspection helper: libnetfilter_queue for the queue (its libmnl API).
$(BUILD)/rosfw-inspect: $(BUILD)/obj/helpers/rosfw-inspect.o $(BUILD)/librosfw-inspect.a
	$(call say,LD,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $$($(PKG_CONFIG) --libs libnetfilter_queue libmnl)

# A unit test is one driver linked with both libraries. A driver that
# replaces a collaborator names it in WRAP_<driver>, cmocka's way: every
# call to NAME from the libraries' objects goes to the driver's
# __wrap_NAME, which may call __real_NAME. Only calls between objects are
# redirected (a module's calls to its own functions are not): wrap what a
# module reaches in another file (nlsock_*, safefile_*) or in libc.
comma := ,
WRAP_test_trust := geteuid
WRAP_test_kread := nlsock_run
WRAP_test_state := nlsock_open nlsock_close kread_table kread_chains kread_objs kread_flowtables kread_sets \
	kread_elems kread_ranges
WRAP_test_snapshot := nlsock_open nlsock_close kread_table kread_chains kread_objs kread_sets kread_elems \
	kread_flowtables kread_rules mnl_socket_open mnl_socket_bind mnl_socket_get_fd mnl_socket_sendto mnl_socket_close
WRAP_test_confirm := snapshot_take snapshot_restore ct_sysctl_get ct_sysctl_set nlsock_admin_check trust_private \
	mkdir open opendir rename link unlink
WRAP_test_incr := trust_private trust_make_dir
WRAP_test_editrec := trust_private trust_make_dir
WRAP_test_addrlist := nlsock_open nlsock_close kread_set_get mnl_socket_sendto mnl_socket_recvfrom

$(BUILD)/tests/%: tests/unit/%.c $(LIBS)
	@mkdir -p $(@D)
	$(call say,LD,$@)
	@mkdir -p $(BUILD)/obj/tests
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -MMD -MP -MF $(BUILD)/obj/tests/$*.d -MT $@ $(ALL_LDFLAGS) -o $@ $< \
		$(patsubst %,-Wl$(comma)--wrap=%,$(WRAP_$*)) $(LIBS) $$($(PKG_CONFIG) --libs cmocka) $(LDLIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

deps:
	@tests/deps.sh

unit: $(UNIT_TESTS) $(BUILD)/rosfw
	@tests/run-unit.sh $(BUILD) $(UNIT_TESTS)

corpus: $(BUILD)/rosfw
	@tests/corpus/run.sh $(BUILD)/rosfw

corpus-compile: $(BUILD)/rosfw
	@tests/corpus/compile.sh $(BUILD)/rosfw

golden: $(BUILD)/rosfw
	@tests/golden/run.sh $(BUILD)/rosfw

kernel: $(BUILD)/rosfw
	@tests/kernel/run.sh $(BUILD)/rosfw

behaviour: $(BUILD)/rosfw
	@tests/behaviour/run.sh $(BUILD)/rosfw

apply-test: $(BUILD)/rosfw $(BUILD)/rosfwd
	@tests/apply/run.sh $(BUILD)/rosfw
	@tests/apply/state.sh $(BUILD)/rosfw
	@tests/apply/confirm.sh $(BUILD)/rosfw
	@tests/apply/nocap.sh $(BUILD)/rosfw
	@tests/apply/diff.sh $(BUILD)/rosfw
	@tests/apply/incremental.sh $(BUILD)/rosfw
	@tests/apply/incrkeep.sh $(BUILD)/rosfw
	@tests/apply/editrec.sh $(BUILD)/rosfw
	@tests/apply/editpath.sh $(BUILD)/rosfw
	@tests/apply/netlink.sh $(BUILD)/rosfw
	@tests/apply/bridgeport.sh $(BUILD)/rosfw
	@tests/apply/bridgefilter.sh $(BUILD)/rosfw
	@tests/apply/conntrack.sh $(BUILD)/rosfw
	@tests/apply/ifcheck.sh $(BUILD)/rosfw
	@tests/apply/routing.sh $(BUILD)/rosfw
	@tests/apply/addrlist.sh $(BUILD)/rosfw
	@tests/apply/rosfwd.sh $(BUILD)/rosfw
	@tests/apply/rosfwdloss.sh $(BUILD)/rosfw
	@tests/apply/rosfwdload.sh $(BUILD)/rosfw
	@tests/apply/dns.sh $(BUILD)/rosfw
	@tests/apply/dnsttl.sh $(BUILD)/rosfw

print-test: $(BUILD)/rosfw
	@tests/print/run.sh $(BUILD)/rosfw
	@tests/print/record.sh $(BUILD)/rosfw
	@tests/print/service.sh $(BUILD)/rosfw
	@tests/print/merged.sh $(BUILD)/rosfw

cli-test: $(BUILD)/rosfw $(BUILD)/rosfwd
	@tests/cli/run.sh $(BUILD)/rosfw
	@tests/cli/ifmap.sh $(BUILD)/rosfw
	@tests/cli/install.sh $(BUILD)/rosfw

fuzz-smoke:
	@tests/fuzz-smoke.sh

fuzz-helpers:
	@tests/fuzz-helpers.sh

asan-check:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 unit corpus

# The README's test command: everything, in a fresh clone, as root.
check: deps
	@$(MAKE) --no-print-directory all
	@tests/run-all.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@examples/demo.sh $(BUILD)/rosfw

bench: deps
	@$(MAKE) --no-print-directory all
	@bench/run.sh $(BUILD)

# Programs, man pages, bash completion and the unit under PREFIX (the
# unit's and the pages' paths rewritten to it); the example interface map
# in SYSCONFDIR/rosfw, where rosfw looks for the map itself.
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
UNITDIR    ?= $(PREFIX)/lib/systemd/system
COMPDIR    ?= $(PREFIX)/share/bash-completion/completions
SYSCONFDIR ?= /etc

install: $(BUILD)/rosfw $(BUILD)/rosfwd $(BUILD)/rosfw-inspect
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR) $(DESTDIR)$(COMPDIR) \
		$(DESTDIR)$(SYSCONFDIR)/rosfw
	install -m 0755 $(BUILD)/rosfw $(DESTDIR)$(BINDIR)/rosfw
	install -m 0755 $(BUILD)/rosfwd $(DESTDIR)$(BINDIR)/rosfwd
	install -m 0755 $(BUILD)/rosfw-inspect $(DESTDIR)$(BINDIR)/rosfw-inspect
	for p in rosfw rosfwd; do \
		sed -e 's|@VERSION@|$(RELEASE)|g' -e 's|/etc/rosfw/|$(SYSCONFDIR)/rosfw/|g' man/man8/$$p.8 > $(DESTDIR)$(MANDIR)/man8/$$p.8 && \
		chmod 0644 $(DESTDIR)$(MANDIR)/man8/$$p.8 || exit 1; \
	done
	sed -e 's|/usr/local/bin/|$(BINDIR)/|g' -e 's|/etc/rosfw/|$(SYSCONFDIR)/rosfw/|g' runtime/rosfwd.service \
		> $(DESTDIR)$(UNITDIR)/rosfwd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/rosfwd.service
	sed -e 's|/usr/local/bin/|$(BINDIR)/|g' helpers/rosfw-inspect.service > $(DESTDIR)$(UNITDIR)/rosfw-inspect.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/rosfw-inspect.service
	install -m 0644 runtime/rosfw.bash-completion $(DESTDIR)$(COMPDIR)/rosfw
	ln -sf rosfw $(DESTDIR)$(COMPDIR)/rosfwd
	install -m 0644 runtime/interfaces.example $(DESTDIR)$(SYSCONFDIR)/rosfw/interfaces.example

clean:
	rm -rf $(BUILD)
