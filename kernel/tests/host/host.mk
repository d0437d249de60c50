# kernel/tests/host/host.mk — tier-1 tests: kernel code run as host programs.
#
# Included by the top Makefile.  Every *_test.c here is one program built on
# Check (Debian's libcheck) and linked with the kernel sources it tests.
# Those sources are compiled for the host as the solved kernel (SOL=99),
# freestanding as in the kernel, and with every public name renamed to k_*
# by -D flags, so that they can neither clash with the C library's functions
# of the same name nor be replaced by them; a test declares the k_ names it
# calls and compares them with the C library.  The undefined-behaviour
# sanitizer stops a test at the first overflowing shift or signed overflow.
#
#   make host-test    build into $(BUILDDIR)/host/ and run every test;
#                     fails if any test failed
#
# scripts/setup must run (and may install check) before pkg-config is asked
# about check and before anything compiles, so host-test runs setup and then
# a second make that builds and runs the tests with ordinary dependencies.
# To add a test: write foo_test.c here, add foo_test to HOST_TESTS, and add
# the kernel file it needs to HOST_KSRCS and its names to HOST_RENAME.

HOST_DIR    := $(BUILDDIR)/host
HOST_TESTS  := vsnprintf_test string_test buddy_test elf_test cpio_test \
	inflate_test initramfs_test path_test n_tty_test lockrange_test
HOST_KSRCS  := kernel/lib/vsnprintf.c kernel/lib/string.c kernel/mm/buddy.c \
	kernel/lib/elf.c kernel/lib/cpio.c \
	kernel/lib/inflate.c kernel/fs/initramfs_parse.c kernel/fs/path.c \
	kernel/drivers/tty/n_tty_edit.c kernel/fs/lockrange.c
HOST_RENAME := vsnprintf snprintf memcpy memmove memset memcmp strlen strnlen \
	strcmp strncmp strchr strscpy \
	inflate gunzip crc32_le cpio_parse_header cpio_next_entry cpio_clean_name \
	path_component path_skip_slashes path_splice full_name_hash \
	lock_range_from_user lock_overlap lock_conflict lock_find_conflict lock_apply

HOST_BINS   := $(addprefix $(HOST_DIR)/,$(HOST_TESTS))
HOST_KOBJS  := $(addprefix $(HOST_DIR)/,$(HOST_KSRCS:.c=.o))

HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-fsanitize=undefined -fno-sanitize-recover=all -MMD -MP
HOST_KFLAGS := $(HOST_CFLAGS) -ffreestanding -fno-builtin \
	-Wno-unused-parameter -Wstrict-prototypes -Wmissing-prototypes -Wvla \
	-DSOL=99 -Ikernel/include \
	$(foreach f,$(HOST_RENAME),-D$(f)=k_$(f))

# Deferred (=), so that pkg-config runs only when a test is compiled or
# linked, after scripts/setup.
HOST_CHECK_CFLAGS = $(shell pkg-config --cflags check)
HOST_CHECK_LIBS   = $(shell pkg-config --libs check)

.PHONY: host-test-run
.SECONDARY: $(HOST_BINS:=.o) $(HOST_KOBJS)

host-test:
	$(Q)scripts/setup host
	$(Q)$(MAKE) --no-print-directory host-test-run

# Run them all, even after a failure, then fail if any did.
host-test-run: $(HOST_BINS)
	$(Q)failed=; for t in $(HOST_BINS); do \
		echo "  TEST    $$t"; $$t || failed="$$failed $${t##*/}"; \
	done; \
	if [ -n "$$failed" ]; then \
		echo "host-test: FAILED:$$failed" >&2; exit 1; \
	fi

$(HOST_DIR)/%_test: $(HOST_DIR)/%_test.o $(HOST_KOBJS)
	@echo "  LD      $@"
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $^ $(HOST_CHECK_LIBS)

$(HOST_DIR)/%_test.o: kernel/tests/host/%_test.c kernel/tests/host/host.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(CC) $(HOST_CFLAGS) $(HOST_CHECK_CFLAGS) -c $< -o $@

