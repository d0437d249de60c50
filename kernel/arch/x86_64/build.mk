# kernel/arch/x86_64: boot stub, descriptor tables, traps, boot information.
obj-y += kernel/arch/x86_64/boot/head.o
obj-y += kernel/arch/x86_64/entry.o
obj-y += kernel/arch/x86_64/gdt.o
obj-y += kernel/arch/x86_64/idt.o
obj-y += kernel/arch/x86_64/traps.o
obj-y += kernel/arch/x86_64/dumpregs.o
obj-y += kernel/arch/x86_64/stacktrace.o
obj-y += kernel/arch/x86_64/bootinfo.o
obj-y += kernel/arch/x86_64/percpu.o
obj-y += kernel/arch/x86_64/reboot.o
obj-y += kernel/arch/x86_64/setup.o
# Lab 3: page tables, page faults and the exception table (kernel/arch/x86_64/mm/).
obj-y += kernel/arch/x86_64/mm/init.o
obj-y += kernel/arch/x86_64/mm/pgtable.o
obj-y += kernel/arch/x86_64/mm/fault.o
obj-y += kernel/arch/x86_64/mm/extable.o
obj-y += kernel/arch/x86_64/mm/probe.o
obj-y += kernel/arch/x86_64/mm/vmm_ktest.o
obj-y += kernel/arch/x86_64/mm/pgtable_ktest.o
