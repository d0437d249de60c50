/*
 * 8250.c — the 16550 UART on COM1, as the kernel console.
 *
 * The PC's serial port is a National Semiconductor 16550 (an 8250 with a
 * FIFO) at I/O port 0x3f8.  QEMU connects it to its -serial backend, which
 * `make qemu` attaches to your terminal.  This driver only transmits, by
 * polling: it waits until the transmit holding register is empty and
 * writes one byte.  Lab 4 adds receiving by interrupt.
 *
 * Registers (offsets from the base port; PC16550D data sheet, table II):
 *	0 THR/RBR  transmit / receive (DLL when LCR.DLAB = 1)
 *	1 IER      interrupt enable   (DLM when LCR.DLAB = 1)
 *	2 FCR      FIFO control (write)
 *	3 LCR      line control: word length, stop bits, parity, DLAB (bit 7)
 *	4 MCR      modem control: DTR, RTS, OUT2
 *	5 LSR      line status: bit 5 THRE, transmit holding register empty
 */
#include <asm/io.h>
#include <kestrel/printk.h>
#include <kestrel/serial.h>

#define COM1		0x3f8
#define UART_THR	0
#define UART_DLL	0
#define UART_IER	1
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5

#define LCR_8N1		0x03		/* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB	0x80		/* divisor latch access */
#define FCR_ENABLE	0x07		/* enable FIFOs, clear both */
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_THRE	0x20
#define UART_CLOCK_DIV	1		/* 115200 / 115200: the divisor */

static void serial_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THRE))
		;
	outb(COM1 + UART_THR, c);
}

static void serial_console_write(struct console *con, const char *s,
				 size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_console_write,
};

void serial_console_init(void)
{
	outb(COM1 + UART_IER, 0);		/* no interrupts yet */
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DLL, UART_CLOCK_DIV & 0xff);
	outb(COM1 + UART_DLM, UART_CLOCK_DIV >> 8);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, FCR_ENABLE);
	outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
	register_console(&serial_console);
}
