/*
 * kestrel/serial.h — the serial port driver (drivers/serial/).
 *
 * Output is polled (it must work in an oops with interrupts off); input
 * arrives by interrupt into a ring buffer that readers drain with
 * serial_read_byte(): the console echo loop until user space exists,
 * the tty layer (serial_set_receiver) once a program opens the console.
 */
#ifndef KESTREL_SERIAL_H
#define KESTREL_SERIAL_H

#include <kestrel/compiler.h>
#include <kestrel/types.h>

/**
 * serial_console_init - program the first serial port (x86: the 16550 at
 * COM1, I/O port 0x3f8) for 115200 baud, 8 data bits, no parity, 1 stop
 * bit, and register it as a console.  Call first thing at boot; needs no
 * memory allocation and no interrupts.
 * Source: National Semiconductor PC16550D data sheet, "Register
 * description" (the registers and the divisor latch).
 */
void serial_console_init(void);

/**
 * serial_irq_init - receive by interrupt: request the port's IRQ (COM1:
 * ISA IRQ 4) and enable its received-data interrupt.  Prints how input
 * arrives.  Returns 0 or the error of request_irq() (then there is no
 * input).  Call after irq_init(), process context.
 */
int serial_irq_init(void);

struct serial_struct;

/**
 * serial_describe - fill @ss with what TIOCGSERIAL reports about the port
 * behind ttyS0: UART type, line 0, I/O port, IRQ, FIFO size, base baud
 * (uapi/linux/serial.h).  Never fails; any context.
 */
void serial_describe(struct serial_struct *ss);

/** serial_rx_ready - true when received bytes arrive by interrupt. */
bool serial_rx_ready(void);

/**
 * serial_read_byte - the oldest received byte not yet read (0–255), or
 * -1 when there is none.  Never waits.  Context: any.
 */
int serial_read_byte(void);

/**
 * serial_wait_readable - sleep until a received byte is available, on a
 * wait queue the receive interrupt wakes.  Called from the idle task (the
 * console loop before lab 5 gives it a thread), it halts the CPU between
 * interrupts instead.  May sleep; call with interrupts on.
 */
void serial_wait_readable(void);

/**
 * serial_rx_pending - bytes have been received and not read yet.
 * serial_rx_waitqueue - the wait queue the receive interrupt wakes: the
 * console's read and poll (lab 8) sleep on it.  Context: any.
 */
struct wait_queue_head;
bool serial_rx_pending(void);
struct wait_queue_head *serial_rx_waitqueue(void);

/**
 * serial_set_receiver - from now on the receive interrupt calls
 * @receiver (with interrupts off) after filling the ring buffer, instead
 * of waking serial_wait_readable's sleepers; @receiver drains the ring
 * with serial_read_byte.  It is called once at once for the bytes
 * already there.  The tty layer (lab 9, drivers/tty/serial_tty.c) calls
 * this when ttyS0 is first opened.  Process context.
 */
void serial_set_receiver(void (*receiver)(void));

/** serial_write - send @len raw bytes (no "\n" translation), polled. */
void serial_write(const char *buf, size_t len);

/** serial_rx_dropped - bytes lost because the ring buffer was full. */
u64 serial_rx_dropped(void);

/**
 * console_echo_loop - until user space exists, the console's program (the
 * end of start_kernel in lab 4, a kernel thread from lab 5 on): print `Kestrel: type here, characters echo (Ctrl-A x quits QEMU)` and
 * echo every byte typed on the serial console (CR → CRLF, backspace and
 * DEL erase), halting between keys.  Without a receive interrupt (lab 4
 * not done) it says `console input is off` and halts.  Never returns.
 */
void console_echo_loop(void) __noreturn;

#endif
