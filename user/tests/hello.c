/*
 * hello — the first user program (lab 6): a static musl executable that
 * writes one line and exits with status 0.  Running it needs the ELF
 * loader, the initial stack with its auxiliary vector, and the system calls
 * of musl's start-up and stdio: arch_prctl(ARCH_SET_FS) for TLS,
 * set_tid_address, ioctl(TIOCGWINSZ) on stdout (an error is fine), writev
 * and exit_group.
 */
#include <stdio.h>

int main(void)
{
	puts("hello from user space");
	return 0;
}
