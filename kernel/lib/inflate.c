/*
 * inflate.c — a DEFLATE decoder (RFC 1951) and the gzip wrapper around
 * it (RFC 1952), for compressed initramfs archives (kestrel/inflate.h).
 *
 * The input is read as a stream of bits, least significant first
 * (RFC 1951 §3.1.1).  Huffman codes are packed most significant bit
 * first inside that stream, so a code of length L read as the next L
 * bits arrives bit-reversed.  Decoding uses one table per code with an
 * entry for every possible 15-bit lookahead (15 is the longest code):
 * the entry of pattern P holds the symbol whose reversed code is the low
 * bits of P, and its length.  Building a table writes 2^15 entries; then
 * each symbol costs one lookup.
 *
 *	block:   BFINAL (1 bit)  BTYPE (2 bits: 0 stored, 1 fixed, 2 dynamic)
 *	stored:  to a byte boundary, LEN, ~LEN (16 bits each), LEN bytes
 *	coded:   symbols of the literal/length code until 256:
 *	         0–255 a literal byte; 257–285 a length (base + extra bits),
 *	         then a distance symbol (base + extra bits): copy `length`
 *	         bytes from `distance` bytes back in the output
 *	dynamic: HLIT, HDIST, HCLEN, the code-length code, then the lengths
 *	         of both codes, run-length coded with symbols 16, 17, 18
 *
 * Everything is bounds-checked: reading past the input or referring to
 * output before the start is -EINVAL, filling the output -ENOSPC.
 * This is Kestrel's own code, written from the RFCs.
 */
#include <kestrel/errno.h>
#include <kestrel/inflate.h>
#include <kestrel/string.h>

/* RFC 1951 §3.2.5: lengths 257–285 and distances 0–29. */
static const u16 len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
	35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const u8 len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const u16 dist_base[30] = {
	1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
	257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
	8193, 12289, 16385, 24577 };
static const u8 dist_extra[30] = {
	0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };
/* RFC 1951 §3.2.7: the order the code-length code's lengths come in. */
static const u8 clen_order[19] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

/* The input as bits, least significant first; past the end read zeros. */
struct bits {
	const u8 *in;
	size_t len;
	size_t pos;		/* next byte to load into @buf */
	u64 buf;
	unsigned int cnt;	/* bits in @buf */
};

struct out {
	u8 *p;
	size_t cap;
	size_t len;
};

static void refill(struct bits *b)
{
	while (b->cnt <= 56) {
		u64 byte = b->pos < b->len ? b->in[b->pos] : 0;

		b->pos++;
		b->buf |= byte << b->cnt;
		b->cnt += 8;
	}
}

/* Bits consumed beyond the input: the data ended too soon. */
static bool overrun(const struct bits *b)
{
	return (u64)b->pos * 8 - b->cnt > (u64)b->len * 8;
}

static u32 getbits(struct bits *b, unsigned int n)
{
	u32 v;

	if (b->cnt < n)
		refill(b);
	v = (u32)(b->buf & ((1ULL << n) - 1));
	b->buf >>= n;
	b->cnt -= n;
	return v;
}

/* Reverse the low @n bits of @code. */
static u32 reverse(u32 code, unsigned int n)
{
	u32 r = 0;

	while (n--) {
		r = (r << 1) | (code & 1);
		code >>= 1;
	}
	return r;
}

/*
 * Build @table from the code lengths of @n symbols (RFC 1951 §3.2.2:
 * canonical codes, shorter first, then by symbol).  An over-subscribed
 * set of lengths is -EINVAL; an incomplete one leaves empty entries.
 */
static int build_table(u16 *table, const u8 *lengths, unsigned int n)
{
	u16 count[16] = { 0 }, next[16];
	unsigned int sym, len, idx;
	int left = 1;
	u32 code = 0;

	for (sym = 0; sym < n; sym++)
		count[lengths[sym]]++;
	count[0] = 0;
	for (len = 1; len < 16; len++) {
		left = (left << 1) - count[len];
		if (left < 0)
			return -EINVAL;
	}
	for (len = 1; len < 16; len++) {
		code = (code + count[len - 1]) << 1;
		next[len] = code;
	}
	memset(table, 0, sizeof(u16) << INFLATE_TABLE_BITS);
	for (sym = 0; sym < n; sym++) {
		len = lengths[sym];
		if (!len)
			continue;
		for (idx = reverse(next[len]++, len);
		     idx < (1U << INFLATE_TABLE_BITS); idx += 1U << len)
			table[idx] = (u16)(sym << 4 | len);
	}
	return 0;
}

