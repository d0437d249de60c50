/*
 * kestrel/gfp.h — "get free pages" flags: how an allocation may be served.
 *
 * Every allocator entry point (alloc_pages, kmalloc, kmem_cache_alloc)
 * takes a gfp_t.  The names are Linux's (include/linux/gfp_types.h), the
 * values our own.  Kestrel's allocators never sleep and never reclaim: an
 * allocation either succeeds at once or returns NULL, so GFP_KERNEL and
 * GFP_ATOMIC behave the same today and differ only in what the caller
 * promises (GFP_KERNEL: "I could sleep"; a later lab may make use of it).
 *
 * Zones (docs/physical-memory.md): ZONE_DMA32 holds the RAM below 4 GiB,
 * for devices that can only address 32 bits (DMA engines with 32-bit
 * address registers); ZONE_NORMAL holds the rest.  A plain allocation
 * tries ZONE_NORMAL first and falls back to ZONE_DMA32; __GFP_DMA32 asks
 * for ZONE_DMA32 only.
 */
#ifndef KESTREL_GFP_H
#define KESTREL_GFP_H

typedef unsigned int gfp_t;

#define __GFP_ZERO	0x1u	/* fill the memory with zero bytes */
#define __GFP_DMA32	0x2u	/* physical address below 4 GiB (ZONE_DMA32) */

#define GFP_KERNEL	0x0u	/* ordinary kernel allocation */
#define GFP_ATOMIC	0x0u	/* where sleeping is not allowed (same today) */
#define GFP_DMA32	__GFP_DMA32

#endif
