# kernel/core: printk, panic, command line, ktest, kallsyms.
obj-y += kernel/core/printk.o
obj-y += kernel/core/panic.o
obj-y += kernel/core/cmdline.o
obj-y += kernel/core/ktest.o
obj-y += kernel/core/kallsyms.o
obj-y += kernel/core/oops_ktest.o
# Lab 6: the generic system call path and random bytes.
obj-y += kernel/core/entry.o
obj-y += kernel/core/random.o
# syslog(2): the kernel log for dmesg (lab 13 surface).
obj-y += kernel/core/syslog.o
