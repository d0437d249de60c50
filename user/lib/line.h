/*
 * line.h — one line of output in one write(2), for the KTAP reporter and
 * the benchmark frame (user/lib/): lines from a parent and a child, or
 * from the kernel on the same console, never interleave inside a line.
 */
#ifndef KESTREL_USER_LINE_H
#define KESTREL_USER_LINE_H

/**
 * put_line - format like printf, add '\n', write the line to standard
 * output with as few write(2) calls as it takes (one, unless the kernel
 * writes short).  A line longer than 510 bytes is cut; a write error ends
 * the line silently.
 */
void put_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
