# kernel/signal: signals (lab 9; kestrel/signal.h, docs/signals.md) —
# sending and pending sets, delivery and default actions, the system calls,
# alarm and the interval timers.  The frame and rt_sigreturn are the
# arch's (arch/x86_64/signal.c, listed here so the arch fragment stays small).
obj-y += kernel/signal/signal.o
obj-y += kernel/signal/deliver.o
obj-y += kernel/signal/syscalls.o
obj-y += kernel/signal/itimer.o
obj-y += kernel/arch/$(ARCH)/signal.o