/* The next symbol of the code in @table, or -1 for a hole in the code. */
static int decode(struct bits *b, const u16 *table)
{
	u16 e;

	if (b->cnt < INFLATE_TABLE_BITS)
		refill(b);
	e = table[b->buf & ((1U << INFLATE_TABLE_BITS) - 1)];
	if (!(e & 15))
		return -1;
	b->buf >>= e & 15;
	b->cnt -= e & 15;
	return e >> 4;
}

static int stored_block(struct bits *b, struct out *o)
{
	size_t start, n;

	getbits(b, b->cnt % 8);			/* to a byte boundary */
	n = getbits(b, 16);
	if ((getbits(b, 16) ^ 0xffff) != n)
		return -EINVAL;
	start = b->pos - b->cnt / 8;		/* unread whole bytes */
	if (start + n > b->len)
		return -EINVAL;
	if (o->len + n > o->cap)
		return -ENOSPC;
	memcpy(o->p + o->len, b->in + start, n);
	o->len += n;
	b->pos = start + n;			/* restart the bit buffer there */
	b->buf = 0;
	b->cnt = 0;
	return 0;
}

/* Literals and copies until the end-of-block symbol. */
static int coded_block(struct bits *b, struct out *o, struct inflate_work *w)
{
	int sym, dsym;
	size_t len, dist;

	for (;;) {
		sym = decode(b, w->litlen);
		if (sym < 0 || sym > 285 || overrun(b))
			return -EINVAL;
		if (sym < 256) {
			if (o->len == o->cap)
				return -ENOSPC;
			o->p[o->len++] = (u8)sym;
			continue;
		}
		if (sym == 256)
			return 0;
		len = len_base[sym - 257] + getbits(b, len_extra[sym - 257]);
		dsym = decode(b, w->dist);
		if (dsym < 0 || dsym > 29)
			return -EINVAL;
		dist = dist_base[dsym] + getbits(b, dist_extra[dsym]);
		if (dist > o->len)
			return -EINVAL;		/* before the start */
		if (len > o->cap - o->len)
			return -ENOSPC;
		while (len--) {			/* may overlap: byte by byte */
			o->p[o->len] = o->p[o->len - dist];
			o->len++;
		}
	}
}

