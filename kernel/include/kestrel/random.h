/*
 * kestrel/random.h — random bytes for the kernel and for getrandom(2)
 * (kernel/core/random.c).
 */
#ifndef KESTREL_RANDOM_H
#define KESTREL_RANDOM_H

#include <kestrel/types.h>

/**
 * get_random_bytes - fill @buf with @len random bytes: the CPU's RDRAND
 * when it has one, mixed into a ChaCha-style generator seeded from the
 * time stamp counter and the real-time clock.  Good enough for AT_RANDOM
 * (the C library's stack canary) and getrandom(2) in a teaching kernel;
 * not a vetted cryptographic generator.  Context: any.
 */
void get_random_bytes(void *buf, size_t len);

#endif
