# user/build.mk — programs that run inside the guest, and the benchmark
# initramfs.  Included by the top Makefile.
#
#   make user            every user/tests/*.c and user/bench/*.c, as static
#                        musl programs in $(BUILDDIR)/user/tests/ and bench/
#   make rootfs          $(BUILDDIR)/rootfs.cpio.gz: the root file system
#                        `make qemu` boots (scripts/mkrootfs, rootfs/)
#   make bench-initramfs $(BUILDDIR)/bench/initramfs.cpio.gz: busybox, the
#                        benchmarks in /bench/ and user/bench/init.sh as /init
#                        (what `make bench` and `make bench-linux` boot)
#
# Each .c file is one program, compiled with Debian's musl-gcc (musl-tools)
# as C11 with -DSOL=$(SOL), so that lab guards work as in the kernel, and
# linked with libuser.a (user/lib/: the KTAP reporter of user tests, the
# benchmark frame).  A program whose name ends in -pie (foo-pie.c) is
# linked as a static PIE: one ELF of type ET_DYN with no interpreter, which
# relocates itself with musl's rcrt1.o.  Debian's musl-gcc does not know
# -static-pie (its specs always name Scrt1.o and a dynamic linker), so the
# start files are given by hand.
#
# Only user, bench-initramfs, the bench targets and test need musl; `make`
# (the kernel) does not.  `make test` builds user/, so a program that stops
# compiling fails CI; the programs do not run there yet.

USER_DIR      := $(BUILDDIR)/user
USER_CC       := musl-gcc
# _GNU_SOURCE: the Linux interfaces (vfork, sched_setaffinity, syscall) on
# top of C11.
USER_CFLAGS   := -std=c11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-DSOL=$(SOL) -Iuser/lib -MMD -MP
MUSL_LIBDIR   := /usr/lib/x86_64-linux-musl

USER_LIBSRCS  := $(wildcard user/lib/*.c)
USER_LIBOBJS  := $(patsubst user/%.c,$(USER_DIR)/%.o,$(USER_LIBSRCS))
USER_LIB      := $(USER_DIR)/lib/libuser.a

USER_SRCS     := $(wildcard user/tests/*.c user/bench/*.c)
USER_OBJS     := $(patsubst user/%.c,$(USER_DIR)/%.o,$(USER_SRCS))
USER_PROGS    := $(USER_OBJS:.o=)
USER_PIE      := $(filter %-pie,$(USER_PROGS))
USER_STATIC   := $(filter-out %-pie,$(USER_PROGS))
BENCH_PROGS   := $(filter $(USER_DIR)/bench/%,$(USER_PROGS))

BENCH_DIR     := $(BUILDDIR)/bench
BENCH_ROOT    := $(BENCH_DIR)/root
BENCH_INITRD  := $(BENCH_DIR)/initramfs.cpio.gz
# busybox applets /init uses, as links to /bin/busybox
BENCH_APPLETS := sh mount cat uname timeout poweroff sleep

ROOTFS_SKEL   := $(shell find rootfs -type f -o -type l 2>/dev/null)

.PHONY: user bench-initramfs rootfs
.SECONDARY: $(USER_OBJS) $(USER_LIBOBJS)

user: $(USER_PROGS)
bench-initramfs: $(BENCH_INITRD)
rootfs: $(ROOTFS)

# `make test` builds the user programs too (they do not run yet).
test: user

# scripts/setup runs on every build of user/ (it is fast when nothing is
# missing); the flags file rebuilds everything when SOL or the flags change.
$(USER_DIR)/.flags: FORCE
	$(Q)scripts/setup user
	@mkdir -p $(USER_DIR)
	@echo '$(USER_CC) $(USER_CFLAGS)' | cmp -s - $@ || echo '$(USER_CC) $(USER_CFLAGS)' > $@

# Library objects are position-independent, so that -pie programs can link
# them; that costs the static programs nothing measurable.
$(USER_LIBOBJS): USER_XFLAGS := -fPIE
$(filter %-pie.o,$(USER_OBJS)): USER_XFLAGS := -fPIE

$(USER_OBJS) $(USER_LIBOBJS): $(USER_DIR)/%.o: user/%.c $(USER_DIR)/.flags
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(USER_CC) $(USER_CFLAGS) $(USER_XFLAGS) -c $< -o $@

$(USER_LIB): $(USER_LIBOBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(USER_STATIC): %: %.o $(USER_LIB)
	@echo "  LD      $@"
	$(Q)$(USER_CC) -static -o $@ $< $(USER_LIB)

# The start files of a static PIE, in gcc's order: rcrt1 (relocates the
# program, then starts it), crti, crtbeginS, the program, the libraries,
# crtendS, crtn.
$(USER_PIE): %: %.o $(USER_LIB)
	@echo "  LD      $@ (static-pie)"
	$(Q)$(USER_CC) -static-pie -nostartfiles -Wl,-static -Wl,--no-dynamic-linker \
		-Wl,-z,text -o $@ $(MUSL_LIBDIR)/rcrt1.o $(MUSL_LIBDIR)/crti.o \
		$$($(USER_CC) -print-file-name=crtbeginS.o) $< $(USER_LIB) \
		-lc -lgcc -lgcc_eh $$($(USER_CC) -print-file-name=crtendS.o) \
		$(MUSL_LIBDIR)/crtn.o

# The root file system `make qemu` boots (scripts/mkrootfs; rootfs/README.md):
# rootfs/, Debian's static busybox with a link per applet, busybox init as
# /init, the test programs in /usr/libexec/kestrel/, the benchmarks in /bench/.

$(ROOTFS): $(ROOTFS_SKEL) $(USER_PROGS) user/bench/init.sh scripts/mkrootfs \
		scripts/mkinitramfs user/build.mk
	$(Q)scripts/setup user
	@echo "  ROOTFS  $@"
	$(Q)scripts/mkrootfs $@ $(USER_DIR)

# The benchmark initramfs: a fresh tree each time, packed by
# scripts/mkinitramfs (Debian's cpio, newc format, gzip).
$(BENCH_INITRD): $(BENCH_PROGS) user/bench/init.sh scripts/mkinitramfs user/build.mk
	@echo "  CPIO    $@"
	$(Q)rm -rf $(BENCH_ROOT)
	$(Q)mkdir -p $(addprefix $(BENCH_ROOT)/,bin bench dev proc sys tmp)
	$(Q)cp "$$(command -v busybox)" $(BENCH_ROOT)/bin/busybox
	$(Q)for a in $(BENCH_APPLETS); do ln -s busybox $(BENCH_ROOT)/bin/$$a; done
	$(Q)cp $(BENCH_PROGS) $(BENCH_ROOT)/bench/
	$(Q)cp user/bench/init.sh $(BENCH_ROOT)/init && chmod 755 $(BENCH_ROOT)/init
	$(Q)scripts/mkinitramfs $@ $(BENCH_ROOT)

-include $(USER_OBJS:.o=.d) $(USER_LIBOBJS:.o=.d)
