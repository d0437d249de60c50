/*
 * segv — a program that does something fatal, chosen by its argument, so
 * that the grader can check the kernel's report and that the kernel
 * survives it:
 *
 *	null     write to address 0            SIGSEGV, "segfault at 0"
 *	kernel   read a kernel address         SIGSEGV (a user access to the kernel half)
 *	exec     jump to a non-executable page SIGSEGV
 *	ud2      an invalid instruction        SIGILL
 *	div0     integer division by zero      SIGFPE
 *
 * Run as init, its death ends the boot: "init (pid 1) killed by …".
 * It prints "segv: about to <what>" first, so the grader knows the
 * program ran up to the fault.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile int zero;
static char data_page[64];

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "null";

	printf("segv: about to %s\n", what);
	fflush(stdout);
	if (!strcmp(what, "null"))
		*(volatile int *)0 = 1;
	else if (!strcmp(what, "kernel"))
		(void)*(volatile char *)0xffffffff80000000UL;
	else if (!strcmp(what, "exec"))
		((void (*)(void))data_page)();
	else if (!strcmp(what, "ud2"))
		__asm__ volatile("ud2");
	else if (!strcmp(what, "div0"))
		printf("%d\n", 100 / zero);	/* not 1/x: GCC computes that without dividing */
	printf("segv: still alive after %s\n", what);
	return 1;
}
