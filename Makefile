# Kestrel — the one entry point: build, run, debug, grade, test.
#
#   make qemu         boot through GRUB to a busybox shell on this terminal
#                     (`poweroff` or Ctrl-A x ends it); make qemu-pvh: by PVH
#   make test         everything CI runs: host tests, graders, stage checks
#   make grade        grade every lab of this tree (LAB=N for one lab)
#   make grade-busybox  busybox commands on Kestrel against the host's Linux (ONLY=…)
#   make qemu-gdb     boot stopped, with a gdb stub; then `make gdb` in another terminal
#   make doctor       print tool versions and what is missing
#   make bench-linux  benchmarks on Debian's Linux under the same QEMU (docs/performance.md)
#
# Variables: ARCH (x86_64), SOL (highest lab whose solution is compiled in),
# BUILDDIR (where output goes; always under build/), KVM=1 (opt-in).
# The build is non-recursive: every kernel folder has a build.mk that adds
# its objects to obj-y.

ARCH     ?= x86_64
-include lab.mk
SOL      ?= 99
BUILDDIR ?= build/$(ARCH)
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

ifneq ($(ARCH),x86_64)
$(error ARCH=$(ARCH) is not supported yet; the aarch64 port comes later)
endif

CC       := gcc
LD       := ld
OBJCOPY  := objcopy
NM       := nm
OBJDUMP  := objdump
PYTHON   := python3

# Freestanding, no SSE/x87 (the kernel does not save FPU state), no red zone
# (interrupts push onto the current stack), kernel code model (the image
# lives in the top 2 GiB), frame pointers for the backtrace walker.
KCFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdinc \
	-fno-pic -fno-pie -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-mno-sse -mno-mmx -mno-80387 -fno-stack-protector -fno-omit-frame-pointer \
	-fno-optimize-sibling-calls -fno-shrink-wrap -fno-asynchronous-unwind-tables -fcf-protection=none \
	-fno-strict-aliasing -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla \
	-isystem $(shell $(CC) -print-file-name=include) \
	-Ikernel/include -Ikernel/arch/$(ARCH)/include \
	-DSOL=$(SOL) -MMD -MP
KASFLAGS := $(filter-out -std=gnu11 -Wstrict-prototypes -Wmissing-prototypes,$(KCFLAGS)) -D__ASSEMBLY__
KLDFLAGS := -nostdlib -static -n -z max-page-size=0x1000 --no-warn-rwx-segments \
	-T kernel/arch/$(ARCH)/kernel.ld