static int fixed_tables(struct inflate_work *w)
{
	u8 lengths[288];
	unsigned int i;

	for (i = 0; i < 288; i++)
		lengths[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
	if (build_table(w->litlen, lengths, 288))
		return -EINVAL;
	memset(lengths, 5, 30);
	return build_table(w->dist, lengths, 30);
}

/* Read the code lengths of a dynamic block and build both tables. */
static int dynamic_tables(struct bits *b, struct inflate_work *w)
{
	unsigned int hlit = getbits(b, 5) + 257, hdist = getbits(b, 5) + 1;
	unsigned int hclen = getbits(b, 4) + 4, i = 0, rep;
	u8 lengths[286 + 30], clen[19] = { 0 }, fill;
	int sym;

	if (hlit > 286 || hdist > 30)
		return -EINVAL;
	for (i = 0; i < hclen; i++)
		clen[clen_order[i]] = getbits(b, 3);
	if (build_table(w->dist, clen, 19))	/* dist is scratch for now */
		return -EINVAL;
	for (i = 0; i < hlit + hdist;) {
		sym = decode(b, w->dist);
		if (sym < 0 || overrun(b))
			return -EINVAL;
		if (sym < 16) {
			lengths[i++] = sym;
			continue;
		}
		if (sym == 16 && i == 0)
			return -EINVAL;		/* nothing to repeat */
		fill = sym == 16 ? lengths[i - 1] : 0;
		rep = sym == 16 ? 3 + getbits(b, 2) :
		      sym == 17 ? 3 + getbits(b, 3) : 11 + getbits(b, 7);
		if (i + rep > hlit + hdist)
			return -EINVAL;
		while (rep--)
			lengths[i++] = fill;
	}
	if (!lengths[256])
		return -EINVAL;			/* no end-of-block code */
	if (build_table(w->litlen, lengths, hlit) ||
	    build_table(w->dist, lengths + hlit, hdist))
		return -EINVAL;
	return 0;
}

int inflate(const u8 *in, size_t in_len, size_t *in_used, u8 *out,
	    size_t out_cap, size_t *out_len, struct inflate_work *w)
{
	struct bits b = { .in = in, .len = in_len };
	struct out o = { .p = out, .cap = out_cap };
	unsigned int final, type;
	int err;

	do {
		final = getbits(&b, 1);
		type = getbits(&b, 2);
		if (type == 0)
			err = stored_block(&b, &o);
		else if (type == 1)
			err = fixed_tables(w) ?: coded_block(&b, &o, w);
		else if (type == 2)
			err = dynamic_tables(&b, w) ?: coded_block(&b, &o, w);
		else
			err = -EINVAL;
		if (!err && overrun(&b))
			err = -EINVAL;
		if (err)
			return err;
	} while (!final);
	*in_used = b.pos - b.cnt / 8;
	*out_len = o.len;
	return 0;
}

/* --- gzip (RFC 1952) --------------------------------------------------------- */

#define GZ_FHCRC	0x02
#define GZ_FEXTRA	0x04
#define GZ_FNAME	0x08
#define GZ_FCOMMENT	0x10
#define GZ_RESERVED	0xe0

static u32 crc_table[256];	/* made at the first use (the same every time) */

static void crc_table_init(void)
{
	unsigned int i, k;
	u32 c;

	for (i = 0; i < 256; i++) {
		for (c = i, k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & -(c & 1));
		crc_table[i] = c;
	}
}

u32 crc32_le(u32 crc, const u8 *p, size_t len)
{
	if (!crc_table[1])
		crc_table_init();
	crc = ~crc;
	while (len--)
		crc = (crc >> 8) ^ crc_table[(crc ^ *p++) & 0xff];
	return ~crc;
}

static u32 le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/* Skip a NUL-terminated string at *@pos; false if it runs off the end. */
static bool skip_string(const u8 *in, size_t len, size_t *pos)
{
	while (*pos < len && in[*pos])
		(*pos)++;
	return ++(*pos) <= len;
}

/* The offset of the DEFLATE stream after the member header, or 0. */
static size_t gzip_header(const u8 *in, size_t len)
{
	size_t pos = 10;
	u8 flg;

	if (len < 18 || in[0] != 0x1f || in[1] != 0x8b || in[2] != 8)
		return 0;
	flg = in[3];
	if (flg & GZ_RESERVED)
		return 0;
	if (flg & GZ_FEXTRA) {
		if (pos + 2 > len)
			return 0;
		pos += 2 + (in[pos] | in[pos + 1] << 8);
	}
	if ((flg & GZ_FNAME) && !skip_string(in, len, &pos))
		return 0;
	if ((flg & GZ_FCOMMENT) && !skip_string(in, len, &pos))
		return 0;
	if (flg & GZ_FHCRC)
		pos += 2;
	return pos < len ? pos : 0;
}

int gunzip(const u8 *in, size_t in_len, size_t *in_used, u8 *out,
	   size_t out_cap, size_t *out_len, struct inflate_work *w)
{
	size_t start = gzip_header(in, in_len), used, n;
	int err;

	if (!start)
		return -EINVAL;
	err = inflate(in + start, in_len - start, &used, out, out_cap, &n, w);
	if (err)
		return err;
	start += used;
	if (start + 8 > in_len)
		return -EINVAL;			/* no trailer */
	if (le32(in + start) != crc32_le(0, out, n) ||
	    le32(in + start + 4) != (u32)n)
		return -EBADMSG;
	*in_used = start + 8;
	*out_len = n;
	return 0;
}
