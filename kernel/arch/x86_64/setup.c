/*
 * setup.c — the x86_64 side of early start-up.
 */
#include <asm/desc.h>
#include <asm/setup.h>

void arch_trap_init(void)
{
	gdt_init_cpu(0);
	idt_init();
	idt_load();
}
