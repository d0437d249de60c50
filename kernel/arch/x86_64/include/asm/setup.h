/*
 * asm/setup.h — arch hooks start_kernel calls (init/main.c).
 */
#ifndef ASM_SETUP_H
#define ASM_SETUP_H

/**
 * arch_trap_init - make CPU exceptions reportable on the boot CPU: load
 * its GDT and TSS (with the IST stacks) and the IDT.  After this, any fault
 * prints an oops instead of resetting the machine.
 */
void arch_trap_init(void);

#endif
