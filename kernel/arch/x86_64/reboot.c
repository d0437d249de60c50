/*
 * reboot.c — leaving the machine: poweroff, reset, and QEMU's test exit
 * (see kestrel/reboot.h).
 *
 * Poweroff is ACPI's S5 (drivers/acpi/sleep.c); a PC has no other
 * standard way.  Reset tries, in order, what works on more and more
 * machines, each given half a second:
 *
 *  1. the ACPI reset register from the FADT (ACPI 6.5 §4.8.3.6) — on
 *     QEMU's q35 the chipset's Reset Control register, I/O port 0xcf9;
 *  2. the 8042 keyboard controller: command 0xfe written to its command
 *     port 0x64 pulses output-port bit 0, the CPU's reset line (IBM PC AT
 *     Technical Reference, "Keyboard Controller"); the controller must
 *     have room for the command first (status port 0x64, bit 1 "input
 *     buffer full" clear);
 *  3. a triple fault: with an empty IDT, any exception cannot be
 *     delivered, the double fault cannot either, and the CPU shuts down
 *     (Intel SDM vol. 3A §6.15, interrupt 8), which a PC turns into a
 *     reset.
 *
 * The isa-debug-exit device sits at I/O port 0xf4 when QEMU is started
 * with `-device isa-debug-exit,iobase=0xf4,iosize=0x04` (scripts/kqemu.py
 * does so for tests).
 */
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/processor.h>
#include <kestrel/acpi.h>
#include <kestrel/cmdline.h>
#include <kestrel/errno.h>
#include <kestrel/printk.h>
#include <kestrel/reboot.h>
#include <kestrel/string.h>

#define DEBUG_EXIT_PORT	0xf4
#define KBC_STATUS	0x64	/* read: status */
#define KBC_COMMAND	0x64	/* write: command */
#define KBC_STATUS_IBF	0x02	/* input buffer full: not ready for a command */
#define KBC_PULSE_RESET	0xfe	/* pulse output-port bit 0 (the reset line) */

enum test_exit { TEST_EXIT_DEBUG, TEST_EXIT_POWEROFF, TEST_EXIT_REBOOT };
static enum test_exit test_exit_mode = TEST_EXIT_DEBUG;

static int param_test_exit(const char *value)
{
	if (strcmp(value, "poweroff") == 0)
		test_exit_mode = TEST_EXIT_POWEROFF;
	else if (strcmp(value, "reboot") == 0)
		test_exit_mode = TEST_EXIT_REBOOT;
	else if (strcmp(value, "debug-exit") == 0)
		test_exit_mode = TEST_EXIT_DEBUG;
	else
		return -EINVAL;
	return 0;
}
KERNEL_PARAM("ktest.exit", param_test_exit);

void machine_test_exit(unsigned int code)
{
	if (code != EXIT_PANIC && test_exit_mode == TEST_EXIT_POWEROFF)
		machine_power_off();
	if (code != EXIT_PANIC && test_exit_mode == TEST_EXIT_REBOOT)
		machine_restart();
	outl(DEBUG_EXIT_PORT, code);
	arch_halt_forever();
}

void machine_power_off(void)
{
	int err;

	local_irq_disable();
	pr_emerg("reboot: Power down\n");
	err = acpi_power_off();
	pr_emerg("reboot: ACPI poweroff failed (%s); halting\n",
		 err == -ENODEV ? "no FADT or no \\_S5" : "still running");
	arch_halt_forever();
}

void machine_halt(void)
{
	local_irq_disable();
	pr_emerg("reboot: System halted\n");
	arch_halt_forever();
}

/* Reset through the 8042 keyboard controller (step 2 above). */
static void kbc_reset(void)
{
	unsigned int i;

	for (i = 0; i < 100000 && (inb(KBC_STATUS) & KBC_STATUS_IBF); i++)
		cpu_relax();
	outb(KBC_COMMAND, KBC_PULSE_RESET);
	for (i = 0; i < 500000; i++)	/* about half a second of port reads */
		inb(0x80);
}

/* An empty IDT: the next exception is a triple fault (step 3 above). */
static __noreturn void triple_fault(void)
{
	struct desc_ptr empty = { 0, 0 };

	__asm__ __volatile__("lidt %0; int3" : : "m"(empty) : "memory");
	arch_halt_forever();
}

void machine_restart(void)
{
	local_irq_disable();
	pr_emerg("reboot: Restarting system\n");
	if (acpi_reset() == -ENODEV)
		pr_emerg("reboot: no ACPI reset register; trying the keyboard controller\n");
	kbc_reset();
	pr_emerg("reboot: the keyboard controller did not reset; triple fault\n");
	triple_fault();
}
