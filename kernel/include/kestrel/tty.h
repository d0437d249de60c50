/*
 * kestrel/tty.h — the console as a file, until lab 9's tty layer
 * (kernel/drivers/tty/serial_tty.c).
 *
 * /dev/console (5:1), /dev/tty (5:0) and /dev/ttyS0 (4:64) are all the
 * serial port, driven by the smallest terminal that C libraries and
 * shells accept: "\n" becomes "\r\n" on output (termios ONLCR), typed
 * "\r" becomes "\n" and is echoed (ICRNL, ECHO), read returns a line or
 * whatever was typed, TIOCGWINSZ answers 80×24.  Lab 9 replaces it with
 * N_TTY line discipline and termios.
 */
#ifndef KESTREL_TTY_H
#define KESTREL_TTY_H

struct file;

/**
 * console_file - a struct file on the console that needs no file system:
 * descriptors 0, 1 and 2 of a process without a descriptor table (the
 * stages before lab 8's VFS).  It is never freed (its count never drops
 * to zero).
 */
struct file *console_file(void);

/** tty_console_init - register the console's character devices. */
void tty_console_init(void);

#endif
