# rosfw: RouterOS firewall scripts on Linux nftables.
#
#   make              build build/rosfw
#   make check        every test: unit, corpus, golden, fuzz smoke, and the
#                     same suites again under ASan+UBSan
#   make demo         the main job on a built-in example
#   make bench        speed and memory against the peer, same run
#   make install      PREFIX=/usr/local DESTDIR=
#   make clean

CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
PKG_CONFIG ?= pkg-config

CSTD     := -std=c11 -D_GNU_SOURCE
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers
CFLAGS   ?= -O2 -g
SAN      ?=
ifeq ($(SAN),1)
CFLAGS   := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=address,undefined
endif
INCLUDES := -Ilib -Igrammar -Icompiler -Iruntime -I$(BUILD)/gen
NL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libnftnl libmnl libnetfilter_conntrack 2>/dev/null)
LDLIBS   += $(shell $(PKG_CONFIG) --libs libnftnl libmnl libnetfilter_conntrack 2>/dev/null) -lresolv -pthread
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(INCLUDES) $(NL_CFLAGS)

# `make V=1` shows the commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

LIB_SRC      := lib/arena.c lib/diag.c lib/safefile.c lib/source.c lib/text.c lib/xalloc.c
GRAMMAR_SRC  := grammar/ast.c
GEN_SRC      := $(BUILD)/gen/lexer.c $(BUILD)/gen/parser.c
COMPILER_SRC := compiler/props.c compiler/value.c compiler/vtype.c compiler/menu.c compiler/model.c \
                compiler/exec.c compiler/check.c compiler/dump.c compiler/ir.c \
                compiler/lower.c compiler/lower_rules.c compiler/lower_ct.c compiler/emit_text.c \
                compiler/emit_nl.c
CORE_SRC     := $(LIB_SRC) $(GRAMMAR_SRC) $(COMPILER_SRC)
ROSFW_SRC    := runtime/main.c runtime/config.c runtime/nlsock.c runtime/apply.c runtime/state.c runtime/snapshot.c runtime/confirm.c runtime/print.c runtime/print_fmt.c runtime/connection.c runtime/ctsysctl.c runtime/addrlist.c runtime/elemdump.c runtime/dynstate.c runtime/metrics.c runtime/http.c runtime/keeper.c runtime/trust.c runtime/resolve.c runtime/dns.c

CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/obj/%.o) $(GEN_SRC:$(BUILD)/gen/%.c=$(BUILD)/obj/gen/%.o)
ROSFW_OBJ := $(ROSFW_SRC:%.c=$(BUILD)/obj/%.o)
# rosfwd shares every runtime module but rosfw's command table.
ROSFWD_OBJ := $(filter-out $(BUILD)/obj/runtime/main.o,$(ROSFW_OBJ)) $(BUILD)/obj/runtime/rosfwd.o

UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

.PHONY: all check unit corpus corpus-compile golden kernel behaviour apply-test print-test cli-test fuzz-smoke asan-check demo bench install clean deps
.SUFFIXES:

all: $(BUILD)/rosfw $(BUILD)/rosfwd

$(BUILD)/gen/lexer.c $(BUILD)/gen/lexer.h: grammar/lexer.l | $(BUILD)/gen/parser.h
	@mkdir -p $(@D)
	$(call say,FLEX,$<)
	$(Q)flex --header-file=$(BUILD)/gen/lexer.h -o $(BUILD)/gen/lexer.c $<

$(BUILD)/gen/parser.c $(BUILD)/gen/parser.h: grammar/parser.y
	@mkdir -p $(@D)
	$(call say,BISON,$<)
	$(Q)bison -Wall -Werror -d -o $(BUILD)/gen/parser.c $<

# Generated code is not ours to tidy; it is held to the same warnings less
# the few flex and bison cannot avoid.
$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c $(BUILD)/gen/parser.h $(BUILD)/gen/lexer.h
	@mkdir -p $(@D)
	$(call say,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-unused-function -Wno-sign-compare -Wno-missing-prototypes -Wno-shadow -MMD -c -o $@ $<

$(BUILD)/obj/%.o: %.c $(BUILD)/gen/parser.h $(BUILD)/gen/lexer.h
	@mkdir -p $(@D)
	$(call say,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -c -o $@ $<

$(BUILD)/librosfw.a: $(CORE_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/rosfw: $(ROSFW_OBJ) $(BUILD)/librosfw.a
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/rosfwd: $(ROSFWD_OBJ) $(BUILD)/librosfw.a
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/librosfw.a
	@mkdir -p $(@D)
	$(call say,LD,$@)
	@mkdir -p $(BUILD)/obj/tests
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -MMD -MF $(BUILD)/obj/tests/$*.d -MT $@ $(LDFLAGS) -o $@ $< $(BUILD)/librosfw.a $$($(PKG_CONFIG) --libs cmocka) $(LDLIBS)

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
	@tests/apply/netlink.sh $(BUILD)/rosfw
	@tests/apply/conntrack.sh $(BUILD)/rosfw
	@tests/apply/addrlist.sh $(BUILD)/rosfw
	@tests/apply/rosfwd.sh $(BUILD)/rosfw
	@tests/apply/rosfwdload.sh $(BUILD)/rosfw
	@tests/apply/dns.sh $(BUILD)/rosfw
	@tests/apply/dnsttl.sh $(BUILD)/rosfw

print-test: $(BUILD)/rosfw
	@tests/print/run.sh $(BUILD)/rosfw

cli-test: $(BUILD)/rosfw
	@tests/cli/run.sh $(BUILD)/rosfw

fuzz-smoke:
	@tests/fuzz-smoke.sh

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

install: $(BUILD)/rosfw $(BUILD)/rosfwd
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BUILD)/rosfw $(DESTDIR)$(PREFIX)/bin/rosfw
	install -m 0755 $(BUILD)/rosfwd $(DESTDIR)$(PREFIX)/bin/rosfwd

clean:
	rm -rf build
