# kernel/task: struct task, kernel stacks and pids, kernel threads (lab 5).
obj-y += kernel/task/task.o
obj-y += kernel/task/kthread.o
# Labs 6 and 7: processes — exec and the ELF loader, the first process,
# fork/clone, exit and wait, futexes, identity and limits.
obj-y += kernel/task/exec.o
obj-y += kernel/task/binfmt_elf.o
obj-y += kernel/task/init.o
obj-y += kernel/task/fork.o
obj-y += kernel/task/exit.o
obj-y += kernel/task/wait.o
obj-y += kernel/task/futex.o
obj-y += kernel/task/sys.o
obj-y += kernel/task/reboot.o
# The machine's names and the priorities busybox asks for (lab 13 surface).
obj-y += kernel/task/utsname.o
obj-y += kernel/task/priority.o
# Lab 9: process groups and sessions.
obj-y += kernel/task/pgrp.o