obj-y :=
include $(wildcard kernel/*/build.mk kernel/arch/$(ARCH)/build.mk)
KOBJS := $(addprefix $(BUILDDIR)/,$(obj-y))
KERNEL := $(BUILDDIR)/kernel.elf
ISO    := $(BUILDDIR)/kestrel.iso
ROOTFS := $(BUILDDIR)/rootfs.cpio.gz

.PHONY: all kernel iso qemu qemu-pvh qemu-gdb gdb grade grade-gdb grade-busybox test host-test \
	check-stages student-repo doctor setup clean bench bench-linux bench-compare
.DEFAULT_GOAL := all
all: kernel

setup:
	$(Q)scripts/setup build

# --- the kernel -------------------------------------------------------------
kernel: $(KERNEL)

$(BUILDDIR)/%.o: %.c $(BUILDDIR)/.flags
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILDDIR)/%.o: %.S $(BUILDDIR)/.flags
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

# Rebuild everything when SOL or the flags change.
$(BUILDDIR)/.flags: FORCE
	@mkdir -p $(BUILDDIR)
	@echo '$(KCFLAGS)' | cmp -s - $@ || echo '$(KCFLAGS)' > $@

# Relink when an object is added to or removed from a build.mk.
$(BUILDDIR)/.objs: FORCE
	@mkdir -p $(BUILDDIR)
	@echo '$(KOBJS)' | cmp -s - $@ || echo '$(KOBJS)' > $@

# Two-pass link: the first image gives the addresses of every function, from
# which scripts/kallsyms writes the symbol table the backtrace reads; the
# table sits after all code, so the second link moves no function.  The
# build checks that claim.
$(BUILDDIR)/kernel.pass1: $(KOBJS) $(BUILDDIR)/kallsyms0.o kernel/arch/$(ARCH)/kernel.ld $(BUILDDIR)/.objs
	@echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILDDIR)/kallsyms0.o

$(BUILDDIR)/kallsyms0.S: scripts/kallsyms
	@mkdir -p $(dir $@)
	$(Q)scripts/kallsyms /dev/null > $@

$(BUILDDIR)/kallsyms.S: $(BUILDDIR)/kernel.pass1 scripts/kallsyms
	@echo "  KSYM    $@"
	$(Q)$(NM) -n $< | scripts/kallsyms - > $@

$(BUILDDIR)/kallsyms%.o: $(BUILDDIR)/kallsyms%.S
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@
$(BUILDDIR)/kallsyms.o: $(BUILDDIR)/kallsyms.S
	$(Q)$(CC) $(KASFLAGS) -c $< -o $@

$(KERNEL): $(BUILDDIR)/kernel.pass1 $(BUILDDIR)/kallsyms.o
	@echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(BUILDDIR)/kallsyms.o
	$(Q)$(NM) -n $(BUILDDIR)/kernel.pass1 | grep -i ' t ' > $(BUILDDIR)/text.pass1
	$(Q)$(NM) -n $@ | grep -i ' t ' > $(BUILDDIR)/text.pass2
	$(Q)cmp -s $(BUILDDIR)/text.pass1 $(BUILDDIR)/text.pass2 || \
		{ echo "kallsyms: second link moved code; see kernel.ld" >&2; rm -f $@; exit 1; }
	$(Q)$(NM) -n $@ > $(BUILDDIR)/kernel.sym
	$(Q)$(OBJDUMP) -d -S --no-show-raw-insn $@ > $(BUILDDIR)/kernel.asm

# --- running ----------------------------------------------------------------
iso: $(ISO)
$(ISO): $(KERNEL) $(ROOTFS) scripts/mkiso
	$(Q)scripts/setup build
	@echo "  ISO     $@"
	$(Q)scripts/mkiso $(KERNEL) $@ $(ROOTFS)

# The GRUB path, as a student boots it: the kernel and the busybox root file
# system (make rootfs) as a multiboot2 module; `poweroff` at the shell ends it.
qemu: $(ISO)
	$(Q)scripts/setup run
	$(Q)scripts/qemu --iso $(ISO)

# PVH direct boot of the same kernel and root file system, with a command
# line of your choice: make qemu-pvh CMDLINE="ktest=all"
qemu-pvh: $(KERNEL) $(ROOTFS)
	$(Q)scripts/setup run
	$(Q)scripts/qemu --kernel $(KERNEL) --initrd $(ROOTFS) --append "$(CMDLINE)" || [ $$? -eq 33 ]

qemu-gdb: $(ISO)
	$(Q)scripts/setup run
	$(Q)scripts/qemu --iso $(ISO) --gdb $(BUILDDIR)

gdb: $(KERNEL)
	$(Q)scripts/setup debug
	$(Q)test -f $(BUILDDIR)/gdbinit || { echo "gdb: run 'make qemu-gdb' in another terminal first" >&2; exit 1; }
	$(Q)gdb-multiarch -q -x $(BUILDDIR)/gdbinit

# --- grading and tests ------------------------------------------------------
grade: $(KERNEL) $(ISO)
	$(Q)scripts/setup grade
	$(Q)KESTREL_BUILD=$(BUILDDIR) $(PYTHON) grade/run.py $(if $(LAB),--lab $(LAB))

# The busybox acceptance suite (grade/busybox.py): Kestrel against the host's
# busybox, command by command; ONLY=files or ONLY=files.cp-a,text.awk-sum.
grade-busybox: $(KERNEL)
	$(Q)scripts/setup grade
	$(Q)KESTREL_BUILD=$(BUILDDIR) $(PYTHON) grade/busybox.py $(if $(ONLY),--only $(ONLY)) $(if $(filter 1,$(V)),-v)

grade-gdb: $(KERNEL) $(ISO)
	$(Q)scripts/setup grade
	$(Q)KESTREL_BUILD=$(BUILDDIR) $(PYTHON) grade/run.py --gdb "$(TEST)"

include kernel/tests/host/host.mk
include user/build.mk

ifdef LAB_CURRENT
# A student tree (lab.mk says which lab): the stage machinery stays with
# the instructors.
test: host-test grade

check-stages student-repo:
	@echo "make $@: an instructor target; this is the student tree for lab $(LAB_CURRENT)" >&2
	@exit 1
else
test: host-test grade grade-busybox check-stages

check-stages:
	$(Q)scripts/setup stages
	$(Q)scripts/check-stages

student-repo:
	$(Q)scripts/setup stages
	$(Q)scripts/student-repo $(OUT) $(if $(SOLVED),--solved $(SOLVED))
endif

# --- benchmarks (docs/performance.md); RUNS=N, BOOTS=N, ONLY=a,b ----------------
BENCH_ARGS = --build $(BUILDDIR) $(if $(RUNS),--runs $(RUNS)) \
	$(if $(BOOTS),--boots $(BOOTS)) $(if $(ONLY),--only $(ONLY))

bench: $(KERNEL) $(ROOTFS)
	$(Q)scripts/bench --kernel kestrel $(BENCH_ARGS)

bench-linux: $(ROOTFS)
	$(Q)scripts/bench --kernel linux $(BENCH_ARGS)

bench-compare: $(KERNEL) $(ROOTFS)
	$(Q)scripts/bench --kernel both $(BENCH_ARGS)

doctor:
	$(Q)scripts/setup doctor

clean:
	rm -rf build

FORCE:

-include $(KOBJS:.o=.d)
