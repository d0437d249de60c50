/*
 * uapi/linux/serial.h — what TIOCGSERIAL reports about a serial port
 * (setserial(8), busybox's cttyhack): its UART type, line number, I/O
 * port and IRQ.  72 bytes on x86_64.  Source: Linux
 * include/uapi/linux/serial.h; ioctl_tty(2) is silent on it.
 */
#ifndef UAPI_LINUX_SERIAL_H
#define UAPI_LINUX_SERIAL_H

#define PORT_16550A	4	/* type: a 16550 with a working FIFO */
#define UPIO_PORT	0	/* io_type: x86 I/O ports */

struct serial_struct {
	int type;
	int line;			/* N of /dev/ttySN */
	unsigned int port;		/* I/O port base */
	int irq;
	int flags;
	int xmit_fifo_size;		/* bytes */
	int custom_divisor;
	int baud_base;			/* baud at divisor 1 */
	unsigned short close_delay;	/* hundredths of a second */
	char io_type;
	char reserved_char[1];
	int hub6;
	unsigned short closing_wait;	/* hundredths of a second */
	unsigned short closing_wait2;
	unsigned char *iomem_base;
	unsigned short iomem_reg_shift;
	unsigned int port_high;
	unsigned long iomap_base;
	int reserved[1];
};

#endif
