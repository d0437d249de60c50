/*
 * kernel/tests/host/inflate_test.c — the kernel's DEFLATE and gzip decoder
 * (kernel/lib/inflate.c) against zlib (Debian's zlib1g-dev).
 *
 *   - zlib compresses, the kernel decompresses, the bytes must match:
 *     gzip members at every compression level and with every strategy
 *     (stored blocks, fixed and dynamic Huffman codes, run-length,
 *     Huffman only) over text, random, zero and mixed inputs of many
 *     sizes, including sizes around block and window boundaries; raw
 *     DEFLATE streams; two members back to back;
 *   - crc32_le equals zlib's crc32 on the same bytes;
 *   - an output buffer one byte short is -ENOSPC; every truncation of a
 *     stream and many single-bit flips are an error (or, for a flip
 *     that still decodes, a CRC mismatch) — never a read or write
 *     outside the buffers (the sanitizer would stop the test).
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* The kernel's functions are renamed k_* on the host (host.mk), so that
 * they meet zlib's inflate() and crc32() without clashing. */
#define inflate k_inflate
#define gunzip k_gunzip
#define crc32_le k_crc32_le
#include <kestrel/inflate.h>
#undef inflate
#undef gunzip
#undef crc32_le

static struct inflate_work *work;

/* Deterministic test data of @kind: 0 text, 1 random, 2 zeros, 3 mixed. */
static unsigned char *make_input(int kind, size_t n, unsigned int seed)
{
	static const char *words[] = { "kestrel ", "inode ", "dentry ", "the ",
				       "mount ", "\n", "file system ", "a " };
	unsigned char *p = malloc(n ? n : 1);
	uint32_t x = seed * 2654435761u + 1;
	size_t i = 0;

	while (i < n) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		if (kind == 0 || (kind == 3 && (i / 1000) % 2)) {
			const char *w = words[x % 8];

			for (; *w && i < n; w++)
				p[i++] = *w;
		} else if (kind == 1) {
			p[i++] = x & 0xff;
		} else {
			p[i++] = kind == 2 ? 0 : (x & 0x7);
		}
	}
	return p;
}

/* zlib-compress @in into a new buffer: gzip (windowBits 31) or raw (-15). */
static unsigned char *zcompress(const unsigned char *in, size_t n, int level,
				int strategy, int wbits, size_t *out_len)
{
	z_stream z = { 0 };
	size_t cap = n + n / 8 + 1024;
	unsigned char *out = malloc(cap);

	ck_assert_int_eq(deflateInit2(&z, level, Z_DEFLATED, wbits, 8, strategy), Z_OK);
	z.next_in = (unsigned char *)in;
	z.avail_in = n;
	z.next_out = out;
	z.avail_out = cap;
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_len = z.total_out;
	deflateEnd(&z);
	return out;
}

static const size_t sizes[] = { 0, 1, 2, 31, 258, 1000, 4095, 32767, 32768,
				32769, 65535, 65536, 100000, 300001 };
static const int strategies[] = { Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY,
				  Z_RLE, Z_FIXED };

static void round_trip(int kind, size_t n, int level, int strategy, int wbits)
{
	unsigned char *in = make_input(kind, n, (unsigned int)(n + level));
	size_t clen, used = 0, out_len = 0;
	unsigned char *c = zcompress(in, n, level, strategy, wbits, &clen);
	unsigned char *out = malloc(n + 1);
	int err = wbits > 0 ? k_gunzip(c, clen, &used, out, n, &out_len, work) :
			      k_inflate(c, clen, &used, out, n, &out_len, work);

	ck_assert_msg(err == 0, "kind %d size %zu level %d strategy %d: error %d",
		      kind, n, level, strategy, err);
	ck_assert_uint_eq(out_len, n);
	ck_assert_uint_eq(used, clen);
	ck_assert_msg(memcmp(in, out, n) == 0, "kind %d size %zu level %d: wrong bytes",
		      kind, n, level);
	if (n > 0 && wbits > 0)	/* one byte short: -ENOSPC */
		ck_assert_int_eq(k_gunzip(c, clen, &used, out, n - 1, &out_len, work),
				 -ENOSPC);
	free(in);
	free(c);
	free(out);
}

