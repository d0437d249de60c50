/*
 * reboot.c — leaving QEMU (see kestrel/reboot.h).
 *
 * The isa-debug-exit device sits at I/O port 0xf4 when QEMU is started
 * with `-device isa-debug-exit,iobase=0xf4,iosize=0x04` (scripts/kqemu.py
 * does so for tests).  ACPI poweroff comes with lab 4.
 */
#include <asm/io.h>
#include <asm/processor.h>
#include <kestrel/reboot.h>

#define DEBUG_EXIT_PORT	0xf4

void machine_test_exit(unsigned int code)
{
	outl(DEBUG_EXIT_PORT, code);
	arch_halt_forever();
}