$(HOST_DIR)/kernel/%.o: kernel/%.c kernel/tests/host/host.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(CC) $(HOST_KFLAGS) -c $< -o $@

# buddy.c includes kernel/mm/internal.h, which reaches asm/ headers (they
# compile on an x86_64 host; nothing in buddy.c calls their inline asm).
# Its names (buddy_alloc, buddy_free, ...) clash with nothing in libc, so
# they are not renamed; buddy_test includes the same headers to get
# struct zone and struct page.
$(HOST_DIR)/kernel/mm/buddy.o: HOST_KFLAGS += -Ikernel/arch/$(ARCH)/include
$(HOST_DIR)/buddy_test.o: HOST_CFLAGS += -Ikernel/include \
	-Ikernel/arch/$(ARCH)/include -Ikernel/mm

# elf_test and cpio_test (lab 6) read inputs made here: two musl programs
# (static, and static PIE: the two kinds the kernel loads; the PIE's start
# files as user/build.mk gives them) and two cpio archives of one tree
# (kernel/tests/host/mkcpio-fixture).  They include kernel headers only.
HOST_FIXTURES := $(HOST_DIR)/fixtures
MUSL_LIBDIR   ?= /usr/lib/x86_64-linux-musl

$(HOST_DIR)/elf_test.o $(HOST_DIR)/cpio_test.o: HOST_CFLAGS += -Ikernel/include \
	-DFIXTURE_DIR='"$(abspath $(HOST_FIXTURES))"'
$(HOST_DIR)/elf_test: | $(HOST_FIXTURES)/hello-static $(HOST_FIXTURES)/hello-pie
$(HOST_DIR)/cpio_test: | $(HOST_FIXTURES)/tree-dot.cpio

$(HOST_FIXTURES)/hello-static: kernel/tests/host/elf_fixture.c
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $@"
	$(Q)musl-gcc -static -O2 -o $@ $<

$(HOST_FIXTURES)/hello-pie: kernel/tests/host/elf_fixture.c
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $@ (static-pie)"
	$(Q)musl-gcc -fPIE -O2 -c -o $@.o $<
	$(Q)musl-gcc -static-pie -nostartfiles -Wl,-static -Wl,--no-dynamic-linker \
		-o $@ $(MUSL_LIBDIR)/rcrt1.o $(MUSL_LIBDIR)/crti.o \
		$$(musl-gcc -print-file-name=crtbeginS.o) $@.o -lc -lgcc -lgcc_eh \
		$$(musl-gcc -print-file-name=crtendS.o) $(MUSL_LIBDIR)/crtn.o

$(HOST_FIXTURES)/tree-dot.cpio: kernel/tests/host/mkcpio-fixture
	@mkdir -p $(dir $@)
	@echo "  CPIO    $@"
	$(Q)kernel/tests/host/mkcpio-fixture $(HOST_FIXTURES)

# Lab 8: inflate_test compares the kernel's gzip decoder with zlib;
# initramfs_test walks the same archives as cpio_test; path_test and
# lockrange_test need nothing.  The kernel's names are renamed k_* (above), so inflate()
# and zlib's inflate() do not clash.
$(HOST_DIR)/inflate_test.o $(HOST_DIR)/path_test.o $(HOST_DIR)/lockrange_test.o: \
	HOST_CFLAGS += -Ikernel/include
$(HOST_DIR)/inflate_test: HOST_CHECK_LIBS += -lz
$(HOST_DIR)/initramfs_test.o: HOST_CFLAGS += -Ikernel/include \
	-DFIXTURE_DIR='"$(abspath $(HOST_FIXTURES))"'
$(HOST_DIR)/initramfs_test: | $(HOST_FIXTURES)/tree-dot.cpio

# Lab 9: n_tty_test types at N_TTY's editing core (n_tty_edit.c); its
# names (n_tty_*) clash with nothing in libc, so they are not renamed.
$(HOST_DIR)/n_tty_test.o: HOST_CFLAGS += -Ikernel/include

-include $(HOST_BINS:=.d) $(HOST_KOBJS:.o=.d)
