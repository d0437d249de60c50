/*
 * kestrel/reboot.h — ending the machine.
 *
 * Four ways out:
 *
 *  - machine_power_off(): ACPI soft off (S5, drivers/acpi/sleep.c) — what
 *    `poweroff` does; QEMU exits with status 0.
 *  - machine_restart(): the FADT's reset register, else the keyboard
 *    controller's reset line, else a triple fault — what `reboot` does;
 *    with `-no-reboot` QEMU exits (status 0) instead of rebooting.
 *  - machine_halt(): stop with the machine on — what `halt` does.
 *  - machine_test_exit(): under test, QEMU runs with an isa-debug-exit
 *    device: writing a value V to its port ends QEMU with exit status
 *    (V << 1) | 1 (QEMU hw/misc/debugexit.c documents the rule).  Graders
 *    read the status: that is how a test run ends at once instead of
 *    waiting for a deadline.  On a machine without the device the write
 *    does nothing and the CPU halts.
 *
 * `ktest.exit=poweroff` (or `=reboot`) on the command line makes the end
 * of a ktest run leave through machine_power_off() (machine_restart())
 * instead of isa-debug-exit, so that a grader can check those paths; a
 * panic still uses isa-debug-exit.
 */
#ifndef KESTREL_REBOOT_H
#define KESTREL_REBOOT_H

#include <kestrel/compiler.h>

#define EXIT_TESTS_PASSED	0x10	/* QEMU exit status 33 */
#define EXIT_TESTS_FAILED	0x11	/* status 35 */
#define EXIT_PANIC		0x12	/* status 37 */

/**
 * machine_test_exit - end QEMU with @code (one of EXIT_*) through
 * isa-debug-exit (or, for the two test results, the way ktest.exit= says);
 * if that does not end the machine, halt this CPU forever.
 */
void machine_test_exit(unsigned int code) __noreturn;

/**
 * machine_power_off - turn the machine off (ACPI S5).  Prints
 * `reboot: Power down`.  If ACPI cannot do it, says so and halts.
 * Interrupts are disabled first; never returns.
 */
void machine_power_off(void) __noreturn;

/**
 * machine_restart - reset the machine: the ACPI reset register, then the
 * keyboard controller (port 0x64, command 0xfe), then a triple fault.
 * Prints `reboot: Restarting system`.  Never returns.
 */
void machine_restart(void) __noreturn;

/**
 * machine_halt - stop the machine without turning it off: interrupts
 * disabled, the CPU halted (one CPU until SMP), the console left as it
 * is (reboot(2)'s LINUX_REBOOT_CMD_HALT).  Prints `reboot: System
 * halted`.  Never returns.
 */
void machine_halt(void) __noreturn;

#endif
