/*
 * echo.c — the console's only program until user space exists: echo
 * what is typed (kestrel/serial.h).
 *
 * In lab 4 start_kernel ends here; from lab 5 on the loop runs in the
 * kernel thread "console" (init/main.c).  It is the smallest consumer of
 * serial input — the interrupt handler fills the ring buffer, this loop
 * drains it — and a visible check that interrupts work end to end:
 *
 *	key ─> UART ─IRQ 4─> I/O APIC ─vector─> local APIC ─> do_irq
 *	    ─> serial_rx_interrupt ─> ring buffer ─> serial_read_byte ─> here
 *
 * Editing is the terminal's minimum: Enter (CR) becomes CR LF; backspace
 * (0x08) and DEL (0x7f, what most terminals send for the backspace key)
 * erase the last character of the line with "\b \b", never past the
 * start of the line; other control characters are shown as ^X.
 *
 * Between keys it sleeps in serial_wait_readable() until the receive
 * interrupt wakes it.  The loop keeps all of its state in locals,
 * so it runs unchanged as a kernel thread.
 */
#include <kestrel/irqflags.h>
#include <kestrel/printk.h>
#include <kestrel/serial.h>

#define KEY_BACKSPACE	0x08
#define KEY_DEL		0x7f

/* Echo one byte; @column counts the characters on the current line. */
static void echo_byte(int c, unsigned int *column)
{
	char ctl[2] = { '^', 0 };

	if (c == '\r' || c == '\n') {
		serial_write("\r\n", 2);
		*column = 0;
	} else if (c == KEY_BACKSPACE || c == KEY_DEL) {
		if (*column) {
			serial_write("\b \b", 3);
			(*column)--;
		}
	} else if (c < 0x20) {
		ctl[1] = c + '@';
		serial_write(ctl, 2);
		*column += 2;
	} else {
		ctl[0] = c;
		serial_write(ctl, 1);
		(*column)++;
	}
}

void console_echo_loop(void)
{
	unsigned int column = 0;
	int c;

	if (!serial_rx_ready()) {
		pr_notice("Kestrel: no serial receive interrupt (lab 4): console input is off\n");
		for (;;)
			safe_halt();
	}
	pr_notice("Kestrel: type here, characters echo (Ctrl-A x quits QEMU)\n");
	for (;;) {
		c = serial_read_byte();
		if (c < 0)
			serial_wait_readable();
		else
			echo_byte(c, &column);
	}
}
