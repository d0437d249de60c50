/*
 * kestrel/types.h — the kernel's basic types.
 *
 * The sized integers come from the compiler's own freestanding headers
 * (<stdint.h>, <stddef.h>, <stdbool.h>), so this header also compiles on the
 * host, where the host unit tests include kernel sources.  Linux's short
 * names (u8 … u64, s8 … s64) are used throughout the kernel.
 */
#ifndef KESTREL_TYPES_H
#define KESTREL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef uint64_t phys_addr_t;	/* a physical address, bytes */
typedef long ssize_t;

#endif
