# fanout: a parallel job runner.  `make` builds ./fanout; `make test` runs
# the unit tests and the suite in every mode; `make check` runs it under
# sanitizers and each fuzz harness briefly; `make fuzz` builds the
# libFuzzer harnesses.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DESTDIR	?=

CC	?= cc
CFLAGS	?= -O2 -g
WARN	 = -std=c17 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wwrite-strings -Wformat=2 -Wvla
CPPFLAGS += -D_GNU_SOURCE -DFANOUT_HAVE_THREAD -DFANOUT_HAVE_PROCESS
LDLIBS	+= -lpthread

# The event loop's backend: epoll (Linux) or poll (any POSIX system).
LOOP	?= epoll
SRCS	 = $(filter-out src/loop_%.c,$(wildcard src/*.c)) src/loop_$(LOOP).c
OBJS	 = $(SRCS:src/%.c=build/%.o)
HDRS	 = $(wildcard src/*.h)

MODES	 = process thread async
BATS	?= bats

all: fanout

fanout: $(OBJS) build/loop
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

# Names the backend the objects were linked with, so that changing LOOP
# relinks.
build/loop: FORCE | build
	@echo '$(LOOP)' | cmp -s - $@ || echo '$(LOOP)' >$@

build/%.o: src/%.c $(HDRS) Makefile | build
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

build:
	mkdir -p build

# A test-only LD_PRELOAD library that makes chosen libc calls fail.
build/fault.so: tests/fault.c Makefile | build
	$(CC) -std=gnu17 -Wall -Wextra -Werror $(CPPFLAGS) -O2 -fPIC -shared \
		-o $@ $< -ldl

# The suite.  Files whose tests do not depend on the mode (option
# parsing, the docs, the examples; t1000 loops over the modes itself) run
# once, in ONCE_MODE; every other file runs in every mode.  The C unit
# tests (tests/unit/NAME_test.c) run first.  With GNU parallel installed,
# bats runs BATS_JOBS files at once.
ONCE_MODE = thread
ONCE_TESTS = $(addprefix tests/,t0100-options.bats t0105-numbers.bats \
	     t0110-docs.bats t0120-examples.bats t0130-completions.bats \
	     t0140-deps.bats t0960-semaphore.bats t1000-modes.bats)
MODE_TESTS = $(filter-out $(ONCE_TESTS),$(wildcard tests/*.bats))
UNIT_TESTS = $(patsubst tests/unit/%_test.c,build/unit_%, \
	     $(wildcard tests/unit/*_test.c))
BATS_JOBS ?= $(if $(shell command -v parallel),2,1)
BATS_FLAGS = --jobs $(BATS_JOBS) --no-parallelize-within-files
# GNU parallel's answers, asked once for all the runs of the suite
# (gnu_parallel in tests/helper.bash): make test starts afresh, make
# check keeps what a make test before it asked.
GNU_CACHE = $(CURDIR)/build/gnu-cache
export FANOUT_GNU_CACHE = $(GNU_CACHE)

build/unit_%: tests/unit/%_test.c $(filter-out build/main.o,$(OBJS)) \
    $(HDRS) tests/unit/check.h Makefile
	$(CC) $(WARN) $(CPPFLAGS) -iquote src $(CFLAGS) $(LDFLAGS) -o $@ $< \
		$(filter-out build/main.o,$(OBJS)) $(LDLIBS)

# The engine conformance test: every executor through the same script.
build/conform: tests/conform.c $(filter-out build/main.o,$(OBJS)) $(HDRS) \
    Makefile | build
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -iquote src -o $@ \
		tests/conform.c $(filter-out build/main.o,$(OBJS)) $(LDLIBS)

# $(call suite,BINARY): the suite in mode $$m against BINARY, every
# file but those of ONCE_TESTS, which run in ONCE_MODE only.
suite = files="$(MODE_TESTS)"; \
	[ $$m != $(ONCE_MODE) ] || files="$$files $(ONCE_TESTS)"; \
	FANOUT_MODE=$$m FANOUT_BIN=$(CURDIR)/$(1) $(BATS) $(BATS_FLAGS) $$files

test: fanout build/fault.so build/conform $(UNIT_TESTS)
	@sh tests/deps test
	@set -e; for u in $(UNIT_TESTS); do $$u; done
	build/conform $(CURDIR)/build/fault.so
	@rm -rf $(GNU_CACHE)
	@set -e; for m in $(MODES); do \
		echo "== mode $$m"; \
		$(call suite,fanout); \
	done

# Warnings as errors; the suite under ASan+UBSan in every mode, and the
# files that depend on the mode under TSan in thread mode and against
# the poll backend in async mode.
check: check-headers check-layers build/fault.so fuzz-smoke
	$(MAKE) clean-sanitized
	$(MAKE) fanout-asan fanout-tsan fanout-poll
	@set -e; \
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99; \
	export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99; \
	for m in $(MODES); do \
		echo "== mode $$m (ASan+UBSan)"; \
		$(call suite,fanout-asan); \
	done
	@echo "== mode thread (TSan)"; \
	TSAN_OPTIONS=halt_on_error=1:exitcode=99 \
	FANOUT_MODE=thread FANOUT_BIN=$(CURDIR)/fanout-tsan $(BATS) $(BATS_FLAGS) \
		$(MODE_TESTS)
	@echo "== mode async (poll backend)"; \
	FANOUT_MODE=async FANOUT_BIN=$(CURDIR)/fanout-poll $(BATS) $(BATS_FLAGS) \
		$(MODE_TESTS)

fanout-asan: $(SRCS) $(HDRS) Makefile
	$(CC) $(WARN) -Werror $(CPPFLAGS) -O1 -g -fno-omit-frame-pointer \
		-fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-o $@ $(SRCS) $(LDLIBS)

fanout-tsan: $(SRCS) $(HDRS) Makefile
	$(CC) $(WARN) -Werror $(CPPFLAGS) -O1 -g -fsanitize=thread \
		-o $@ $(SRCS) $(LDLIBS)

# What a system without epoll and pidfds (the BSDs, macOS) runs: the poll
# backend, and exits found by waitpid.
fanout-poll: $(SRCS) $(HDRS) Makefile
	$(CC) $(WARN) -Werror $(CPPFLAGS) -DFANOUT_NO_PIDFD $(CFLAGS) -o $@ \
		$(filter-out src/loop_%.c,$(SRCS)) src/loop_poll.c $(LDLIBS)

check-headers:
	@set -e; for h in $(HDRS); do \
		echo "#include \"$$h\"" | $(CC) $(WARN) -Werror $(CPPFLAGS) \
			-fsyntax-only -x c - ; \
	done

# No file includes a module above its own (src/README.md, Layer order).
check-layers:
	@sh scripts/check-layers src

clean-sanitized:
	rm -f fanout-asan fanout-tsan fanout-poll

bench: fanout
	@bench/run

# libFuzzer harnesses, one per parser that takes a user's bytes:
# fuzz/fuzz_NAME.c becomes build/fuzz_NAME, its seeds in fuzz/corpus/NAME.
# The modules are built again with the fuzzer's coverage and sanitizers.
FUZZ_CC	?= clang
FUZZ_NAMES = $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_BINS = $(FUZZ_NAMES:%=build/fuzz_%)
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_FLAGS = $(WARN) -Wno-format-nonliteral -Werror $(CPPFLAGS) -O1 -g \
	     -fno-omit-frame-pointer
FUZZ_OBJS = $(filter-out build/fuzz-obj/main.o, \
	    $(SRCS:src/%.c=build/fuzz-obj/%.o))
FUZZ_TIME ?= 20
.SECONDARY: $(FUZZ_OBJS) build/fuzz-obj/shell.o

fuzz: fuzz-cc $(FUZZ_BINS)

fuzz-cc:
	@command -v $(FUZZ_CC) >/dev/null || { \
		echo "make fuzz needs clang: apt-get install clang" >&2; \
		exit 1; }

build/fuzz-obj/%.o: src/%.c $(HDRS) Makefile | fuzz-cc
	@mkdir -p build/fuzz-obj
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) \
		-c -o $@ $<

build/fuzz-obj/shell.o: fuzz/shell.c fuzz/shell.h Makefile | fuzz-cc
	@mkdir -p build/fuzz-obj
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_SAN) -c -o $@ $<

build/fuzz_%: fuzz/fuzz_%.c $(FUZZ_OBJS) build/fuzz-obj/shell.o \
    fuzz/shell.h $(HDRS) Makefile | fuzz-cc
	$(FUZZ_CC) $(FUZZ_FLAGS) -iquote src -iquote fuzz -fsanitize=fuzzer \
		$(FUZZ_SAN) \
		-o $@ $< $(FUZZ_OBJS) build/fuzz-obj/shell.o $(LDLIBS)

# Each harness for FUZZ_TIME seconds on its seeds; what it finds goes to
# build/fuzz-crash/, new inputs to a scratch copy of the corpus.
fuzz-smoke: fuzz
	@set -e; for n in $(FUZZ_NAMES); do \
		echo "== fuzz $$n ($(FUZZ_TIME) s)"; \
		rm -rf build/fuzz-run/$$n; \
		mkdir -p build/fuzz-run/$$n build/fuzz-crash; \
		build/fuzz_$$n -max_total_time=$(FUZZ_TIME) -print_final_stats=1 \
			-artifact_prefix=build/fuzz-crash/$$n- \
			build/fuzz-run/$$n fuzz/corpus/$$n \
			2>build/fuzz-run/$$n.log || \
			{ tail -n 40 build/fuzz-run/$$n.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' \
			build/fuzz-run/$$n.log | tail -n 2; \
	done

install: fanout
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 fanout $(DESTDIR)$(BINDIR)/fanout
	ln -sf fanout $(DESTDIR)$(BINDIR)/sem
	install -m 644 man/fanout.1 $(DESTDIR)$(MANDIR)/man1/fanout.1
	install -m 644 completions/fanout.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/fanout
	install -m 644 completions/_fanout \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_fanout
	install -m 644 completions/fanout.fish \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/fanout.fish

uninstall:
	if [ "$$(readlink $(DESTDIR)$(BINDIR)/sem)" = fanout ]; then \
		rm -f $(DESTDIR)$(BINDIR)/sem; fi
	rm -f $(DESTDIR)$(BINDIR)/fanout $(DESTDIR)$(MANDIR)/man1/fanout.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/fanout \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_fanout \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/fanout.fish

clean:
	rm -rf build fanout fanout-asan fanout-tsan fanout-poll

.PHONY: FORCE all test check check-headers check-layers clean-sanitized bench \
	install uninstall \
	clean fuzz fuzz-cc fuzz-smoke
