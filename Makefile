# fanout: a parallel job runner.  `make` builds ./fanout; `make test` runs
# the suite once per mode; `make check` runs it under sanitizers.

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
TESTS	?= tests

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

test: fanout build/fault.so
	@command -v $(BATS) >/dev/null || { echo "make test needs bats (bats-core): apt-get install bats" >&2; exit 1; }
	@set -e; for m in $(MODES); do \
		echo "== mode $$m"; \
		FANOUT_MODE=$$m FANOUT=$(CURDIR)/fanout $(BATS) $(TESTS); \
	done

# Warnings as errors; the suite under ASan+UBSan in every mode, and under
# TSan in thread mode.
check: check-headers build/fault.so
	$(MAKE) clean-sanitized
	$(MAKE) fanout-asan fanout-tsan fanout-poll
	@set -e; for m in $(MODES); do \
		echo "== mode $$m (ASan+UBSan)"; \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99 \
		FANOUT_MODE=$$m FANOUT=$(CURDIR)/fanout-asan $(BATS) $(TESTS); \
	done
	@echo "== mode thread (TSan)"; \
	TSAN_OPTIONS=halt_on_error=1:exitcode=99 \
	FANOUT_MODE=thread FANOUT=$(CURDIR)/fanout-tsan $(BATS) $(TESTS)
	@echo "== mode async (poll backend)"; \
	FANOUT_MODE=async FANOUT=$(CURDIR)/fanout-poll $(BATS) $(TESTS)

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

clean-sanitized:
	rm -f fanout-asan fanout-tsan fanout-poll

bench: fanout
	@bench/run

install: fanout
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 fanout $(DESTDIR)$(BINDIR)/fanout
	install -m 644 man/fanout.1 $(DESTDIR)$(MANDIR)/man1/fanout.1
	install -m 644 completions/fanout.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/fanout
	install -m 644 completions/_fanout \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_fanout
	install -m 644 completions/fanout.fish \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/fanout.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fanout $(DESTDIR)$(MANDIR)/man1/fanout.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/fanout \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_fanout \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/fanout.fish

clean:
	rm -rf build fanout fanout-asan fanout-tsan fanout-poll

.PHONY: FORCE all test check check-headers clean-sanitized bench install uninstall clean
