/*
 * line.c — put_line (line.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "line.h"

void put_line(const char *fmt, ...)
{
	char line[512];
	va_list args;
	int len;

	va_start(args, fmt);
	len = vsnprintf(line, sizeof(line) - 1, fmt, args);
	va_end(args);
	if (len < 0)
		return;
	if (len > (int)sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	for (int done = 0; done < len;) {
		ssize_t w = write(STDOUT_FILENO, line + done, len - done);

		if (w <= 0)
			return;
		done += w;
	}
}