START_TEST(test_gzip_levels)
{
	for (int kind = 0; kind < 4; kind++)
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
			round_trip(kind, sizes[s], _i, Z_DEFAULT_STRATEGY, 31);
}
END_TEST

START_TEST(test_gzip_strategies)
{
	for (int kind = 0; kind < 4; kind++)
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
			round_trip(kind, sizes[s], 6, strategies[_i], 31);
}
END_TEST

START_TEST(test_raw_deflate)
{
	for (int kind = 0; kind < 4; kind++)
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
			round_trip(kind, sizes[s], 9, Z_DEFAULT_STRATEGY, -15);
}
END_TEST

START_TEST(test_crc32)
{
	unsigned char *in = make_input(3, 100000, 7);

	ck_assert_uint_eq(k_crc32_le(0, (const unsigned char *)"123456789", 9), 0xcbf43926u);
	ck_assert_uint_eq(k_crc32_le(0, in, 100000), crc32(0, in, 100000));
	ck_assert_uint_eq(k_crc32_le(k_crc32_le(0, in, 500), in + 500, 99500),
			  crc32(0, in, 100000));
	free(in);
}
END_TEST

/* Two gzip members back to back: the first reports where it ended. */
START_TEST(test_two_members)
{
	unsigned char *a = make_input(0, 5000, 1), *b = make_input(1, 3000, 2);
	size_t la, lb, used, out_len;
	unsigned char *ca = zcompress(a, 5000, 6, Z_DEFAULT_STRATEGY, 31, &la);
	unsigned char *cb = zcompress(b, 3000, 6, Z_DEFAULT_STRATEGY, 31, &lb);
	unsigned char *both = malloc(la + lb), out[8000];

	memcpy(both, ca, la);
	memcpy(both + la, cb, lb);
	ck_assert_int_eq(k_gunzip(both, la + lb, &used, out, sizeof(out), &out_len, work), 0);
	ck_assert_uint_eq(used, la);
	ck_assert_int_eq(k_gunzip(both + used, la + lb - used, &used, out, sizeof(out),
				  &out_len, work), 0);
	ck_assert_uint_eq(out_len, 3000);
	ck_assert_int_eq(memcmp(out, b, 3000), 0);
	free(a); free(b); free(ca); free(cb); free(both);
}
END_TEST

/* Damage: every truncation and many bit flips give an error, safely. */
START_TEST(test_damage)
{
	unsigned char *in = make_input(3, 20000, 3), *out = malloc(20000);
	size_t clen, used, out_len, cut;
	unsigned char *c = zcompress(in, 20000, 6, Z_DEFAULT_STRATEGY, 31, &clen);
	int err, undetected = 0;

	for (cut = 0; cut < clen; cut++)
		ck_assert_msg(k_gunzip(c, cut, &used, out, 20000, &out_len, work) != 0,
			      "a stream cut at %zu of %zu bytes was accepted", cut, clen);
	for (size_t bit = 0; bit < clen * 8; bit += 7) {
		c[bit / 8] ^= 1 << (bit % 8);
		err = k_gunzip(c, clen, &used, out, 20000, &out_len, work);
		undetected += err == 0 && (out_len != 20000 || memcmp(out, in, 20000));
		c[bit / 8] ^= 1 << (bit % 8);
	}
	ck_assert_int_eq(undetected, 0);
	c[0] = 0x1e;
	ck_assert_int_eq(k_gunzip(c, clen, &used, out, 20000, &out_len, work), -EINVAL);
	free(in); free(out); free(c);
}
END_TEST

static Suite *inflate_suite(void)
{
	Suite *s = suite_create("inflate");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_gzip_levels, 0, 10);
	tcase_add_loop_test(tc, test_gzip_strategies, 0, 5);
	tcase_add_test(tc, test_raw_deflate);
	tcase_add_test(tc, test_crc32);
	tcase_add_test(tc, test_two_members);
	tcase_add_test(tc, test_damage);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	work = malloc(sizeof(*work));
	sr = srunner_create(inflate_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	free(work);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
