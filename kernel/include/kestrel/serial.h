/*
 * kestrel/serial.h — the serial port driver (drivers/serial/).
 */
#ifndef KESTREL_SERIAL_H
#define KESTREL_SERIAL_H

/**
 * serial_console_init - program the first serial port (x86: the 16550 at
 * COM1, I/O port 0x3f8) for 115200 baud, 8 data bits, no parity, 1 stop
 * bit, and register it as a console.  Call first thing at boot; needs no
 * memory allocation and no interrupts.
 * Source: National Semiconductor PC16550D data sheet, "Register
 * description" (the registers and the divisor latch).
 */
void serial_console_init(void);

#endif
