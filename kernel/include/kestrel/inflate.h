/*
 * kestrel/inflate.h — decompressing DEFLATE data and gzip files
 * (kernel/lib/inflate.c), for gzip-compressed initramfs archives.
 *
 * DEFLATE (RFC 1951) is a sequence of blocks, each stored, or coded with
 * the fixed Huffman codes, or with codes described at the start of the
 * block; a coded block is literals and (length, distance) copies from
 * the 32 KiB of output before it.  gzip (RFC 1952) wraps one DEFLATE
 * stream in a header (magic 1f 8b, method 8, flags, optional name and
 * comment) and a trailer: the CRC-32 and the length of the data.  A gzip
 * file may hold several members back to back; gunzip() decodes one.
 *
 * Nothing here allocates: the caller gives the output buffer and a
 * struct inflate_work (about 130 KiB: the decoding tables — allocate it,
 * never put it on a stack).  Every length in the input is checked; bad
 * data is -EINVAL (or -EBADMSG for a CRC or length mismatch), never a
 * read or write outside the buffers.  The host tests compare the output
 * with zlib's on many inputs (kernel/tests/host/inflate_test.c).
 */
#ifndef KESTREL_INFLATE_H
#define KESTREL_INFLATE_H

#include <kestrel/types.h>

#define INFLATE_TABLE_BITS	15	/* the longest Huffman code */

/**
 * struct inflate_work - decoding tables: for each tree, one entry per
 * 15-bit input pattern: (symbol << 4) | code length, 0 for no code
 */
struct inflate_work {
	u16 litlen[1 << INFLATE_TABLE_BITS];
	u16 dist[1 << INFLATE_TABLE_BITS];
};

/**
 * inflate - decode the raw DEFLATE stream at @in (@in_len bytes) into
 * @out (room for @out_cap bytes).  Returns 0 and sets *@in_used (bytes
 * of input the stream took, up to the byte holding its last bit) and
 * *@out_len; -EINVAL for malformed data or input that ends too soon,
 * -ENOSPC when the output does not fit.
 */
int inflate(const u8 *in, size_t in_len, size_t *in_used, u8 *out,
	    size_t out_cap, size_t *out_len, struct inflate_work *w);

/**
 * gunzip - decode the gzip member at @in: its header, its stream, and
 * its trailer, which must match (CRC-32 and ISIZE, else -EBADMSG).
 * Returns as inflate(); *@in_used includes header and trailer.  -EINVAL
 * also for a bad magic, a method other than 8, or reserved flags.
 */
int gunzip(const u8 *in, size_t in_len, size_t *in_used, u8 *out,
	   size_t out_cap, size_t *out_len, struct inflate_work *w);

/** crc32_le - the CRC-32 of gzip and zlib (polynomial 0xedb88320,
 *  reflected), continuing from @crc (0 to start). */
u32 crc32_le(u32 crc, const u8 *p, size_t len);

#endif
