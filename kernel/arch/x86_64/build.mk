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
# Lab 5: the context switch and a new thread's first frame.
obj-y += kernel/arch/x86_64/switch.o
obj-y += kernel/arch/x86_64/process.o
# Lab 4: interrupt controllers, the local APIC timer, the TSC, ioremap.
obj-y += kernel/arch/x86_64/irq.o
obj-y += kernel/arch/x86_64/apic.o
obj-y += kernel/arch/x86_64/ioapic.o
obj-y += kernel/arch/x86_64/time.o
obj-y += kernel/arch/x86_64/mm/ioremap.o
obj-y += kernel/arch/x86_64/irq_ktest.o
# Labs 6 and 7: system calls (the table is generated from syscall.tbl by
# scripts/syscalltbl), user-memory access, user threads, FPU state, user
# page faults.
obj-y += kernel/arch/x86_64/syscall.o
obj-y += kernel/arch/x86_64/process_user.o
obj-y += kernel/arch/x86_64/fpu.o
obj-y += kernel/arch/x86_64/lib/usercopy.o
obj-y += kernel/arch/x86_64/mm/user_fault.o
obj-y += gen/syscall_table.o

$(BUILDDIR)/gen/syscall_table.c: kernel/arch/x86_64/syscall.tbl scripts/syscalltbl
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)scripts/syscalltbl $< > $@.tmp && mv $@.tmp $@

$(BUILDDIR)/gen/syscall_table.o: $(BUILDDIR)/gen/syscall_table.c $(BUILDDIR)/.flags
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@
# Lab 8: /proc/cpuinfo from CPUID.
obj-y += kernel/arch/x86_64/cpuinfo.o
