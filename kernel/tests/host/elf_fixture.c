/* elf_fixture.c — the program elf_test reads (host.mk builds it with
 * musl-gcc, static and static-PIE).  Its code does not matter; it has
 * data, bss and TLS so every kind of segment is present. */
#include <stdio.h>

static _Thread_local int tls_counter = 7;
static int bss_array[1024];

int main(int argc, char **argv)
{
	bss_array[argc] = tls_counter++;
	printf("%s %d\n", argv[0], bss_array[argc]);
	return 0;
}
